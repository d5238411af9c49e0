/* remoteprotocoltest.c: XDR round trips, wire bytes and bad input for every
 * argument and reply structure of remote_protocol.h. */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutils.h"
#include "remote_protocol.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("tests.remoteprotocoltest");

#define TEST_BUF_LEN (64 * 1024)


/* ---- helpers ---- */

static size_t
testEncode(xdrproc_t filter, void *obj, char *buf, size_t cap)
{
    XDR xdr;
    size_t len;

    xdrmem_create(&xdr, buf, cap, XDR_ENCODE);
    g_assert_true(filter(&xdr, obj));
    len = xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    return len;
}


/* Decodes @len bytes of @buf into the zeroed @obj; returns the filter's verdict. */
static bool_t
testDecode(xdrproc_t filter, void *obj, const char *buf, size_t len, size_t *used)
{
    XDR xdr;
    bool_t ok;

    xdrmem_create(&xdr, (char *)buf, len, XDR_DECODE);
    ok = filter(&xdr, obj);
    if (used)
        *used = xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    return ok;
}


static char *
testStrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}


static void
testFillUUID(unsigned char *uuid, int seed)
{
    size_t i;

    for (i = 0; i < VIR_NET_UUID_BUFLEN; i++)
        uuid[i] = (unsigned char)(0xa0 + seed * 0x11 + i * 7);
}


static void
testFillDom(virNetRemoteDomain *dom, const char *name, int id, int seed)
{
    dom->name = testStrdup(name);
    testFillUUID(dom->uuid, seed);
    dom->id = id;
}


static void
testCheckDom(const virNetRemoteDomain *a, const virNetRemoteDomain *b)
{
    g_assert_nonnull(b->name);
    g_assert_cmpstr(a->name, ==, b->name);
    g_assert_cmpmem(a->uuid, VIR_NET_UUID_BUFLEN, b->uuid, VIR_NET_UUID_BUFLEN);
    g_assert_cmpint(a->id, ==, b->id);
}


static void
testCheckOptDom(const virNetRemoteDomain *a, const virNetRemoteDomain *b)
{
    if (!a) {
        g_assert_null(b);
        return;
    }
    g_assert_nonnull(b);
    testCheckDom(a, b);
}


/* Builds an expected wire image from big-endian words and raw byte runs. */
typedef struct {
    unsigned char data[1024];
    size_t len;
} testWire;

static void
testWireWord(testWire *w, uint32_t v)
{
    w->data[w->len++] = v >> 24;
    w->data[w->len++] = v >> 16;
    w->data[w->len++] = v >> 8;
    w->data[w->len++] = v;
}

static void
testWireBytes(testWire *w, const void *p, size_t n)
{
    memcpy(w->data + w->len, p, n);
    w->len += n;
}

/* remote_nonnull_string: length, bytes, zero padding to 4. */
static void
testWireString(testWire *w, const char *s)
{
    size_t n = strlen(s);

    testWireWord(w, n);
    testWireBytes(w, s, n);
    while (w->len % 4)
        w->data[w->len++] = 0;
}

static void
testWireDom(testWire *w, const char *name, int seed, int id)
{
    unsigned char uuid[VIR_NET_UUID_BUFLEN];

    testFillUUID(uuid, seed);
    testWireString(w, name);
    testWireBytes(w, uuid, sizeof(uuid));
    testWireWord(w, (uint32_t)id);
}


/* ---- fill and compare, one pair per structure; variant 0 = NULLs, empty
 * arrays and edge values, variant 1 = everything present ---- */

#define P(type) type *p = obj
#define AB(type) const type *a = oa; const type *b = ob

static void fillInt(void *obj, int v) { P(remoteInt); p->value = v ? 0x11223344 : INT_MIN; }
static void checkInt(const void *oa, const void *ob) { AB(remoteInt); g_assert_cmpint(a->value, ==, b->value); }

static void fillUHyper(void *obj, int v) { P(remoteUHyper); p->value = v ? 0x0123456789abcdefULL : UINT64_MAX; }
static void checkUHyper(const void *oa, const void *ob) { AB(remoteUHyper); g_assert_cmpuint(a->value, ==, b->value); }

static void fillNonNullString(void *obj, int v) { P(remoteNonNullString); p->str = testStrdup(v ? "qemu:///system" : ""); }
static void checkNonNullString(const void *oa, const void *ob) { AB(remoteNonNullString); g_assert_nonnull(b->str); g_assert_cmpstr(a->str, ==, b->str); }

static void fillConnectOpenArgs(void *obj, int v)
{
    P(remoteConnectOpenArgs);
    p->name = v ? testStrdup("qemu:///session") : NULL;
    p->flags = v ? 0x80000001u : UINT_MAX;
}
static void checkConnectOpenArgs(const void *oa, const void *ob)
{
    AB(remoteConnectOpenArgs);
    g_assert_cmpstr(a->name, ==, b->name);
    g_assert_cmpuint(a->flags, ==, b->flags);
}

static void fillAuthListRet(void *obj, int v)
{
    P(remoteAuthListRet);
    size_t i;

    p->types_len = v ? REMOTE_AUTH_TYPE_LIST_MAX : 0;
    p->types_val = v ? calloc(p->types_len, sizeof(int)) : NULL;
    for (i = 0; i < p->types_len; i++)
        p->types_val[i] = (int)i * 3 - 7;
}
static void checkAuthListRet(const void *oa, const void *ob)
{
    AB(remoteAuthListRet);
    size_t i;

    g_assert_cmpuint(a->types_len, ==, b->types_len);
    for (i = 0; i < a->types_len; i++)
        g_assert_cmpint(a->types_val[i], ==, b->types_val[i]);
}

static void fillStringFlagsArgs(void *obj, int v)
{
    P(remoteStringFlagsArgs);
    p->xml = testStrdup(v ? "<domain type='qemu'><name>x</name></domain>" : "");
    p->flags = v ? 5 : 0;
}
static void checkStringFlagsArgs(const void *oa, const void *ob)
{
    AB(remoteStringFlagsArgs);
    g_assert_nonnull(b->xml);
    g_assert_cmpstr(a->xml, ==, b->xml);
    g_assert_cmpuint(a->flags, ==, b->flags);
}

static void fillDomainMsg(void *obj, int v) { P(remoteDomainMsg); testFillDom(&p->dom, v ? "anchor-tiny" : "", v ? 3 : -1, v); }
static void checkDomainMsg(const void *oa, const void *ob) { AB(remoteDomainMsg); testCheckDom(&a->dom, &b->dom); }

static void fillDomainFlagsArgs(void *obj, int v)
{
    P(remoteDomainFlagsArgs);
    testFillDom(&p->dom, v ? "vm-1234567" : "a", v ? INT_MAX : -1, v + 2);
    p->flags = v ? 0xdeadbeefu : 0;
}
static void checkDomainFlagsArgs(const void *oa, const void *ob)
{
    AB(remoteDomainFlagsArgs);
    testCheckDom(&a->dom, &b->dom);
    g_assert_cmpuint(a->flags, ==, b->flags);
}

static void fillDomainSetAutostartArgs(void *obj, int v)
{
    P(remoteDomainSetAutostartArgs);
    testFillDom(&p->dom, v ? "abcd" : "abc", v ? 42 : -1, v + 4);
    p->autostart = v ? 1 : -2;
}
static void checkDomainSetAutostartArgs(const void *oa, const void *ob)
{
    AB(remoteDomainSetAutostartArgs);
    testCheckDom(&a->dom, &b->dom);
    g_assert_cmpint(a->autostart, ==, b->autostart);
}

static void fillUUIDArgs(void *obj, int v) { P(remoteUUIDArgs); testFillUUID(p->uuid, v + 6); }
static void checkUUIDArgs(const void *oa, const void *ob) { AB(remoteUUIDArgs); g_assert_cmpmem(a->uuid, 16, b->uuid, 16); }

static void fillListAllDomainsArgs(void *obj, int v) { P(remoteListAllDomainsArgs); p->need_results = v ? 1 : -1; p->flags = v ? 3 : UINT_MAX; }
static void checkListAllDomainsArgs(const void *oa, const void *ob)
{
    AB(remoteListAllDomainsArgs);
    g_assert_cmpint(a->need_results, ==, b->need_results);
    g_assert_cmpuint(a->flags, ==, b->flags);
}

static void fillListAllDomainsRet(void *obj, int v)
{
    P(remoteListAllDomainsRet);
    size_t i;

    p->domains_len = v ? 37 : 0;
    p->domains_val = v ? calloc(p->domains_len, sizeof(virNetRemoteDomain)) : NULL;
    for (i = 0; i < p->domains_len; i++) {
        g_autofree char *name = g_strdup_printf("dom%zu%.*s", i, (int)(i % 5), "xxxx");
        testFillDom(&p->domains_val[i], name, i % 2 ? (int)i : -1, (int)i);
    }
    p->ret = v ? p->domains_len : 0;
}
static void checkListAllDomainsRet(const void *oa, const void *ob)
{
    AB(remoteListAllDomainsRet);
    size_t i;

    g_assert_cmpuint(a->domains_len, ==, b->domains_len);
    for (i = 0; i < a->domains_len; i++)
        testCheckDom(&a->domains_val[i], &b->domains_val[i]);
    g_assert_cmpuint(a->ret, ==, b->ret);
}

static void fillDomainGetStateRet(void *obj, int v) { P(remoteDomainGetStateRet); p->state = v ? 1 : 5; p->reason = v ? 1 : INT_MIN; }
static void checkDomainGetStateRet(const void *oa, const void *ob)
{
    AB(remoteDomainGetStateRet);
    g_assert_cmpint(a->state, ==, b->state);
    g_assert_cmpint(a->reason, ==, b->reason);
}

static void fillDomainGetInfoRet(void *obj, int v)
{
    P(remoteDomainGetInfoRet);
    p->state = v ? 1 : 255;
    p->maxMem = v ? 1048576 : UINT64_MAX;
    p->memory = v ? 524288 : 0;
    p->nrVirtCpu = v ? 4 : 65535;
    p->cpuTime = v ? 0x0102030405060708ULL : 0;
}
static void checkDomainGetInfoRet(const void *oa, const void *ob)
{
    AB(remoteDomainGetInfoRet);
    g_assert_cmpuint(a->state, ==, b->state);
    g_assert_cmpuint(a->maxMem, ==, b->maxMem);
    g_assert_cmpuint(a->memory, ==, b->memory);
    g_assert_cmpuint(a->nrVirtCpu, ==, b->nrVirtCpu);
    g_assert_cmpuint(a->cpuTime, ==, b->cpuTime);
}

static char *
testCharArray(const char *s, size_t n)
{
    char *p = calloc(n ? n : 1, 1);

    memcpy(p, s, n);
    return p;
}

static void fillNodeGetSecurityModelRet(void *obj, int v)
{
    P(remoteNodeGetSecurityModelRet);
    if (v) {
        p->model_len = 8;
        p->model_val = testCharArray("selinux", 8);
        p->doi_len = 2;
        p->doi_val = testCharArray("0", 2);
    }
}
static void checkNodeGetSecurityModelRet(const void *oa, const void *ob)
{
    AB(remoteNodeGetSecurityModelRet);
    g_assert_cmpmem(a->model_val, a->model_len, b->model_val, b->model_len);
    g_assert_cmpmem(a->doi_val, a->doi_len, b->doi_val, b->doi_len);
}

static void fillDomainGetSecurityLabelRet(void *obj, int v)
{
    P(remoteDomainGetSecurityLabelRet);
    if (v) {
        p->label_len = 33;
        p->label_val = testCharArray("system_u:system_r:svirt_t:s0:c1\xff", 33);
    }
    p->enforcing = v ? 1 : -1;
}
static void checkDomainGetSecurityLabelRet(const void *oa, const void *ob)
{
    AB(remoteDomainGetSecurityLabelRet);
    g_assert_cmpmem(a->label_val, a->label_len, b->label_val, b->label_len);
    g_assert_cmpint(a->enforcing, ==, b->enforcing);
}

static void fillDomainGetMessagesRet(void *obj, int v)
{
    P(remoteDomainGetMessagesRet);
    if (v) {
        p->msgs_len = 3;
        p->msgs_val = calloc(3, sizeof(char *));
        p->msgs_val[0] = testStrdup("tainted: custom-monitor");
        p->msgs_val[1] = testStrdup("");
        p->msgs_val[2] = testStrdup("deprecated configuration: abc");
    }
}
static void checkDomainGetMessagesRet(const void *oa, const void *ob)
{
    AB(remoteDomainGetMessagesRet);
    size_t i;

    g_assert_cmpuint(a->msgs_len, ==, b->msgs_len);
    for (i = 0; i < a->msgs_len; i++)
        g_assert_cmpstr(a->msgs_val[i], ==, b->msgs_val[i]);
}

static void fillQemuDomainMonitorCommandArgs(void *obj, int v)
{
    P(qemuDomainMonitorCommandArgs);
    testFillDom(&p->dom, "guest", v ? 7 : -1, v + 8);
    p->cmd = testStrdup(v ? "{\"execute\":\"query-status\"}" : "");
    p->flags = v;
}
static void checkQemuDomainMonitorCommandArgs(const void *oa, const void *ob)
{
    AB(qemuDomainMonitorCommandArgs);
    testCheckDom(&a->dom, &b->dom);
    g_assert_nonnull(b->cmd);
    g_assert_cmpstr(a->cmd, ==, b->cmd);
    g_assert_cmpuint(a->flags, ==, b->flags);
}

static void fillRegisterAnyArgs(void *obj, int v)
{
    P(remoteDomainEventCallbackRegisterAnyArgs);
    p->eventID = v ? 26 : 0;
    if (v) {
        p->dom = calloc(1, sizeof(*p->dom));
        testFillDom(p->dom, "evdom", 12, 10);
    }
}
static void checkRegisterAnyArgs(const void *oa, const void *ob)
{
    AB(remoteDomainEventCallbackRegisterAnyArgs);
    g_assert_cmpint(a->eventID, ==, b->eventID);
    testCheckOptDom(a->dom, b->dom);
}

static void fillLifecycleMsg(void *obj, int v)
{
    P(remoteDomainEventCallbackLifecycleMsg);
    p->callbackID = v ? 29 : -1;
    testFillDom(&p->dom, "anchor-tiny", v ? 3 : -1, v);
    p->event = v ? 4 : 5;
    p->detail = v ? 0 : 1;
}
static void checkLifecycleMsg(const void *oa, const void *ob)
{
    AB(remoteDomainEventCallbackLifecycleMsg);
    g_assert_cmpint(a->callbackID, ==, b->callbackID);
    testCheckDom(&a->dom, &b->dom);
    g_assert_cmpint(a->event, ==, b->event);
    g_assert_cmpint(a->detail, ==, b->detail);
}

static void fillRebootMsg(void *obj, int v)
{
    P(remoteDomainEventCallbackRebootMsg);
    p->callbackID = v ? 0x7fffffff : 0;
    testFillDom(&p->dom, v ? "rebooter" : "r", v ? 2 : -1, v + 11);
}
static void checkRebootMsg(const void *oa, const void *ob)
{
    AB(remoteDomainEventCallbackRebootMsg);
    g_assert_cmpint(a->callbackID, ==, b->callbackID);
    testCheckDom(&a->dom, &b->dom);
}

static void fillMonitorEventRegisterArgs(void *obj, int v)
{
    P(qemuDomainMonitorEventRegisterArgs);
    if (v) {
        p->dom = calloc(1, sizeof(*p->dom));
        testFillDom(p->dom, "mon", -1, 13);
        p->event = testStrdup("SHUTDOWN");
    }
    p->flags = v ? 3 : 0;
}
static void checkMonitorEventRegisterArgs(const void *oa, const void *ob)
{
    AB(qemuDomainMonitorEventRegisterArgs);
    testCheckOptDom(a->dom, b->dom);
    g_assert_cmpstr(a->event, ==, b->event);
    g_assert_cmpuint(a->flags, ==, b->flags);
}

static void fillMonitorEventMsg(void *obj, int v)
{
    P(qemuDomainMonitorEventMsg);
    p->callbackID = v ? 1 : -5;
    testFillDom(&p->dom, "anchor-tiny", v ? 3 : -1, v + 14);
    p->event = testStrdup(v ? "SHUTDOWN" : "RESUME");
    p->seconds = v ? 1795684091LL : INT64_MIN;
    p->micros = v ? 288585 : 999999;
    p->details = v ? testStrdup("{\"guest\":false,\"reason\":\"host-signal\"}") : NULL;
}
static void checkMonitorEventMsg(const void *oa, const void *ob)
{
    AB(qemuDomainMonitorEventMsg);
    g_assert_cmpint(a->callbackID, ==, b->callbackID);
    testCheckDom(&a->dom, &b->dom);
    g_assert_nonnull(b->event);
    g_assert_cmpstr(a->event, ==, b->event);
    g_assert_cmpint(a->seconds, ==, b->seconds);
    g_assert_cmpuint(a->micros, ==, b->micros);
    g_assert_cmpstr(a->details, ==, b->details);
}


/* ---- the table ---- */

typedef struct {
    const char *name;
    xdrproc_t filter;
    size_t size;
    void (*fill)(void *obj, int variant);
    void (*check)(const void *a, const void *b);
} testProtoCase;

#define CASE(name, type, filter, fill, check) \
    { name, (xdrproc_t)filter, sizeof(type), fill, check }

static const testProtoCase cases[] = {
    CASE("int", remoteInt, remoteXDRInt, fillInt, checkInt),
    CASE("uhyper", remoteUHyper, remoteXDRUHyper, fillUHyper, checkUHyper),
    CASE("nonnull-string", remoteNonNullString, remoteXDRNonNullStringMsg, fillNonNullString, checkNonNullString),
    CASE("connect-open-args", remoteConnectOpenArgs, remoteXDRConnectOpenArgs, fillConnectOpenArgs, checkConnectOpenArgs),
    CASE("auth-list-ret", remoteAuthListRet, remoteXDRAuthListRet, fillAuthListRet, checkAuthListRet),
    CASE("string-flags-args", remoteStringFlagsArgs, remoteXDRStringFlagsArgs, fillStringFlagsArgs, checkStringFlagsArgs),
    CASE("domain-msg", remoteDomainMsg, remoteXDRDomainMsg, fillDomainMsg, checkDomainMsg),
    CASE("domain-flags-args", remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs, fillDomainFlagsArgs, checkDomainFlagsArgs),
    CASE("domain-set-autostart-args", remoteDomainSetAutostartArgs, remoteXDRDomainSetAutostartArgs, fillDomainSetAutostartArgs, checkDomainSetAutostartArgs),
    CASE("uuid-args", remoteUUIDArgs, remoteXDRUUIDArgs, fillUUIDArgs, checkUUIDArgs),
    CASE("list-all-domains-args", remoteListAllDomainsArgs, remoteXDRListAllDomainsArgs, fillListAllDomainsArgs, checkListAllDomainsArgs),
    CASE("list-all-domains-ret", remoteListAllDomainsRet, remoteXDRListAllDomainsRet, fillListAllDomainsRet, checkListAllDomainsRet),
    CASE("domain-get-state-ret", remoteDomainGetStateRet, remoteXDRDomainGetStateRet, fillDomainGetStateRet, checkDomainGetStateRet),
    CASE("domain-get-info-ret", remoteDomainGetInfoRet, remoteXDRDomainGetInfoRet, fillDomainGetInfoRet, checkDomainGetInfoRet),
    CASE("node-get-security-model-ret", remoteNodeGetSecurityModelRet, remoteXDRNodeGetSecurityModelRet, fillNodeGetSecurityModelRet, checkNodeGetSecurityModelRet),
    CASE("domain-get-security-label-ret", remoteDomainGetSecurityLabelRet, remoteXDRDomainGetSecurityLabelRet, fillDomainGetSecurityLabelRet, checkDomainGetSecurityLabelRet),
    CASE("domain-get-messages-ret", remoteDomainGetMessagesRet, remoteXDRDomainGetMessagesRet, fillDomainGetMessagesRet, checkDomainGetMessagesRet),
    CASE("qemu-monitor-command-args", qemuDomainMonitorCommandArgs, remoteXDRQemuDomainMonitorCommandArgs, fillQemuDomainMonitorCommandArgs, checkQemuDomainMonitorCommandArgs),
    CASE("event-callback-register-any-args", remoteDomainEventCallbackRegisterAnyArgs, remoteXDRDomainEventCallbackRegisterAnyArgs, fillRegisterAnyArgs, checkRegisterAnyArgs),
    CASE("event-callback-lifecycle-msg", remoteDomainEventCallbackLifecycleMsg, remoteXDRDomainEventCallbackLifecycleMsg, fillLifecycleMsg, checkLifecycleMsg),
    CASE("event-callback-reboot-msg", remoteDomainEventCallbackRebootMsg, remoteXDRDomainEventCallbackRebootMsg, fillRebootMsg, checkRebootMsg),
    CASE("qemu-monitor-event-register-args", qemuDomainMonitorEventRegisterArgs, remoteXDRQemuDomainMonitorEventRegisterArgs, fillMonitorEventRegisterArgs, checkMonitorEventRegisterArgs),
    CASE("qemu-monitor-event-msg", qemuDomainMonitorEventMsg, remoteXDRQemuDomainMonitorEventMsg, fillMonitorEventMsg, checkMonitorEventMsg),
};


/* Encode, decode into a zeroed structure, compare, re-encode the decoded copy
 * and require the same bytes, then free both with xdr_free(). */
static void
testRoundTrip(gconstpointer opaque)
{
    const testProtoCase *tc = opaque;
    int v;

    for (v = 0; v < 2; v++) {
        g_autofree char *buf = g_malloc0(TEST_BUF_LEN);
        g_autofree char *buf2 = g_malloc0(TEST_BUF_LEN);
        void *obj = g_malloc0(tc->size);
        void *back = g_malloc0(tc->size);
        size_t len;
        size_t len2;
        size_t used = 0;

        tc->fill(obj, v);
        len = testEncode(tc->filter, obj, buf, TEST_BUF_LEN);
        g_assert_cmpuint(len % 4, ==, 0);
        g_assert_cmpuint(len, >, 0);

        g_assert_true(testDecode(tc->filter, back, buf, len, &used));
        g_assert_cmpuint(used, ==, len);
        tc->check(obj, back);

        len2 = testEncode(tc->filter, back, buf2, TEST_BUF_LEN);
        g_assert_cmpmem(buf, len, buf2, len2);

        xdr_free(tc->filter, obj);
        xdr_free(tc->filter, back);
        g_free(obj);
        g_free(back);
    }
}


/* Every strict prefix of a valid encoding must be refused, and whatever the
 * filter allocated before giving up must be released by xdr_free(). */
static void
testTruncated(gconstpointer opaque)
{
    const testProtoCase *tc = opaque;
    int v;

    for (v = 0; v < 2; v++) {
        g_autofree char *buf = g_malloc0(TEST_BUF_LEN);
        void *obj = g_malloc0(tc->size);
        size_t len;
        size_t cut;

        tc->fill(obj, v);
        len = testEncode(tc->filter, obj, buf, TEST_BUF_LEN);
        xdr_free(tc->filter, obj);
        g_free(obj);

        for (cut = 0; cut < len; cut++) {
            /* a copy of exactly @cut bytes so that ASan sees any over-read */
            g_autofree char *part = g_memdup2(buf, cut ? cut : 1);
            void *back = g_malloc0(tc->size);

            if (testDecode(tc->filter, back, part, cut, NULL))
                g_error("%s variant %d: %zu of %zu bytes decoded", tc->name, v, cut, len);
            xdr_free(tc->filter, back);
            g_free(back);
        }
    }
}


/* ---- wire bytes from the reference capture ---- */

static void
testAssertWire(xdrproc_t filter, void *obj, const testWire *want)
{
    g_autofree char *buf = g_malloc0(TEST_BUF_LEN);
    size_t len = testEncode(filter, obj, buf, TEST_BUF_LEN);

    g_assert_cmpmem(buf, len, want->data, want->len);
}


static void
testBytesDomain(void)
{
    remoteDomainMsg msg = { 0 };
    testWire want = { 0 };
    static const unsigned char head[] = {
        0x00, 0x00, 0x00, 0x0b, 'a', 'n', 'c', 'h', 'o', 'r', '-', 't', 'i', 'n', 'y', 0x00,
    };

    testFillDom(&msg.dom, "anchor-tiny", 3, 1);
    testWireBytes(&want, head, sizeof(head));
    testWireBytes(&want, msg.dom.uuid, VIR_NET_UUID_BUFLEN);
    testWireWord(&want, 3);
    g_assert_cmpuint(want.len, ==, 36);
    testAssertWire((xdrproc_t)remoteXDRDomainMsg, &msg, &want);
    xdr_free((xdrproc_t)remoteXDRDomainMsg, &msg);

    /* an inactive domain: id -1 is ffffffff */
    want.len = 0;
    testFillDom(&msg.dom, "anchor-tiny", -1, 1);
    testWireDom(&want, "anchor-tiny", 1, -1);
    g_assert_cmphex(want.data[want.len - 1], ==, 0xff);
    testAssertWire((xdrproc_t)remoteXDRDomainMsg, &msg, &want);
    xdr_free((xdrproc_t)remoteXDRDomainMsg, &msg);
}


/* The lifecycle event message of the capture, header excluded:
 * 0000001d | 0000000b "anchor-tiny"00 <uuid> 00000003 | 00000004 00000000,
 * 76 bytes in all with the 28 bytes of length and header. */
static void
testBytesLifecycle(void)
{
    remoteDomainEventCallbackLifecycleMsg msg = { .callbackID = 0x1d, .event = 4, .detail = 0 };
    testWire want = { 0 };
    static const unsigned char head[] = {
        0x00, 0x00, 0x00, 0x1d,
        0x00, 0x00, 0x00, 0x0b, 'a', 'n', 'c', 'h', 'o', 'r', '-', 't', 'i', 'n', 'y', 0x00,
    };
    static const unsigned char tail[] = {
        0x00, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
    };

    testFillDom(&msg.dom, "anchor-tiny", 3, 5);
    testWireBytes(&want, head, sizeof(head));
    testWireBytes(&want, msg.dom.uuid, VIR_NET_UUID_BUFLEN);
    testWireBytes(&want, tail, sizeof(tail));
    g_assert_cmpuint(28 + want.len, ==, 0x4c);
    testAssertWire((xdrproc_t)remoteXDRDomainEventCallbackLifecycleMsg, &msg, &want);
    xdr_free((xdrproc_t)remoteXDRDomainEventCallbackLifecycleMsg, &msg);
}


/* {remote_nonnull_domain domains<>; uint ret}: count, the domains, ret. */
static void
testBytesListAllDomains(void)
{
    remoteListAllDomainsRet ret = { 0 };
    remoteListAllDomainsArgs args = { .need_results = 1, .flags = 3 };
    testWire want = { 0 };
    static const unsigned char argsWire[] = { 0, 0, 0, 1, 0, 0, 0, 3 };

    ret.domains_len = 2;
    ret.domains_val = calloc(2, sizeof(virNetRemoteDomain));
    testFillDom(&ret.domains_val[0], "anchor-tiny", 3, 0);
    testFillDom(&ret.domains_val[1], "e2e", -1, 1);
    ret.ret = 2;

    testWireWord(&want, 2);
    testWireDom(&want, "anchor-tiny", 0, 3);
    testWireDom(&want, "e2e", 1, -1);
    testWireWord(&want, 2);
    g_assert_cmpuint(want.len, ==, 4 + 36 + 28 + 4);
    testAssertWire((xdrproc_t)remoteXDRListAllDomainsRet, &ret, &want);
    xdr_free((xdrproc_t)remoteXDRListAllDomainsRet, &ret);

    /* the empty list is two zero words */
    memset(&ret, 0, sizeof(ret));
    want.len = 0;
    testWireWord(&want, 0);
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRListAllDomainsRet, &ret, &want);

    want.len = 0;
    testWireBytes(&want, argsWire, sizeof(argsWire));
    testAssertWire((xdrproc_t)remoteXDRListAllDomainsArgs, &args, &want);
}


/* CONNECT_OPEN: name "qemu:///system" is a 56-byte message, name "" 40. */
static void
testBytesConnectOpen(void)
{
    remoteConnectOpenArgs args = { .name = (char *)"qemu:///system", .flags = 0 };
    testWire want = { 0 };

    testWireWord(&want, 1);
    testWireString(&want, "qemu:///system");
    testWireWord(&want, 0);
    g_assert_cmpuint(28 + want.len, ==, 56);
    testAssertWire((xdrproc_t)remoteXDRConnectOpenArgs, &args, &want);

    args.name = (char *)"";
    want.len = 0;
    testWireWord(&want, 1);
    testWireWord(&want, 0);
    testWireWord(&want, 0);
    g_assert_cmpuint(28 + want.len, ==, 40);
    testAssertWire((xdrproc_t)remoteXDRConnectOpenArgs, &args, &want);

    args.name = NULL;
    want.len = 0;
    testWireWord(&want, 0);
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRConnectOpenArgs, &args, &want);
}


/* Security model {"none\0" as 5 words; "0\0" as 2 words}, label {"\0"; 0}. */
static void
testBytesSecurity(void)
{
    /* writable: xdr_char() stores the value back even when encoding */
    char none[] = "none";
    char zero[] = "0";
    char empty[] = "";
    remoteNodeGetSecurityModelRet model = {
        .model_len = 5, .model_val = none, .doi_len = 2, .doi_val = zero,
    };
    remoteDomainGetSecurityLabelRet label = { .label_len = 1, .label_val = empty, .enforcing = 0 };
    testWire want = { 0 };

    testWireWord(&want, 5);
    testWireWord(&want, 'n');
    testWireWord(&want, 'o');
    testWireWord(&want, 'n');
    testWireWord(&want, 'e');
    testWireWord(&want, 0);
    testWireWord(&want, 2);
    testWireWord(&want, '0');
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRNodeGetSecurityModelRet, &model, &want);

    want.len = 0;
    testWireWord(&want, 1);
    testWireWord(&want, 0);
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRDomainGetSecurityLabelRet, &label, &want);
}


/* Small replies: auth list [0], domain info (uchar and ushort take a word each),
 * monitor event register with everything NULL, an empty message list. */
static void
testBytesSmall(void)
{
    int none = 0;
    remoteAuthListRet auth = { .types_len = 1, .types_val = &none };
    remoteDomainGetInfoRet info = {
        .state = 1, .maxMem = 1048576, .memory = 524288, .nrVirtCpu = 2, .cpuTime = 0x100000002ULL,
    };
    qemuDomainMonitorEventRegisterArgs reg = { 0 };
    remoteDomainGetMessagesRet msgs = { 0 };
    remoteUHyper ver = { .value = 7002022 };
    testWire want = { 0 };

    testWireWord(&want, 1);
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRAuthListRet, &auth, &want);

    want.len = 0;
    testWireWord(&want, 1);
    testWireWord(&want, 0);
    testWireWord(&want, 1048576);
    testWireWord(&want, 0);
    testWireWord(&want, 524288);
    testWireWord(&want, 2);
    testWireWord(&want, 1);
    testWireWord(&want, 2);
    g_assert_cmpuint(want.len, ==, 32);
    testAssertWire((xdrproc_t)remoteXDRDomainGetInfoRet, &info, &want);

    want.len = 0;
    testWireWord(&want, 0);
    testWireWord(&want, 0);
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRQemuDomainMonitorEventRegisterArgs, &reg, &want);

    want.len = 0;
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRDomainGetMessagesRet, &msgs, &want);

    want.len = 0;
    testWireWord(&want, 0);
    testWireWord(&want, 7002022);
    testAssertWire((xdrproc_t)remoteXDRUHyper, &ver, &want);
}


/* QEMU proc 6 as in the capture: SHUTDOWN with details, then details NULL. */
static void
testBytesMonitorEvent(void)
{
    qemuDomainMonitorEventMsg msg = { .callbackID = 1, .seconds = 1795684091LL, .micros = 288585 };
    testWire want = { 0 };
    const char *details = "{\"guest\":false,\"reason\":\"host-signal\"}";

    testFillDom(&msg.dom, "anchor-tiny", 3, 2);
    msg.event = (char *)"SHUTDOWN";
    msg.details = (char *)details;
    testWireWord(&want, 1);
    testWireDom(&want, "anchor-tiny", 2, 3);
    testWireString(&want, "SHUTDOWN");
    testWireWord(&want, 0);
    testWireWord(&want, 1795684091u);
    testWireWord(&want, 288585);
    testWireWord(&want, 1);
    testWireString(&want, details);
    testAssertWire((xdrproc_t)remoteXDRQemuDomainMonitorEventMsg, &msg, &want);

    msg.details = NULL;
    want.len -= 4 + 4 + ((strlen(details) + 3) & ~3u);
    testWireWord(&want, 0);
    testAssertWire((xdrproc_t)remoteXDRQemuDomainMonitorEventMsg, &msg, &want);
    free(msg.dom.name);
}


/* ---- bounds ---- */

static void
testDecodeMustFail(xdrproc_t filter, size_t size, const testWire *wire)
{
    void *back = g_malloc0(size);
    g_autofree char *part = g_memdup2(wire->data, wire->len);

    g_assert_false(testDecode(filter, back, part, wire->len, NULL));
    xdr_free(filter, back);
    g_free(back);
}


static void
testBounds(void)
{
    testWire w = { 0 };
    g_autofree char *buf = g_malloc0(TEST_BUF_LEN);
    XDR xdr;
    size_t i;

    /* a string length one over VIR_NET_MESSAGE_STRING_MAX, with bytes after it */
    testWireWord(&w, VIR_NET_MESSAGE_STRING_MAX + 1);
    for (i = 0; i < 16; i++)
        testWireWord(&w, 0x41414141);
    testDecodeMustFail((xdrproc_t)remoteXDRNonNullStringMsg, sizeof(remoteNonNullString), &w);

    /* the same inside a nullable string and inside a domain name */
    w.len = 0;
    testWireWord(&w, 1);
    testWireWord(&w, 0xffffffff);
    testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRConnectOpenArgs, sizeof(remoteConnectOpenArgs), &w);

    w.len = 0;
    testWireWord(&w, 0x1d);
    testWireWord(&w, VIR_NET_MESSAGE_STRING_MAX + 1);
    testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRDomainEventCallbackLifecycleMsg,
                       sizeof(remoteDomainEventCallbackLifecycleMsg), &w);

    /* a length that claims more bytes than the buffer has */
    w.len = 0;
    testWireWord(&w, 100);
    testWireWord(&w, 0x41414141);
    testDecodeMustFail((xdrproc_t)remoteXDRNonNullStringMsg, sizeof(remoteNonNullString), &w);

    /* array counts one over their bound */
    w.len = 0;
    testWireWord(&w, REMOTE_AUTH_TYPE_LIST_MAX + 1);
    for (i = 0; i <= REMOTE_AUTH_TYPE_LIST_MAX; i++)
        testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRAuthListRet, sizeof(remoteAuthListRet), &w);

    w.len = 0;
    testWireWord(&w, REMOTE_DOMAIN_LIST_MAX + 1);
    testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRListAllDomainsRet, sizeof(remoteListAllDomainsRet), &w);

    w.len = 0;
    testWireWord(&w, REMOTE_SECURITY_MODEL_MAX + 1);
    testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRNodeGetSecurityModelRet,
                       sizeof(remoteNodeGetSecurityModelRet), &w);

    w.len = 0;
    testWireWord(&w, REMOTE_SECURITY_LABEL_MAX + 1);
    testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRDomainGetSecurityLabelRet,
                       sizeof(remoteDomainGetSecurityLabelRet), &w);

    w.len = 0;
    testWireWord(&w, REMOTE_DOMAIN_MESSAGES_MAX + 1);
    testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRDomainGetMessagesRet,
                       sizeof(remoteDomainGetMessagesRet), &w);

    /* a nullable marker other than 0/1 */
    w.len = 0;
    testWireWord(&w, 0);
    testWireWord(&w, 2);
    testWireWord(&w, 0);
    testDecodeMustFail((xdrproc_t)remoteXDRDomainEventCallbackRegisterAnyArgs,
                       sizeof(remoteDomainEventCallbackRegisterAnyArgs), &w);

    /* encoding over a bound fails too */
    {
        int types[REMOTE_AUTH_TYPE_LIST_MAX + 1] = { 0 };
        remoteAuthListRet auth = { .types_len = G_N_ELEMENTS(types), .types_val = types };

        xdrmem_create(&xdr, buf, TEST_BUF_LEN, XDR_ENCODE);
        g_assert_false(remoteXDRAuthListRet(&xdr, &auth));
        xdr_destroy(&xdr);
    }

    /* and into a buffer too small for it */
    {
        remoteDomainMsg msg = { .dom = { .name = (char *)"anchor-tiny", .id = 3 } };

        xdrmem_create(&xdr, buf, 20, XDR_ENCODE);
        g_assert_false(remoteXDRDomainMsg(&xdr, &msg));
        xdr_destroy(&xdr);
    }
}


/* Bounds are inclusive: exactly the maximum decodes. */
static void
testBoundsInclusive(void)
{
    testWire w = { 0 };
    g_autofree char *part = NULL;
    remoteAuthListRet auth = { 0 };
    size_t i;

    testWireWord(&w, REMOTE_AUTH_TYPE_LIST_MAX);
    for (i = 0; i < REMOTE_AUTH_TYPE_LIST_MAX; i++)
        testWireWord(&w, i);
    part = g_memdup2(w.data, w.len);
    g_assert_true(testDecode((xdrproc_t)remoteXDRAuthListRet, &auth, part, w.len, NULL));
    g_assert_cmpuint(auth.types_len, ==, REMOTE_AUTH_TYPE_LIST_MAX);
    g_assert_cmpint(auth.types_val[REMOTE_AUTH_TYPE_LIST_MAX - 1], ==, REMOTE_AUTH_TYPE_LIST_MAX - 1);
    xdr_free((xdrproc_t)remoteXDRAuthListRet, &auth);
}


int
main(int argc, char **argv)
{
    size_t i;

    virTestInit(&argc, &argv);
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *rt = g_strdup_printf("/remoteprotocol/roundtrip/%s", cases[i].name);
        g_autofree char *tr = g_strdup_printf("/remoteprotocol/truncated/%s", cases[i].name);

        g_test_add_data_func(rt, &cases[i], testRoundTrip);
        g_test_add_data_func(tr, &cases[i], testTruncated);
    }
    g_test_add_func("/remoteprotocol/bytes/domain", testBytesDomain);
    g_test_add_func("/remoteprotocol/bytes/lifecycle", testBytesLifecycle);
    g_test_add_func("/remoteprotocol/bytes/list-all-domains", testBytesListAllDomains);
    g_test_add_func("/remoteprotocol/bytes/connect-open", testBytesConnectOpen);
    g_test_add_func("/remoteprotocol/bytes/security", testBytesSecurity);
    g_test_add_func("/remoteprotocol/bytes/small", testBytesSmall);
    g_test_add_func("/remoteprotocol/bytes/monitor-event", testBytesMonitorEvent);
    g_test_add_func("/remoteprotocol/bounds", testBounds);
    g_test_add_func("/remoteprotocol/bounds-inclusive", testBoundsInclusive);
    return g_test_run();
}
