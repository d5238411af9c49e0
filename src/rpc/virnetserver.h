/* virnetserver.h: libvirt's RPC server on a UNIX socket: clients, programs, dispatch. */
#pragma once

#include "internal.h"
#include "virnetmessage.h"

#include <sys/types.h>

/*
 * Threads. All socket I/O runs in the GMainContext given to virNetServerNew() (the
 * daemon's main loop): accepting, reading and framing, writing the output queues,
 * keepalive PING -> PONG, closing. Calls (type CALL of a registered program) are
 * decoded and dispatched on a GThreadPool of @nworkers threads, because handlers may
 * wait for a QEMU monitor and the main loop must never wait. Calls of one client may
 * therefore finish out of order; each reply echoes its call's serial, which is what
 * libvirt's clients match on.
 *
 * Bounds. A frame longer than VIR_NET_MESSAGE_MAX, shorter than a header or with an
 * unknown type closes that client only, with the reason logged. A client whose output
 * queue exceeds the queue bound (it does not read) is closed. A client with
 * VIR_NET_SERVER_CLIENT_CALLS_MAX calls in progress is not read from until one
 * finishes, so one client cannot fill the worker queue.
 *
 * Access. The socket is created mode 0600, and each connection's peer credentials
 * (SO_PEERCRED) must be root or the daemon's own uid; others are closed and logged.
 *
 * Errors. A handler that fails returns -1 with the error reported (virReportError);
 * the client gets it as a remote_error with the same code and domain, so virsh prints
 * a normal "error: ..." line.
 */

/* The default output-queue bound per client. Redis-style: a client that stops reading
 * is cut off here rather than holding daemon memory; two maximum-size messages fit. */
#define VIR_NET_SERVER_CLIENT_OUTPUT_MAX (64 * 1024 * 1024)

/* Calls of one client in progress at once. libvirtd's max_client_requests is 5; we
 * allow more so a client's event registrations (virsh event --all sends 27) and a slow
 * monitor call do not serialise, while one client still cannot occupy the pool. */
#define VIR_NET_SERVER_CLIENT_CALLS_MAX 16

/* Clients connected at once; further connections are accepted and closed at once. */
#define VIR_NET_SERVER_CLIENTS_MAX 1024

typedef struct _virNetServer virNetServer;
typedef struct _virNetServerClient virNetServerClient;

/*
 * A procedure handler runs on a worker thread. @args holds the decoded arguments
 * (zeroed then decoded with argsFilter; freed by the server afterwards), @ret a zeroed
 * reply that the handler fills and the server encodes with retFilter and then frees
 * with xdr_free(). Returns 0 on success, -1 with an error reported.
 */
typedef int (*virNetServerDispatchFunc)(virNetServer *server,
                                        virNetServerClient *client,
                                        virNetMessage *msg,
                                        void *args,
                                        void *ret,
                                        void *opaque);

typedef struct _virNetServerProcedure virNetServerProcedure;
struct _virNetServerProcedure {
    int proc;
    virNetServerDispatchFunc func;
    size_t argsSize;         /* 0 (and argsFilter NULL) for no arguments */
    xdrproc_t argsFilter;
    size_t retSize;          /* 0 (and retFilter NULL) for an empty reply */
    xdrproc_t retFilter;
};

/* Called in the main context for each accepted client, before its first message;
 * the place to attach private data. */
typedef void (*virNetServerClientInitFunc)(virNetServer *server,
                                           virNetServerClient *client,
                                           void *opaque);

/* Called once in the main context when a client is closed, for whatever reason. */
typedef void (*virNetServerClientCloseFunc)(virNetServerClient *client, void *opaque);

/* A server dispatching on @nworkers (>= 1) threads; sockets attach to @ctx (NULL:
 * the global default context). Never NULL. */
virNetServer *virNetServerNew(GMainContext *ctx, size_t nworkers);

/*
 * Closes the listening socket and every client (running close hooks), waits for
 * running calls to finish and frees @server. Call it from the context's thread, or
 * from any thread while that thread runs the context's loop. NULL is a no-op.
 */
void virNetServerFree(virNetServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetServer, virNetServerFree);

/* Listens on the UNIX socket @path (a stale socket file is removed; mode 0600).
 * Call once, before the loop runs. */
int virNetServerListenUNIX(virNetServer *server, const char *path);

/* Listens on @fd, an already listening stream socket handed over by systemd's
 * socket activation (LISTEN_FDS). The server takes @fd and never removes the
 * socket file. Returns 0, or -1 with an error. */
int virNetServerListenFD(virNetServer *server, int fd);

/* The per-client output queue bound in bytes (default VIR_NET_SERVER_CLIENT_OUTPUT_MAX). */
void virNetServerSetClientOutputMax(virNetServer *server, size_t bytes);

void virNetServerSetClientInitHook(virNetServer *server,
                                   virNetServerClientInitFunc func,
                                   void *opaque);

/*
 * Registers program @prog version @vers with @nprocs procedures. @procs must stay
 * valid while the server exists; @opaque goes to every handler. Call before
 * listening. A call of an unknown procedure is answered with VIR_ERR_NO_SUPPORT, of
 * an unknown program or version with VIR_ERR_RPC. The KEEPALIVE program is built in.
 */
int virNetServerAddProgram(virNetServer *server,
                           unsigned int prog,
                           unsigned int vers,
                           const virNetServerProcedure *procs,
                           size_t nprocs,
                           void *opaque);

/* Number of clients connected now. */
size_t virNetServerGetClientCount(virNetServer *server);

/* ---- clients ---- */

virNetServerClient *virNetServerClientRef(virNetServerClient *client);
void virNetServerClientUnref(virNetServerClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetServerClient, virNetServerClientUnref);

/* Attaches @data, freed with @freeFunc when the client is freed. */
void virNetServerClientSetPrivateData(virNetServerClient *client,
                                      void *data,
                                      GDestroyNotify freeFunc);
void *virNetServerClientGetPrivateData(virNetServerClient *client);

/* Sets the hook run when the client closes (event deregistration). */
void virNetServerClientSetCloseHook(virNetServerClient *client,
                                    virNetServerClientCloseFunc func,
                                    void *opaque);

/* The peer's credentials, from SO_PEERCRED at accept time. */
void virNetServerClientGetUnixIdentity(virNetServerClient *client, uid_t *uid, pid_t *pid);

/* True once the client is closed or closing; further messages are dropped. */
bool virNetServerClientIsClosed(virNetServerClient *client);

/*
 * Queues the fully encoded @msg (taken over, also on failure) to be written when the
 * socket is writable. Any thread. Returns -1 when the client is closed, or when the
 * queue would exceed its bound; then the client is closed (logged).
 */
int virNetServerClientSendMessage(virNetServerClient *client, virNetMessage *msg);

/* Encodes and queues an async event: type MESSAGE, serial 1, status OK, payload @data
 * encoded with @filter (NULL for none). Any thread. */
int virNetServerClientSendEvent(virNetServerClient *client,
                                unsigned int prog,
                                unsigned int vers,
                                int proc,
                                xdrproc_t filter,
                                void *data);

/* Asks the main context to close @client; any thread. */
void virNetServerClientClose(virNetServerClient *client);
