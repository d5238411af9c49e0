/* qemu_monitor.c: one QMP connection per domain: I/O, commands, event emission. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "virthread.h"
#include "qemu_monitor.h"
#include "vireventthread.h"
#include "qemu_monitor_json.h"
#include "virerror.h"
#include "virlog.h"
#include "virobject.h"
#include "virprocess.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("qemu.qemu_monitor");

/* Bytes asked of read() at a time; QMP events are ~200 bytes, so one read drains a
 * burst without starving the other monitors on the same thread. */
#define QEMU_MONITOR_READ_CHUNK (64 * 1024)

struct _qemuMonitor {
    virObjectLockable parent;

    GCond notify;            /* greeting, reply, EOF, error, message slot freed */
    int fd;
    virEventThreadWatch *watch;  /* on the event thread's epoll set; holds a ref */

    virDomainObj *vm;
    const qemuMonitorCallbacks *cb;
    void *callbackOpaque;

    char *buffer;            /* bytes read and not yet framed */
    size_t bufferLength;
    size_t bufferAlloc;

    qemuMonitorMessage *msg; /* the command waiting for its reply, or NULL */
    unsigned long long nextSerial;
    unsigned int replyTimeoutMs;

    bool greeted;
    int greetingVersion[3];

    bool closed;             /* qemuMonitorClose ran */
    bool goteof;
    char *fatalError;        /* why the connection ended, other than EOF */
};

static const char *const qemuMonitorVMStatusNames[] = {
    "debug", "inmigrate", "internal-error", "io-error", "paused", "postmigrate",
    "prelaunch", "finish-migrate", "restore-vm", "running", "save-vm", "shutdown",
    "suspended", "watchdog", "guest-panicked", "colo",
};
G_STATIC_ASSERT(G_N_ELEMENTS(qemuMonitorVMStatusNames) == QEMU_MONITOR_VM_STATUS_LAST);


const char *
qemuMonitorVMStatusTypeToString(int status)
{
    if (status < 0 || status >= QEMU_MONITOR_VM_STATUS_LAST)
        return NULL;
    return qemuMonitorVMStatusNames[status];
}


int
qemuMonitorVMStatusTypeFromString(const char *status)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(qemuMonitorVMStatusNames); i++) {
        if (STREQ(qemuMonitorVMStatusNames[i], status))
            return i;
    }
    return -1;
}


/*
 * Calls one member of the callbacks struct the way every emitter must: with a
 * reference on the monitor and without its lock, so the callback may take the domain
 * lock (lock order: domain before monitor) and the monitor may be closed meanwhile.
 * Nothing is called once the monitor is closed.
 */
#define QEMU_MONITOR_CALLBACK(mon, callback, ...) \
    do { \
        const qemuMonitorCallbacks *cb_ = (mon)->cb; \
        if (!(mon)->closed && cb_ && cb_->callback) { \
            void *opaque_ = (mon)->callbackOpaque; \
            virDomainObj *vm_ = (mon)->vm; \
            virObjectRef(mon); \
            virObjectUnlock(mon); \
            cb_->callback((mon), vm_, ##__VA_ARGS__, opaque_); \
            virObjectLock(mon); \
            virObjectUnref(mon); \
        } \
    } while (0)


static void
qemuMonitorDispose(void *obj)
{
    qemuMonitor *mon = obj;

    VIR_DEBUG("mon=%p", mon);
    /* The watch held a reference until it was removed and freed: it is gone. */
    if (mon->fd >= 0)
        close(mon->fd);
    virObjectUnref(mon->vm);
    g_cond_clear(&mon->notify);
    g_free(mon->buffer);
    g_free(mon->fatalError);
}


/* Wakes whoever waits on the monitor: the sender of a command, qemuMonitorOpen. */
static void
qemuMonitorWakeWaiters(qemuMonitor *mon)
{
    if (mon->msg && (mon->goteof || mon->fatalError))
        mon->msg->finished = true;
    g_cond_broadcast(&mon->notify);
}


/* Ends the connection for @message (NULL: EOF). Called on the event thread with the
 * monitor locked; the notify callback runs unlocked. */
static void
qemuMonitorEnd(qemuMonitor *mon, const char *message)
{
    if (mon->goteof || mon->fatalError)
        return;

    if (message) {
        VIR_WARN("QEMU monitor %p failed: %s", mon, message);
        mon->fatalError = g_strdup(message);
    } else {
        VIR_DEBUG("QEMU monitor %p reached EOF", mon);
        mon->goteof = true;
    }
    qemuMonitorWakeWaiters(mon);

    if (message)
        QEMU_MONITOR_CALLBACK(mon, errorNotify, message);
    else
        QEMU_MONITOR_CALLBACK(mon, eofNotify);
}


/* Frames every complete line in the buffer and hands it to the JSON layer. Lines end
 * with LF; QEMU sends CRLF, and the CR is dropped. Returns -1 when the connection
 * must end (the message is in @error). */
static int
qemuMonitorIOProcess(qemuMonitor *mon, char **error)
{
    size_t start = 0;

    while (start < mon->bufferLength && !mon->closed) {
        char *line = mon->buffer + start;
        char *nl = memchr(line, '\n', mon->bufferLength - start);
        size_t len;

        if (!nl)
            break;
        len = nl - line;
        start += len + 1;
        if (len > 0 && line[len - 1] == '\r')
            len--;
        *nl = '\0';
        if (len == 0)
            continue;
        if (len > QEMU_MONITOR_MAX_LINE) {
            *error = g_strdup_printf(_("QEMU monitor sent a line of %1$zu bytes, over the limit of %2$d bytes."),
                                     len, QEMU_MONITOR_MAX_LINE);
            return -1;
        }
        line[len] = '\0';
        if (qemuMonitorJSONIOProcessLine(mon, line, len, mon->msg) < 0) {
            *error = g_strdup(virErrorGetLastMessage());
            virResetLastError();
            return -1;
        }
    }

    if (start > 0) {
        memmove(mon->buffer, mon->buffer + start, mon->bufferLength - start);
        mon->bufferLength -= start;
    }

    if (mon->bufferLength > QEMU_MONITOR_MAX_LINE) {
        *error = g_strdup_printf(_("QEMU monitor sent more than %1$d bytes without a line end."),
                                 QEMU_MONITOR_MAX_LINE);
        return -1;
    }
    return 0;
}


/* Reads what the socket has (one chunk), then frames it. Returns 1 on EOF, -1 on
 * error (message in @error), 0 otherwise. */
static int
qemuMonitorIORead(qemuMonitor *mon, char **error)
{
    ssize_t got;

    if (mon->bufferAlloc - mon->bufferLength < QEMU_MONITOR_READ_CHUNK) {
        mon->bufferAlloc = MAX(mon->bufferAlloc * 2,
                               mon->bufferLength + QEMU_MONITOR_READ_CHUNK + 1);
        mon->buffer = g_realloc(mon->buffer, mon->bufferAlloc);
    }

    got = read(mon->fd, mon->buffer + mon->bufferLength,
               mon->bufferAlloc - mon->bufferLength - 1);
    if (got < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return 0;
        *error = g_strdup_printf(_("Cannot read from QEMU monitor: %1$s"),
                                 g_strerror(errno));
        return -1;
    }
    if (got == 0)
        return 1;

    mon->bufferLength += got;
    return qemuMonitorIOProcess(mon, error);
}


static gboolean
qemuMonitorIO(int fd, GIOCondition cond, gpointer opaque)
{
    qemuMonitor *mon = opaque;
    g_autofree char *error = NULL;
    int rc = 0;

    VIR_TSAN_ACQUIRE(mon);
    virObjectLock(mon);
    if (mon->closed || mon->goteof || mon->fatalError) {
        /* Removed here, under the lock that guards the descriptor's owner. */
        virEventThreadWatchRemove(g_steal_pointer(&mon->watch));
        virObjectUnlock(mon);
        return G_SOURCE_REMOVE;
    }

    if (cond & (G_IO_IN | G_IO_PRI))
        rc = qemuMonitorIORead(mon, &error);
    else if (cond & (G_IO_HUP | G_IO_ERR))
        rc = 1;
    /* Data and a hangup can come together: HUP is acted on once reads return 0. */

    if (rc != 0 && !mon->closed) {
        qemuMonitorEnd(mon, rc < 0 ? error : NULL);
        virEventThreadWatchRemove(g_steal_pointer(&mon->watch));
        virObjectUnlock(mon);
        return G_SOURCE_REMOVE;
    }
    virObjectUnlock(mon);
    return G_SOURCE_CONTINUE;
}


static qemuMonitor *
qemuMonitorNew(virDomainObj *vm, int fd, virEventThread *evt,
               const qemuMonitorCallbacks *cb, void *opaque)
{
    qemuMonitor *mon;

    if (!g_unix_set_fd_nonblocking(fd, TRUE, NULL)) {
        virReportSystemError(errno, "%s", _("Cannot make the QEMU monitor socket non-blocking"));
        close(fd);
        return NULL;
    }

    mon = virObjectLockableNew(sizeof(*mon), "qemuMonitor", qemuMonitorDispose);
    g_cond_init(&mon->notify);
    mon->fd = fd;
    mon->vm = virObjectRef(vm);
    mon->cb = cb;
    mon->callbackOpaque = opaque;
    mon->replyTimeoutMs = QEMU_MONITOR_REPLY_TIMEOUT_MS;

    VIR_TSAN_RELEASE(mon);
    virObjectLock(mon);
    mon->watch = virEventThreadWatchFD(evt, fd, G_IO_IN, qemuMonitorIO, virObjectRef(mon),
                                       virObjectUnrefVoid);
    virObjectUnlock(mon);
    if (!mon->watch) {
        virReportSystemError(errno, "%s", _("Cannot watch the QEMU monitor socket"));
        virObjectUnref(mon);
        return NULL;
    }
    return mon;
}


/* Waits with the monitor locked until @done holds, the connection ends, or the
 * deadline passes. Returns 0 when @done holds. */
#define QEMU_MONITOR_WAIT_UNTIL(mon, done, deadline, rc) \
    do { \
        rc = 0; \
        while (!(done)) { \
            if ((mon)->closed || (mon)->goteof || (mon)->fatalError) { \
                rc = -1; \
                break; \
            } \
            if (!virCondWaitUntil(&(mon)->notify, &(mon)->parent.lock, deadline) && \
                !(done)) { \
                rc = -2; \
                break; \
            } \
        } \
    } while (0)


/* Reports why the connection is unusable; the monitor is locked. */
static void
qemuMonitorReportUnusable(qemuMonitor *mon, const char *command)
{
    if (mon->fatalError)
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Cannot run QEMU command '%1$s': the monitor failed: %2$s"),
                       command, mon->fatalError);
    else if (mon->goteof)
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Cannot run QEMU command '%1$s': QEMU closed the monitor connection."),
                       command);
    else
        virReportError(VIR_ERR_OPERATION_INVALID,
                       _("Cannot run QEMU command '%1$s': the monitor is closed."),
                       command);
}


static unsigned int
qemuMonitorOpenTimeout(unsigned int timeoutMs)
{
    return timeoutMs ? timeoutMs : QEMU_MONITOR_OPEN_TIMEOUT_MS;
}


static int
qemuMonitorWaitGreeting(qemuMonitor *mon, unsigned int timeoutMs)
{
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)timeoutMs * G_TIME_SPAN_MILLISECOND;
    int rc;

    virObjectLock(mon);
    QEMU_MONITOR_WAIT_UNTIL(mon, mon->greeted, deadline, rc);
    if (rc == -2)
        virReportError(VIR_ERR_OPERATION_TIMEOUT,
                       _("QEMU sent no monitor greeting within %1$u ms."),
                       timeoutMs);
    else if (rc < 0)
        qemuMonitorReportUnusable(mon, "qmp_capabilities");
    virObjectUnlock(mon);
    return rc < 0 ? -1 : 0;
}


qemuMonitor *
qemuMonitorOpenFD(virDomainObj *vm, int fd, unsigned int timeoutMs,
                  virEventThread *evt, const qemuMonitorCallbacks *cb, void *opaque)
{
    qemuMonitor *mon;

    if (!(mon = qemuMonitorNew(vm, fd, evt, cb, opaque)))
        return NULL;

    if (qemuMonitorWaitGreeting(mon, qemuMonitorOpenTimeout(timeoutMs)) < 0 ||
        qemuMonitorSetCapabilities(mon) < 0) {
        qemuMonitorClose(mon);
        return NULL;
    }
    return mon;
}


static int
qemuMonitorConnect(const char *socketPath, pid_t pid, unsigned int timeoutMs)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)timeoutMs * G_TIME_SPAN_MILLISECOND;
    int fd;

    if (g_strlcpy(addr.sun_path, socketPath, sizeof(addr.sun_path)) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("QEMU monitor socket path '%1$s' is too long."), socketPath);
        return -1;
    }

    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", _("Cannot create a socket for the QEMU monitor"));
        return -1;
    }

    /* QEMU creates the socket shortly after it starts; until then connect fails. */
    while (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int err = errno;

        if ((err != ENOENT && err != ECONNREFUSED && err != EINTR) ||
            g_get_monotonic_time() > deadline) {
            virReportSystemError(err, _("Cannot connect to QEMU monitor socket '%1$s'"),
                                 socketPath);
            close(fd);
            return -1;
        }
        if (pid > 0 && !virProcessIsAlive(pid)) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           _("QEMU (pid %1$lld) exited before its monitor socket '%2$s' appeared."),
                           (long long)pid, socketPath);
            close(fd);
            return -1;
        }
        g_usleep(10 * G_TIME_SPAN_MILLISECOND);
    }
    return fd;
}


qemuMonitor *
qemuMonitorOpen(virDomainObj *vm, const char *socketPath, pid_t pid, unsigned int timeoutMs,
                virEventThread *evt, const qemuMonitorCallbacks *cb, void *opaque)
{
    int fd;

    if ((fd = qemuMonitorConnect(socketPath, pid, qemuMonitorOpenTimeout(timeoutMs))) < 0)
        return NULL;
    return qemuMonitorOpenFD(vm, fd, timeoutMs, evt, cb, opaque);
}


void
qemuMonitorClose(qemuMonitor *mon)
{
    if (!mon)
        return;

    VIR_DEBUG("mon=%p", mon);
    virObjectLock(mon);
    if (!mon->closed) {
        mon->closed = true;
        virEventThreadWatchRemove(g_steal_pointer(&mon->watch));
        /* Wakes a sender blocked in poll(); the fd itself is closed at dispose, when
         * nobody can be using it. */
        shutdown(mon->fd, SHUT_RDWR);
        if (mon->msg)
            mon->msg->finished = true;
        g_cond_broadcast(&mon->notify);
    }
    virObjectUnlock(mon);
    virObjectUnref(mon);
}


void
qemuMonitorSetReplyTimeout(qemuMonitor *mon, unsigned int timeoutMs)
{
    virObjectLock(mon);
    mon->replyTimeoutMs = timeoutMs;
    virObjectUnlock(mon);
}


void
qemuMonitorSetGreeting(qemuMonitor *mon, int major, int minor, int micro)
{
    mon->greeted = true;
    mon->greetingVersion[0] = major;
    mon->greetingVersion[1] = minor;
    mon->greetingVersion[2] = micro;
    g_cond_broadcast(&mon->notify);
}


void
qemuMonitorGetGreetingVersion(qemuMonitor *mon, int *major, int *minor, int *micro)
{
    virObjectLock(mon);
    *major = mon->greetingVersion[0];
    *minor = mon->greetingVersion[1];
    *micro = mon->greetingVersion[2];
    virObjectUnlock(mon);
}


char *
qemuMonitorNextCommandID(qemuMonitor *mon)
{
    char *id;

    virObjectLock(mon);
    id = g_strdup_printf("qvirt-%llu", ++mon->nextSerial);
    virObjectUnlock(mon);
    return id;
}


/* Writes the whole command with the monitor locked, dropping the lock while the
 * socket is full so the event thread keeps reading (QEMU may be blocked writing
 * to us). */
static int
qemuMonitorWriteMessage(qemuMonitor *mon, qemuMonitorMessage *msg, gint64 deadline)
{
    size_t done = 0;

    while (done < msg->txLength) {
        ssize_t n = send(mon->fd, msg->txBuffer + done, msg->txLength - done,
                         MSG_NOSIGNAL);
        if (n >= 0) {
            done += n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) {
            struct pollfd pfd = { .fd = mon->fd, .events = POLLOUT };
            gint64 left = (deadline - g_get_monotonic_time()) / G_TIME_SPAN_MILLISECOND;

            if (left <= 0) {
                virReportError(VIR_ERR_OPERATION_TIMEOUT,
                               _("Cannot send QEMU command '%1$s': the monitor accepted no data for %2$u ms."),
                               msg->command, mon->replyTimeoutMs);
                return -1;
            }
            virObjectUnlock(mon);
            ignore_value(poll(&pfd, 1, left));
            virObjectLock(mon);
            if (mon->closed || mon->goteof || mon->fatalError) {
                qemuMonitorReportUnusable(mon, msg->command);
                return -1;
            }
            continue;
        }
        virReportSystemError(errno, _("Cannot send QEMU command '%1$s'"), msg->command);
        return -1;
    }
    return 0;
}


int
qemuMonitorSend(qemuMonitor *mon, qemuMonitorMessage *msg)
{
    gint64 deadline;
    int ret = -1;
    int rc;

    virObjectRef(mon);
    virObjectLock(mon);
    deadline = g_get_monotonic_time() +
               (gint64)mon->replyTimeoutMs * G_TIME_SPAN_MILLISECOND;

    /* One command at a time: the domain job normally guarantees it. */
    QEMU_MONITOR_WAIT_UNTIL(mon, !mon->msg, deadline, rc);
    if (rc == 0 && (mon->closed || mon->goteof || mon->fatalError))
        rc = -1;
    if (rc < 0) {
        if (rc == -2)
            virReportError(VIR_ERR_OPERATION_TIMEOUT,
                           _("Cannot send QEMU command '%1$s': another command held the monitor for %2$u ms."),
                           msg->command, mon->replyTimeoutMs);
        else
            qemuMonitorReportUnusable(mon, msg->command);
        goto cleanup;
    }

    VIR_DEBUG("mon=%p send %.*s", mon, (int)msg->txLength - 2, msg->txBuffer);
    msg->finished = false;
    msg->reply = NULL;
    mon->msg = msg;

    if (qemuMonitorWriteMessage(mon, msg, deadline) < 0)
        goto release;

    QEMU_MONITOR_WAIT_UNTIL(mon, msg->finished, deadline, rc);
    if (msg->reply) {
        ret = 0;
    } else if (rc == -2) {
        virReportError(VIR_ERR_OPERATION_TIMEOUT,
                       _("QEMU did not reply to command '%1$s' within %2$u ms."),
                       msg->command, mon->replyTimeoutMs);
    } else {
        qemuMonitorReportUnusable(mon, msg->command);
    }

 release:
    mon->msg = NULL;
    g_cond_broadcast(&mon->notify);
 cleanup:
    virObjectUnlock(mon);
    virObjectUnref(mon);
    return ret;
}


void
qemuMonitorMessageReplied(qemuMonitor *mon, virJSONValue *reply)
{
    mon->msg->reply = reply;
    mon->msg->finished = true;
    g_cond_broadcast(&mon->notify);
}


/* ---- event emission: each reaches one member of the callbacks struct ---- */

void
qemuMonitorEmitEvent(qemuMonitor *mon, const char *event, long long seconds,
                     unsigned int micros, virJSONValue *data)
{
    g_autofree char *details = NULL;

    VIR_DEBUG("mon=%p event=%s", mon, event);
    /* Formatting costs; skip it when nobody listens. */
    if (mon->closed || !mon->cb || !mon->cb->domainEvent ||
        (mon->cb->domainEventWanted && !mon->cb->domainEventWanted(mon->callbackOpaque)))
        return;
    if (data)
        details = virJSONValueToString(data, false);
    QEMU_MONITOR_CALLBACK(mon, domainEvent, event, seconds, micros, details);
}


void
qemuMonitorEmitShutdown(qemuMonitor *mon, int guest, const char *reason)
{
    QEMU_MONITOR_CALLBACK(mon, domainShutdown, guest, reason);
}


void
qemuMonitorEmitReset(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainReset);
}


void
qemuMonitorEmitStop(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainStop);
}


void
qemuMonitorEmitResume(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainResume);
}


void
qemuMonitorEmitRTCChange(qemuMonitor *mon, long long offset, const char *qomPath)
{
    QEMU_MONITOR_CALLBACK(mon, domainRTCChange, offset, qomPath);
}


void
qemuMonitorEmitWatchdog(qemuMonitor *mon, const char *action)
{
    QEMU_MONITOR_CALLBACK(mon, domainWatchdog, action);
}


void
qemuMonitorEmitIOError(qemuMonitor *mon, const qemuMonitorIOErrorInfo *info)
{
    QEMU_MONITOR_CALLBACK(mon, domainIOError, info);
}


void
qemuMonitorEmitGraphics(qemuMonitor *mon, const char *protocol,
                        qemuMonitorGraphicsPhase phase,
                        const qemuMonitorGraphicsAddress *local,
                        const qemuMonitorGraphicsAddress *remote)
{
    QEMU_MONITOR_CALLBACK(mon, domainGraphics, protocol, phase, local, remote);
}


void
qemuMonitorEmitSpiceMigrated(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainSpiceMigrated);
}


void
qemuMonitorEmitTrayChange(qemuMonitor *mon, const char *devAlias, const char *devid,
                          bool open)
{
    QEMU_MONITOR_CALLBACK(mon, domainTrayChange, devAlias, devid, open);
}


void
qemuMonitorEmitPMWakeup(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainPMWakeup);
}


void
qemuMonitorEmitPMSuspend(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainPMSuspend);
}


void
qemuMonitorEmitPMSuspendDisk(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainPMSuspendDisk);
}


void
qemuMonitorEmitBalloonChange(qemuMonitor *mon, unsigned long long actualKiB)
{
    QEMU_MONITOR_CALLBACK(mon, domainBalloonChange, actualKiB);
}


void
qemuMonitorEmitGuestPanic(qemuMonitor *mon, const char *action, const char *infoJSON)
{
    QEMU_MONITOR_CALLBACK(mon, domainGuestPanic, action, infoJSON);
}


void
qemuMonitorEmitGuestCrashloaded(qemuMonitor *mon)
{
    QEMU_MONITOR_CALLBACK(mon, domainGuestCrashloaded);
}


void
qemuMonitorEmitDeviceDeleted(qemuMonitor *mon, const char *devAlias)
{
    QEMU_MONITOR_CALLBACK(mon, domainDeviceDeleted, devAlias);
}


void
qemuMonitorEmitDeviceUnplugError(qemuMonitor *mon, const char *devPath,
                                 const char *devAlias)
{
    QEMU_MONITOR_CALLBACK(mon, domainDeviceUnplugError, devPath, devAlias);
}


void
qemuMonitorEmitNicRxFilterChanged(qemuMonitor *mon, const char *devAlias)
{
    VIR_DEBUG("mon=%p devAlias=%s", mon, devAlias);
    QEMU_MONITOR_CALLBACK(mon, domainNicRxFilterChanged, devAlias);
}


void
qemuMonitorEmitSerialChange(qemuMonitor *mon, const char *devAlias, bool connected)
{
    QEMU_MONITOR_CALLBACK(mon, domainSerialChange, devAlias, connected);
}


void
qemuMonitorEmitMigrationStatus(qemuMonitor *mon, const char *status)
{
    QEMU_MONITOR_CALLBACK(mon, domainMigrationStatus, status);
}


void
qemuMonitorEmitMigrationPass(qemuMonitor *mon, int pass)
{
    QEMU_MONITOR_CALLBACK(mon, domainMigrationPass, pass);
}


void
qemuMonitorEmitAcpiOstInfo(qemuMonitor *mon, const qemuMonitorAcpiOstInfo *info)
{
    QEMU_MONITOR_CALLBACK(mon, domainAcpiOstInfo, info);
}


void
qemuMonitorEmitBlockThreshold(qemuMonitor *mon, const char *nodename,
                              unsigned long long threshold, unsigned long long excess)
{
    QEMU_MONITOR_CALLBACK(mon, domainBlockThreshold, nodename, threshold, excess);
}


void
qemuMonitorEmitDumpCompleted(qemuMonitor *mon, int status, unsigned long long total,
                             unsigned long long completed, const char *error)
{
    QEMU_MONITOR_CALLBACK(mon, domainDumpCompleted, status, total, completed, error);
}


void
qemuMonitorEmitPRManagerStatusChanged(qemuMonitor *mon, const char *prManager,
                                      bool connected)
{
    QEMU_MONITOR_CALLBACK(mon, domainPRManagerStatusChanged, prManager, connected);
}


void
qemuMonitorEmitRdmaGidStatusChanged(qemuMonitor *mon, const qemuMonitorRdmaGidStatus *info)
{
    QEMU_MONITOR_CALLBACK(mon, domainRdmaGidStatusChanged, info);
}


void
qemuMonitorEmitMemoryFailure(qemuMonitor *mon, const qemuMonitorMemoryFailure *info)
{
    QEMU_MONITOR_CALLBACK(mon, domainMemoryFailure, info);
}


void
qemuMonitorEmitMemoryDeviceSizeChange(qemuMonitor *mon, const char *devAlias,
                                      unsigned long long size)
{
    QEMU_MONITOR_CALLBACK(mon, domainMemoryDeviceSizeChange, devAlias, size);
}


void
qemuMonitorEmitJobStatusChange(qemuMonitor *mon, const char *jobname, const char *status)
{
    QEMU_MONITOR_CALLBACK(mon, domainJobStatusChange, jobname, status);
}


void
qemuMonitorEmitNetdevStreamDisconnected(qemuMonitor *mon, const char *netdevAlias)
{
    QEMU_MONITOR_CALLBACK(mon, domainNetdevStreamDisconnected, netdevAlias);
}


/* ---- commands: argument checks here, the JSON work in qemu_monitor_json.c ---- */

int
qemuMonitorSetCapabilities(qemuMonitor *mon)
{
    return qemuMonitorJSONSetCapabilities(mon);
}


int
qemuMonitorGetStatus(qemuMonitor *mon, bool *running, qemuMonitorVMStatus *status)
{
    return qemuMonitorJSONGetStatus(mon, running, status);
}


int
qemuMonitorGetVersion(qemuMonitor *mon, int *major, int *minor, int *micro,
                      char **package)
{
    return qemuMonitorJSONGetVersion(mon, major, minor, micro, package);
}


int
qemuMonitorStartCPUs(qemuMonitor *mon)
{
    return qemuMonitorJSONSimpleCommand(mon, "cont");
}


int
qemuMonitorStopCPUs(qemuMonitor *mon)
{
    return qemuMonitorJSONSimpleCommand(mon, "stop");
}


int
qemuMonitorSystemPowerdown(qemuMonitor *mon)
{
    return qemuMonitorJSONSimpleCommand(mon, "system_powerdown");
}


int
qemuMonitorSystemReset(qemuMonitor *mon)
{
    return qemuMonitorJSONSimpleCommand(mon, "system_reset");
}


int
qemuMonitorQuit(qemuMonitor *mon)
{
    return qemuMonitorJSONSimpleCommand(mon, "quit");
}


int
qemuMonitorSetLink(qemuMonitor *mon, const char *alias, bool up)
{
    g_return_val_if_fail(alias != NULL, -1);
    return qemuMonitorJSONSetLink(mon, alias, up);
}


int
qemuMonitorQueryRxFilter(qemuMonitor *mon, const char *alias, virNetDevRxFilter **filter)
{
    g_return_val_if_fail(alias != NULL, -1);
    return qemuMonitorJSONQueryRxFilter(mon, alias, filter);
}


int
qemuMonitorArbitraryCommand(qemuMonitor *mon, const char *cmd, char **reply, bool pretty)
{
    g_return_val_if_fail(cmd != NULL, -1);
    return qemuMonitorJSONArbitraryCommand(mon, cmd, reply, pretty);
}
