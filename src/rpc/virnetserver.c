/* virnetserver.c: libvirt's RPC server on a UNIX socket: clients, programs, dispatch. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <glib-unix.h>

#include "virthread.h"
#include "virnetserver.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserver");

/* Pending connections the kernel holds for us; 200 clients connecting at once must
 * not see ECONNREFUSED while the main loop is busy. */
#define VIR_NET_SERVER_LISTEN_BACKLOG 256

typedef struct _virNetServerProgram virNetServerProgram;
struct _virNetServerProgram {
    unsigned int prog;
    unsigned int vers;
    const virNetServerProcedure *procs;
    size_t nprocs;
    void *opaque;
};

struct _virNetServer {
    GMutex lock;                /* guards clients */
    GMainContext *ctx;
    GThreadPool *pool;
    GPtrArray *programs;        /* virNetServerProgram *; fixed once listening */
    int listenFd;
    GSource *listenSource;
    char *path;
    GPtrArray *clients;         /* one reference each; changed in the main context only */
    size_t clientOutputMax;
    virNetServerClientInitFunc initFunc;
    void *initOpaque;
    bool shutdownDone;          /* for a virNetServerFree from another thread */
    GCond shutdownCond;
};

struct _virNetServerClient {
    gint refs;
    GMutex lock;                /* guards everything below that other threads touch */
    virNetServer *server;       /* NULL once closed */
    GMainContext *ctx;
    int fd;
    GSource *source;
    gpointer fdTag;
    uid_t uid;
    pid_t pid;
    virNetMessage *rx;          /* main context only */
    GQueue tx;                  /* virNetMessage *, the head possibly half written */
    size_t txBytes;
    size_t outputMax;
    size_t calls;               /* calls handed to the pool and not yet answered */
    bool wantClose;
    bool closed;
    bool updatePending;
    virNetServerClientCloseFunc closeFunc;
    void *closeOpaque;
    void *privateData;
    GDestroyNotify privateFree;
};

typedef struct _virNetServerJob virNetServerJob;
struct _virNetServerJob {
    virNetServerClient *client;
    virNetMessage *msg;
};

typedef struct _virNetServerClientSource virNetServerClientSource;
struct _virNetServerClientSource {
    GSource parent;
    virNetServerClient *client;   /* not a reference: the client destroys the source */
};


static void virNetServerClientCloseNow(virNetServerClient *client, const char *reason);
static void virNetServerClientScheduleUpdate(virNetServerClient *client);


virNetServerClient *
virNetServerClientRef(virNetServerClient *client)
{
    if (client)
        g_atomic_int_inc(&client->refs);
    return client;
}


void
virNetServerClientUnref(virNetServerClient *client)
{
    if (!client || !g_atomic_int_dec_and_test(&client->refs))
        return;

    if (client->privateFree)
        client->privateFree(client->privateData);
    g_queue_clear_full(&client->tx, (GDestroyNotify)virNetMessageFree);
    virNetMessageFree(client->rx);
    if (client->fd >= 0)
        close(client->fd);
    g_main_context_unref(client->ctx);
    g_mutex_clear(&client->lock);
    g_free(client);
}


void
virNetServerClientSetPrivateData(virNetServerClient *client,
                                 void *data,
                                 GDestroyNotify freeFunc)
{
    virMutexLock(&client->lock);
    if (client->privateFree)
        client->privateFree(client->privateData);
    client->privateData = data;
    client->privateFree = freeFunc;
    virMutexUnlock(&client->lock);
}


void *
virNetServerClientGetPrivateData(virNetServerClient *client)
{
    void *data;

    virMutexLock(&client->lock);
    data = client->privateData;
    virMutexUnlock(&client->lock);
    return data;
}


void
virNetServerClientSetCloseHook(virNetServerClient *client,
                               virNetServerClientCloseFunc func,
                               void *opaque)
{
    virMutexLock(&client->lock);
    client->closeFunc = func;
    client->closeOpaque = opaque;
    virMutexUnlock(&client->lock);
}


void
virNetServerClientGetUnixIdentity(virNetServerClient *client, uid_t *uid, pid_t *pid)
{
    *uid = client->uid;
    *pid = client->pid;
}


bool
virNetServerClientIsClosed(virNetServerClient *client)
{
    bool ret;

    virMutexLock(&client->lock);
    ret = client->closed || client->wantClose;
    virMutexUnlock(&client->lock);
    return ret;
}


int
virNetServerClientSendMessage(virNetServerClient *client, virNetMessage *msg)
{
    g_autoptr(virNetMessage) owned = msg;
    size_t len = msg->bufferLength;

    virMutexLock(&client->lock);
    if (client->closed || client->wantClose) {
        virMutexUnlock(&client->lock);
        virReportError(VIR_ERR_RPC, "%s", _("Cannot send a message to a closed client."));
        return -1;
    }
    if (client->txBytes + len > client->outputMax) {
        client->wantClose = true;
        VIR_WARN("Closing client (pid %lld): its output queue would exceed %zu bytes",
                 (long long)client->pid, client->outputMax);
        virMutexUnlock(&client->lock);
        virNetServerClientScheduleUpdate(client);
        virReportError(VIR_ERR_RPC,
                       _("The client's output queue exceeds %1$zu bytes; the client is closed."),
                       client->outputMax);
        return -1;
    }
    g_queue_push_tail(&client->tx, g_steal_pointer(&owned));
    client->txBytes += len;
    virMutexUnlock(&client->lock);

    virNetServerClientScheduleUpdate(client);
    return 0;
}


int
virNetServerClientSendEvent(virNetServerClient *client,
                            unsigned int prog,
                            unsigned int vers,
                            int proc,
                            xdrproc_t filter,
                            void *data)
{
    g_autoptr(virNetMessage) msg = virNetMessageNew();

    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = VIR_NET_MESSAGE;
    msg->header.serial = VIR_NET_MESSAGE_EVENT_SERIAL;
    msg->header.status = VIR_NET_OK;

    if (virNetMessageEncodeHeader(msg) < 0)
        return -1;
    if (filter) {
        if (virNetMessageEncodePayload(msg, filter, data) < 0)
            return -1;
    } else if (virNetMessageEncodePayloadEmpty(msg) < 0) {
        return -1;
    }
    return virNetServerClientSendMessage(client, g_steal_pointer(&msg));
}


void
virNetServerClientClose(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    client->wantClose = true;
    virMutexUnlock(&client->lock);
    virNetServerClientScheduleUpdate(client);
}


/* Main context: recomputes which events the socket waits for, or closes. */
static void
virNetServerClientUpdateEvents(virNetServerClient *client)
{
    GIOCondition events = 0;

    virMutexLock(&client->lock);
    if (client->closed) {
        virMutexUnlock(&client->lock);
        return;
    }
    if (client->wantClose) {
        virMutexUnlock(&client->lock);
        virNetServerClientCloseNow(client, "close requested");
        return;
    }
    if (client->calls < VIR_NET_SERVER_CLIENT_CALLS_MAX)
        events |= G_IO_IN;
    if (!g_queue_is_empty(&client->tx))
        events |= G_IO_OUT;
    g_source_modify_unix_fd(client->source, client->fdTag, events);
    virMutexUnlock(&client->lock);
}


static gboolean
virNetServerClientUpdateIdle(gpointer opaque)
{
    virNetServerClient *client = opaque;

    /* Made on another thread (virNetServerClientScheduleUpdate); glib frees it
     * here once this returns. */
    VIR_TSAN_ACQUIRE(g_main_current_source());
    virMutexLock(&client->lock);
    client->updatePending = false;
    virMutexUnlock(&client->lock);
    virNetServerClientUpdateEvents(client);
    return G_SOURCE_REMOVE;
}


/* Any thread: asks the main context to recompute the events (always deferred, so it
 * never re-enters the I/O code). */
static void
virNetServerClientScheduleUpdate(virNetServerClient *client)
{
    g_autoptr(GSource) idle = NULL;

    virMutexLock(&client->lock);
    if (client->closed || client->updatePending) {
        virMutexUnlock(&client->lock);
        return;
    }
    client->updatePending = true;
    virMutexUnlock(&client->lock);

    idle = g_idle_source_new();
    g_source_set_priority(idle, G_PRIORITY_DEFAULT);
    g_source_set_callback(idle, virNetServerClientUpdateIdle,
                          virNetServerClientRef(client),
                          (GDestroyNotify)virNetServerClientUnref);
    /* glib hands the source to the main context's thread out of TSan's sight. */
    VIR_TSAN_RELEASE(idle);
    g_source_attach(idle, client->ctx);
}


/* Main context: closes the socket, runs the close hook, leaves the server's list. */
static void
virNetServerClientCloseNow(virNetServerClient *client, const char *reason)
{
    virNetServer *server;
    virNetServerClientCloseFunc closeFunc;
    void *closeOpaque;
    GQueue tx = G_QUEUE_INIT;

    virMutexLock(&client->lock);
    if (client->closed) {
        virMutexUnlock(&client->lock);
        return;
    }
    client->closed = true;
    client->wantClose = true;
    server = g_steal_pointer(&client->server);
    closeFunc = client->closeFunc;
    closeOpaque = client->closeOpaque;
    client->closeFunc = NULL;
    tx = client->tx;
    g_queue_init(&client->tx);
    client->txBytes = 0;
    virMutexUnlock(&client->lock);

    VIR_INFO("Closing client (pid %lld, uid %lld): %s",
             (long long)client->pid, (long long)client->uid, reason);

    g_queue_clear_full(&tx, (GDestroyNotify)virNetMessageFree);
    g_source_destroy(client->source);
    g_clear_pointer(&client->source, g_source_unref);
    close(client->fd);
    client->fd = -1;
    g_clear_pointer(&client->rx, virNetMessageFree);

    if (closeFunc)
        closeFunc(client, closeOpaque);

    if (server) {
        virMutexLock(&server->lock);
        /* drops the list's reference; @client may be gone after this */
        g_ptr_array_remove_fast(server->clients, client);
        virMutexUnlock(&server->lock);
    }
}


/* Main context: answers a keepalive PING; everything else of that program is ignored. */
static void
virNetServerClientKeepalive(virNetServerClient *client, virNetMessage *msg)
{
    g_autoptr(virNetMessage) pong = NULL;

    if (msg->header.type != VIR_NET_MESSAGE ||
        msg->header.proc != VIR_NET_KEEPALIVE_PROC_PING) {
        VIR_DEBUG("Ignoring keepalive proc %d type %d", msg->header.proc, msg->header.type);
        return;
    }

    pong = virNetMessageNew();
    pong->header.prog = VIR_NET_PROGRAM_KEEPALIVE;
    pong->header.vers = VIR_NET_PROGRAM_KEEPALIVE_VERSION;
    pong->header.proc = VIR_NET_KEEPALIVE_PROC_PONG;
    pong->header.type = VIR_NET_MESSAGE;
    pong->header.serial = 0;
    pong->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(pong) < 0 ||
        virNetMessageEncodePayloadEmpty(pong) < 0 ||
        virNetServerClientSendMessage(client, g_steal_pointer(&pong)) < 0)
        virResetLastError();
}


/* Main context: a whole frame arrived. */
static void
virNetServerClientHandleMessage(virNetServerClient *client, virNetMessage *msg)
{
    virNetServerJob *job;

    if (msg->header.prog == VIR_NET_PROGRAM_KEEPALIVE) {
        virNetServerClientKeepalive(client, msg);
        virNetMessageFree(msg);
        return;
    }

    job = g_new0(virNetServerJob, 1);
    job->client = virNetServerClientRef(client);
    job->msg = msg;
    virMutexLock(&client->lock);
    client->calls++;
    virMutexUnlock(&client->lock);
    VIR_TSAN_RELEASE(job);
    g_thread_pool_push(client->server->pool, job, NULL);
}


/* Main context: reads what is there. Returns -1 when the client was closed. */
static int
virNetServerClientRead(virNetServerClient *client)
{
    for (;;) {
        virNetMessage *rx = client->rx;
        ssize_t n;

        n = read(client->fd, rx->buffer + rx->bufferOffset,
                 rx->bufferLength - rx->bufferOffset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            virNetServerClientCloseNow(client, g_strerror(errno));
            return -1;
        }
        if (n == 0) {
            virNetServerClientCloseNow(client, "end of file");
            return -1;
        }
        rx->bufferOffset += n;
        if (rx->bufferOffset < rx->bufferLength)
            continue;

        if (rx->bufferLength == VIR_NET_MESSAGE_LEN_MAX) {
            if (virNetMessageDecodeLength(rx) < 0) {
                VIR_WARN("Closing client (pid %lld): %s",
                         (long long)client->pid, virErrorGetLastMessage());
                virNetServerClientCloseNow(client, virErrorGetLastMessage());
                virResetLastError();
                return -1;
            }
            continue;
        }

        if (virNetMessageDecodeHeader(rx) < 0) {
            VIR_WARN("Closing client (pid %lld): %s",
                     (long long)client->pid, virErrorGetLastMessage());
            virNetServerClientCloseNow(client, virErrorGetLastMessage());
            virResetLastError();
            return -1;
        }

        client->rx = virNetMessageNew();
        virNetMessagePrepareRead(client->rx);
        virNetServerClientHandleMessage(client, rx);

        virMutexLock(&client->lock);
        if (client->calls >= VIR_NET_SERVER_CLIENT_CALLS_MAX) {
            /* stop reading; UpdateEvents turns G_IO_IN off until a call finishes */
            virMutexUnlock(&client->lock);
            return 0;
        }
        virMutexUnlock(&client->lock);
    }
}


/* Main context: writes queued messages until the socket is full. Returns -1 when the
 * client was closed. */
static int
virNetServerClientWrite(virNetServerClient *client)
{
    for (;;) {
        virNetMessage *msg;
        ssize_t n;

        virMutexLock(&client->lock);
        msg = g_queue_peek_head(&client->tx);
        virMutexUnlock(&client->lock);
        if (!msg)
            return 0;

        /* Only this thread removes messages, so @msg stays valid unlocked. */
        n = send(client->fd, msg->buffer + msg->bufferOffset,
                 msg->bufferLength - msg->bufferOffset, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            virNetServerClientCloseNow(client, g_strerror(errno));
            return -1;
        }
        msg->bufferOffset += n;
        if (msg->bufferOffset < msg->bufferLength)
            continue;

        virMutexLock(&client->lock);
        g_queue_pop_head(&client->tx);
        client->txBytes -= msg->bufferLength;
        virMutexUnlock(&client->lock);
        virNetMessageFree(msg);
    }
}


static gboolean
virNetServerClientSourceDispatch(GSource *source,
                                 GSourceFunc callback G_GNUC_UNUSED,
                                 gpointer user_data G_GNUC_UNUSED)
{
    virNetServerClient *client = ((virNetServerClientSource *)source)->client;
    /* Keeps the client alive while the handlers below may close it. */
    g_autoptr(virNetServerClient) hold G_GNUC_UNUSED = virNetServerClientRef(client);
    GIOCondition revents = g_source_query_unix_fd(source, client->fdTag);

    if (revents & G_IO_OUT) {
        if (virNetServerClientWrite(client) < 0)
            return G_SOURCE_CONTINUE;
    }
    if (revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)) {
        if (virNetServerClientRead(client) < 0)
            return G_SOURCE_CONTINUE;
    }
    if (revents & G_IO_NVAL) {
        virNetServerClientCloseNow(client, "invalid socket");
        return G_SOURCE_CONTINUE;
    }
    virNetServerClientUpdateEvents(client);
    return G_SOURCE_CONTINUE;
}


static GSourceFuncs virNetServerClientSourceFuncs = {
    .dispatch = virNetServerClientSourceDispatch,
};


/* ---- dispatch on the worker pool ---- */

static const virNetServerProgram *
virNetServerFindProgram(virNetServer *server, unsigned int prog, unsigned int vers)
{
    size_t i;

    for (i = 0; i < server->programs->len; i++) {
        const virNetServerProgram *p = g_ptr_array_index(server->programs, i);

        if (p->prog == prog && p->vers == vers)
            return p;
    }
    return NULL;
}


static const virNetServerProcedure *
virNetServerFindProcedure(const virNetServerProgram *prog, int proc)
{
    size_t i;

    for (i = 0; i < prog->nprocs; i++) {
        if (prog->procs[i].proc == proc)
            return &prog->procs[i];
    }
    return NULL;
}


/*
 * Runs one call and fills @reply (whose header is the call's). Returns 0 when @reply
 * is an encoded OK reply, -1 with an error reported otherwise.
 */
static int
virNetServerDispatchCall(virNetServer *server,
                         virNetServerClient *client,
                         virNetMessage *msg,
                         virNetMessage *reply)
{
    const virNetServerProgram *prog;
    const virNetServerProcedure *proc;
    g_autofree void *args = NULL;
    g_autofree void *ret = NULL;
    int rv = -1;

    if (!(prog = virNetServerFindProgram(server, msg->header.prog, msg->header.vers))) {
        virReportError(VIR_ERR_RPC, _("Cannot find program %1$d version %2$d"),
                       msg->header.prog, msg->header.vers);
        return -1;
    }
    if (msg->header.type != VIR_NET_CALL) {
        virReportError(VIR_ERR_RPC, _("Unexpected message type %1$u"), msg->header.type);
        return -1;
    }
    if (msg->header.status != VIR_NET_OK) {
        virReportError(VIR_ERR_RPC, _("Unexpected message status %1$u"), msg->header.status);
        return -1;
    }
    if (!(proc = virNetServerFindProcedure(prog, msg->header.proc)) || !proc->func) {
        virReportError(VIR_ERR_NO_SUPPORT,
                       _("this function is not supported by the connection driver: unknown procedure: %1$d"),
                       msg->header.proc);
        return -1;
    }

    args = g_malloc0(MAX(proc->argsSize, 1));
    ret = g_malloc0(MAX(proc->retSize, 1));

    if (proc->argsFilter &&
        virNetMessageDecodePayload(msg, proc->argsFilter, args) < 0)
        return -1;

    if (proc->func(server, client, msg, args, ret, prog->opaque) < 0)
        goto cleanup;

    reply->header.type = VIR_NET_REPLY;
    reply->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(reply) < 0)
        goto cleanup;
    if (proc->retFilter) {
        if (virNetMessageEncodePayload(reply, proc->retFilter, ret) < 0)
            goto cleanup;
    } else if (virNetMessageEncodePayloadEmpty(reply) < 0) {
        goto cleanup;
    }
    rv = 0;

 cleanup:
    if (proc->argsFilter)
        xdr_free(proc->argsFilter, args);
    if (proc->retFilter)
        xdr_free(proc->retFilter, ret);
    return rv;
}


static void
virNetServerWorker(gpointer data, gpointer opaque)
{
    virNetServerJob *job = data;
    virNetServer *server = opaque;
    virNetServerClient *client;
    g_autoptr(virNetMessage) msg = NULL;
    g_autoptr(virNetMessage) reply = virNetMessageNew();

    VIR_TSAN_ACQUIRE(job);
    client = job->client;
    msg = job->msg;
    g_free(job);
    virResetLastError();

    reply->header = msg->header;
    if (virNetServerClientIsClosed(client)) {
        VIR_DEBUG("Dropping call %d of a closed client", msg->header.proc);
    } else if (virNetServerDispatchCall(server, client, msg, reply) < 0) {
        virNetRemoteError rerr = { 0 };

        virNetRemoteErrorFromLast(&rerr);
        virResetLastError();
        reply->header = msg->header;
        if (virNetMessageEncodeError(reply, &rerr) < 0) {
            VIR_WARN("Closing client (pid %lld): cannot encode an error reply: %s",
                     (long long)client->pid, virErrorGetLastMessage());
            virNetServerClientClose(client);
            g_clear_pointer(&reply, virNetMessageFree);
        }
        virNetRemoteErrorClear(&rerr);
    }

    virMutexLock(&client->lock);
    client->calls--;
    virMutexUnlock(&client->lock);

    if (reply && reply->buffer && !virNetServerClientIsClosed(client)) {
        if (virNetServerClientSendMessage(client, g_steal_pointer(&reply)) < 0)
            virResetLastError();
    } else {
        /* reading may have paused at the call bound */
        virNetServerClientScheduleUpdate(client);
    }
    virResetLastError();
    virNetServerClientUnref(client);
}


/* ---- the server ---- */

static gboolean
virNetServerAccept(gint fd, GIOCondition condition G_GNUC_UNUSED, gpointer opaque)
{
    virNetServer *server = opaque;

    VIR_TSAN_ACQUIRE(server);
    for (;;) {
        virNetServerClient *client;
        virNetServerClientSource *src;
        struct ucred cred;
        socklen_t credlen = sizeof(cred);
        int cfd;
        size_t nclients;

        cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                VIR_WARN("Cannot accept a connection on '%s': %s", server->path, g_strerror(errno));
            return G_SOURCE_CONTINUE;
        }

        if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &credlen) < 0) {
            VIR_WARN("Refusing a connection on '%s': cannot read its credentials: %s",
                     server->path, g_strerror(errno));
            close(cfd);
            continue;
        }
        if (cred.uid != 0 && cred.uid != geteuid()) {
            VIR_WARN("Refusing a connection on '%s' from pid %lld: uid %lld is neither root nor the daemon's uid %lld",
                     server->path, (long long)cred.pid, (long long)cred.uid,
                     (long long)geteuid());
            close(cfd);
            continue;
        }

        virMutexLock(&server->lock);
        nclients = server->clients->len;
        virMutexUnlock(&server->lock);
        if (nclients >= VIR_NET_SERVER_CLIENTS_MAX) {
            VIR_WARN("Refusing a connection on '%s' from pid %lld: %d clients are connected",
                     server->path, (long long)cred.pid, VIR_NET_SERVER_CLIENTS_MAX);
            close(cfd);
            continue;
        }

        client = g_new0(virNetServerClient, 1);
        client->refs = 1;
        g_mutex_init(&client->lock);
        client->server = server;
        client->ctx = g_main_context_ref(server->ctx);
        client->fd = cfd;
        client->uid = cred.uid;
        client->pid = cred.pid;
        client->outputMax = server->clientOutputMax;
        g_queue_init(&client->tx);
        client->rx = virNetMessageNew();
        virNetMessagePrepareRead(client->rx);

        client->source = g_source_new(&virNetServerClientSourceFuncs,
                                      sizeof(virNetServerClientSource));
        src = (virNetServerClientSource *)client->source;
        src->client = client;
        client->fdTag = g_source_add_unix_fd(client->source, cfd, G_IO_IN);
        g_source_attach(client->source, server->ctx);

        virMutexLock(&server->lock);
        g_ptr_array_add(server->clients, client);
        virMutexUnlock(&server->lock);

        VIR_DEBUG("New client fd %d pid %lld uid %lld", cfd,
                  (long long)cred.pid, (long long)cred.uid);

        if (server->initFunc)
            server->initFunc(server, client, server->initOpaque);
    }
}


virNetServer *
virNetServerNew(GMainContext *ctx, size_t nworkers)
{
    virNetServer *server = g_new0(virNetServer, 1);

    g_mutex_init(&server->lock);
    g_cond_init(&server->shutdownCond);
    server->ctx = ctx ? g_main_context_ref(ctx) : g_main_context_ref(g_main_context_default());
    server->pool = g_thread_pool_new(virNetServerWorker, server, MAX(nworkers, 1), FALSE, NULL);
    server->programs = g_ptr_array_new_with_free_func(g_free);
    server->clients = g_ptr_array_new_with_free_func((GDestroyNotify)virNetServerClientUnref);
    server->clientOutputMax = VIR_NET_SERVER_CLIENT_OUTPUT_MAX;
    server->listenFd = -1;
    return server;
}


void
virNetServerSetClientOutputMax(virNetServer *server, size_t bytes)
{
    server->clientOutputMax = bytes;
}


void
virNetServerSetClientInitHook(virNetServer *server,
                              virNetServerClientInitFunc func,
                              void *opaque)
{
    server->initFunc = func;
    server->initOpaque = opaque;
}


int
virNetServerAddProgram(virNetServer *server,
                       unsigned int prog,
                       unsigned int vers,
                       const virNetServerProcedure *procs,
                       size_t nprocs,
                       void *opaque)
{
    virNetServerProgram *p;

    if (prog == VIR_NET_PROGRAM_KEEPALIVE || virNetServerFindProgram(server, prog, vers)) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Program 0x%1$x version %2$u is already registered."), prog, vers);
        return -1;
    }
    p = g_new0(virNetServerProgram, 1);
    p->prog = prog;
    p->vers = vers;
    p->procs = procs;
    p->nprocs = nprocs;
    p->opaque = opaque;
    g_ptr_array_add(server->programs, p);
    return 0;
}


size_t
virNetServerGetClientCount(virNetServer *server)
{
    size_t n;

    virMutexLock(&server->lock);
    n = server->clients->len;
    virMutexUnlock(&server->lock);
    return n;
}


/* Accepts clients on listening socket @fd from the server's main context. */
static void
virNetServerAttachListener(virNetServer *server, int fd)
{
    server->listenFd = fd;
    server->listenSource = g_unix_fd_source_new(fd, G_IO_IN);
    g_source_set_callback(server->listenSource, G_SOURCE_FUNC(virNetServerAccept), server, NULL);
    VIR_TSAN_RELEASE(server);
    g_source_attach(server->listenSource, server->ctx);
}


int
virNetServerListenUNIX(virNetServer *server, const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (server->listenFd >= 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", _("The server is already listening."));
        return -1;
    }
    if (strlen(path) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_RPC, _("The socket path '%1$s' is too long."), path);
        return -1;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));

    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", _("Cannot create a UNIX socket"));
        return -1;
    }

    /* A live daemon answers on the socket; only a stale file is removed. */
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
        close(fd);
        virReportError(VIR_ERR_RPC, _("The socket '%1$s' is in use by another server."), path);
        return -1;
    }
    close(fd);
    if (unlink(path) < 0 && errno != ENOENT) {
        virReportSystemError(errno, _("Cannot remove the stale socket '%1$s'"), path);
        return -1;
    }

    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", _("Cannot create a UNIX socket"));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, _("Cannot bind the socket '%1$s'"), path);
        close(fd);
        return -1;
    }
    /* Peer credentials are checked too, so the moment before chmod is harmless. */
    if (chmod(path, 0600) < 0) {
        virReportSystemError(errno, _("Cannot set the mode of the socket '%1$s'"), path);
        close(fd);
        unlink(path);
        return -1;
    }
    if (listen(fd, VIR_NET_SERVER_LISTEN_BACKLOG) < 0) {
        virReportSystemError(errno, _("Cannot listen on the socket '%1$s'"), path);
        close(fd);
        unlink(path);
        return -1;
    }

    server->path = g_strdup(path);
    virNetServerAttachListener(server, fd);
    VIR_INFO("Listening on '%s'", path);
    return 0;
}


int
virNetServerListenFD(virNetServer *server, int fd)
{
    int type = 0;
    socklen_t len = sizeof(type);

    if (server->listenFd >= 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", _("The server is already listening."));
        return -1;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM) {
        virReportError(VIR_ERR_RPC,
                       _("File descriptor %1$d handed to qvirtd is not a stream socket."), fd);
        return -1;
    }
    if (!g_unix_set_fd_nonblocking(fd, TRUE, NULL) || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        virReportSystemError(errno, _("Cannot prepare the listening socket %1$d"), fd);
        return -1;
    }
    /* The socket file belongs to whoever made the socket (systemd): not ours to
     * remove at shutdown, so no path is recorded. */
    virNetServerAttachListener(server, fd);
    VIR_INFO("Listening on inherited socket %d", fd);
    return 0;
}


/* Main context: stops listening and closes every client. */
static void
virNetServerShutdown(virNetServer *server)
{
    g_autoptr(GPtrArray) clients = NULL;
    size_t i;

    if (server->listenSource) {
        g_source_destroy(server->listenSource);
        g_clear_pointer(&server->listenSource, g_source_unref);
    }
    if (server->listenFd >= 0) {
        close(server->listenFd);
        server->listenFd = -1;
        if (server->path)
            unlink(server->path);
    }

    virMutexLock(&server->lock);
    clients = g_ptr_array_new_with_free_func((GDestroyNotify)virNetServerClientUnref);
    for (i = 0; i < server->clients->len; i++)
        g_ptr_array_add(clients, virNetServerClientRef(g_ptr_array_index(server->clients, i)));
    virMutexUnlock(&server->lock);

    for (i = 0; i < clients->len; i++)
        virNetServerClientCloseNow(g_ptr_array_index(clients, i), "server shutdown");
}


static gboolean
virNetServerShutdownIdle(gpointer opaque)
{
    virNetServer *server = opaque;

    virNetServerShutdown(server);
    virMutexLock(&server->lock);
    server->shutdownDone = true;
    g_cond_broadcast(&server->shutdownCond);
    virMutexUnlock(&server->lock);
    return G_SOURCE_REMOVE;
}


void
virNetServerFree(virNetServer *server)
{
    if (!server)
        return;

    if (g_main_context_acquire(server->ctx)) {
        virNetServerShutdown(server);
        g_main_context_release(server->ctx);
    } else {
        g_autoptr(GSource) idle = g_idle_source_new();

        g_source_set_priority(idle, G_PRIORITY_HIGH);
        g_source_set_callback(idle, virNetServerShutdownIdle, server, NULL);
        g_source_attach(idle, server->ctx);
        virMutexLock(&server->lock);
        while (!server->shutdownDone)
            virCondWait(&server->shutdownCond, &server->lock);
        virMutexUnlock(&server->lock);
    }

    /* Running and queued calls finish; their clients are closed, so they only drop
     * their replies. */
    g_thread_pool_free(server->pool, FALSE, TRUE);

    g_ptr_array_unref(server->clients);
    g_ptr_array_unref(server->programs);
    g_main_context_unref(server->ctx);
    g_free(server->path);
    g_cond_clear(&server->shutdownCond);
    g_mutex_clear(&server->lock);
    g_free(server);
}
