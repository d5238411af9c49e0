/* virmacaddr.c: parsing, formatting, comparing and generating Ethernet MAC addresses. */
#include <config.h>

#include <string.h>

#include "virmacaddr.h"

static const unsigned char virMacAddrBroadcast[VIR_MAC_BUFLEN] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};


int
virMacAddrParse(const char *str, virMacAddr *ret)
{
    virMacAddr mac;
    const char *p = str;
    size_t i;

    g_return_val_if_fail(str != NULL, -1);
    g_return_val_if_fail(ret != NULL, -1);

    for (i = 0; i < VIR_MAC_BUFLEN; i++) {
        int hi = g_ascii_xdigit_value(p[0]);
        int lo;

        /* Checking the digits by hand (not strtoul) keeps out the leading
         * whitespace, signs and "0x" that strtoul would accept. */
        if (hi < 0)
            return -1;
        p++;
        if ((lo = g_ascii_xdigit_value(p[0])) >= 0) {
            mac.addr[i] = (unsigned char)(hi << 4 | lo);
            p++;
        } else {
            mac.addr[i] = (unsigned char)hi;
        }

        if (i < VIR_MAC_BUFLEN - 1) {
            if (*p != ':')
                return -1;
            p++;
        }
    }
    if (*p != '\0')
        return -1;

    *ret = mac;
    return 0;
}


const char *
virMacAddrFormat(const virMacAddr *mac, char *str)
{
    g_return_val_if_fail(mac != NULL, NULL);
    g_return_val_if_fail(str != NULL, NULL);

    g_snprintf(str, VIR_MAC_STRING_BUFLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
               mac->addr[0], mac->addr[1], mac->addr[2],
               mac->addr[3], mac->addr[4], mac->addr[5]);
    return str;
}


int
virMacAddrCmp(const virMacAddr *a, const virMacAddr *b)
{
    return memcmp(a->addr, b->addr, VIR_MAC_BUFLEN);
}


bool
virMacAddrEqual(const virMacAddr *a, const virMacAddr *b)
{
    return virMacAddrCmp(a, b) == 0;
}


int
virMacAddrCmpRaw(const virMacAddr *mac, const unsigned char *raw)
{
    return memcmp(mac->addr, raw, VIR_MAC_BUFLEN);
}


void
virMacAddrSet(virMacAddr *dst, const virMacAddr *src)
{
    memcpy(dst->addr, src->addr, VIR_MAC_BUFLEN);
}


void
virMacAddrSetRaw(virMacAddr *dst, const unsigned char *raw)
{
    memcpy(dst->addr, raw, VIR_MAC_BUFLEN);
}


void
virMacAddrGetRaw(const virMacAddr *src, unsigned char *raw)
{
    memcpy(raw, src->addr, VIR_MAC_BUFLEN);
}


bool
virMacAddrIsMulticast(const virMacAddr *mac)
{
    return (mac->addr[0] & 0x01) != 0;
}


bool
virMacAddrIsUnicast(const virMacAddr *mac)
{
    return !virMacAddrIsMulticast(mac);
}


bool
virMacAddrIsBroadcastRaw(const unsigned char *raw)
{
    return memcmp(raw, virMacAddrBroadcast, VIR_MAC_BUFLEN) == 0;
}


void
virMacAddrGenerate(const unsigned char prefix[VIR_MAC_PREFIX_BUFLEN], virMacAddr *mac)
{
    size_t i;

    g_return_if_fail(prefix != NULL);
    g_return_if_fail(mac != NULL);

    memcpy(mac->addr, prefix, VIR_MAC_PREFIX_BUFLEN);
    for (i = VIR_MAC_PREFIX_BUFLEN; i < VIR_MAC_BUFLEN; i++)
        mac->addr[i] = (unsigned char)(g_random_int() & 0xff);
}
