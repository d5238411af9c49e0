/* vireventthread.h: a thread that runs one GMainContext until it is freed. */
#pragma once

#include "internal.h"

/*
 * The monitors of many domains share one event thread: each attaches its socket to
 * the thread's context, and the thread reads, frames, decodes and dispatches for all
 * of them. Nothing attached here may block.
 */

typedef struct _virEventThread virEventThread;

/* Starts the thread (named @name for debuggers) and returns once its loop runs. */
virEventThread *virEventThreadNew(const char *name);

/* Stops the loop, joins the thread and frees it; NULL is a no-op. Must not be called
 * from the event thread itself. */
void virEventThreadFree(virEventThread *evt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virEventThread, virEventThreadFree);

/* The context to attach sources to; owned by @evt. */
GMainContext *virEventThreadGetContext(virEventThread *evt);

/* True when called from @evt's thread. */
bool virEventThreadIsCurrent(virEventThread *evt);

/*
 * Watches on file descriptors, for the many sockets one event thread serves (a
 * domain's monitor, QEMU's pidfd). They share one epoll set: a loop iteration costs
 * the ready descriptors, not all of them, as one GSource per descriptor would.
 *
 * @func runs on the event thread when @fd is ready for @cond (G_IO_ERR and G_IO_HUP
 * are always reported), and returns G_SOURCE_CONTINUE or G_SOURCE_REMOVE.
 * virEventThreadWatchFD may be called from any thread; it returns NULL with errno
 * set when the descriptor cannot be watched (@opaque is released then too).
 * virEventThreadWatchRemove (any thread, NULL is a no-op) stops further calls; as
 * with a GSource, a call about to start on the event thread may still run, so @func
 * checks its own state first. Remove a watch before closing its descriptor. A func
 * that wants no more calls removes its watch itself (while it still guards the
 * descriptor, so that its owner cannot close it first) and returns
 * G_SOURCE_REMOVE. The watch is freed, and @opaqueFree run, on the event thread
 * once no call can run any more: until then removing it again does nothing.
 */
typedef struct _virEventThreadWatch virEventThreadWatch;
typedef gboolean (*virEventThreadWatchFunc)(int fd, GIOCondition cond, void *opaque);

virEventThreadWatch *virEventThreadWatchFD(virEventThread *evt, int fd, GIOCondition cond,
                                           virEventThreadWatchFunc func, void *opaque,
                                           GDestroyNotify opaqueFree);
void virEventThreadWatchRemove(virEventThreadWatch *watch);
