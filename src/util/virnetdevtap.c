/* virnetdevtap.c: creating tap devices through /dev/net/tun. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "virnetdevtap.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.netdevtap");

#define VIR_NETDEV_TUN_PATH "/dev/net/tun"


int
virNetDevTapCreate(const char *name, int *tapfd)
{
    struct ifreq ifr;
    int fd;

    if (!name || !*name || strlen(name) >= sizeof(ifr.ifr_name)) {
        virReportError(VIR_ERR_INVALID_ARG,
                       _("Network device name '%1$s' is empty, too long or missing."),
                       NULLSTR(name));
        return -1;
    }

    if ((fd = open(VIR_NETDEV_TUN_PATH, O_RDWR | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, _("Cannot open %1$s to create tap device '%2$s'"),
                             VIR_NETDEV_TUN_PATH, name);
        return -1;
    }

    memset(&ifr, 0, sizeof(ifr));
    g_strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int saved = errno;

        close(fd);
        virReportSystemError(saved, _("Cannot create tap device '%1$s'"), name);
        return -1;
    }

    VIR_DEBUG("Created tap device '%s' (fd %d)", name, fd);
    *tapfd = fd;
    return 0;
}
