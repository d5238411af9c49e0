/* qemu_command.c: the QEMU command line (argv) built from a domain definition. */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "qemu_command.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("qemu.qemu_command");

/* QEMU's PIIX IDE has two buses with two units each; the AHCI controller (q35's
 * built-in one and ich9-ahci) has six ports; the PC has four ISA serial ports. */
#define QEMU_IDE_UNITS_MAX 4
#define QEMU_SATA_PORTS_MAX 6
#define QEMU_ISA_SERIAL_MAX 4
/* The PC BIOS boot order (CMOS) holds three devices; QEMU refuses more. */
#define QEMU_BOOT_ORDER_MAX 3
/* virtio-scsi accepts scsi-id 0..255. */
#define QEMU_SCSI_ID_MAX 256

typedef struct {
    GPtrArray *args;
    bool q35;
} qemuCommandBuilder;


static void G_GNUC_PRINTF(2, 3)
qemuCommandAdd(qemuCommandBuilder *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(cmd->args, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}


/* A QEMU option value: every ',' doubled so it cannot start another key. */
static char *
qemuCommandEscape(const char *value)
{
    GString *buf = g_string_new(NULL);
    const char *p;

    for (p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(buf, ',');
        g_string_append_c(buf, *p);
    }
    return g_string_free(buf, FALSE);
}


static bool
qemuCommandIsQ35(const char *machine)
{
    return STREQ(machine, "q35") || g_str_has_prefix(machine, "pc-q35");
}


static int
qemuBuildLifecycle(qemuCommandBuilder *cmd, const virDomainDef *def)
{
    switch ((int)def->onPoweroff) {
    case VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY:
        break;
    case VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE:
        qemuCommandAdd(cmd, "-no-shutdown");
        break;
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported <on_poweroff> action '%1$s': qvirt supports destroy and preserve."),
                       NULLSTR(virDomainLifecycleActionTypeToString(def->onPoweroff)));
        return -1;
    }

    switch ((int)def->onReboot) {
    case VIR_DOMAIN_LIFECYCLE_ACTION_RESTART:
        break;
    case VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY:
        qemuCommandAdd(cmd, "-no-reboot");
        break;
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported <on_reboot> action '%1$s': qvirt supports restart and destroy."),
                       NULLSTR(virDomainLifecycleActionTypeToString(def->onReboot)));
        return -1;
    }
    return 0;
}


static int
qemuBuildBoot(qemuCommandBuilder *cmd, const virDomainDef *def)
{
    static const char letters[VIR_DOMAIN_BOOT_LAST] = {
        [VIR_DOMAIN_BOOT_FLOPPY] = 'a',
        [VIR_DOMAIN_BOOT_CDROM] = 'd',
        [VIR_DOMAIN_BOOT_DISK] = 'c',
        [VIR_DOMAIN_BOOT_NET] = 'n',
    };
    char order[VIR_DOMAIN_BOOT_MAX + 1] = { 0 };
    size_t i;

    if (def->nboot == 0)
        return 0;
    if (def->nboot > QEMU_BOOT_ORDER_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Domain '%1$s' has %2$zu <boot> devices, but the PC boot order holds at most %3$d."),
                       def->name, def->nboot, QEMU_BOOT_ORDER_MAX);
        return -1;
    }
    for (i = 0; i < def->nboot && i < VIR_DOMAIN_BOOT_MAX; i++)
        order[i] = letters[def->boot[i]];
    qemuCommandAdd(cmd, "-boot");
    qemuCommandAdd(cmd, "order=%s", order);
    return 0;
}


/* The unit a disk's target name selects: vda/hda/sda -> 0, ...b -> 1, ...aa -> 26.
 * Returns -1 with an error for a name without that shape. */
static int
qemuDiskIndex(const virDomainDiskDef *disk)
{
    const char *p;
    long idx = 0;

    if (strlen(disk->dst) < 3 || disk->dst[1] != 'd')
        goto error;
    for (p = disk->dst + 2; *p; p++) {
        if (*p < 'a' || *p > 'z')
            goto error;
        idx = idx * 26 + (*p - 'a' + 1);
        if (idx > 100000)
            goto error;
    }
    return (int)idx - 1;

 error:
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   _("Cannot derive the unit of disk '%1$s' from its target name: use hdX, sdX or vdX."),
                   disk->dst);
    return -1;
}


static void
qemuBuildControllers(qemuCommandBuilder *cmd, const virDomainDef *def)
{
    bool sata = false;
    bool scsi = false;
    bool virtioSerial = false;
    size_t i;

    for (i = 0; i < def->ndisks; i++) {
        if (def->disks[i]->bus == VIR_DOMAIN_DISK_BUS_SATA)
            sata = true;
        else if (def->disks[i]->bus == VIR_DOMAIN_DISK_BUS_SCSI)
            scsi = true;
    }
    for (i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->targetType == VIR_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO)
            virtioSerial = true;
    }

    if (!def->usbNone) {
        qemuCommandAdd(cmd, "-device");
        qemuCommandAdd(cmd, "%s,id=usb", cmd->q35 ? "qemu-xhci" : "piix3-usb-uhci");
    }
    if (sata && !cmd->q35) {
        qemuCommandAdd(cmd, "-device");
        qemuCommandAdd(cmd, "ich9-ahci,id=sata0");
    }
    if (scsi) {
        qemuCommandAdd(cmd, "-device");
        qemuCommandAdd(cmd, "virtio-scsi-pci,id=scsi0");
    }
    if (virtioSerial) {
        qemuCommandAdd(cmd, "-device");
        qemuCommandAdd(cmd, "virtio-serial-pci,id=virtio-serial0");
    }
}


static int
qemuBuildDisk(qemuCommandBuilder *cmd, const virDomainDiskDef *disk)
{
    bool cdrom = disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM;
    bool readonly = disk->readonly || cdrom;
    const char *format = disk->format == VIR_DOMAIN_DISK_FORMAT_QCOW2 ? "qcow2" : "raw";
    g_autofree char *alias = qemuCommandEscape(disk->alias);
    g_autofree char *device = NULL;
    g_autoptr(GString) drive = g_string_new(NULL);
    int idx = -1;

    if (disk->bus != VIR_DOMAIN_DISK_BUS_VIRTIO && (idx = qemuDiskIndex(disk)) < 0)
        return -1;

    switch (disk->bus) {
    case VIR_DOMAIN_DISK_BUS_VIRTIO:
        if (cdrom) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Disk '%1$s' is a cdrom on the virtio bus, which QEMU does not support: use bus ide, sata or scsi."),
                           disk->dst);
            return -1;
        }
        device = g_strdup_printf("virtio-blk-pci,drive=drive-%s,id=%s", alias, alias);
        break;

    case VIR_DOMAIN_DISK_BUS_IDE:
    case VIR_DOMAIN_DISK_BUS_SATA: {
        bool ide = disk->bus == VIR_DOMAIN_DISK_BUS_IDE;
        g_autofree char *bus = NULL;

        if (ide && cmd->q35) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Disk '%1$s' is on the IDE bus, which q35 machines do not have: use bus sata."),
                           disk->dst);
            return -1;
        }
        if (idx >= (ide ? QEMU_IDE_UNITS_MAX : QEMU_SATA_PORTS_MAX)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Disk '%1$s' needs unit %2$d, but the %3$s controller has units 0 to %4$d."),
                           disk->dst, idx, ide ? "IDE" : "SATA",
                           (ide ? QEMU_IDE_UNITS_MAX : QEMU_SATA_PORTS_MAX) - 1);
            return -1;
        }
        if (disk->readonly && !cdrom) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Disk '%1$s' is a read-only IDE/SATA hard disk, which QEMU does not support: use a cdrom, virtio or scsi."),
                           disk->dst);
            return -1;
        }
        if (ide)
            bus = g_strdup_printf("ide.%d,unit=%d", idx / 2, idx % 2);
        else
            bus = g_strdup_printf("%s.%d", cmd->q35 ? "ide" : "sata0", idx);
        device = g_strdup_printf("%s,bus=%s,drive=drive-%s,id=%s",
                                 cdrom ? "ide-cd" : "ide-hd", bus, alias, alias);
        break;
    }

    case VIR_DOMAIN_DISK_BUS_SCSI:
        if (idx >= QEMU_SCSI_ID_MAX) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Disk '%1$s' needs SCSI id %2$d, but the controller has ids 0 to %3$d."),
                           disk->dst, idx, QEMU_SCSI_ID_MAX - 1);
            return -1;
        }
        device = g_strdup_printf("%s,bus=scsi0.0,channel=0,scsi-id=%d,lun=0,drive=drive-%s,id=%s",
                                 cdrom ? "scsi-cd" : "scsi-hd", idx, alias, alias);
        break;

    case VIR_DOMAIN_DISK_BUS_LAST:
    default:
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Disk '%1$s' has an unknown bus %2$d."), disk->dst, (int)disk->bus);
        return -1;
    }

    if (disk->src) {
        g_autofree char *src = qemuCommandEscape(disk->src);

        g_string_append_printf(drive, "file=%s,format=%s,", src, format);
    }
    g_string_append_printf(drive, "if=none,id=drive-%s", alias);
    if (readonly)
        g_string_append(drive, ",readonly=on");

    qemuCommandAdd(cmd, "-drive");
    qemuCommandAdd(cmd, "%s", drive->str);
    qemuCommandAdd(cmd, "-device");
    qemuCommandAdd(cmd, "%s", device);
    return 0;
}


static const char *
qemuNetDeviceModel(const virDomainNetDef *net)
{
    if (!net->model || STREQ(net->model, "virtio"))
        return "virtio-net-pci";
    if (STREQ(net->model, "e1000"))
        return "e1000";
    if (STREQ(net->model, "rtl8139"))
        return "rtl8139";

    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   _("Unsupported model '%1$s' of interface '%2$s': use virtio, e1000 or rtl8139."),
                   net->model, net->alias);
    return NULL;
}


static int
qemuBuildNet(qemuCommandBuilder *cmd, const virDomainNetDef *net, int fd)
{
    g_autofree char *alias = qemuCommandEscape(net->alias);
    const char *model;
    char mac[VIR_MAC_STRING_BUFLEN];

    if (!(model = qemuNetDeviceModel(net)))
        return -1;
    if (fd < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Interface '%1$s' has no open tap device to give QEMU."), net->alias);
        return -1;
    }
    virMacAddrFormat(&net->mac, mac);

    qemuCommandAdd(cmd, "-netdev");
    qemuCommandAdd(cmd, "tap,fd=%d,id=host%s", fd, alias);
    qemuCommandAdd(cmd, "-device");
    qemuCommandAdd(cmd, "%s,netdev=host%s,id=%s,mac=%s", model, alias, alias, mac);
    return 0;
}


/* -chardev for @chr with id "char" + @alias. */
static void
qemuBuildChardev(qemuCommandBuilder *cmd, const virDomainChrDef *chr, const char *alias)
{
    g_autofree char *path = chr->path ? qemuCommandEscape(chr->path) : NULL;

    qemuCommandAdd(cmd, "-chardev");
    switch (chr->type) {
    case VIR_DOMAIN_CHR_TYPE_FILE:
        qemuCommandAdd(cmd, "file,id=char%s,path=%s", alias, path);
        break;
    case VIR_DOMAIN_CHR_TYPE_UNIX:
        if (chr->mode == VIR_DOMAIN_CHR_SOURCE_MODE_BIND)
            qemuCommandAdd(cmd, "socket,id=char%s,path=%s,server=on,wait=off", alias, path);
        else
            qemuCommandAdd(cmd, "socket,id=char%s,path=%s", alias, path);
        break;
    case VIR_DOMAIN_CHR_TYPE_PTY:
    case VIR_DOMAIN_CHR_TYPE_LAST:
    default:
        /* A pty's <source path> is live data (what QEMU allocated), never an input. */
        qemuCommandAdd(cmd, "pty,id=char%s", alias);
        break;
    }
}


static int
qemuBuildIsaSerial(qemuCommandBuilder *cmd, const virDomainChrDef *chr)
{
    g_autofree char *alias = qemuCommandEscape(chr->alias);

    if (chr->type != VIR_DOMAIN_CHR_TYPE_PTY && !chr->path) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Serial device '%1$s' of type '%2$s' has no <source path>."),
                       chr->alias, NULLSTR(virDomainChrTypeToString(chr->type)));
        return -1;
    }
    if (chr->port < 0 || chr->port >= QEMU_ISA_SERIAL_MAX) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Serial device '%1$s' uses port %2$d, but the PC has only ports 0 to %3$d."),
                       chr->alias, chr->port, QEMU_ISA_SERIAL_MAX - 1);
        return -1;
    }
    qemuBuildChardev(cmd, chr, alias);
    qemuCommandAdd(cmd, "-device");
    qemuCommandAdd(cmd, "isa-serial,chardev=char%s,id=%s,index=%d", alias, alias, chr->port);
    return 0;
}


static int
qemuBuildSerialsAndConsoles(qemuCommandBuilder *cmd, const virDomainDef *def)
{
    size_t i;
    size_t j;

    for (i = 0; i < def->nserials; i++) {
        if (qemuBuildIsaSerial(cmd, def->serials[i]) < 0)
            return -1;
    }

    for (i = 0; i < def->nconsoles; i++) {
        const virDomainChrDef *con = def->consoles[i];
        bool shared = false;

        if (con->targetType == VIR_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO) {
            g_autofree char *alias = qemuCommandEscape(con->alias);

            if (con->type != VIR_DOMAIN_CHR_TYPE_PTY && !con->path) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               _("Console '%1$s' of type '%2$s' has no <source path>."),
                               con->alias, NULLSTR(virDomainChrTypeToString(con->type)));
                return -1;
            }
            qemuBuildChardev(cmd, con, alias);
            qemuCommandAdd(cmd, "-device");
            qemuCommandAdd(cmd, "virtconsole,bus=virtio-serial0.0,chardev=char%s,id=%s",
                           alias, alias);
            continue;
        }

        /* A serial console is the serial device on its port (libvirt's rule): only
         * when no <serial> has that port does the console get an ISA serial port. */
        for (j = 0; j < def->nserials; j++) {
            if (def->serials[j]->port == con->port)
                shared = true;
        }
        if (!shared && qemuBuildIsaSerial(cmd, con) < 0)
            return -1;
    }
    return 0;
}


static int
qemuBuildCheckArch(const virDomainDef *def)
{
    const char *arch = def->osArch ? def->osArch : "x86_64";

    if (!STREQ(arch, "x86_64") && !STREQ(arch, "i686")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported architecture '%1$s': qvirt runs x86_64 and i686 guests."),
                       arch);
        return -1;
    }
    return 0;
}


char *
qemuBuildMonitorChardev(const char *monitorPath)
{
    g_autofree char *path = qemuCommandEscape(monitorPath);

    return g_strdup_printf("socket,id=charmonitor,path=%s,server=on,wait=off", path);
}


char **
qemuBuildCommandLine(const virDomainDef *def, const qemuCommandParams *params)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    qemuCommandBuilder cmd = { .args = args };
    const char *machine = def->osMachine ? def->osMachine : "pc";
    g_autofree char *name = NULL;
    g_autofree char *monitor = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    bool kvm = false;
    size_t i;

    g_return_val_if_fail(def != NULL && params != NULL, NULL);
    g_return_val_if_fail(params->emulator != NULL && params->monitorPath != NULL, NULL);

    if (qemuBuildCheckArch(def) < 0)
        return NULL;
    if (params->nnetFds != def->nnets) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Domain '%1$s' has %2$zu interfaces but %3$zu tap devices were opened for it."),
                       def->name, def->nnets, params->nnetFds);
        return NULL;
    }
    cmd.q35 = qemuCommandIsQ35(machine);

    if (def->virtType == VIR_DOMAIN_VIRT_KVM) {
        if (params->kvm)
            kvm = true;
        else
            VIR_WARN("Domain '%s' asks for KVM, which this host lacks: running it under TCG",
                     def->name);
    }

    name = qemuCommandEscape(def->name);
    monitor = qemuBuildMonitorChardev(params->monitorPath);
    virDomainUUIDFormat(def->uuid, uuid);

    qemuCommandAdd(&cmd, "%s", params->emulator);
    qemuCommandAdd(&cmd, "-name");
    qemuCommandAdd(&cmd, "guest=%s,debug-threads=on", name);
    qemuCommandAdd(&cmd, "-S");
    qemuCommandAdd(&cmd, "-machine");
    qemuCommandAdd(&cmd, "%s,usb=off%s", machine, def->acpi ? "" : ",acpi=off");
    qemuCommandAdd(&cmd, "-accel");
    qemuCommandAdd(&cmd, "%s", kvm ? "kvm" : "tcg");
    qemuCommandAdd(&cmd, "-m");
    qemuCommandAdd(&cmd, "size=%lluk", def->memory);
    qemuCommandAdd(&cmd, "-smp");
    qemuCommandAdd(&cmd, "%u", def->vcpus);
    qemuCommandAdd(&cmd, "-uuid");
    qemuCommandAdd(&cmd, "%s", uuid);
    qemuCommandAdd(&cmd, "-no-user-config");
    qemuCommandAdd(&cmd, "-nodefaults");
    qemuCommandAdd(&cmd, "-chardev");
    qemuCommandAdd(&cmd, "%s", monitor);
    qemuCommandAdd(&cmd, "-mon");
    qemuCommandAdd(&cmd, "chardev=charmonitor,id=monitor,mode=control");
    qemuCommandAdd(&cmd, "-rtc");
    qemuCommandAdd(&cmd, "base=%s",
                   def->clockOffset == VIR_DOMAIN_CLOCK_OFFSET_LOCALTIME ? "localtime" : "utc");
    if (qemuBuildLifecycle(&cmd, def) < 0)
        return NULL;
    if (qemuBuildBoot(&cmd, def) < 0)
        return NULL;
    if (def->osKernel) {
        qemuCommandAdd(&cmd, "-kernel");
        qemuCommandAdd(&cmd, "%s", def->osKernel);
    }
    if (def->osInitrd) {
        qemuCommandAdd(&cmd, "-initrd");
        qemuCommandAdd(&cmd, "%s", def->osInitrd);
    }
    if (def->osCmdline) {
        qemuCommandAdd(&cmd, "-append");
        qemuCommandAdd(&cmd, "%s", def->osCmdline);
    }
    qemuCommandAdd(&cmd, "-display");
    qemuCommandAdd(&cmd, "none");

    qemuBuildControllers(&cmd, def);
    for (i = 0; i < def->ndisks; i++) {
        if (qemuBuildDisk(&cmd, def->disks[i]) < 0)
            return NULL;
    }
    for (i = 0; i < def->nnets; i++) {
        if (qemuBuildNet(&cmd, def->nets[i], params->netFds[i]) < 0)
            return NULL;
    }
    if (qemuBuildSerialsAndConsoles(&cmd, def) < 0)
        return NULL;
    if (!def->memballoonNone) {
        qemuCommandAdd(&cmd, "-device");
        qemuCommandAdd(&cmd, "virtio-balloon-pci,id=balloon0");
    }
    qemuCommandAdd(&cmd, "-msg");
    qemuCommandAdd(&cmd, "timestamp=on");

    g_ptr_array_add(args, NULL);
    return (char **)g_ptr_array_steal(args, NULL);
}


char *
qemuBuildCommandLineString(const char *const *argv)
{
    GString *buf = g_string_new(NULL);
    size_t i;

    for (i = 0; argv && argv[i]; i++) {
        const char *arg = argv[i];
        bool plain = *arg != '\0' &&
            arg[strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                            "0123456789_=,./:@%+-")] == '\0';

        if (i > 0)
            g_string_append_c(buf, ' ');
        if (plain) {
            g_string_append(buf, arg);
        } else {
            g_autofree char *quoted = g_shell_quote(arg);

            g_string_append(buf, quoted);
        }
    }
    return g_string_free(buf, FALSE);
}


static char *
qemuCheckEmulator(const char *path)
{
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) || access(path, X_OK) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Cannot find QEMU binary '%1$s': it is not an executable file."), path);
        return NULL;
    }
    return g_strdup(path);
}


char *
qemuFindEmulator(const virDomainDef *def, const char *configDefault)
{
    const char *arch = def->osArch ? def->osArch : "x86_64";
    g_autofree char *binary = NULL;
    char *found;

    if (def->emulator)
        return qemuCheckEmulator(def->emulator);
    if (configDefault)
        return qemuCheckEmulator(configDefault);

    binary = g_strdup_printf("qemu-system-%s", arch);
    if (!(found = g_find_program_in_path(binary))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Cannot find QEMU binary '%1$s' on PATH for domain '%2$s': install it or give <emulator>."),
                       binary, def->name);
        return NULL;
    }
    return found;
}
