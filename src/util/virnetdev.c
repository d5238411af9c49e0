/* virnetdev.c: host network device state through ioctls (MAC, flags, multicast list). */
#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "virnetdev.h"
#include "virnetlink.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.netdev");


/*
 * Opens a control socket for the ioctls on @ifname and fills @ifr with its name.
 * Returns the socket, or -1 with an error reported.
 */
static int
virNetDevSetupControl(const char *ifname, struct ifreq *ifr)
{
    int fd;

    memset(ifr, 0, sizeof(*ifr));
    if (!ifname || strlen(ifname) >= sizeof(ifr->ifr_name)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       _("Network device name '%1$s' is too long or missing."),
                       NULLSTR(ifname));
        return -1;
    }
    g_strlcpy(ifr->ifr_name, ifname, sizeof(ifr->ifr_name));

    if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno,
                             _("Cannot open a control socket for network device '%1$s'"),
                             ifname);
        return -1;
    }
    return fd;
}


/* Runs ioctl @request on @fd and closes @fd; on failure returns -1 with errno kept
 * and no error reported (the caller names the step). */
static int
virNetDevIoctl(int fd, unsigned long request, struct ifreq *ifr)
{
    int ret = ioctl(fd, request, ifr);
    int saved = errno;

    close(fd);
    errno = saved;
    return ret;
}


int
virNetDevGetMAC(const char *ifname, virMacAddr *mac)
{
    struct ifreq ifr;
    int fd;

    if ((fd = virNetDevSetupControl(ifname, &ifr)) < 0)
        return -1;
    if (virNetDevIoctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
        virReportSystemError(errno, _("Cannot get MAC address of '%1$s'"), ifname);
        return -1;
    }
    virMacAddrSetRaw(mac, (const unsigned char *)ifr.ifr_hwaddr.sa_data);
    return 0;
}


int
virNetDevSetMAC(const char *ifname, const virMacAddr *mac)
{
    struct ifreq ifr;
    int fd;

    if ((fd = virNetDevSetupControl(ifname, &ifr)) < 0)
        return -1;

    /* The kernel wants the device's own address family (ARPHRD_*) back. */
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
        virReportSystemError(errno, _("Cannot get MAC address of '%1$s'"), ifname);
        close(fd);
        return -1;
    }
    virMacAddrGetRaw(mac, (unsigned char *)ifr.ifr_hwaddr.sa_data);

    if (virNetDevIoctl(fd, SIOCSIFHWADDR, &ifr) < 0) {
        char macstr[VIR_MAC_STRING_BUFLEN];

        virReportSystemError(errno, _("Cannot set MAC address of '%1$s' to %2$s"),
                             ifname, virMacAddrFormat(mac, macstr));
        return -1;
    }
    return 0;
}


int
virNetDevGetFlags(const char *ifname, unsigned int *flags)
{
    struct ifreq ifr;
    int fd;

    if ((fd = virNetDevSetupControl(ifname, &ifr)) < 0)
        return -1;
    if (virNetDevIoctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
        virReportSystemError(errno, _("Cannot get interface flags of '%1$s'"), ifname);
        return -1;
    }
    *flags = (unsigned short)ifr.ifr_flags;
    return 0;
}


int
virNetDevSetFlag(const char *ifname, unsigned int flag, bool on)
{
    struct ifreq ifr;
    unsigned int flags;
    unsigned int wanted;
    int fd;

    if ((fd = virNetDevSetupControl(ifname, &ifr)) < 0)
        return -1;

    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
        virReportSystemError(errno, _("Cannot get interface flags of '%1$s'"), ifname);
        close(fd);
        return -1;
    }

    flags = (unsigned short)ifr.ifr_flags;
    wanted = on ? (flags | flag) : (flags & ~flag);
    if (wanted == flags) {
        close(fd);
        return 0;
    }

    ifr.ifr_flags = (short)wanted;
    if (virNetDevIoctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
        virReportSystemError(errno, _("Cannot set interface flags of '%1$s'"), ifname);
        return -1;
    }
    return 0;
}


int
virNetDevGetFlag(const char *ifname, unsigned int flag, bool *on)
{
    unsigned int flags;

    if (virNetDevGetFlags(ifname, &flags) < 0)
        return -1;
    *on = (flags & flag) == flag;
    return 0;
}


int
virNetDevSetPromiscuous(const char *ifname, bool on)
{
    return virNetDevSetFlag(ifname, IFF_PROMISC, on);
}


int
virNetDevGetPromiscuous(const char *ifname, bool *on)
{
    return virNetDevGetFlag(ifname, IFF_PROMISC, on);
}


int
virNetDevSetRcvAllMulti(const char *ifname, bool on)
{
    return virNetDevSetFlag(ifname, IFF_ALLMULTI, on);
}


int
virNetDevGetRcvAllMulti(const char *ifname, bool *on)
{
    return virNetDevGetFlag(ifname, IFF_ALLMULTI, on);
}


int
virNetDevSetRcvMulti(const char *ifname, bool on)
{
    return virNetDevSetFlag(ifname, IFF_MULTICAST, on);
}


int
virNetDevGetRcvMulti(const char *ifname, bool *on)
{
    return virNetDevGetFlag(ifname, IFF_MULTICAST, on);
}


int
virNetDevAddMulti(const char *ifname, const virMacAddr *mac)
{
    struct ifreq ifr;
    int fd;

    if ((fd = virNetDevSetupControl(ifname, &ifr)) < 0)
        return -1;
    ifr.ifr_hwaddr.sa_family = AF_UNSPEC;
    virMacAddrGetRaw(mac, (unsigned char *)ifr.ifr_hwaddr.sa_data);

    if (virNetDevIoctl(fd, SIOCADDMULTI, &ifr) < 0) {
        char macstr[VIR_MAC_STRING_BUFLEN];

        virReportSystemError(errno, _("Cannot add multicast address %1$s to '%2$s'"),
                             virMacAddrFormat(mac, macstr), ifname);
        return -1;
    }
    return 0;
}


int
virNetDevDelMulti(const char *ifname, const virMacAddr *mac)
{
    struct ifreq ifr;
    int fd;

    if ((fd = virNetDevSetupControl(ifname, &ifr)) < 0)
        return -1;
    ifr.ifr_hwaddr.sa_family = AF_UNSPEC;
    virMacAddrGetRaw(mac, (unsigned char *)ifr.ifr_hwaddr.sa_data);

    if (virNetDevIoctl(fd, SIOCDELMULTI, &ifr) < 0) {
        char macstr[VIR_MAC_STRING_BUFLEN];

        virReportSystemError(errno, _("Cannot delete multicast address %1$s from '%2$s'"),
                             virMacAddrFormat(mac, macstr), ifname);
        return -1;
    }
    return 0;
}


int
virNetDevExists(const char *ifname)
{
    if (!ifname || strlen(ifname) >= IFNAMSIZ)
        return 0;
    if (if_nametoindex(ifname) > 0)
        return 1;
    if (errno == ENODEV || errno == ENXIO)
        return 0;
    virReportSystemError(errno, _("Cannot tell whether network device '%1$s' exists"),
                         ifname);
    return -1;
}


/*
 * Parses one line of /proc/net/dev_mcast: "index name users global hexaddr", e.g.
 * "4    macvtap0        1     0     333300000001". Returns true and fills the out
 * parameters for a well-formed line with a 6-octet address.
 */
static bool
virNetDevParseMcastLine(const char *line, char *name, size_t namelen,
                        bool *global, virMacAddr *mac)
{
    g_auto(GStrv) fields = g_strsplit_set(line, " \t", -1);
    const char *cols[5];
    size_t ncols = 0;
    size_t i;
    guint64 globalUse;

    for (i = 0; fields[i]; i++) {
        if (!*fields[i])
            continue;
        if (ncols == G_N_ELEMENTS(cols))
            return false;
        cols[ncols++] = fields[i];
    }
    if (ncols != G_N_ELEMENTS(cols) || strlen(cols[4]) != VIR_MAC_BUFLEN * 2 ||
        strlen(cols[1]) >= namelen)
        return false;
    if (!g_ascii_string_to_unsigned(cols[3], 10, 0, G_MAXINT, &globalUse, NULL))
        return false;

    for (i = 0; i < VIR_MAC_BUFLEN; i++) {
        int hi = g_ascii_xdigit_value(cols[4][2 * i]);
        int lo = g_ascii_xdigit_value(cols[4][2 * i + 1]);

        if (hi < 0 || lo < 0)
            return false;
        mac->addr[i] = (unsigned char)(hi << 4 | lo);
    }
    g_strlcpy(name, cols[1], namelen);
    *global = globalUse != 0;
    return true;
}


int
virNetDevGetMulticastTable(const char *ifname, virMacAddr **table, size_t *ntable,
                           bool globalOnly)
{
    g_autofree char *contents = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(virMacAddr));
    g_auto(GStrv) lines = NULL;
    size_t i;

    g_return_val_if_fail(ifname && table && ntable, -1);

    if (!g_file_get_contents(VIR_NETDEV_MCAST_PROC_PATH, &contents, NULL, &err)) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       _("Cannot read the multicast list of '%1$s' from %2$s: %3$s"),
                       ifname, VIR_NETDEV_MCAST_PROC_PATH, err->message);
        return -1;
    }

    lines = g_strsplit(contents, "\n", -1);
    for (i = 0; lines[i]; i++) {
        char name[IFNAMSIZ];
        bool global;
        virMacAddr mac;

        if (!*lines[i])
            continue;
        if (!virNetDevParseMcastLine(lines[i], name, sizeof(name), &global, &mac)) {
            VIR_DEBUG("Ignoring line '%s' of %s", lines[i], VIR_NETDEV_MCAST_PROC_PATH);
            continue;
        }
        if (!STREQ(name, ifname) || (globalOnly && !global))
            continue;
        g_array_append_val(found, mac);
    }

    *ntable = found->len;
    *table = found->len ? (virMacAddr *)g_array_free(g_steal_pointer(&found), FALSE) : NULL;
    return 0;
}


void
virNetDevRxFilterHostStateClear(virNetDevRxFilterHostState *state)
{
    if (!state)
        return;
    g_clear_pointer(&state->added, g_free);
    state->nadded = 0;
    state->known = false;
    state->hasFdbMac = false;
    memset(&state->fdbMac, 0, sizeof(state->fdbMac));
}


static bool
virNetDevMacListContains(const virMacAddr *list, size_t n, const virMacAddr *mac)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (virMacAddrEqual(&list[i], mac))
            return true;
    }
    return false;
}


/* Logs the thread's last error as the failure of @step on @ifname and resets it. */
static void
virNetDevRxFilterSyncWarn(const char *ifname, const char *step)
{
    VIR_WARN("Cannot sync the %s of host device '%s' with the guest: %s",
             step, ifname, virErrorGetLastMessage());
    virResetLastError();
}


static int
virNetDevRxFilterSyncMAC(const char *ifname, const virNetDevRxFilter *guest)
{
    virMacAddr host;

    if (virNetDevGetMAC(ifname, &host) < 0)
        return -1;
    if (virMacAddrEqual(&host, &guest->mac))
        return 0;
    return virNetDevSetMAC(ifname, &guest->mac);
}


/* Step 2. Every add and delete is tried; returns -1 when any failed (each failure
 * already logged). @state, when given, ends up holding the host's global entries. */
static int
virNetDevRxFilterSyncMulticast(const char *ifname, const virNetDevRxFilter *guest,
                               virNetDevRxFilterHostState *state)
{
    g_autoptr(GArray) host = g_array_new(FALSE, FALSE, sizeof(virMacAddr));
    bool failed = false;
    size_t i;

    if (state && state->known) {
        g_array_append_vals(host, state->added, state->nadded);
    } else {
        g_autofree virMacAddr *table = NULL;
        size_t ntable = 0;

        if (virNetDevGetMulticastTable(ifname, &table, &ntable, true) < 0)
            return -1;
        g_array_append_vals(host, table, ntable);
    }

    for (i = 0; i < guest->multicast.nTable; i++) {
        const virMacAddr *mac = &guest->multicast.table[i];
        char macstr[VIR_MAC_STRING_BUFLEN];

        if (!virMacAddrIsMulticast(mac)) {
            VIR_WARN("Skipping non-multicast address %s in the guest's multicast table for '%s'",
                     virMacAddrFormat(mac, macstr), ifname);
            continue;
        }
        if (virNetDevMacListContains((virMacAddr *)host->data, host->len, mac))
            continue;
        if (virNetDevAddMulti(ifname, mac) < 0) {
            virNetDevRxFilterSyncWarn(ifname, "multicast list");
            failed = true;
            continue;
        }
        g_array_append_val(host, *mac);
    }

    for (i = 0; i < host->len;) {
        const virMacAddr *mac = &g_array_index(host, virMacAddr, i);

        if (virNetDevMacListContains(guest->multicast.table, guest->multicast.nTable, mac)) {
            i++;
            continue;
        }
        if (virNetDevDelMulti(ifname, mac) < 0) {
            virNetDevRxFilterSyncWarn(ifname, "multicast list");
            failed = true;
            i++;
            continue;
        }
        g_array_remove_index(host, i);
    }

    if (state) {
        g_free(state->added);
        state->nadded = host->len;
        state->added = host->len ?
            (virMacAddr *)g_array_free(g_steal_pointer(&host), FALSE) : NULL;
        state->known = true;
    }
    return failed ? -1 : 0;
}


static int
virNetDevRxFilterSyncMultiMode(const char *ifname, const virNetDevRxFilter *guest)
{
    switch ((virNetDevRxFilterMode)guest->multicast.mode) {
    case VIR_NETDEV_RX_FILTER_MODE_ALL:
        return virNetDevSetRcvAllMulti(ifname, true);
    case VIR_NETDEV_RX_FILTER_MODE_NORMAL:
        if (virNetDevSetRcvMulti(ifname, true) < 0)
            return -1;
        return virNetDevSetRcvAllMulti(ifname, guest->multicast.overflow);
    case VIR_NETDEV_RX_FILTER_MODE_NONE:
        if (virNetDevSetRcvAllMulti(ifname, false) < 0)
            return -1;
        return virNetDevSetRcvMulti(ifname, false);
    case VIR_NETDEV_RX_FILTER_MODE_LAST:
        break;
    }
    virReportError(VIR_ERR_INVALID_ARG, _("Unknown multicast mode %1$d for '%2$s'."),
                   guest->multicast.mode, ifname);
    return -1;
}


int
virNetDevRxFilterSync(const char *ifname, const virNetDevRxFilter *guest,
                      virNetDevRxFilterHostState *state)
{
    int failed = 0;

    g_return_val_if_fail(ifname && guest, -1);

    VIR_DEBUG("Syncing host device '%s' with the guest's filter", ifname);

    if (virNetDevRxFilterSyncMAC(ifname, guest) < 0) {
        virNetDevRxFilterSyncWarn(ifname, "MAC address");
        failed++;
    }

    if (virNetDevRxFilterSyncMulticast(ifname, guest, state) < 0) {
        /* Individual add/delete failures were logged already; this logs a failed
         * read of the host's list (or nothing new). */
        if (virErrorGetLast())
            virNetDevRxFilterSyncWarn(ifname, "multicast list");
        failed++;
    }

    if (virNetDevSetPromiscuous(ifname, guest->promiscuous || guest->vlan.nTable > 0) < 0) {
        virNetDevRxFilterSyncWarn(ifname, "promiscuous mode");
        failed++;
    }

    if (virNetDevRxFilterSyncMultiMode(ifname, guest) < 0) {
        virNetDevRxFilterSyncWarn(ifname, "multicast mode");
        failed++;
    }

    return failed;
}


int
virNetDevBridgePortSync(const char *ifname, const virNetDevRxFilter *guest,
                        virNetDevRxFilterHostState *state)
{
    bool learning;
    int failed = 0;

    g_return_val_if_fail(ifname && guest && state, -1);

    VIR_DEBUG("Syncing bridge port '%s' with the guest's filter", ifname);

    if (virNetlinkBridgePortGetLearning(ifname, &learning) < 0) {
        virNetDevRxFilterSyncWarn(ifname, "bridge port learning flag");
        return 1;
    }

    /* The entry added earlier goes when learning is on or the MAC moved. */
    if (state->hasFdbMac && (learning || !virMacAddrEqual(&state->fdbMac, &guest->mac))) {
        if (virNetlinkBridgeFdbDel(ifname, &state->fdbMac) < 0) {
            virNetDevRxFilterSyncWarn(ifname, "bridge forwarding entry (delete)");
            failed++;
        } else {
            state->hasFdbMac = false;
        }
    }

    if (learning)
        return failed;

    if (!virMacAddrIsUnicast(&guest->mac)) {
        char macstr[VIR_MAC_STRING_BUFLEN];

        VIR_WARN("Cannot sync the bridge forwarding entry (add) of host device '%s' with the guest: %s is not a unicast address",
                 ifname, virMacAddrFormat(&guest->mac, macstr));
        return failed + 1;
    }

    /* Re-added each sync (NLM_F_REPLACE): cheap, and restores an entry someone
     * flushed. */
    if (virNetlinkBridgeFdbAdd(ifname, &guest->mac) < 0) {
        virNetDevRxFilterSyncWarn(ifname, "bridge forwarding entry (add)");
        failed++;
    } else if (!state->hasFdbMac) {
        /* When the old entry could not be deleted it stays remembered, so the next
         * sync retries that delete; the new one is then re-added by MAC each time. */
        state->fdbMac = guest->mac;
        state->hasFdbMac = true;
    }
    return failed;
}
