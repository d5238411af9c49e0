/* testnethost.c: the kernel's own view of host devices, read without our code. */
#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <linux/neighbour.h>

#include "testnethost.h"

/* ---- Independent views of the host state (not through the code under test) ---- */

int
testHostIoctl(const char *ifname, unsigned long request, struct ifreq *ifr)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int ret;

    g_assert_cmpint(fd, >=, 0);
    memset(ifr, 0, sizeof(*ifr));
    g_strlcpy(ifr->ifr_name, ifname, sizeof(ifr->ifr_name));
    ret = ioctl(fd, request, ifr);
    close(fd);
    return ret;
}


unsigned int
testHostFlags(const char *ifname)
{
    struct ifreq ifr;

    g_assert_cmpint(testHostIoctl(ifname, SIOCGIFFLAGS, &ifr), ==, 0);
    return (unsigned short)ifr.ifr_flags;
}


char *
testHostMAC(const char *ifname)
{
    struct ifreq ifr;
    const unsigned char *a = (const unsigned char *)ifr.ifr_hwaddr.sa_data;

    g_assert_cmpint(testHostIoctl(ifname, SIOCGIFHWADDR, &ifr), ==, 0);
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
}


/* Orders the char * elements of a GPtrArray. */
int
testHostStrPtrCmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}


/*
 * The entries of @ifname in /proc/thread-self/net/dev_mcast as sorted, comma-joined
 * "aa:bb:cc:dd:ee:ff" strings: the global ones (4th column non-zero) when @global,
 * else the kernel's own (4th column 0).
 */
char *
testHostMcastList(const char *ifname, bool global)
{
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    size_t i;

    g_assert_true(g_file_get_contents("/proc/thread-self/net/dev_mcast", &contents, NULL, NULL));
    lines = g_strsplit(contents, "\n", -1);
    for (i = 0; lines[i]; i++) {
        int index;
        char name[64];
        int users;
        int globalUse;
        char hex[64];

        if (!*lines[i])
            continue;
        g_assert_cmpint(sscanf(lines[i], "%d %63s %d %d %63s", &index, name, &users,
                               &globalUse, hex), ==, 5);
        g_assert_cmpuint(strlen(hex), ==, 12);
        if (strcmp(name, ifname) != 0 || (globalUse != 0) != global)
            continue;
        g_ptr_array_add(found, g_strdup_printf("%.2s:%.2s:%.2s:%.2s:%.2s:%.2s",
                                               hex, hex + 2, hex + 4, hex + 6, hex + 8,
                                               hex + 10));
    }
    g_ptr_array_sort(found, testHostStrPtrCmp);
    g_ptr_array_add(found, NULL);
    return g_strjoinv(",", (char **)found->pdata);
}


typedef struct {
    int ifindex;
    GPtrArray *found;
} testHostFdbData;


static void
testHostFdbOne(struct nl_object *obj, void *opaque)
{
    struct rtnl_neigh *neigh = (struct rtnl_neigh *)obj;
    testHostFdbData *data = opaque;
    struct nl_addr *lladdr = rtnl_neigh_get_lladdr(neigh);
    const unsigned char *a;

    if (rtnl_neigh_get_family(neigh) != AF_BRIDGE ||
        rtnl_neigh_get_ifindex(neigh) != data->ifindex ||
        rtnl_neigh_get_state(neigh) != NUD_NOARP ||
        (rtnl_neigh_get_flags(neigh) & NTF_SELF) ||
        !lladdr || nl_addr_get_len(lladdr) != 6)
        return;
    a = nl_addr_get_binary_addr(lladdr);
    g_ptr_array_add(data->found, g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x",
                                                 a[0], a[1], a[2], a[3], a[4], a[5]));
}


/* Dumps the bridge FDB (RTM_GETNEIGH, family AF_BRIDGE) through libnl's neighbour
 * cache, with the family set by hand: rtnl_neigh_alloc_cache dumps AF_UNSPEC,
 * which lists ARP/ND entries only. */
char *
testHostFdbStatic(const char *ifname)
{
    struct nl_sock *sk = nl_socket_alloc();
    struct nl_cache *cache;
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    testHostFdbData data = { .ifindex = (int)if_nametoindex(ifname), .found = found };

    g_assert_cmpint(data.ifindex, >, 0);
    g_assert_nonnull(sk);
    g_assert_cmpint(nl_connect(sk, NETLINK_ROUTE), ==, 0);
    cache = nl_cache_alloc(nl_cache_ops_lookup("route/neigh"));
    g_assert_nonnull(cache);
    nl_cache_set_arg1(cache, AF_BRIDGE);
    g_assert_cmpint(nl_cache_refill(sk, cache), ==, 0);
    nl_cache_foreach(cache, testHostFdbOne, &data);
    nl_cache_free(cache);
    nl_socket_free(sk);

    g_ptr_array_sort(found, testHostStrPtrCmp);
    g_ptr_array_add(found, NULL);
    return g_strjoinv(",", (char **)found->pdata);
}


int
testHostEnterNetns(void)
{
    if (unshare(CLONE_NEWNET) < 0) {
        printf("Bail out! Cannot enter a new network namespace (this test needs root): %s\n",
               g_strerror(errno));
        return -1;
    }
    return 0;
}


int
testHostEnterNetnsWithSysfs(void)
{
    if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0 ||
        /* The type is ignored for a propagation change; "none" keeps checkers
         * such as valgrind from reading a NULL string. */
        mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("sysfs", "/sys", "sysfs", 0, NULL) < 0) {
        printf("Bail out! Cannot enter new network and mount namespaces (this test needs root): %s\n",
               g_strerror(errno));
        return -1;
    }
    return 0;
}


virMacAddr
testHostParseMAC(const char *str)
{
    virMacAddr mac;

    g_assert_cmpint(virMacAddrParse(str, &mac), ==, 0);
    return mac;
}


virNetDevRxFilter *
testHostGuestFilter(const char *mac, int mode, bool overflow, const char *const *table)
{
    virNetDevRxFilter *guest = virNetDevRxFilterNew();
    size_t n = table ? g_strv_length((char **)table) : 0;
    size_t i;

    guest->name = g_strdup("net0");
    guest->mac = testHostParseMAC(mac);
    guest->multicast.mode = mode;
    guest->multicast.overflow = overflow;
    guest->multicast.table = g_new0(virMacAddr, MAX(n, 1));
    for (i = 0; i < n; i++)
        guest->multicast.table[i] = testHostParseMAC(table[i]);
    guest->multicast.nTable = n;
    guest->unicast.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    guest->vlan.mode = VIR_NETDEV_RX_FILTER_MODE_NORMAL;
    return guest;
}
