/* virworkqueuetest.c: per-key order, parallel keys, merging and the bound. */
#include <config.h>

#include <string.h>

#include "virthread.h"
#include "testutils.h"
#include "virlog.h"
#include "virworkqueue.h"

typedef struct {
    int key;
    int seq;
    int device;        /* items with the same key and device merge */
    bool blockOnGate;  /* waits until the test opens the gate */
    int waitForKey;    /* waits until an item of this key has started (0: none) */
} testItem;

typedef struct {
    GMutex lock;
    GCond cond;
    GString *log;
    int running[8];     /* items running per key */
    bool started[8];    /* an item of this key has started */
    bool overlap;       /* two items of one key ran at once */
    bool gateOpen;
    size_t freed;
} testState;


static void
testRun(void *opaque, void *data)
{
    testItem *item = opaque;
    testState *st = data;
    gint64 deadline = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;

    virMutexLock(&st->lock);
    if (st->running[item->key]++ > 0)
        st->overlap = true;
    st->started[item->key] = true;
    g_cond_broadcast(&st->cond);
    g_string_append_printf(st->log, "%d.%d ", item->key, item->seq);
    while (item->blockOnGate && !st->gateOpen &&
           virCondWaitUntil(&st->cond, &st->lock, deadline))
        ;
    while (item->waitForKey && !st->started[item->waitForKey] &&
           virCondWaitUntil(&st->cond, &st->lock, deadline))
        ;
    if (item->waitForKey && !st->started[item->waitForKey])
        g_string_append(st->log, "NOT-PARALLEL ");
    st->running[item->key]--;
    virMutexUnlock(&st->lock);
}


static testState *currentState;

static void
testFree(void *opaque)
{
    virMutexLock(&currentState->lock);
    currentState->freed++;
    virMutexUnlock(&currentState->lock);
    g_free(opaque);
}


static bool
testMerge(const void *queued, const void *incoming)
{
    const testItem *a = queued;
    const testItem *b = incoming;

    return a->device != 0 && a->device == b->device;
}


static testItem *
newItem(int key, int seq, int device)
{
    testItem *item = g_new0(testItem, 1);

    item->key = key;
    item->seq = seq;
    item->device = device;
    return item;
}


static void
stateInit(testState *st)
{
    memset(st, 0, sizeof(*st));
    g_mutex_init(&st->lock);
    g_cond_init(&st->cond);
    st->log = g_string_new(NULL);
    currentState = st;
}


static void
stateClear(testState *st)
{
    g_string_free(st->log, TRUE);
    g_mutex_clear(&st->lock);
    g_cond_clear(&st->cond);
}


static void
openGate(testState *st)
{
    virMutexLock(&st->lock);
    st->gateOpen = true;
    g_cond_broadcast(&st->cond);
    virMutexUnlock(&st->lock);
}


static void
waitStarted(testState *st, int key)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;

    virMutexLock(&st->lock);
    while (!st->started[key] && virCondWaitUntil(&st->cond, &st->lock, deadline))
        ;
    g_assert_true(st->started[key]);
    virMutexUnlock(&st->lock);
}


/* 3 keys x 100 items on 2 workers: each key's items in order, never two at once. */
static void
testOrderPerKey(void)
{
    testState st;
    g_autoptr(virWorkQueue) queue = NULL;
    GString *expected[4] = { NULL };
    int key;
    int seq;

    stateInit(&st);
    queue = virWorkQueueNew("test", 2, 1000, testRun, testFree, &st);
    for (key = 1; key <= 3; key++)
        expected[key] = g_string_new(NULL);
    for (seq = 0; seq < 100; seq++) {
        for (key = 1; key <= 3; key++) {
            g_assert_cmpint(virWorkQueuePush(queue, GINT_TO_POINTER(key), newItem(key, seq, 0),
                                             NULL, false), ==, VIR_WORK_QUEUE_QUEUED);
            g_string_append_printf(expected[key], "%d.%d ", key, seq);
        }
    }
    g_assert_true(virWorkQueueDrain(queue, 10000));
    g_assert_false(st.overlap);
    for (key = 1; key <= 3; key++) {
        /* Pick this key's entries out of the shared log, in log order. */
        g_auto(GStrv) words = g_strsplit(st.log->str, " ", -1);
        g_autoptr(GString) got = g_string_new(NULL);
        g_autofree char *prefix = g_strdup_printf("%d.", key);
        size_t i;

        for (i = 0; words[i]; i++) {
            if (g_str_has_prefix(words[i], prefix))
                g_string_append_printf(got, "%s ", words[i]);
        }
        g_assert_cmpstr(got->str, ==, expected[key]->str);
        g_string_free(expected[key], TRUE);
    }
    g_clear_pointer(&queue, virWorkQueueFree);
    g_assert_cmpuint(st.freed, ==, 300);
    stateClear(&st);
}


/* Key 1's item cannot finish until key 2's item has started: only parallel keys pass. */
static void
testParallelKeys(void)
{
    testState st;
    g_autoptr(virWorkQueue) queue = NULL;
    testItem *a = newItem(1, 0, 0);

    stateInit(&st);
    queue = virWorkQueueNew("test", 2, 10, testRun, testFree, &st);
    a->waitForKey = 2;
    virWorkQueuePush(queue, GINT_TO_POINTER(1), a, NULL, false);
    virWorkQueuePush(queue, GINT_TO_POINTER(2), newItem(2, 0, 0), NULL, false);
    g_assert_true(virWorkQueueDrain(queue, 10000));
    g_assert_null(strstr(st.log->str, "NOT-PARALLEL"));
    g_clear_pointer(&queue, virWorkQueueFree);
    stateClear(&st);
}


/* While key 1 is busy, 100 items for one device merge into one waiting item. */
static void
testMerging(void)
{
    testState st;
    g_autoptr(virWorkQueue) queue = NULL;
    testItem *blocker = newItem(1, 0, 0);
    size_t queued, ran, merged, refused;
    int i;

    stateInit(&st);
    queue = virWorkQueueNew("test", 2, 10, testRun, testFree, &st);
    blocker->blockOnGate = true;
    virWorkQueuePush(queue, GINT_TO_POINTER(1), blocker, testMerge, false);
    waitStarted(&st, 1);
    for (i = 1; i <= 100; i++) {
        virWorkQueueResult res = virWorkQueuePush(queue, GINT_TO_POINTER(1),
                                                  newItem(1, i, 7), testMerge, false);
        g_assert_cmpint(res, ==, i == 1 ? VIR_WORK_QUEUE_QUEUED : VIR_WORK_QUEUE_MERGED);
    }
    /* Another device is not merged with it. */
    g_assert_cmpint(virWorkQueuePush(queue, GINT_TO_POINTER(1), newItem(1, 101, 8),
                                     testMerge, false), ==, VIR_WORK_QUEUE_QUEUED);
    openGate(&st);
    g_assert_true(virWorkQueueDrain(queue, 10000));
    virWorkQueueGetStats(queue, &queued, &ran, &merged, &refused);
    g_assert_cmpuint(queued, ==, 3);
    g_assert_cmpuint(ran, ==, 3);
    g_assert_cmpuint(merged, ==, 99);
    g_assert_cmpuint(refused, ==, 0);
    g_assert_cmpstr(st.log->str, ==, "1.0 1.1 1.101 ");
    g_clear_pointer(&queue, virWorkQueueFree);
    g_assert_cmpuint(st.freed, ==, 102 - 1 + 1);
    stateClear(&st);
}


/* At the bound a new item is refused and counted; a must-accept item still goes in.
 * (The caller says which domain it was: see qemuprocesseventtest.) */
static void
testBound(void)
{
    testState st;
    g_autoptr(virWorkQueue) queue = NULL;
    testItem *blocker = newItem(1, 0, 0);
    size_t queued, ran, merged, refused;
    int i;

    stateInit(&st);
    queue = virWorkQueueNew("test", 1, 3, testRun, testFree, &st);
    blocker->blockOnGate = true;
    virWorkQueuePush(queue, GINT_TO_POINTER(1), blocker, NULL, false);
    waitStarted(&st, 1);
    for (i = 1; i <= 3; i++)
        g_assert_cmpint(virWorkQueuePush(queue, GINT_TO_POINTER(1), newItem(1, i, 0), NULL, false),
                        ==, VIR_WORK_QUEUE_QUEUED);
    g_assert_cmpint(virWorkQueuePush(queue, GINT_TO_POINTER(1), newItem(1, 4, 0), NULL, false),
                    ==, VIR_WORK_QUEUE_REFUSED);
    virWorkQueueGetStats(queue, &queued, &ran, &merged, &refused);
    g_assert_cmpuint(refused, ==, 1);
    g_assert_cmpint(virWorkQueuePush(queue, GINT_TO_POINTER(1), newItem(1, 5, 0), NULL, true),
                    ==, VIR_WORK_QUEUE_QUEUED);
    openGate(&st);
    g_assert_true(virWorkQueueDrain(queue, 10000));
    g_assert_cmpstr(st.log->str, ==, "1.0 1.1 1.2 1.3 1.5 ");
    g_clear_pointer(&queue, virWorkQueueFree);
    stateClear(&st);
}


/* Freeing the queue with waiting items frees each of them once. */
static void
testFreeWaiting(void)
{
    testState st;
    virWorkQueue *queue;
    testItem *blocker = newItem(1, 0, 0);
    int i;

    stateInit(&st);
    queue = virWorkQueueNew("test", 1, 100, testRun, testFree, &st);
    blocker->blockOnGate = true;
    virWorkQueuePush(queue, GINT_TO_POINTER(1), blocker, NULL, false);
    waitStarted(&st, 1);
    for (i = 1; i <= 10; i++)
        virWorkQueuePush(queue, GINT_TO_POINTER(2), newItem(2, i, 0), NULL, false);
    openGate(&st);
    virWorkQueueFree(queue);
    g_assert_cmpuint(st.freed, ==, 11);
    stateClear(&st);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);
    g_test_add_func("/virworkqueue/order-per-key", testOrderPerKey);
    g_test_add_func("/virworkqueue/parallel-keys", testParallelKeys);
    g_test_add_func("/virworkqueue/merging", testMerging);
    g_test_add_func("/virworkqueue/bound", testBound);
    g_test_add_func("/virworkqueue/free-waiting", testFreeWaiting);
    return g_test_run();
}
