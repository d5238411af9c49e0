/* virnetlink.c: host links, bridge ports and bridge FDB entries over rtnetlink (libnl-3). */
#include <config.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvtap.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/neighbour.h>
#include <linux/if.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "virnetlink.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.netlink");

/* libnl's types under names g_autoptr can paste. */
typedef struct nl_sock virNetlinkSock;
typedef struct rtnl_link virNetlinkLink;
typedef struct nl_addr virNetlinkAddr;
typedef struct nl_cache virNetlinkCache;
typedef struct nl_msg virNetlinkMsg;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetlinkSock, nl_socket_free);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetlinkLink, rtnl_link_put);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetlinkAddr, nl_addr_put);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetlinkCache, nl_cache_free);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetlinkMsg, nlmsg_free);


/* A connected NETLINK_ROUTE socket, or NULL with an error naming @ifname reported. */
static virNetlinkSock *
virNetlinkOpen(const char *ifname)
{
    g_autoptr(virNetlinkSock) sk = nl_socket_alloc();
    int err;

    if (!sk) {
        virReportError(VIR_ERR_NO_MEMORY,
                       _("Cannot allocate a netlink socket for link '%1$s'."), ifname);
        return NULL;
    }
    if ((err = nl_connect(sk, NETLINK_ROUTE)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       _("Cannot open a netlink socket for link '%1$s': %2$s"),
                       ifname, nl_geterror(err));
        return NULL;
    }
    return g_steal_pointer(&sk);
}


static bool
virNetlinkCheckName(const char *name)
{
    if (!name || !*name || strlen(name) >= IFNAMSIZ) {
        virReportError(VIR_ERR_INVALID_ARG,
                       _("Network device name '%1$s' is empty, too long or missing."),
                       NULLSTR(name));
        return false;
    }
    return true;
}


/* The kernel's current state of link @name (RTM_GETLINK), or NULL with an error. */
static virNetlinkLink *
virNetlinkGetLink(virNetlinkSock *sk, const char *name)
{
    virNetlinkLink *link = NULL;
    int err;

    if ((err = rtnl_link_get_kernel(sk, 0, name, &link)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, _("Cannot look up link '%1$s': %2$s"),
                       name, nl_geterror(err));
        return NULL;
    }
    return link;
}


int
virNetlinkLinkIndex(const char *ifname, int *ifindex)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) link = NULL;

    /* netlink rather than if_nametoindex: the failure carries the kernel's reason. */
    if (!virNetlinkCheckName(ifname) || !(sk = virNetlinkOpen(ifname)) ||
        !(link = virNetlinkGetLink(sk, ifname)))
        return -1;
    *ifindex = rtnl_link_get_ifindex(link);
    return 0;
}


int
virNetlinkMacvtapCreate(const char *name, const char *linkdev, int mode,
                        const virMacAddr *mac)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) lower = NULL;
    g_autoptr(virNetlinkLink) link = NULL;
    int err;

    /* netlink: a macvtap can only be created by RTM_NEWLINK with kind "macvtap". */
    if (!virNetlinkCheckName(name) || !virNetlinkCheckName(linkdev) ||
        !(sk = virNetlinkOpen(name)) || !(lower = virNetlinkGetLink(sk, linkdev)))
        return -1;

    if (!(link = rtnl_link_macvtap_alloc())) {
        virReportOOMError();
        return -1;
    }
    rtnl_link_set_name(link, name);
    rtnl_link_set_link(link, rtnl_link_get_ifindex(lower));
    if ((err = rtnl_link_macvtap_set_mode(link, mode)) < 0) {
        virReportError(VIR_ERR_INVALID_ARG,
                       _("Cannot set mode %1$d of macvtap device '%2$s': %3$s"),
                       mode, name, nl_geterror(err));
        return -1;
    }
    if (mac) {
        g_autoptr(virNetlinkAddr) addr = nl_addr_build(AF_LLC, mac->addr, VIR_MAC_BUFLEN);

        if (!addr) {
            virReportOOMError();
            return -1;
        }
        rtnl_link_set_addr(link, addr);
    }

    if ((err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       _("Cannot create macvtap device '%1$s' on '%2$s': %3$s"),
                       name, linkdev, nl_geterror(err));
        return -1;
    }
    VIR_DEBUG("Created macvtap device '%s' on '%s' in mode %d", name, linkdev, mode);
    return 0;
}


int
virNetlinkVethCreate(const char *name, const char *peer)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) link = NULL;
    virNetlinkLink *peerLink;
    int err;

    /* netlink: veth pairs only exist as RTM_NEWLINK kind "veth" with a peer.
     * Not rtnl_link_veth_add(): it always sets the peer's IFLA_NET_NS_PID, and
     * pid 0 makes the kernel fail with ESRCH. Both ends stay in our namespace. */
    if (!virNetlinkCheckName(name) || !virNetlinkCheckName(peer) ||
        !(sk = virNetlinkOpen(name)))
        return -1;

    if (!(link = rtnl_link_veth_alloc())) {
        virReportOOMError();
        return -1;
    }
    peerLink = rtnl_link_veth_get_peer(link);
    rtnl_link_set_name(link, name);
    rtnl_link_set_name(peerLink, peer);
    rtnl_link_put(peerLink);

    if ((err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       _("Cannot create veth pair '%1$s' and '%2$s': %3$s"),
                       name, peer, nl_geterror(err));
        return -1;
    }
    return 0;
}


int
virNetlinkLinkSetUp(const char *name, bool up)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) orig = NULL;
    g_autoptr(virNetlinkLink) change = NULL;
    int err;

    /* netlink, to stay with the socket that created the link; SIOCSIFFLAGS
     * (virNetDevSetFlag with IFF_UP) would do as well. */
    if (!virNetlinkCheckName(name) || !(sk = virNetlinkOpen(name)) ||
        !(orig = virNetlinkGetLink(sk, name)))
        return -1;

    if (!(change = rtnl_link_alloc())) {
        virReportOOMError();
        return -1;
    }
    if (up)
        rtnl_link_set_flags(change, IFF_UP);
    else
        rtnl_link_unset_flags(change, IFF_UP);

    if ((err = rtnl_link_change(sk, orig, change, 0)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       up ? _("Cannot bring link '%1$s' up: %2$s")
                          : _("Cannot bring link '%1$s' down: %2$s"),
                       name, nl_geterror(err));
        return -1;
    }
    return 0;
}


int
virNetlinkLinkDelete(const char *name)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) link = NULL;
    int err;

    /* netlink: RTM_DELLINK is the only way to remove a virtual link. */
    if (!virNetlinkCheckName(name) || !(sk = virNetlinkOpen(name)))
        return -1;
    if (!(link = rtnl_link_alloc())) {
        virReportOOMError();
        return -1;
    }
    rtnl_link_set_name(link, name);

    if ((err = rtnl_link_delete(sk, link)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, _("Cannot delete link '%1$s': %2$s"),
                       name, nl_geterror(err));
        return -1;
    }
    VIR_DEBUG("Deleted link '%s'", name);
    return 0;
}


int
virNetlinkBridgeCreate(const char *name)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) link = NULL;
    int err;

    /* netlink: a bridge is RTM_NEWLINK kind "bridge" (the old SIOCBRADDBR ioctl
     * exists but would be the only user of the bridge ioctls here). */
    if (!virNetlinkCheckName(name) || !(sk = virNetlinkOpen(name)))
        return -1;
    if (!(link = rtnl_link_alloc())) {
        virReportOOMError();
        return -1;
    }
    rtnl_link_set_name(link, name);
    if ((err = rtnl_link_set_type(link, "bridge")) < 0 ||
        (err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, _("Cannot create bridge '%1$s': %2$s"),
                       name, nl_geterror(err));
        return -1;
    }
    return 0;
}


int
virNetlinkLinkSetMaster(const char *ifname, const char *master)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) orig = NULL;
    g_autoptr(virNetlinkLink) upper = NULL;
    g_autoptr(virNetlinkLink) change = NULL;
    int err;

    /* netlink: IFLA_MASTER works for any kind of master device; the bridge-only
     * SIOCBRADDIF ioctl would tie this to bridges. */
    if (!virNetlinkCheckName(ifname) || (master && !virNetlinkCheckName(master)) ||
        !(sk = virNetlinkOpen(ifname)) || !(orig = virNetlinkGetLink(sk, ifname)) ||
        (master && !(upper = virNetlinkGetLink(sk, master))))
        return -1;
    if (!(change = rtnl_link_alloc())) {
        virReportOOMError();
        return -1;
    }
    rtnl_link_set_master(change, upper ? rtnl_link_get_ifindex(upper) : 0);

    if ((err = rtnl_link_change(sk, orig, change, 0)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       _("Cannot attach link '%1$s' to master '%2$s': %3$s"),
                       ifname, NULLSTR(master), nl_geterror(err));
        return -1;
    }
    return 0;
}


int
virNetlinkBridgePortGetLearning(const char *ifname, bool *learning)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkCache) cache = NULL;
    g_autoptr(virNetlinkLink) link = NULL;
    int err;

    /* netlink: port flags are only reported in the AF_BRIDGE link dump
     * (IFLA_PROTINFO / IFLA_BRPORT_*); there is no ioctl for them. The dump lists
     * bridge ports, and may list bridges too, as their own master (IFLA_MASTER). */
    if (!virNetlinkCheckName(ifname) || !(sk = virNetlinkOpen(ifname)))
        return -1;
    if ((err = rtnl_link_alloc_cache(sk, AF_BRIDGE, &cache)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       _("Cannot read the bridge port state of '%1$s': %2$s"),
                       ifname, nl_geterror(err));
        return -1;
    }
    if (!(link = rtnl_link_get_by_name(cache, ifname)) || !rtnl_link_is_bridge(link) ||
        rtnl_link_get_master(link) <= 0 ||
        rtnl_link_get_master(link) == rtnl_link_get_ifindex(link)) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       _("Device '%1$s' is not a bridge port."), ifname);
        return -1;
    }
    *learning = !!(rtnl_link_bridge_get_flags(link) & RTNL_BRIDGE_LEARNING);
    return 0;
}


/* Sends @msg on @sk and waits for the kernel's acknowledgement: 0 or a libnl error. */
static int
virNetlinkTalk(virNetlinkSock *sk, virNetlinkMsg *msg)
{
    int err;

    if ((err = nl_send_auto(sk, msg)) < 0)
        return err;
    return nl_wait_for_ack(sk);
}


int
virNetlinkBridgePortSetLearning(const char *ifname, bool learning)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) link = NULL;
    g_autoptr(virNetlinkMsg) msg = NULL;
    struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE };
    struct nlattr *protinfo;
    int err;

    /* netlink: RTM_SETLINK AF_BRIDGE with a nested IFLA_PROTINFO is the only way to
     * set a port flag (no ioctl). Built by hand: libnl 3.7's rtnl_link_change
     * would need an AF_BRIDGE link object from a dump. */
    if (!virNetlinkCheckName(ifname) || !(sk = virNetlinkOpen(ifname)) ||
        !(link = virNetlinkGetLink(sk, ifname)))
        return -1;
    ifi.ifi_index = rtnl_link_get_ifindex(link);

    if (!(msg = nlmsg_alloc_simple(RTM_SETLINK, 0)) ||
        nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
        !(protinfo = nla_nest_start(msg, IFLA_PROTINFO | NLA_F_NESTED)) ||
        nla_put_u8(msg, IFLA_BRPORT_LEARNING, learning ? 1 : 0) < 0) {
        virReportOOMError();
        return -1;
    }
    nla_nest_end(msg, protinfo);

    if ((err = virNetlinkTalk(sk, msg)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       learning ? _("Cannot turn learning on for bridge port '%1$s': %2$s")
                                : _("Cannot turn learning off for bridge port '%1$s': %2$s"),
                       ifname, nl_geterror(err));
        return -1;
    }
    return 0;
}


/* RTM_NEWNEIGH (@add) or RTM_DELNEIGH of a static AF_BRIDGE entry for @mac on the
 * master of port @ifname. */
static int
virNetlinkBridgeFdbModify(const char *ifname, const virMacAddr *mac, bool add)
{
    g_autoptr(virNetlinkSock) sk = NULL;
    g_autoptr(virNetlinkLink) link = NULL;
    g_autoptr(virNetlinkMsg) msg = NULL;
    struct ndmsg ndm = {
        .ndm_family = AF_BRIDGE,
        .ndm_state = NUD_NOARP,
        .ndm_flags = NTF_MASTER,
    };
    char macstr[VIR_MAC_STRING_BUFLEN];
    int err;

    /* netlink: the bridge's forwarding database has no ioctl interface at all
     * (iproute2's "bridge fdb" sends these same messages). */
    if (!virNetlinkCheckName(ifname) || !(sk = virNetlinkOpen(ifname)) ||
        !(link = virNetlinkGetLink(sk, ifname)))
        return -1;
    ndm.ndm_ifindex = rtnl_link_get_ifindex(link);

    if (!(msg = nlmsg_alloc_simple(add ? RTM_NEWNEIGH : RTM_DELNEIGH,
                                   add ? NLM_F_CREATE | NLM_F_REPLACE : 0)) ||
        nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0 ||
        nla_put(msg, NDA_LLADDR, VIR_MAC_BUFLEN, mac->addr) < 0) {
        virReportOOMError();
        return -1;
    }

    if ((err = virNetlinkTalk(sk, msg)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR,
                       add ? _("Cannot add a static forwarding entry for %1$s on bridge port '%2$s': %3$s")
                           : _("Cannot delete the static forwarding entry for %1$s on bridge port '%2$s': %3$s"),
                       virMacAddrFormat(mac, macstr), ifname, nl_geterror(err));
        return -1;
    }
    VIR_DEBUG("%s static FDB entry %s on '%s'", add ? "Added" : "Deleted", macstr, ifname);
    return 0;
}


int
virNetlinkBridgeFdbAdd(const char *ifname, const virMacAddr *mac)
{
    return virNetlinkBridgeFdbModify(ifname, mac, true);
}


int
virNetlinkBridgeFdbDel(const char *ifname, const virMacAddr *mac)
{
    return virNetlinkBridgeFdbModify(ifname, mac, false);
}
