/* testnethost.h: the kernel's own view of host devices, read without our code. */
#pragma once

#include <net/if.h>

#include "internal.h"
#include "virmacaddr.h"
#include "virnetdevrxfilter.h"

/* Host device tests check results against these, never against our own reads. */

int testHostIoctl(const char *ifname, unsigned long request, struct ifreq *ifr);
/* The IFF_* flags of @ifname (SIOCGIFFLAGS). */
unsigned int testHostFlags(const char *ifname);
/* The MAC of @ifname as "aa:bb:cc:dd:ee:ff". */
char *testHostMAC(const char *ifname);
int testHostStrPtrCmp(const void *a, const void *b);
/* Sorted, comma-joined multicast entries of @ifname from /proc: the global ones when
 * @global, else the kernel's own. */
char *testHostMcastList(const char *ifname, bool global);
/* Sorted, comma-joined static ("bridge fdb ... static": NUD_NOARP, master) bridge
 * forwarding entries on port @ifname, from a netlink dump of its own (libnl). */
char *testHostFdbStatic(const char *ifname);

/* @str parsed as a MAC address (the test fails on a typo). */
virMacAddr testHostParseMAC(const char *str);

/* A guest filter for NIC net0 as query-rx-filter would give it: @mac, multicast mode
 * @mode (overflowed when @overflow) with the NULL-terminated @table, unicast and VLAN
 * modes normal, not promiscuous. */
virNetDevRxFilter *testHostGuestFilter(const char *mac, int mode, bool overflow,
                                       const char *const *table);

/* Moves the calling thread (call it in main(), before any thread exists) into a
 * network namespace of its own, which dies with the process. -1 with a TAP bail-out
 * line printed when that is not allowed. */
int testHostEnterNetns(void);

/* The same, plus a mount namespace with a fresh sysfs, so /sys/class/net shows this
 * network namespace's devices (sysfs shows the namespace it was mounted in). */
int testHostEnterNetnsWithSysfs(void);
