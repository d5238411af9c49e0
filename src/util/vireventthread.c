/* vireventthread.c: a thread that runs one GMainContext until it is freed. */
#include <config.h>

#include "virthread.h"
#include "vireventthread.h"

struct _virEventThread {
    GThread *thread;
    GMainContext *context;
    GMainLoop *loop;
    GMutex lock;
    GCond cond;
    bool running;
};


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
    evt->context = g_main_context_new();
    evt->loop = g_main_loop_new(evt->context, FALSE);
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

    g_main_loop_unref(evt->loop);
    g_main_context_unref(evt->context);
    g_mutex_clear(&evt->lock);
    g_cond_clear(&evt->cond);
    g_free(evt);
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
