/* qemu_monitor.h: one QMP connection per domain: I/O, commands, event emission. */
#pragma once

#include <sys/types.h>

#include "internal.h"
#include "vireventthread.h"
#include "virjson.h"
#include "virnetdevrxfilter.h"

/* QEMU's lines are short except for a few replies (query-qmp-schema is ~200 KiB); a
 * peer that sends 10 MiB without a newline is broken or hostile, not busy. */
#define QEMU_MONITOR_MAX_LINE (10 * 1024 * 1024)

/* How long a command waits for its reply before it fails. QEMU answers in
 * milliseconds; a reply that has not come in 30 s will not come in useful time, and
 * the domain must stay controllable (destroy works without the monitor). */
#define QEMU_MONITOR_REPLY_TIMEOUT_MS (30 * 1000)

/* How long qemuMonitorOpen waits for the socket to accept and the greeting to come. */
#define QEMU_MONITOR_OPEN_TIMEOUT_MS (30 * 1000)

/* The domain a monitor belongs to; defined by the domain layer. The monitor only
 * passes it to callbacks and holds a reference on it (it embeds virObjectLockable). */
typedef struct _virDomainObj virDomainObj;

typedef struct _qemuMonitor qemuMonitor;

/* Run state reported by query-status; values follow QEMU's RunState. */
typedef enum {
    QEMU_MONITOR_VM_STATUS_DEBUG,
    QEMU_MONITOR_VM_STATUS_INMIGRATE,
    QEMU_MONITOR_VM_STATUS_INTERNAL_ERROR,
    QEMU_MONITOR_VM_STATUS_IO_ERROR,
    QEMU_MONITOR_VM_STATUS_PAUSED,
    QEMU_MONITOR_VM_STATUS_POSTMIGRATE,
    QEMU_MONITOR_VM_STATUS_PRELAUNCH,
    QEMU_MONITOR_VM_STATUS_FINISH_MIGRATE,
    QEMU_MONITOR_VM_STATUS_RESTORE_VM,
    QEMU_MONITOR_VM_STATUS_RUNNING,
    QEMU_MONITOR_VM_STATUS_SAVE_VM,
    QEMU_MONITOR_VM_STATUS_SHUTDOWN,
    QEMU_MONITOR_VM_STATUS_SUSPENDED,
    QEMU_MONITOR_VM_STATUS_WATCHDOG,
    QEMU_MONITOR_VM_STATUS_GUEST_PANICKED,
    QEMU_MONITOR_VM_STATUS_COLO,

    QEMU_MONITOR_VM_STATUS_LAST
} qemuMonitorVMStatus;

const char *qemuMonitorVMStatusTypeToString(int status);
int qemuMonitorVMStatusTypeFromString(const char *status);

/* Data of events whose payload has more than a couple of fields. */
typedef struct {
    char *device;      /* alias, may be NULL */
    char *nodename;    /* may be NULL */
    char *operation;   /* "read" / "write" */
    char *action;      /* "ignore" / "report" / "stop" */
    bool nospace;
    char *reason;      /* may be NULL */
} qemuMonitorIOErrorInfo;

typedef struct {
    int family;        /* 4, 6 or 0 for unix */
    char *host;
    char *port;        /* "service" for VNC */
    char *auth;        /* may be NULL */
} qemuMonitorGraphicsAddress;

typedef enum {
    QEMU_MONITOR_GRAPHICS_CONNECT,
    QEMU_MONITOR_GRAPHICS_INITIALIZE,
    QEMU_MONITOR_GRAPHICS_DISCONNECT,
} qemuMonitorGraphicsPhase;

typedef struct {
    char *alias;       /* may be NULL */
    char *slotType;
    char *slot;
    unsigned int source;
    unsigned int status;
} qemuMonitorAcpiOstInfo;

typedef struct {
    char *recipient;   /* "hypervisor" / "guest" */
    char *action;      /* "ignore" / "inject" / "fatal" / "reset" */
    bool actionRequired;
    bool recursive;
} qemuMonitorMemoryFailure;

typedef struct {
    char *netdev;
    bool gidStatus;
    unsigned long long subnetPrefix;
    unsigned long long interfaceId;
} qemuMonitorRdmaGidStatus;

/*
 * Callbacks run on the monitor's event thread with the monitor unlocked
 * (QEMU_MONITOR_CALLBACK). They must not block and must not send monitor commands:
 * anything that needs the monitor or the host is queued for a worker. Strings passed
 * in are owned by the caller; copy what you keep.
 */
typedef struct _qemuMonitorCallbacks qemuMonitorCallbacks;
struct _qemuMonitorCallbacks {
    /* QEMU closed the connection (it exited). No more callbacks follow. */
    void (*eofNotify)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    /* An I/O or protocol error ended the connection; the message says which. */
    void (*errorNotify)(qemuMonitor *mon, virDomainObj *vm, const char *message,
                        void *opaque);
    /* Every event, known or not, before its own callback. @details is the event's
     * data as JSON text, or NULL when it has none. */
    void (*domainEvent)(qemuMonitor *mon, virDomainObj *vm, const char *event,
                        long long seconds, unsigned int micros, const char *details,
                        void *opaque);
    /* Whether domainEvent has anyone to tell; false skips formatting the data.
     * Called without locks on the event thread for every event: keep it to an
     * atomic read. Unset means always. */
    bool (*domainEventWanted)(void *opaque);

    void (*domainShutdown)(qemuMonitor *mon, virDomainObj *vm, int guest,
                           const char *reason, void *opaque);  /* guest: -1 unknown */
    void (*domainReset)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainStop)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainResume)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainRTCChange)(qemuMonitor *mon, virDomainObj *vm, long long offset,
                            const char *qomPath, void *opaque);
    void (*domainWatchdog)(qemuMonitor *mon, virDomainObj *vm, const char *action,
                           void *opaque);
    void (*domainIOError)(qemuMonitor *mon, virDomainObj *vm,
                          const qemuMonitorIOErrorInfo *info, void *opaque);
    void (*domainGraphics)(qemuMonitor *mon, virDomainObj *vm, const char *protocol,
                           qemuMonitorGraphicsPhase phase,
                           const qemuMonitorGraphicsAddress *local,
                           const qemuMonitorGraphicsAddress *remote, void *opaque);
    void (*domainSpiceMigrated)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainTrayChange)(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                             const char *devid, bool open, void *opaque);
    void (*domainPMWakeup)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainPMSuspend)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainPMSuspendDisk)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainBalloonChange)(qemuMonitor *mon, virDomainObj *vm,
                                unsigned long long actualKiB, void *opaque);
    void (*domainGuestPanic)(qemuMonitor *mon, virDomainObj *vm, const char *action,
                             const char *infoJSON, void *opaque);
    void (*domainGuestCrashloaded)(qemuMonitor *mon, virDomainObj *vm, void *opaque);
    void (*domainDeviceDeleted)(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                                void *opaque);
    void (*domainDeviceUnplugError)(qemuMonitor *mon, virDomainObj *vm,
                                    const char *devPath, const char *devAlias,
                                    void *opaque);
    void (*domainNicRxFilterChanged)(qemuMonitor *mon, virDomainObj *vm,
                                     const char *devAlias, void *opaque);
    void (*domainSerialChange)(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                               bool connected, void *opaque);
    void (*domainMigrationStatus)(qemuMonitor *mon, virDomainObj *vm, const char *status,
                                  void *opaque);
    void (*domainMigrationPass)(qemuMonitor *mon, virDomainObj *vm, int pass,
                                void *opaque);
    void (*domainAcpiOstInfo)(qemuMonitor *mon, virDomainObj *vm,
                              const qemuMonitorAcpiOstInfo *info, void *opaque);
    void (*domainBlockThreshold)(qemuMonitor *mon, virDomainObj *vm, const char *nodename,
                                 unsigned long long threshold,
                                 unsigned long long excess, void *opaque);
    void (*domainDumpCompleted)(qemuMonitor *mon, virDomainObj *vm, int status,
                                unsigned long long total, unsigned long long completed,
                                const char *error, void *opaque);
    void (*domainPRManagerStatusChanged)(qemuMonitor *mon, virDomainObj *vm,
                                         const char *prManager, bool connected,
                                         void *opaque);
    void (*domainRdmaGidStatusChanged)(qemuMonitor *mon, virDomainObj *vm,
                                       const qemuMonitorRdmaGidStatus *info, void *opaque);
    void (*domainMemoryFailure)(qemuMonitor *mon, virDomainObj *vm,
                                const qemuMonitorMemoryFailure *info, void *opaque);
    void (*domainMemoryDeviceSizeChange)(qemuMonitor *mon, virDomainObj *vm,
                                         const char *devAlias, unsigned long long size,
                                         void *opaque);
    void (*domainJobStatusChange)(qemuMonitor *mon, virDomainObj *vm, const char *jobname,
                                  const char *status, void *opaque);
    void (*domainNetdevStreamDisconnected)(qemuMonitor *mon, virDomainObj *vm,
                                           const char *netdevAlias, void *opaque);
};

/*
 * Opening: connects to @socketPath (retrying while QEMU creates it) or takes over an
 * already connected @fd, within @timeoutMs (0: QEMU_MONITOR_OPEN_TIMEOUT_MS), giving up
 * at once when process @pid (if > 0) exits meanwhile; watches the connection on
 * @evt (an event thread shared by many monitors), waits for the
 * greeting and runs qmp_capabilities. Events that arrive meanwhile are dispatched.
 * The monitor holds a reference on @vm until it is disposed. Returns NULL with an
 * error on failure (@fd is closed then too).
 */
qemuMonitor *qemuMonitorOpen(virDomainObj *vm, const char *socketPath, pid_t pid,
                             unsigned int timeoutMs, virEventThread *evt,
                             const qemuMonitorCallbacks *cb, void *opaque);
qemuMonitor *qemuMonitorOpenFD(virDomainObj *vm, int fd, unsigned int timeoutMs,
                               virEventThread *evt, const qemuMonitorCallbacks *cb,
                               void *opaque);

/* Detaches from the event thread, shuts the socket down, fails a waiting command, and
 * drops the caller's reference. No callback starts after it returns (one already
 * running may finish; the monitor and its domain stay referenced meanwhile). NULL is
 * a no-op. */
void qemuMonitorClose(qemuMonitor *mon);

/* Per-monitor reply timeout (tests and configuration); default
 * QEMU_MONITOR_REPLY_TIMEOUT_MS. */
void qemuMonitorSetReplyTimeout(qemuMonitor *mon, unsigned int timeoutMs);

/* The greeting's QEMU version, known once qemuMonitorOpen returned. */
void qemuMonitorGetGreetingVersion(qemuMonitor *mon, int *major, int *minor, int *micro);

/*
 * Commands. Each sends one command and waits for its reply without holding any lock
 * the event thread needs (the caller holds the domain's job, not its lock). 0 on
 * success, -1 with an error naming the command and QEMU's message on failure.
 */
int qemuMonitorSetCapabilities(qemuMonitor *mon);
int qemuMonitorGetStatus(qemuMonitor *mon, bool *running, qemuMonitorVMStatus *status);
int qemuMonitorGetVersion(qemuMonitor *mon, int *major, int *minor, int *micro,
                          char **package);
int qemuMonitorStartCPUs(qemuMonitor *mon);
int qemuMonitorStopCPUs(qemuMonitor *mon);
int qemuMonitorSystemPowerdown(qemuMonitor *mon);
int qemuMonitorSystemReset(qemuMonitor *mon);
int qemuMonitorQuit(qemuMonitor *mon);
/* Sets the link of NIC @alias up or down (what the guest sees as carrier). */
int qemuMonitorSetLink(qemuMonitor *mon, const char *alias, bool up);
int qemuMonitorQueryRxFilter(qemuMonitor *mon, const char *alias,
                             virNetDevRxFilter **filter);
/* Sends @cmd (a JSON command text) as is and returns QEMU's reply text (compact, or
 * indented with @pretty), error replies included: virsh qemu-monitor-command. */
int qemuMonitorArbitraryCommand(qemuMonitor *mon, const char *cmd, char **reply,
                                bool pretty);

/* Used by qemu_monitor_json.c: the message in flight, and sending it. */
typedef struct _qemuMonitorMessage qemuMonitorMessage;
struct _qemuMonitorMessage {
    const char *command;      /* the command's name, for messages */
    char *id;                 /* the command's "id" */
    char *txBuffer;           /* the whole line to send, CRLF included */
    size_t txLength;
    virJSONValue *reply;      /* set by the event thread */
    bool finished;
};

int qemuMonitorSend(qemuMonitor *mon, qemuMonitorMessage *msg);
char *qemuMonitorNextCommandID(qemuMonitor *mon);

/* Emitters, called by the JSON event decoders on the event thread with the monitor
 * locked; each reaches its callback through QEMU_MONITOR_CALLBACK. */
void qemuMonitorEmitEvent(qemuMonitor *mon, const char *event, long long seconds,
                          unsigned int micros, virJSONValue *data);
void qemuMonitorEmitShutdown(qemuMonitor *mon, int guest, const char *reason);
void qemuMonitorEmitReset(qemuMonitor *mon);
void qemuMonitorEmitStop(qemuMonitor *mon);
void qemuMonitorEmitResume(qemuMonitor *mon);
void qemuMonitorEmitRTCChange(qemuMonitor *mon, long long offset, const char *qomPath);
void qemuMonitorEmitWatchdog(qemuMonitor *mon, const char *action);
void qemuMonitorEmitIOError(qemuMonitor *mon, const qemuMonitorIOErrorInfo *info);
void qemuMonitorEmitGraphics(qemuMonitor *mon, const char *protocol,
                             qemuMonitorGraphicsPhase phase,
                             const qemuMonitorGraphicsAddress *local,
                             const qemuMonitorGraphicsAddress *remote);
void qemuMonitorEmitSpiceMigrated(qemuMonitor *mon);
void qemuMonitorEmitTrayChange(qemuMonitor *mon, const char *devAlias, const char *devid,
                               bool open);
void qemuMonitorEmitPMWakeup(qemuMonitor *mon);
void qemuMonitorEmitPMSuspend(qemuMonitor *mon);
void qemuMonitorEmitPMSuspendDisk(qemuMonitor *mon);
void qemuMonitorEmitBalloonChange(qemuMonitor *mon, unsigned long long actualKiB);
void qemuMonitorEmitGuestPanic(qemuMonitor *mon, const char *action,
                               const char *infoJSON);
void qemuMonitorEmitGuestCrashloaded(qemuMonitor *mon);
void qemuMonitorEmitDeviceDeleted(qemuMonitor *mon, const char *devAlias);
void qemuMonitorEmitDeviceUnplugError(qemuMonitor *mon, const char *devPath,
                                      const char *devAlias);
void qemuMonitorEmitNicRxFilterChanged(qemuMonitor *mon, const char *devAlias);
void qemuMonitorEmitSerialChange(qemuMonitor *mon, const char *devAlias, bool connected);
void qemuMonitorEmitMigrationStatus(qemuMonitor *mon, const char *status);
void qemuMonitorEmitMigrationPass(qemuMonitor *mon, int pass);
void qemuMonitorEmitAcpiOstInfo(qemuMonitor *mon, const qemuMonitorAcpiOstInfo *info);
void qemuMonitorEmitBlockThreshold(qemuMonitor *mon, const char *nodename,
                                   unsigned long long threshold,
                                   unsigned long long excess);
void qemuMonitorEmitDumpCompleted(qemuMonitor *mon, int status, unsigned long long total,
                                  unsigned long long completed, const char *error);
void qemuMonitorEmitPRManagerStatusChanged(qemuMonitor *mon, const char *prManager,
                                           bool connected);
void qemuMonitorEmitRdmaGidStatusChanged(qemuMonitor *mon,
                                         const qemuMonitorRdmaGidStatus *info);
void qemuMonitorEmitMemoryFailure(qemuMonitor *mon, const qemuMonitorMemoryFailure *info);
void qemuMonitorEmitMemoryDeviceSizeChange(qemuMonitor *mon, const char *devAlias,
                                           unsigned long long size);
void qemuMonitorEmitJobStatusChange(qemuMonitor *mon, const char *jobname,
                                    const char *status);
void qemuMonitorEmitNetdevStreamDisconnected(qemuMonitor *mon, const char *netdevAlias);

/* Called by qemu_monitor_json.c on the event thread, monitor locked: the reply to the
 * message in flight arrived (ownership of @reply passes to the sender). */
void qemuMonitorMessageReplied(qemuMonitor *mon, virJSONValue *reply);

/* Called by qemu_monitor_json.c when the greeting arrives. */
void qemuMonitorSetGreeting(qemuMonitor *mon, int major, int minor, int micro);
