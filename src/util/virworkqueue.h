/* virworkqueue.h: bounded worker threads that run each key's items in order. */
#pragma once

#include "internal.h"

/*
 * Items are queued under a key (for qvirt: a domain). Items of one key run one at a
 * time, in the order they were queued; items of different keys run in parallel on at
 * most @nworkers threads. A key that has more work goes to the back of the line
 * after each item, so one busy key cannot starve the others.
 *
 * Merging: virWorkQueuePush() asks @merge whether an item of the same key that is
 * still waiting (not running) already covers the new one; then the new one is
 * dropped. Callers merge items that re-read current state when they run (an rx
 * filter query reports the guest's latest filter), so nothing is lost by merging.
 *
 * Bound: each key holds at most @perKeyMax waiting items. At the bound a new item
 * is refused and logged, unless the caller says it must be accepted (items whose
 * loss would lose state, such as QEMU's exit). Merged items never count against it.
 */

typedef struct _virWorkQueue virWorkQueue;

typedef void (*virWorkQueueFunc)(void *item, void *opaque);
/* True when @queued (still waiting) makes @incoming redundant. */
typedef bool (*virWorkQueueMergeFunc)(const void *queued, const void *incoming);

typedef enum {
    VIR_WORK_QUEUE_QUEUED,
    VIR_WORK_QUEUE_MERGED,   /* @item was freed: a waiting item covers it */
    VIR_WORK_QUEUE_REFUSED,  /* @item was freed: the key's queue is full */
} virWorkQueueResult;

virWorkQueue *virWorkQueueNew(const char *name, size_t nworkers, size_t perKeyMax,
                              virWorkQueueFunc func, GDestroyNotify itemFree,
                              void *opaque);

/* Stops taking items, lets running items finish, frees waiting ones and joins the
 * workers. NULL is a no-op. Must not be called from a worker. */
void virWorkQueueFree(virWorkQueue *queue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virWorkQueue, virWorkQueueFree);

/* Queues @item under @key, taking ownership of it in every case. */
virWorkQueueResult virWorkQueuePush(virWorkQueue *queue, const void *key, void *item,
                                    virWorkQueueMergeFunc merge, bool mustAccept);

/* Waits until nothing is waiting or running (tests, shutdown); false after
 * @timeoutMs. */
bool virWorkQueueDrain(virWorkQueue *queue, unsigned int timeoutMs);

/* Counters since creation: items queued, run, merged, refused. */
void virWorkQueueGetStats(virWorkQueue *queue, size_t *queued, size_t *ran,
                          size_t *merged, size_t *refused);
