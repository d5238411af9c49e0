/* virworkqueue.c: bounded worker threads that run each key's items in order. */
#include <config.h>

#include "virthread.h"
#include "virworkqueue.h"
#include "virlog.h"

VIR_LOG_INIT("util.workqueue");

typedef struct {
    const void *key;
    GQueue items;      /* waiting items */
    bool running;      /* a worker runs one of this key's items */
    bool scheduled;    /* the key is in the ready line */
} virWorkQueueKey;

struct _virWorkQueue {
    GMutex lock;
    GCond workCond;    /* a key became ready, or quit */
    GCond idleCond;    /* an item finished */
    GHashTable *keys;  /* key -> virWorkQueueKey, while it has work */
    GQueue ready;      /* virWorkQueueKey waiting for a worker */
    GPtrArray *threads;
    size_t perKeyMax;
    size_t busy;       /* items waiting or running */
    bool quit;

    virWorkQueueFunc func;
    GDestroyNotify itemFree;
    void *opaque;

    size_t queued;
    size_t ran;
    size_t merged;
    size_t refused;
};


static void
virWorkQueueKeyFree(gpointer opaque)
{
    g_free(opaque);
}


static gpointer
virWorkQueueWorker(gpointer opaque)
{
    virWorkQueue *queue = opaque;

    virMutexLock(&queue->lock);
    for (;;) {
        virWorkQueueKey *k;
        void *item;

        while (!queue->quit && g_queue_is_empty(&queue->ready))
            virCondWait(&queue->workCond, &queue->lock);
        if (queue->quit)
            break;

        k = g_queue_pop_head(&queue->ready);
        k->scheduled = false;
        k->running = true;
        item = g_queue_pop_head(&k->items);

        virMutexUnlock(&queue->lock);
        queue->func(item, queue->opaque);
        if (queue->itemFree)
            queue->itemFree(item);
        virMutexLock(&queue->lock);

        k->running = false;
        queue->ran++;
        queue->busy--;
        if (!g_queue_is_empty(&k->items)) {
            /* Back of the line: other keys get their turn first. */
            k->scheduled = true;
            g_queue_push_tail(&queue->ready, k);
            g_cond_signal(&queue->workCond);
        } else {
            g_hash_table_remove(queue->keys, k->key);
        }
        g_cond_broadcast(&queue->idleCond);
    }
    virMutexUnlock(&queue->lock);
    return NULL;
}


virWorkQueue *
virWorkQueueNew(const char *name, size_t nworkers, size_t perKeyMax,
                virWorkQueueFunc func, GDestroyNotify itemFree, void *opaque)
{
    virWorkQueue *queue = g_new0(virWorkQueue, 1);
    size_t i;

    g_return_val_if_fail(nworkers > 0 && perKeyMax > 0 && func, NULL);

    g_mutex_init(&queue->lock);
    g_cond_init(&queue->workCond);
    g_cond_init(&queue->idleCond);
    queue->keys = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        virWorkQueueKeyFree);
    g_queue_init(&queue->ready);
    queue->perKeyMax = perKeyMax;
    queue->func = func;
    queue->itemFree = itemFree;
    queue->opaque = opaque;
    queue->threads = g_ptr_array_new();
    for (i = 0; i < nworkers; i++) {
        g_autofree char *tname = g_strdup_printf("%s-%zu", name, i);
        g_ptr_array_add(queue->threads, g_thread_new(tname, virWorkQueueWorker, queue));
    }
    return queue;
}


virWorkQueueResult
virWorkQueuePush(virWorkQueue *queue, const void *key, void *item,
                 virWorkQueueMergeFunc merge, bool mustAccept)
{
    virWorkQueueKey *k;
    GList *l;

    virMutexLock(&queue->lock);
    if (queue->quit) {
        virMutexUnlock(&queue->lock);
        VIR_WARN("Work queue is shutting down; dropping an item.");
        if (queue->itemFree)
            queue->itemFree(item);
        return VIR_WORK_QUEUE_REFUSED;
    }

    if (!(k = g_hash_table_lookup(queue->keys, key))) {
        k = g_new0(virWorkQueueKey, 1);
        k->key = key;
        g_queue_init(&k->items);
        g_hash_table_insert(queue->keys, (gpointer)key, k);
    }

    for (l = merge ? k->items.head : NULL; l; l = l->next) {
        if (merge(l->data, item)) {
            queue->merged++;
            virMutexUnlock(&queue->lock);
            if (queue->itemFree)
                queue->itemFree(item);
            return VIR_WORK_QUEUE_MERGED;
        }
    }

    if (k->items.length >= queue->perKeyMax && !mustAccept) {
        queue->refused++;
        virMutexUnlock(&queue->lock);
        /* The caller knows what the key is and says it (once per burst). */
        VIR_DEBUG("Work queue for %p holds %zu waiting items, its bound; refusing a new one.",
                  key, queue->perKeyMax);
        if (queue->itemFree)
            queue->itemFree(item);
        return VIR_WORK_QUEUE_REFUSED;
    }

    g_queue_push_tail(&k->items, item);
    queue->queued++;
    queue->busy++;
    if (!k->running && !k->scheduled) {
        k->scheduled = true;
        g_queue_push_tail(&queue->ready, k);
        g_cond_signal(&queue->workCond);
    }
    virMutexUnlock(&queue->lock);
    return VIR_WORK_QUEUE_QUEUED;
}


bool
virWorkQueueDrain(virWorkQueue *queue, unsigned int timeoutMs)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * G_TIME_SPAN_MILLISECOND;
    bool idle;

    virMutexLock(&queue->lock);
    while (queue->busy > 0 &&
           virCondWaitUntil(&queue->idleCond, &queue->lock, deadline))
        ;
    idle = queue->busy == 0;
    virMutexUnlock(&queue->lock);
    return idle;
}


void
virWorkQueueGetStats(virWorkQueue *queue, size_t *queued, size_t *ran, size_t *merged,
                     size_t *refused)
{
    virMutexLock(&queue->lock);
    *queued = queue->queued;
    *ran = queue->ran;
    *merged = queue->merged;
    *refused = queue->refused;
    virMutexUnlock(&queue->lock);
}


void
virWorkQueueFree(virWorkQueue *queue)
{
    GHashTableIter iter;
    gpointer value;
    size_t i;

    if (!queue)
        return;

    virMutexLock(&queue->lock);
    queue->quit = true;
    g_cond_broadcast(&queue->workCond);
    virMutexUnlock(&queue->lock);
    for (i = 0; i < queue->threads->len; i++)
        g_thread_join(g_ptr_array_index(queue->threads, i));
    g_ptr_array_free(queue->threads, TRUE);

    g_hash_table_iter_init(&iter, queue->keys);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        virWorkQueueKey *k = value;
        void *item;

        while ((item = g_queue_pop_head(&k->items))) {
            if (queue->itemFree)
                queue->itemFree(item);
        }
    }
    g_hash_table_unref(queue->keys);
    g_queue_clear(&queue->ready);
    g_mutex_clear(&queue->lock);
    g_cond_clear(&queue->workCond);
    g_cond_clear(&queue->idleCond);
    g_free(queue);
}
