/* virnetlink.h: host links, bridge ports and bridge FDB entries over rtnetlink (libnl-3). */
#pragma once

#include "internal.h"
#include "virmacaddr.h"

/*
 * Error convention: 0 on success; -1 after reporting one error that names the device
 * and carries libnl's text (nl_geterror). Each call opens, uses and frees its own
 * NETLINK_ROUTE socket, so the functions are thread-safe; they act in the network
 * namespace of the calling thread.
 *
 * Why netlink here and ioctls in virnetdev: creating and deleting typed links
 * (macvtap, veth) has no ioctl at all, and the link index comes with the same
 * request; bridge port flags (IFLA_BRPORT_*) and the bridge's forwarding database
 * exist only over netlink; per-device receive state (MAC, flags, multicast list)
 * stays on the simpler ioctls.
 */

/* The macvtap (macvlan) modes; values are the kernel's MACVLAN_MODE_* bits. */
typedef enum {
    VIR_NETLINK_MACVTAP_MODE_PRIVATE = 1,
    VIR_NETLINK_MACVTAP_MODE_VEPA = 2,
    VIR_NETLINK_MACVTAP_MODE_BRIDGE = 4,
    VIR_NETLINK_MACVTAP_MODE_PASSTHRU = 8,
} virNetlinkMacvtapMode;

/* Reads the kernel's index of link @ifname into @ifindex. */
int virNetlinkLinkIndex(const char *ifname, int *ifindex);

/*
 * Creates the macvtap link @name on top of @linkdev in @mode (a virNetlinkMacvtapMode)
 * with hardware address @mac (NULL: the kernel picks a random one). Fails when @name
 * exists already (NLM_F_EXCL). The link is left down; see virNetlinkLinkSetUp.
 */
int virNetlinkMacvtapCreate(const char *name, const char *linkdev, int mode,
                            const virMacAddr *mac);

/* Creates the veth pair @name / @peer (both down). Fails when either exists. */
int virNetlinkVethCreate(const char *name, const char *peer);

/* Sets link @name administratively up (@up true) or down. */
int virNetlinkLinkSetUp(const char *name, bool up);

/* Deletes link @name (a veth also takes its peer and any macvtap on top of it). */
int virNetlinkLinkDelete(const char *name);

/* Creates the bridge @name (left down). Fails when @name exists already. */
int virNetlinkBridgeCreate(const char *name);

/* Makes link @ifname a port of @master (a bridge), or detaches it with @master NULL. */
int virNetlinkLinkSetMaster(const char *ifname, const char *master);

/*
 * Reads into @learning whether the bridge port @ifname learns source MACs
 * (IFLA_BRPORT_LEARNING). Fails, naming @ifname, when it is not a bridge port.
 */
int virNetlinkBridgePortGetLearning(const char *ifname, bool *learning);

/* Turns source MAC learning of the bridge port @ifname on or off. */
int virNetlinkBridgePortSetLearning(const char *ifname, bool learning);

/*
 * Adds (replacing any entry for the same address) a static forwarding entry
 * ("bridge fdb add MAC dev IFNAME master static") for @mac on bridge port @ifname,
 * or deletes it. Errors name the device and the MAC.
 */
int virNetlinkBridgeFdbAdd(const char *ifname, const virMacAddr *mac);
int virNetlinkBridgeFdbDel(const char *ifname, const virMacAddr *mac);
