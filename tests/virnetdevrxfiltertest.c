/* virnetdevrxfiltertest.c: unit tests for the rx filter type in virnetdevrxfilter.c. */
#include <config.h>

#include "testutils.h"
#include "virnetdevrxfilter.h"


static void
testModeToString(void)
{
    g_assert_cmpstr(virNetDevRxFilterModeTypeToString(VIR_NETDEV_RX_FILTER_MODE_NONE), ==, "none");
    g_assert_cmpstr(virNetDevRxFilterModeTypeToString(VIR_NETDEV_RX_FILTER_MODE_NORMAL), ==, "normal");
    g_assert_cmpstr(virNetDevRxFilterModeTypeToString(VIR_NETDEV_RX_FILTER_MODE_ALL), ==, "all");
    g_assert_null(virNetDevRxFilterModeTypeToString(VIR_NETDEV_RX_FILTER_MODE_LAST));
    g_assert_null(virNetDevRxFilterModeTypeToString(-1));
    g_assert_null(virNetDevRxFilterModeTypeToString(1000));
}


static void
testModeFromString(void)
{
    static const char *const unknown[] = {
        "", "None", "NORMAL", "All", "normal ", " all", "some", "allmulti", "0", "1",
    };
    size_t i;

    g_assert_cmpint(virNetDevRxFilterModeTypeFromString("none"), ==, VIR_NETDEV_RX_FILTER_MODE_NONE);
    g_assert_cmpint(virNetDevRxFilterModeTypeFromString("normal"), ==, VIR_NETDEV_RX_FILTER_MODE_NORMAL);
    g_assert_cmpint(virNetDevRxFilterModeTypeFromString("all"), ==, VIR_NETDEV_RX_FILTER_MODE_ALL);
    g_assert_cmpint(virNetDevRxFilterModeTypeFromString(NULL), ==, -1);
    for (i = 0; i < G_N_ELEMENTS(unknown); i++) {
        g_test_message("mode '%s'", unknown[i]);
        g_assert_cmpint(virNetDevRxFilterModeTypeFromString(unknown[i]), ==, -1);
    }
}


static void
testModeRoundTrip(void)
{
    int mode;

    for (mode = 0; mode < VIR_NETDEV_RX_FILTER_MODE_LAST; mode++) {
        const char *str = virNetDevRxFilterModeTypeToString(mode);

        g_assert_nonnull(str);
        g_assert_cmpint(virNetDevRxFilterModeTypeFromString(str), ==, mode);
    }
}


static void
testLimits(void)
{
    g_assert_cmpint(VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX, ==, 64);
    g_assert_cmpint(VIR_NETDEV_RX_FILTER_VLAN_TABLE_MAX, ==, 4096);
}


static void
testNewEmpty(void)
{
    g_autoptr(virNetDevRxFilter) filter = virNetDevRxFilterNew();
    g_autofree char *str = NULL;

    g_assert_nonnull(filter);
    g_assert_null(filter->name);
    g_assert_false(filter->promiscuous);
    g_assert_cmpint(filter->unicast.mode, ==, VIR_NETDEV_RX_FILTER_MODE_NONE);
    g_assert_cmpuint(filter->multicast.nTable, ==, 0);
    g_assert_null(filter->vlan.table);

    str = virNetDevRxFilterFormat(filter);
    g_assert_cmpstr(str, ==,
                    "name=<null> mac=00:00:00:00:00:00 promisc=no "
                    "multicast=none overflow=no table=[] "
                    "unicast=none overflow=no table=[] "
                    "vlan=none table=[]");
}


static void
testFormatTables(void)
{
    g_autoptr(virNetDevRxFilter) filter = virNetDevRxFilterNew();
    g_autofree char *str = NULL;
    static const char *const multicast[] = {
        "01:00:5e:00:00:01", "33:33:00:00:00:01", "33:33:ff:12:34:56",
    };
    size_t i;

    /* The example reply from QEMU's query-rx-filter documentation. */
    filter->name = g_strdup("net0");
    g_assert_cmpint(virMacAddrParse("52:54:00:12:34:56", &filter->mac), ==, 0);
    filter->promiscuous = true;
    filter->broadcastAllowed = false;

    filter->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    filter->multicast.nTable = G_N_ELEMENTS(multicast);
    filter->multicast.table = g_new0(virMacAddr, filter->multicast.nTable);
    for (i = 0; i < G_N_ELEMENTS(multicast); i++)
        g_assert_cmpint(virMacAddrParse(multicast[i], &filter->multicast.table[i]), ==, 0);

    filter->unicast.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;

    filter->vlan.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    filter->vlan.nTable = 2;
    filter->vlan.table = g_new0(unsigned int, filter->vlan.nTable);
    filter->vlan.table[0] = 4;
    filter->vlan.table[1] = 0;

    str = virNetDevRxFilterFormat(filter);
    g_assert_cmpstr(str, ==,
                    "name=net0 mac=52:54:00:12:34:56 promisc=yes "
                    "multicast=normal overflow=no "
                    "table=[01:00:5e:00:00:01,33:33:00:00:00:01,33:33:ff:12:34:56] "
                    "unicast=normal overflow=no table=[] "
                    "vlan=normal table=[4,0]");
}


static void
testFormatOverflowAndAll(void)
{
    g_autoptr(virNetDevRxFilter) filter = virNetDevRxFilterNew();
    g_autofree char *str = NULL;
    size_t i;

    filter->name = g_strdup("hostnet1");
    g_assert_cmpint(virMacAddrParse("52:54:00:ab:cd:ef", &filter->mac), ==, 0);
    filter->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    filter->multicast.overflow = true;
    filter->unicast.mode = VIR_NETDEV_RX_FILTER_MODE_ALL;
    filter->unicast.nTable = 1;
    filter->unicast.table = g_new0(virMacAddr, 1);
    g_assert_cmpint(virMacAddrParse("02:00:00:00:00:01", &filter->unicast.table[0]), ==, 0);
    filter->unicast.overflow = false;

    /* What QEMU reports before the guest driver loads: every VLAN id. */
    filter->vlan.mode = VIR_NETDEV_RX_FILTER_MODE_ALL;
    filter->vlan.nTable = VIR_NETDEV_RX_FILTER_VLAN_TABLE_MAX;
    filter->vlan.table = g_new0(unsigned int, filter->vlan.nTable);
    for (i = 0; i < filter->vlan.nTable; i++)
        filter->vlan.table[i] = i;

    str = virNetDevRxFilterFormat(filter);
    g_assert_true(g_str_has_prefix(str,
                                   "name=hostnet1 mac=52:54:00:ab:cd:ef promisc=no "
                                   "multicast=normal overflow=yes table=[] "
                                   "unicast=all overflow=no table=[02:00:00:00:00:01] "
                                   "vlan=all table=[0,1,2,"));
    g_assert_true(g_str_has_suffix(str, ",4094,4095]"));
}


static void
testFormatInvalidMode(void)
{
    g_autoptr(virNetDevRxFilter) filter = virNetDevRxFilterNew();
    g_autofree char *str = NULL;

    filter->name = g_strdup("net0");
    filter->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_LAST;
    filter->unicast.mode = -1;
    filter->vlan.mode = 42;

    str = virNetDevRxFilterFormat(filter);
    g_assert_cmpstr(str, ==,
                    "name=net0 mac=00:00:00:00:00:00 promisc=no "
                    "multicast=<invalid> overflow=no table=[] "
                    "unicast=<invalid> overflow=no table=[] "
                    "vlan=<invalid> table=[]");
}


static void
testFreeNull(void)
{
    virNetDevRxFilterFree(NULL);
}


static void
testFreeFull(void)
{
    virNetDevRxFilter *filter = virNetDevRxFilterNew();

    filter->name = g_strdup("net0");
    filter->unicast.nTable = VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX;
    filter->unicast.table = g_new0(virMacAddr, filter->unicast.nTable);
    filter->multicast.nTable = VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX;
    filter->multicast.table = g_new0(virMacAddr, filter->multicast.nTable);
    filter->vlan.nTable = 3;
    filter->vlan.table = g_new0(unsigned int, filter->vlan.nTable);
    /* AddressSanitizer's leak check fails the test if anything is left behind. */
    virNetDevRxFilterFree(filter);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);

    g_test_add_func("/virnetdevrxfilter/mode/to-string", testModeToString);
    g_test_add_func("/virnetdevrxfilter/mode/from-string", testModeFromString);
    g_test_add_func("/virnetdevrxfilter/mode/roundtrip", testModeRoundTrip);
    g_test_add_func("/virnetdevrxfilter/limits", testLimits);
    g_test_add_func("/virnetdevrxfilter/new/empty", testNewEmpty);
    g_test_add_func("/virnetdevrxfilter/format/tables", testFormatTables);
    g_test_add_func("/virnetdevrxfilter/format/overflow-and-all", testFormatOverflowAndAll);
    g_test_add_func("/virnetdevrxfilter/format/invalid-mode", testFormatInvalidMode);
    g_test_add_func("/virnetdevrxfilter/free/null", testFreeNull);
    g_test_add_func("/virnetdevrxfilter/free/full", testFreeFull);

    return g_test_run();
}
