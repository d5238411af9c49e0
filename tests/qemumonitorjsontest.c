/* qemumonitorjsontest.c: event decoders, command builders and reply parsers. */
#include <config.h>

#include <string.h>

#include "qemu_monitor_json.h"
#include "qemumonitortestutils.h"
#include "testutils.h"
#include "virlog.h"

/* The events libvirt 9.0 understands, plus NETDEV_STREAM_DISCONNECTED. */
static const char *const requiredEvents[] = {
    "ACPI_DEVICE_OST", "BALLOON_CHANGE", "BLOCK_IO_ERROR", "BLOCK_WRITE_THRESHOLD",
    "DEVICE_DELETED", "DEVICE_TRAY_MOVED", "DEVICE_UNPLUG_GUEST_ERROR", "DUMP_COMPLETED",
    "GUEST_CRASHLOADED", "GUEST_PANICKED", "JOB_STATUS_CHANGE", "MEMORY_DEVICE_SIZE_CHANGE",
    "MEMORY_FAILURE", "MIGRATION", "MIGRATION_PASS", "NETDEV_STREAM_DISCONNECTED",
    "NIC_RX_FILTER_CHANGED", "PR_MANAGER_STATUS_CHANGED", "RDMA_GID_STATUS_CHANGED",
    "RESET", "RESUME", "RTC_CHANGE", "SHUTDOWN", "SPICE_CONNECTED", "SPICE_DISCONNECTED",
    "SPICE_INITIALIZED", "SPICE_MIGRATE_COMPLETED", "STOP", "SUSPEND", "SUSPEND_DISK",
    "VNC_CONNECTED", "VNC_DISCONNECTED", "VNC_INITIALIZED", "VSERPORT_CHANGE", "WAKEUP",
    "WATCHDOG",
};


static void
testEventTableSorted(void)
{
    size_t n = qemuMonitorJSONEventHandlerCount();
    size_t i;

    g_assert_cmpuint(n, >, 1);
    for (i = 1; i < n; i++) {
        const char *prev = qemuMonitorJSONEventHandlerName(i - 1);
        const char *cur = qemuMonitorJSONEventHandlerName(i);
        if (strcmp(prev, cur) >= 0)
            g_error("eventHandlers is not strictly sorted: '%s' comes before '%s'", prev, cur);
    }
}


static void
testEventTableComplete(void)
{
    size_t n = qemuMonitorJSONEventHandlerCount();
    size_t i;
    size_t j;

    for (i = 0; i < G_N_ELEMENTS(requiredEvents); i++) {
        for (j = 0; j < n; j++) {
            if (STREQ(requiredEvents[i], qemuMonitorJSONEventHandlerName(j)))
                break;
        }
        if (j == n)
            g_error("eventHandlers has no entry for %s", requiredEvents[i]);
    }
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(requiredEvents));
}


typedef struct {
    const char *event;
    const char *data;      /* NULL: no data member */
    const char *expected;  /* the recorded callback line; NULL: dropped */
    const char *warning;   /* a logged warning that must appear when dropped */
} eventCase;

static const eventCase eventCases[] = {
    { "NIC_RX_FILTER_CHANGED", "{\"name\": \"net0\", \"path\": \"/machine/peripheral/net0/virtio-backend\"}",
      "domainNicRxFilterChanged net0", NULL },
    { "NIC_RX_FILTER_CHANGED", "{\"path\": \"/machine/peripheral-anon/device[1]/virtio-backend\"}",
      NULL, "NIC_RX_FILTER_CHANGED: member 'name'" },
    { "NIC_RX_FILTER_CHANGED", "{\"name\": 42}", NULL, "member 'name'" },
    { "NIC_RX_FILTER_CHANGED", NULL, NULL, "member 'name'" },
    { "SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}",
      "domainShutdown guest=0 reason=host-qmp-quit", NULL },
    { "SHUTDOWN", NULL, "domainShutdown guest=-1 reason=<null>", NULL },
    { "RESET", "{\"guest\": true, \"reason\": \"guest-reset\"}", "domainReset", NULL },
    { "STOP", NULL, "domainStop", NULL },
    { "RESUME", NULL, "domainResume", NULL },
    { "RTC_CHANGE", "{\"offset\": -3600, \"qom-path\": \"/machine/unattached/device[7]\"}",
      "domainRTCChange -3600 /machine/unattached/device[7]", NULL },
    { "RTC_CHANGE", "{\"offset\": \"soon\"}", NULL, "member 'offset'" },
    { "WATCHDOG", "{\"action\": \"reset\"}", "domainWatchdog reset", NULL },
    { "WATCHDOG", "{}", NULL, "member 'action'" },
    { "BLOCK_IO_ERROR", "{\"device\": \"drive-virtio-disk0\", \"node-name\": \"libvirt-1-format\", \"operation\": \"write\", \"action\": \"stop\", \"nospace\": true, \"reason\": \"No space left on device\"}",
      "domainIOError device=drive-virtio-disk0 node=libvirt-1-format op=write action=stop nospace=1 reason=No space left on device", NULL },
    { "BLOCK_IO_ERROR", "{\"device\": \"\", \"operation\": \"read\", \"action\": \"report\", \"reason\": \"x\"}",
      "domainIOError device=<null> node=<null> op=read action=report nospace=0 reason=x", NULL },
    { "BLOCK_IO_ERROR", "{\"device\": \"d\", \"action\": \"stop\"}", NULL, "BLOCK_IO_ERROR" },
    { "VNC_CONNECTED", "{\"server\": {\"host\": \"127.0.0.1\", \"service\": \"5900\", \"family\": \"ipv4\", \"websocket\": false, \"auth\": \"none\"}, \"client\": {\"host\": \"127.0.0.1\", \"service\": \"41234\", \"family\": \"ipv4\", \"websocket\": false}}",
      "domainGraphics vnc phase=0 local=4/127.0.0.1/5900 remote=4/127.0.0.1/41234", NULL },
    { "VNC_INITIALIZED", "{\"server\": {\"host\": \"::1\", \"service\": \"5900\", \"family\": \"ipv6\", \"websocket\": false}, \"client\": {\"host\": \"::1\", \"service\": \"1\", \"family\": \"ipv6\", \"websocket\": false}}",
      "domainGraphics vnc phase=1 local=6/::1/5900 remote=6/::1/1", NULL },
    { "VNC_DISCONNECTED", "{\"server\": {\"host\": \"127.0.0.1\", \"service\": \"5900\", \"family\": \"ipv4\", \"websocket\": false}}",
      NULL, "member 'client'" },
    { "SPICE_CONNECTED", "{\"server\": {\"host\": \"127.0.0.1\", \"port\": \"5901\", \"family\": \"ipv4\"}, \"client\": {\"host\": \"127.0.0.1\", \"port\": \"3\", \"family\": \"ipv4\"}}",
      "domainGraphics spice phase=0 local=4/127.0.0.1/5901 remote=4/127.0.0.1/3", NULL },
    { "SPICE_INITIALIZED", "{\"server\": {\"host\": \"127.0.0.1\", \"port\": \"5901\", \"family\": \"ipv4\"}, \"client\": {\"host\": \"127.0.0.1\", \"port\": \"3\", \"family\": \"ipv4\"}}",
      "domainGraphics spice phase=1 local=4/127.0.0.1/5901 remote=4/127.0.0.1/3", NULL },
    { "SPICE_DISCONNECTED", "{\"server\": {\"host\": \"127.0.0.1\", \"port\": \"5901\", \"family\": \"ipv4\"}, \"client\": {\"host\": \"127.0.0.1\", \"port\": \"3\", \"family\": \"ipv4\"}}",
      "domainGraphics spice phase=2 local=4/127.0.0.1/5901 remote=4/127.0.0.1/3", NULL },
    { "SPICE_MIGRATE_COMPLETED", NULL, "domainSpiceMigrated", NULL },
    { "DEVICE_TRAY_MOVED", "{\"device\": \"drive-ide0-0-0\", \"id\": \"ide0-0-0\", \"tray-open\": true}",
      "domainTrayChange drive-ide0-0-0 ide0-0-0 open=1", NULL },
    { "DEVICE_TRAY_MOVED", "{\"device\": \"x\", \"id\": \"y\"}", NULL, "DEVICE_TRAY_MOVED" },
    { "WAKEUP", NULL, "domainPMWakeup", NULL },
    { "SUSPEND", NULL, "domainPMSuspend", NULL },
    { "SUSPEND_DISK", NULL, "domainPMSuspendDisk", NULL },
    { "BALLOON_CHANGE", "{\"actual\": 1073741824}", "domainBalloonChange 1048576", NULL },
    { "BALLOON_CHANGE", "{\"actual\": -5}", NULL, "member 'actual'" },
    { "GUEST_PANICKED", "{\"action\": \"pause\", \"info\": {\"type\": \"hyper-v\", \"arg1\": 1, \"arg2\": 2, \"arg3\": 3, \"arg4\": 4, \"arg5\": 5}}",
      "domainGuestPanic pause {\"type\":\"hyper-v\",\"arg1\":1,\"arg2\":2,\"arg3\":3,\"arg4\":4,\"arg5\":5}", NULL },
    { "GUEST_PANICKED", "{\"action\": \"poweroff\"}", "domainGuestPanic poweroff <null>", NULL },
    { "GUEST_PANICKED", "{}", NULL, "member 'action'" },
    { "GUEST_CRASHLOADED", "{\"action\": \"run\"}", "domainGuestCrashloaded", NULL },
    { "DEVICE_DELETED", "{\"device\": \"net1\", \"path\": \"/machine/peripheral/net1\"}",
      "domainDeviceDeleted net1", NULL },
    { "DEVICE_DELETED", "{\"path\": \"/machine/peripheral-anon/device[3]\"}", NULL, NULL },
    { "DEVICE_UNPLUG_GUEST_ERROR", "{\"device\": \"hostdev0\", \"path\": \"/machine/peripheral/hostdev0\"}",
      "domainDeviceUnplugError /machine/peripheral/hostdev0 hostdev0", NULL },
    { "DEVICE_UNPLUG_GUEST_ERROR", "{\"device\": \"hostdev0\"}", NULL, "member 'path'" },
    { "VSERPORT_CHANGE", "{\"id\": \"channel0\", \"open\": true}",
      "domainSerialChange channel0 connected=1", NULL },
    { "VSERPORT_CHANGE", "{\"id\": \"channel0\"}", NULL, "VSERPORT_CHANGE" },
    { "MIGRATION", "{\"status\": \"completed\"}", "domainMigrationStatus completed", NULL },
    { "MIGRATION", "{\"status\": 1}", NULL, "member 'status'" },
    { "MIGRATION_PASS", "{\"pass\": 3}", "domainMigrationPass 3", NULL },
    { "MIGRATION_PASS", "{\"pass\": 99999999999}", NULL, "member 'pass'" },
    { "ACPI_DEVICE_OST", "{\"info\": {\"device\": \"dimm1\", \"slot\": \"1\", \"slot-type\": \"DIMM\", \"source\": 3, \"status\": 0}}",
      "domainAcpiOstInfo dimm1 DIMM 1 3 0", NULL },
    { "ACPI_DEVICE_OST", "{\"info\": {\"slot\": \"1\", \"slot-type\": \"CPU\", \"source\": 1, \"status\": 0}}",
      "domainAcpiOstInfo <null> CPU 1 1 0", NULL },
    { "ACPI_DEVICE_OST", "{\"info\": {\"slot\": \"1\"}}", NULL, "member 'info'" },
    { "BLOCK_WRITE_THRESHOLD", "{\"node-name\": \"libvirt-1-format\", \"amount-exceeded\": 512, \"write-threshold\": 1048576}",
      "domainBlockThreshold libvirt-1-format 1048576 512", NULL },
    { "BLOCK_WRITE_THRESHOLD", "{\"node-name\": \"n\"}", NULL, "BLOCK_WRITE_THRESHOLD" },
    { "DUMP_COMPLETED", "{\"result\": {\"status\": \"completed\", \"completed\": 100, \"total\": 100}}",
      "domainDumpCompleted 0 100 100 <null>", NULL },
    { "DUMP_COMPLETED", "{\"result\": {\"status\": \"failed\", \"completed\": 5, \"total\": 100}, \"error\": \"disk full\"}",
      "domainDumpCompleted -1 100 5 disk full", NULL },
    { "DUMP_COMPLETED", "{\"error\": \"x\"}", NULL, "member 'result'" },
    { "PR_MANAGER_STATUS_CHANGED", "{\"id\": \"pr-helper0\", \"connected\": false}",
      "domainPRManagerStatusChanged pr-helper0 0", NULL },
    { "PR_MANAGER_STATUS_CHANGED", "{\"id\": \"pr-helper0\"}", NULL, "PR_MANAGER_STATUS_CHANGED" },
    { "RDMA_GID_STATUS_CHANGED", "{\"netdev\": \"bridge0\", \"gid-status\": true, \"subnet-prefix\": 33022, \"interface-id\": 15880512517475447892}",
      "domainRdmaGidStatusChanged bridge0 1 33022 15880512517475447892", NULL },
    { "RDMA_GID_STATUS_CHANGED", "{\"netdev\": \"bridge0\"}", NULL, "RDMA_GID_STATUS_CHANGED" },
    { "MEMORY_FAILURE", "{\"recipient\": \"guest\", \"action\": \"inject\", \"flags\": {\"action-required\": true, \"recursive\": false}}",
      "domainMemoryFailure guest inject 1 0", NULL },
    { "MEMORY_FAILURE", "{\"recipient\": \"guest\", \"action\": \"inject\"}", NULL, "MEMORY_FAILURE" },
    { "MEMORY_DEVICE_SIZE_CHANGE", "{\"id\": \"virtiomem0\", \"size\": 1073741824, \"qom-path\": \"/machine/peripheral/virtiomem0\"}",
      "domainMemoryDeviceSizeChange virtiomem0 1073741824", NULL },
    { "MEMORY_DEVICE_SIZE_CHANGE", "{\"size\": 1, \"qom-path\": \"/x\"}", NULL, "MEMORY_DEVICE_SIZE_CHANGE" },
    { "JOB_STATUS_CHANGE", "{\"id\": \"backup-vda\", \"status\": \"concluded\"}",
      "domainJobStatusChange backup-vda concluded", NULL },
    { "JOB_STATUS_CHANGE", "{\"status\": \"concluded\"}", NULL, "JOB_STATUS_CHANGE" },
    { "NETDEV_STREAM_DISCONNECTED", "{\"netdev-id\": \"hostnet0\"}",
      "domainNetdevStreamDisconnected hostnet0", NULL },
    { "NETDEV_STREAM_DISCONNECTED", "{}", NULL, "member 'netdev-id'" },
    /* Unknown events reach only the generic callback. */
    { "POWERDOWN", NULL, NULL, NULL },
    { "SOMETHING_NEW", "{\"x\": 1}", NULL, NULL },
    /* Data that is not an object is dropped before any decoder runs. */
    { "NIC_RX_FILTER_CHANGED", "[\"net0\"]", NULL, "data is not an object" },
};


/* Sends one event and a RESUME after it; the RESUME's callback proves the first
 * event was fully processed (one connection, in order). */
static void
testEventDecode(gconstpointer opaque)
{
    const eventCase *tc = opaque;
    g_autoptr(qemuMonitorTestRecorder) rec = qemuMonitorTestRecorderNew(false);
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    g_autofree char *got = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *logged = NULL;

    if (!qemuMonitorTestOpen(test, qemuMonitorTestRecordingCallbacks(), rec, 0))
        g_error("Cannot open monitor: %s", virErrorGetLastMessage());

    virTestLogCaptureStart(VIR_LOG_WARN);
    qemuMonitorTestSendEvent(test, tc->event, tc->data);
    qemuMonitorTestSendEvent(test, "RESUME", NULL);
    g_assert_true(qemuMonitorTestRecorderWait(rec, tc->expected ? 2 : 1));
    logged = virTestLogCaptureTake();
    virTestLogCaptureStop();

    got = qemuMonitorTestRecorderTake(rec);
    expected = g_strdup_printf("%s%sdomainResume\n", tc->expected ? tc->expected : "",
                               tc->expected ? "\n" : "");
    g_assert_cmpstr(got, ==, expected);
    if (tc->warning && !strstr(logged, tc->warning))
        g_error("Expected a warning containing '%s', log was: '%s'", tc->warning, logged);
    if (!tc->warning && tc->expected && *logged)
        g_error("Unexpected warning for a good %s event: '%s'", tc->event, logged);
}


/* Every event, known or not, reaches the generic callback with its data as JSON. */
static void
testEventGeneric(void)
{
    g_autoptr(qemuMonitorTestRecorder) rec = qemuMonitorTestRecorderNew(true);
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    g_autofree char *got = NULL;

    g_assert_nonnull(qemuMonitorTestOpen(test, qemuMonitorTestRecordingCallbacks(), rec, 0));
    qemuMonitorTestSendEvent(test, "NIC_RX_FILTER_CHANGED",
                             "{\"name\": \"net0\", \"path\": \"/machine/peripheral/net0/virtio-backend\"}");
    qemuMonitorTestSendEvent(test, "POWERDOWN", NULL);
    g_assert_true(qemuMonitorTestRecorderWait(rec, 3));
    got = qemuMonitorTestRecorderTake(rec);
    g_assert_cmpstr(got, ==,
                    "event NIC_RX_FILTER_CHANGED {\"name\":\"net0\",\"path\":\"/machine/peripheral/net0/virtio-backend\"}\n"
                    "domainNicRxFilterChanged net0\n"
                    "event POWERDOWN <null>\n");
}


static bool
testWantNoEvents(void *opaque)
{
    return false;
}


/* With nobody to tell (domainEventWanted false), the generic callback is skipped
 * and the event's own callback still runs. */
static void
testEventGenericUnwanted(void)
{
    g_autoptr(qemuMonitorTestRecorder) rec = qemuMonitorTestRecorderNew(true);
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    qemuMonitorCallbacks cb = *qemuMonitorTestRecordingCallbacks();
    g_autofree char *got = NULL;

    cb.domainEventWanted = testWantNoEvents;
    g_assert_nonnull(qemuMonitorTestOpen(test, &cb, rec, 0));
    qemuMonitorTestSendEvent(test, "NIC_RX_FILTER_CHANGED",
                             "{\"name\": \"net0\", \"path\": \"/machine/peripheral/net0/virtio-backend\"}");
    qemuMonitorTestSendEvent(test, "RESUME", NULL);
    g_assert_true(qemuMonitorTestRecorderWait(rec, 2));
    got = qemuMonitorTestRecorderTake(rec);
    g_assert_cmpstr(got, ==, "domainNicRxFilterChanged net0\ndomainResume\n");
}


/* The event lines recorded from QEMU 7.2 decode as QEMU meant them. */
static void
testEventsRecorded(void)
{
    g_autoptr(qemuMonitorTestRecorder) rec = qemuMonitorTestRecorderNew(false);
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    g_autofree char *text = virTestLoadFile("qemumonitorjsondata/qemu-7.2-events.txt");
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *got = NULL;
    size_t n = 0;
    size_t i;

    g_assert_nonnull(qemuMonitorTestOpen(test, qemuMonitorTestRecordingCallbacks(), rec, 0));
    for (i = 0; lines[i]; i++) {
        g_autofree char *line = NULL;
        if (!*lines[i])
            continue;
        line = g_strconcat(lines[i], "\r\n", NULL);
        qemuMonitorTestSendRaw(test, line, strlen(line));
        if (!strstr(lines[i], "POWERDOWN"))
            n++;
    }
    g_assert_true(qemuMonitorTestRecorderWait(rec, n));
    got = qemuMonitorTestRecorderTake(rec);
    g_assert_true(g_str_has_prefix(got, "domainResume\ndomainStop\ndomainResume\ndomainReset\n"));
    g_assert_true(g_str_has_suffix(got, "domainShutdown guest=0 reason=host-qmp-quit\n"));
}


/* ---- commands ---- */

static qemuMonitor *
testOpen(qemuMonitorTest *test)
{
    qemuMonitor *mon = qemuMonitorTestOpen(test, NULL, NULL, 0);

    if (!mon)
        g_error("Cannot open monitor: %s", virErrorGetLastMessage());
    return mon;
}


static void
testGetStatus(void)
{
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    qemuMonitor *mon = testOpen(test);
    qemuMonitorVMStatus status;
    bool running;

    qemuMonitorTestAddItemFile(test, "query-status", NULL, "qemu-7.2-query-status-prelaunch.json");
    qemuMonitorTestAddItemFile(test, "query-status", NULL, "qemu-7.2-query-status-running.json");
    qemuMonitorTestAddItem(test, "query-status", NULL,
                           "{\"return\": {\"running\": false, \"singlestep\": false, \"status\": \"dancing\"}}");
    qemuMonitorTestAddItem(test, "query-status", NULL, "{\"return\": {\"status\": \"running\"}}");
    qemuMonitorTestAddItem(test, "query-status", NULL, "{\"return\": [1]}");

    virTestAssertOK(qemuMonitorGetStatus(mon, &running, &status));
    g_assert_false(running);
    g_assert_cmpint(status, ==, QEMU_MONITOR_VM_STATUS_PRELAUNCH);
    virTestAssertOK(qemuMonitorGetStatus(mon, &running, &status));
    g_assert_true(running);
    g_assert_cmpint(status, ==, QEMU_MONITOR_VM_STATUS_RUNNING);

    g_assert_cmpint(qemuMonitorGetStatus(mon, &running, &status), ==, -1);
    virTestAssertErrorContains("unknown status 'dancing'");
    g_assert_cmpint(qemuMonitorGetStatus(mon, &running, &status), ==, -1);
    virTestAssertErrorContains("lacks 'running' or 'status'");
    g_assert_cmpint(qemuMonitorGetStatus(mon, &running, &status), ==, -1);
    virTestAssertErrorContains("returned a JSON array, expected object");
}


static void
testGetVersion(void)
{
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    qemuMonitor *mon = testOpen(test);
    g_autofree char *package = NULL;
    int major, minor, micro;

    qemuMonitorGetGreetingVersion(mon, &major, &minor, &micro);
    g_assert_cmpint(major, ==, 7);
    g_assert_cmpint(minor, ==, 2);

    qemuMonitorTestAddItemFile(test, "query-version", NULL, "qemu-7.2-query-version.json");
    qemuMonitorTestAddItem(test, "query-version", NULL, "{\"return\": {\"package\": \"x\"}}");
    virTestAssertOK(qemuMonitorGetVersion(mon, &major, &minor, &micro, &package));
    g_assert_cmpint(major, ==, 7);
    g_assert_cmpint(minor, ==, 2);
    g_assert_nonnull(package);
    g_assert_cmpint(qemuMonitorGetVersion(mon, &major, &minor, &micro, NULL), ==, -1);
    virTestAssertErrorContains("query-version reply lacks");
}


static void
testSimpleCommands(void)
{
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    qemuMonitor *mon = testOpen(test);

    qemuMonitorTestAddItemFile(test, "cont", NULL, "qemu-7.2-cont.json");
    qemuMonitorTestAddItemFile(test, "stop", NULL, "qemu-7.2-stop.json");
    qemuMonitorTestAddItemFile(test, "system_powerdown", NULL, "qemu-7.2-system-powerdown.json");
    qemuMonitorTestAddItemFile(test, "system_reset", NULL, "qemu-7.2-system-reset.json");
    qemuMonitorTestAddItemFile(test, "quit", NULL, "qemu-7.2-quit.json");
    qemuMonitorTestAddItem(test, "set_link", "{\"name\": \"net0\", \"up\": false}",
                           "{\"return\": {}}");
    qemuMonitorTestAddItem(test, "cont", NULL,
                           "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Resetting the Virtual Machine is required\"}}");
    qemuMonitorTestAddItem(test, "stop", NULL, "{\"id-only\": 1}");

    virTestAssertOK(qemuMonitorStartCPUs(mon));
    virTestAssertOK(qemuMonitorStopCPUs(mon));
    virTestAssertOK(qemuMonitorSystemPowerdown(mon));
    virTestAssertOK(qemuMonitorSystemReset(mon));
    virTestAssertOK(qemuMonitorQuit(mon));
    virTestAssertOK(qemuMonitorSetLink(mon, "net0", false));
    g_assert_cmpint(qemuMonitorStartCPUs(mon), ==, -1);
    virTestAssertErrorContains("QEMU command 'cont' failed: Resetting the Virtual Machine is required (GenericError)");
    /* A line with an id but neither return nor error is no reply: the command times
     * out instead of taking it. */
    qemuMonitorSetReplyTimeout(mon, 300);
    g_assert_cmpint(qemuMonitorStopCPUs(mon), ==, -1);
    virTestAssertErrorContains("QEMU did not reply to command 'stop' within 300 ms");
}


static void
testQueryRxFilterRecorded(void)
{
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    qemuMonitor *mon = testOpen(test);
    g_autoptr(virNetDevRxFilter) filter = NULL;

    qemuMonitorTestAddItemFile(test, "query-rx-filter", "{\"name\": \"net0\"}",
                               "qemu-7.2-query-rx-filter-net0-default.json");
    qemuMonitorTestAddItemFile(test, "query-rx-filter", "{\"name\": \"net1\"}",
                               "qemu-7.2-query-rx-filter-error-not-virtio.json");
    qemuMonitorTestAddItemFile(test, "query-rx-filter", "{\"name\": \"nosuch\"}",
                               "qemu-7.2-query-rx-filter-error-unknown.json");

    virTestAssertOK(qemuMonitorQueryRxFilter(mon, "net0", &filter));
    g_assert_cmpstr(filter->name, ==, "net0");
    g_assert_true(filter->promiscuous);
    g_assert_cmpint(filter->vlan.mode, ==, VIR_NETDEV_RX_FILTER_MODE_ALL);
    g_assert_cmpuint(filter->vlan.nTable, ==, 4096);
    g_assert_cmpuint(filter->multicast.nTable, ==, 0);
    {
        char mac[VIR_MAC_STRING_BUFLEN];
        g_assert_cmpstr(virMacAddrFormat(&filter->mac, mac), ==, "52:54:00:12:34:56");
    }

    g_assert_cmpint(qemuMonitorQueryRxFilter(mon, "net1", &filter), ==, -1);
    virTestAssertErrorContains("doesn't support rx-filter querying");
    g_assert_cmpint(qemuMonitorQueryRxFilter(mon, "nosuch", &filter), ==, -1);
    virTestAssertErrorContains("invalid net client name: nosuch");
}


#define RX_GOOD_MEMBERS \
    "\"name\": \"net0\", \"promiscuous\": false, \"multicast\": \"normal\", " \
    "\"unicast\": \"normal\", \"vlan\": \"normal\", \"broadcast-allowed\": false, " \
    "\"multicast-overflow\": false, \"unicast-overflow\": false, " \
    "\"main-mac\": \"52:54:00:12:34:56\", \"vlan-table\": [4, 0], \"unicast-table\": [], " \
    "\"multicast-table\": [\"01:00:5e:00:00:01\", \"33:33:00:00:00:01\", \"33:33:ff:12:34:56\"]"

static void
testParseRxFilterGood(void)
{
    g_autoptr(virJSONValue) ret = virJSONValueFromString("[{" RX_GOOD_MEMBERS "}]");
    g_autoptr(virNetDevRxFilter) filter = NULL;
    g_autofree char *text = NULL;

    g_assert_nonnull(ret);
    virTestAssertOK(qemuMonitorJSONParseRxFilterReply(ret, "net0", &filter));
    text = virNetDevRxFilterFormat(filter);
    g_assert_nonnull(strstr(text, "33:33:ff:12:34:56"));
    g_assert_cmpuint(filter->multicast.nTable, ==, 3);
    g_assert_cmpuint(filter->vlan.nTable, ==, 2);
    g_assert_cmpuint(filter->vlan.table[0], ==, 4);
    g_assert_false(filter->promiscuous);
    g_assert_cmpint(filter->multicast.mode, ==, VIR_NETDEV_RX_FILTER_MODE_NORMAL);
}


typedef struct {
    const char *replace;   /* member text to take out of the good reply */
    const char *with;      /* what to put instead ("" removes the member) */
    const char *error;     /* expected error text */
} rxFilterBadCase;

static const rxFilterBadCase rxFilterBadCases[] = {
    { "\"main-mac\": \"52:54:00:12:34:56\", ", "", "member 'main-mac' is missing" },
    { "\"main-mac\": \"52:54:00:12:34:56\"", "\"main-mac\": \"52:54:00:12:34\"", "member 'main-mac' is not a MAC address ('52:54:00:12:34')" },
    { "\"main-mac\": \"52:54:00:12:34:56\"", "\"main-mac\": 5", "member 'main-mac' is missing or not a string" },
    { "\"promiscuous\": false, ", "", "member 'promiscuous' is missing or not a boolean" },
    { "\"promiscuous\": false", "\"promiscuous\": \"no\"", "member 'promiscuous' is missing or not a boolean" },
    { "\"broadcast-allowed\": false, ", "", "member 'broadcast-allowed'" },
    { "\"multicast-overflow\": false, ", "", "member 'multicast-overflow'" },
    { "\"unicast-overflow\": false, ", "", "member 'unicast-overflow'" },
    { "\"multicast\": \"normal\"", "\"multicast\": \"some\"", "member 'multicast' has unknown mode 'some'" },
    { "\"unicast\": \"normal\"", "\"unicast\": 1", "member 'unicast' is missing or not a string" },
    { "\"vlan\": \"normal\", ", "", "member 'vlan' is missing" },
    { "\"vlan-table\": [4, 0]", "\"vlan-table\": [4096]", "member 'vlan-table' has entry 0 that is not a VLAN id in 0..4095" },
    { "\"vlan-table\": [4, 0]", "\"vlan-table\": [1, -1]", "member 'vlan-table' has entry 1 that is not a VLAN id" },
    { "\"vlan-table\": [4, 0]", "\"vlan-table\": [\"4\"]", "member 'vlan-table' has entry 0" },
    { "\"vlan-table\": [4, 0]", "\"vlan-table\": {}", "member 'vlan-table' is missing or not an array" },
    { "\"unicast-table\": []", "\"unicast-table\": [\"zz:00:00:00:00:00\"]", "member 'unicast-table' has entry 0 that is not a MAC address ('zz:00:00:00:00:00')" },
    { "\"unicast-table\": []", "\"unicast-table\": [7]", "member 'unicast-table' has entry 0 that is not a MAC address" },
    { "\"multicast-table\": [", "\"multicast-table\": [\"01:00:5e:00:00:01:02\", ", "member 'multicast-table' has entry 0 that is not a MAC address" },
    { "\"name\": \"net0\"", "\"name\": \"net9\"", "no entry for NIC 'net0'" },
};


static void
testParseRxFilterBad(gconstpointer opaque)
{
    const rxFilterBadCase *tc = opaque;
    g_autofree char *good = g_strdup("[{" RX_GOOD_MEMBERS "}]");
    g_autoptr(GString) bad = g_string_new(good);
    g_autoptr(virJSONValue) ret = NULL;
    g_autoptr(virNetDevRxFilter) filter = NULL;

    g_assert_cmpuint(g_string_replace(bad, tc->replace, tc->with, 1), ==, 1);
    if (!(ret = virJSONValueFromString(bad->str)))
        g_error("test case JSON does not parse: %s", bad->str);
    g_assert_cmpint(qemuMonitorJSONParseRxFilterReply(ret, "net0", &filter), ==, -1);
    g_assert_null(filter);
    virTestAssertErrorContains(tc->error);
}


/* A guest-controlled table longer than QEMU's own bound is refused, not trusted. */
static void
testParseRxFilterOversized(void)
{
    g_autoptr(GString) json = g_string_new("[{" RX_GOOD_MEMBERS "}]");
    g_autoptr(GString) table = g_string_new("\"multicast-table\": [");
    g_autoptr(GString) vlans = g_string_new("\"vlan-table\": [");
    g_autoptr(virJSONValue) ret = NULL;
    g_autoptr(virNetDevRxFilter) filter = NULL;
    size_t i;

    for (i = 0; i <= VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX; i++)
        g_string_append_printf(table, "%s\"01:00:5e:00:%02zx:%02zx\"", i ? ", " : "", i / 256, i % 256);
    g_string_append(table, "], \"unused\": [");
    g_string_replace(json, "\"multicast-table\": [", table->str, 1);
    ret = virJSONValueFromString(json->str);
    g_assert_nonnull(ret);
    g_assert_cmpint(qemuMonitorJSONParseRxFilterReply(ret, "net0", &filter), ==, -1);
    virTestAssertErrorContains("member 'multicast-table' has 65 entries, over the limit of 64");

    g_clear_pointer(&ret, virJSONValueFree);
    g_string_assign(json, "[{" RX_GOOD_MEMBERS "}]");
    for (i = 0; i <= VIR_NETDEV_RX_FILTER_VLAN_TABLE_MAX; i++)
        g_string_append_printf(vlans, "%s%zu", i ? ", " : "", i % 4096);
    g_string_append(vlans, "]");
    g_string_replace(json, "\"vlan-table\": [4, 0]", vlans->str, 1);
    ret = virJSONValueFromString(json->str);
    g_assert_nonnull(ret);
    g_assert_cmpint(qemuMonitorJSONParseRxFilterReply(ret, "net0", &filter), ==, -1);
    virTestAssertErrorContains("member 'vlan-table' has 4097 entries, over the limit of 4096");
}


static void
testArbitraryCommand(void)
{
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    qemuMonitor *mon = testOpen(test);
    g_autofree char *reply = NULL;
    g_autofree char *errReply = NULL;
    g_autofree char *pretty = NULL;

    qemuMonitorTestAddItemFile(test, "query-version", NULL, "qemu-7.2-query-version.json");
    qemuMonitorTestAddItemFile(test, "query-rx-filter", "{\"name\": \"nosuch\"}",
                               "qemu-7.2-query-rx-filter-error-unknown.json");
    qemuMonitorTestAddItem(test, "query-status", NULL,
                           "{\"return\": {\"running\": true, \"singlestep\": false, \"status\": \"running\"}}");

    virTestAssertOK(qemuMonitorArbitraryCommand(mon, "{\"execute\": \"query-version\", \"id\": \"mine\"}",
                                                &reply, false));
    g_assert_true(g_str_has_prefix(reply, "{\"return\":{\"qemu\":{\"micro\":"));
    g_assert_null(strstr(reply, "\"id\""));

    /* QEMU's error is the answer, not a failure of the call. */
    virTestAssertOK(qemuMonitorArbitraryCommand(mon, "{\"execute\": \"query-rx-filter\", \"arguments\": {\"name\": \"nosuch\"}}",
                                                &errReply, false));
    g_assert_cmpstr(errReply, ==, "{\"error\":{\"class\":\"GenericError\",\"desc\":\"invalid net client name: nosuch\"}}");

    virTestAssertOK(qemuMonitorArbitraryCommand(mon, "{\"execute\": \"query-status\"}", &pretty, true));
    g_assert_nonnull(strstr(pretty, "\n  \"return\": {\n"));

    g_assert_cmpint(qemuMonitorArbitraryCommand(mon, "{\"execute\": ", &reply, false), ==, -1);
    g_assert_cmpint(qemuMonitorArbitraryCommand(mon, "[\"query-status\"]", &reply, false), ==, -1);
    virTestAssertErrorContains("must be a JSON object with an 'execute' string");
}


static void
testMakeCommand(void)
{
    g_autoptr(virJSONValue) plain = qemuMonitorJSONMakeCommand("cont", NULL);
    g_autoptr(virJSONValue) args = qemuMonitorJSONMakeCommand("query-rx-filter",
                                                              "s:name", "net0", NULL);
    g_autoptr(virJSONValue) skipped = qemuMonitorJSONMakeCommand("human-monitor-command",
                                                                 "s:command-line", "info",
                                                                 "S:cpu-index", NULL, NULL);
    g_autofree char *t1 = virJSONValueToString(plain, false);
    g_autofree char *t2 = virJSONValueToString(args, false);
    g_autofree char *t3 = virJSONValueToString(skipped, false);

    g_assert_cmpstr(t1, ==, "{\"execute\":\"cont\"}");
    g_assert_cmpstr(t2, ==, "{\"execute\":\"query-rx-filter\",\"arguments\":{\"name\":\"net0\"}}");
    g_assert_cmpstr(t3, ==, "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info\"}}");
    g_assert_null(qemuMonitorJSONMakeCommand("cont", "x:bad", 1, NULL));
    virTestAssertErrorContains("Cannot build QEMU command 'cont': Invalid type prefix 'x' in key 'x:bad'");
}


/* The schema check is what keeps our commands honest: prove it rejects. */
static void
testSchemaCheck(void)
{
    g_autoptr(virJSONValue) good = virJSONValueFromString("{\"name\": \"net0\"}");
    g_autoptr(virJSONValue) unknownArg = virJSONValueFromString("{\"nic\": \"net0\"}");
    g_autoptr(virJSONValue) wrongType = virJSONValueFromString("{\"name\": 0}");
    g_autoptr(virJSONValue) hmpMissing = virJSONValueFromString("{\"cpu-index\": 0}");
    g_autofree char *e1 = qemuMonitorTestCheckSchema("query-rx-filter", good);
    g_autofree char *e2 = qemuMonitorTestCheckSchema("query-rx-filter", unknownArg);
    g_autofree char *e3 = qemuMonitorTestCheckSchema("query-rx-filter", wrongType);
    g_autofree char *e4 = qemuMonitorTestCheckSchema("human-monitor-command", hmpMissing);
    g_autofree char *e5 = qemuMonitorTestCheckSchema("no-such-command", NULL);
    g_autofree char *e6 = qemuMonitorTestCheckSchema("query-rx-filter", NULL);

    g_assert_null(e1);
    g_assert_nonnull(strstr(NULLSTR(e2), "unknown argument 'nic'"));
    g_assert_nonnull(strstr(NULLSTR(e3), "expected string"));
    g_assert_nonnull(strstr(NULLSTR(e4), "missing required argument 'command-line'"));
    g_assert_nonnull(strstr(NULLSTR(e5), "does not exist"));
    g_assert_null(e6);
}


int
main(int argc, char **argv)
{
    size_t i;

    virTestInit(&argc, &argv);

    g_test_add_func("/qemumonitorjson/eventHandlers/sorted", testEventTableSorted);
    g_test_add_func("/qemumonitorjson/eventHandlers/complete", testEventTableComplete);
    for (i = 0; i < G_N_ELEMENTS(eventCases); i++) {
        g_autofree char *path = g_strdup_printf("/qemumonitorjson/event/%s/%zu",
                                                eventCases[i].event, i);
        g_test_add_data_func(path, &eventCases[i], testEventDecode);
    }
    g_test_add_func("/qemumonitorjson/event/generic", testEventGeneric);
    g_test_add_func("/qemumonitorjson/event/generic-unwanted", testEventGenericUnwanted);
    g_test_add_func("/qemumonitorjson/event/recorded-qemu-7.2", testEventsRecorded);
    g_test_add_func("/qemumonitorjson/command/make", testMakeCommand);
    g_test_add_func("/qemumonitorjson/command/schema-check", testSchemaCheck);
    g_test_add_func("/qemumonitorjson/command/query-status", testGetStatus);
    g_test_add_func("/qemumonitorjson/command/query-version", testGetVersion);
    g_test_add_func("/qemumonitorjson/command/simple", testSimpleCommands);
    g_test_add_func("/qemumonitorjson/command/arbitrary", testArbitraryCommand);
    g_test_add_func("/qemumonitorjson/rx-filter/recorded", testQueryRxFilterRecorded);
    g_test_add_func("/qemumonitorjson/rx-filter/good", testParseRxFilterGood);
    g_test_add_func("/qemumonitorjson/rx-filter/oversized", testParseRxFilterOversized);
    for (i = 0; i < G_N_ELEMENTS(rxFilterBadCases); i++) {
        g_autofree char *path = g_strdup_printf("/qemumonitorjson/rx-filter/bad/%zu", i);
        g_test_add_data_func(path, &rxFilterBadCases[i], testParseRxFilterBad);
    }
    return g_test_run();
}
