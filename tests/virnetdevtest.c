/* virnetdevtest.c: host device tests for virnetdev, virnetlink and virnetdevtap in a private netns. */
#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testnethost.h"
#include "testutils.h"
#include "virnetdev.h"
#include "virnetdevtap.h"
#include "virnetlink.h"

/*
 * The whole process runs in a network namespace of its own (unshare in main(), before
 * any thread exists), so the devices below never reach the host and die with the
 * process. Each test still creates its devices and deletes them at its end.
 */
#define VETH0 "qvnt0"
#define VETH1 "qvnt1"
#define MVTAP "qvmvt0"
#define MISSING "qvmissing0"
#define MVTAP_MAC "52:54:00:aa:bb:01"


/*
 * Asserts every entry of the comma-joined list @before is still in @after. The kernel
 * may add memberships meanwhile (IPv6 joins the solicited-node group of the link-local
 * address once the carrier is up, asynchronously), but must never lose one.
 */
static void
testAssertSubset(const char *before, const char *after)
{
    g_auto(GStrv) items = g_strsplit(before, ",", -1);
    g_auto(GStrv) now = g_strsplit(after, ",", -1);
    size_t i;

    for (i = 0; items[i]; i++) {
        if (!*items[i])
            continue;
        g_test_message("checking kernel membership %s", items[i]);
        g_assert_true(g_strv_contains((const char *const *)now, items[i]));
    }
}


/* @table as a sorted comma-joined list, comparable with testHostMcastList(). */
static char *
testMacListString(const virMacAddr *table, size_t ntable)
{
    g_autoptr(GPtrArray) strs = g_ptr_array_new_with_free_func(g_free);
    size_t i;

    for (i = 0; i < ntable; i++) {
        char buf[VIR_MAC_STRING_BUFLEN];

        g_ptr_array_add(strs, g_strdup(virMacAddrFormat(&table[i], buf)));
    }
    g_ptr_array_sort(strs, testHostStrPtrCmp);
    g_ptr_array_add(strs, NULL);
    return g_strjoinv(",", (char **)strs->pdata);
}


/* ---- Devices ---- */

static void
testDevicesCreate(void)
{
    virMacAddr mac = testHostParseMAC(MVTAP_MAC);

    virTestAssertOK(virNetlinkVethCreate(VETH0, VETH1));
    virTestAssertOK(virNetlinkLinkSetUp(VETH0, true));
    virTestAssertOK(virNetlinkLinkSetUp(VETH1, true));
    virTestAssertOK(virNetlinkMacvtapCreate(MVTAP, VETH0, VIR_NETLINK_MACVTAP_MODE_BRIDGE,
                                            &mac));
    g_assert_false(testHostFlags(MVTAP) & IFF_UP);
    virTestAssertOK(virNetlinkLinkSetUp(MVTAP, true));
    g_assert_true(testHostFlags(MVTAP) & IFF_UP);
}


static void
testDevicesDelete(void)
{
    virTestAssertOK(virNetlinkLinkDelete(MVTAP));
    g_assert_cmpint(virNetDevExists(MVTAP), ==, 0);
    /* Deleting one end of a veth takes the peer too. */
    virTestAssertOK(virNetlinkLinkDelete(VETH0));
    g_assert_cmpint(virNetDevExists(VETH0), ==, 0);
    g_assert_cmpint(virNetDevExists(VETH1), ==, 0);
}


static void
testNetlink(void)
{
    virMacAddr mac = testHostParseMAC(MVTAP_MAC);
    int index = -1;

    testDevicesCreate();
    virTestAssertOK(virNetlinkLinkIndex(MVTAP, &index));
    g_assert_cmpint(index, ==, if_nametoindex(MVTAP));
    virTestAssertOK(virNetlinkLinkIndex("lo", &index));
    g_assert_cmpint(index, ==, 1);

    g_assert_cmpint(virNetlinkLinkIndex(MISSING, &index), ==, -1);
    virTestAssertErrorContains("Cannot look up link '" MISSING "'");
    virResetLastError();

    /* NLM_F_EXCL: an existing name is refused. */
    g_assert_cmpint(virNetlinkMacvtapCreate(MVTAP, VETH0, VIR_NETLINK_MACVTAP_MODE_BRIDGE,
                                            &mac), ==, -1);
    virTestAssertErrorContains("Cannot create macvtap device '" MVTAP "' on '" VETH0 "'");
    virResetLastError();
    g_assert_cmpint(virNetlinkMacvtapCreate("qvmvt1", MISSING, VIR_NETLINK_MACVTAP_MODE_VEPA,
                                            NULL), ==, -1);
    virTestAssertErrorContains(MISSING);
    virResetLastError();

    virTestAssertOK(virNetlinkLinkSetUp(MVTAP, false));
    g_assert_false(testHostFlags(MVTAP) & IFF_UP);

    g_assert_cmpint(virNetlinkLinkDelete(MISSING), ==, -1);
    virTestAssertErrorContains("Cannot delete link '" MISSING "'");
    virResetLastError();
    testDevicesDelete();
}


static void
testExists(void)
{
    g_assert_cmpint(virNetDevExists("lo"), ==, 1);
    g_assert_cmpint(virNetDevExists(MISSING), ==, 0);
    g_assert_cmpint(virNetDevExists("a-name-longer-than-ifnamsiz"), ==, 0);
    g_assert_null(virErrorGetLast());
}


static void
testMACGetSet(void)
{
    virMacAddr mac;
    virMacAddr want = testHostParseMAC("52:54:00:12:34:56");
    virMacAddr multicast = testHostParseMAC("01:00:5e:00:00:01");
    g_autofree char *seen = NULL;
    g_autofree char *unchanged = NULL;

    testDevicesCreate();
    virTestAssertOK(virNetDevGetMAC(MVTAP, &mac));
    g_assert_true(virMacAddrEqual(&mac, &(virMacAddr){ .addr = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01 } }));

    virTestAssertOK(virNetDevSetMAC(MVTAP, &want));
    seen = testHostMAC(MVTAP);
    g_assert_cmpstr(seen, ==, "52:54:00:12:34:56");
    virTestAssertOK(virNetDevGetMAC(MVTAP, &mac));
    g_assert_true(virMacAddrEqual(&mac, &want));

    /* The kernel refuses a multicast address (EADDRNOTAVAIL). */
    g_assert_cmpint(virNetDevSetMAC(MVTAP, &multicast), ==, -1);
    virTestAssertErrorContains("Cannot set MAC address of '" MVTAP "'");
    virTestAssertErrorContains(g_strerror(EADDRNOTAVAIL));
    virResetLastError();
    unchanged = testHostMAC(MVTAP);
    g_assert_cmpstr(unchanged, ==, "52:54:00:12:34:56");

    g_assert_cmpint(virNetDevGetMAC(MISSING, &mac), ==, -1);
    virTestAssertErrorContains("Cannot get MAC address of '" MISSING "'");
    virResetLastError();
    g_assert_cmpint(virNetDevSetMAC("a-name-longer-than-ifnamsiz", &want), ==, -1);
    virResetLastError();
    testDevicesDelete();
}


typedef struct {
    const char *name;
    unsigned int flag;
    int (*set)(const char *ifname, bool on);
    int (*get)(const char *ifname, bool *on);
} testFlagCase;

static const testFlagCase flagCases[] = {
    { "promisc", IFF_PROMISC, virNetDevSetPromiscuous, virNetDevGetPromiscuous },
    { "allmulti", IFF_ALLMULTI, virNetDevSetRcvAllMulti, virNetDevGetRcvAllMulti },
    { "multicast", IFF_MULTICAST, virNetDevSetRcvMulti, virNetDevGetRcvMulti },
};


static void
testFlagsSetClear(void)
{
    size_t i;

    testDevicesCreate();
    for (i = 0; i < G_N_ELEMENTS(flagCases); i++) {
        const testFlagCase *tc = &flagCases[i];
        unsigned int flags;
        bool on;
        int pass;

        g_test_message("flag %s", tc->name);
        /* Twice each way: the second call finds the flag already in place. */
        for (pass = 0; pass < 2; pass++) {
            virTestAssertOK(tc->set(MVTAP, true));
            g_assert_true(testHostFlags(MVTAP) & tc->flag);
            virTestAssertOK(tc->get(MVTAP, &on));
            g_assert_true(on);
            virTestAssertOK(virNetDevGetFlags(MVTAP, &flags));
            g_assert_cmpuint(flags, ==, testHostFlags(MVTAP));
        }
        for (pass = 0; pass < 2; pass++) {
            virTestAssertOK(tc->set(MVTAP, false));
            g_assert_false(testHostFlags(MVTAP) & tc->flag);
            virTestAssertOK(tc->get(MVTAP, &on));
            g_assert_false(on);
        }
        /* Other flags are left alone. */
        g_assert_true(testHostFlags(MVTAP) & IFF_UP);
    }

    g_assert_cmpint(virNetDevSetPromiscuous(MISSING, true), ==, -1);
    virTestAssertErrorContains("Cannot get interface flags of '" MISSING "'");
    virResetLastError();
    testDevicesDelete();
}


static void
testMulti(void)
{
    virMacAddr group = testHostParseMAC("01:00:5e:01:02:03");
    g_autofree char *kernelBefore = NULL;
    g_autofree char *str = NULL;
    g_autofree virMacAddr *table = NULL;
    size_t ntable = 0;

    testDevicesCreate();
    kernelBefore = testHostMcastList(MVTAP, false);
    g_test_message("kernel memberships of %s: %s", MVTAP, kernelBefore);
    /* An up device has the IPv4 all-hosts group at least. */
    g_assert_nonnull(strstr(kernelBefore, "01:00:5e:00:00:01"));
    str = testHostMcastList(MVTAP, true);
    g_assert_cmpstr(str, ==, "");
    g_clear_pointer(&str, g_free);

    virTestAssertOK(virNetDevAddMulti(MVTAP, &group));
    str = testHostMcastList(MVTAP, true);
    g_assert_cmpstr(str, ==, "01:00:5e:01:02:03");
    g_clear_pointer(&str, g_free);

    virTestAssertOK(virNetDevGetMulticastTable(MVTAP, &table, &ntable, true));
    str = testMacListString(table, ntable);
    g_assert_cmpstr(str, ==, "01:00:5e:01:02:03");
    g_clear_pointer(&str, g_free);
    g_clear_pointer(&table, g_free);

    virTestAssertOK(virNetDevGetMulticastTable(MVTAP, &table, &ntable, false));
    g_assert_cmpuint(ntable, >, 1);
    g_clear_pointer(&table, g_free);

    virTestAssertOK(virNetDevDelMulti(MVTAP, &group));
    str = testHostMcastList(MVTAP, true);
    g_assert_cmpstr(str, ==, "");
    g_clear_pointer(&str, g_free);

    /* A global reference on a kernel membership: deleting it leaves the membership. */
    group = testHostParseMAC("01:00:5e:00:00:01");
    virTestAssertOK(virNetDevAddMulti(MVTAP, &group));
    str = testHostMcastList(MVTAP, true);
    g_assert_cmpstr(str, ==, "01:00:5e:00:00:01");
    g_clear_pointer(&str, g_free);
    virTestAssertOK(virNetDevDelMulti(MVTAP, &group));
    str = testHostMcastList(MVTAP, false);
    testAssertSubset(kernelBefore, str);
    g_clear_pointer(&str, g_free);

    /* No global reference left to delete. */
    g_assert_cmpint(virNetDevDelMulti(MVTAP, &group), ==, -1);
    virTestAssertErrorContains("Cannot delete multicast address 01:00:5e:00:00:01 from '" MVTAP "'");
    virResetLastError();
    str = testHostMcastList(MVTAP, false);
    testAssertSubset(kernelBefore, str);
    g_clear_pointer(&str, g_free);

    g_assert_cmpint(virNetDevAddMulti(MISSING, &group), ==, -1);
    virTestAssertErrorContains("Cannot add multicast address 01:00:5e:00:00:01 to '" MISSING "'");
    virResetLastError();

    virTestAssertOK(virNetDevGetMulticastTable(MISSING, &table, &ntable, false));
    g_assert_cmpuint(ntable, ==, 0);
    g_assert_null(table);
    testDevicesDelete();
}


/* Asserts the host device mirrors a guest with these results. */
static void
testAssertHost(const char *mac, const char *globals, bool promisc, bool allmulti,
               bool multicast)
{
    g_autofree char *seenMac = testHostMAC(MVTAP);
    g_autofree char *seenGlobals = testHostMcastList(MVTAP, true);
    unsigned int flags = testHostFlags(MVTAP);

    g_assert_cmpstr(seenMac, ==, mac);
    g_assert_cmpstr(seenGlobals, ==, globals);
    g_assert_cmpint(!!(flags & IFF_PROMISC), ==, promisc);
    g_assert_cmpint(!!(flags & IFF_ALLMULTI), ==, allmulti);
    g_assert_cmpint(!!(flags & IFF_MULTICAST), ==, multicast);
}


static void
testSync(const void *opaque)
{
    bool useState = GPOINTER_TO_INT(opaque);
    virNetDevRxFilterHostState state = { 0 };
    virNetDevRxFilterHostState *st = useState ? &state : NULL;
    const char *const table1[] = { "33:33:00:00:00:fb", "01:00:5e:00:00:fb", NULL };
    const char *const table2[] = { "01:00:5e:7f:00:01", "33:33:00:00:00:fb",
                                   "33:33:00:00:00:01", NULL };
    g_autofree char *kernelBefore = NULL;
    g_autofree char *kernelAfter = NULL;
    g_autofree char *logs = NULL;
    g_autoptr(virNetDevRxFilter) guest = NULL;

    testDevicesCreate();
    kernelBefore = testHostMcastList(MVTAP, false);
    virTestLogCaptureStart(VIR_LOG_WARN);

    /* MAC change and multicast adds. */
    guest = testHostGuestFilter("52:54:00:00:00:02", VIR_NETDEV_RX_FILTER_MODE_NORMAL, false, table1);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:00:00:fb,33:33:00:00:00:fb", false, false, true);
    if (st) {
        g_autofree char *added = testMacListString(state.added, state.nadded);

        g_assert_true(state.known);
        g_assert_cmpstr(added, ==, "01:00:5e:00:00:fb,33:33:00:00:00:fb");
    }
    g_clear_pointer(&guest, virNetDevRxFilterFree);

    /* One removed, two added; one of them is a kernel membership already. */
    guest = testHostGuestFilter("52:54:00:00:00:02", VIR_NETDEV_RX_FILTER_MODE_NORMAL, false, table2);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:7f:00:01,33:33:00:00:00:01,33:33:00:00:00:fb",
                   false, false, true);

    /* Promiscuous mode follows the guest; any VLAN in its table forces it on. */
    guest->promiscuous = true;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:7f:00:01,33:33:00:00:00:01,33:33:00:00:00:fb",
                   true, false, true);
    guest->promiscuous = false;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:7f:00:01,33:33:00:00:00:01,33:33:00:00:00:fb",
                   false, false, true);
    guest->vlan.table = g_new0(unsigned int, 2);
    guest->vlan.table[0] = 4;
    guest->vlan.table[1] = 0;
    guest->vlan.nTable = 2;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:7f:00:01,33:33:00:00:00:01,33:33:00:00:00:fb",
                   true, false, true);
    g_clear_pointer(&guest->vlan.table, g_free);
    guest->vlan.nTable = 0;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:7f:00:01,33:33:00:00:00:01,33:33:00:00:00:fb",
                   false, false, true);

    /* Mode all: ALLMULTI. */
    guest->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_ALL;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:7f:00:01,33:33:00:00:00:01,33:33:00:00:00:fb",
                   false, true, true);
    g_clear_pointer(&guest, virNetDevRxFilterFree);

    /* Overflow: empty table, so every global entry goes, and ALLMULTI. */
    guest = testHostGuestFilter("52:54:00:00:00:02", VIR_NETDEV_RX_FILTER_MODE_NORMAL, true, NULL);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "", false, true, true);
    if (st)
        g_assert_cmpuint(state.nadded, ==, 0);
    g_clear_pointer(&guest, virNetDevRxFilterFree);

    /* The list fits again: entries back, ALLMULTI off. */
    guest = testHostGuestFilter("52:54:00:00:00:02", VIR_NETDEV_RX_FILTER_MODE_NORMAL, false, table1);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:00:00:fb,33:33:00:00:00:fb", false, false, true);

    /* Mode none: neither ALLMULTI nor MULTICAST. */
    guest->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_NONE;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:00:00:fb,33:33:00:00:00:fb", false, false, false);
    guest->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, st), ==, 0);
    testAssertHost("52:54:00:00:00:02", "01:00:5e:00:00:fb,33:33:00:00:00:fb", false, false, true);

    /* Nothing failed, nothing was logged; the kernel's memberships were never touched. */
    logs = virTestLogCaptureTake();
    g_assert_cmpstr(logs, ==, "");
    virTestLogCaptureStop();
    kernelAfter = testHostMcastList(MVTAP, false);
    testAssertSubset(kernelBefore, kernelAfter);
    if (st) {
        g_autofree char *added = testMacListString(state.added, state.nadded);
        g_autofree char *globals = testHostMcastList(MVTAP, true);

        g_assert_cmpstr(added, ==, globals);
    }

    virNetDevRxFilterHostStateClear(&state);
    g_assert_false(state.known);
    g_assert_null(state.added);
    virNetDevRxFilterHostStateClear(NULL);
    testDevicesDelete();
}


/* With the state known, the sync trusts it instead of /proc; cleared, it reads /proc. */
static void
testSyncStateCache(void)
{
    virNetDevRxFilterHostState state = { 0 };
    const char *const table[] = { "01:00:5e:00:00:fb", NULL };
    virMacAddr foreign = testHostParseMAC("01:00:5e:00:00:fc");
    g_autoptr(virNetDevRxFilter) guest = NULL;

    testDevicesCreate();
    /* An entry on the host before the first sync is seen and removed. */
    virTestAssertOK(virNetDevAddMulti(MVTAP, &foreign));
    guest = testHostGuestFilter(MVTAP_MAC, VIR_NETDEV_RX_FILTER_MODE_NORMAL, false, table);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost(MVTAP_MAC, "01:00:5e:00:00:fb", false, false, true);
    g_assert_true(state.known);
    g_assert_cmpuint(state.nadded, ==, 1);

    /* One added behind the cache's back is not seen while the cache is known... */
    virTestAssertOK(virNetDevAddMulti(MVTAP, &foreign));
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost(MVTAP_MAC, "01:00:5e:00:00:fb,01:00:5e:00:00:fc", false, false, true);

    /* ...and is once the cache is cleared (the /proc path). */
    virNetDevRxFilterHostStateClear(&state);
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
    testAssertHost(MVTAP_MAC, "01:00:5e:00:00:fb", false, false, true);
    g_assert_cmpuint(state.nadded, ==, 1);

    virNetDevRxFilterHostStateClear(&state);
    testDevicesDelete();
}


static void
testSyncFailures(void)
{
    const char *const table[] = { "01:00:5e:00:00:fb", NULL };
    const char *const steps[] = { "MAC address", "multicast list", "promiscuous mode",
                                  "multicast mode" };
    virNetDevRxFilterHostState state = { 0 };
    g_autoptr(virNetDevRxFilter) guest = NULL;
    g_autofree char *logs = NULL;
    size_t i;

    testDevicesCreate();
    virTestLogCaptureStart(VIR_LOG_WARN);

    /* A missing device: every step fails, each is logged, nothing is left behind. */
    guest = testHostGuestFilter(MVTAP_MAC, VIR_NETDEV_RX_FILTER_MODE_NORMAL, false, table);
    g_assert_cmpint(virNetDevRxFilterSync(MISSING, guest, &state), ==, 4);
    g_assert_null(virErrorGetLast());
    logs = virTestLogCaptureTake();
    g_test_message("%s", logs);
    for (i = 0; i < G_N_ELEMENTS(steps); i++) {
        g_autofree char *want = g_strdup_printf("Cannot sync the %s of host device '%s'",
                                                steps[i], MISSING);

        g_assert_nonnull(strstr(logs, want));
    }
    g_assert_true(state.known);
    g_assert_cmpuint(state.nadded, ==, 0);
    g_clear_pointer(&logs, g_free);
    virNetDevRxFilterHostStateClear(&state);
    g_clear_pointer(&guest, virNetDevRxFilterFree);

    /* A multicast guest MAC: the kernel refuses it; the other steps still apply. */
    guest = testHostGuestFilter("01:00:5e:00:00:01", VIR_NETDEV_RX_FILTER_MODE_ALL, false, table);
    guest->promiscuous = true;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 1);
    g_assert_null(virErrorGetLast());
    testAssertHost(MVTAP_MAC, "01:00:5e:00:00:fb", true, true, true);
    logs = virTestLogCaptureTake();
    g_test_message("%s", logs);
    g_assert_nonnull(strstr(logs, "util.netdev: Cannot sync the MAC address of host device '"
                            MVTAP "'"));
    g_assert_nonnull(strstr(logs, "Cannot set MAC address of '" MVTAP "'"));
    g_assert_null(strstr(logs, "multicast list"));
    g_clear_pointer(&logs, g_free);
    g_clear_pointer(&guest, virNetDevRxFilterFree);

    /* A unicast entry in the guest's multicast table is skipped with a warning. */
    {
        const char *const bad[] = { "52:54:00:00:00:09", "01:00:5e:00:00:fb", NULL };

        guest = testHostGuestFilter(MVTAP_MAC, VIR_NETDEV_RX_FILTER_MODE_NORMAL, false, bad);
        g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 0);
        testAssertHost(MVTAP_MAC, "01:00:5e:00:00:fb", false, false, true);
        logs = virTestLogCaptureTake();
        g_assert_nonnull(strstr(logs, "non-multicast address 52:54:00:00:00:09"));
        g_clear_pointer(&logs, g_free);
    }

    /* An out-of-range multicast mode fails only that step. */
    guest->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_LAST;
    g_assert_cmpint(virNetDevRxFilterSync(MVTAP, guest, &state), ==, 1);
    logs = virTestLogCaptureTake();
    g_assert_nonnull(strstr(logs, "Cannot sync the multicast mode of host device '" MVTAP "'"));

    virTestLogCaptureStop();
    virNetDevRxFilterHostStateClear(&state);
    testDevicesDelete();
}


static void
testTap(void)
{
    int fd = -1;
    int fd2 = -1;
    unsigned int flags;

    virTestAssertOK(virNetDevTapCreate("qvtap0", &fd));
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(virNetDevExists("qvtap0"), ==, 1);
    virTestAssertOK(virNetDevGetFlags("qvtap0", &flags));
    g_assert_false(flags & IFF_UP);

    /* The name is taken while the first fd holds it. */
    g_assert_cmpint(virNetDevTapCreate("qvtap0", &fd2), ==, -1);
    virTestAssertErrorContains("Cannot create tap device 'qvtap0'");
    virResetLastError();
    g_assert_cmpint(fd2, ==, -1);

    /* Not persistent: it goes with its fd. */
    close(fd);
    g_assert_cmpint(virNetDevExists("qvtap0"), ==, 0);
}


#define BRIDGE "qvbr0"
#define BRTAP "qvbtap0"

/* A bridge with a tap as its port; returns the tap's fd (close it to delete the tap). */
static int
testBridgeCreate(void)
{
    int fd = -1;

    virTestAssertOK(virNetlinkBridgeCreate(BRIDGE));
    virTestAssertOK(virNetlinkLinkSetUp(BRIDGE, true));
    virTestAssertOK(virNetDevTapCreate(BRTAP, &fd));
    virTestAssertOK(virNetlinkLinkSetMaster(BRTAP, BRIDGE));
    virTestAssertOK(virNetlinkLinkSetUp(BRTAP, true));
    return fd;
}


static void
testBridgeDelete(int fd)
{
    close(fd);
    g_assert_cmpint(virNetDevExists(BRTAP), ==, 0);
    virTestAssertOK(virNetlinkLinkDelete(BRIDGE));
    g_assert_cmpint(virNetDevExists(BRIDGE), ==, 0);
}


static void
testBridgeNetlink(void)
{
    int fd = testBridgeCreate();
    virMacAddr mac = testHostParseMAC("52:54:00:00:0b:01");
    bool learning = false;
    g_autofree char *fdb = NULL;

    /* A new port learns. */
    virTestAssertOK(virNetlinkBridgePortGetLearning(BRTAP, &learning));
    g_assert_true(learning);
    virTestAssertOK(virNetlinkBridgePortSetLearning(BRTAP, false));
    virTestAssertOK(virNetlinkBridgePortGetLearning(BRTAP, &learning));
    g_assert_false(learning);
    virTestAssertOK(virNetlinkBridgePortSetLearning(BRTAP, true));
    virTestAssertOK(virNetlinkBridgePortGetLearning(BRTAP, &learning));
    g_assert_true(learning);

    /* The bridge itself, a plain device and a missing one are not ports. */
    g_assert_cmpint(virNetlinkBridgePortGetLearning(BRIDGE, &learning), ==, -1);
    virTestAssertErrorContains("Device '" BRIDGE "' is not a bridge port.");
    virResetLastError();
    g_assert_cmpint(virNetlinkBridgePortGetLearning("lo", &learning), ==, -1);
    virTestAssertErrorContains("Device 'lo' is not a bridge port.");
    virResetLastError();
    g_assert_cmpint(virNetlinkBridgePortSetLearning("lo", false), ==, -1);
    virTestAssertErrorContains("Cannot turn learning off for bridge port 'lo'");
    virResetLastError();

    /* Static entries, seen by an independent dump. */
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "");
    g_clear_pointer(&fdb, g_free);
    virTestAssertOK(virNetlinkBridgeFdbAdd(BRTAP, &mac));
    virTestAssertOK(virNetlinkBridgeFdbAdd(BRTAP, &mac));
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "52:54:00:00:0b:01");
    g_clear_pointer(&fdb, g_free);
    virTestAssertOK(virNetlinkBridgeFdbDel(BRTAP, &mac));
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "");

    g_assert_cmpint(virNetlinkBridgeFdbDel(BRTAP, &mac), ==, -1);
    virTestAssertErrorContains("Cannot delete the static forwarding entry for 52:54:00:00:0b:01 on bridge port '" BRTAP "'");
    virResetLastError();
    g_assert_cmpint(virNetlinkBridgeFdbAdd("lo", &mac), ==, -1);
    virTestAssertErrorContains("Cannot add a static forwarding entry for 52:54:00:00:0b:01 on bridge port 'lo'");
    virResetLastError();
    g_assert_cmpint(virNetlinkLinkSetMaster(BRTAP, MISSING), ==, -1);
    virTestAssertErrorContains("Cannot look up link '" MISSING "'");
    virResetLastError();

    /* Detached, the tap is no port any more. */
    virTestAssertOK(virNetlinkLinkSetMaster(BRTAP, NULL));
    g_assert_cmpint(virNetlinkBridgePortGetLearning(BRTAP, &learning), ==, -1);
    virResetLastError();
    testBridgeDelete(fd);
}


static void
testBridgePortSync(void)
{
    int fd = testBridgeCreate();
    virNetDevRxFilterHostState state = { 0 };
    g_autoptr(virNetDevRxFilter) guest = NULL;
    g_autofree char *fdb = NULL;
    g_autofree char *logs = NULL;

    virTestLogCaptureStart(VIR_LOG_WARN);

    /* Learning on (the default): nothing to add. */
    guest = testHostGuestFilter("52:54:00:00:0c:01", VIR_NETDEV_RX_FILTER_MODE_NORMAL, false, NULL);
    g_assert_cmpint(virNetDevBridgePortSync(BRTAP, guest, &state), ==, 0);
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "");
    g_clear_pointer(&fdb, g_free);
    g_assert_false(state.hasFdbMac);

    /* Learning off: a static entry for the guest's MAC; a second sync keeps one. */
    virTestAssertOK(virNetlinkBridgePortSetLearning(BRTAP, false));
    g_assert_cmpint(virNetDevBridgePortSync(BRTAP, guest, &state), ==, 0);
    g_assert_cmpint(virNetDevBridgePortSync(BRTAP, guest, &state), ==, 0);
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "52:54:00:00:0c:01");
    g_clear_pointer(&fdb, g_free);
    g_assert_true(state.hasFdbMac);

    /* The guest changes its MAC: the old entry goes, the new one comes. */
    guest->mac = testHostParseMAC("52:54:00:00:0c:02");
    g_assert_cmpint(virNetDevBridgePortSync(BRTAP, guest, &state), ==, 0);
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "52:54:00:00:0c:02");
    g_clear_pointer(&fdb, g_free);

    /* Learning switched on since: qvirt's entry goes. */
    virTestAssertOK(virNetlinkBridgePortSetLearning(BRTAP, true));
    g_assert_cmpint(virNetDevBridgePortSync(BRTAP, guest, &state), ==, 0);
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "");
    g_clear_pointer(&fdb, g_free);
    g_assert_false(state.hasFdbMac);

    logs = virTestLogCaptureTake();
    g_assert_cmpstr(logs, ==, "");
    g_clear_pointer(&logs, g_free);

    /* Off again, then the clear forgets the entry (it stays on the host). */
    virTestAssertOK(virNetlinkBridgePortSetLearning(BRTAP, false));
    g_assert_cmpint(virNetDevBridgePortSync(BRTAP, guest, &state), ==, 0);
    virNetDevRxFilterHostStateClear(&state);
    g_assert_false(state.hasFdbMac);
    fdb = testHostFdbStatic(BRTAP);
    g_assert_cmpstr(fdb, ==, "52:54:00:00:0c:02");
    g_clear_pointer(&fdb, g_free);

    /* A multicast guest MAC cannot be a forwarding entry: logged, counted. */
    guest->mac = testHostParseMAC("01:00:5e:00:00:01");
    g_assert_cmpint(virNetDevBridgePortSync(BRTAP, guest, &state), ==, 1);
    logs = virTestLogCaptureTake();
    g_assert_nonnull(strstr(logs, "Cannot sync the bridge forwarding entry (add) of host device '"
                            BRTAP "'"));
    g_clear_pointer(&logs, g_free);

    /* A device that is no bridge port: the step fails, is logged and reset. */
    g_assert_cmpint(virNetDevBridgePortSync(BRIDGE, guest, &state), ==, 1);
    g_assert_null(virErrorGetLast());
    g_assert_cmpint(virNetDevBridgePortSync(MISSING, guest, &state), ==, 1);
    g_assert_null(virErrorGetLast());
    logs = virTestLogCaptureTake();
    g_test_message("%s", logs);
    g_assert_nonnull(strstr(logs, "Cannot sync the bridge port learning flag of host device '"
                            BRIDGE "' with the guest: Device '" BRIDGE "' is not a bridge port."));
    g_assert_nonnull(strstr(logs, "Cannot sync the bridge port learning flag of host device '"
                            MISSING "'"));
    virTestLogCaptureStop();

    virNetDevRxFilterHostStateClear(&state);
    testBridgeDelete(fd);
}


int
main(int argc, char **argv)
{
    /* Before anything may start a thread: unshare only moves the calling thread. */
    if (testHostEnterNetns() < 0)
        return 1;

    virTestInit(&argc, &argv);
    virTestAssertOK(virNetlinkLinkSetUp("lo", true));

    g_test_add_func("/virnetdev/exists", testExists);
    g_test_add_func("/virnetdev/netlink", testNetlink);
    g_test_add_func("/virnetdev/mac", testMACGetSet);
    g_test_add_func("/virnetdev/flags", testFlagsSetClear);
    g_test_add_func("/virnetdev/multi", testMulti);
    g_test_add_data_func("/virnetdev/sync/proc", GINT_TO_POINTER(false), testSync);
    g_test_add_data_func("/virnetdev/sync/state", GINT_TO_POINTER(true), testSync);
    g_test_add_func("/virnetdev/sync/state-cache", testSyncStateCache);
    g_test_add_func("/virnetdev/sync/failures", testSyncFailures);
    g_test_add_func("/virnetdev/tap", testTap);
    g_test_add_func("/virnetdev/bridge/netlink", testBridgeNetlink);
    g_test_add_func("/virnetdev/bridge/port-sync", testBridgePortSync);

    return g_test_run();
}
