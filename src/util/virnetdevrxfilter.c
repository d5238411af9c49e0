/* virnetdevrxfilter.c: a NIC's receive filter as QEMU's query-rx-filter reports it. */
#include <config.h>

#include <string.h>

#include "virnetdevrxfilter.h"

static const char *const virNetDevRxFilterModeNames[] = {
    [VIR_NETDEV_RX_FILTER_MODE_NONE] = "none",
    [VIR_NETDEV_RX_FILTER_MODE_NORMAL] = "normal",
    [VIR_NETDEV_RX_FILTER_MODE_ALL] = "all",
};
G_STATIC_ASSERT(G_N_ELEMENTS(virNetDevRxFilterModeNames) == VIR_NETDEV_RX_FILTER_MODE_LAST);


const char *
virNetDevRxFilterModeTypeToString(int mode)
{
    if (mode < 0 || mode >= VIR_NETDEV_RX_FILTER_MODE_LAST)
        return NULL;
    return virNetDevRxFilterModeNames[mode];
}


int
virNetDevRxFilterModeTypeFromString(const char *str)
{
    size_t i;

    if (!str)
        return -1;
    for (i = 0; i < G_N_ELEMENTS(virNetDevRxFilterModeNames); i++) {
        if (STREQ(str, virNetDevRxFilterModeNames[i]))
            return (int)i;
    }
    return -1;
}


virNetDevRxFilter *
virNetDevRxFilterNew(void)
{
    return g_new0(virNetDevRxFilter, 1);
}


void
virNetDevRxFilterFree(virNetDevRxFilter *filter)
{
    if (!filter)
        return;
    g_free(filter->name);
    g_free(filter->unicast.table);
    g_free(filter->multicast.table);
    g_free(filter->vlan.table);
    g_free(filter);
}


static const char *
virNetDevRxFilterBoolString(bool value)
{
    return value ? "yes" : "no";
}


/* Like virNetDevRxFilterModeTypeToString, but never NULL, for the summary. */
static const char *
virNetDevRxFilterModeString(int mode)
{
    const char *str = virNetDevRxFilterModeTypeToString(mode);

    return str ? str : "<invalid>";
}


static void
virNetDevRxFilterFormatMacTable(GString *buf, const virMacAddr *table, size_t nTable)
{
    char macstr[VIR_MAC_STRING_BUFLEN];
    size_t i;

    g_string_append(buf, " table=[");
    for (i = 0; i < nTable; i++) {
        if (i > 0)
            g_string_append_c(buf, ',');
        g_string_append(buf, virMacAddrFormat(&table[i], macstr));
    }
    g_string_append_c(buf, ']');
}


char *
virNetDevRxFilterFormat(const virNetDevRxFilter *filter)
{
    GString *buf;
    char macstr[VIR_MAC_STRING_BUFLEN];
    size_t i;

    g_return_val_if_fail(filter != NULL, NULL);

    buf = g_string_new(NULL);
    g_string_append_printf(buf, "name=%s mac=%s promisc=%s",
                           NULLSTR(filter->name),
                           virMacAddrFormat(&filter->mac, macstr),
                           virNetDevRxFilterBoolString(filter->promiscuous));

    g_string_append_printf(buf, " multicast=%s overflow=%s",
                           virNetDevRxFilterModeString(filter->multicast.mode),
                           virNetDevRxFilterBoolString(filter->multicast.overflow));
    virNetDevRxFilterFormatMacTable(buf, filter->multicast.table, filter->multicast.nTable);

    g_string_append_printf(buf, " unicast=%s overflow=%s",
                           virNetDevRxFilterModeString(filter->unicast.mode),
                           virNetDevRxFilterBoolString(filter->unicast.overflow));
    virNetDevRxFilterFormatMacTable(buf, filter->unicast.table, filter->unicast.nTable);

    g_string_append_printf(buf, " vlan=%s table=[",
                           virNetDevRxFilterModeString(filter->vlan.mode));
    for (i = 0; i < filter->vlan.nTable; i++)
        g_string_append_printf(buf, "%s%u", i > 0 ? "," : "", filter->vlan.table[i]);
    g_string_append_c(buf, ']');

    return g_string_free(buf, FALSE);
}
