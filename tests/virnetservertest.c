/* virnetservertest.c: a real RPC server on a UNIX socket, driven by plain-socket clients. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "virthread.h"
#include "testutils.h"
#include "vireventthread.h"
#include "virnetserver.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("tests.virnetservertest");

#define TEST_PROGRAM 0x11223344
#define TEST_PROC_ECHO 1
#define TEST_PROC_FAIL 2
#define TEST_CLIENTS_AT_ONCE 200

typedef struct {
    char *dir;
    char *path;
    virEventThread *evt;
    virNetServer *server;
    GMutex lock;
    GCond cond;
    GPtrArray *clients;     /* server-side clients, in connection order */
    int closed;
} testServer;


static int
testEcho(virNetServer *server G_GNUC_UNUSED,
         virNetServerClient *client G_GNUC_UNUSED,
         virNetMessage *msg G_GNUC_UNUSED,
         void *args,
         void *ret,
         void *opaque G_GNUC_UNUSED)
{
    char **in = args;
    char **out = ret;

    *out = strdup(*in);
    return 0;
}


static int
testFail(virNetServer *server G_GNUC_UNUSED,
         virNetServerClient *client G_GNUC_UNUSED,
         virNetMessage *msg G_GNUC_UNUSED,
         void *args,
         void *ret G_GNUC_UNUSED,
         void *opaque G_GNUC_UNUSED)
{
    char **in = args;

    virReportError(VIR_ERR_OPERATION_INVALID, "Failing on purpose: %s", *in);
    return -1;
}


static const virNetServerProcedure testProcs[] = {
    { TEST_PROC_ECHO, testEcho, sizeof(char *), (xdrproc_t)virNetXDRNonNullString,
      sizeof(char *), (xdrproc_t)virNetXDRNonNullString },
    { TEST_PROC_FAIL, testFail, sizeof(char *), (xdrproc_t)virNetXDRNonNullString, 0, NULL },
};


static void
testClientClosed(virNetServerClient *client G_GNUC_UNUSED, void *opaque)
{
    testServer *ts = opaque;

    virMutexLock(&ts->lock);
    ts->closed++;
    g_cond_broadcast(&ts->cond);
    virMutexUnlock(&ts->lock);
}


static void
testClientInit(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client, void *opaque)
{
    testServer *ts = opaque;

    virNetServerClientSetCloseHook(client, testClientClosed, ts);
    virMutexLock(&ts->lock);
    g_ptr_array_add(ts->clients, virNetServerClientRef(client));
    g_cond_broadcast(&ts->cond);
    virMutexUnlock(&ts->lock);
}


static testServer *
testServerStart(void)
{
    testServer *ts = g_new0(testServer, 1);
    g_autoptr(GError) err = NULL;

    g_mutex_init(&ts->lock);
    g_cond_init(&ts->cond);
    ts->clients = g_ptr_array_new_with_free_func((GDestroyNotify)virNetServerClientUnref);
    ts->dir = g_dir_make_tmp("virnetservertest-XXXXXX", &err);
    g_assert_no_error(err);
    ts->path = g_build_filename(ts->dir, "sock", NULL);
    ts->evt = virEventThreadNew("test-rpc");
    ts->server = virNetServerNew(virEventThreadGetContext(ts->evt), 3);
    virNetServerSetClientInitHook(ts->server, testClientInit, ts);
    virTestAssertOK(virNetServerAddProgram(ts->server, TEST_PROGRAM, 1, testProcs,
                                           G_N_ELEMENTS(testProcs), ts));
    virTestAssertOK(virNetServerListenUNIX(ts->server, ts->path));
    return ts;
}


static void
testServerStop(testServer *ts)
{
    struct stat sb;

    g_ptr_array_unref(ts->clients);
    virNetServerFree(ts->server);
    virEventThreadFree(ts->evt);
    g_assert_cmpint(stat(ts->path, &sb), ==, -1);
    g_assert_cmpint(rmdir(ts->dir), ==, 0);
    g_free(ts->path);
    g_free(ts->dir);
    g_mutex_clear(&ts->lock);
    g_cond_clear(&ts->cond);
    g_free(ts);
}


/* Waits until @ts has seen @n connections and @closed closes. */
static void
testServerWait(testServer *ts, guint n, int closed)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;

    virMutexLock(&ts->lock);
    while ((ts->clients->len < n || ts->closed < closed) &&
           virCondWaitUntil(&ts->cond, &ts->lock, deadline))
        ;
    g_assert_cmpuint(ts->clients->len, >=, n);
    g_assert_cmpint(ts->closed, >=, closed);
    virMutexUnlock(&ts->lock);
}


static int
testConnect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct timeval tv = { .tv_sec = 10 };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), ==, 0);
    return fd;
}


static void
testWriteAll(int fd, const void *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(n, >, 0);
        buf = (const char *)buf + n;
        len -= n;
    }
}


static void
testSend(int fd, unsigned int prog, unsigned int vers, int proc,
         virNetMessageType type, unsigned int serial, xdrproc_t filter, void *data)
{
    g_autoptr(virNetMessage) msg = virNetMessageNew();

    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = type;
    msg->header.serial = serial;
    msg->header.status = VIR_NET_OK;
    virTestAssertOK(virNetMessageEncodeHeader(msg));
    if (filter)
        virTestAssertOK(virNetMessageEncodePayload(msg, filter, data));
    else
        virTestAssertOK(virNetMessageEncodePayloadEmpty(msg));
    testWriteAll(fd, msg->buffer, msg->bufferLength);
}


static void
testSendEcho(int fd, unsigned int serial, const char *text)
{
    char *s = (char *)text;

    testSend(fd, TEST_PROGRAM, 1, TEST_PROC_ECHO, VIR_NET_CALL, serial,
             (xdrproc_t)virNetXDRNonNullString, &s);
}


/* Reads exactly @len bytes; false on EOF or error (a closed connection). */
static bool
testReadAll(int fd, char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = read(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= n;
    }
    return true;
}


/* The next message, or NULL when the server closed the connection (also in the
 * middle of a frame when @truncatedOK: a dropped client may see half a message). */
static virNetMessage *
testRecvFull(int fd, bool truncatedOK)
{
    g_autoptr(virNetMessage) msg = virNetMessageNew();

    virNetMessagePrepareRead(msg);
    if (!testReadAll(fd, msg->buffer, 4))
        return NULL;
    virTestAssertOK(virNetMessageDecodeLength(msg));
    if (!testReadAll(fd, msg->buffer + 4, msg->bufferLength - 4)) {
        g_assert_true(truncatedOK);
        return NULL;
    }
    virTestAssertOK(virNetMessageDecodeHeader(msg));
    return g_steal_pointer(&msg);
}


static virNetMessage *
testRecv(int fd)
{
    return testRecvFull(fd, false);
}


static void
testExpectEcho(int fd, unsigned int serial, const char *text)
{
    g_autoptr(virNetMessage) reply = testRecv(fd);
    char *out = NULL;

    g_assert_nonnull(reply);
    g_assert_cmphex(reply->header.prog, ==, TEST_PROGRAM);
    g_assert_cmpint(reply->header.proc, ==, TEST_PROC_ECHO);
    g_assert_cmpint(reply->header.type, ==, VIR_NET_REPLY);
    g_assert_cmpint(reply->header.status, ==, VIR_NET_OK);
    g_assert_cmpuint(reply->header.serial, ==, serial);
    virTestAssertOK(virNetMessageDecodePayload(reply, (xdrproc_t)virNetXDRNonNullString, &out));
    g_assert_cmpstr(out, ==, text);
    xdr_free((xdrproc_t)virNetXDRNonNullString, (char *)&out);
}


static void
testExpectError(int fd, unsigned int serial, int code, int domain, const char *message)
{
    g_autoptr(virNetMessage) reply = testRecv(fd);
    virNetRemoteError rerr = { 0 };

    g_assert_nonnull(reply);
    g_assert_cmpint(reply->header.type, ==, VIR_NET_REPLY);
    g_assert_cmpint(reply->header.status, ==, VIR_NET_ERROR);
    g_assert_cmpuint(reply->header.serial, ==, serial);
    virTestAssertOK(virNetMessageDecodePayload(reply, (xdrproc_t)virNetXDRError, &rerr));
    g_assert_cmpint(rerr.code, ==, code);
    g_assert_cmpint(rerr.domain, ==, domain);
    g_assert_cmpint(rerr.level, ==, VIR_ERR_ERROR);
    g_assert_nonnull(rerr.message);
    if (!strstr(rerr.message, message))
        g_error("error message '%s' lacks '%s'", rerr.message, message);
    virNetRemoteErrorClear(&rerr);
}


static void
testExpectClosed(int fd)
{
    g_autoptr(virNetMessage) msg = testRecv(fd);

    g_assert_null(msg);
}


static void
testCallReply(void)
{
    testServer *ts = testServerStart();
    int fd = testConnect(ts->path);
    struct stat sb;

    g_assert_cmpint(stat(ts->path, &sb), ==, 0);
    g_assert_cmpint(sb.st_mode & 0777, ==, 0600);

    testSendEcho(fd, 0, "hello");
    testExpectEcho(fd, 0, "hello");
    testSendEcho(fd, 41, "");
    testExpectEcho(fd, 41, "");

    {
        char *s = (char *)"domain vm1";
        testSend(fd, TEST_PROGRAM, 1, TEST_PROC_FAIL, VIR_NET_CALL, 42,
                 (xdrproc_t)virNetXDRNonNullString, &s);
        testExpectError(fd, 42, VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                        "Failing on purpose: domain vm1");
    }
    close(fd);
    testServerStop(ts);
}


static void
testErrors(void)
{
    testServer *ts = testServerStart();
    int fd = testConnect(ts->path);
    static const unsigned char garbage[] = { 0x7f, 0xff, 0xff, 0xff };
    g_autoptr(virNetMessage) msg = virNetMessageNew();

    /* unknown procedure of a known program */
    testSend(fd, TEST_PROGRAM, 1, 99, VIR_NET_CALL, 3, NULL, NULL);
    testExpectError(fd, 3, VIR_ERR_NO_SUPPORT, VIR_FROM_RPC,
                    "this function is not supported by the connection driver: unknown procedure: 99");
    /* unknown program, wrong version */
    testSend(fd, 0x20008086, 1, 1, VIR_NET_CALL, 4, NULL, NULL);
    testExpectError(fd, 4, VIR_ERR_RPC, VIR_FROM_RPC, "Cannot find program");
    testSend(fd, TEST_PROGRAM, 2, TEST_PROC_ECHO, VIR_NET_CALL, 5, NULL, NULL);
    testExpectError(fd, 5, VIR_ERR_RPC, VIR_FROM_RPC, "version 2");
    /* garbage arguments */
    msg->header = (virNetMessageHeader){ TEST_PROGRAM, 1, TEST_PROC_ECHO, VIR_NET_CALL, 6, VIR_NET_OK };
    virTestAssertOK(virNetMessageEncodeHeader(msg));
    memcpy(msg->buffer + msg->bufferOffset, garbage, sizeof(garbage));
    msg->bufferOffset += sizeof(garbage);
    virTestAssertOK(virNetMessageEncodePayloadEmpty(msg));
    testWriteAll(fd, msg->buffer, msg->bufferLength);
    testExpectError(fd, 6, VIR_ERR_RPC, VIR_FROM_RPC, "Unable to decode the payload");
    /* missing arguments */
    testSend(fd, TEST_PROGRAM, 1, TEST_PROC_ECHO, VIR_NET_CALL, 7, NULL, NULL);
    testExpectError(fd, 7, VIR_ERR_RPC, VIR_FROM_RPC, "Unable to decode the payload");

    /* the connection survived all of it */
    testSendEcho(fd, 8, "still here");
    testExpectEcho(fd, 8, "still here");
    close(fd);
    testServerStop(ts);
}


static void
testKeepalive(void)
{
    testServer *ts = testServerStart();
    int fd = testConnect(ts->path);
    g_autoptr(virNetMessage) pong = NULL;

    testSend(fd, VIR_NET_PROGRAM_KEEPALIVE, 1, VIR_NET_KEEPALIVE_PROC_PING,
             VIR_NET_MESSAGE, 0, NULL, NULL);
    pong = testRecv(fd);
    g_assert_nonnull(pong);
    g_assert_cmpuint(pong->bufferLength, ==, 28);
    g_assert_cmphex(pong->header.prog, ==, VIR_NET_PROGRAM_KEEPALIVE);
    g_assert_cmpuint(pong->header.vers, ==, 1);
    g_assert_cmpint(pong->header.proc, ==, VIR_NET_KEEPALIVE_PROC_PONG);
    g_assert_cmpint(pong->header.type, ==, VIR_NET_MESSAGE);
    g_assert_cmpuint(pong->header.serial, ==, 0);
    g_assert_cmpint(pong->header.status, ==, VIR_NET_OK);

    /* a PONG from the client needs no answer; the next call is answered first */
    testSend(fd, VIR_NET_PROGRAM_KEEPALIVE, 1, VIR_NET_KEEPALIVE_PROC_PONG,
             VIR_NET_MESSAGE, 0, NULL, NULL);
    testSendEcho(fd, 9, "after pong");
    testExpectEcho(fd, 9, "after pong");
    close(fd);
    testServerStop(ts);
}


static void
testHalfFrame(void)
{
    testServer *ts = testServerStart();
    int stalled = testConnect(ts->path);
    int other = testConnect(ts->path);
    g_autoptr(virNetMessage) msg = virNetMessageNew();
    char *s = (char *)"half";

    msg->header = (virNetMessageHeader){ TEST_PROGRAM, 1, TEST_PROC_ECHO, VIR_NET_CALL, 1, VIR_NET_OK };
    virTestAssertOK(virNetMessageEncodeHeader(msg));
    virTestAssertOK(virNetMessageEncodePayload(msg, (xdrproc_t)virNetXDRNonNullString, &s));
    testWriteAll(stalled, msg->buffer, 10);

    testSendEcho(other, 1, "not blocked");
    testExpectEcho(other, 1, "not blocked");
    g_assert_cmpint(ts->closed, ==, 0);

    /* the stalled client finishes its frame later and is answered */
    testWriteAll(stalled, msg->buffer + 10, msg->bufferLength - 10);
    testExpectEcho(stalled, 1, "half");
    close(stalled);
    close(other);
    testServerStop(ts);
}


static void
testOversized(void)
{
    testServer *ts = testServerStart();
    int bad = testConnect(ts->path);
    int small = testConnect(ts->path);
    int other = testConnect(ts->path);
    static const unsigned char huge[] = { 0x02, 0x00, 0x00, 0x01, 0, 0, 0, 0 };
    static const unsigned char tiny[] = { 0x00, 0x00, 0x00, 0x1b, 0, 0, 0, 0 };

    virTestLogCaptureStart(VIR_LOG_WARN);
    testWriteAll(bad, huge, sizeof(huge));
    testExpectClosed(bad);
    testWriteAll(small, tiny, sizeof(tiny));
    testExpectClosed(small);
    testServerWait(ts, 3, 2);
    {
        g_autofree char *log = virTestLogCaptureTake();
        g_assert_nonnull(strstr(log, "exceeds the maximum"));
        g_assert_nonnull(strstr(log, "shorter than"));
    }
    virTestLogCaptureStop();

    testSendEcho(other, 2, "unaffected");
    testExpectEcho(other, 2, "unaffected");
    g_assert_cmpuint(virNetServerGetClientCount(ts->server), ==, 1);
    close(bad);
    close(small);
    close(other);
    testServerStop(ts);
}


static void
testSlowReader(void)
{
    testServer *ts = testServerStart();
    int slow;
    int other;
    virNetServerClient *slowClient;
    g_autofree char *payload = g_strnfill(64 * 1024, 'e');
    size_t sent = 0;
    int rc = 0;

    virNetServerSetClientOutputMax(ts->server, 1024 * 1024);
    slow = testConnect(ts->path);
    testServerWait(ts, 1, 0);
    other = testConnect(ts->path);
    testServerWait(ts, 2, 0);
    slowClient = g_ptr_array_index(ts->clients, 0);

    while (sent < 1000) {
        rc = virNetServerClientSendEvent(slowClient, TEST_PROGRAM, 1, 77,
                                         (xdrproc_t)virNetXDRNonNullString, &payload);
        if (rc < 0)
            break;
        sent++;
        if (sent % 8 == 0) {
            /* the other client keeps working while the queue grows */
            testSendEcho(other, sent, "meanwhile");
            testExpectEcho(other, sent, "meanwhile");
        }
    }
    g_assert_cmpint(rc, ==, -1);
    virResetLastError();
    /* the socket buffers hold some; the queue holds at most 1 MiB more */
    g_assert_cmpuint(sent, <, 200);
    testServerWait(ts, 2, 1);
    g_assert_true(virNetServerClientIsClosed(slowClient));

    testSendEcho(other, 5000, "after the drop");
    testExpectEcho(other, 5000, "after the drop");

    /* the slow client reads what was written before the drop, then EOF */
    {
        size_t events = 0;
        virNetMessage *ev;

        while ((ev = testRecvFull(slow, true))) {
            g_assert_cmpint(ev->header.type, ==, VIR_NET_MESSAGE);
            g_assert_cmpuint(ev->header.serial, ==, VIR_NET_MESSAGE_EVENT_SERIAL);
            g_assert_cmpint(ev->header.proc, ==, 77);
            virNetMessageFree(ev);
            events++;
        }
        g_assert_cmpuint(events, <=, sent);
    }
    close(slow);
    close(other);
    testServerStop(ts);
}


static void
testManyClients(void)
{
    testServer *ts = testServerStart();
    int fds[TEST_CLIENTS_AT_ONCE];
    size_t i;

    for (i = 0; i < TEST_CLIENTS_AT_ONCE; i++)
        fds[i] = testConnect(ts->path);
    for (i = 0; i < TEST_CLIENTS_AT_ONCE; i++) {
        g_autofree char *text = g_strdup_printf("client %zu", i);
        testSendEcho(fds[i], i, text);
    }
    for (i = 0; i < TEST_CLIENTS_AT_ONCE; i++) {
        g_autofree char *text = g_strdup_printf("client %zu", i);
        testExpectEcho(fds[i], i, text);
    }
    g_assert_cmpuint(virNetServerGetClientCount(ts->server), ==, TEST_CLIENTS_AT_ONCE);
    for (i = 0; i < TEST_CLIENTS_AT_ONCE; i++)
        close(fds[i]);
    testServerWait(ts, TEST_CLIENTS_AT_ONCE, TEST_CLIENTS_AT_ONCE);
    testServerStop(ts);
}


/* Many calls in flight on one connection: every one is answered, matched by serial. */
static void
testPipelined(void)
{
    testServer *ts = testServerStart();
    int fd = testConnect(ts->path);
    bool seen[100] = { false };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(seen); i++)
        testSendEcho(fd, i, "p");
    for (i = 0; i < G_N_ELEMENTS(seen); i++) {
        g_autoptr(virNetMessage) reply = testRecv(fd);

        g_assert_nonnull(reply);
        g_assert_cmpuint(reply->header.serial, <, G_N_ELEMENTS(seen));
        g_assert_false(seen[reply->header.serial]);
        seen[reply->header.serial] = true;
    }
    close(fd);
    testServerStop(ts);
}


static void
testPeerCredentials(void)
{
    testServer *ts;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    unsigned char ping[28] = {
        0, 0, 0, 28, 0x6b, 0x65, 0x65, 0x70, 0, 0, 0, 1, 0, 0, 0, 1,
        0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    pid_t pid;
    int status;
    int result[2];
    char childVerdict = 0;

    if (getuid() != 0) {
        g_test_skip("needs root to switch to uid 65534");
        return;
    }

    ts = testServerStart();
    /* Open the file modes so the credential check is what stops the child. */
    g_assert_cmpint(chmod(ts->dir, 0755), ==, 0);
    g_assert_cmpint(chmod(ts->path, 0666), ==, 0);
    g_strlcpy(addr.sun_path, ts->path, sizeof(addr.sun_path));

    /* The child reports its verdict through a pipe, not its exit status: tools
     * like valgrind replace the exit status of a process they watched. */
    g_assert_cmpint(pipe(result), ==, 0);
    virTestLogCaptureStart(VIR_LOG_WARN);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        /* only async-signal-safe calls here */
        char buf[64];
        struct timeval tv = { .tv_sec = 10 };
        char verdict = '0';
        ssize_t n;
        int fd;

        close(result[0]);
        if (setgid(65534) < 0 || setuid(65534) < 0)
            verdict = '2';
        else if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
            verdict = '3';
        else if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
            verdict = '4';
        else {
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
            if (send(fd, ping, sizeof(ping), MSG_NOSIGNAL) < 0) {
                /* already closed by the server */
            }
            n = read(fd, buf, sizeof(buf));
            if (!(n <= 0 && !(n < 0 && errno == EAGAIN)))
                verdict = '5';
        }
        if (write(result[1], &verdict, 1) != 1)
            _exit(6);
        _exit(0);
    }
    close(result[1]);
    g_assert_cmpint(read(result[0], &childVerdict, 1), ==, 1);
    close(result[0]);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    /* 0: the server hung up on the child without an answer. */
    g_assert_cmpint(childVerdict, ==, '0');
    g_assert_cmpuint(ts->clients->len, ==, 0);
    {
        g_autofree char *log = virTestLogCaptureTake();
        g_assert_nonnull(strstr(log, "uid 65534 is neither root nor the daemon's uid"));
    }
    virTestLogCaptureStop();

    /* root still gets in */
    {
        int fd = testConnect(ts->path);
        testSendEcho(fd, 1, "root");
        testExpectEcho(fd, 1, "root");
        close(fd);
    }
    testServerStop(ts);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);
    g_test_add_func("/virnetserver/call-reply", testCallReply);
    g_test_add_func("/virnetserver/errors", testErrors);
    g_test_add_func("/virnetserver/keepalive", testKeepalive);
    g_test_add_func("/virnetserver/half-frame", testHalfFrame);
    g_test_add_func("/virnetserver/oversized", testOversized);
    g_test_add_func("/virnetserver/slow-reader", testSlowReader);
    g_test_add_func("/virnetserver/many-clients", testManyClients);
    g_test_add_func("/virnetserver/pipelined", testPipelined);
    g_test_add_func("/virnetserver/peer-credentials", testPeerCredentials);
    return g_test_run();
}
