/* remote_dispatch.h: qvirtd's REMOTE and QEMU programs: libvirt's procedures mapped onto the QEMU driver. */
#pragma once

#include "internal.h"
#include "qemu_driver.h"
#include "virnetserver.h"

/*
 * Registers libvirt's REMOTE program (0x20008086) and QEMU program (0x20008087),
 * version 1, on @server; every handler calls @driver, which must outlive @server.
 * The procedures are what the real virsh sends on connect and for the domain
 * commands (../shared/reference/virsh-rpc.md); any other one is answered with
 * VIR_ERR_NO_SUPPORT by the server. Call before virNetServerListenUNIX().
 * Returns 0, or -1 with an error reported.
 */
int remoteDispatchRegister(virNetServer *server, qemuDriver *driver);
