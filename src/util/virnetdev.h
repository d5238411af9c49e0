/* virnetdev.h: host network device state through ioctls (MAC, flags, multicast list). */
#pragma once

#include "internal.h"
#include "virmacaddr.h"
#include "virnetdevrxfilter.h"

/*
 * Error convention: functions returning int return 0 on success and -1 after
 * reporting one error (virReportSystemError) that names the device and the step,
 * e.g. "Cannot set MAC address of 'macvtap0': Cannot assign requested address".
 * Out-parameters are written only on success.
 *
 * Each call opens its own AF_INET/SOCK_DGRAM control socket (close-on-exec) and
 * closes it before returning, so the functions are thread-safe and keep no state.
 * The ioctls act in the network namespace of the calling thread.
 */

/* Path of the kernel's multicast list, in the calling thread's network namespace. */
#define VIR_NETDEV_MCAST_PROC_PATH "/proc/thread-self/net/dev_mcast"

/* Reads the hardware address of @ifname (SIOCGIFHWADDR) into @mac. */
int virNetDevGetMAC(const char *ifname, virMacAddr *mac);

/*
 * Sets the hardware address of @ifname to @mac (SIOCGIFHWADDR for the address family,
 * then SIOCSIFHWADDR). The kernel refuses a multicast or all-zero address
 * (EADDRNOTAVAIL).
 */
int virNetDevSetMAC(const char *ifname, const virMacAddr *mac);

/* Reads the IFF_* flags of @ifname (SIOCGIFFLAGS) into @flags. */
int virNetDevGetFlags(const char *ifname, unsigned int *flags);

/*
 * Turns the IFF_* flag(s) @flag of @ifname on (@on true) or off: reads the flags,
 * and writes them back (SIOCSIFFLAGS) only when they change.
 */
int virNetDevSetFlag(const char *ifname, unsigned int flag, bool on);

/*
 * Reads whether the IFF_* flag(s) @flag of @ifname are all set into @on.
 */
int virNetDevGetFlag(const char *ifname, unsigned int flag, bool *on);

/* Convenience wrappers of virNetDevSetFlag/virNetDevGetFlag for IFF_PROMISC,
 * IFF_ALLMULTI and IFF_MULTICAST. */
int virNetDevSetPromiscuous(const char *ifname, bool on);
int virNetDevGetPromiscuous(const char *ifname, bool *on);
int virNetDevSetRcvAllMulti(const char *ifname, bool on);
int virNetDevGetRcvAllMulti(const char *ifname, bool *on);
int virNetDevSetRcvMulti(const char *ifname, bool on);
int virNetDevGetRcvMulti(const char *ifname, bool *on);

/*
 * Adds @mac to the multicast list of @ifname as a global entry (SIOCADDMULTI); the
 * kernel reference-counts it, so a second add of the same address needs a second
 * delete. Deletes one global reference of @mac (SIOCDELMULTI); the kernel's own
 * memberships of the same address stay.
 */
int virNetDevAddMulti(const char *ifname, const virMacAddr *mac);
int virNetDevDelMulti(const char *ifname, const virMacAddr *mac);

/* Returns 1 when @ifname exists in the calling thread's namespace, 0 when it does
 * not, -1 (with an error) when that cannot be told. */
int virNetDevExists(const char *ifname);

/*
 * Fills @table (a g_new array, free with g_free; NULL when empty) and @ntable with the
 * multicast entries of @ifname from /proc/net/dev_mcast; with @globalOnly, only the
 * global ones (added by SIOCADDMULTI), not the kernel's own memberships.
 *
 * Cost: the kernel formats, and this reads and parses, the whole file, with every
 * multicast entry of every device on the host (namespace); prefer a caller-kept
 * virNetDevRxFilterHostState for repeated syncs.
 */
int virNetDevGetMulticastTable(const char *ifname, virMacAddr **table, size_t *ntable,
                               bool globalOnly);

/*
 * What a caller remembers about one host device between syncs so a sync need not
 * read /proc/net/dev_mcast: the global multicast entries qvirt added itself.
 * Zero-initialize it; while @known is false the next sync reads this device's
 * global entries from /proc once, then sets @known. Each sync keeps @added up to
 * date after every successful add or delete. It assumes nobody else adds or deletes
 * global entries on the device (true for a macvtap qvirt owns); clear it to make the
 * next sync re-read /proc.
 */
typedef struct _virNetDevRxFilterHostState virNetDevRxFilterHostState;
struct _virNetDevRxFilterHostState {
    virMacAddr *added;   /* g_new array of the global entries on the device */
    size_t nadded;
    bool known;          /* @added is valid; false: read /proc on the next sync */
    virMacAddr fdbMac;   /* tap: the static bridge FDB entry qvirt added ... */
    bool hasFdbMac;      /* ... valid while this is true */
};

/* Frees @state's list and resets it to unknown (forgetting any FDB entry, which
 * stays on the host); NULL is a no-op. */
void virNetDevRxFilterHostStateClear(virNetDevRxFilterHostState *state);

/*
 * Mirrors the guest receive filter @guest onto the host device @ifname (a macvtap),
 * following libvirt. Steps, in order:
 *   1. MAC address: set the guest's main MAC when the host's differs.
 *   2. multicast list: add the guest's entries missing on the host; delete the host's
 *      global entries the guest does not list (the kernel's memberships stay). On
 *      overflow QEMU reports an empty table, so all global entries go (step 4 sets
 *      ALLMULTI instead). Non-multicast entries of the guest table are skipped.
 *   3. promiscuous mode: on when the guest is promiscuous or has any VLAN in its table.
 *   4. multicast mode: all → ALLMULTI on; normal → MULTICAST on, ALLMULTI on only while
 *      the guest's table overflowed; none → ALLMULTI and MULTICAST off.
 * Each step is best effort: a failure is logged (VIR_WARN, naming the device and the
 * step, with the error) and reset, and the next step runs. @state may be NULL (then
 * the host's list is read from /proc each time).
 * Returns the number of steps that failed (0..4); never reports an error. A NULL
 * @ifname or @guest is a programming error (g_critical, returns -1).
 */
int virNetDevRxFilterSync(const char *ifname, const virNetDevRxFilter *guest,
                          virNetDevRxFilterHostState *state);

/*
 * Mirrors what changes traffic of the guest filter @guest onto the tap @ifname, a
 * bridge port: when the port does not learn source MACs, the bridge would flood (or,
 * with unicast flooding off, drop) frames for the guest's MAC, so keep exactly one
 * static FDB entry for guest->mac, deleting the one added for an earlier MAC (kept
 * in @state). When the port learns, add nothing (the bridge learns the MAC from the
 * guest's first frame) and delete an entry added while learning was off.
 *
 * Multicast list, multicast mode and promiscuous mode are not mirrored: a tap hands
 * QEMU every frame the kernel delivers to it whatever its flags, and virtio-net
 * filters in software by the guest's own filter; the bridge floods multicast to
 * every port (or, with IGMP/MLD snooping, to ports whose listener joined, which
 * the guest's own reports arrange).
 *
 * Best effort like virNetDevRxFilterSync: each failed step (reading the port's
 * learning flag, deleting the old entry, adding the new one) is logged with
 * VIR_WARN naming the device and the step, and reset. Returns the number of failed
 * steps; never reports an error. A NULL argument is a programming error (-1).
 */
int virNetDevBridgePortSync(const char *ifname, const virNetDevRxFilter *guest,
                            virNetDevRxFilterHostState *state);
