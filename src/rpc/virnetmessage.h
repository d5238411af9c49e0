/* virnetmessage.h: one message of libvirt's wire protocol: framing, header, XDR payload. */
#pragma once

#include "internal.h"

#include <rpc/xdr.h>

/*
 * On the wire a message is a 4-byte big-endian length word, a 24-byte header and an
 * XDR payload. The length word counts the whole message, itself included, so an empty
 * message has length 28.
 *
 * Error convention: every function that fails reports one error (VIR_FROM_RPC) and
 * returns -1, as everywhere else in qvirt.
 */

/* libvirt's bound (virnetprotocol.x, VIR_NET_MESSAGE_MAX): a peer never sends more,
 * so anything bigger is a broken or hostile frame, and a client cannot make us
 * allocate more than this for one message. */
#define VIR_NET_MESSAGE_MAX (32 * 1024 * 1024)

/* libvirt's initial buffer (VIR_NET_MESSAGE_INITIAL): nearly every reply fits, and
 * encoding doubles the buffer up to VIR_NET_MESSAGE_MAX when one does not. */
#define VIR_NET_MESSAGE_INITIAL (64 * 1024)

/* The length word. */
#define VIR_NET_MESSAGE_LEN_MAX 4

/* Six 32-bit words: prog, vers, proc, type, serial, status. */
#define VIR_NET_MESSAGE_HEADER_XDR_LEN 24

/* The smallest valid length word: length word plus header, no payload. */
#define VIR_NET_MESSAGE_MIN (VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_HEADER_XDR_LEN)

/* Bound on every string we decode (libvirt's REMOTE_STRING_MAX is 4 MiB). */
#define VIR_NET_MESSAGE_STRING_MAX (4 * 1024 * 1024)

/* Raw bytes of a remote_uuid (VIR_UUID_BUFLEN). */
#define VIR_NET_UUID_BUFLEN 16

/* Programs (libvirt's numbers). */
#define VIR_NET_PROGRAM_REMOTE 0x20008086
#define VIR_NET_PROGRAM_QEMU 0x20008087
#define VIR_NET_PROGRAM_KEEPALIVE 0x6b656570
#define VIR_NET_PROGRAM_KEEPALIVE_VERSION 1

typedef enum {
    VIR_NET_KEEPALIVE_PROC_PING = 1,
    VIR_NET_KEEPALIVE_PROC_PONG = 2,
} virNetKeepaliveProcedure;

typedef enum {
    VIR_NET_CALL = 0,
    VIR_NET_REPLY = 1,
    VIR_NET_MESSAGE = 2,          /* async events and keepalive */
    VIR_NET_STREAM = 3,
    VIR_NET_CALL_WITH_FDS = 4,
    VIR_NET_REPLY_WITH_FDS = 5,
    VIR_NET_STREAM_HOLE = 6,

    VIR_NET_TYPE_LAST
} virNetMessageType;

typedef enum {
    VIR_NET_OK = 0,
    VIR_NET_ERROR = 1,
    VIR_NET_CONTINUE = 2,         /* streams only */

    VIR_NET_STATUS_LAST
} virNetMessageStatus;

/* Async event messages from the daemon always carry this serial (as libvirtd's do). */
#define VIR_NET_MESSAGE_EVENT_SERIAL 1

typedef struct _virNetMessageHeader virNetMessageHeader;
struct _virNetMessageHeader {
    unsigned int prog;
    unsigned int vers;
    int proc;
    virNetMessageType type;
    unsigned int serial;
    virNetMessageStatus status;
};

/*
 * @buffer holds the whole frame, length word included. While decoding, @bufferLength
 * is how many bytes the frame has and @bufferOffset how far reading got; once encoded,
 * @bufferLength is the frame's size and @bufferOffset how much of it was written out.
 */
typedef struct _virNetMessage virNetMessage;
struct _virNetMessage {
    virNetMessageHeader header;
    char *buffer;
    size_t bufferLength;
    size_t bufferOffset;
};

/* A new, empty message; never NULL. */
virNetMessage *virNetMessageNew(void);
void virNetMessageFree(virNetMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetMessage, virNetMessageFree);

/* Drops the buffer and zeroes the header, ready to read the next frame. */
void virNetMessageClear(virNetMessage *msg);

/* Prepares @msg to receive a frame: a buffer for the length word only. */
void virNetMessagePrepareRead(virNetMessage *msg);

/*
 * Decodes the length word in the first 4 bytes of @buffer, checks
 * VIR_NET_MESSAGE_MIN <= length <= VIR_NET_MESSAGE_MAX, and grows the buffer so the
 * rest of the frame can be read into it (@bufferLength = length, @bufferOffset = 4).
 */
int virNetMessageDecodeLength(virNetMessage *msg);

/* Decodes the header after the length word into @msg->header, checking the type and
 * status are known; leaves @bufferOffset at the payload. */
int virNetMessageDecodeHeader(virNetMessage *msg);

/* Decodes the payload into @data with @filter; on failure frees what was decoded. */
int virNetMessageDecodePayload(virNetMessage *msg, xdrproc_t filter, void *data);

/* Allocates the buffer and writes a placeholder length word and @msg->header. */
int virNetMessageEncodeHeader(virNetMessage *msg);

/* Encodes @data with @filter after the header, doubling the buffer up to
 * VIR_NET_MESSAGE_MAX as needed, then writes the length word. The frame is then
 * ready to send (@bufferOffset = 0). */
int virNetMessageEncodePayload(virNetMessage *msg, xdrproc_t filter, void *data);

/* Finishes a message that has no payload. */
int virNetMessageEncodePayloadEmpty(virNetMessage *msg);

/* ---- libvirt's remote_protocol.x types, hand-written in XDR ---- */

/* remote_nonnull_domain. @id is -1 when the domain is inactive. */
typedef struct _virNetRemoteDomain virNetRemoteDomain;
struct _virNetRemoteDomain {
    char *name;
    unsigned char uuid[VIR_NET_UUID_BUFLEN];
    int id;
};

/* remote_nonnull_network. */
typedef struct _virNetRemoteNetwork virNetRemoteNetwork;
struct _virNetRemoteNetwork {
    char *name;
    unsigned char uuid[VIR_NET_UUID_BUFLEN];
};

/* remote_error: what a failed call returns; the fields are libvirt's virError. */
typedef struct _virNetRemoteError virNetRemoteError;
struct _virNetRemoteError {
    int code;                   /* virErrorNumber */
    int domain;                 /* virErrorDomain */
    char *message;              /* remote_string: NULL when absent */
    int level;                  /* virErrorLevel */
    virNetRemoteDomain *dom;    /* remote_domain: NULL when absent */
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
    virNetRemoteNetwork *net;   /* remote_network: NULL when absent */
};

/*
 * The XDR filters below work for XDR_ENCODE, XDR_DECODE and XDR_FREE (xdr_free()), so
 * they can be composed into the filters of procedure arguments and replies. Strings and
 * nested structures are allocated with malloc() by XDR and released by xdr_free().
 */

/* remote_nonnull_string: u32 length + bytes padded to 4; @str must not be NULL. */
bool_t virNetXDRNonNullString(XDR *xdrs, char **str);

/* remote_string: u32 0/1 then the string; NULL stands for absent. */
bool_t virNetXDRString(XDR *xdrs, char **str);

/* remote_uuid: 16 raw bytes, no length, no padding. */
bool_t virNetXDRUUID(XDR *xdrs, unsigned char *uuid);

/* remote_nonnull_domain {name, uuid, id}. */
bool_t virNetXDRNonNullDomain(XDR *xdrs, virNetRemoteDomain *dom);

/* remote_domain: u32 0/1 then a remote_nonnull_domain; *@dom NULL stands for absent. */
bool_t virNetXDRDomain(XDR *xdrs, virNetRemoteDomain **dom);

/* remote_nonnull_network {name, uuid}. */
bool_t virNetXDRNonNullNetwork(XDR *xdrs, virNetRemoteNetwork *net);

/* remote_network: nullable remote_nonnull_network. */
bool_t virNetXDRNetwork(XDR *xdrs, virNetRemoteNetwork **net);

/* remote_error. */
bool_t virNetXDRError(XDR *xdrs, virNetRemoteError *rerr);

/* Frees what XDR decoding allocated inside @rerr and zeroes it. */
void virNetRemoteErrorClear(virNetRemoteError *rerr);

/*
 * Fills @rerr from the calling thread's last error (code, domain, message, level
 * VIR_ERR_ERROR, int1 = int2 = -1, like libvirtd). Without a last error it uses
 * VIR_ERR_INTERNAL_ERROR and a generic message, so a failed call never answers empty.
 */
void virNetRemoteErrorFromLast(virNetRemoteError *rerr);

/*
 * Turns @msg (whose header holds the call's prog, vers, proc and serial) into an
 * error reply carrying @rerr: type REPLY, status ERROR.
 */
int virNetMessageEncodeError(virNetMessage *msg, virNetRemoteError *rerr);
