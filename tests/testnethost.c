/* testnethost.c: the kernel's own view of host devices, read without our code. */
#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

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
