/* qemu_command.h: the QEMU command line (argv) built from a domain definition. */
#pragma once

#include "domain_conf.h"

/*
 * What the argv holds, in order (libvirt's spelling where libvirt has one):
 *   EMULATOR -name guest=NAME,debug-threads=on -S -machine M,usb=off[,acpi=off]
 *   -accel tcg|kvm -m size=NNNk -smp N -uuid UUID -no-user-config -nodefaults
 *   -chardev socket,id=charmonitor,path=MON,server=on,wait=off
 *   -mon chardev=charmonitor,id=monitor,mode=control -rtc base=utc|localtime
 *   [-no-shutdown] [-no-reboot] [-boot order=...] [-kernel -initrd -append]
 *   -display none, controllers, disks, NICs, serials, consoles, balloon,
 *   -msg timestamp=on
 *
 * Decisions:
 * - `-S` always: QEMU waits for `cont`, so the process layer can sync every trusted
 *   NIC's rx filter (and apply link state) before the guest runs.
 * - Lifecycle: on_poweroff='destroy' (the default) lets QEMU exit when the guest
 *   powers off; 'preserve' adds -no-shutdown (QEMU stays, paused). on_reboot='restart'
 *   is QEMU's own behaviour; 'destroy' adds -no-reboot. Other actions are refused:
 *   nothing in qvirt would carry them out. on_crash is not on the command line (no
 *   panic device; a crash is seen as QEMU's exit or GUEST_PANICKED).
 * - An interface without <model> is virtio-net-pci (libvirt picks rtl8139 on x86):
 *   qvirt exists to mirror virtio rx filters. e1000 and rtl8139 are accepted too.
 * - <link state='down'> is not expressible on the command line: the process layer
 *   sends `set_link` before `cont`.
 * - <currentMemory> is set through the balloon after start, not here; <vcpu
 *   placement> and <apic/> have no argv (x86 QEMU always has an APIC).
 * - Disks use -drive if=none + -device. IDE exists only on i440fx ("pc") machines;
 *   SATA uses q35's built-in AHCI (ide.N) or an added ich9-ahci (sata0.N) on pc;
 *   SCSI disks go on one virtio-scsi-pci controller (scsi0). A cdrom is always
 *   read-only; a read-only IDE/SATA hard disk is refused (QEMU cannot do it).
 * - Only x86 (x86_64, i686) guests are built.
 */

typedef struct _qemuCommandParams qemuCommandParams;
struct _qemuCommandParams {
    const char *emulator;     /* the binary, already resolved (qemuFindEmulator) */
    const char *monitorPath;  /* the QMP UNIX socket QEMU listens on */
    bool kvm;                 /* the host has a usable /dev/kvm */
    const int *netFds;        /* one open tap/macvtap fd per def->nets[i], in order */
    size_t nnetFds;
};

/*
 * Builds QEMU's argv for @def. Accel is kvm when the domain type is 'kvm' and
 * @params->kvm is true, else tcg (a type='kvm' domain on a host without KVM runs
 * under TCG with a warning logged).
 * Returns a NULL-terminated vector (free with g_strfreev), or NULL with an error
 * reported (VIR_FROM_QEMU) when @def asks for something QEMU cannot be given.
 */
char **qemuBuildCommandLine(const virDomainDef *def, const qemuCommandParams *params);

/*
 * The -chardev value of the QMP monitor on @monitorPath, as the argv carries it
 * (commas doubled): also how a process is recognised as the QEMU of that socket.
 */
char *qemuBuildMonitorChardev(const char *monitorPath);

/*
 * @argv as one line for logs: arguments joined by spaces, shell-quoted where they
 * hold anything beyond [A-Za-z0-9_=,./:@%+-]. Never NULL.
 */
char *qemuBuildCommandLineString(const char *const *argv);

/*
 * The QEMU binary for @def: <emulator> if given, else @configDefault (may be NULL),
 * else qemu-system-ARCH found on PATH (ARCH from <type arch>, x86_64 when absent).
 * The result must be an executable file. Returns a new string (g_free), or NULL with
 * an error reported.
 */
char *qemuFindEmulator(const virDomainDef *def, const char *configDefault);
