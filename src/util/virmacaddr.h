/* virmacaddr.h: parsing, formatting, comparing and generating Ethernet MAC addresses. */
#pragma once

#include "internal.h"

#define VIR_MAC_BUFLEN 6
/* "52:54:00:12:34:56" plus the terminating NUL. */
#define VIR_MAC_STRING_BUFLEN (VIR_MAC_BUFLEN * 3)
#define VIR_MAC_PREFIX_BUFLEN 3

/* The locally administered prefix QEMU/KVM guests conventionally use. */
#define VIR_MAC_PREFIX_KVM {0x52, 0x54, 0x00}

typedef struct _virMacAddr virMacAddr;
struct _virMacAddr {
    unsigned char addr[VIR_MAC_BUFLEN];
};

/*
 * Parses @str, six octets of one or two hex digits (either case) separated by ':',
 * e.g. "52:54:00:12:34:56" or "52:54:0:1:2:3". Nothing else is accepted: no other
 * separators, no whitespace, no signs, no trailing characters.
 * Returns 0 and fills @ret on success; returns -1 and leaves @ret untouched otherwise.
 * Reports no error: the caller knows which object the address belongs to and names
 * it in its own message.
 */
int virMacAddrParse(const char *str, virMacAddr *ret);

/*
 * Writes @mac into @str (VIR_MAC_STRING_BUFLEN bytes) in lowercase
 * "52:54:00:12:34:56" form. Returns @str.
 */
const char *virMacAddrFormat(const virMacAddr *mac, char *str);

/* Orders @a and @b like memcmp: <0, 0 or >0. */
int virMacAddrCmp(const virMacAddr *a, const virMacAddr *b);

/* True when @a and @b are the same address. */
bool virMacAddrEqual(const virMacAddr *a, const virMacAddr *b);

/* Orders @mac against the VIR_MAC_BUFLEN bytes at @raw like memcmp. */
int virMacAddrCmpRaw(const virMacAddr *mac, const unsigned char *raw);

/* Copies @src into @dst. */
void virMacAddrSet(virMacAddr *dst, const virMacAddr *src);

/* Copies the VIR_MAC_BUFLEN bytes at @raw (e.g. a struct sockaddr's sa_data) into @dst. */
void virMacAddrSetRaw(virMacAddr *dst, const unsigned char *raw);

/* Copies @src into the VIR_MAC_BUFLEN bytes at @raw. */
void virMacAddrGetRaw(const virMacAddr *src, unsigned char *raw);

/* True when the group bit (LSB of the first octet) is set; broadcast is multicast. */
bool virMacAddrIsMulticast(const virMacAddr *mac);

/* True when @mac is not multicast (the all-zero address counts as unicast). */
bool virMacAddrIsUnicast(const virMacAddr *mac);

/* True when the VIR_MAC_BUFLEN bytes at @raw are ff:ff:ff:ff:ff:ff. */
bool virMacAddrIsBroadcastRaw(const unsigned char *raw);

/*
 * Fills @mac with @prefix followed by three random octets (g_random_int). The result
 * is unicast and locally administered only if @prefix is (VIR_MAC_PREFIX_KVM is).
 */
void virMacAddrGenerate(const unsigned char prefix[VIR_MAC_PREFIX_BUFLEN], virMacAddr *mac);
