/* qemueventscalebench.c: the event pipeline with many domains: rate, latency, threads, memory. */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "qemu_domain.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "vireventthread.h"
#include "virerror.h"
#include "virlog.h"
#include "virthread.h"
#include "virworkqueue.h"

/*
 * Usage: qemueventscalebench [DOMAINS] [EVENTS_PER_SECOND_PER_DOMAIN] [SECONDS]
 *        (defaults 1000, 10, 10)
 *
 * Sets the driver up as qvirtd does (one event thread for every monitor, a bounded
 * worker pool running qemuProcessEventHandler, monitorCallbacks) for DOMAINS domains,
 * each with a monitor on a socketpair to a fake QEMU. One fake thread (not counted as
 * the daemon's) does every handshake, then writes DEVICE_DELETED events, which the
 * callbacks queue for a worker, evenly spread: RATE per domain per second for
 * SECONDS. The events of a domain are numbered; the worker wrapper checks none is
 * lost or reordered and times each from its write to the worker starting on it.
 * Prints throughput, p50/p99/max latency, CPU per event (the fake's own excluded),
 * the daemon threads, and RSS per domain.
 */

#define BENCH_WORKERS QEMU_DRIVER_DEFAULT_WORKERS

typedef struct {
    int fd;                 /* the fake QEMU's end */
    virDomainObj *vm;
    gint64 *writtenAt;      /* per sequence number, monotonic µs */
    size_t nextToWrite;
    size_t nextToSee;       /* the worker's expectation */
    bool disorder;
} benchDomain;

static benchDomain *domains;
static size_t ndomains;
static size_t eventsPerDomain;
static gint64 *latencies;   /* µs, one per event seen */
static size_t nlatencies;
static GMutex latencyLock;
static size_t disordered;

static const char greeting[] =
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
    "\"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n";


/* The worker: notes when it started on the event, then runs the real handler. */
static void
benchEventHandler(void *data, void *opaque)
{
    qemuProcessEvent *event = data;
    gint64 now = g_get_monotonic_time();
    benchDomain *dom;
    size_t seq;
    size_t i;

    if (event->eventType == QEMU_PROCESS_EVENT_DEVICE_DELETED && event->data &&
        sscanf(event->data, "d%zu", &seq) == 1) {
        i = (size_t)event->vm->id - 1;
        dom = &domains[i];
        virMutexLock(&latencyLock);
        if (seq != dom->nextToSee)
            disordered++;
        dom->nextToSee = seq + 1;
        if (seq < eventsPerDomain && nlatencies < ndomains * eventsPerDomain)
            latencies[nlatencies++] = now - dom->writtenAt[seq];
        virMutexUnlock(&latencyLock);
    }
    qemuProcessEventHandler(data, opaque);
}


static bool
benchWriteLine(int fd, const char *line, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, line, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        line += n;
        len -= n;
    }
    return true;
}


/* Answers the one command of the handshake (qmp_capabilities) on @fd. */
static gpointer
benchFakeHandshake(gpointer opaque)
{
    benchDomain *dom = opaque;
    char buf[4096];
    size_t have = 0;
    char *nl;
    char *id;
    g_autofree char *reply = NULL;

    benchWriteLine(dom->fd, greeting, strlen(greeting));
    for (;;) {
        ssize_t n = read(dom->fd, buf + have, sizeof(buf) - 1 - have);

        if (n <= 0)
            return NULL;
        have += n;
        buf[have] = '\0';
        if ((nl = strchr(buf, '\n')))
            break;
    }
    if ((id = strstr(buf, "\"id\": \"")) || (id = strstr(buf, "\"id\":\""))) {
        char *end;

        id = strchr(id + 4, '"') + 1;
        end = strchr(id, '"');
        reply = g_strdup_printf("{\"return\": {}, \"id\": \"%.*s\"}\r\n", (int)(end - id), id);
        benchWriteLine(dom->fd, reply, strlen(reply));
    }
    return NULL;
}


typedef struct {
    double rate;            /* events per second per domain */
    gint64 cpuNs;           /* the fake's own CPU time */
} benchFake;


static gint64
benchThreadCpuNs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}


/* Writes every domain's events, evenly spread over time. */
static gpointer
benchFakeWriter(gpointer opaque)
{
    benchFake *fake = opaque;
    gint64 start = g_get_monotonic_time();
    gint64 cpuStart = benchThreadCpuNs();
    size_t total = ndomains * eventsPerDomain;
    double intervalUs = 1e6 / (fake->rate * ndomains);
    size_t k;

    for (k = 0; k < total; k++) {
        benchDomain *dom = &domains[k % ndomains];
        size_t seq = dom->nextToWrite++;
        gint64 due = start + (gint64)(k * intervalUs);
        gint64 now = g_get_monotonic_time();
        char line[256];
        int len;

        if (due > now)
            g_usleep(due - now);
        len = g_snprintf(line, sizeof(line),
                         "{\"timestamp\": {\"seconds\": %lld, \"microseconds\": %d}, "
                         "\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"d%zu\", "
                         "\"path\": \"/machine/peripheral/d%zu\"}}\r\n",
                         (long long)(g_get_real_time() / G_USEC_PER_SEC),
                         (int)(g_get_real_time() % G_USEC_PER_SEC), seq, seq);
        dom->writtenAt[seq] = g_get_monotonic_time();
        if (!benchWriteLine(dom->fd, line, len)) {
            fprintf(stderr, "qemueventscalebench: cannot write to domain %zu\n", k % ndomains);
            exit(EXIT_FAILURE);
        }
    }
    fake->cpuNs = benchThreadCpuNs() - cpuStart;
    return NULL;
}


static long
benchRssKiB(void)
{
    g_autofree char *status = NULL;
    char *p;

    if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL) ||
        !(p = strstr(status, "VmRSS:")))
        return -1;
    return strtol(p + 6, NULL, 10);
}


static size_t
benchThreadCount(void)
{
    g_autoptr(GDir) dir = g_dir_open("/proc/self/task", 0, NULL);
    size_t n = 0;

    while (dir && g_dir_read_name(dir))
        n++;
    return n;
}


static int
benchCompareLatency(const void *a, const void *b)
{
    gint64 x = *(const gint64 *)a;
    gint64 y = *(const gint64 *)b;

    return x < y ? -1 : x > y;
}


static double
benchCpuSeconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}


int
main(int argc, char **argv)
{
    qemuDriver driver = { 0 };
    benchFake fake = { 0 };
    g_autoptr(virEventThread) evt = NULL;
    GThread *writer;
    double seconds;
    long rssBefore;
    long rssAfter;
    size_t threadsBefore;
    size_t threadsDaemon;
    size_t total;
    size_t queued, ran, merged, refused;
    double cpuStart;
    double cpu;
    gint64 wallStart;
    gint64 wallEnd;
    struct rlimit nofile;
    size_t i;

    ndomains = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    fake.rate = argc > 2 ? strtod(argv[2], NULL) : 10;
    seconds = argc > 3 ? strtod(argv[3], NULL) : 10;
    if (ndomains == 0 || fake.rate <= 0 || seconds <= 0) {
        fprintf(stderr, "usage: %s [DOMAINS] [EVENTS_PER_SECOND_PER_DOMAIN] [SECONDS]\n",
                argv[0]);
        return EXIT_FAILURE;
    }
    eventsPerDomain = (size_t)(fake.rate * seconds);
    total = ndomains * eventsPerDomain;

    /* Two descriptors per domain. */
    getrlimit(RLIMIT_NOFILE, &nofile);
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
    virLogSetDefaultPriority(VIR_LOG_ERROR);

    threadsBefore = benchThreadCount();
    rssBefore = benchRssKiB();
    evt = virEventThreadNew("qemu-event");
    driver.eventThread = evt;
    driver.workers = virWorkQueueNew("qemu-worker", BENCH_WORKERS,
                                     QEMU_DRIVER_EVENTS_PER_DOMAIN_MAX, benchEventHandler,
                                     (GDestroyNotify)qemuProcessEventFree, &driver);
    domains = g_new0(benchDomain, ndomains);
    latencies = g_new0(gint64, total);

    for (i = 0; i < ndomains; i++) {
        benchDomain *dom = &domains[i];
        g_autofree char *xml = g_strdup_printf(
            "<domain type='qemu'><name>scale%zu</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>", i);
        virDomainDef *def = virDomainDefParseString(xml);
        int fds[2];
        GThread *handshake;
        qemuMonitor *mon;

        if (!def || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
            fprintf(stderr, "qemueventscalebench: set-up of domain %zu failed: %s\n", i,
                    def ? g_strerror(errno) : virErrorGetLastMessage());
            return EXIT_FAILURE;
        }
        dom->fd = fds[1];
        dom->writtenAt = g_new0(gint64, eventsPerDomain);
        dom->vm = virDomainObjNew(def);
        dom->vm->privateData = qemuDomainObjPrivateNew(&driver);
        dom->vm->privateDataFree = qemuDomainObjPrivateFree;
        dom->vm->runId = 1;
        dom->vm->id = i + 1;
        virDomainObjSetState(dom->vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);

        handshake = g_thread_new("fake-handshake", benchFakeHandshake, dom);
        mon = qemuMonitorOpenFD(dom->vm, fds[0], 10000, evt,
                                &monitorCallbacks, &driver);
        g_thread_join(handshake);
        if (!mon) {
            fprintf(stderr, "qemueventscalebench: monitor of domain %zu: %s\n", i,
                    virErrorGetLastMessage());
            return EXIT_FAILURE;
        }
        virObjectLock(dom->vm);
        qemuDomainObjGetPrivate(dom->vm)->mon = mon;
        virObjectUnlock(dom->vm);
    }
    rssAfter = benchRssKiB();
    threadsDaemon = benchThreadCount() - threadsBefore;

    cpuStart = benchCpuSeconds();
    wallStart = g_get_monotonic_time();
    writer = g_thread_new("fake-qemu", benchFakeWriter, &fake);
    g_thread_join(writer);
    /* Wait for the workers to see every event (or give up after 60 s). */
    for (i = 0; i < 60000; i++) {
        size_t seen;

        virMutexLock(&latencyLock);
        seen = nlatencies;
        virMutexUnlock(&latencyLock);
        if (seen >= total)
            break;
        g_usleep(1000);
    }
    wallEnd = g_get_monotonic_time();
    cpu = benchCpuSeconds() - cpuStart - fake.cpuNs / 1e9;
    virWorkQueueGetStats(driver.workers, &queued, &ran, &merged, &refused);

    qsort(latencies, nlatencies, sizeof(latencies[0]), benchCompareLatency);
    printf("domains:                    %zu, each with its own monitor socket\n", ndomains);
    printf("load:                       %.0f events/s per domain, %.0f events/s in all, %.0f s\n",
           fake.rate, fake.rate * ndomains, seconds);
    printf("events seen by workers:     %zu of %zu (lost %zu, out of order %zu, refused %zu)\n",
           nlatencies, total, total - nlatencies, disordered, refused);
    printf("throughput:                 %.0f events/s\n",
           nlatencies / ((wallEnd - wallStart) / 1e6));
    if (nlatencies > 0)
        printf("write -> worker start:      p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
               latencies[nlatencies / 2] / 1000.0,
               latencies[MIN(nlatencies - 1, nlatencies * 99 / 100)] / 1000.0,
               latencies[nlatencies - 1] / 1000.0);
    printf("CPU per event:              %.2f us (%.2f s for %zu events; the fake's own excluded)\n",
           nlatencies ? cpu * 1e6 / nlatencies : 0, cpu, nlatencies);
    printf("daemon threads:             %zu (1 event thread, %d workers, glib's own)\n",
           threadsDaemon, BENCH_WORKERS);
    printf("RSS:                        %ld KiB before, %ld KiB with the domains: %.1f KiB per domain\n",
           rssBefore, rssAfter, (double)(rssAfter - rssBefore) / ndomains);
    return nlatencies == total && disordered == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
