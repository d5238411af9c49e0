/* virnetdevrxfilter.h: a NIC's receive filter as QEMU's query-rx-filter reports it. */
#pragma once

#include "internal.h"
#include "virmacaddr.h"

/* QEMU's RxFilterMode: how a class of traffic (unicast, multicast, VLAN) is filtered. */
typedef enum {
    VIR_NETDEV_RX_FILTER_MODE_NONE = 0,  /* none of it is received */
    VIR_NETDEV_RX_FILTER_MODE_NORMAL,    /* only what the table lists */
    VIR_NETDEV_RX_FILTER_MODE_ALL,       /* all of it */

    VIR_NETDEV_RX_FILTER_MODE_LAST
} virNetDevRxFilterMode;

/* "none", "normal" or "all" (QEMU's spelling); NULL when @mode is out of range. */
const char *virNetDevRxFilterModeTypeToString(int mode);

/* The virNetDevRxFilterMode spelled @str, or -1 when @str is NULL or unknown. */
int virNetDevRxFilterModeTypeFromString(const char *str);

/*
 * Bounds on the tables of an untrusted query-rx-filter reply; the parser refuses
 * longer lists. QEMU's virtio-net MAC table holds 64 entries (MAC_TABLE_ENTRIES),
 * unicast and multicast together, and reports an empty table with the overflow flag
 * past that. VLAN ids are 12 bits, so at most 4096 (0..4095); QEMU reports all of
 * them before the guest driver sets up VLAN filtering.
 */
#define VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX 64
#define VIR_NETDEV_RX_FILTER_VLAN_TABLE_MAX 4096

/* Mirrors QEMU's RxFilterInfo. Tables are g_new0 arrays owned by the filter. */
typedef struct _virNetDevRxFilter virNetDevRxFilter;
struct _virNetDevRxFilter {
    char *name;                 /* the NIC's id (its alias) */
    virMacAddr mac;             /* main-mac */
    bool promiscuous;
    bool broadcastAllowed;      /* QEMU fills it from its nobcast flag: do not rely on it */
    struct {
        int mode;               /* virNetDevRxFilterMode */
        bool overflow;          /* the guest asked for more than fits; table is empty */
        virMacAddr *table;
        size_t nTable;
    } unicast;
    struct {
        int mode;               /* virNetDevRxFilterMode */
        bool overflow;          /* the guest asked for more than fits; table is empty */
        virMacAddr *table;
        size_t nTable;
    } multicast;
    struct {
        int mode;               /* virNetDevRxFilterMode */
        unsigned int *table;    /* VLAN ids 0..4095 */
        size_t nTable;
    } vlan;
};

/* A zeroed filter (all modes VIR_NETDEV_RX_FILTER_MODE_NONE, tables empty). Never NULL. */
virNetDevRxFilter *virNetDevRxFilterNew(void);

/* Frees @filter, its name and its tables; NULL is a no-op. */
void virNetDevRxFilterFree(virNetDevRxFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetDevRxFilter, virNetDevRxFilterFree);

/*
 * A one-line summary of @filter for logs and tests, e.g.
 * "name=net0 mac=52:54:00:12:34:56 promisc=yes multicast=normal overflow=no
 *  table=[01:00:5e:00:00:01,33:33:00:00:00:01] unicast=normal overflow=no table=[]
 *  vlan=normal table=[0,4]" (on one line). Tables keep QEMU's order. The
 * broadcast-allowed flag is left out since QEMU reports it inverted. Free with g_free.
 */
char *virNetDevRxFilterFormat(const virNetDevRxFilter *filter);
