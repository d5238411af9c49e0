/* virnetmessage.c: one message of libvirt's wire protocol: framing, header, XDR payload. */
#include <config.h>

#include <string.h>

#include "virnetmessage.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netmessage");


virNetMessage *
virNetMessageNew(void)
{
    return g_new0(virNetMessage, 1);
}


void
virNetMessageClear(virNetMessage *msg)
{
    g_clear_pointer(&msg->buffer, g_free);
    memset(msg, 0, sizeof(*msg));
}


void
virNetMessageFree(virNetMessage *msg)
{
    if (!msg)
        return;
    g_free(msg->buffer);
    g_free(msg);
}


void
virNetMessagePrepareRead(virNetMessage *msg)
{
    virNetMessageClear(msg);
    msg->buffer = g_new0(char, VIR_NET_MESSAGE_LEN_MAX);
    msg->bufferLength = VIR_NET_MESSAGE_LEN_MAX;
    msg->bufferOffset = 0;
}


int
virNetMessageDecodeLength(virNetMessage *msg)
{
    XDR xdr;
    unsigned int len;
    bool ok;

    if (!msg->buffer || msg->bufferLength < VIR_NET_MESSAGE_LEN_MAX) {
        virReportError(VIR_ERR_RPC, "%s", _("The message is too short to hold a length word."));
        return -1;
    }

    xdrmem_create(&xdr, msg->buffer, VIR_NET_MESSAGE_LEN_MAX, XDR_DECODE);
    ok = xdr_u_int(&xdr, &len);
    xdr_destroy(&xdr);
    if (!ok) {
        virReportError(VIR_ERR_RPC, "%s", _("Unable to decode the message length."));
        return -1;
    }

    if (len < VIR_NET_MESSAGE_MIN) {
        virReportError(VIR_ERR_RPC,
                       _("The message length %1$u is shorter than the %2$d bytes of a header."),
                       len, VIR_NET_MESSAGE_MIN);
        return -1;
    }
    if (len > VIR_NET_MESSAGE_MAX) {
        virReportError(VIR_ERR_RPC,
                       _("The message length %1$u exceeds the maximum of %2$d bytes."),
                       len, VIR_NET_MESSAGE_MAX);
        return -1;
    }

    msg->buffer = g_realloc(msg->buffer, len);
    msg->bufferLength = len;
    msg->bufferOffset = VIR_NET_MESSAGE_LEN_MAX;
    return 0;
}


int
virNetMessageDecodeHeader(virNetMessage *msg)
{
    XDR xdr;
    unsigned int type;
    unsigned int status;
    bool ok;

    if (!msg->buffer || msg->bufferLength < VIR_NET_MESSAGE_MIN) {
        virReportError(VIR_ERR_RPC, "%s", _("The message is too short to hold a header."));
        return -1;
    }

    xdrmem_create(&xdr, msg->buffer + VIR_NET_MESSAGE_LEN_MAX,
                  VIR_NET_MESSAGE_HEADER_XDR_LEN, XDR_DECODE);
    ok = xdr_u_int(&xdr, &msg->header.prog) &&
         xdr_u_int(&xdr, &msg->header.vers) &&
         xdr_int(&xdr, &msg->header.proc) &&
         xdr_u_int(&xdr, &type) &&
         xdr_u_int(&xdr, &msg->header.serial) &&
         xdr_u_int(&xdr, &status);
    xdr_destroy(&xdr);
    if (!ok) {
        virReportError(VIR_ERR_RPC, "%s", _("Unable to decode the message header."));
        return -1;
    }
    if (type >= VIR_NET_TYPE_LAST) {
        virReportError(VIR_ERR_RPC, _("The message type %1$u is not known."), type);
        return -1;
    }
    if (status >= VIR_NET_STATUS_LAST) {
        virReportError(VIR_ERR_RPC, _("The message status %1$u is not known."), status);
        return -1;
    }
    msg->header.type = type;
    msg->header.status = status;
    msg->bufferOffset = VIR_NET_MESSAGE_MIN;
    return 0;
}


int
virNetMessageDecodePayload(virNetMessage *msg, xdrproc_t filter, void *data)
{
    XDR xdr;
    bool ok;

    if (!msg->buffer || msg->bufferOffset > msg->bufferLength) {
        virReportError(VIR_ERR_RPC, "%s", _("The message has no payload to decode."));
        return -1;
    }

    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_DECODE);
    ok = filter(&xdr, data);
    if (ok)
        msg->bufferOffset += xdr_getpos(&xdr);
    xdr_destroy(&xdr);

    if (!ok) {
        xdr_free(filter, data);
        virReportError(VIR_ERR_RPC,
                       _("Unable to decode the payload of procedure %1$d of program 0x%2$x."),
                       msg->header.proc, msg->header.prog);
        return -1;
    }
    return 0;
}


static int
virNetMessageWriteLength(virNetMessage *msg, unsigned int len)
{
    XDR xdr;
    bool ok;

    xdrmem_create(&xdr, msg->buffer, VIR_NET_MESSAGE_LEN_MAX, XDR_ENCODE);
    ok = xdr_u_int(&xdr, &len);
    xdr_destroy(&xdr);
    if (!ok) {
        virReportError(VIR_ERR_RPC, "%s", _("Unable to encode the message length."));
        return -1;
    }
    return 0;
}


int
virNetMessageEncodeHeader(virNetMessage *msg)
{
    XDR xdr;
    unsigned int type = msg->header.type;
    unsigned int status = msg->header.status;
    bool ok;

    g_free(msg->buffer);
    msg->buffer = g_new0(char, VIR_NET_MESSAGE_INITIAL);
    msg->bufferLength = VIR_NET_MESSAGE_INITIAL;

    if (virNetMessageWriteLength(msg, 0) < 0)
        return -1;

    xdrmem_create(&xdr, msg->buffer + VIR_NET_MESSAGE_LEN_MAX,
                  VIR_NET_MESSAGE_HEADER_XDR_LEN, XDR_ENCODE);
    ok = xdr_u_int(&xdr, &msg->header.prog) &&
         xdr_u_int(&xdr, &msg->header.vers) &&
         xdr_int(&xdr, &msg->header.proc) &&
         xdr_u_int(&xdr, &type) &&
         xdr_u_int(&xdr, &msg->header.serial) &&
         xdr_u_int(&xdr, &status);
    xdr_destroy(&xdr);
    if (!ok) {
        virReportError(VIR_ERR_RPC, "%s", _("Unable to encode the message header."));
        return -1;
    }
    msg->bufferOffset = VIR_NET_MESSAGE_MIN;
    return 0;
}


int
virNetMessageEncodePayload(virNetMessage *msg, xdrproc_t filter, void *data)
{
    size_t payloadStart = msg->bufferOffset;

    if (!msg->buffer || payloadStart < VIR_NET_MESSAGE_MIN) {
        virReportError(VIR_ERR_RPC, "%s", _("The message header must be encoded before the payload."));
        return -1;
    }

    for (;;) {
        XDR xdr;
        bool ok;

        xdrmem_create(&xdr, msg->buffer + payloadStart,
                      msg->bufferLength - payloadStart, XDR_ENCODE);
        ok = filter(&xdr, data);
        if (ok)
            msg->bufferOffset = payloadStart + xdr_getpos(&xdr);
        xdr_destroy(&xdr);
        if (ok)
            break;

        if (msg->bufferLength >= VIR_NET_MESSAGE_MAX) {
            virReportError(VIR_ERR_RPC,
                           _("Unable to encode the payload of procedure %1$d of program 0x%2$x within %3$d bytes."),
                           msg->header.proc, msg->header.prog, VIR_NET_MESSAGE_MAX);
            return -1;
        }
        msg->bufferLength = MIN(msg->bufferLength * 2, VIR_NET_MESSAGE_MAX);
        msg->buffer = g_realloc(msg->buffer, msg->bufferLength);
    }

    return virNetMessageEncodePayloadEmpty(msg);
}


int
virNetMessageEncodePayloadEmpty(virNetMessage *msg)
{
    if (!msg->buffer || msg->bufferOffset < VIR_NET_MESSAGE_MIN) {
        virReportError(VIR_ERR_RPC, "%s", _("The message header must be encoded before the payload."));
        return -1;
    }
    if (virNetMessageWriteLength(msg, msg->bufferOffset) < 0)
        return -1;
    /* Encoding started with VIR_NET_MESSAGE_INITIAL bytes; an event is a few hundred.
     * A client's output queue is bounded by the bufferLength of what it holds, so
     * hold no more than that: otherwise a client that reads slowly while events
     * stream pins 64 KiB per queued event, far past its bound. */
    if (msg->bufferOffset < msg->bufferLength)
        msg->buffer = g_realloc(msg->buffer, msg->bufferOffset);
    msg->bufferLength = msg->bufferOffset;
    msg->bufferOffset = 0;
    return 0;
}


bool_t
virNetXDRNonNullString(XDR *xdrs, char **str)
{
    return xdr_string(xdrs, str, VIR_NET_MESSAGE_STRING_MAX);
}


bool_t
virNetXDRString(XDR *xdrs, char **str)
{
    bool_t present = *str != NULL;

    if (!xdr_bool(xdrs, &present))
        return FALSE;
    if (!present) {
        if (xdrs->x_op == XDR_DECODE)
            *str = NULL;
        return TRUE;
    }
    return xdr_string(xdrs, str, VIR_NET_MESSAGE_STRING_MAX);
}


bool_t
virNetXDRUUID(XDR *xdrs, unsigned char *uuid)
{
    return xdr_opaque(xdrs, (char *)uuid, VIR_NET_UUID_BUFLEN);
}


bool_t
virNetXDRNonNullDomain(XDR *xdrs, virNetRemoteDomain *dom)
{
    return virNetXDRNonNullString(xdrs, &dom->name) &&
           virNetXDRUUID(xdrs, dom->uuid) &&
           xdr_int(xdrs, &dom->id);
}


bool_t
virNetXDRDomain(XDR *xdrs, virNetRemoteDomain **dom)
{
    return xdr_pointer(xdrs, (char **)dom, sizeof(virNetRemoteDomain),
                       (xdrproc_t)virNetXDRNonNullDomain);
}


bool_t
virNetXDRNonNullNetwork(XDR *xdrs, virNetRemoteNetwork *net)
{
    return virNetXDRNonNullString(xdrs, &net->name) &&
           virNetXDRUUID(xdrs, net->uuid);
}


bool_t
virNetXDRNetwork(XDR *xdrs, virNetRemoteNetwork **net)
{
    return xdr_pointer(xdrs, (char **)net, sizeof(virNetRemoteNetwork),
                       (xdrproc_t)virNetXDRNonNullNetwork);
}


bool_t
virNetXDRError(XDR *xdrs, virNetRemoteError *rerr)
{
    return xdr_int(xdrs, &rerr->code) &&
           xdr_int(xdrs, &rerr->domain) &&
           virNetXDRString(xdrs, &rerr->message) &&
           xdr_int(xdrs, &rerr->level) &&
           virNetXDRDomain(xdrs, &rerr->dom) &&
           virNetXDRString(xdrs, &rerr->str1) &&
           virNetXDRString(xdrs, &rerr->str2) &&
           virNetXDRString(xdrs, &rerr->str3) &&
           xdr_int(xdrs, &rerr->int1) &&
           xdr_int(xdrs, &rerr->int2) &&
           virNetXDRNetwork(xdrs, &rerr->net);
}


void
virNetRemoteErrorClear(virNetRemoteError *rerr)
{
    xdr_free((xdrproc_t)virNetXDRError, (char *)rerr);
    memset(rerr, 0, sizeof(*rerr));
}


void
virNetRemoteErrorFromLast(virNetRemoteError *rerr)
{
    const virQvirtError *err = virErrorGetLast();

    virNetRemoteErrorClear(rerr);
    rerr->level = VIR_ERR_ERROR;
    rerr->int1 = -1;
    rerr->int2 = -1;
    if (err && err->code != VIR_ERR_OK) {
        rerr->code = err->code;
        rerr->domain = err->domain;
        /* XDR frees with free(), so the strings come from malloc(). */
        rerr->message = strdup(err->message ? err->message : "");
    } else {
        rerr->code = VIR_ERR_INTERNAL_ERROR;
        rerr->domain = VIR_FROM_RPC;
        rerr->message = strdup(_("An error occurred, but the cause is unknown."));
    }
    if (!rerr->message)
        g_error("Out of memory.");
}


int
virNetMessageEncodeError(virNetMessage *msg, virNetRemoteError *rerr)
{
    msg->header.type = VIR_NET_REPLY;
    msg->header.status = VIR_NET_ERROR;
    if (virNetMessageEncodeHeader(msg) < 0)
        return -1;
    return virNetMessageEncodePayload(msg, (xdrproc_t)virNetXDRError, rerr);
}
