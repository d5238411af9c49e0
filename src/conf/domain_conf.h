/* domain_conf.h: libvirt domain XML, parsed into virDomainDef and formatted back. */
#pragma once

#include "internal.h"
#include <libvirt/libvirt.h>

#include "virmacaddr.h"

/*
 * Scope: the subset of libvirt's domain XML that qvirt runs, in libvirt's own
 * spelling, so a file written for libvirt (or by `virsh dumpxml`) loads unchanged as
 * long as it stays inside the subset.
 *
 * Unknown elements are REJECTED, at every level this parser reads, with
 * "Unsupported element <NAME> in domain XML." (VIR_ERR_CONFIG_UNSUPPORTED): a
 * setting qvirt silently dropped would be a VM that runs differently from what its
 * owner wrote. The one exception is <address> inside a device: libvirt writes PCI/
 * drive addresses into every dumped device, and qvirt assigns its own, so those are
 * ignored (logged at info level). Unknown attributes are ignored, as libvirt does.
 * <graphics> is refused with its own message: qvirt runs guests headless.
 *
 * Error convention: parse functions return NULL and report one error
 * (VIR_FROM_DOMAIN; VIR_ERR_XML_ERROR for malformed or invalid values,
 * VIR_ERR_CONFIG_UNSUPPORTED for valid libvirt XML qvirt does not support). Messages
 * name the element, the attribute and the offending value.
 *
 * Security: the input is untrusted. It is bounded (VIR_DOMAIN_XML_MAX_SIZE), parsed
 * with network access off and entity substitution off, and any document with a
 * DOCTYPE is refused before libxml2 sees it (no entity expansion, no external DTD).
 */

/* Largest domain XML accepted. A libvirt domain with dozens of devices is ~20 KiB;
 * 1 MiB leaves room for long descriptions while bounding what one define costs. */
#define VIR_DOMAIN_XML_MAX_SIZE (1024 * 1024)

/* At most one <boot> per device kind, as in libvirt. */
#define VIR_DOMAIN_BOOT_MAX 4

typedef enum {
    VIR_TRISTATE_BOOL_ABSENT = 0,
    VIR_TRISTATE_BOOL_YES,
    VIR_TRISTATE_BOOL_NO,

    VIR_TRISTATE_BOOL_LAST
} virTristateBool;

typedef enum {
    VIR_DOMAIN_VIRT_QEMU,
    VIR_DOMAIN_VIRT_KVM,

    VIR_DOMAIN_VIRT_LAST
} virDomainVirtType;

typedef enum {
    VIR_DOMAIN_VCPU_PLACEMENT_ABSENT = 0,
    VIR_DOMAIN_VCPU_PLACEMENT_STATIC,
    VIR_DOMAIN_VCPU_PLACEMENT_AUTO,

    VIR_DOMAIN_VCPU_PLACEMENT_LAST
} virDomainVcpuPlacement;

typedef enum {
    VIR_DOMAIN_BOOT_FLOPPY,
    VIR_DOMAIN_BOOT_CDROM,
    VIR_DOMAIN_BOOT_DISK,
    VIR_DOMAIN_BOOT_NET,

    VIR_DOMAIN_BOOT_LAST
} virDomainBootDev;

typedef enum {
    VIR_DOMAIN_CLOCK_OFFSET_UTC,
    VIR_DOMAIN_CLOCK_OFFSET_LOCALTIME,

    VIR_DOMAIN_CLOCK_OFFSET_LAST
} virDomainClockOffset;

typedef enum {
    VIR_DOMAIN_DISK_DEVICE_DISK,
    VIR_DOMAIN_DISK_DEVICE_CDROM,

    VIR_DOMAIN_DISK_DEVICE_LAST
} virDomainDiskDevice;

typedef enum {
    VIR_DOMAIN_DISK_BUS_VIRTIO,
    VIR_DOMAIN_DISK_BUS_IDE,
    VIR_DOMAIN_DISK_BUS_SATA,
    VIR_DOMAIN_DISK_BUS_SCSI,

    VIR_DOMAIN_DISK_BUS_LAST
} virDomainDiskBus;

typedef enum {
    VIR_DOMAIN_DISK_FORMAT_ABSENT = 0,   /* no <driver type=...>: QEMU probes nothing; raw */
    VIR_DOMAIN_DISK_FORMAT_RAW,
    VIR_DOMAIN_DISK_FORMAT_QCOW2,

    VIR_DOMAIN_DISK_FORMAT_LAST
} virDomainDiskFormat;

typedef enum {
    VIR_DOMAIN_NET_TYPE_DIRECT,
    VIR_DOMAIN_NET_TYPE_BRIDGE,
    VIR_DOMAIN_NET_TYPE_NETWORK,
    VIR_DOMAIN_NET_TYPE_ETHERNET,

    VIR_DOMAIN_NET_TYPE_LAST
} virDomainNetType;

/* libvirt's order and spelling; VEPA is the default when <source mode> is absent. */
typedef enum {
    VIR_DOMAIN_NET_MACVTAP_MODE_VEPA,
    VIR_DOMAIN_NET_MACVTAP_MODE_PRIVATE,
    VIR_DOMAIN_NET_MACVTAP_MODE_BRIDGE,
    VIR_DOMAIN_NET_MACVTAP_MODE_PASSTHROUGH,

    VIR_DOMAIN_NET_MACVTAP_MODE_LAST
} virDomainNetMacvtapMode;

typedef enum {
    VIR_DOMAIN_NET_LINK_STATE_DEFAULT = 0,
    VIR_DOMAIN_NET_LINK_STATE_UP,
    VIR_DOMAIN_NET_LINK_STATE_DOWN,

    VIR_DOMAIN_NET_LINK_STATE_LAST
} virDomainNetLinkState;

typedef enum {
    VIR_DOMAIN_CHR_TYPE_PTY,
    VIR_DOMAIN_CHR_TYPE_FILE,
    VIR_DOMAIN_CHR_TYPE_UNIX,

    VIR_DOMAIN_CHR_TYPE_LAST
} virDomainChrType;

/* For type='unix': connect (the default) or bind (QEMU listens). */
typedef enum {
    VIR_DOMAIN_CHR_SOURCE_MODE_CONNECT,
    VIR_DOMAIN_CHR_SOURCE_MODE_BIND,

    VIR_DOMAIN_CHR_SOURCE_MODE_LAST
} virDomainChrSourceMode;

typedef enum {
    VIR_DOMAIN_CHR_CONSOLE_TARGET_SERIAL,
    VIR_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO,

    VIR_DOMAIN_CHR_CONSOLE_TARGET_LAST
} virDomainChrConsoleTargetType;

/* String helpers: ToString returns NULL for an out-of-range value; FromString
 * returns -1 for an unknown string. The ABSENT/DEFAULT members have no string. */
const char *virTristateBoolTypeToString(int value);
int virTristateBoolTypeFromString(const char *str);
const char *virDomainVirtTypeToString(int value);
int virDomainVirtTypeFromString(const char *str);
const char *virDomainVcpuPlacementTypeToString(int value);
int virDomainVcpuPlacementTypeFromString(const char *str);
const char *virDomainBootDevTypeToString(int value);
int virDomainBootDevTypeFromString(const char *str);
const char *virDomainClockOffsetTypeToString(int value);
int virDomainClockOffsetTypeFromString(const char *str);
/* virDomainLifecycleAction is libvirt's public enum (libvirt-domain.h). */
const char *virDomainLifecycleActionTypeToString(int value);
int virDomainLifecycleActionTypeFromString(const char *str);
const char *virDomainDiskDeviceTypeToString(int value);
int virDomainDiskDeviceTypeFromString(const char *str);
const char *virDomainDiskBusTypeToString(int value);
int virDomainDiskBusTypeFromString(const char *str);
const char *virDomainDiskFormatTypeToString(int value);
int virDomainDiskFormatTypeFromString(const char *str);
const char *virDomainNetTypeToString(int value);
int virDomainNetTypeFromString(const char *str);
const char *virDomainNetMacvtapModeTypeToString(int value);
int virDomainNetMacvtapModeTypeFromString(const char *str);
const char *virDomainNetLinkStateTypeToString(int value);
int virDomainNetLinkStateTypeFromString(const char *str);
const char *virDomainChrTypeToString(int value);
int virDomainChrTypeFromString(const char *str);
const char *virDomainChrSourceModeTypeToString(int value);
int virDomainChrSourceModeTypeFromString(const char *str);
const char *virDomainChrConsoleTargetTypeToString(int value);
int virDomainChrConsoleTargetTypeFromString(const char *str);

typedef struct _virDomainDiskDef virDomainDiskDef;
struct _virDomainDiskDef {
    virDomainDiskDevice device;
    virDomainDiskFormat format;   /* <driver name='qemu' type=.../> */
    char *src;                    /* <source file=.../>; NULL for an empty cdrom */
    char *dst;                    /* <target dev=.../>, e.g. "vda" */
    virDomainDiskBus bus;         /* from <target bus>, else from dst's prefix */
    bool readonly;
    char *alias;                  /* "ua-..." from the user, else assigned */
};

typedef struct _virDomainNetDef virDomainNetDef;
struct _virDomainNetDef {
    virDomainNetType type;
    virMacAddr mac;               /* given, or generated with VIR_MAC_PREFIX_KVM */
    virMacAddr currentMac;        /* live only: the MAC the guest set */
    bool hasCurrentMac;
    char *sourceDev;              /* direct: <source dev=.../> */
    virDomainNetMacvtapMode mode; /* direct: <source mode=.../> */
    char *bridge;                 /* bridge: <source bridge=.../> */
    char *network;                /* network: <source network=.../> */
    char *ifname;                 /* <target dev=.../>, may be NULL */
    char *model;                  /* <model type=.../>, may be NULL */
    char *alias;
    virDomainNetLinkState linkState;
    virTristateBool trustGuestRxFilters;
};

typedef struct _virDomainChrDef virDomainChrDef;
struct _virDomainChrDef {
    virDomainChrType type;
    char *path;                   /* file/unix: <source path>; pty: live only */
    virDomainChrSourceMode mode;  /* unix only */
    int port;                     /* <target port=.../> */
    virDomainChrConsoleTargetType targetType;   /* consoles only */
    char *alias;
};

typedef struct _virDomainDef virDomainDef;
struct _virDomainDef {
    virDomainVirtType virtType;
    int id;                       /* live only; -1 when not running */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *title;
    char *description;

    unsigned long long memory;    /* KiB */
    unsigned long long currentMemory;   /* KiB, <= memory */
    unsigned int vcpus;
    virDomainVcpuPlacement vcpuPlacement;

    char *osArch;
    char *osMachine;
    char *osKernel;
    char *osInitrd;
    char *osCmdline;
    virDomainBootDev boot[VIR_DOMAIN_BOOT_MAX];
    size_t nboot;

    bool acpi;
    bool apic;
    virDomainClockOffset clockOffset;
    virDomainLifecycleAction onPoweroff;
    virDomainLifecycleAction onReboot;
    virDomainLifecycleAction onCrash;

    char *emulator;
    virDomainDiskDef **disks;
    size_t ndisks;
    virDomainNetDef **nets;
    size_t nnets;
    virDomainChrDef **serials;
    size_t nserials;
    virDomainChrDef **consoles;
    size_t nconsoles;
    bool usbNone;                 /* <controller type='usb' model='none'/> */
    bool memballoonNone;          /* <memballoon model='none'/> */
};

typedef enum {
    /* Live-only data: the id, every alias (not only the user's "ua-" ones), a NIC's
     * currentAddress, a pty's allocated path. Without it the output is the
     * persistent definition, as `virsh dumpxml --inactive` shows it. */
    VIR_DOMAIN_DEF_FORMAT_LIVE = 1 << 0,
} virDomainDefFormatFlags;

typedef enum {
    /* Accept live-only data (the flags above produce it): the id, currentAddress,
     * pty paths, and aliases without the "ua-" prefix. For the daemon's own status
     * files; never for XML from a client. */
    VIR_DOMAIN_DEF_PARSE_LIVE = 1 << 0,
} virDomainDefParseFlags;

/* An empty definition with libvirt's defaults (id -1, 1 vcpu, lifecycle
 * destroy/restart/destroy). Never NULL. */
virDomainDef *virDomainDefNew(void);
/* NULL is a no-op. */
void virDomainDefFree(virDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDef, virDomainDefFree);

void virDomainDiskDefFree(virDomainDiskDef *disk);
void virDomainNetDefFree(virDomainNetDef *net);
void virDomainChrDefFree(virDomainChrDef *chr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDiskDef, virDomainDiskDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainNetDef, virDomainNetDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainChrDef, virDomainChrDefFree);

/*
 * Parses @xml (a <domain> document). Missing UUIDs and MACs are generated and every
 * device without a user alias gets one (net0, virtio-disk0, serial0, console0...).
 * Returns a new definition, or NULL with an error reported.
 */
virDomainDef *virDomainDefParseString(const char *xml);
virDomainDef *virDomainDefParseStringFlags(const char *xml, unsigned int flags);
/* Reads @path (bounded by VIR_DOMAIN_XML_MAX_SIZE) and parses it. */
virDomainDef *virDomainDefParseFile(const char *path);
virDomainDef *virDomainDefParseFileFlags(const char *path, unsigned int flags);

/* Formats @def as libvirt-style XML indented by two spaces, ending in a newline.
 * @flags: virDomainDefFormatFlags. Never NULL. */
char *virDomainDefFormat(const virDomainDef *def, unsigned int flags);

/* A deep copy, live data included (format + parse). NULL with an error on failure. */
virDomainDef *virDomainDefCopy(const virDomainDef *def);

/* The interface whose alias is @alias, or NULL. Reports no error. */
virDomainNetDef *virDomainNetFindByAlias(virDomainDef *def, const char *alias);

/* UUID text: canonical 8-4-4-4-12 lowercase hex (VIR_UUID_STRING_BUFLEN bytes). Parse
 * also accepts the 32 digits without dashes; returns -1 (no error) otherwise. */
int virDomainUUIDParse(const char *str, unsigned char uuid[VIR_UUID_BUFLEN]);
const char *virDomainUUIDFormat(const unsigned char uuid[VIR_UUID_BUFLEN], char *str);
