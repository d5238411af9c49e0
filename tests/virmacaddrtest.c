/* virmacaddrtest.c: unit tests for the MAC address helpers in virmacaddr.c. */
#include <config.h>

#include <string.h>

#include "testutils.h"
#include "virmacaddr.h"

typedef struct {
    const char *input;
    unsigned char expected[VIR_MAC_BUFLEN];
} virMacAddrParseValidCase;

static const virMacAddrParseValidCase validCases[] = {
    { "52:54:00:12:34:56", { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } },
    { "00:00:00:00:00:00", { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
    { "ff:ff:ff:ff:ff:ff", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
    { "FF:FF:FF:FF:FF:FF", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
    { "aB:cD:eF:0a:Bc:De", { 0xab, 0xcd, 0xef, 0x0a, 0xbc, 0xde } },
    { "52:54:0:1:2:3", { 0x52, 0x54, 0x00, 0x01, 0x02, 0x03 } },
    { "1:2:3:4:5:6", { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 } },
    { "f:0f:F:0F:a:B", { 0x0f, 0x0f, 0x0f, 0x0f, 0x0a, 0x0b } },
    { "01:00:5e:00:00:01", { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },
};

static const char *const invalidCases[] = {
    "52:54:00:12:34:5g",
    "52:54:00:12:34",
    "52:54:00:12:34:56:78",
    "52-54-00-12-34-56",
    " 52:54:00:12:34:56",
    "52:54:00:12:34:56 ",
    "52:54:00:12:34:56\n",
    "",
    "123:54:00:12:34:56",
    "52:54:00:12:34:567",
    "+2:54:00:12:34:56",
    "-2:54:00:12:34:56",
    "52:54:00:12:34:+6",
    "52: 54:00:12:34:56",
    "0x:54:00:12:34:56",
    "0x52:54:00:12:34:56",
    "52::00:12:34:56",
    "52:54:00:12:34:56:",
    ":52:54:00:12:34:56",
    "52:54:00:12:34:",
    "525400123456",
    "52.54.00.12.34.56",
    "g2:54:00:12:34:56",
    "52:54:00:12:34:56\xc3\xa9",
};


static void
testParseValid(const void *opaque)
{
    const virMacAddrParseValidCase *tc = opaque;
    virMacAddr mac;

    memset(&mac, 0xaa, sizeof(mac));
    g_assert_cmpint(virMacAddrParse(tc->input, &mac), ==, 0);
    g_assert_cmpmem(mac.addr, VIR_MAC_BUFLEN, tc->expected, VIR_MAC_BUFLEN);
}


static void
testParseInvalid(const void *opaque)
{
    const char *input = opaque;
    virMacAddr mac;
    virMacAddr untouched;

    g_test_message("parsing '%s'", input);
    memset(&mac, 0xaa, sizeof(mac));
    untouched = mac;
    virResetLastError();
    g_assert_cmpint(virMacAddrParse(input, &mac), ==, -1);
    /* *ret is written only on success, and no error is reported. */
    g_assert_cmpmem(mac.addr, VIR_MAC_BUFLEN, untouched.addr, VIR_MAC_BUFLEN);
    g_assert_null(virErrorGetLast());
}


static void
testFormatRoundTrip(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(validCases); i++) {
        virMacAddr mac;
        virMacAddr again;
        char str[VIR_MAC_STRING_BUFLEN];
        char expected[VIR_MAC_STRING_BUFLEN];
        const unsigned char *e = validCases[i].expected;

        g_assert_cmpint(virMacAddrParse(validCases[i].input, &mac), ==, 0);
        g_assert_true(virMacAddrFormat(&mac, str) == str);
        g_snprintf(expected, sizeof(expected), "%02x:%02x:%02x:%02x:%02x:%02x",
                   e[0], e[1], e[2], e[3], e[4], e[5]);
        g_assert_cmpstr(str, ==, expected);
        g_assert_cmpuint(strlen(str), ==, VIR_MAC_STRING_BUFLEN - 1);

        g_assert_cmpint(virMacAddrParse(str, &again), ==, 0);
        g_assert_true(virMacAddrEqual(&mac, &again));
    }
}


static void
testFormatLowercase(void)
{
    virMacAddr mac = { { 0xAB, 0xCD, 0xEF, 0x01, 0x0A, 0xFF } };
    char str[VIR_MAC_STRING_BUFLEN];

    g_assert_cmpstr(virMacAddrFormat(&mac, str), ==, "ab:cd:ef:01:0a:ff");
}


static void
testCompare(void)
{
    virMacAddr a = { { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };
    virMacAddr b = { { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 } };
    virMacAddr c = { { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff } };
    virMacAddr copy;
    const unsigned char rawA[VIR_MAC_BUFLEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    unsigned char raw[VIR_MAC_BUFLEN];

    g_assert_cmpint(virMacAddrCmp(&a, &a), ==, 0);
    g_assert_cmpint(virMacAddrCmp(&a, &b), <, 0);
    g_assert_cmpint(virMacAddrCmp(&b, &a), >, 0);
    /* The first octet dominates, as in memcmp. */
    g_assert_cmpint(virMacAddrCmp(&c, &a), <, 0);
    g_assert_true(virMacAddrEqual(&a, &a));
    g_assert_false(virMacAddrEqual(&a, &b));

    g_assert_cmpint(virMacAddrCmpRaw(&a, rawA), ==, 0);
    g_assert_cmpint(virMacAddrCmpRaw(&b, rawA), >, 0);
    g_assert_cmpint(virMacAddrCmpRaw(&c, rawA), <, 0);

    virMacAddrSet(&copy, &b);
    g_assert_true(virMacAddrEqual(&copy, &b));

    virMacAddrSetRaw(&copy, rawA);
    g_assert_true(virMacAddrEqual(&copy, &a));

    memset(raw, 0, sizeof(raw));
    virMacAddrGetRaw(&b, raw);
    g_assert_cmpmem(raw, VIR_MAC_BUFLEN, b.addr, VIR_MAC_BUFLEN);
}


typedef struct {
    const char *input;
    bool multicast;
    bool broadcast;
} virMacAddrClassCase;

static const virMacAddrClassCase classCases[] = {
    { "52:54:00:12:34:56", false, false },
    { "00:00:00:00:00:00", false, false },
    { "fe:ff:ff:ff:ff:ff", false, false },
    { "01:00:5e:00:00:01", true, false },
    { "33:33:00:00:00:01", true, false },
    { "33:33:ff:12:34:56", true, false },
    { "ff:ff:ff:ff:ff:fe", true, false },
    { "ff:ff:ff:ff:ff:ff", true, true },
};


static void
testClassify(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(classCases); i++) {
        const virMacAddrClassCase *tc = &classCases[i];
        virMacAddr mac;

        g_test_message("classifying %s", tc->input);
        g_assert_cmpint(virMacAddrParse(tc->input, &mac), ==, 0);
        g_assert_cmpint(virMacAddrIsMulticast(&mac), ==, tc->multicast);
        g_assert_cmpint(virMacAddrIsUnicast(&mac), ==, !tc->multicast);
        g_assert_cmpint(virMacAddrIsBroadcastRaw(mac.addr), ==, tc->broadcast);
    }
}


static void
testGenerate(void)
{
    const unsigned char prefix[VIR_MAC_PREFIX_BUFLEN] = VIR_MAC_PREFIX_KVM;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    size_t i;

    for (i = 0; i < 100; i++) {
        virMacAddr mac;
        virMacAddr parsed;
        char str[VIR_MAC_STRING_BUFLEN];

        virMacAddrGenerate(prefix, &mac);
        g_assert_cmpmem(mac.addr, VIR_MAC_PREFIX_BUFLEN, prefix, VIR_MAC_PREFIX_BUFLEN);
        g_assert_true(virMacAddrIsUnicast(&mac));
        g_assert_false(virMacAddrIsMulticast(&mac));

        virMacAddrFormat(&mac, str);
        g_assert_true(g_str_has_prefix(str, "52:54:00:"));
        g_assert_cmpint(virMacAddrParse(str, &parsed), ==, 0);
        g_assert_true(virMacAddrEqual(&mac, &parsed));
        g_hash_table_add(seen, g_strdup(str));
    }
    /* 24 random bits: 100 draws all equal would mean the suffix is not random. */
    g_assert_cmpuint(g_hash_table_size(seen), >=, 2);
}


static void
testGenerateOtherPrefix(void)
{
    const unsigned char prefix[VIR_MAC_PREFIX_BUFLEN] = { 0x02, 0xab, 0xcd };
    virMacAddr mac;

    virMacAddrGenerate(prefix, &mac);
    g_assert_cmpmem(mac.addr, VIR_MAC_PREFIX_BUFLEN, prefix, VIR_MAC_PREFIX_BUFLEN);
    g_assert_true(virMacAddrIsUnicast(&mac));
}


int
main(int argc, char **argv)
{
    size_t i;

    virTestInit(&argc, &argv);

    for (i = 0; i < G_N_ELEMENTS(validCases); i++) {
        g_autofree char *path = g_strdup_printf("/virmacaddr/parse/valid/%zu", i);
        g_test_add_data_func(path, &validCases[i], testParseValid);
    }
    for (i = 0; i < G_N_ELEMENTS(invalidCases); i++) {
        g_autofree char *path = g_strdup_printf("/virmacaddr/parse/invalid/%zu", i);
        g_test_add_data_func(path, invalidCases[i], testParseInvalid);
    }
    g_test_add_func("/virmacaddr/format/roundtrip", testFormatRoundTrip);
    g_test_add_func("/virmacaddr/format/lowercase", testFormatLowercase);
    g_test_add_func("/virmacaddr/compare", testCompare);
    g_test_add_func("/virmacaddr/classify", testClassify);
    g_test_add_func("/virmacaddr/generate/kvm", testGenerate);
    g_test_add_func("/virmacaddr/generate/other-prefix", testGenerateOtherPrefix);

    return g_test_run();
}
