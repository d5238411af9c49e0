/* domain_conf.c: libvirt domain XML, parsed into virDomainDef and formatted back. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

VIR_LOG_INIT("conf.domain_conf");

/* Device names and aliases end up on QEMU's command line and in host interface
 * names; these bounds keep them short and free of separators. */
#define VIR_DOMAIN_ALIAS_MAX_LEN 64
#define VIR_DOMAIN_IFNAME_MAX_LEN 15        /* IFNAMSIZ - 1 */
#define VIR_DOMAIN_CHR_PORT_MAX 255
#define VIR_DOMAIN_VCPUS_MAX 4096
#define VIR_DOMAIN_USER_ALIAS_PREFIX "ua-"


/* One string table per enum: ToString/FromString with an offset for enums whose
 * first (ABSENT/DEFAULT) member has no string. */
#define VIR_DOMAIN_ENUM_IMPL(name, first, last, ...) \
    static const char *const name##List[] = { __VA_ARGS__ }; \
    G_STATIC_ASSERT(G_N_ELEMENTS(name##List) == (last) - (first)); \
    const char * \
    name##ToString(int value) \
    { \
        if (value < (first) || value >= (last)) \
            return NULL; \
        return name##List[value - (first)]; \
    } \
    int \
    name##FromString(const char *str) \
    { \
        size_t i; \
        if (!str) \
            return -1; \
        for (i = 0; i < G_N_ELEMENTS(name##List); i++) { \
            if (STREQ(name##List[i], str)) \
                return (int)i + (first); \
        } \
        return -1; \
    }

VIR_DOMAIN_ENUM_IMPL(virTristateBoolType, 1, VIR_TRISTATE_BOOL_LAST, "yes", "no");
VIR_DOMAIN_ENUM_IMPL(virDomainVirtType, 0, VIR_DOMAIN_VIRT_LAST, "qemu", "kvm");
VIR_DOMAIN_ENUM_IMPL(virDomainVcpuPlacementType, 1, VIR_DOMAIN_VCPU_PLACEMENT_LAST,
                     "static", "auto");
VIR_DOMAIN_ENUM_IMPL(virDomainBootDevType, 0, VIR_DOMAIN_BOOT_LAST,
                     "fd", "cdrom", "hd", "network");
VIR_DOMAIN_ENUM_IMPL(virDomainClockOffsetType, 0, VIR_DOMAIN_CLOCK_OFFSET_LAST,
                     "utc", "localtime");
/* libvirt's _LAST member exists only with VIR_ENUM_SENTINELS. */
#define VIR_DOMAIN_LIFECYCLE_ACTION_COUNT (VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART + 1)
VIR_DOMAIN_ENUM_IMPL(virDomainLifecycleActionType, 0, VIR_DOMAIN_LIFECYCLE_ACTION_COUNT,
                     "destroy", "restart", "rename-restart", "preserve",
                     "coredump-destroy", "coredump-restart");
VIR_DOMAIN_ENUM_IMPL(virDomainDiskDeviceType, 0, VIR_DOMAIN_DISK_DEVICE_LAST,
                     "disk", "cdrom");
VIR_DOMAIN_ENUM_IMPL(virDomainDiskBusType, 0, VIR_DOMAIN_DISK_BUS_LAST,
                     "virtio", "ide", "sata", "scsi");
VIR_DOMAIN_ENUM_IMPL(virDomainDiskFormatType, 1, VIR_DOMAIN_DISK_FORMAT_LAST,
                     "raw", "qcow2");
VIR_DOMAIN_ENUM_IMPL(virDomainNetType, 0, VIR_DOMAIN_NET_TYPE_LAST,
                     "direct", "bridge", "network", "ethernet");
VIR_DOMAIN_ENUM_IMPL(virDomainNetMacvtapModeType, 0, VIR_DOMAIN_NET_MACVTAP_MODE_LAST,
                     "vepa", "private", "bridge", "passthrough");
VIR_DOMAIN_ENUM_IMPL(virDomainNetLinkStateType, 1, VIR_DOMAIN_NET_LINK_STATE_LAST,
                     "up", "down");
VIR_DOMAIN_ENUM_IMPL(virDomainChrType, 0, VIR_DOMAIN_CHR_TYPE_LAST,
                     "pty", "file", "unix");
VIR_DOMAIN_ENUM_IMPL(virDomainChrSourceModeType, 0, VIR_DOMAIN_CHR_SOURCE_MODE_LAST,
                     "connect", "bind");
VIR_DOMAIN_ENUM_IMPL(virDomainChrConsoleTargetType, 0, VIR_DOMAIN_CHR_CONSOLE_TARGET_LAST,
                     "serial", "virtio");


/* ---- objects ---- */

virDomainDef *
virDomainDefNew(void)
{
    virDomainDef *def = g_new0(virDomainDef, 1);

    def->id = -1;
    def->vcpus = 1;
    def->virtType = VIR_DOMAIN_VIRT_QEMU;
    def->onPoweroff = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;
    def->onReboot = VIR_DOMAIN_LIFECYCLE_ACTION_RESTART;
    def->onCrash = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;
    return def;
}


void
virDomainDiskDefFree(virDomainDiskDef *disk)
{
    if (!disk)
        return;
    g_free(disk->src);
    g_free(disk->dst);
    g_free(disk->alias);
    g_free(disk);
}


void
virDomainNetDefFree(virDomainNetDef *net)
{
    if (!net)
        return;
    g_free(net->sourceDev);
    g_free(net->bridge);
    g_free(net->network);
    g_free(net->ifname);
    g_free(net->model);
    g_free(net->alias);
    g_free(net);
}


void
virDomainChrDefFree(virDomainChrDef *chr)
{
    if (!chr)
        return;
    g_free(chr->path);
    g_free(chr->alias);
    g_free(chr);
}


void
virDomainDefFree(virDomainDef *def)
{
    size_t i;

    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->osArch);
    g_free(def->osMachine);
    g_free(def->osKernel);
    g_free(def->osInitrd);
    g_free(def->osCmdline);
    g_free(def->emulator);
    for (i = 0; i < def->ndisks; i++)
        virDomainDiskDefFree(def->disks[i]);
    g_free(def->disks);
    for (i = 0; i < def->nnets; i++)
        virDomainNetDefFree(def->nets[i]);
    g_free(def->nets);
    for (i = 0; i < def->nserials; i++)
        virDomainChrDefFree(def->serials[i]);
    g_free(def->serials);
    for (i = 0; i < def->nconsoles; i++)
        virDomainChrDefFree(def->consoles[i]);
    g_free(def->consoles);
    g_free(def);
}


virDomainNetDef *
virDomainNetFindByAlias(virDomainDef *def, const char *alias)
{
    size_t i;

    g_return_val_if_fail(def != NULL, NULL);
    if (!alias)
        return NULL;
    for (i = 0; i < def->nnets; i++) {
        if (STREQ_NULLABLE(def->nets[i]->alias, alias))
            return def->nets[i];
    }
    return NULL;
}


/* ---- UUID ---- */

int
virDomainUUIDParse(const char *str, unsigned char uuid[VIR_UUID_BUFLEN])
{
    unsigned char tmp[VIR_UUID_BUFLEN];
    size_t len;
    size_t i;
    const char *p = str;

    g_return_val_if_fail(str != NULL, -1);
    len = strlen(str);
    if (len != VIR_UUID_STRING_BUFLEN - 1 && len != VIR_UUID_BUFLEN * 2)
        return -1;

    for (i = 0; i < VIR_UUID_BUFLEN; i++) {
        int hi;
        int lo;

        /* Canonical form: dashes after bytes 4, 6, 8 and 10, and only there. */
        if (len == VIR_UUID_STRING_BUFLEN - 1 && (i == 4 || i == 6 || i == 8 || i == 10)) {
            if (*p != '-')
                return -1;
            p++;
        }
        if ((hi = g_ascii_xdigit_value(p[0])) < 0 ||
            (lo = g_ascii_xdigit_value(p[1])) < 0)
            return -1;
        tmp[i] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    if (*p != '\0')
        return -1;
    memcpy(uuid, tmp, VIR_UUID_BUFLEN);
    return 0;
}


const char *
virDomainUUIDFormat(const unsigned char uuid[VIR_UUID_BUFLEN], char *str)
{
    g_snprintf(str, VIR_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
               uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14],
               uuid[15]);
    return str;
}


static void
virDomainUUIDGenerate(unsigned char uuid[VIR_UUID_BUFLEN])
{
    g_autofree char *str = g_uuid_string_random();

    ignore_value(virDomainUUIDParse(str, uuid));
}


/* ---- XML helpers ---- */

static const char *
virDomainXMLName(const xmlNode *node)
{
    return (const char *)node->name;
}


/* The attribute's value (a copy), or NULL when absent. */
static char *
virDomainXMLProp(xmlNode *node, const char *name)
{
    xmlChar *value = xmlGetNoNsProp(node, (const xmlChar *)name);
    char *ret;

    if (!value)
        return NULL;
    ret = g_strdup((const char *)value);
    xmlFree(value);
    return ret;
}


/* The element's text (a copy, never NULL); stripped of surrounding whitespace when
 * @strip (numbers, keywords), kept verbatim otherwise (names, paths, free text). */
static char *
virDomainXMLContent(xmlNode *node, bool strip)
{
    xmlChar *value = xmlNodeGetContent(node);
    char *ret = g_strdup(value ? (const char *)value : "");

    xmlFree(value);
    if (strip)
        g_strstrip(ret);
    return ret;
}


static bool
virDomainXMLIsElement(const xmlNode *node)
{
    return node->type == XML_ELEMENT_NODE;
}


/* Reports an element this parser does not know. <address> inside a device is the one
 * element ignored: libvirt writes it into every dumped device, qvirt assigns its own. */
static int
virDomainXMLUnknownElement(const xmlNode *node, bool inDevice)
{
    if (inDevice && !node->ns && STREQ(virDomainXMLName(node), "address")) {
        VIR_INFO("Ignoring <address> in <%s>: qvirt assigns device addresses itself.",
                 node->parent ? (const char *)node->parent->name : "?");
        return 0;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   _("Unsupported element <%1$s> in domain XML."), virDomainXMLName(node));
    return -1;
}


/* Checks that @node is the element @name (and not in some namespace). */
static bool
virDomainXMLIs(const xmlNode *node, const char *name)
{
    return !node->ns && STREQ(virDomainXMLName(node), name);
}


/* Errors when a singleton element appears twice; @seen collects names per parent. */
static int
virDomainXMLCheckOnce(GHashTable *seen, const xmlNode *node, const char *parent)
{
    const char *name = virDomainXMLName(node);

    if (g_hash_table_contains(seen, name)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Element <%1$s> appears more than once in <%2$s>."), name, parent);
        return -1;
    }
    g_hash_table_add(seen, (gpointer)name);
    return 0;
}


/* Digits only: no sign, no whitespace, no "0x". */
static int
virDomainParseULL(const char *str, unsigned long long *ret)
{
    const char *p;
    guint64 value;

    if (!str || !*str)
        return -1;
    for (p = str; *p; p++) {
        if (!g_ascii_isdigit(*p))
            return -1;
    }
    if (!g_ascii_string_to_unsigned(str, 10, 0, G_MAXUINT64, &value, NULL))
        return -1;
    *ret = value;
    return 0;
}


static int
virDomainParseUInt(const char *str, unsigned int max, unsigned int *ret)
{
    unsigned long long value;

    if (virDomainParseULL(str, &value) < 0 || value > max)
        return -1;
    *ret = (unsigned int)value;
    return 0;
}


/* Interface and device names: 1..@maxlen printable ASCII, no whitespace, no '/'. */
static bool
virDomainValidName(const char *str, size_t maxlen)
{
    const char *p;

    if (!str || !*str || strlen(str) > maxlen)
        return false;
    for (p = str; *p; p++) {
        if (!g_ascii_isgraph(*p) || *p == '/' || *p == ',')
            return false;
    }
    return true;
}


/* An alias: [A-Za-z0-9_-]+, bounded. */
static bool
virDomainValidAlias(const char *str)
{
    const char *p;

    if (!str || !*str || strlen(str) > VIR_DOMAIN_ALIAS_MAX_LEN)
        return false;
    for (p = str; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
            return false;
    }
    return true;
}


static int
virDomainParseAlias(xmlNode *node, const char *device, unsigned int flags, char **alias)
{
    g_autofree char *name = virDomainXMLProp(node, "name");

    if (*alias) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Element <alias> appears more than once in <%1$s>."), device);
        return -1;
    }
    if (!name) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Missing attribute 'name' of <alias> in <%1$s>."), device);
        return -1;
    }
    if (!virDomainValidAlias(name)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid alias '%1$s' in <%2$s>: use letters, digits, '-' and '_' (at most %3$d)."),
                       name, device, VIR_DOMAIN_ALIAS_MAX_LEN);
        return -1;
    }
    if (!(flags & VIR_DOMAIN_DEF_PARSE_LIVE) &&
        !g_str_has_prefix(name, VIR_DOMAIN_USER_ALIAS_PREFIX)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid alias '%1$s' in <%2$s>: user aliases must start with '%3$s'."),
                       name, device, VIR_DOMAIN_USER_ALIAS_PREFIX);
        return -1;
    }
    *alias = g_steal_pointer(&name);
    return 0;
}


static int
virDomainParseAbsPath(const char *path, const char *element, const char *attr)
{
    if (!path || !g_path_is_absolute(path)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid path '%1$s' in <%2$s %3$s>: an absolute path is required."),
                       NULLSTR(path), element, attr);
        return -1;
    }
    return 0;
}


/* ---- memory ---- */

typedef struct {
    const char *unit;
    unsigned long long bytes;
} virDomainMemoryUnit;

static const virDomainMemoryUnit virDomainMemoryUnits[] = {
    { "b", 1ULL },
    { "bytes", 1ULL },
    { "KB", 1000ULL },
    { "k", 1024ULL },
    { "KiB", 1024ULL },
    { "MB", 1000ULL * 1000 },
    { "M", 1024ULL * 1024 },
    { "MiB", 1024ULL * 1024 },
    { "GB", 1000ULL * 1000 * 1000 },
    { "G", 1024ULL * 1024 * 1024 },
    { "GiB", 1024ULL * 1024 * 1024 },
    { "TB", 1000ULL * 1000 * 1000 * 1000 },
    { "T", 1024ULL * 1024 * 1024 * 1024 },
    { "TiB", 1024ULL * 1024 * 1024 * 1024 },
};


/* <memory unit='...'>N</memory> into KiB, rounded up as libvirt does. */
static int
virDomainParseMemory(xmlNode *node, unsigned long long *kib)
{
    const char *elem = virDomainXMLName(node);
    g_autofree char *text = virDomainXMLContent(node, true);
    g_autofree char *unit = virDomainXMLProp(node, "unit");
    unsigned long long multiplier = 0;
    unsigned long long value;
    unsigned long long bytes;
    size_t i;

    if (!unit) {
        multiplier = 1024;
    } else {
        for (i = 0; i < G_N_ELEMENTS(virDomainMemoryUnits); i++) {
            if (STREQ(virDomainMemoryUnits[i].unit, unit))
                multiplier = virDomainMemoryUnits[i].bytes;
        }
    }
    if (multiplier == 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Unknown unit '%1$s' in <%2$s unit>."), unit, elem);
        return -1;
    }
    if (virDomainParseULL(text, &value) < 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid value '%1$s' in <%2$s>: expected a non-negative integer."),
                       text, elem);
        return -1;
    }
    if (value == 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid value '%1$s' in <%2$s>: it must be greater than zero."),
                       text, elem);
        return -1;
    }
    if (value > G_MAXUINT64 / multiplier) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Value '%1$s' in <%2$s> is too large."), text, elem);
        return -1;
    }
    bytes = value * multiplier;
    *kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 0;
}


/* ---- <os>, <features>, <clock>, lifecycle ---- */

static int
virDomainParseOS(xmlNode *os, virDomainDef *def)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    xmlNode *cur;
    bool haveType = false;

    for (cur = os->children; cur; cur = cur->next) {
        if (!virDomainXMLIsElement(cur))
            continue;
        if (virDomainXMLIs(cur, "boot")) {
            g_autofree char *dev = virDomainXMLProp(cur, "dev");
            int val;

            if ((val = virDomainBootDevTypeFromString(dev)) < 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid value '%1$s' in <boot dev>: expected hd, cdrom, network or fd."),
                               NULLSTR(dev));
                return -1;
            }
            if (def->nboot >= VIR_DOMAIN_BOOT_MAX) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Too many <boot> elements in <os>: at most %1$d."),
                               VIR_DOMAIN_BOOT_MAX);
                return -1;
            }
            def->boot[def->nboot++] = val;
            continue;
        }
        if (!virDomainXMLIs(cur, "type") && !virDomainXMLIs(cur, "kernel") &&
            !virDomainXMLIs(cur, "initrd") && !virDomainXMLIs(cur, "cmdline"))
            return virDomainXMLUnknownElement(cur, false);
        if (virDomainXMLCheckOnce(seen, cur, "os") < 0)
            return -1;

        if (virDomainXMLIs(cur, "type")) {
            g_autofree char *type = virDomainXMLContent(cur, true);

            if (!STREQ(type, "hvm")) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               _("Unsupported value '%1$s' in <os><type>: only 'hvm' is supported."),
                               type);
                return -1;
            }
            def->osArch = virDomainXMLProp(cur, "arch");
            def->osMachine = virDomainXMLProp(cur, "machine");
            if ((def->osArch && !virDomainValidName(def->osArch, 64)) ||
                (def->osMachine && !virDomainValidName(def->osMachine, 64))) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid arch '%1$s' or machine '%2$s' in <os><type>."),
                               NULLSTR(def->osArch), NULLSTR(def->osMachine));
                return -1;
            }
            haveType = true;
        } else if (virDomainXMLIs(cur, "kernel")) {
            def->osKernel = virDomainXMLContent(cur, false);
            if (virDomainParseAbsPath(def->osKernel, "kernel", "path") < 0)
                return -1;
        } else if (virDomainXMLIs(cur, "initrd")) {
            def->osInitrd = virDomainXMLContent(cur, false);
            if (virDomainParseAbsPath(def->osInitrd, "initrd", "path") < 0)
                return -1;
        } else {
            def->osCmdline = virDomainXMLContent(cur, false);
        }
    }

    if (!haveType) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("Missing required element <type> in <os>."));
        return -1;
    }
    return 0;
}


static int
virDomainParseFeatures(xmlNode *features, virDomainDef *def)
{
    xmlNode *cur;

    for (cur = features->children; cur; cur = cur->next) {
        if (!virDomainXMLIsElement(cur))
            continue;
        if (virDomainXMLIs(cur, "acpi"))
            def->acpi = true;
        else if (virDomainXMLIs(cur, "apic"))
            def->apic = true;
        else
            return virDomainXMLUnknownElement(cur, false);
    }
    return 0;
}


static int
virDomainParseClock(xmlNode *clock, virDomainDef *def)
{
    g_autofree char *offset = virDomainXMLProp(clock, "offset");
    xmlNode *cur;
    int val;

    if (offset) {
        if ((val = virDomainClockOffsetTypeFromString(offset)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Unsupported value '%1$s' in <clock offset>: expected utc or localtime."),
                           offset);
            return -1;
        }
        def->clockOffset = val;
    }
    for (cur = clock->children; cur; cur = cur->next) {
        if (virDomainXMLIsElement(cur))
            return virDomainXMLUnknownElement(cur, false);
    }
    return 0;
}


static int
virDomainParseLifecycle(xmlNode *node, virDomainLifecycleAction *action)
{
    g_autofree char *text = virDomainXMLContent(node, true);
    int val = virDomainLifecycleActionTypeFromString(text);

    if (val < 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid value '%1$s' in <%2$s>: expected destroy, restart, preserve or rename-restart."),
                       text, virDomainXMLName(node));
        return -1;
    }
    if (val == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
        val == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported value '%1$s' in <%2$s>: qvirt does not take core dumps."),
                       text, virDomainXMLName(node));
        return -1;
    }
    *action = val;
    return 0;
}


/* ---- <disk> ---- */

static int
virDomainDiskBusFromDst(const char *dst)
{
    if (g_str_has_prefix(dst, "vd"))
        return VIR_DOMAIN_DISK_BUS_VIRTIO;
    if (g_str_has_prefix(dst, "hd"))
        return VIR_DOMAIN_DISK_BUS_IDE;
    if (g_str_has_prefix(dst, "sd"))
        return VIR_DOMAIN_DISK_BUS_SCSI;
    return -1;
}


static virDomainDiskDef *
virDomainParseDisk(xmlNode *node, unsigned int flags)
{
    g_autoptr(virDomainDiskDef) disk = g_new0(virDomainDiskDef, 1);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *device = virDomainXMLProp(node, "device");
    g_autofree char *bus = NULL;
    xmlNode *cur;
    int val;

    if (type && !STREQ(type, "file")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported value '%1$s' in <disk type>: only 'file' is supported."),
                       type);
        return NULL;
    }
    if (device) {
        if ((val = virDomainDiskDeviceTypeFromString(device)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Unsupported value '%1$s' in <disk device>: expected disk or cdrom."),
                           device);
            return NULL;
        }
        disk->device = val;
    }

    for (cur = node->children; cur; cur = cur->next) {
        if (!virDomainXMLIsElement(cur))
            continue;
        if (virDomainXMLIs(cur, "alias")) {
            if (virDomainParseAlias(cur, "disk", flags, &disk->alias) < 0)
                return NULL;
            continue;
        }
        if (!virDomainXMLIs(cur, "driver") && !virDomainXMLIs(cur, "source") &&
            !virDomainXMLIs(cur, "target") && !virDomainXMLIs(cur, "readonly")) {
            if (virDomainXMLUnknownElement(cur, true) < 0)
                return NULL;
            continue;
        }
        if (virDomainXMLCheckOnce(seen, cur, "disk") < 0)
            return NULL;

        if (virDomainXMLIs(cur, "driver")) {
            g_autofree char *name = virDomainXMLProp(cur, "name");
            g_autofree char *fmt = virDomainXMLProp(cur, "type");

            if (name && !STREQ(name, "qemu")) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               _("Unsupported value '%1$s' in <disk><driver name>: only 'qemu' is supported."),
                               name);
                return NULL;
            }
            if (fmt) {
                if ((val = virDomainDiskFormatTypeFromString(fmt)) < 0) {
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   _("Unsupported value '%1$s' in <disk><driver type>: expected raw or qcow2."),
                                   fmt);
                    return NULL;
                }
                disk->format = val;
            }
        } else if (virDomainXMLIs(cur, "source")) {
            disk->src = virDomainXMLProp(cur, "file");
            if (disk->src && virDomainParseAbsPath(disk->src, "source", "file") < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "target")) {
            disk->dst = virDomainXMLProp(cur, "dev");
            bus = virDomainXMLProp(cur, "bus");
        } else {
            disk->readonly = true;
        }
    }

    if (!disk->dst) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("Missing required attribute <target dev> in <disk>."));
        return NULL;
    }
    if (!virDomainValidName(disk->dst, 32)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid value '%1$s' in <disk><target dev>."), disk->dst);
        return NULL;
    }
    if (bus) {
        if ((val = virDomainDiskBusTypeFromString(bus)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Unsupported value '%1$s' in <disk><target bus>: expected virtio, ide, sata or scsi."),
                           bus);
            return NULL;
        }
    } else if ((val = virDomainDiskBusFromDst(disk->dst)) < 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Cannot infer the bus of disk '%1$s': give <target bus>."), disk->dst);
        return NULL;
    }
    disk->bus = val;
    if (!disk->src && disk->device != VIR_DOMAIN_DISK_DEVICE_CDROM) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Missing <source file> in <disk> '%1$s'."), disk->dst);
        return NULL;
    }
    return g_steal_pointer(&disk);
}


/* ---- <interface> ---- */

static int
virDomainParseNetSource(xmlNode *node, virDomainNetDef *net)
{
    const char *type = virDomainNetTypeToString(net->type);
    const char *attr = NULL;
    char **dest = NULL;
    g_autofree char *value = NULL;

    switch (net->type) {
    case VIR_DOMAIN_NET_TYPE_DIRECT:
        attr = "dev";
        dest = &net->sourceDev;
        break;
    case VIR_DOMAIN_NET_TYPE_BRIDGE:
        attr = "bridge";
        dest = &net->bridge;
        break;
    case VIR_DOMAIN_NET_TYPE_NETWORK:
        attr = "network";
        dest = &net->network;
        break;
    case VIR_DOMAIN_NET_TYPE_ETHERNET:
    case VIR_DOMAIN_NET_TYPE_LAST:
    default:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported element <source> in <interface type='%1$s'>."), type);
        return -1;
    }

    if (!(value = virDomainXMLProp(node, attr))) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Missing attribute '%1$s' of <source> in <interface type='%2$s'>."),
                       attr, type);
        return -1;
    }
    if (!virDomainValidName(value, net->type == VIR_DOMAIN_NET_TYPE_NETWORK ?
                            255 : VIR_DOMAIN_IFNAME_MAX_LEN)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid value '%1$s' in <source %2$s> of <interface type='%3$s'>."),
                       value, attr, type);
        return -1;
    }
    *dest = g_steal_pointer(&value);

    if (net->type == VIR_DOMAIN_NET_TYPE_DIRECT) {
        g_autofree char *mode = virDomainXMLProp(node, "mode");
        int val;

        if (mode) {
            if ((val = virDomainNetMacvtapModeTypeFromString(mode)) < 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid value '%1$s' in <source mode> of <interface type='direct'>: expected vepa, bridge, private or passthrough."),
                               mode);
                return -1;
            }
            net->mode = val;
        }
    }
    return 0;
}


static int
virDomainParseNetMac(xmlNode *node, virDomainNetDef *net, unsigned int flags,
                     bool *haveMac)
{
    g_autofree char *address = virDomainXMLProp(node, "address");
    g_autofree char *current = NULL;

    if (!address || virMacAddrParse(address, &net->mac) < 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid MAC address '%1$s' in <interface>."), NULLSTR(address));
        return -1;
    }
    if (virMacAddrIsMulticast(&net->mac)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid MAC address '%1$s' in <interface>: a multicast address cannot be a NIC's address."),
                       address);
        return -1;
    }
    *haveMac = true;

    if (!(flags & VIR_DOMAIN_DEF_PARSE_LIVE))
        return 0;
    if ((current = virDomainXMLProp(node, "currentAddress"))) {
        if (virMacAddrParse(current, &net->currentMac) < 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Invalid MAC address '%1$s' in <interface><mac currentAddress>."),
                           current);
            return -1;
        }
        net->hasCurrentMac = true;
    }
    return 0;
}


static virDomainNetDef *
virDomainParseNet(xmlNode *node, unsigned int flags)
{
    g_autoptr(virDomainNetDef) net = g_new0(virDomainNetDef, 1);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *trust = virDomainXMLProp(node, "trustGuestRxFilters");
    bool haveMac = false;
    bool haveSource = false;
    xmlNode *cur;
    int val;

    if (!type) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("Missing required attribute 'type' of <interface>."));
        return NULL;
    }
    if ((val = virDomainNetTypeFromString(type)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported interface type '%1$s' in <interface type>: expected direct, bridge, network or ethernet."),
                       type);
        return NULL;
    }
    net->type = val;
    if (trust) {
        if ((val = virTristateBoolTypeFromString(trust)) < 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Invalid value '%1$s' in <interface trustGuestRxFilters>: expected yes or no."),
                           trust);
            return NULL;
        }
        net->trustGuestRxFilters = val;
    }

    for (cur = node->children; cur; cur = cur->next) {
        if (!virDomainXMLIsElement(cur))
            continue;
        if (virDomainXMLIs(cur, "alias")) {
            if (virDomainParseAlias(cur, "interface", flags, &net->alias) < 0)
                return NULL;
            continue;
        }
        if (!virDomainXMLIs(cur, "mac") && !virDomainXMLIs(cur, "source") &&
            !virDomainXMLIs(cur, "target") && !virDomainXMLIs(cur, "model") &&
            !virDomainXMLIs(cur, "link")) {
            if (virDomainXMLUnknownElement(cur, true) < 0)
                return NULL;
            continue;
        }
        if (virDomainXMLCheckOnce(seen, cur, "interface") < 0)
            return NULL;

        if (virDomainXMLIs(cur, "mac")) {
            if (virDomainParseNetMac(cur, net, flags, &haveMac) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "source")) {
            if (virDomainParseNetSource(cur, net) < 0)
                return NULL;
            haveSource = true;
        } else if (virDomainXMLIs(cur, "target")) {
            net->ifname = virDomainXMLProp(cur, "dev");
            if (!virDomainValidName(net->ifname, VIR_DOMAIN_IFNAME_MAX_LEN)) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid value '%1$s' in <interface><target dev>: expected 1 to %2$d characters without '/' or spaces."),
                               NULLSTR(net->ifname), VIR_DOMAIN_IFNAME_MAX_LEN);
                return NULL;
            }
        } else if (virDomainXMLIs(cur, "model")) {
            net->model = virDomainXMLProp(cur, "type");
            if (!virDomainValidAlias(net->model)) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid value '%1$s' in <interface><model type>."),
                               NULLSTR(net->model));
                return NULL;
            }
        } else {
            g_autofree char *state = virDomainXMLProp(cur, "state");

            if ((val = virDomainNetLinkStateTypeFromString(state)) < 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid value '%1$s' in <interface><link state>: expected up or down."),
                               NULLSTR(state));
                return NULL;
            }
            net->linkState = val;
        }
    }

    if (!haveSource && net->type != VIR_DOMAIN_NET_TYPE_ETHERNET) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Missing required element <source> in <interface type='%1$s'>."),
                       type);
        return NULL;
    }
    if (!haveMac) {
        const unsigned char prefix[VIR_MAC_PREFIX_BUFLEN] = VIR_MAC_PREFIX_KVM;

        virMacAddrGenerate(prefix, &net->mac);
    }
    return g_steal_pointer(&net);
}


/* ---- <serial>, <console> ---- */

static virDomainChrDef *
virDomainParseChr(xmlNode *node, unsigned int flags, bool console)
{
    const char *elem = console ? "console" : "serial";
    g_autoptr(virDomainChrDef) chr = g_new0(virDomainChrDef, 1);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *mode = NULL;
    g_autofree char *port = NULL;
    g_autofree char *targetType = NULL;
    xmlNode *cur;
    int val;

    if (!type) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Missing required attribute 'type' of <%1$s>."), elem);
        return NULL;
    }
    if ((val = virDomainChrTypeFromString(type)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported value '%1$s' in <%2$s type>: expected pty, file or unix."),
                       type, elem);
        return NULL;
    }
    chr->type = val;
    chr->port = -1;

    for (cur = node->children; cur; cur = cur->next) {
        if (!virDomainXMLIsElement(cur))
            continue;
        if (virDomainXMLIs(cur, "alias")) {
            if (virDomainParseAlias(cur, elem, flags, &chr->alias) < 0)
                return NULL;
            continue;
        }
        if (!virDomainXMLIs(cur, "source") && !virDomainXMLIs(cur, "target")) {
            if (virDomainXMLUnknownElement(cur, true) < 0)
                return NULL;
            continue;
        }
        if (virDomainXMLCheckOnce(seen, cur, elem) < 0)
            return NULL;

        if (virDomainXMLIs(cur, "source")) {
            /* A pty's path is allocated at start: live data only. */
            if (chr->type != VIR_DOMAIN_CHR_TYPE_PTY || (flags & VIR_DOMAIN_DEF_PARSE_LIVE))
                chr->path = virDomainXMLProp(cur, "path");
            if (chr->type == VIR_DOMAIN_CHR_TYPE_UNIX)
                mode = virDomainXMLProp(cur, "mode");
        } else {
            /* <target><model name='isa-serial'/></target> is what libvirt writes. */
            xmlNode *child;

            port = virDomainXMLProp(cur, "port");
            if (console)
                targetType = virDomainXMLProp(cur, "type");
            for (child = cur->children; child; child = child->next) {
                if (virDomainXMLIsElement(child) && !virDomainXMLIs(child, "model") &&
                    virDomainXMLUnknownElement(child, true) < 0)
                    return NULL;
            }
        }
    }

    if (chr->type != VIR_DOMAIN_CHR_TYPE_PTY || chr->path) {
        if (!chr->path) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Missing required attribute <source path> in <%1$s type='%2$s'>."),
                           elem, type);
            return NULL;
        }
        if (virDomainParseAbsPath(chr->path, "source", "path") < 0)
            return NULL;
    }
    if (mode) {
        if ((val = virDomainChrSourceModeTypeFromString(mode)) < 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Invalid value '%1$s' in <%2$s><source mode>: expected bind or connect."),
                           mode, elem);
            return NULL;
        }
        chr->mode = val;
    }
    if (port) {
        unsigned int p;

        if (virDomainParseUInt(port, VIR_DOMAIN_CHR_PORT_MAX, &p) < 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Invalid value '%1$s' in <%2$s><target port>: expected 0 to %3$d."),
                           port, elem, VIR_DOMAIN_CHR_PORT_MAX);
            return NULL;
        }
        chr->port = (int)p;
    }
    if (targetType) {
        if ((val = virDomainChrConsoleTargetTypeFromString(targetType)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Unsupported value '%1$s' in <console><target type>: expected serial or virtio."),
                           targetType);
            return NULL;
        }
        chr->targetType = val;
    }
    return g_steal_pointer(&chr);
}


/* ---- <devices> ---- */

static int
virDomainParseController(xmlNode *node)
{
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *model = virDomainXMLProp(node, "model");
    xmlNode *cur;

    if (!type || !STREQ(type, "usb") || !model || !STREQ(model, "none")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported controller <controller type='%1$s' model='%2$s'>: only type='usb' model='none' is supported."),
                       NULLSTR(type), NULLSTR(model));
        return -1;
    }
    for (cur = node->children; cur; cur = cur->next) {
        if (virDomainXMLIsElement(cur) && virDomainXMLUnknownElement(cur, true) < 0)
            return -1;
    }
    return 0;
}


static int
virDomainParseMemballoon(xmlNode *node)
{
    g_autofree char *model = virDomainXMLProp(node, "model");
    xmlNode *cur;

    if (!model || !STREQ(model, "none")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Unsupported memballoon model '%1$s': only <memballoon model='none'/> is supported."),
                       NULLSTR(model));
        return -1;
    }
    for (cur = node->children; cur; cur = cur->next) {
        if (virDomainXMLIsElement(cur) && virDomainXMLUnknownElement(cur, true) < 0)
            return -1;
    }
    return 0;
}


static int
virDomainParseDevices(xmlNode *devices, virDomainDef *def, unsigned int flags)
{
    xmlNode *cur;

    for (cur = devices->children; cur; cur = cur->next) {
        if (!virDomainXMLIsElement(cur))
            continue;

        if (virDomainXMLIs(cur, "emulator")) {
            if (def->emulator) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               _("Element <emulator> appears more than once in <devices>."));
                return -1;
            }
            def->emulator = virDomainXMLContent(cur, true);
            if (virDomainParseAbsPath(def->emulator, "emulator", "path") < 0)
                return -1;
        } else if (virDomainXMLIs(cur, "disk")) {
            virDomainDiskDef *disk = virDomainParseDisk(cur, flags);

            if (!disk)
                return -1;
            def->disks = g_renew(virDomainDiskDef *, def->disks, def->ndisks + 1);
            def->disks[def->ndisks++] = disk;
        } else if (virDomainXMLIs(cur, "interface")) {
            virDomainNetDef *net = virDomainParseNet(cur, flags);

            if (!net)
                return -1;
            def->nets = g_renew(virDomainNetDef *, def->nets, def->nnets + 1);
            def->nets[def->nnets++] = net;
        } else if (virDomainXMLIs(cur, "serial")) {
            virDomainChrDef *chr = virDomainParseChr(cur, flags, false);

            if (!chr)
                return -1;
            def->serials = g_renew(virDomainChrDef *, def->serials, def->nserials + 1);
            def->serials[def->nserials++] = chr;
        } else if (virDomainXMLIs(cur, "console")) {
            virDomainChrDef *chr = virDomainParseChr(cur, flags, true);

            if (!chr)
                return -1;
            def->consoles = g_renew(virDomainChrDef *, def->consoles, def->nconsoles + 1);
            def->consoles[def->nconsoles++] = chr;
        } else if (virDomainXMLIs(cur, "controller")) {
            if (virDomainParseController(cur) < 0)
                return -1;
            def->usbNone = true;
        } else if (virDomainXMLIs(cur, "memballoon")) {
            if (virDomainParseMemballoon(cur) < 0)
                return -1;
            def->memballoonNone = true;
        } else if (virDomainXMLIs(cur, "graphics")) {
            g_autofree char *type = virDomainXMLProp(cur, "type");

            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Unsupported device <graphics type='%1$s'>: qvirt runs guests headless; use a serial console."),
                           NULLSTR(type));
            return -1;
        } else {
            return virDomainXMLUnknownElement(cur, false);
        }
    }
    return 0;
}


/* ---- post-parse: ports, aliases, cross-checks ---- */

static int
virDomainAssignPorts(virDomainDef *def)
{
    g_autoptr(GHashTable) used = g_hash_table_new(g_direct_hash, g_direct_equal);
    size_t i;
    int next = 0;

    for (i = 0; i < def->nserials; i++) {
        int port = def->serials[i]->port;

        if (port < 0)
            continue;
        if (g_hash_table_contains(used, GINT_TO_POINTER(port + 1))) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Duplicate <serial><target port='%1$d'> in domain XML."), port);
            return -1;
        }
        g_hash_table_add(used, GINT_TO_POINTER(port + 1));
    }
    for (i = 0; i < def->nserials; i++) {
        if (def->serials[i]->port >= 0)
            continue;
        while (g_hash_table_contains(used, GINT_TO_POINTER(next + 1)))
            next++;
        if (next > VIR_DOMAIN_CHR_PORT_MAX) {
            virReportError(VIR_ERR_XML_ERROR, "%s", _("Too many <serial> devices."));
            return -1;
        }
        def->serials[i]->port = next;
        g_hash_table_add(used, GINT_TO_POINTER(next + 1));
    }
    for (i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->port < 0)
            def->consoles[i]->port = (int)i;
    }
    return 0;
}


static int
virDomainCollectAlias(GHashTable *used, const char *alias)
{
    if (!alias)
        return 0;
    if (g_hash_table_contains(used, alias)) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Duplicate device alias '%1$s' in domain XML."), alias);
        return -1;
    }
    g_hash_table_add(used, g_strdup(alias));
    return 0;
}


/* Picks PREFIX<N>, the lowest N no device uses yet. */
static void
virDomainAssignAlias(GHashTable *used, const char *prefix, int *counter, char **alias)
{
    char *candidate;

    if (*alias)
        return;
    for (;;) {
        candidate = g_strdup_printf("%s%d", prefix, (*counter)++);
        if (!g_hash_table_contains(used, candidate))
            break;
        g_free(candidate);
    }
    g_hash_table_add(used, g_strdup(candidate));
    *alias = candidate;
}


static int
virDomainAssignAliases(virDomainDef *def)
{
    g_autoptr(GHashTable) used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int diskCounters[VIR_DOMAIN_DISK_BUS_LAST] = { 0 };
    int netCounter = 0;
    int serialCounter = 0;
    int consoleCounter = 0;
    size_t i;

    for (i = 0; i < def->ndisks; i++) {
        if (virDomainCollectAlias(used, def->disks[i]->alias) < 0)
            return -1;
    }
    for (i = 0; i < def->nnets; i++) {
        if (virDomainCollectAlias(used, def->nets[i]->alias) < 0)
            return -1;
    }
    for (i = 0; i < def->nserials; i++) {
        if (virDomainCollectAlias(used, def->serials[i]->alias) < 0)
            return -1;
    }
    for (i = 0; i < def->nconsoles; i++) {
        if (virDomainCollectAlias(used, def->consoles[i]->alias) < 0)
            return -1;
    }

    for (i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];
        g_autofree char *prefix = g_strdup_printf("%s-disk",
                                                  virDomainDiskBusTypeToString(disk->bus));

        virDomainAssignAlias(used, prefix, &diskCounters[disk->bus], &disk->alias);
    }
    for (i = 0; i < def->nnets; i++)
        virDomainAssignAlias(used, "net", &netCounter, &def->nets[i]->alias);
    for (i = 0; i < def->nserials; i++)
        virDomainAssignAlias(used, "serial", &serialCounter, &def->serials[i]->alias);
    for (i = 0; i < def->nconsoles; i++)
        virDomainAssignAlias(used, "console", &consoleCounter, &def->consoles[i]->alias);
    return 0;
}


static int
virDomainCheckDisks(virDomainDef *def)
{
    size_t i;
    size_t j;

    for (i = 0; i < def->ndisks; i++) {
        for (j = 0; j < i; j++) {
            if (STREQ(def->disks[i]->dst, def->disks[j]->dst)) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Duplicate disk target '%1$s' in domain XML."),
                               def->disks[i]->dst);
                return -1;
            }
        }
    }
    return 0;
}


/* ---- <domain> ---- */

static int
virDomainParseName(xmlNode *node, virDomainDef *def)
{
    const char *p;

    def->name = virDomainXMLContent(node, false);
    if (!*def->name) {
        virReportError(VIR_ERR_XML_ERROR, "%s", _("Empty <name> in domain XML."));
        return -1;
    }
    /* The name becomes a file name (<configdir>/qemu/NAME.xml). */
    for (p = def->name; *p; p++) {
        if (*p == '/' || g_ascii_iscntrl(*p)) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Invalid domain name '%1$s' in <name>: it must not contain '/' or control characters."),
                           def->name);
            return -1;
        }
    }
    if (STREQ(def->name, ".") || STREQ(def->name, "..")) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid domain name '%1$s' in <name>."), def->name);
        return -1;
    }
    return 0;
}


static int
virDomainParseVcpu(xmlNode *node, virDomainDef *def)
{
    g_autofree char *text = virDomainXMLContent(node, true);
    g_autofree char *placement = virDomainXMLProp(node, "placement");
    int val;

    if (virDomainParseUInt(text, VIR_DOMAIN_VCPUS_MAX, &def->vcpus) < 0 || def->vcpus == 0) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid value '%1$s' in <vcpu>: expected 1 to %2$d."),
                       text, VIR_DOMAIN_VCPUS_MAX);
        return -1;
    }
    if (placement) {
        if ((val = virDomainVcpuPlacementTypeFromString(placement)) < 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           _("Invalid value '%1$s' in <vcpu placement>: expected static or auto."),
                           placement);
            return -1;
        }
        def->vcpuPlacement = val;
    }
    return 0;
}


static virDomainDef *
virDomainDefParseNode(xmlNode *root, unsigned int flags)
{
    g_autoptr(virDomainDef) def = virDomainDefNew();
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree char *type = NULL;
    xmlNode *cur;
    bool haveUUID = false;
    bool haveCurrentMemory = false;
    int val;

    if (!virDomainXMLIs(root, "domain")) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Expected the root element <domain>, found <%1$s>."),
                       virDomainXMLName(root));
        return NULL;
    }
    if ((type = virDomainXMLProp(root, "type"))) {
        if ((val = virDomainVirtTypeFromString(type)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Unsupported value '%1$s' in <domain type>: expected qemu or kvm."),
                           type);
            return NULL;
        }
        def->virtType = val;
    }
    if (flags & VIR_DOMAIN_DEF_PARSE_LIVE) {
        g_autofree char *id = virDomainXMLProp(root, "id");
        unsigned int idval;

        if (id) {
            if (virDomainParseUInt(id, G_MAXINT, &idval) < 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid value '%1$s' in <domain id>."), id);
                return NULL;
            }
            def->id = (int)idval;
        }
    }

    for (cur = root->children; cur; cur = cur->next) {
        if (!virDomainXMLIsElement(cur))
            continue;
        if (virDomainXMLCheckOnce(seen, cur, "domain") < 0)
            return NULL;

        if (virDomainXMLIs(cur, "name")) {
            if (virDomainParseName(cur, def) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "uuid")) {
            g_autofree char *text = virDomainXMLContent(cur, true);

            if (virDomainUUIDParse(text, def->uuid) < 0) {
                virReportError(VIR_ERR_XML_ERROR,
                               _("Invalid value '%1$s' in <uuid>: expected 8-4-4-4-12 hex digits."),
                               text);
                return NULL;
            }
            haveUUID = true;
        } else if (virDomainXMLIs(cur, "title")) {
            def->title = virDomainXMLContent(cur, false);
            if (strchr(def->title, '\n')) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               _("Invalid <title>: it must be a single line."));
                return NULL;
            }
        } else if (virDomainXMLIs(cur, "description")) {
            def->description = virDomainXMLContent(cur, false);
        } else if (virDomainXMLIs(cur, "memory")) {
            if (virDomainParseMemory(cur, &def->memory) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "currentMemory")) {
            if (virDomainParseMemory(cur, &def->currentMemory) < 0)
                return NULL;
            haveCurrentMemory = true;
        } else if (virDomainXMLIs(cur, "vcpu")) {
            if (virDomainParseVcpu(cur, def) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "os")) {
            if (virDomainParseOS(cur, def) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "features")) {
            if (virDomainParseFeatures(cur, def) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "clock")) {
            if (virDomainParseClock(cur, def) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "on_poweroff")) {
            if (virDomainParseLifecycle(cur, &def->onPoweroff) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "on_reboot")) {
            if (virDomainParseLifecycle(cur, &def->onReboot) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "on_crash")) {
            if (virDomainParseLifecycle(cur, &def->onCrash) < 0)
                return NULL;
        } else if (virDomainXMLIs(cur, "devices")) {
            if (virDomainParseDevices(cur, def, flags) < 0)
                return NULL;
        } else {
            virDomainXMLUnknownElement(cur, false);
            return NULL;
        }
    }

    if (!def->name) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("Missing required element <name> in <domain>."));
        return NULL;
    }
    if (def->memory == 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("Missing required element <memory> in <domain>."));
        return NULL;
    }
    if (!g_hash_table_contains(seen, "os")) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("Missing required element <os> (with <type>) in <domain>."));
        return NULL;
    }
    if (!haveCurrentMemory) {
        def->currentMemory = def->memory;
    } else if (def->currentMemory > def->memory) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Invalid <currentMemory> of %1$llu KiB: larger than <memory> (%2$llu KiB)."),
                       def->currentMemory, def->memory);
        return NULL;
    }
    if (!haveUUID)
        virDomainUUIDGenerate(def->uuid);

    if (virDomainCheckDisks(def) < 0 ||
        virDomainAssignPorts(def) < 0 ||
        virDomainAssignAliases(def) < 0)
        return NULL;

    return g_steal_pointer(&def);
}


/* True when the document's prolog holds a DOCTYPE. Checked on the raw text, before
 * libxml2 parses any of it, so no entity declaration is ever processed. */
static bool
virDomainXMLHasDoctype(const char *xml)
{
    const char *p = xml;

    if (g_str_has_prefix(p, "\xef\xbb\xbf"))
        p += 3;
    for (;;) {
        while (g_ascii_isspace(*p))
            p++;
        if (g_str_has_prefix(p, "<?")) {
            const char *end = strstr(p, "?>");

            if (!end)
                return false;
            p = end + 2;
        } else if (g_str_has_prefix(p, "<!--")) {
            const char *end = strstr(p + 4, "-->");

            if (!end)
                return false;
            p = end + 3;
        } else {
            return g_ascii_strncasecmp(p, "<!DOCTYPE", 9) == 0;
        }
    }
}


static gpointer
virDomainXMLInitOnce(gpointer data G_GNUC_UNUSED)
{
    xmlInitParser();
    return NULL;
}


virDomainDef *
virDomainDefParseStringFlags(const char *xml, unsigned int flags)
{
    static GOnce once = G_ONCE_INIT;
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr doc = NULL;
    xmlNode *root;
    virDomainDef *def = NULL;
    size_t len;

    g_return_val_if_fail(xml != NULL, NULL);

    len = strnlen(xml, VIR_DOMAIN_XML_MAX_SIZE + 1);
    if (len > VIR_DOMAIN_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Domain XML is larger than the limit of %1$d bytes."),
                       VIR_DOMAIN_XML_MAX_SIZE);
        return NULL;
    }
    if (virDomainXMLHasDoctype(xml)) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("DTDs are not allowed in domain XML (found <!DOCTYPE>)."));
        return NULL;
    }

    g_once(&once, virDomainXMLInitOnce, NULL);
    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        virReportOOMError();
        return NULL;
    }
    /* No NOENT (no entity substitution), no DTDLOAD, no HUGE; the encoding is forced
     * to UTF-8 so the DOCTYPE check above sees the text libxml2 parses. */
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "domain.xml", "UTF-8",
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                            XML_PARSE_NOCDATA);
    if (!doc) {
        xmlErrorPtr err = xmlCtxtGetLastError(ctxt);
        g_autofree char *msg = g_strdup(err && err->message ? err->message : "unknown error");

        g_strstrip(msg);
        virReportError(VIR_ERR_XML_ERROR,
                       _("Cannot parse domain XML at line %1$d: %2$s."),
                       err ? err->line : 0, msg);
        goto cleanup;
    }
    if (doc->intSubset || doc->extSubset) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       _("DTDs are not allowed in domain XML (found <!DOCTYPE>)."));
        goto cleanup;
    }
    if (!(root = xmlDocGetRootElement(doc))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", _("Domain XML has no root element."));
        goto cleanup;
    }
    def = virDomainDefParseNode(root, flags);

 cleanup:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return def;
}


virDomainDef *
virDomainDefParseString(const char *xml)
{
    return virDomainDefParseStringFlags(xml, 0);
}


virDomainDef *
virDomainDefParseFileFlags(const char *path, unsigned int flags)
{
    g_autofree char *xml = NULL;
    size_t len = 0;
    int fd;

    g_return_val_if_fail(path != NULL, NULL);

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, _("Cannot read domain XML file '%1$s'"), path);
        return NULL;
    }
    /* Read at most one byte past the limit: a FIFO or /dev/zero must not make us
     * read forever, and st_size cannot be trusted for those. */
    xml = g_new0(char, VIR_DOMAIN_XML_MAX_SIZE + 2);
    while (len <= VIR_DOMAIN_XML_MAX_SIZE) {
        ssize_t got = read(fd, xml + len, VIR_DOMAIN_XML_MAX_SIZE + 1 - len);

        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int saved = errno;

            close(fd);
            virReportSystemError(saved, _("Cannot read domain XML file '%1$s'"), path);
            return NULL;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    close(fd);
    if (len > VIR_DOMAIN_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Domain XML file '%1$s' is larger than the limit of %2$d bytes."),
                       path, VIR_DOMAIN_XML_MAX_SIZE);
        return NULL;
    }
    if (strlen(xml) != len) {
        virReportError(VIR_ERR_XML_ERROR,
                       _("Domain XML file '%1$s' contains a NUL byte."), path);
        return NULL;
    }
    return virDomainDefParseStringFlags(xml, flags);
}


virDomainDef *
virDomainDefParseFile(const char *path)
{
    return virDomainDefParseFileFlags(path, 0);
}


/* ---- format ---- */

static void
virDomainFormatIndent(GString *buf, int level)
{
    int i;

    for (i = 0; i < level; i++)
        g_string_append(buf, "  ");
}


static void
virDomainFormatAttr(GString *buf, const char *name, const char *value)
{
    g_autofree char *esc = NULL;

    if (!value)
        return;
    esc = g_markup_escape_text(value, -1);
    g_string_append_printf(buf, " %s='%s'", name, esc);
}


/* <name>text</name> on its own line; nothing when @text is NULL. */
static void
virDomainFormatTextElement(GString *buf, int level, const char *name, const char *text)
{
    g_autofree char *esc = NULL;

    if (!text)
        return;
    esc = g_markup_escape_text(text, -1);
    virDomainFormatIndent(buf, level);
    g_string_append_printf(buf, "<%s>%s</%s>\n", name, esc, name);
}


static bool
virDomainAliasIsUser(const char *alias)
{
    return alias && g_str_has_prefix(alias, VIR_DOMAIN_USER_ALIAS_PREFIX);
}


static void
virDomainFormatAlias(GString *buf, int level, const char *alias, unsigned int flags)
{
    if (!alias || (!(flags & VIR_DOMAIN_DEF_FORMAT_LIVE) && !virDomainAliasIsUser(alias)))
        return;
    virDomainFormatIndent(buf, level);
    g_string_append(buf, "<alias");
    virDomainFormatAttr(buf, "name", alias);
    g_string_append(buf, "/>\n");
}


static void
virDomainFormatDisk(GString *buf, const virDomainDiskDef *disk, unsigned int flags)
{
    virDomainFormatIndent(buf, 2);
    g_string_append(buf, "<disk type='file'");
    virDomainFormatAttr(buf, "device", virDomainDiskDeviceTypeToString(disk->device));
    g_string_append(buf, ">\n");
    if (disk->format != VIR_DOMAIN_DISK_FORMAT_ABSENT) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<driver name='qemu'");
        virDomainFormatAttr(buf, "type", virDomainDiskFormatTypeToString(disk->format));
        g_string_append(buf, "/>\n");
    }
    if (disk->src) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<source");
        virDomainFormatAttr(buf, "file", disk->src);
        g_string_append(buf, "/>\n");
    }
    virDomainFormatIndent(buf, 3);
    g_string_append(buf, "<target");
    virDomainFormatAttr(buf, "dev", disk->dst);
    virDomainFormatAttr(buf, "bus", virDomainDiskBusTypeToString(disk->bus));
    g_string_append(buf, "/>\n");
    if (disk->readonly) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<readonly/>\n");
    }
    virDomainFormatAlias(buf, 3, disk->alias, flags);
    virDomainFormatIndent(buf, 2);
    g_string_append(buf, "</disk>\n");
}


static void
virDomainFormatNet(GString *buf, const virDomainNetDef *net, unsigned int flags)
{
    char mac[VIR_MAC_STRING_BUFLEN];

    virDomainFormatIndent(buf, 2);
    g_string_append(buf, "<interface");
    virDomainFormatAttr(buf, "type", virDomainNetTypeToString(net->type));
    virDomainFormatAttr(buf, "trustGuestRxFilters",
                        virTristateBoolTypeToString(net->trustGuestRxFilters));
    g_string_append(buf, ">\n");

    virDomainFormatIndent(buf, 3);
    g_string_append(buf, "<mac");
    virDomainFormatAttr(buf, "address", virMacAddrFormat(&net->mac, mac));
    if (net->hasCurrentMac && (flags & VIR_DOMAIN_DEF_FORMAT_LIVE))
        virDomainFormatAttr(buf, "currentAddress", virMacAddrFormat(&net->currentMac, mac));
    g_string_append(buf, "/>\n");

    if (net->type != VIR_DOMAIN_NET_TYPE_ETHERNET) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<source");
        virDomainFormatAttr(buf, "dev", net->sourceDev);
        virDomainFormatAttr(buf, "bridge", net->bridge);
        virDomainFormatAttr(buf, "network", net->network);
        if (net->type == VIR_DOMAIN_NET_TYPE_DIRECT)
            virDomainFormatAttr(buf, "mode", virDomainNetMacvtapModeTypeToString(net->mode));
        g_string_append(buf, "/>\n");
    }
    if (net->ifname) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<target");
        virDomainFormatAttr(buf, "dev", net->ifname);
        g_string_append(buf, "/>\n");
    }
    if (net->model) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<model");
        virDomainFormatAttr(buf, "type", net->model);
        g_string_append(buf, "/>\n");
    }
    if (net->linkState != VIR_DOMAIN_NET_LINK_STATE_DEFAULT) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<link");
        virDomainFormatAttr(buf, "state", virDomainNetLinkStateTypeToString(net->linkState));
        g_string_append(buf, "/>\n");
    }
    virDomainFormatAlias(buf, 3, net->alias, flags);
    virDomainFormatIndent(buf, 2);
    g_string_append(buf, "</interface>\n");
}


static void
virDomainFormatChr(GString *buf, const virDomainChrDef *chr, bool console,
                   unsigned int flags)
{
    const char *elem = console ? "console" : "serial";
    bool showPath = chr->path &&
        (chr->type != VIR_DOMAIN_CHR_TYPE_PTY || (flags & VIR_DOMAIN_DEF_FORMAT_LIVE));
    g_autofree char *port = g_strdup_printf("%d", chr->port);

    virDomainFormatIndent(buf, 2);
    g_string_append_printf(buf, "<%s", elem);
    virDomainFormatAttr(buf, "type", virDomainChrTypeToString(chr->type));
    g_string_append(buf, ">\n");
    if (showPath) {
        virDomainFormatIndent(buf, 3);
        g_string_append(buf, "<source");
        if (chr->type == VIR_DOMAIN_CHR_TYPE_UNIX)
            virDomainFormatAttr(buf, "mode", virDomainChrSourceModeTypeToString(chr->mode));
        virDomainFormatAttr(buf, "path", chr->path);
        g_string_append(buf, "/>\n");
    }
    virDomainFormatIndent(buf, 3);
    g_string_append(buf, "<target");
    if (console)
        virDomainFormatAttr(buf, "type", virDomainChrConsoleTargetTypeToString(chr->targetType));
    virDomainFormatAttr(buf, "port", port);
    g_string_append(buf, "/>\n");
    virDomainFormatAlias(buf, 3, chr->alias, flags);
    virDomainFormatIndent(buf, 2);
    g_string_append_printf(buf, "</%s>\n", elem);
}


static void
virDomainFormatOS(GString *buf, const virDomainDef *def)
{
    size_t i;

    virDomainFormatIndent(buf, 1);
    g_string_append(buf, "<os>\n");
    virDomainFormatIndent(buf, 2);
    g_string_append(buf, "<type");
    virDomainFormatAttr(buf, "arch", def->osArch);
    virDomainFormatAttr(buf, "machine", def->osMachine);
    g_string_append(buf, ">hvm</type>\n");
    virDomainFormatTextElement(buf, 2, "kernel", def->osKernel);
    virDomainFormatTextElement(buf, 2, "initrd", def->osInitrd);
    virDomainFormatTextElement(buf, 2, "cmdline", def->osCmdline);
    for (i = 0; i < def->nboot; i++) {
        virDomainFormatIndent(buf, 2);
        g_string_append(buf, "<boot");
        virDomainFormatAttr(buf, "dev", virDomainBootDevTypeToString(def->boot[i]));
        g_string_append(buf, "/>\n");
    }
    virDomainFormatIndent(buf, 1);
    g_string_append(buf, "</os>\n");
}


char *
virDomainDefFormat(const virDomainDef *def, unsigned int flags)
{
    GString *buf;
    char uuid[VIR_UUID_STRING_BUFLEN];
    size_t i;

    g_return_val_if_fail(def != NULL, NULL);

    buf = g_string_new("<domain");
    virDomainFormatAttr(buf, "type", virDomainVirtTypeToString(def->virtType));
    if ((flags & VIR_DOMAIN_DEF_FORMAT_LIVE) && def->id > 0)
        g_string_append_printf(buf, " id='%d'", def->id);
    g_string_append(buf, ">\n");

    virDomainFormatTextElement(buf, 1, "name", def->name);
    virDomainFormatTextElement(buf, 1, "uuid", virDomainUUIDFormat(def->uuid, uuid));
    virDomainFormatTextElement(buf, 1, "title", def->title);
    virDomainFormatTextElement(buf, 1, "description", def->description);
    virDomainFormatIndent(buf, 1);
    g_string_append_printf(buf, "<memory unit='KiB'>%llu</memory>\n", def->memory);
    virDomainFormatIndent(buf, 1);
    g_string_append_printf(buf, "<currentMemory unit='KiB'>%llu</currentMemory>\n",
                           def->currentMemory);
    virDomainFormatIndent(buf, 1);
    g_string_append(buf, "<vcpu");
    virDomainFormatAttr(buf, "placement", virDomainVcpuPlacementTypeToString(def->vcpuPlacement));
    g_string_append_printf(buf, ">%u</vcpu>\n", def->vcpus);

    virDomainFormatOS(buf, def);

    if (def->acpi || def->apic) {
        virDomainFormatIndent(buf, 1);
        g_string_append(buf, "<features>\n");
        if (def->acpi) {
            virDomainFormatIndent(buf, 2);
            g_string_append(buf, "<acpi/>\n");
        }
        if (def->apic) {
            virDomainFormatIndent(buf, 2);
            g_string_append(buf, "<apic/>\n");
        }
        virDomainFormatIndent(buf, 1);
        g_string_append(buf, "</features>\n");
    }
    virDomainFormatIndent(buf, 1);
    g_string_append(buf, "<clock");
    virDomainFormatAttr(buf, "offset", virDomainClockOffsetTypeToString(def->clockOffset));
    g_string_append(buf, "/>\n");
    virDomainFormatTextElement(buf, 1, "on_poweroff",
                               virDomainLifecycleActionTypeToString(def->onPoweroff));
    virDomainFormatTextElement(buf, 1, "on_reboot",
                               virDomainLifecycleActionTypeToString(def->onReboot));
    virDomainFormatTextElement(buf, 1, "on_crash",
                               virDomainLifecycleActionTypeToString(def->onCrash));

    if (!def->emulator && def->ndisks == 0 && !def->usbNone && def->nnets == 0 &&
        def->nserials == 0 && def->nconsoles == 0 && !def->memballoonNone) {
        g_string_append(buf, "</domain>\n");
        return g_string_free(buf, FALSE);
    }
    virDomainFormatIndent(buf, 1);
    g_string_append(buf, "<devices>\n");
    virDomainFormatTextElement(buf, 2, "emulator", def->emulator);
    for (i = 0; i < def->ndisks; i++)
        virDomainFormatDisk(buf, def->disks[i], flags);
    if (def->usbNone) {
        virDomainFormatIndent(buf, 2);
        g_string_append(buf, "<controller type='usb' index='0' model='none'/>\n");
    }
    for (i = 0; i < def->nnets; i++)
        virDomainFormatNet(buf, def->nets[i], flags);
    for (i = 0; i < def->nserials; i++)
        virDomainFormatChr(buf, def->serials[i], false, flags);
    for (i = 0; i < def->nconsoles; i++)
        virDomainFormatChr(buf, def->consoles[i], true, flags);
    if (def->memballoonNone) {
        virDomainFormatIndent(buf, 2);
        g_string_append(buf, "<memballoon model='none'/>\n");
    }
    virDomainFormatIndent(buf, 1);
    g_string_append(buf, "</devices>\n");
    g_string_append(buf, "</domain>\n");

    return g_string_free(buf, FALSE);
}


virDomainDef *
virDomainDefCopy(const virDomainDef *def)
{
    g_autofree char *xml = NULL;

    g_return_val_if_fail(def != NULL, NULL);
    xml = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_LIVE);
    return virDomainDefParseStringFlags(xml, VIR_DOMAIN_DEF_PARSE_LIVE);
}
