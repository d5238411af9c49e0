/* domainxmlerrortest.c: bad domain XML is refused with an error naming what is wrong. */
#include <config.h>

#include <string.h>

#include "testutils.h"
#include "domain_conf.h"

#define HEAD "<domain type='qemu'><name>bad</name><memory>1024</memory><os><type>hvm</type></os>"
#define DEVICES(devs) HEAD "<devices>" devs "</devices></domain>"
#define NET(attrs, body) DEVICES("<interface " attrs ">" body "</interface>")

typedef struct {
    const char *name;
    const char *xml;
    const char *error;      /* a substring of the expected message */
} domainXMLErrorCase;

static const domainXMLErrorCase cases[] = {
    { "mac-invalid",
      NET("type='bridge'", "<mac address='52:54:00:zz:00:01'/><source bridge='br0'/>"),
      "Invalid MAC address '52:54:00:zz:00:01' in <interface>." },
    { "mac-multicast",
      NET("type='bridge'", "<mac address='01:00:5e:00:00:01'/><source bridge='br0'/>"),
      "multicast" },
    { "net-type-unknown",
      NET("type='user'", ""),
      "Unsupported interface type 'user'" },
    { "net-type-missing",
      NET("", "<source bridge='br0'/>"),
      "Missing required attribute 'type' of <interface>" },
    { "net-trust-invalid",
      NET("type='bridge' trustGuestRxFilters='on'", "<source bridge='br0'/>"),
      "Invalid value 'on' in <interface trustGuestRxFilters>" },
    { "net-source-missing",
      NET("type='direct'", "<mac address='52:54:00:00:00:01'/>"),
      "Missing required element <source> in <interface type='direct'>" },
    { "net-source-attr-missing",
      NET("type='direct'", "<source bridge='br0'/>"),
      "Missing attribute 'dev' of <source> in <interface type='direct'>" },
    { "net-mode-invalid",
      NET("type='direct'", "<source dev='eth0' mode='vepa2'/>"),
      "Invalid value 'vepa2' in <source mode>" },
    { "net-link-invalid",
      NET("type='bridge'", "<source bridge='br0'/><link state='sideways'/>"),
      "Invalid value 'sideways' in <interface><link state>" },
    { "net-ifname-too-long",
      NET("type='ethernet'", "<target dev='abcdefghijklmnopq'/>"),
      "Invalid value 'abcdefghijklmnopq' in <interface><target dev>" },
    { "net-ifname-slash",
      NET("type='ethernet'", "<target dev='../x'/>"),
      "Invalid value '../x' in <interface><target dev>" },
    { "net-unknown-child",
      NET("type='bridge'", "<source bridge='br0'/><bandwidth/>"),
      "Unsupported element <bandwidth> in domain XML." },
    { "net-mac-twice",
      NET("type='bridge'", "<mac address='52:54:00:00:00:01'/><mac address='52:54:00:00:00:02'/>"
          "<source bridge='br0'/>"),
      "Element <mac> appears more than once in <interface>" },
    { "alias-duplicate",
      DEVICES("<interface type='bridge'><source bridge='br0'/><alias name='ua-x'/></interface>"
              "<serial type='pty'><alias name='ua-x'/></serial>"),
      "Duplicate device alias 'ua-x'" },
    { "alias-not-ua",
      NET("type='bridge'", "<source bridge='br0'/><alias name='net0'/>"),
      "Invalid alias 'net0' in <interface>: user aliases must start with 'ua-'." },
    { "name-missing",
      "<domain><memory>1024</memory><os><type>hvm</type></os></domain>",
      "Missing required element <name> in <domain>." },
    { "name-slash",
      "<domain><name>a/b</name><memory>1024</memory><os><type>hvm</type></os></domain>",
      "Invalid domain name 'a/b'" },
    { "name-twice",
      "<domain><name>a</name><name>b</name><memory>1024</memory><os><type>hvm</type></os></domain>",
      "Element <name> appears more than once in <domain>." },
    { "memory-missing",
      "<domain><name>a</name><os><type>hvm</type></os></domain>",
      "Missing required element <memory> in <domain>." },
    { "os-missing",
      "<domain><name>a</name><memory>1024</memory></domain>",
      "Missing required element <os>" },
    { "os-type-missing",
      "<domain><name>a</name><memory>1024</memory><os><boot dev='hd'/></os></domain>",
      "Missing required element <type> in <os>." },
    { "os-type-xen",
      "<domain><name>a</name><memory>1024</memory><os><type>xen</type></os></domain>",
      "Unsupported value 'xen' in <os><type>" },
    { "boot-dev-invalid",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type><boot dev='usb'/></os></domain>",
      "Invalid value 'usb' in <boot dev>" },
    { "memory-unit-unknown",
      "<domain><name>a</name><memory unit='PiB'>1</memory><os><type>hvm</type></os></domain>",
      "Unknown unit 'PiB' in <memory unit>." },
    { "memory-negative",
      "<domain><name>a</name><memory>-1024</memory><os><type>hvm</type></os></domain>",
      "Invalid value '-1024' in <memory>" },
    { "memory-garbage",
      "<domain><name>a</name><memory>12ab</memory><os><type>hvm</type></os></domain>",
      "Invalid value '12ab' in <memory>" },
    { "memory-zero",
      "<domain><name>a</name><memory>0</memory><os><type>hvm</type></os></domain>",
      "it must be greater than zero" },
    { "memory-overflow",
      "<domain><name>a</name><memory unit='TiB'>99999999999999</memory><os><type>hvm</type></os></domain>",
      "Value '99999999999999' in <memory> is too large." },
    { "current-memory-larger",
      "<domain><name>a</name><memory>1024</memory><currentMemory>2048</currentMemory>"
      "<os><type>hvm</type></os></domain>",
      "larger than <memory>" },
    { "vcpu-garbage",
      "<domain><name>a</name><memory>1024</memory><vcpu>two</vcpu><os><type>hvm</type></os></domain>",
      "Invalid value 'two' in <vcpu>" },
    { "uuid-invalid",
      "<domain><name>a</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db180</uuid><memory>1024</memory>"
      "<os><type>hvm</type></os></domain>",
      "Invalid value 'c7a5fdbd-edaf-9455-926a-d65c16db180' in <uuid>" },
    { "lifecycle-invalid",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os>"
      "<on_crash>explode</on_crash></domain>",
      "Invalid value 'explode' in <on_crash>" },
    { "lifecycle-coredump",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os>"
      "<on_crash>coredump-destroy</on_crash></domain>",
      "Unsupported value 'coredump-destroy' in <on_crash>" },
    { "clock-invalid",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os>"
      "<clock offset='variable'/></domain>",
      "Unsupported value 'variable' in <clock offset>" },
    { "domain-type-xen",
      "<domain type='xen'><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain>",
      "Unsupported value 'xen' in <domain type>" },
    { "unknown-element-domain",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os><cputune/></domain>",
      "Unsupported element <cputune> in domain XML." },
    { "unknown-element-devices",
      DEVICES("<input type='tablet' bus='usb'/>"),
      "Unsupported element <input> in domain XML." },
    { "unknown-element-features",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os>"
      "<features><hyperv/></features></domain>",
      "Unsupported element <hyperv> in domain XML." },
    { "address-outside-device",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os><address/></domain>",
      "Unsupported element <address> in domain XML." },
    { "graphics",
      DEVICES("<graphics type='vnc' port='-1'/>"),
      "Unsupported device <graphics type='vnc'>" },
    { "controller-pci",
      DEVICES("<controller type='pci' index='0' model='pci-root'/>"),
      "only type='usb' model='none' is supported" },
    { "controller-usb-model",
      DEVICES("<controller type='usb' model='qemu-xhci'/>"),
      "<controller type='usb' model='qemu-xhci'>" },
    { "memballoon-virtio",
      DEVICES("<memballoon model='virtio'/>"),
      "Unsupported memballoon model 'virtio'" },
    { "disk-type-block",
      DEVICES("<disk type='block'><source dev='/dev/sda'/><target dev='vda'/></disk>"),
      "Unsupported value 'block' in <disk type>" },
    { "disk-format-vmdk",
      DEVICES("<disk type='file'><driver name='qemu' type='vmdk'/><source file='/a'/>"
              "<target dev='vda'/></disk>"),
      "Unsupported value 'vmdk' in <disk><driver type>" },
    { "disk-target-missing",
      DEVICES("<disk type='file'><source file='/a'/></disk>"),
      "Missing required attribute <target dev> in <disk>." },
    { "disk-bus-unknown",
      DEVICES("<disk type='file'><source file='/a'/><target dev='xda'/></disk>"),
      "Cannot infer the bus of disk 'xda'" },
    { "disk-relative-path",
      DEVICES("<disk type='file'><source file='images/a.img'/><target dev='vda'/></disk>"),
      "Invalid path 'images/a.img' in <source file>" },
    { "disk-duplicate-target",
      DEVICES("<disk type='file'><source file='/a'/><target dev='vda'/></disk>"
              "<disk type='file'><source file='/b'/><target dev='vda'/></disk>"),
      "Duplicate disk target 'vda'" },
    { "serial-type-tcp",
      DEVICES("<serial type='tcp'/>"),
      "Unsupported value 'tcp' in <serial type>" },
    { "serial-file-no-path",
      DEVICES("<serial type='file'><target port='0'/></serial>"),
      "Missing required attribute <source path> in <serial type='file'>" },
    { "serial-unix-mode",
      DEVICES("<serial type='unix'><source mode='listen' path='/s'/></serial>"),
      "Invalid value 'listen' in <serial><source mode>" },
    { "serial-port-garbage",
      DEVICES("<serial type='pty'><target port='x1'/></serial>"),
      "Invalid value 'x1' in <serial><target port>" },
    { "serial-port-duplicate",
      DEVICES("<serial type='pty'><target port='1'/></serial>"
              "<serial type='pty'><target port='1'/></serial>"),
      "Duplicate <serial><target port='1'>" },
    { "doctype-billion-laughs",
      "<?xml version='1.0'?>\n"
      "<!DOCTYPE domain [\n"
      " <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
      " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
      " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
      " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
      " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
      " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
      "]>\n"
      "<domain><name>&lol9;</name><memory>1024</memory><os><type>hvm</type></os></domain>\n",
      "DTDs are not allowed" },
    { "doctype-after-comment",
      "<!-- hi --><!doctype domain SYSTEM 'file:///etc/passwd'><domain/>",
      "DTDs are not allowed" },
    { "external-entity-undeclared",
      "<domain><name>&xxe;</name><memory>1024</memory><os><type>hvm</type></os></domain>",
      "Cannot parse domain XML" },
    { "not-well-formed",
      "<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os>",
      "Cannot parse domain XML" },
    { "empty",
      "",
      "Cannot parse domain XML" },
    { "wrong-root",
      "<network><name>default</name></network>",
      "Expected the root element <domain>, found <network>." },
};


static void
testError(const void *opaque)
{
    const domainXMLErrorCase *tc = opaque;
    g_autoptr(virDomainDef) def = NULL;

    virResetLastError();
    def = virDomainDefParseString(tc->xml);
    if (def)
        g_error("'%s' parsed, but should have failed with '%s'", tc->name, tc->error);
    virTestAssertErrorContains(tc->error);
}


static void
testOversized(void)
{
    /* A valid document padded with a long description past the limit. */
    GString *buf = g_string_new(HEAD "<description>");
    g_autofree char *xml = NULL;
    g_autoptr(virDomainDef) def = NULL;
    g_autoptr(virDomainDef) fits = NULL;

    while (buf->len <= VIR_DOMAIN_XML_MAX_SIZE)
        g_string_append(buf, "0123456789abcdef");
    g_string_append(buf, "</description></domain>");
    xml = g_string_free(buf, FALSE);

    def = virDomainDefParseString(xml);
    g_assert_null(def);
    virTestAssertErrorContains("larger than the limit");

    /* Just under the limit still parses. */
    xml[VIR_DOMAIN_XML_MAX_SIZE - 2000] = '\0';
    strcat(xml, "</description></domain>");
    fits = virDomainDefParseString(xml);
    if (!fits)
        g_error("%s", virErrorGetLastMessage());
}


static void
testErrorCode(void)
{
    g_autoptr(virDomainDef) a = NULL;
    g_autoptr(virDomainDef) b = NULL;

    a = virDomainDefParseString(DEVICES("<graphics type='spice'/>"));
    g_assert_null(a);
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpint(virErrorGetLast()->domain, ==, VIR_FROM_DOMAIN);
    b = virDomainDefParseString("<domain>");
    g_assert_null(b);
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_XML_ERROR);
}


/* currentAddress is read only from live (status) XML, and validated there. */
static void
testCurrentAddressInvalidLive(void)
{
    const char *xml = NET("type='bridge'", "<mac address='52:54:00:00:00:01' currentAddress='x'/>"
                          "<source bridge='br0'/>");
    g_autoptr(virDomainDef) live = NULL;
    g_autoptr(virDomainDef) inactive = NULL;

    live = virDomainDefParseStringFlags(xml, VIR_DOMAIN_DEF_PARSE_LIVE);
    g_assert_null(live);
    virTestAssertErrorContains("Invalid MAC address 'x' in <interface><mac currentAddress>");
    inactive = virDomainDefParseString(xml);
    g_assert_nonnull(inactive);
    g_assert_false(inactive->nets[0]->hasCurrentMac);
}


int
main(int argc, char **argv)
{
    size_t i;

    virTestInit(&argc, &argv);

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/domainxmlerror/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], testError);
    }
    g_test_add_func("/domainxmlerror/oversized", testOversized);
    g_test_add_func("/domainxmlerror/error-code", testErrorCode);
    g_test_add_func("/domainxmlerror/current-address-live", testCurrentAddressInvalidLive);

    return g_test_run();
}
