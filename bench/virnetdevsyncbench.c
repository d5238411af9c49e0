/* virnetdevsyncbench.c: cost of one macvtap rx filter sync as the host grows. */
#include <config.h>

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "virerror.h"
#include "virnetdev.h"
#include "virnetlink.h"

/*
 * Usage (root): virnetdevsyncbench [SYNCS]
 *
 * In a network namespace of its own, creates 1, 100 and 1,000 macvtaps on a veth,
 * each with 10 global multicast entries, and times virNetDevRxFilterSync on one of
 * them, alternating between two guest filters that differ in MAC, two multicast
 * groups and the promiscuous flag (so every sync changes the device):
 *
 *  - with the device's host state known (qvirt created the macvtap and remembers the
 *    entries it added): no /proc read;
 *  - with the state unknown before each sync (as after a daemon restart, or as
 *    libvirt does on every sync): /proc/net/dev_mcast is read, whose size grows with
 *    every multicast entry on the host.
 *
 * The program defines ioctl() and socket() itself to count the calls a sync makes
 * (each control socket is closed again); the /proc read of the second variant is
 * counted in bytes.
 */

static bool counting;
static size_t ioctlCalls;
static size_t socketCalls;


int
ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    void *arg;

    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);
    if (counting)
        ioctlCalls++;
    return syscall(SYS_ioctl, fd, request, arg);
}


int
socket(int domain, int type, int protocol)
{
    if (counting)
        socketCalls++;
    return syscall(SYS_socket, domain, type, protocol);
}

static void
check(int rc, const char *what)
{
    if (rc < 0)
        g_error("%s: %s", what, virErrorGetLastMessage());
}


static virNetDevRxFilter *
guestFilter(int variant)
{
    virNetDevRxFilter *f = virNetDevRxFilterNew();
    const char *mcast[2][3] = {
        { "01:00:5e:00:01:01", "01:00:5e:00:01:02", "33:33:00:00:01:01" },
        { "01:00:5e:00:01:01", "01:00:5e:00:02:02", "33:33:00:00:02:02" },
    };
    size_t i;

    f->name = g_strdup("net0");
    virMacAddrParse(variant ? "52:54:00:00:aa:02" : "52:54:00:00:aa:01", &f->mac);
    f->promiscuous = variant;
    f->multicast.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    f->unicast.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    f->vlan.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    f->multicast.table = g_new0(virMacAddr, 3);
    for (i = 0; i < 3; i++)
        virMacAddrParse(mcast[variant][i], &f->multicast.table[i]);
    f->multicast.nTable = 3;
    return f;
}


static void
addDevices(size_t from, size_t to)
{
    size_t i;
    int j;

    for (i = from; i < to; i++) {
        g_autofree char *name = g_strdup_printf("qvb%zu", i);
        virMacAddr mac = { { 0x52, 0x54, 0x00, 0x10, (i >> 8) & 0xff, i & 0xff } };

        check(virNetlinkMacvtapCreate(name, "qvbveth0", VIR_NETLINK_MACVTAP_MODE_BRIDGE, &mac),
              "macvtap create");
        check(virNetlinkLinkSetUp(name, true), "link up");
        for (j = 0; j < 10; j++) {
            virMacAddr group = { { 0x01, 0x00, 0x5e, 0x7f, (i >> 8) & 0x7f, (i + j * 7) & 0xff } };
            check(virNetDevAddMulti(name, &group), "add multicast");
        }
    }
}


static double
timeSyncs(size_t syncs, bool keepState)
{
    g_autoptr(virNetDevRxFilter) a = guestFilter(0);
    g_autoptr(virNetDevRxFilter) b = guestFilter(1);
    virNetDevRxFilterHostState state = { 0 };
    gint64 start;
    size_t i;

    /* First sync learns the device; not timed. */
    virNetDevRxFilterSync("qvb0", a, &state);
    ioctlCalls = socketCalls = 0;
    counting = true;
    start = g_get_monotonic_time();
    for (i = 0; i < syncs; i++) {
        if (!keepState)
            virNetDevRxFilterHostStateClear(&state);
        if (virNetDevRxFilterSync("qvb0", i % 2 ? a : b, &state) != 0)
            g_error("sync failed");
    }
    counting = false;
    virNetDevRxFilterHostStateClear(&state);
    return (double)(g_get_monotonic_time() - start) / syncs;
}


/* Bytes of /proc/net/dev_mcast: what a sync that does not know the device reads. */
static size_t
procMcastBytes(void)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_get_contents("/proc/net/dev_mcast", &text, &len, NULL))
        return 0;
    return len;
}


int
main(int argc, char **argv)
{
    size_t syncs = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
    const size_t counts[] = { 1, 100, 1000 };
    size_t have = 0;
    size_t i;

    if (syncs < 1) {
        fprintf(stderr, "usage: %s [SYNCS>=1]\n", argv[0]);
        return 2;
    }
    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr, "Cannot enter a new network namespace (needs root): %s\n",
                g_strerror(errno));
        return 1;
    }
    check(virNetlinkLinkSetUp("lo", true), "lo up");
    check(virNetlinkVethCreate("qvbveth0", "qvbveth1"), "veth create");
    check(virNetlinkLinkSetUp("qvbveth0", true), "veth up");
    check(virNetlinkLinkSetUp("qvbveth1", true), "veth up");

    printf("%-10s %22s %26s %28s\n", "macvtaps", "state known (us/sync)",
           "state read from /proc (us/sync)", "calls per sync (ioctl+socket)");
    for (i = 0; i < G_N_ELEMENTS(counts); i++) {
        double known;
        double proc;
        size_t knownIoctls;
        size_t knownSockets;

        addDevices(have, counts[i]);
        have = counts[i];
        known = timeSyncs(syncs, true);
        knownIoctls = ioctlCalls;
        knownSockets = socketCalls;
        proc = timeSyncs(syncs, false);
        printf("%-10zu %22.1f %26.1f %12.1f+%.1f known, %.1f+%.1f + %zu /proc bytes\n",
               counts[i], known, proc, (double)knownIoctls / syncs,
               (double)knownSockets / syncs, (double)ioctlCalls / syncs,
               (double)socketCalls / syncs, procMcastBytes());
    }
    printf("%zu syncs per figure, each changing MAC, 2 of 3 multicast groups and promiscuous mode;\n"
           "every macvtap carries 10 global multicast entries.\n", syncs);
    return 0;
}
