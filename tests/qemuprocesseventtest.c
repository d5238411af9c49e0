/* qemuprocesseventtest.c: NIC_RX_FILTER_CHANGED from the socket to the host macvtap or bridge. */
#include <config.h>

#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include "qemu_process.h"
#include "qemumonitortestutils.h"
#include "testnethost.h"
#include "testutils.h"
#include "virlog.h"
#include "virnetdevtap.h"
#include "virnetlink.h"

/*
 * The whole path with the real monitor, callbacks, work queue and worker: the fake
 * QEMU sends NIC_RX_FILTER_CHANGED, monitorCallbacks queue it, the worker runs
 * query-rx-filter (scripted, so a query that should not happen fails the test) and
 * mirrors the reply onto a real macvtap in this process's own network namespace.
 * Host state is checked with the kernel's view (testnethost.c).
 */

#define VETH0 "qvpe0"
#define VETH1 "qvpe1"
#define MVTAP "qvpmvt0"
#define NIC_MAC "52:54:00:12:34:56"

#define DOMAIN_XML \
    "<domain type='qemu'>" \
    "  <name>evtest</name>" \
    "  <memory unit='MiB'>128</memory>" \
    "  <os><type arch='x86_64' machine='q35'>hvm</type></os>" \
    "  <devices>" \
    "    <interface type='direct' trustGuestRxFilters='%s'>" \
    "      <mac address='" NIC_MAC "'/>" \
    "      <source dev='" VETH0 "' mode='bridge'/>" \
    "      <target dev='" MVTAP "'/>" \
    "      <model type='virtio'/>" \
    "    </interface>" \
    "    <interface type='ethernet'>" \
    "      <mac address='52:54:00:00:00:02'/>" \
    "      <model type='e1000'/>" \
    "    </interface>" \
    "  </devices>" \
    "</domain>"

/* The bridge variant: NIC net0 is a tap on a bridge. */
#define BRIDGE "qvpbr0"
#define BRTAP "qvptap0"

#define BRIDGE_DOMAIN_XML \
    "<domain type='qemu'>" \
    "  <name>evtest</name>" \
    "  <memory unit='MiB'>128</memory>" \
    "  <os><type arch='x86_64' machine='q35'>hvm</type></os>" \
    "  <devices>" \
    "    <interface type='bridge' trustGuestRxFilters='yes'>" \
    "      <mac address='" NIC_MAC "'/>" \
    "      <source bridge='" BRIDGE "'/>" \
    "      <target dev='" BRTAP "'/>" \
    "      <model type='virtio'/>" \
    "    </interface>" \
    "  </devices>" \
    "</domain>"

typedef struct {
    qemuDriver driver;
    qemuMonitorTest *test;
    virDomainObj *vm;
    int tapfd;          /* bridge variant: the tap's fd; 0 (unused) otherwise */
    bool bridge;
} fixture;


/* Everything but the host devices: workers, the domain from @xml, the fake QEMU. */
static void
fixtureStart(fixture *fix, const char *xml)
{
    virDomainDef *def;
    qemuMonitor *mon;

    fix->driver.workers = virWorkQueueNew("test-worker", 2, QEMU_DRIVER_EVENTS_PER_DOMAIN_MAX,
                                          qemuProcessEventHandler,
                                          (GDestroyNotify)qemuProcessEventFree, &fix->driver);
    if (!(def = virDomainDefParseString(xml)))
        g_error("Cannot parse test domain: %s", virErrorGetLastMessage());
    fix->vm = virDomainObjNew(def);
    fix->vm->privateData = qemuDomainObjPrivateNew(&fix->driver);
    fix->vm->privateDataFree = qemuDomainObjPrivateFree;
    fix->vm->runId = 1;
    fix->vm->id = 1;
    virDomainObjSetState(fix->vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);

    fix->test = qemuMonitorTestNew();
    qemuMonitorTestSetDomain(fix->test, fix->vm);
    if (!(mon = qemuMonitorTestOpen(fix->test, &monitorCallbacks, &fix->driver, 0)))
        g_error("Cannot open monitor: %s", virErrorGetLastMessage());
    virObjectLock(fix->vm);
    qemuDomainObjGetPrivate(fix->vm)->mon = virObjectRef(mon);
    virObjectUnlock(fix->vm);
}


static void
fixtureSetUp(fixture *fix, const char *trust)
{
    g_autofree char *xml = g_strdup_printf(DOMAIN_XML, trust);
    virMacAddr mac;

    virTestAssertOK(virNetlinkVethCreate(VETH0, VETH1));
    virTestAssertOK(virNetlinkLinkSetUp(VETH0, true));
    virTestAssertOK(virNetlinkLinkSetUp(VETH1, true));
    g_assert_cmpint(virMacAddrParse(NIC_MAC, &mac), ==, 0);
    virTestAssertOK(virNetlinkMacvtapCreate(MVTAP, VETH0, VIR_NETLINK_MACVTAP_MODE_BRIDGE, &mac));
    virTestAssertOK(virNetlinkLinkSetUp(MVTAP, true));
    fixtureStart(fix, xml);
}


/* The bridge variant: tap BRTAP on bridge BRIDGE, port learning as @learning. */
static void
fixtureSetUpBridge(fixture *fix, bool learning)
{
    virTestAssertOK(virNetlinkBridgeCreate(BRIDGE));
    virTestAssertOK(virNetlinkLinkSetUp(BRIDGE, true));
    virTestAssertOK(virNetDevTapCreate(BRTAP, &fix->tapfd));
    virTestAssertOK(virNetlinkLinkSetMaster(BRTAP, BRIDGE));
    virTestAssertOK(virNetlinkLinkSetUp(BRTAP, true));
    virTestAssertOK(virNetlinkBridgePortSetLearning(BRTAP, learning));
    fix->bridge = true;
    fixtureStart(fix, BRIDGE_DOMAIN_XML);
}


static void
fixtureTearDown(fixture *fix)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(fix->vm);

    g_assert_true(virWorkQueueDrain(fix->driver.workers, 10000));
    virObjectLock(fix->vm);
    qemuMonitorClose(g_steal_pointer(&priv->mon));
    virObjectUnlock(fix->vm);
    qemuMonitorTestFree(fix->test);
    virWorkQueueFree(fix->driver.workers);
    virObjectUnref(fix->vm);
    if (fix->bridge) {
        close(fix->tapfd);
        virTestAssertOK(virNetlinkLinkDelete(BRIDGE));
        return;
    }
    virTestAssertOK(virNetlinkLinkDelete(MVTAP));
    virTestAssertOK(virNetlinkLinkDelete(VETH0));
}


/* A query-rx-filter reply for net0. */
static char *
rxReply(const char *mac, bool promisc, const char *mcMode, bool overflow,
        const char *mcTable, const char *vlanTable)
{
    return g_strdup_printf("{\"return\": [{\"name\": \"net0\", \"promiscuous\": %s, "
                           "\"multicast\": \"%s\", \"unicast\": \"normal\", "
                           "\"vlan\": \"normal\", \"broadcast-allowed\": false, "
                           "\"multicast-overflow\": %s, \"unicast-overflow\": false, "
                           "\"main-mac\": \"%s\", \"vlan-table\": [%s], "
                           "\"unicast-table\": [], \"multicast-table\": [%s]}]}",
                           promisc ? "true" : "false", mcMode, overflow ? "true" : "false",
                           mac, vlanTable, mcTable);
}


static void
sendRxEvent(fixture *fix, const char *alias)
{
    g_autofree char *data = g_strdup_printf("{\"name\": \"%s\", \"path\": \"/machine/peripheral/%s/virtio-backend\"}",
                                            alias, alias);

    qemuMonitorTestSendEvent(fix->test, "NIC_RX_FILTER_CHANGED", data);
}


/* Waits until the workers ran @n events, without waiting for the queue to empty. */
static void
waitRanOnly(fixture *fix, size_t n)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    size_t queued, ran, merged, refused;

    do {
        virWorkQueueGetStats(fix->driver.workers, &queued, &ran, &merged, &refused);
        if (ran >= n)
            break;
        g_usleep(2 * G_TIME_SPAN_MILLISECOND);
    } while (g_get_monotonic_time() < deadline);
    g_assert_cmpuint(ran, >=, n);
}


/* Waits until the workers ran @n events in all and nothing is left queued. */
static void
waitRan(fixture *fix, size_t n)
{
    waitRanOnly(fix, n);
    g_assert_true(virWorkQueueDrain(fix->driver.workers, 10000));
}


/* One event, one scripted query: then the host must show the reply. */
static void
syncOnce(fixture *fix, size_t n, const char *reply)
{
    qemuMonitorTestAddItem(fix->test, "query-rx-filter", "{\"name\": \"net0\"}", reply);
    sendRxEvent(fix, "net0");
    waitRan(fix, n);
}


static void
assertHost(const char *mac, const char *globals, bool promisc, bool allmulti)
{
    g_autofree char *gotMac = testHostMAC(MVTAP);
    g_autofree char *gotGlobals = testHostMcastList(MVTAP, true);
    unsigned int flags = testHostFlags(MVTAP);

    g_assert_cmpstr(gotMac, ==, mac);
    g_assert_cmpstr(gotGlobals, ==, globals);
    g_assert_cmpint(!!(flags & IFF_PROMISC), ==, promisc);
    g_assert_cmpint(!!(flags & IFF_ALLMULTI), ==, allmulti);
}


static void
testFilterChanges(void)
{
    fixture fix = { 0 };
    g_autofree char *r1 = rxReply("52:54:00:aa:bb:cc", false, "normal", false,
                                  "\"01:00:5e:00:00:fb\", \"33:33:00:00:00:fb\"", "");
    g_autofree char *r2 = rxReply("52:54:00:aa:bb:cc", true, "normal", false,
                                  "\"01:00:5e:00:00:fb\"", "");
    g_autofree char *r3 = rxReply("52:54:00:aa:bb:cc", false, "all", false, "", "");
    g_autofree char *r4 = rxReply("52:54:00:aa:bb:cc", false, "normal", true, "", "");
    g_autofree char *r5 = rxReply("52:54:00:aa:bb:cc", false, "normal", false, "", "5");
    g_autofree char *r6 = rxReply(NIC_MAC, false, "normal", false, "", "");
    g_autofree char *xml = NULL;

    fixtureSetUp(&fix, "yes");

    /* MAC change and two multicast groups. */
    syncOnce(&fix, 1, r1);
    assertHost("52:54:00:aa:bb:cc", "01:00:5e:00:00:fb,33:33:00:00:00:fb", false, false);
    virObjectLock(fix.vm);
    xml = virDomainDefFormat(fix.vm->def, VIR_DOMAIN_DEF_FORMAT_LIVE);
    virObjectUnlock(fix.vm);
    g_assert_nonnull(strstr(xml, "currentAddress='52:54:00:aa:bb:cc'"));

    /* A group leaves; promiscuous on. */
    syncOnce(&fix, 2, r2);
    assertHost("52:54:00:aa:bb:cc", "01:00:5e:00:00:fb", true, false);
    /* All multicast. */
    syncOnce(&fix, 3, r3);
    assertHost("52:54:00:aa:bb:cc", "", false, true);
    /* Overflow: QEMU reports an empty table, the host takes all multicast. */
    syncOnce(&fix, 4, r4);
    assertHost("52:54:00:aa:bb:cc", "", false, true);
    /* A guest VLAN forces promiscuous mode. */
    syncOnce(&fix, 5, r5);
    assertHost("52:54:00:aa:bb:cc", "", true, false);
    /* Back to the configured MAC: the live XML drops currentAddress. */
    syncOnce(&fix, 6, r6);
    assertHost(NIC_MAC, "", false, false);
    virObjectLock(fix.vm);
    g_free(xml);
    xml = virDomainDefFormat(fix.vm->def, VIR_DOMAIN_DEF_FORMAT_LIVE);
    virObjectUnlock(fix.vm);
    g_assert_null(strstr(xml, "currentAddress"));

    fixtureTearDown(&fix);
}


/* An untrusted NIC is never queried (the strict fake fails on any command). */
static void
testTrustOff(void)
{
    fixture fix = { 0 };

    fixtureSetUp(&fix, "no");
    sendRxEvent(&fix, "net0");
    waitRan(&fix, 1);
    assertHost(NIC_MAC, "", false, false);
    fixtureTearDown(&fix);
}


static void
testUnknownAndNonVirtio(void)
{
    fixture fix = { 0 };
    g_autofree char *logged = NULL;

    fixtureSetUp(&fix, "yes");
    virTestLogCaptureStart(VIR_LOG_WARN);
    sendRxEvent(&fix, "net9");
    sendRxEvent(&fix, "net1");
    waitRan(&fix, 2);
    logged = virTestLogCaptureTake();
    virTestLogCaptureStop();
    g_assert_nonnull(strstr(logged, "Domain 'evtest' has no NIC 'net9'"));
    g_assert_nonnull(strstr(logged, "NIC 'net1' of domain 'evtest' is not virtio"));
    fixtureTearDown(&fix);
}


/* While a job holds the domain, 100 events for one NIC merge into at most two
 * queries: one the worker took before the burst (if it got there first) and one
 * waiting. The final host state is the latest reply's. */
static void
testBurstMerged(void)
{
    fixture fix = { 0 };
    g_autofree char *r1 = rxReply("52:54:00:aa:bb:01", false, "normal", false, "", "");
    g_autofree char *r2 = rxReply("52:54:00:aa:bb:02", false, "normal", false,
                                  "\"01:00:5e:00:00:01\"", "");
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    size_t queued, ran, merged, refused;
    size_t i;

    fixtureSetUp(&fix, "yes");
    virObjectLock(fix.vm);
    virTestAssertOK(qemuDomainObjBeginJob(fix.vm, "test"));
    virObjectUnlock(fix.vm);

    for (i = 0; i < 100; i++)
        sendRxEvent(&fix, "net0");
    do {
        virWorkQueueGetStats(fix.driver.workers, &queued, &ran, &merged, &refused);
        g_usleep(2 * G_TIME_SPAN_MILLISECOND);
    } while (queued + merged < 100 && g_get_monotonic_time() < deadline);
    g_assert_cmpuint(queued + merged, ==, 100);
    g_assert_cmpuint(refused, ==, 0);
    g_assert_cmpuint(queued, >=, 1);
    g_assert_cmpuint(queued, <=, 2);
    g_test_message("100 events: %zu queries, %zu merged", queued, merged);

    if (queued == 2)
        qemuMonitorTestAddItem(fix.test, "query-rx-filter", "{\"name\": \"net0\"}", r1);
    qemuMonitorTestAddItem(fix.test, "query-rx-filter", "{\"name\": \"net0\"}", r2);
    virObjectLock(fix.vm);
    qemuDomainObjEndJob(fix.vm);
    virObjectUnlock(fix.vm);
    waitRan(&fix, queued);
    assertHost("52:54:00:aa:bb:02", "01:00:5e:00:00:01", false, false);
    g_assert_true(qemuMonitorTestWaitItemsUsed(fix.test));
    fixtureTearDown(&fix);
}


/* The domain stops and restarts while its event waits: the worker leaves it alone. */
static void
testDomainRestartedWhileQueued(void)
{
    fixture fix = { 0 };

    fixtureSetUp(&fix, "yes");
    virObjectLock(fix.vm);
    virTestAssertOK(qemuDomainObjBeginJob(fix.vm, "test"));
    virObjectUnlock(fix.vm);
    sendRxEvent(&fix, "net0");
    g_usleep(50 * G_TIME_SPAN_MILLISECOND);
    virObjectLock(fix.vm);
    fix.vm->runId++;
    qemuDomainObjEndJob(fix.vm);
    virObjectUnlock(fix.vm);
    waitRan(&fix, 1);
    assertHost(NIC_MAC, "", false, false);
    fixtureTearDown(&fix);
}


/* The kernel refuses a multicast MAC: that step is logged, the others still apply. */
static void
testHostStepFails(void)
{
    fixture fix = { 0 };
    g_autofree char *reply = rxReply("03:00:00:00:00:01", true, "normal", false,
                                     "\"01:00:5e:00:00:fb\"", "");
    g_autofree char *logged = NULL;

    fixtureSetUp(&fix, "yes");
    virTestLogCaptureStart(VIR_LOG_WARN);
    syncOnce(&fix, 1, reply);
    logged = virTestLogCaptureTake();
    virTestLogCaptureStop();
    g_assert_nonnull(strstr(logged, MVTAP));
    g_assert_nonnull(strstr(logged, "MAC"));
    assertHost(NIC_MAC, "01:00:5e:00:00:fb", true, false);
    virObjectLock(fix.vm);
    g_assert_cmpint(virDomainObjGetState(fix.vm, NULL), ==, VIR_DOMAIN_RUNNING);
    virObjectUnlock(fix.vm);
    fixtureTearDown(&fix);
}


static void
testQemuErrorReply(void)
{
    fixture fix = { 0 };
    g_autofree char *logged = NULL;

    fixtureSetUp(&fix, "yes");
    virTestLogCaptureStart(VIR_LOG_WARN);
    syncOnce(&fix, 1, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"invalid net client name: net0\"}}");
    logged = virTestLogCaptureTake();
    virTestLogCaptureStop();
    g_assert_nonnull(strstr(logged, "Cannot query the rx filter of NIC 'net0' of domain 'evtest'"));
    assertHost(NIC_MAC, "", false, false);
    fixtureTearDown(&fix);
}


/* QEMU goes away in the middle of the query: the domain ends up shut off (crashed). */
static void
testQemuClosesMidQuery(void)
{
    fixture fix = { 0 };
    int reason;

    fixtureSetUp(&fix, "yes");
    qemuMonitorTestAddItemClose(fix.test, "query-rx-filter");
    sendRxEvent(&fix, "net0");
    waitRan(&fix, 2);
    virObjectLock(fix.vm);
    g_assert_cmpint(virDomainObjGetState(fix.vm, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_null(qemuDomainObjGetPrivate(fix.vm)->mon);
    virObjectUnlock(fix.vm);
    fixtureTearDown(&fix);
}


/* A guest reset puts the NIC back to its defaults without an event: re-sync. */
static void
testResetResyncs(void)
{
    fixture fix = { 0 };
    g_autofree char *r1 = rxReply("52:54:00:aa:bb:cc", false, "normal", false,
                                  "\"01:00:5e:00:00:fb\"", "");
    g_autofree char *r2 = rxReply(NIC_MAC, true, "normal", false, "", "");

    fixtureSetUp(&fix, "yes");
    syncOnce(&fix, 1, r1);
    assertHost("52:54:00:aa:bb:cc", "01:00:5e:00:00:fb", false, false);
    qemuMonitorTestAddItem(fix.test, "query-rx-filter", "{\"name\": \"net0\"}", r2);
    qemuMonitorTestSendEvent(fix.test, "RESET", "{\"guest\": true, \"reason\": \"guest-reset\"}");
    waitRan(&fix, 2);
    assertHost(NIC_MAC, "", true, false);
    fixtureTearDown(&fix);
}


/* A tap on a bridge port that does not learn: the bridge gets a static forwarding
 * entry for the guest's current MAC, and only for that one. */
static void
testBridgePortFdb(void)
{
    fixture fix = { 0 };
    g_autofree char *r1 = rxReply("52:54:00:aa:bb:cc", false, "normal", false,
                                  "\"01:00:5e:00:00:fb\"", "");
    g_autofree char *r2 = rxReply("52:54:00:aa:bb:dd", true, "normal", false, "", "");
    g_autofree char *fdb = NULL;
    g_autofree char *xml = NULL;

    fixtureSetUpBridge(&fix, false);
    syncOnce(&fix, 1, r1);
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "52:54:00:aa:bb:cc");
    g_clear_pointer(&fdb, g_free);
    virObjectLock(fix.vm);
    xml = virDomainDefFormat(fix.vm->def, VIR_DOMAIN_DEF_FORMAT_LIVE);
    virObjectUnlock(fix.vm);
    g_assert_nonnull(strstr(xml, "currentAddress='52:54:00:aa:bb:cc'"));

    /* The MAC moves again: the entry moves with it. The tap itself is untouched. */
    syncOnce(&fix, 2, r2);
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "52:54:00:aa:bb:dd");
    g_assert_false(testHostFlags(BRTAP) & IFF_PROMISC);
    fixtureTearDown(&fix);
}


/* Two domains on one driver: while one domain's worker waits for its job, the
 * other domain's event is handled on another worker; then the first catches up. */
static void
testTwoDomainsParallel(void)
{
    fixture fix = { 0 };
    g_autofree char *xml2 = NULL;
    g_autofree char *rA = rxReply("52:54:00:aa:00:01", false, "normal", false, "", "");
    g_autofree char *rB = rxReply("52:54:00:bb:00:01", true, "normal", false, "", "");
    g_autoptr(qemuMonitorTest) test2 = NULL;
    g_autofree char *macB = NULL;
    g_autofree char *macA = NULL;
    virDomainObj *vm2;
    virMacAddr mac;
    qemuMonitor *mon2;

    fixtureSetUp(&fix, "yes");
    g_assert_cmpint(virMacAddrParse("52:54:00:12:34:57", &mac), ==, 0);
    virTestAssertOK(virNetlinkMacvtapCreate("qvpmvt1", VETH0, VIR_NETLINK_MACVTAP_MODE_BRIDGE, &mac));
    virTestAssertOK(virNetlinkLinkSetUp("qvpmvt1", true));

    xml2 = g_strdup_printf(DOMAIN_XML, "yes");
    {
        g_autoptr(GString) x = g_string_new(xml2);
        g_string_replace(x, "<name>evtest</name>", "<name>evtest2</name>", 1);
        g_string_replace(x, NIC_MAC, "52:54:00:12:34:57", 1);
        g_string_replace(x, "'" MVTAP "'", "'qvpmvt1'", 1);
        vm2 = virDomainObjNew(virDomainDefParseString(x->str));
    }
    vm2->privateData = qemuDomainObjPrivateNew(&fix.driver);
    vm2->privateDataFree = qemuDomainObjPrivateFree;
    vm2->runId = 1;
    vm2->id = 2;
    virDomainObjSetState(vm2, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    test2 = qemuMonitorTestNew();
    qemuMonitorTestSetDomain(test2, vm2);
    g_assert_nonnull((mon2 = qemuMonitorTestOpen(test2, &monitorCallbacks, &fix.driver, 0)));
    virObjectLock(vm2);
    qemuDomainObjGetPrivate(vm2)->mon = virObjectRef(mon2);
    virObjectUnlock(vm2);

    /* Domain A is busy with a job: its event must wait. */
    virObjectLock(fix.vm);
    virTestAssertOK(qemuDomainObjBeginJob(fix.vm, "test"));
    virObjectUnlock(fix.vm);
    qemuMonitorTestAddItem(fix.test, "query-rx-filter", "{\"name\": \"net0\"}", rA);
    qemuMonitorTestAddItem(test2, "query-rx-filter", "{\"name\": \"net0\"}", rB);
    sendRxEvent(&fix, "net0");
    qemuMonitorTestSendEvent(test2, "NIC_RX_FILTER_CHANGED",
                             "{\"name\": \"net0\", \"path\": \"/machine/peripheral/net0/virtio-backend\"}");

    /* Domain B's event completes on the other worker meanwhile. */
    g_assert_true(qemuMonitorTestWaitItemsUsed(test2));
    waitRanOnly(&fix, 1);
    macB = testHostMAC("qvpmvt1");
    g_assert_cmpstr(macB, ==, "52:54:00:bb:00:01");
    g_assert_true(testHostFlags("qvpmvt1") & IFF_PROMISC);
    macA = testHostMAC(MVTAP);
    g_assert_cmpstr(macA, ==, NIC_MAC);

    virObjectLock(fix.vm);
    qemuDomainObjEndJob(fix.vm);
    virObjectUnlock(fix.vm);
    waitRan(&fix, 2);
    assertHost("52:54:00:aa:00:01", "", false, false);

    virObjectLock(vm2);
    qemuMonitorClose(g_steal_pointer(&qemuDomainObjGetPrivate(vm2)->mon));
    virObjectUnlock(vm2);
    qemuMonitorTestFree(g_steal_pointer(&test2));
    fixtureTearDown(&fix);
    virObjectUnref(vm2);
    g_assert_cmpint(virNetDevExists("qvpmvt1"), ==, 0);
}


/* monitorCallbacks handles every event the monitor layer emits. */
static void
testCallbacksComplete(void)
{
    typedef void (*anyCallback)(void);
    const anyCallback *members = (const anyCallback *)(const void *)&monitorCallbacks;
    size_t n = sizeof(monitorCallbacks) / sizeof(anyCallback);
    size_t i;

    G_STATIC_ASSERT(sizeof(qemuMonitorCallbacks) % sizeof(anyCallback) == 0);
    for (i = 0; i < n; i++) {
        if (!members[i])
            g_error("monitorCallbacks member %zu (after offset %zu) is not set", i,
                    i * sizeof(anyCallback));
    }
}


/* Waits until @vm is in @state; returns its reason. */
static int
waitState(virDomainObj *vm, int state)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    int reason = -1;
    int cur;

    do {
        virObjectLock(vm);
        cur = virDomainObjGetState(vm, &reason);
        virObjectUnlock(vm);
        if (cur == state)
            break;
        g_usleep(2 * G_TIME_SPAN_MILLISECOND);
    } while (g_get_monotonic_time() < deadline);
    g_assert_cmpint(cur, ==, state);
    return reason;
}


/* A domain whose events pile up to the bound: the events past it are dropped with
 * one warning when dropping starts, not one per event, also while the queue stays
 * at the bound with an event in for each one out. (Counts follow every 10 s.) */
static void
testBoundWarnsOnce(void)
{
    fixture fix = { 0 };
    g_autofree char *logs = NULL;
    size_t i;

    fixtureSetUp(&fix, "no");
    virTestLogCaptureStart(VIR_LOG_WARN);
    /* The workers wait for the domain's lock, so the queue fills. */
    virObjectLock(fix.vm);
    for (i = 0; i < QEMU_DRIVER_EVENTS_PER_DOMAIN_MAX + 50; i++)
        qemuProcessQueueEvent(&fix.driver, fix.vm, QEMU_PROCESS_EVENT_DEVICE_DELETED,
                              g_strdup_printf("d%zu", i), 0);
    virObjectUnlock(fix.vm);
    /* At the bound, one in for each one out. */
    for (i = 0; i < 200; i++) {
        virObjectLock(fix.vm);
        qemuProcessQueueEvent(&fix.driver, fix.vm, QEMU_PROCESS_EVENT_SERIAL_CHANGED,
                              g_strdup_printf("s%zu", i), 1);
        virObjectUnlock(fix.vm);
    }
    g_assert_true(virWorkQueueDrain(fix.driver.workers, 10000));
    logs = virTestLogCaptureTake();
    virTestLogCaptureStop();
    g_test_message("%s", logs);
    g_assert_nonnull(strstr(logs, "Domain 'evtest' has 1024 events waiting, its bound: "
                            "dropping device-deleted; further drops are counted"));
    g_assert_null(strstr(strstr(logs, "its bound: dropping") + 1, "evtest"));
    fixtureTearDown(&fix);
}


/* Run-state events are handled inline on the event thread. */
static void
testRunStateEvents(void)
{
    fixture fix = { 0 };

    fixtureSetUp(&fix, "no");
    qemuMonitorTestSendEvent(fix.test, "STOP", NULL);
    g_assert_cmpint(waitState(fix.vm, VIR_DOMAIN_PAUSED), ==, VIR_DOMAIN_PAUSED_UNKNOWN);
    qemuMonitorTestSendEvent(fix.test, "RESUME", NULL);
    g_assert_cmpint(waitState(fix.vm, VIR_DOMAIN_RUNNING), ==, VIR_DOMAIN_RUNNING_UNPAUSED);
    qemuMonitorTestSendEvent(fix.test, "SUSPEND", NULL);
    g_assert_cmpint(waitState(fix.vm, VIR_DOMAIN_PMSUSPENDED), ==,
                    VIR_DOMAIN_PMSUSPENDED_UNKNOWN);
    /* RESUME applies only to a paused domain, not to a suspended guest. */
    qemuMonitorTestSendEvent(fix.test, "RESUME", NULL);
    qemuMonitorTestSendEvent(fix.test, "WAKEUP", NULL);
    g_assert_cmpint(waitState(fix.vm, VIR_DOMAIN_RUNNING), ==, VIR_DOMAIN_RUNNING_WAKEUP);
    qemuMonitorTestSendEvent(fix.test, "SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}");
    g_assert_cmpint(waitState(fix.vm, VIR_DOMAIN_SHUTDOWN), ==, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
    fixtureTearDown(&fix);
}


int
main(int argc, char **argv)
{
    if (testHostEnterNetns() < 0)
        return 1;
    virTestInit(&argc, &argv);
    virTestAssertOK(virNetlinkLinkSetUp("lo", true));

    g_test_add_func("/qemuprocessevent/callbacks-complete", testCallbacksComplete);
    g_test_add_func("/qemuprocessevent/filter-changes", testFilterChanges);
    g_test_add_func("/qemuprocessevent/run-state-events", testRunStateEvents);
    g_test_add_func("/qemuprocessevent/bound-warns-once", testBoundWarnsOnce);
    g_test_add_func("/qemuprocessevent/trust-off", testTrustOff);
    g_test_add_func("/qemuprocessevent/unknown-and-non-virtio", testUnknownAndNonVirtio);
    g_test_add_func("/qemuprocessevent/burst-merged", testBurstMerged);
    g_test_add_func("/qemuprocessevent/restarted-while-queued", testDomainRestartedWhileQueued);
    g_test_add_func("/qemuprocessevent/host-step-fails", testHostStepFails);
    g_test_add_func("/qemuprocessevent/qemu-error-reply", testQemuErrorReply);
    g_test_add_func("/qemuprocessevent/qemu-closes-mid-query", testQemuClosesMidQuery);
    g_test_add_func("/qemuprocessevent/reset-resyncs", testResetResyncs);
    g_test_add_func("/qemuprocessevent/bridge-port-fdb", testBridgePortFdb);
    g_test_add_func("/qemuprocessevent/two-domains-parallel", testTwoDomainsParallel);
    return g_test_run();
}
