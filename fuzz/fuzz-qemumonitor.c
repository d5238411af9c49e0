/* fuzz-qemumonitor.c: libFuzzer target for the monitor's input path (bytes to callbacks). */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "domain_conf.h"
#include "fuzzutils.h"
#include "qemu_monitor.h"
#include "vireventthread.h"
#include "virdomainobj.h"
#include "virnetdevrxfilter.h"

/*
 * Input: what QEMU writes on the monitor after the handshake, once qvirt has sent
 * `query-rx-filter` (id "qvirt-2"): events, replies (matching or stray), garbage,
 * partial lines. A fake QEMU thread speaks the greeting and answers
 * qmp_capabilities, waits for the query, writes the input and hangs up. The monitor
 * runs as in qvirtd, on an event thread, for a domain with one NIC; callbacks check
 * the strings they are given. The query must end (reply, error or EOF) with an error
 * reported whenever it fails, and the monitor must close cleanly.
 */

#define FUZZ_GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, " \
    "\"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n"

static virEventThread *fuzzEventThread;
static virDomainObj *fuzzDomain;

typedef struct {
    int fd;
    const uint8_t *data;
    size_t size;
} fuzzFakeQemu;


/* Reads one line (the command qvirt sent); false on EOF or error. */
static bool
fuzzReadLine(int fd)
{
    char c;

    for (;;) {
        ssize_t got = read(fd, &c, 1);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        if (c == '\n')
            return true;
    }
}


static bool
fuzzWriteAll(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t done = send(fd, p, len, MSG_NOSIGNAL);

        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return false;
        p += done;
        len -= done;
    }
    return true;
}


static gpointer
fuzzFakeQemuRun(gpointer opaque)
{
    fuzzFakeQemu *fake = opaque;
    static const char capsReply[] = "{\"return\": {}, \"id\": \"qvirt-1\"}\r\n";
    char drain[4096];

    if (fuzzWriteAll(fake->fd, FUZZ_GREETING, strlen(FUZZ_GREETING)) &&
        fuzzReadLine(fake->fd) &&
        fuzzWriteAll(fake->fd, capsReply, strlen(capsReply)) &&
        fuzzReadLine(fake->fd))
        fuzzWriteAll(fake->fd, fake->data, fake->size);

    /* Hang up, then read until the monitor closes its end. */
    shutdown(fake->fd, SHUT_WR);
    while (read(fake->fd, drain, sizeof(drain)) > 0)
        ;
    return NULL;
}


/* Callbacks: touch every string so the sanitizers check it. */
static size_t fuzzSink;

static void
fuzzTouch(const char *str)
{
    if (str)
        fuzzSink += strlen(str);
}


static void
fuzzEof(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm, void *opaque G_GNUC_UNUSED)
{
    FUZZ_ASSERT(vm == fuzzDomain, "callback for our domain");
}


static void
fuzzError(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm, const char *message,
          void *opaque G_GNUC_UNUSED)
{
    FUZZ_ASSERT(vm == fuzzDomain, "callback for our domain");
    FUZZ_ASSERT(message && *message, "an error says what went wrong");
}


static void
fuzzEvent(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm G_GNUC_UNUSED,
          const char *event, long long seconds G_GNUC_UNUSED,
          unsigned int micros, const char *details, void *opaque G_GNUC_UNUSED)
{
    FUZZ_ASSERT(event != NULL, "an event has a name");
    FUZZ_ASSERT(micros < 1000000, "microseconds below a second");
    fuzzTouch(event);
    fuzzTouch(details);
}


static bool
fuzzEventWanted(void *opaque G_GNUC_UNUSED)
{
    return true;
}


static void
fuzzShutdown(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm G_GNUC_UNUSED, int guest,
             const char *reason, void *opaque G_GNUC_UNUSED)
{
    FUZZ_ASSERT(guest >= -1 && guest <= 1, "guest is unknown, false or true");
    fuzzTouch(reason);
}


static void
fuzzRTCChange(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm G_GNUC_UNUSED,
              long long offset G_GNUC_UNUSED, const char *qomPath,
              void *opaque G_GNUC_UNUSED)
{
    fuzzTouch(qomPath);
}


static void
fuzzNicRxFilterChanged(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm G_GNUC_UNUSED,
                       const char *devAlias, void *opaque G_GNUC_UNUSED)
{
    FUZZ_ASSERT(devAlias != NULL, "NIC_RX_FILTER_CHANGED names a NIC");
    fuzzTouch(devAlias);
}


static void
fuzzDeviceDeleted(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm G_GNUC_UNUSED,
                  const char *devAlias, void *opaque G_GNUC_UNUSED)
{
    fuzzTouch(devAlias);
}


static void
fuzzGuestPanic(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm G_GNUC_UNUSED,
               const char *action, const char *infoJSON, void *opaque G_GNUC_UNUSED)
{
    fuzzTouch(action);
    fuzzTouch(infoJSON);
}


static void
fuzzJobStatusChange(qemuMonitor *mon G_GNUC_UNUSED, virDomainObj *vm G_GNUC_UNUSED,
                    const char *jobname, const char *status, void *opaque G_GNUC_UNUSED)
{
    fuzzTouch(jobname);
    fuzzTouch(status);
}


static const qemuMonitorCallbacks fuzzCallbacks = {
    .eofNotify = fuzzEof,
    .errorNotify = fuzzError,
    .domainEvent = fuzzEvent,
    .domainEventWanted = fuzzEventWanted,
    .domainShutdown = fuzzShutdown,
    .domainRTCChange = fuzzRTCChange,
    .domainNicRxFilterChanged = fuzzNicRxFilterChanged,
    .domainDeviceDeleted = fuzzDeviceDeleted,
    .domainGuestPanic = fuzzGuestPanic,
    .domainJobStatusChange = fuzzJobStatusChange,
};


int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    g_autoptr(virDomainDef) def = NULL;

    fuzzInitLogging();
    def = virDomainDefParseString(
        "<domain type='qemu'><name>fuzz</name><memory>65536</memory>"
        "<os><type arch='x86_64'>hvm</type></os><devices>"
        "<interface type='ethernet' trustGuestRxFilters='yes'><model type='virtio'/>"
        "</interface></devices></domain>");
    if (!def)
        abort();
    fuzzDomain = virDomainObjNew(g_steal_pointer(&def));
    fuzzEventThread = virEventThreadNew("fuzz-monitor");
    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fds[2];
    fuzzFakeQemu fake = { .data = data, .size = size };
    g_autoptr(virNetDevRxFilter) filter = NULL;
    qemuMonitor *mon;
    GThread *thread;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
        abort();
    fake.fd = fds[1];
    thread = g_thread_new("fuzz-fake-qemu", fuzzFakeQemuRun, &fake);

    mon = qemuMonitorOpenFD(fuzzDomain, fds[0], 10000,
                            fuzzEventThread,
                            &fuzzCallbacks, NULL);
    FUZZ_ASSERT(mon != NULL, "the handshake with the fake QEMU works");

    if (qemuMonitorQueryRxFilter(mon, "net0", &filter) < 0) {
        FUZZ_ASSERT(filter == NULL, "no filter on failure");
        FUZZ_ASSERT_ERROR_REPORTED("qemuMonitorQueryRxFilter");
    } else {
        FUZZ_ASSERT(filter && filter->multicast.nTable <= VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX,
                    "a bounded filter on success");
    }

    qemuMonitorClose(mon);
    g_thread_join(thread);
    close(fds[1]);
    return 0;
}
