/* qemumonitorbench.c: ns/event through a real monitor against yajl's bare tree parse. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "virthread.h"
#include "qemu_monitor.h"
#include "vireventthread.h"
#include "virerror.h"
#include "virjson.h"
#include "virdomainobj.h"
#include "virobject.h"

/*
 * Usage: qemumonitorbench [EVENTS] [ROUNDS]
 *
 * Pushes EVENTS copies of a recorded NIC_RX_FILTER_CHANGED line through a real
 * monitor over a socketpair (read, frame, parse, bsearch, decode, emit, callback) and,
 * in the same run, times yajl_tree_parse of the same line. The best of ROUNDS rounds
 * of each is printed, so a busy moment on the machine does not decide the result.
 */

/* 173 bytes, as QEMU 7.2 sends it (CRLF added when sent). */
static const char eventLine[] =
    "{\"timestamp\": {\"seconds\": 1764758401, \"microseconds\": 326866}, "
    "\"event\": \"NIC_RX_FILTER_CHANGED\", \"data\": {\"name\": \"net0\", "
    "\"path\": \"/machine/peripheral/net0/virtio-backend\"}}";

typedef struct {
    GMutex lock;
    GCond cond;
    size_t seen;
    size_t want;
    gint64 doneAt;
} benchCounter;


static void
benchNicRxFilterChanged(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                        void *opaque)
{
    benchCounter *counter = opaque;

    virMutexLock(&counter->lock);
    if (++counter->seen == counter->want) {
        counter->doneAt = g_get_monotonic_time();
        g_cond_broadcast(&counter->cond);
    }
    virMutexUnlock(&counter->lock);
}


static const qemuMonitorCallbacks benchCallbacks = {
    .domainNicRxFilterChanged = benchNicRxFilterChanged,
};


static void
benchGenericEvent(qemuMonitor *mon, virDomainObj *vm, const char *event,
                  long long seconds, unsigned int micros, const char *details,
                  void *opaque)
{
}


static bool
benchNobodyListens(void *opaque)
{
    return false;
}


/* As qvirtd runs the monitor: a generic callback for API clients, none of whom
 * listens, so the event's data is not formatted. */
static const qemuMonitorCallbacks benchDaemonCallbacks = {
    .domainNicRxFilterChanged = benchNicRxFilterChanged,
    .domainEvent = benchGenericEvent,
    .domainEventWanted = benchNobodyListens,
};


static void
writeAll(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0)
            g_error("write to monitor failed: %s", g_strerror(errno));
        data += n;
        len -= n;
    }
}


/* Plays QEMU's side of the handshake: greeting, then the qmp_capabilities reply. */
static gpointer
fakeQemuHandshake(gpointer opaque)
{
    int fd = GPOINTER_TO_INT(opaque);
    const char *greeting = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n";
    g_autoptr(GString) line = g_string_new(NULL);
    g_autoptr(virJSONValue) cmd = NULL;
    g_autofree char *reply = NULL;
    char c;

    writeAll(fd, greeting, strlen(greeting));
    while (read(fd, &c, 1) == 1 && c != '\n')
        g_string_append_c(line, c);
    if (!(cmd = virJSONValueFromString(line->str)))
        g_error("bad command from monitor: %s", line->str);
    reply = g_strdup_printf("{\"return\": {}, \"id\": \"%s\"}\r\n",
                            virJSONValueObjectGetString(cmd, "id"));
    writeAll(fd, reply, strlen(reply));
    return NULL;
}


static double
benchPipeline(size_t events, const qemuMonitorCallbacks *callbacks)
{
    benchCounter counter = { .want = events };
    g_autoptr(virEventThread) evt = virEventThreadNew("bench-monitor");
    virDomainObj *vm = virDomainObjNew(virDomainDefNew());
    g_autoptr(GString) burst = g_string_new(NULL);
    qemuMonitor *mon;
    GThread *peer;
    int sv[2];
    size_t i;
    gint64 start;
    size_t perWrite = 256;

    g_mutex_init(&counter.lock);
    g_cond_init(&counter.cond);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        g_error("socketpair: %s", g_strerror(errno));

    peer = g_thread_new("bench-qemu", fakeQemuHandshake, GINT_TO_POINTER(sv[1]));
    if (!(mon = qemuMonitorOpenFD(vm, sv[0], 0, evt,
                                  callbacks, &counter)))
        g_error("cannot open monitor: %s", virErrorGetLastMessage());
    g_thread_join(peer);

    for (i = 0; i < perWrite; i++)
        g_string_append_printf(burst, "%s\r\n", eventLine);

    start = g_get_monotonic_time();
    for (i = 0; i < events; i += perWrite)
        writeAll(sv[1], burst->str, burst->len);
    virMutexLock(&counter.lock);
    while (counter.seen < counter.want)
        virCondWait(&counter.cond, &counter.lock);
    virMutexUnlock(&counter.lock);

    qemuMonitorClose(mon);
    close(sv[1]);
    virObjectUnref(vm);
    return (double)(counter.doneAt - start) * 1000.0 / events;
}


static double
benchBareParse(size_t events)
{
    char errbuf[128];
    gint64 start = g_get_monotonic_time();
    size_t i;

    for (i = 0; i < events; i++) {
        yajl_val tree = yajl_tree_parse(eventLine, errbuf, sizeof(errbuf));
        if (!tree)
            g_error("yajl_tree_parse failed: %s", errbuf);
        yajl_tree_free(tree);
    }
    return (double)(g_get_monotonic_time() - start) * 1000.0 / events;
}


static double
benchOurParse(size_t events)
{
    gint64 start = g_get_monotonic_time();
    size_t len = strlen(eventLine);
    size_t i;

    for (i = 0; i < events; i++) {
        virJSONValue *obj = virJSONValueFromBuffer(eventLine, len);
        if (!obj)
            g_error("virJSONValueFromBuffer failed: %s", virErrorGetLastMessage());
        virJSONValueFree(obj);
    }
    return (double)(g_get_monotonic_time() - start) * 1000.0 / events;
}


int
main(int argc, char **argv)
{
    size_t events = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    unsigned int rounds = argc > 2 ? strtoul(argv[2], NULL, 10) : 5;
    double pipeline = G_MAXDOUBLE;
    double daemonPipeline = G_MAXDOUBLE;
    double bare = G_MAXDOUBLE;
    double ours = G_MAXDOUBLE;
    unsigned int r;

    if (events < 256 || rounds < 1) {
        fprintf(stderr, "usage: %s [EVENTS>=256] [ROUNDS>=1]\n", argv[0]);
        return 2;
    }
    events -= events % 256;

    for (r = 0; r < rounds; r++) {
        pipeline = MIN(pipeline, benchPipeline(events, &benchCallbacks));
        daemonPipeline = MIN(daemonPipeline, benchPipeline(events, &benchDaemonCallbacks));
        bare = MIN(bare, benchBareParse(events));
        ours = MIN(ours, benchOurParse(events));
    }

    printf("event line: %zu bytes (NIC_RX_FILTER_CHANGED), %zu events, best of %u rounds\n",
           strlen(eventLine), events, rounds);
    printf("monitor pipeline (read, frame, parse, bsearch, decode, emit, callback): %8.1f ns/event\n",
           pipeline);
    printf("the same as qvirtd sets it up (generic callback, no listener):       %8.1f ns/event\n",
           daemonPipeline);
    printf("virJSONValueFromBuffer alone:                                        %8.1f ns/event\n",
           ours);
    printf("yajl_tree_parse alone (bare parse):                                  %8.1f ns/event\n",
           bare);
    printf("pipeline / bare parse: %.2fx (goal: at most 2x)\n", pipeline / bare);
    return 0;
}
