/* virnetmessagetest.c: libvirt wire framing, header and XDR types, and bad frames. */
#include <config.h>

#include <malloc.h>
#include <string.h>

#include "testutils.h"
#include "virnetmessage.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("tests.virnetmessagetest");


static unsigned int
testWord(const virNetMessage *msg, size_t idx)
{
    const unsigned char *p = (const unsigned char *)msg->buffer + idx * 4;

    return ((unsigned int)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}


static virNetMessage *
testNewCall(unsigned int prog, int proc, unsigned int serial)
{
    virNetMessage *msg = virNetMessageNew();

    msg->header.prog = prog;
    msg->header.vers = 1;
    msg->header.proc = proc;
    msg->header.type = VIR_NET_CALL;
    msg->header.serial = serial;
    msg->header.status = VIR_NET_OK;
    return msg;
}


/* Feeds an encoded frame to a fresh message the way the server reads it. */
static virNetMessage *
testReadBack(const virNetMessage *sent)
{
    virNetMessage *msg = virNetMessageNew();

    virNetMessagePrepareRead(msg);
    memcpy(msg->buffer, sent->buffer, VIR_NET_MESSAGE_LEN_MAX);
    virTestAssertOK(virNetMessageDecodeLength(msg));
    g_assert_cmpuint(msg->bufferLength, ==, sent->bufferLength);
    memcpy(msg->buffer, sent->buffer, sent->bufferLength);
    virTestAssertOK(virNetMessageDecodeHeader(msg));
    return msg;
}


static void
testHeader(void)
{
    g_autoptr(virNetMessage) msg = testNewCall(VIR_NET_PROGRAM_REMOTE, 66, 7);
    g_autoptr(virNetMessage) back = NULL;

    virTestAssertOK(virNetMessageEncodeHeader(msg));
    virTestAssertOK(virNetMessageEncodePayloadEmpty(msg));
    g_assert_cmpuint(msg->bufferLength, ==, 28);
    g_assert_cmpuint(msg->bufferOffset, ==, 0);
    g_assert_cmphex(testWord(msg, 0), ==, 0x1c);
    g_assert_cmphex(testWord(msg, 1), ==, 0x20008086);
    g_assert_cmphex(testWord(msg, 2), ==, 1);
    g_assert_cmphex(testWord(msg, 3), ==, 66);
    g_assert_cmphex(testWord(msg, 4), ==, VIR_NET_CALL);
    g_assert_cmphex(testWord(msg, 5), ==, 7);
    g_assert_cmphex(testWord(msg, 6), ==, VIR_NET_OK);

    back = testReadBack(msg);
    g_assert_cmphex(back->header.prog, ==, VIR_NET_PROGRAM_REMOTE);
    g_assert_cmpuint(back->header.vers, ==, 1);
    g_assert_cmpint(back->header.proc, ==, 66);
    g_assert_cmpint(back->header.type, ==, VIR_NET_CALL);
    g_assert_cmpuint(back->header.serial, ==, 7);
    g_assert_cmpint(back->header.status, ==, VIR_NET_OK);
    g_assert_cmpuint(back->bufferOffset, ==, VIR_NET_MESSAGE_MIN);
}


/* A header of a program/version nobody serves still decodes: the server, not the
 * framing, answers it with an error, and keeps the client. */
static void
testHeaderForeignProgram(void)
{
    g_autoptr(virNetMessage) msg = testNewCall(0x12345678, 1, 3);
    g_autoptr(virNetMessage) back = NULL;

    msg->header.vers = 99;
    virTestAssertOK(virNetMessageEncodeHeader(msg));
    virTestAssertOK(virNetMessageEncodePayloadEmpty(msg));
    back = testReadBack(msg);
    g_assert_cmphex(back->header.prog, ==, 0x12345678);
    g_assert_cmpuint(back->header.vers, ==, 99);
}


typedef struct {
    char *nonnull;
    char *nullable;
    char *absent;
    unsigned char uuid[VIR_NET_UUID_BUFLEN];
    virNetRemoteDomain dom;
    virNetRemoteDomain *optDom;
    virNetRemoteDomain *noDom;
    int tail;
} testAllTypes;


static bool_t
testXDRAllTypes(XDR *xdrs, testAllTypes *t)
{
    return virNetXDRNonNullString(xdrs, &t->nonnull) &&
           virNetXDRString(xdrs, &t->nullable) &&
           virNetXDRString(xdrs, &t->absent) &&
           virNetXDRUUID(xdrs, t->uuid) &&
           virNetXDRNonNullDomain(xdrs, &t->dom) &&
           virNetXDRDomain(xdrs, &t->optDom) &&
           virNetXDRDomain(xdrs, &t->noDom) &&
           xdr_int(xdrs, &t->tail);
}


static void
testTypes(void)
{
    static const unsigned char uuid[VIR_NET_UUID_BUFLEN] = {
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
        0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
    };
    virNetRemoteDomain optDom = { .name = (char *)"opt", .id = 7 };
    testAllTypes in = {
        .nonnull = (char *)"abc",
        .nullable = (char *)"hello",
        .absent = NULL,
        .dom = { .name = (char *)"anchor-tiny", .id = -1 },
        .optDom = &optDom,
        .noDom = NULL,
        .tail = 0x5a5a,
    };
    testAllTypes out = { 0 };
    g_autoptr(virNetMessage) msg = testNewCall(VIR_NET_PROGRAM_REMOTE, 1, 0);
    g_autoptr(virNetMessage) back = NULL;
    size_t w = 7;

    memcpy(in.uuid, uuid, sizeof(uuid));
    memcpy(in.dom.uuid, uuid, sizeof(uuid));
    memcpy(optDom.uuid, uuid, sizeof(uuid));

    virTestAssertOK(virNetMessageEncodeHeader(msg));
    virTestAssertOK(virNetMessageEncodePayload(msg, (xdrproc_t)testXDRAllTypes, &in));

    /* remote_nonnull_string "abc": length, bytes padded to 4 */
    g_assert_cmphex(testWord(msg, w++), ==, 3);
    g_assert_cmphex(testWord(msg, w++), ==, 0x61626300);
    /* remote_string present "hello" */
    g_assert_cmphex(testWord(msg, w++), ==, 1);
    g_assert_cmphex(testWord(msg, w++), ==, 5);
    g_assert_cmphex(testWord(msg, w++), ==, 0x68656c6c);
    g_assert_cmphex(testWord(msg, w++), ==, 0x6f000000);
    /* remote_string absent */
    g_assert_cmphex(testWord(msg, w++), ==, 0);
    /* remote_uuid: 16 raw bytes */
    g_assert_cmpmem(msg->buffer + w * 4, 16, uuid, 16);
    w += 4;
    /* remote_nonnull_domain {name, uuid, id} */
    g_assert_cmphex(testWord(msg, w++), ==, 11);
    g_assert_cmpmem(msg->buffer + w * 4, 11, "anchor-tiny", 11);
    w += 3;
    g_assert_cmpmem(msg->buffer + w * 4, 16, uuid, 16);
    w += 4;
    g_assert_cmphex(testWord(msg, w++), ==, 0xffffffff);
    /* remote_domain present, then absent */
    g_assert_cmphex(testWord(msg, w++), ==, 1);
    w += 1 + 1 + 4 + 1;
    g_assert_cmphex(testWord(msg, w++), ==, 0);
    g_assert_cmphex(testWord(msg, w++), ==, 0x5a5a);
    g_assert_cmpuint(msg->bufferLength, ==, w * 4);
    g_assert_cmphex(testWord(msg, 0), ==, w * 4);

    back = testReadBack(msg);
    virTestAssertOK(virNetMessageDecodePayload(back, (xdrproc_t)testXDRAllTypes, &out));
    g_assert_cmpuint(back->bufferOffset, ==, back->bufferLength);
    g_assert_cmpstr(out.nonnull, ==, "abc");
    g_assert_cmpstr(out.nullable, ==, "hello");
    g_assert_null(out.absent);
    g_assert_cmpmem(out.uuid, 16, uuid, 16);
    g_assert_cmpstr(out.dom.name, ==, "anchor-tiny");
    g_assert_cmpmem(out.dom.uuid, 16, uuid, 16);
    g_assert_cmpint(out.dom.id, ==, -1);
    g_assert_nonnull(out.optDom);
    g_assert_cmpstr(out.optDom->name, ==, "opt");
    g_assert_cmpint(out.optDom->id, ==, 7);
    g_assert_null(out.noDom);
    g_assert_cmpint(out.tail, ==, 0x5a5a);
    xdr_free((xdrproc_t)testXDRAllTypes, (char *)&out);
    g_assert_null(out.nonnull);
    g_assert_null(out.optDom);
}


/* The error reply captured from libvirtd 9.0 for `virsh dominfo no-such-domain`. */
static void
testErrorCaptured(void)
{
    static const char *words =
        "000000d8 20008086 00000001 00000017 00000001 00000006 00000001 "
        "0000002a 0000000a 00000001 0000003f";
    virNetRemoteError rerr = {
        .code = 42,
        .domain = 10,
        .message = (char *)"Domain not found: no domain with matching name 'no-such-domain'",
        .level = 2,
        .str1 = (char *)"Domain not found: %s",
        .str2 = (char *)"no domain with matching name 'no-such-domain'",
        .int1 = -1,
        .int2 = -1,
    };
    virNetRemoteError out = { 0 };
    g_autoptr(virNetMessage) msg = testNewCall(VIR_NET_PROGRAM_REMOTE, 23, 6);
    g_autoptr(virNetMessage) back = NULL;
    g_autoptr(GString) hex = g_string_new(NULL);
    size_t i;

    virTestAssertOK(virNetMessageEncodeError(msg, &rerr));
    g_assert_cmpuint(msg->bufferLength, ==, 216);
    for (i = 0; i < 11; i++)
        g_string_append_printf(hex, "%s%08x", i ? " " : "", testWord(msg, i));
    g_assert_cmpstr(hex->str, ==, words);
    /* the tail: int1 = int2 = -1, net = NULL */
    g_assert_cmphex(testWord(msg, 51), ==, 0xffffffff);
    g_assert_cmphex(testWord(msg, 52), ==, 0xffffffff);
    g_assert_cmphex(testWord(msg, 53), ==, 0);

    back = testReadBack(msg);
    g_assert_cmpint(back->header.type, ==, VIR_NET_REPLY);
    g_assert_cmpint(back->header.status, ==, VIR_NET_ERROR);
    virTestAssertOK(virNetMessageDecodePayload(back, (xdrproc_t)virNetXDRError, &out));
    g_assert_cmpint(out.code, ==, 42);
    g_assert_cmpint(out.domain, ==, 10);
    g_assert_cmpstr(out.message, ==, rerr.message);
    g_assert_cmpint(out.level, ==, 2);
    g_assert_null(out.dom);
    g_assert_cmpstr(out.str1, ==, rerr.str1);
    g_assert_cmpstr(out.str2, ==, rerr.str2);
    g_assert_null(out.str3);
    g_assert_cmpint(out.int1, ==, -1);
    g_assert_cmpint(out.int2, ==, -1);
    g_assert_null(out.net);
    virNetRemoteErrorClear(&out);
}


static void
testErrorWithDomain(void)
{
    virNetRemoteDomain dom = { .name = (char *)"vm1", .id = 3 };
    virNetRemoteNetwork net = { .name = (char *)"default" };
    virNetRemoteError rerr = {
        .code = 55, .domain = 10, .message = (char *)"Requested operation is not valid",
        .level = 2, .dom = &dom, .str3 = (char *)"three", .int1 = 1, .int2 = 2, .net = &net,
    };
    virNetRemoteError out = { 0 };
    g_autoptr(virNetMessage) msg = testNewCall(VIR_NET_PROGRAM_REMOTE, 9, 12);
    g_autoptr(virNetMessage) back = NULL;

    memset(dom.uuid, 0xab, sizeof(dom.uuid));
    memset(net.uuid, 0xcd, sizeof(net.uuid));
    virTestAssertOK(virNetMessageEncodeError(msg, &rerr));
    back = testReadBack(msg);
    virTestAssertOK(virNetMessageDecodePayload(back, (xdrproc_t)virNetXDRError, &out));
    g_assert_cmpint(out.code, ==, 55);
    g_assert_nonnull(out.dom);
    g_assert_cmpstr(out.dom->name, ==, "vm1");
    g_assert_cmpint(out.dom->id, ==, 3);
    g_assert_cmpmem(out.dom->uuid, 16, dom.uuid, 16);
    g_assert_null(out.str1);
    g_assert_cmpstr(out.str3, ==, "three");
    g_assert_cmpint(out.int2, ==, 2);
    g_assert_nonnull(out.net);
    g_assert_cmpstr(out.net->name, ==, "default");
    g_assert_cmpmem(out.net->uuid, 16, net.uuid, 16);
    virNetRemoteErrorClear(&out);
}


static void
testErrorFromLast(void)
{
    virNetRemoteError rerr = { 0 };

    virResetLastError();
    virNetRemoteErrorFromLast(&rerr);
    g_assert_cmpint(rerr.code, ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_nonnull(rerr.message);
    virNetRemoteErrorClear(&rerr);

    virReportError(VIR_ERR_NO_DOMAIN, "%s", "Domain not found: vm9");
    virNetRemoteErrorFromLast(&rerr);
    g_assert_cmpint(rerr.code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(rerr.domain, ==, VIR_FROM_QEMU);
    g_assert_cmpint(rerr.level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(rerr.message, ==, "Domain not found: vm9");
    virNetRemoteErrorClear(&rerr);
    virResetLastError();
}


static void
testBigPayload(void)
{
    g_autofree char *big = g_strnfill(VIR_NET_MESSAGE_INITIAL * 3, 'x');
    g_autofree char *huge = g_strnfill(VIR_NET_MESSAGE_MAX, 'y');
    char *out = NULL;
    g_autoptr(virNetMessage) msg = testNewCall(VIR_NET_PROGRAM_REMOTE, 14, 1);
    g_autoptr(virNetMessage) back = NULL;

    virTestAssertOK(virNetMessageEncodeHeader(msg));
    virTestAssertOK(virNetMessageEncodePayload(msg, (xdrproc_t)virNetXDRNonNullString, &big));
    g_assert_cmpuint(msg->bufferLength, ==, 28 + 4 + VIR_NET_MESSAGE_INITIAL * 3);
    back = testReadBack(msg);
    virTestAssertOK(virNetMessageDecodePayload(back, (xdrproc_t)virNetXDRNonNullString, &out));
    g_assert_cmpuint(strlen(out), ==, VIR_NET_MESSAGE_INITIAL * 3);
    xdr_free((xdrproc_t)virNetXDRNonNullString, (char *)&out);

    /* over the string bound, then over the message bound: clean errors */
    g_clear_pointer(&msg, virNetMessageFree);
    msg = testNewCall(VIR_NET_PROGRAM_REMOTE, 14, 1);
    virTestAssertOK(virNetMessageEncodeHeader(msg));
    g_assert_cmpint(virNetMessageEncodePayload(msg, (xdrproc_t)virNetXDRNonNullString, &huge), ==, -1);
    virTestAssertErrorContains("Unable to encode the payload");
    virResetLastError();
}


/* An encoded message holds no more memory than its length: a client's output queue
 * is bounded by the lengths it holds, so an event of a few hundred bytes must not
 * keep the 64 KiB it was encoded in (qemu-monitor-event under an event flood). */
static void
testSmallPayloadHoldsLittle(void)
{
    g_autofree char *event = g_strnfill(200, 'e');
    g_autoptr(virNetMessage) msg = testNewCall(VIR_NET_PROGRAM_QEMU, 6, 1);
    g_autoptr(virNetMessage) back = NULL;
    char *out = NULL;

    msg->header.type = VIR_NET_MESSAGE;
    virTestAssertOK(virNetMessageEncodeHeader(msg));
    virTestAssertOK(virNetMessageEncodePayload(msg, (xdrproc_t)virNetXDRNonNullString, &event));
    g_assert_cmpuint(msg->bufferLength, ==, 28 + 4 + 200);
    g_assert_cmpuint(malloc_usable_size(msg->buffer), <, 1024);
    back = testReadBack(msg);
    virTestAssertOK(virNetMessageDecodePayload(back, (xdrproc_t)virNetXDRNonNullString, &out));
    g_assert_cmpstr(out, ==, event);
    xdr_free((xdrproc_t)virNetXDRNonNullString, (char *)&out);
}


static void
testSetLength(virNetMessage *msg, unsigned int len)
{
    unsigned char *p = (unsigned char *)msg->buffer;

    p[0] = len >> 24;
    p[1] = len >> 16;
    p[2] = len >> 8;
    p[3] = len;
}


static void
testBadFrames(void)
{
    g_autoptr(virNetMessage) msg = virNetMessageNew();
    g_autoptr(virNetMessage) good = testNewCall(VIR_NET_PROGRAM_REMOTE, 23, 6);
    char *name = NULL;

    /* short: no length word, no header */
    g_assert_cmpint(virNetMessageDecodeLength(msg), ==, -1);
    virTestAssertErrorContains("too short");
    g_assert_cmpint(virNetMessageDecodeHeader(msg), ==, -1);
    virTestAssertErrorContains("too short");

    /* oversized length word */
    virNetMessagePrepareRead(msg);
    testSetLength(msg, VIR_NET_MESSAGE_MAX + 1);
    g_assert_cmpint(virNetMessageDecodeLength(msg), ==, -1);
    virTestAssertErrorContains("exceeds the maximum");
    testSetLength(msg, 0xffffffff);
    g_assert_cmpint(virNetMessageDecodeLength(msg), ==, -1);
    virTestAssertErrorContains("exceeds the maximum");

    /* the exact maximum is fine */
    testSetLength(msg, VIR_NET_MESSAGE_MAX);
    virTestAssertOK(virNetMessageDecodeLength(msg));
    g_assert_cmpuint(msg->bufferLength, ==, VIR_NET_MESSAGE_MAX);

    /* shorter than a header */
    virNetMessagePrepareRead(msg);
    testSetLength(msg, 27);
    g_assert_cmpint(virNetMessageDecodeLength(msg), ==, -1);
    virTestAssertErrorContains("shorter than");
    testSetLength(msg, 0);
    g_assert_cmpint(virNetMessageDecodeLength(msg), ==, -1);

    /* unknown type and status */
    virTestAssertOK(virNetMessageEncodeHeader(good));
    virTestAssertOK(virNetMessageEncodePayloadEmpty(good));
    good->buffer[19] = 9;
    virNetMessagePrepareRead(msg);
    memcpy(msg->buffer, good->buffer, 4);
    virTestAssertOK(virNetMessageDecodeLength(msg));
    memcpy(msg->buffer, good->buffer, good->bufferLength);
    g_assert_cmpint(virNetMessageDecodeHeader(msg), ==, -1);
    virTestAssertErrorContains("type 9");
    good->buffer[19] = 0;
    good->buffer[27] = 7;
    memcpy(msg->buffer, good->buffer, good->bufferLength);
    g_assert_cmpint(virNetMessageDecodeHeader(msg), ==, -1);
    virTestAssertErrorContains("status 7");

    /* garbage XDR: no payload where a string is due */
    good->buffer[27] = 0;
    memcpy(msg->buffer, good->buffer, good->bufferLength);
    virTestAssertOK(virNetMessageDecodeHeader(msg));
    g_assert_cmpint(virNetMessageDecodePayload(msg, (xdrproc_t)virNetXDRNonNullString, &name), ==, -1);
    virTestAssertErrorContains("Unable to decode the payload of procedure 23");
    g_assert_null(name);
    virResetLastError();
}


/* A string length word pointing past the frame, and a bogus 0/1 word. */
static void
testGarbagePayload(void)
{
    static const unsigned char payloads[][12] = {
        { 0x7f, 0xff, 0xff, 0xff, 'a', 'b', 'c', 'd', 0, 0, 0, 0 },
        { 0x00, 0x00, 0x00, 0x09, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(payloads); i++) {
        g_autoptr(virNetMessage) msg = testNewCall(VIR_NET_PROGRAM_REMOTE, 23, 6);
        g_autoptr(virNetMessage) back = NULL;
        char *name = NULL;
        virNetRemoteDomain *dom = NULL;

        virTestAssertOK(virNetMessageEncodeHeader(msg));
        memcpy(msg->buffer + 28, payloads[i], sizeof(payloads[i]));
        msg->bufferOffset = 28 + sizeof(payloads[i]);
        virTestAssertOK(virNetMessageEncodePayloadEmpty(msg));
        back = testReadBack(msg);
        g_assert_cmpint(virNetMessageDecodePayload(back, (xdrproc_t)virNetXDRNonNullString, &name), ==, -1);
        g_assert_null(name);
        back->bufferOffset = 28;
        g_assert_cmpint(virNetMessageDecodePayload(back, (xdrproc_t)virNetXDRDomain, &dom), ==, -1);
        g_assert_null(dom);
        virResetLastError();
    }
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);
    g_test_add_func("/virnetmessage/header", testHeader);
    g_test_add_func("/virnetmessage/header-foreign-program", testHeaderForeignProgram);
    g_test_add_func("/virnetmessage/types", testTypes);
    g_test_add_func("/virnetmessage/error-captured", testErrorCaptured);
    g_test_add_func("/virnetmessage/error-with-domain", testErrorWithDomain);
    g_test_add_func("/virnetmessage/error-from-last", testErrorFromLast);
    g_test_add_func("/virnetmessage/big-payload", testBigPayload);
    g_test_add_func("/virnetmessage/small-payload-holds-little", testSmallPayloadHoldsLittle);
    g_test_add_func("/virnetmessage/bad-frames", testBadFrames);
    g_test_add_func("/virnetmessage/garbage-payload", testGarbagePayload);
    return g_test_run();
}
