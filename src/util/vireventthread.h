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
