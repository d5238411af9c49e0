/* domainxml2xmltest.c: domain XML parse -> format against golden files, and round trips. */
#include <config.h>

#include <string.h>

#include "testutils.h"
#include "domain_conf.h"

typedef struct {
    const char *name;
    unsigned int parseFlags;    /* virDomainDefParseFlags for NAME.xml */
    bool live;                  /* also compare NAME.live.xml (VIR_DOMAIN_DEF_FORMAT_LIVE) */
} domainXML2XMLCase;

static const domainXML2XMLCase cases[] = {
    { "minimal", 0, false },
    { "memory-units", 0, false },
    { "os-kernel", 0, false },
    { "boot-order", 0, false },
    { "features-clock-lifecycle", 0, false },
    { "disks", 0, true },
    { "net-direct-trust", 0, false },
    { "net-direct-modes", 0, false },
    { "net-bridge", 0, false },
    { "net-network", 0, true },
    { "net-ethernet", 0, false },
    { "net-current-mac", VIR_DOMAIN_DEF_PARSE_LIVE, true },
    { "aliases-auto", 0, true },
    { "serial-pty-console", VIR_DOMAIN_DEF_PARSE_LIVE, true },
    { "serial-file", 0, false },
    { "serial-unix", 0, false },
    { "usb-none-memballoon-none", 0, false },
};


static virDomainDef *
testParse(const char *xml, unsigned int flags)
{
    virDomainDef *def = virDomainDefParseStringFlags(xml, flags);

    if (!def)
        g_error("parse failed: %s", virErrorGetLastMessage());
    return def;
}


/* format(parse(@golden)) must give @golden back. */
static void
testRoundTrip(const char *relative, unsigned int parseFlags, unsigned int formatFlags)
{
    g_autofree char *golden = virTestLoadFile(relative);
    g_autoptr(virDomainDef) def = testParse(golden, parseFlags);
    g_autofree char *again = virDomainDefFormat(def, formatFlags);

    g_assert_cmpstr(again, ==, golden);
}


static void
testXML2XML(const void *opaque)
{
    const domainXML2XMLCase *tc = opaque;
    g_autofree char *in = g_strdup_printf("domainxml2xmldata/%s.xml", tc->name);
    g_autofree char *out = g_strdup_printf("domainxml2xmldata/%s.out.xml", tc->name);
    g_autofree char *liveOut = g_strdup_printf("domainxml2xmldata/%s.live.xml", tc->name);
    g_autofree char *xml = virTestLoadFile(in);
    g_autoptr(virDomainDef) def = testParse(xml, tc->parseFlags);
    g_autofree char *inactive = virDomainDefFormat(def, 0);

    virTestCompareToFile(inactive, out);
    testRoundTrip(out, 0, 0);

    if (tc->live) {
        g_autofree char *live = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_LIVE);

        virTestCompareToFile(live, liveOut);
        testRoundTrip(liveOut, VIR_DOMAIN_DEF_PARSE_LIVE, VIR_DOMAIN_DEF_FORMAT_LIVE);
    }
}


typedef struct {
    const char *unit;
    const char *value;
    unsigned long long kib;
} domainMemoryUnitCase;

static const domainMemoryUnitCase unitCases[] = {
    { NULL, "1024", 1024 },
    { "b", "1048576", 1024 },
    { "bytes", "1025", 2 },          /* rounded up to whole KiB */
    { "KB", "1000", 977 },
    { "k", "3", 3 },
    { "KiB", "4096", 4096 },
    { "MB", "1", 977 },
    { "M", "1", 1024 },
    { "MiB", "256", 262144 },
    { "GB", "1", 976563 },
    { "G", "1", 1048576 },
    { "GiB", "2", 2097152 },
    { "TB", "1", 976562500 },
    { "T", "1", 1073741824ULL },
    { "TiB", "3", 3221225472ULL },
};


static void
testMemoryUnits(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(unitCases); i++) {
        const domainMemoryUnitCase *tc = &unitCases[i];
        g_autofree char *unitAttr = tc->unit ? g_strdup_printf(" unit='%s'", tc->unit) :
                                               g_strdup("");
        g_autofree char *xml = g_strdup_printf("<domain><name>u</name>"
                                               "<memory%s>%s</memory>"
                                               "<os><type>hvm</type></os></domain>",
                                               unitAttr, tc->value);
        g_autoptr(virDomainDef) def = testParse(xml, 0);

        g_test_message("unit %s value %s", NULLSTR(tc->unit), tc->value);
        g_assert_cmpuint(def->memory, ==, tc->kib);
        g_assert_cmpuint(def->currentMemory, ==, tc->kib);
    }
}


static const char generatedXML[] =
    "<domain type='kvm'>\n"
    "  <name>generated</name>\n"
    "  <memory>1024</memory>\n"
    "  <os><type>hvm</type></os>\n"
    "  <devices>\n"
    "    <interface type='bridge'><source bridge='br0'/></interface>\n"
    "  </devices>\n"
    "</domain>\n";


static void
testGeneratedUUIDAndMAC(void)
{
    g_autoptr(virDomainDef) a = testParse(generatedXML, 0);
    g_autoptr(virDomainDef) b = testParse(generatedXML, 0);
    g_autofree char *xml = virDomainDefFormat(a, 0);
    g_autoptr(GRegex) uuidRe = g_regex_new("<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                           "[0-9a-f]{4}-[0-9a-f]{12}</uuid>", 0, 0, NULL);
    char uuid[VIR_UUID_STRING_BUFLEN];
    char mac[VIR_MAC_STRING_BUFLEN];
    unsigned char parsed[VIR_UUID_BUFLEN];

    g_assert_true(g_regex_match(uuidRe, xml, 0, NULL));
    virDomainUUIDFormat(a->uuid, uuid);
    g_assert_cmpint(virDomainUUIDParse(uuid, parsed), ==, 0);
    g_assert_cmpmem(parsed, VIR_UUID_BUFLEN, a->uuid, VIR_UUID_BUFLEN);
    /* 122 random bits: two equal UUIDs would mean they are not generated. */
    g_assert_true(memcmp(a->uuid, b->uuid, VIR_UUID_BUFLEN) != 0);

    g_assert_cmpuint(a->nnets, ==, 1);
    virMacAddrFormat(&a->nets[0]->mac, mac);
    g_assert_true(g_str_has_prefix(mac, "52:54:00:"));
    g_assert_true(virMacAddrIsUnicast(&a->nets[0]->mac));
    g_assert_cmpstr(a->nets[0]->alias, ==, "net0");
    g_assert_cmpint(a->nets[0]->trustGuestRxFilters, ==, VIR_TRISTATE_BOOL_ABSENT);

    /* What was generated is kept: formatting and parsing again gives the same. */
    {
        g_autoptr(virDomainDef) again = testParse(xml, 0);

        g_assert_cmpmem(again->uuid, VIR_UUID_BUFLEN, a->uuid, VIR_UUID_BUFLEN);
        g_assert_true(virMacAddrEqual(&again->nets[0]->mac, &a->nets[0]->mac));
    }
}


static void
testCurrentAddressNeedsLiveParse(void)
{
    g_autofree char *xml = virTestLoadFile("domainxml2xmldata/net-current-mac.live.xml");
    g_autoptr(virDomainDef) live = testParse(xml, VIR_DOMAIN_DEF_PARSE_LIVE);
    g_autoptr(virDomainDef) inactive = NULL;
    g_autofree char *out = NULL;

    g_assert_true(live->nets[0]->hasCurrentMac);
    g_assert_cmpint(live->id, ==, 7);

    /* From a client (no live flag) the live-only alias 'net0' is refused ... */
    g_assert_null(virDomainDefParseString(xml));
    virTestAssertErrorContains("'net0'");

    /* ... and without aliases, currentAddress and id are simply not read. */
    out = virDomainDefFormat(live, 0);
    g_assert_null(strstr(out, "currentAddress"));
    g_assert_null(strstr(out, " id="));
    inactive = testParse(out, 0);
    g_assert_false(inactive->nets[0]->hasCurrentMac);
    g_assert_cmpint(inactive->id, ==, -1);
}


static void
testCopy(void)
{
    g_autofree char *xml = virTestLoadFile("domainxml2xmldata/net-current-mac.live.xml");
    g_autoptr(virDomainDef) def = testParse(xml, VIR_DOMAIN_DEF_PARSE_LIVE);
    g_autoptr(virDomainDef) copy = virDomainDefCopy(def);
    g_autofree char *a = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_LIVE);
    g_autofree char *b = NULL;

    g_assert_nonnull(copy);
    g_assert_true(copy != def);
    g_assert_true(copy->nets[0] != def->nets[0]);
    b = virDomainDefFormat(copy, VIR_DOMAIN_DEF_FORMAT_LIVE);
    g_assert_cmpstr(a, ==, b);
}


static void
testFindByAlias(void)
{
    g_autofree char *xml = virTestLoadFile("domainxml2xmldata/aliases-auto.xml");
    g_autoptr(virDomainDef) def = testParse(xml, 0);
    virDomainNetDef *net;

    /* User aliases are kept; the others get the lowest free netN. */
    g_assert_cmpstr(def->nets[0]->alias, ==, "net0");
    g_assert_cmpstr(def->nets[1]->alias, ==, "ua-net1");
    g_assert_cmpstr(def->nets[2]->alias, ==, "net1");
    net = virDomainNetFindByAlias(def, "ua-net1");
    g_assert_true(net == def->nets[1]);
    g_assert_true(virDomainNetFindByAlias(def, "net1") == def->nets[2]);
    g_assert_null(virDomainNetFindByAlias(def, "net7"));
    g_assert_null(virDomainNetFindByAlias(def, NULL));
}


static void
testParseFile(void)
{
    g_autofree char *path = virTestSrcPath("domainxml2xmldata/minimal.xml");
    g_autoptr(virDomainDef) def = virDomainDefParseFile(path);
    g_autoptr(virDomainDef) missing = NULL;

    g_assert_nonnull(def);
    g_assert_cmpstr(def->name, ==, "minimal");
    missing = virDomainDefParseFile("/nonexistent/qvirt/domain.xml");
    g_assert_null(missing);
    virTestAssertErrorContains("/nonexistent/qvirt/domain.xml");
}


/* A file that never ends (a FIFO, a device) is cut off at the size limit. */
static void
testParseFileUnbounded(void)
{
    g_autoptr(virDomainDef) def = virDomainDefParseFile("/dev/zero");

    g_assert_null(def);
    virTestAssertErrorContains("larger than the limit");
}


static void
testEnumStrings(void)
{
    g_assert_cmpstr(virDomainNetTypeToString(VIR_DOMAIN_NET_TYPE_DIRECT), ==, "direct");
    g_assert_cmpint(virDomainNetTypeFromString("ethernet"), ==, VIR_DOMAIN_NET_TYPE_ETHERNET);
    g_assert_cmpint(virDomainNetTypeFromString("user"), ==, -1);
    g_assert_null(virDomainNetTypeToString(VIR_DOMAIN_NET_TYPE_LAST));
    g_assert_null(virTristateBoolTypeToString(VIR_TRISTATE_BOOL_ABSENT));
    g_assert_cmpint(virTristateBoolTypeFromString("yes"), ==, VIR_TRISTATE_BOOL_YES);
    g_assert_cmpint(virTristateBoolTypeFromString("no"), ==, VIR_TRISTATE_BOOL_NO);
    g_assert_cmpint(virTristateBoolTypeFromString("absent"), ==, -1);
    g_assert_cmpstr(virDomainLifecycleActionTypeToString(VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME),
                    ==, "rename-restart");
    g_assert_cmpstr(virDomainNetMacvtapModeTypeToString(VIR_DOMAIN_NET_MACVTAP_MODE_PASSTHROUGH),
                    ==, "passthrough");
    g_assert_cmpint(virDomainDiskFormatTypeFromString("qcow2"), ==, VIR_DOMAIN_DISK_FORMAT_QCOW2);
}


int
main(int argc, char **argv)
{
    size_t i;

    virTestInit(&argc, &argv);

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/domainxml2xml/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], testXML2XML);
    }
    g_test_add_func("/domainxml2xml/memory-units/all", testMemoryUnits);
    g_test_add_func("/domainxml2xml/generated-uuid-mac", testGeneratedUUIDAndMAC);
    g_test_add_func("/domainxml2xml/current-address-live-only", testCurrentAddressNeedsLiveParse);
    g_test_add_func("/domainxml2xml/copy", testCopy);
    g_test_add_func("/domainxml2xml/find-by-alias", testFindByAlias);
    g_test_add_func("/domainxml2xml/parse-file", testParseFile);
    g_test_add_func("/domainxml2xml/parse-file-unbounded", testParseFileUnbounded);
    g_test_add_func("/domainxml2xml/enum-strings", testEnumStrings);

    return g_test_run();
}
