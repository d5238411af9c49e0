/* vireventthread.c: a thread that runs one GMainContext until it is freed. */
#include <config.h>

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <glib-unix.h>

#include "vireventthread.h"
#include "virthread.h"

/*
 * File descriptor watches: one epoll set, itself one GSource of the context. glib
 * polls every source's descriptor on every loop iteration, which with a thousand
 * monitors made each event cost a thousand checks; epoll hands back only the ready
 * ones.
 *
 * A removed watch is taken out of the epoll set at once but freed (and its opaque
 * released) on the event thread at the start of the next dispatch: pointers from the
 * epoll_wait() of a dispatch in progress stay valid until it ends.
 */

/* Ready descriptors handled per dispatch; more wait for the next iteration. */
#define VIR_EVENT_THREAD_EPOLL_BATCH 64

struct _virEventThreadWatch {
    virEventThread *evt;
    int fd;
    virEventThreadWatchFunc func;
    void *opaque;
    GDestroyNotify opaqueFree;
    bool removed;               /* under evt->watchLock */
};

struct _virEventThread {
    GThread *thread;
    GMainContext *context;
    GMainLoop *loop;
    GMutex lock;
    GCond cond;
    bool running;

    int epfd;
    GSource *epollSource;
    GMutex watchLock;
    GPtrArray *graveyard;       /* removed watches, freed on the event thread */
};


static void
virEventThreadWatchFree(virEventThreadWatch *watch)
{
    if (watch->opaqueFree)
        watch->opaqueFree(watch->opaque);
    g_free(watch);
}


static void
virEventThreadBuryDead(virEventThread *evt)
{
    g_autoptr(GPtrArray) dead = NULL;

    virMutexLock(&evt->watchLock);
    if (evt->graveyard->len > 0) {
        dead = g_steal_pointer(&evt->graveyard);
        evt->graveyard = g_ptr_array_new();
    }
    virMutexUnlock(&evt->watchLock);
    if (dead) {
        guint i;

        for (i = 0; i < dead->len; i++)
            virEventThreadWatchFree(g_ptr_array_index(dead, i));
    }
}


static GIOCondition
virEventThreadEpollToCondition(uint32_t events)
{
    GIOCondition cond = 0;

    if (events & EPOLLIN)
        cond |= G_IO_IN;
    if (events & EPOLLPRI)
        cond |= G_IO_PRI;
    if (events & EPOLLOUT)
        cond |= G_IO_OUT;
    if (events & EPOLLERR)
        cond |= G_IO_ERR;
    if (events & EPOLLHUP)
        cond |= G_IO_HUP;
    return cond;
}


static uint32_t
virEventThreadConditionToEpoll(GIOCondition cond)
{
    uint32_t events = 0;

    if (cond & G_IO_IN)
        events |= EPOLLIN;
    if (cond & G_IO_PRI)
        events |= EPOLLPRI;
    if (cond & G_IO_OUT)
        events |= EPOLLOUT;
    /* EPOLLERR and EPOLLHUP are always reported. */
    return events;
}


static gboolean
virEventThreadDispatchWatches(gint fd G_GNUC_UNUSED, GIOCondition condition G_GNUC_UNUSED,
                              gpointer opaque)
{
    virEventThread *evt = opaque;
    struct epoll_event ready[VIR_EVENT_THREAD_EPOLL_BATCH];
    int n;
    int i;

    virEventThreadBuryDead(evt);
    n = epoll_wait(evt->epfd, ready, G_N_ELEMENTS(ready), 0);
    for (i = 0; i < n; i++) {
        virEventThreadWatch *watch = ready[i].data.ptr;
        bool removed;

        VIR_TSAN_ACQUIRE(watch);
        virMutexLock(&evt->watchLock);
        removed = watch->removed;
        virMutexUnlock(&evt->watchLock);
        /* As with a GSource: a watch removed by another thread from here on may
         * still see this one call; its users check their own state first. */
        if (removed)
            continue;
        /* A func returning REMOVE has removed its watch (removing again is a
         * no-op until the next dispatch frees it). */
        if (watch->func(watch->fd, virEventThreadEpollToCondition(ready[i].events),
                        watch->opaque) == G_SOURCE_REMOVE)
            virEventThreadWatchRemove(watch);
    }
    return G_SOURCE_CONTINUE;
}


static gboolean
virEventThreadNotifyRunning(gpointer opaque)
{
    virEventThread *evt = opaque;

    virMutexLock(&evt->lock);
    evt->running = true;
    g_cond_broadcast(&evt->cond);
    virMutexUnlock(&evt->lock);
    return G_SOURCE_REMOVE;
}


static gpointer
virEventThreadWorker(gpointer opaque)
{
    virEventThread *evt = opaque;
    g_autoptr(GSource) started = g_idle_source_new();

    g_main_context_push_thread_default(evt->context);
    g_source_set_callback(started, virEventThreadNotifyRunning, evt, NULL);
    g_source_attach(started, evt->context);
    g_main_loop_run(evt->loop);
    g_main_context_pop_thread_default(evt->context);
    return NULL;
}


virEventThread *
virEventThreadNew(const char *name)
{
    virEventThread *evt = g_new0(virEventThread, 1);

    g_mutex_init(&evt->lock);
    g_cond_init(&evt->cond);
    g_mutex_init(&evt->watchLock);
    evt->context = g_main_context_new();
    evt->loop = g_main_loop_new(evt->context, FALSE);
    evt->graveyard = g_ptr_array_new();
    if ((evt->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        g_error("Cannot create an epoll set for event thread '%s': %s", name,
                g_strerror(errno));
    evt->epollSource = g_unix_fd_source_new(evt->epfd, G_IO_IN);
    g_source_set_callback(evt->epollSource, G_SOURCE_FUNC(virEventThreadDispatchWatches),
                          evt, NULL);
    g_source_attach(evt->epollSource, evt->context);
    evt->thread = g_thread_new(name, virEventThreadWorker, evt);

    virMutexLock(&evt->lock);
    while (!evt->running)
        virCondWait(&evt->cond, &evt->lock);
    virMutexUnlock(&evt->lock);
    return evt;
}


static gboolean
virEventThreadQuit(gpointer opaque)
{
    g_main_loop_quit(opaque);
    return G_SOURCE_REMOVE;
}


void
virEventThreadFree(virEventThread *evt)
{
    g_autoptr(GSource) quit = NULL;

    if (!evt)
        return;

    g_return_if_fail(!virEventThreadIsCurrent(evt));

    quit = g_idle_source_new();
    g_source_set_callback(quit, virEventThreadQuit, evt->loop, NULL);
    g_source_attach(quit, evt->context);
    g_thread_join(evt->thread);

    g_source_destroy(evt->epollSource);
    g_source_unref(evt->epollSource);
    virEventThreadBuryDead(evt);
    g_ptr_array_unref(evt->graveyard);
    close(evt->epfd);
    g_main_loop_unref(evt->loop);
    g_main_context_unref(evt->context);
    g_mutex_clear(&evt->lock);
    g_cond_clear(&evt->cond);
    g_mutex_clear(&evt->watchLock);
    g_free(evt);
}


virEventThreadWatch *
virEventThreadWatchFD(virEventThread *evt, int fd, GIOCondition cond,
                      virEventThreadWatchFunc func, void *opaque, GDestroyNotify opaqueFree)
{
    virEventThreadWatch *watch = g_new0(virEventThreadWatch, 1);
    struct epoll_event ev = { .events = virEventThreadConditionToEpoll(cond) };

    watch->evt = evt;
    watch->fd = fd;
    watch->func = func;
    watch->opaque = opaque;
    watch->opaqueFree = opaqueFree;
    ev.data.ptr = watch;
    VIR_TSAN_RELEASE(watch);
    if (epoll_ctl(evt->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        int err = errno;

        virEventThreadWatchFree(watch);
        errno = err;
        return NULL;
    }
    return watch;
}


void
virEventThreadWatchRemove(virEventThreadWatch *watch)
{
    virEventThread *evt;

    if (!watch)
        return;
    evt = watch->evt;
    virMutexLock(&evt->watchLock);
    if (!watch->removed) {
        watch->removed = true;
        /* Fails only when the descriptor was closed first, which took it out. */
        ignore_value(epoll_ctl(evt->epfd, EPOLL_CTL_DEL, watch->fd, NULL));
        g_ptr_array_add(evt->graveyard, watch);
    }
    virMutexUnlock(&evt->watchLock);
    /* The next dispatch frees it; make sure one comes even if nothing is ready. */
    g_main_context_wakeup(evt->context);
}


GMainContext *
virEventThreadGetContext(virEventThread *evt)
{
    return evt->context;
}


bool
virEventThreadIsCurrent(virEventThread *evt)
{
    return g_main_context_is_owner(evt->context);
}
