/* virnetdevtap.h: creating tap devices through /dev/net/tun. */
#pragma once

#include "internal.h"

/*
 * Creates the tap device @name (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, not persistent)
 * and stores its close-on-exec fd in @tapfd: the device lives as long as the fd is
 * open. Returns 0, or -1 with an error naming the device and the step.
 * This uses the TUNSETIFF ioctl, not netlink, because the fd it returns is what QEMU
 * gets; a netlink-created tap would still need opening through /dev/net/tun.
 */
int virNetDevTapCreate(const char *name, int *tapfd);
