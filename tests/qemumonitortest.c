/* qemumonitortest.c: the monitor's I/O: framing, greeting, replies, EOF and errors. */
#include <config.h>

#include <string.h>

#include "qemu_monitor.h"
#include "qemumonitortestutils.h"
#include "testutils.h"

#define NIC_EVENT "{\"timestamp\": {\"seconds\": 1368697518, \"microseconds\": 326866}, " \
    "\"event\": \"NIC_RX_FILTER_CHANGED\", \"data\": {\"name\": \"net0\", " \
    "\"path\": \"/machine/peripheral/net0/virtio-backend\"}}"


typedef struct {
    qemuMonitorTest *test;
    qemuMonitorTestRecorder *rec;
    qemuMonitor *mon;
} testFixture;


static void
fixtureOpen(testFixture *fix)
{
    fix->rec = qemuMonitorTestRecorderNew(false);
    if (!fix->test)
        fix->test = qemuMonitorTestNew();
    fix->mon = qemuMonitorTestOpen(fix->test, qemuMonitorTestRecordingCallbacks(), fix->rec, 0);
    if (!fix->mon)
        g_error("Cannot open monitor: %s", virErrorGetLastMessage());
}


static void
fixtureClose(testFixture *fix)
{
    qemuMonitorTestFree(fix->test);
    qemuMonitorTestRecorderFree(fix->rec);
}


static void
sendSlowly(testFixture *fix, const char *data, size_t split)
{
    qemuMonitorTestSendRaw(fix->test, data, split);
    g_usleep(20 * G_TIME_SPAN_MILLISECOND);
    qemuMonitorTestSendRaw(fix->test, data + split, strlen(data) - split);
}


static void
assertRecorded(testFixture *fix, size_t n, const char *expected)
{
    g_autofree char *got = NULL;

    if (!qemuMonitorTestRecorderWait(fix->rec, n)) {
        got = qemuMonitorTestRecorderTake(fix->rec);
        g_error("Expected %zu callbacks, got: '%s'", n, got);
    }
    got = qemuMonitorTestRecorderTake(fix->rec);
    g_assert_cmpstr(got, ==, expected);
}


/* A line that arrives in pieces is processed once, when its end comes. */
static void
testPartialLine(void)
{
    testFixture fix = { 0 };

    fixtureOpen(&fix);
    sendSlowly(&fix, NIC_EVENT "\r\n", 40);
    sendSlowly(&fix, NIC_EVENT "\r\n", 1);
    assertRecorded(&fix, 2, "domainNicRxFilterChanged net0\ndomainNicRxFilterChanged net0\n");
    fixtureClose(&fix);
}


/* CR and LF in different reads; a bare LF also ends a line. */
static void
testCRLFSplit(void)
{
    testFixture fix = { 0 };

    fixtureOpen(&fix);
    sendSlowly(&fix, NIC_EVENT "\r\n", strlen(NIC_EVENT) + 1);
    qemuMonitorTestSendRaw(fix.test, NIC_EVENT "\n", strlen(NIC_EVENT) + 1);
    assertRecorded(&fix, 2, "domainNicRxFilterChanged net0\ndomainNicRxFilterChanged net0\n");
    fixtureClose(&fix);
}


/* Many lines in one write arrive in order, none lost. */
static void
testManyLinesOneRead(void)
{
    testFixture fix = { 0 };
    g_autoptr(GString) burst = g_string_new(NULL);
    g_autoptr(GString) expected = g_string_new(NULL);
    size_t i;

    fixtureOpen(&fix);
    for (i = 0; i < 500; i++) {
        g_string_append_printf(burst, "{\"event\": \"NIC_RX_FILTER_CHANGED\", \"data\": {\"name\": \"net%zu\", \"path\": \"/p\"}}\r\n", i);
        g_string_append_printf(expected, "domainNicRxFilterChanged net%zu\n", i);
    }
    qemuMonitorTestSendRaw(fix.test, burst->str, burst->len);
    assertRecorded(&fix, 500, expected->str);
    fixtureClose(&fix);
}


/* Events may come before the greeting; they are dispatched, and the handshake works. */
static void
testEventsBeforeGreeting(void)
{
    testFixture fix = { 0 };

    fix.test = qemuMonitorTestNew();
    qemuMonitorTestAddPreGreeting(fix.test, "{\"event\": \"STOP\"}");
    qemuMonitorTestAddPreGreeting(fix.test, NIC_EVENT);
    fixtureOpen(&fix);
    assertRecorded(&fix, 2, "domainStop\ndomainNicRxFilterChanged net0\n");
    fixtureClose(&fix);
}


/* Events between a command and its reply are dispatched before the command returns. */
static void
testEventsBeforeReply(void)
{
    testFixture fix = { 0 };
    const char *events[] = { "{\"event\": \"RESUME\"}", NIC_EVENT, NULL };
    g_autofree char *got = NULL;

    fixtureOpen(&fix);
    qemuMonitorTestAddItemEvents(fix.test, "cont", NULL, "{\"return\": {}}", events);
    virTestAssertOK(qemuMonitorStartCPUs(fix.mon));
    got = qemuMonitorTestRecorderTake(fix.rec);
    g_assert_cmpstr(got, ==, "domainResume\ndomainNicRxFilterChanged net0\n");
    fixtureClose(&fix);
}


static void
testNoGreeting(void)
{
    g_autoptr(qemuMonitorTest) test = qemuMonitorTestNew();
    qemuMonitor *mon;
    g_autofree char *failures = NULL;

    qemuMonitorTestSkipGreeting(test);
    mon = qemuMonitorTestOpen(test, NULL, NULL, 300);
    g_assert_null(mon);
    virTestAssertErrorContains("QEMU sent no monitor greeting within 300 ms");
    failures = qemuMonitorTestTakeFailures(test);
    g_assert_cmpstr(failures, ==, "");
}


/* QEMU closes the socket while a command waits: the command fails, eofNotify runs. */
static void
testEOFWhileWaiting(void)
{
    testFixture fix = { 0 };

    fixtureOpen(&fix);
    qemuMonitorTestAddItemClose(fix.test, "query-status");
    {
        bool running;
        qemuMonitorVMStatus status;
        g_assert_cmpint(qemuMonitorGetStatus(fix.mon, &running, &status), ==, -1);
    }
    virTestAssertErrorContains("Cannot run QEMU command 'query-status': QEMU closed the monitor connection.");
    assertRecorded(&fix, 1, "eofNotify\n");
    /* Later commands fail at once with the same cause. */
    g_assert_cmpint(qemuMonitorStartCPUs(fix.mon), ==, -1);
    virTestAssertErrorContains("QEMU closed the monitor connection");
    fixtureClose(&fix);
}


static void
testReplyTimeout(void)
{
    testFixture fix = { 0 };
    gint64 start;
    gint64 elapsed;

    fixtureOpen(&fix);
    qemuMonitorTestAddItemSilent(fix.test, "stop");
    qemuMonitorTestAddItem(fix.test, "cont", NULL, "{\"return\": {}}");
    qemuMonitorSetReplyTimeout(fix.mon, 200);
    start = g_get_monotonic_time();
    g_assert_cmpint(qemuMonitorStopCPUs(fix.mon), ==, -1);
    elapsed = g_get_monotonic_time() - start;
    virTestAssertErrorContains("QEMU did not reply to command 'stop' within 200 ms");
    g_assert_cmpint(elapsed, >=, 190 * G_TIME_SPAN_MILLISECOND);
    /* The monitor stays usable. */
    virTestAssertOK(qemuMonitorStartCPUs(fix.mon));
    fixtureClose(&fix);
}


/* A reply nobody waits for is logged and dropped; the connection goes on. */
static void
testUnexpectedReply(void)
{
    testFixture fix = { 0 };
    const char *stray = "{\"return\": {}, \"id\": \"qvirt-999\"}\r\n";
    g_autofree char *logged = NULL;

    fixtureOpen(&fix);
    virTestLogCaptureStart(VIR_LOG_WARN);
    qemuMonitorTestSendRaw(fix.test, stray, strlen(stray));
    qemuMonitorTestSendRaw(fix.test, NIC_EVENT "\r\n", strlen(NIC_EVENT) + 2);
    assertRecorded(&fix, 1, "domainNicRxFilterChanged net0\n");
    logged = virTestLogCaptureTake();
    virTestLogCaptureStop();
    g_assert_nonnull(strstr(logged, "Dropping a QEMU reply with id 'qvirt-999'"));

    qemuMonitorTestAddItem(fix.test, "cont", NULL, "{\"return\": {}}");
    virTestAssertOK(qemuMonitorStartCPUs(fix.mon));
    fixtureClose(&fix);
}


static void
testInvalidJSON(void)
{
    testFixture fix = { 0 };
    const char *bad = "{\"event\": \"STOP\"\r\n";
    g_autofree char *got = NULL;

    fixtureOpen(&fix);
    qemuMonitorTestSendRaw(fix.test, bad, strlen(bad));
    g_assert_true(qemuMonitorTestRecorderWait(fix.rec, 1));
    got = qemuMonitorTestRecorderTake(fix.rec);
    g_assert_true(g_str_has_prefix(got, "errorNotify "));
    g_assert_nonnull(strstr(got, "JSON"));
    g_assert_cmpint(qemuMonitorStartCPUs(fix.mon), ==, -1);
    virTestAssertErrorContains("the monitor failed");
    fixtureClose(&fix);
}


typedef struct {
    qemuMonitorTest *test;
    const char *data;
    size_t len;
} oversizedSender;

static gpointer
oversizedSend(gpointer opaque)
{
    oversizedSender *job = opaque;

    g_usleep(100 * G_TIME_SPAN_MILLISECOND);
    qemuMonitorTestSendRaw(job->test, job->data, job->len);
    return NULL;
}


/* A line over the bound ends the connection, even while a command waits. */
static void
testOversizedLine(void)
{
    testFixture fix = { 0 };
    size_t len = QEMU_MONITOR_MAX_LINE + 4096;
    g_autofree char *huge = g_malloc(len);
    g_autofree char *got = NULL;

    fixtureOpen(&fix);
    memset(huge, ' ', len);
    huge[0] = '"';
    qemuMonitorTestAddItemSilent(fix.test, "query-status");
    {
        oversizedSender job = { fix.test, huge, len };
        GThread *sender;
        bool running;
        qemuMonitorVMStatus status;

        /* The flood comes while this thread waits for its reply. */
        sender = g_thread_new("sender", oversizedSend, &job);
        g_assert_cmpint(qemuMonitorGetStatus(fix.mon, &running, &status), ==, -1);
        g_thread_join(sender);
    }
    virTestAssertErrorContains("without a line end");
    /* The waiter wakes before errorNotify runs; wait for the callback too. */
    g_assert_true(qemuMonitorTestRecorderWait(fix.rec, 1));
    got = qemuMonitorTestRecorderTake(fix.rec);
    g_assert_true(g_str_has_prefix(got, "errorNotify QEMU monitor sent more than 10485760 bytes without a line end."));
    fixtureClose(&fix);
}


/* The harness fails loudly: an unexpected command and an unused item are reported. */
static void
testHarnessStrict(void)
{
    testFixture fix = { 0 };
    g_autofree char *failures = NULL;
    bool running;
    qemuMonitorVMStatus status;

    fixtureOpen(&fix);
    g_assert_cmpint(qemuMonitorGetStatus(fix.mon, &running, &status), ==, -1);
    virTestAssertErrorContains("The fake QEMU did not expect 'query-status'");
    qemuMonitorTestAddItem(fix.test, "cont", "{\"x\": 1}", "{\"return\": {}}");
    virTestAssertOK(qemuMonitorStartCPUs(fix.mon));
    failures = qemuMonitorTestTakeFailures(fix.test);
    g_assert_nonnull(strstr(failures, "unexpected command 'query-status'"));
    g_assert_nonnull(strstr(failures, "command 'cont': expected arguments {\"x\": 1}"));
    fixtureClose(&fix);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);

    g_test_add_func("/qemumonitor/framing/partial-line", testPartialLine);
    g_test_add_func("/qemumonitor/framing/crlf-split", testCRLFSplit);
    g_test_add_func("/qemumonitor/framing/many-lines-one-read", testManyLinesOneRead);
    g_test_add_func("/qemumonitor/framing/oversized-line", testOversizedLine);
    g_test_add_func("/qemumonitor/framing/invalid-json", testInvalidJSON);
    g_test_add_func("/qemumonitor/greeting/events-before", testEventsBeforeGreeting);
    g_test_add_func("/qemumonitor/greeting/missing", testNoGreeting);
    g_test_add_func("/qemumonitor/command/events-before-reply", testEventsBeforeReply);
    g_test_add_func("/qemumonitor/command/eof-while-waiting", testEOFWhileWaiting);
    g_test_add_func("/qemumonitor/command/reply-timeout", testReplyTimeout);
    g_test_add_func("/qemumonitor/command/unexpected-reply", testUnexpectedReply);
    g_test_add_func("/qemumonitor/harness/strict", testHarnessStrict);
    return g_test_run();
}
