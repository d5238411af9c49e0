/* virnetdevfaulttest.c: rx filter sync when the host fails ioctls or the devices change under it. */
#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testnethost.h"
#include "testutils.h"
#include "virnetdev.h"
#include "virnetlink.h"

/*
 * This program defines ioctl() itself: the qvirt code linked into it calls this one,
 * which fails the request the test armed (on the device it names) with the errno it
 * chose, and passes everything else to the kernel. The process runs in a network
 * namespace of its own with a veth pair and a macvtap, as virnetdevtest does.
 */
#define VETH0 "qvft0"
#define VETH1 "qvft1"
#define MVTAP "qvftmvt0"
#define MVTAP_MAC "52:54:00:fa:00:01"
#define GROUP1 "01:00:5e:00:00:f1"
#define GROUP2 "01:00:5e:00:00:f2"

static struct {
    unsigned long request;
    int error;
    unsigned int calls;     /* how many calls it failed */
} testFault;


int
ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    void *arg;

    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);

    if (testFault.error && request == testFault.request &&
        strcmp(((struct ifreq *)arg)->ifr_name, MVTAP) == 0) {
        testFault.calls++;
        errno = testFault.error;
        return -1;
    }
    return syscall(SYS_ioctl, fd, request, arg);
}


static void
testFaultArm(unsigned long request, int error)
{
    testFault.request = request;
    testFault.error = error;
    testFault.calls = 0;
}


/* Disarms the fault; returns how many calls it failed. */
static unsigned int
testFaultDisarm(void)
{
    testFault.error = 0;
    return testFault.calls;
}


/* A guest filter with @mac, promiscuous @promisc and the NULL-terminated @groups. */
static virNetDevRxFilter *
testGuest(const char *mac, bool promisc, const char *const *groups)
{
    virNetDevRxFilter *guest = testHostGuestFilter(mac, VIR_NETDEV_RX_FILTER_MODE_NORMAL,
                                                   false, groups);

    guest->promiscuous = promisc;
    return guest;
}


static void
testDevicesCreate(void)
{
    virMacAddr mac = testHostParseMAC(MVTAP_MAC);

    virTestAssertOK(virNetlinkVethCreate(VETH0, VETH1));
    virTestAssertOK(virNetlinkLinkSetUp(VETH0, true));
    virTestAssertOK(virNetlinkLinkSetUp(VETH1, true));
    virTestAssertOK(virNetlinkMacvtapCreate(MVTAP, VETH0, VIR_NETLINK_MACVTAP_MODE_BRIDGE,
                                            &mac));
    virTestAssertOK(virNetlinkLinkSetUp(MVTAP, true));
}


static void
testDevicesDelete(void)
{
    if (virNetDevExists(MVTAP) == 1)
        virTestAssertOK(virNetlinkLinkDelete(MVTAP));
    virTestAssertOK(virNetlinkLinkDelete(VETH0));
}


/* The host's view, read with the fault disarmed. */
static void
testAssertHost(const char *mac, const char *globals, bool promisc)
{
    g_autofree char *seenMac = testHostMAC(MVTAP);
    g_autofree char *seenGlobals = testHostMcastList(MVTAP, true);

    g_assert_cmpstr(seenMac, ==, mac);
    g_assert_cmpstr(seenGlobals, ==, globals);
    g_assert_cmpint(!!(testHostFlags(MVTAP) & IFF_PROMISC), ==, promisc);
}


/* The warnings logged since the capture started must name @step of MVTAP and the
 * error text of @error. */
static void
testAssertWarned(const char *step, int error)
{
    g_autofree char *logs = virTestLogCaptureTake();
    g_autofree char *want = g_strdup_printf("Cannot sync the %s of host device '%s'",
                                            step, MVTAP);

    g_test_message("%s", logs);
    g_assert_nonnull(strstr(logs, want));
    g_assert_nonnull(strstr(logs, g_strerror(error)));
}


/* The kernel refuses a multicast entry (EOVERFLOW, a full filter): the entries it took
 * are remembered, the other steps apply, and the next sync adds the rest. */
static void
testAddMultiOverflow(void)
{
    const char *const groups[] = { GROUP1, GROUP2, NULL };
    virNetDevRxFilterHostState state = { 0 };
    g_autoptr(virNetDevRxFilter) guest = testGuest("52:54:00:fa:00:02", true, groups);

    testDevicesCreate();
    virTestLogCaptureStart(VIR_LOG_WARN);

    testFaultArm(SIOCADDMULTI, EOVERFLOW);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 1);
    g_assert_cmpuint(testFaultDisarm(), ==, 2);
    g_assert_null(virErrorGetLast());
    testAssertWarned("multicast list", EOVERFLOW);
    testAssertHost("52:54:00:fa:00:02", "", true);
    g_assert_cmpuint(state.nadded, ==, 0);

    /* The host recovers: the next sync adds both. */
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost("52:54:00:fa:00:02", GROUP1 "," GROUP2, true);
    g_assert_cmpuint(state.nadded, ==, 2);

    virTestLogCaptureStop();
    virNetDevRxFilterHostStateClear(&state);
    testDevicesDelete();
}


/* Setting the MAC is not permitted (EPERM): the MAC stays, the rest applies. */
static void
testSetMACDenied(void)
{
    const char *const groups[] = { GROUP1, NULL };
    virNetDevRxFilterHostState state = { 0 };
    g_autoptr(virNetDevRxFilter) guest = testGuest("52:54:00:fa:00:03", false, groups);

    testDevicesCreate();
    virTestLogCaptureStart(VIR_LOG_WARN);

    testFaultArm(SIOCSIFHWADDR, EPERM);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 1);
    g_assert_cmpuint(testFaultDisarm(), ==, 1);
    testAssertWarned("MAC address", EPERM);
    testAssertHost(MVTAP_MAC, GROUP1, false);

    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost("52:54:00:fa:00:03", GROUP1, false);

    virTestLogCaptureStop();
    virNetDevRxFilterHostStateClear(&state);
    testDevicesDelete();
}


/* Flags cannot be changed (EPERM): promiscuous and multicast mode fail, MAC and list
 * apply. */
static void
testSetFlagsDenied(void)
{
    const char *const groups[] = { GROUP1, NULL };
    virNetDevRxFilterHostState state = { 0 };
    g_autoptr(virNetDevRxFilter) guest = testGuest("52:54:00:fa:00:04", true, groups);

    testDevicesCreate();
    virTestLogCaptureStart(VIR_LOG_WARN);

    guest->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_ALL;
    testFaultArm(SIOCSIFFLAGS, EPERM);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 2);
    g_assert_cmpuint(testFaultDisarm(), >=, 2);
    testAssertWarned("promiscuous mode", EPERM);
    testAssertHost("52:54:00:fa:00:04", GROUP1, false);
    g_assert_false(testHostFlags(MVTAP) & IFF_ALLMULTI);

    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost("52:54:00:fa:00:04", GROUP1, true);
    g_assert_true(testHostFlags(MVTAP) & IFF_ALLMULTI);

    virTestLogCaptureStop();
    virNetDevRxFilterHostStateClear(&state);
    testDevicesDelete();
}


/* Deleting an entry fails (EPERM): qvirt keeps it as its own, so a later sync deletes
 * it; it never forgets an entry it added. */
static void
testDelMultiDenied(void)
{
    const char *const both[] = { GROUP1, GROUP2, NULL };
    const char *const one[] = { GROUP2, NULL };
    virNetDevRxFilterHostState state = { 0 };
    g_autoptr(virNetDevRxFilter) before = testGuest(MVTAP_MAC, false, both);
    g_autoptr(virNetDevRxFilter) after = testGuest(MVTAP_MAC, false, one);

    testDevicesCreate();
    virTestLogCaptureStart(VIR_LOG_WARN);

    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, before, &state), ==, 0);
    testAssertHost(MVTAP_MAC, GROUP1 "," GROUP2, false);

    testFaultArm(SIOCDELMULTI, EPERM);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, after, &state), ==, 1);
    g_assert_cmpuint(testFaultDisarm(), ==, 1);
    testAssertWarned("multicast list", EPERM);
    testAssertHost(MVTAP_MAC, GROUP1 "," GROUP2, false);
    g_assert_cmpuint(state.nadded, ==, 2);

    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, after, &state), ==, 0);
    testAssertHost(MVTAP_MAC, GROUP2, false);
    g_assert_cmpuint(state.nadded, ==, 1);

    virTestLogCaptureStop();
    virNetDevRxFilterHostStateClear(&state);
    testDevicesDelete();
}


/* The macvtap's source device goes down: the macvtap loses its carrier but is still
 * configured, so the sync works; and when the macvtap itself is deleted every step
 * fails without an error escaping, then a re-created one is synced from scratch. */
static void
testDevicesChangeUnderneath(void)
{
    const char *const groups[] = { GROUP1, NULL };
    virNetDevRxFilterHostState state = { 0 };
    g_autoptr(virNetDevRxFilter) guest = testGuest("52:54:00:fa:00:05", true, groups);
    virMacAddr mac = testHostParseMAC(MVTAP_MAC);

    testDevicesCreate();
    virTestLogCaptureStart(VIR_LOG_WARN);

    virTestAssertOK(virNetlinkLinkSetUp(VETH0, false));
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost("52:54:00:fa:00:05", GROUP1, true);
    virTestAssertOK(virNetlinkLinkSetUp(VETH0, true));

    /* Deleted: MAC, promiscuous and multicast mode fail (ENODEV); the list needs no
     * call, as the state says the one entry is there already. */
    virTestAssertOK(virNetlinkLinkDelete(MVTAP));
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 3);
    g_assert_null(virErrorGetLast());
    testAssertWarned("MAC address", ENODEV);

    /* A new device of the same name: what the state remembers of the old one must
     * not make qvirt skip the entries it never added to this one. */
    virNetDevRxFilterHostStateClear(&state);
    virTestAssertOK(virNetlinkMacvtapCreate(MVTAP, VETH0, VIR_NETLINK_MACVTAP_MODE_BRIDGE,
                                            &mac));
    virTestAssertOK(virNetlinkLinkSetUp(MVTAP, true));
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost("52:54:00:fa:00:05", GROUP1, true);

    virTestLogCaptureStop();
    virNetDevRxFilterHostStateClear(&state);
    testDevicesDelete();
}


int
main(int argc, char **argv)
{
    /* Before anything may start a thread: unshare only moves the calling thread. */
    if (testHostEnterNetns() < 0)
        return 1;

    virTestInit(&argc, &argv);
    virTestAssertOK(virNetlinkLinkSetUp("lo", true));

    g_test_add_func("/virnetdevfault/addmulti-overflow", testAddMultiOverflow);
    g_test_add_func("/virnetdevfault/set-mac-denied", testSetMACDenied);
    g_test_add_func("/virnetdevfault/set-flags-denied", testSetFlagsDenied);
    g_test_add_func("/virnetdevfault/delmulti-denied", testDelMultiDenied);
    g_test_add_func("/virnetdevfault/devices-change-underneath", testDevicesChangeUnderneath);

    return g_test_run();
}
