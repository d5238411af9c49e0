/* qemu_domain.h: per-domain QEMU state, jobs, and the events queued for workers. */
#pragma once

#include "virdomainobj.h"
#include "qemu_conf.h"
#include "qemu_monitor.h"
#include "virnetdev.h"

/* Events that the monitor callbacks hand to a worker because handling them needs
 * the monitor or the host. Add a value here, a case in qemuProcessEventHandler and a
 * process*Event function for each new one. */
typedef enum {
    QEMU_PROCESS_EVENT_WATCHDOG = 0,
    QEMU_PROCESS_EVENT_GUESTPANIC,
    QEMU_PROCESS_EVENT_DEVICE_DELETED,
    QEMU_PROCESS_EVENT_NIC_RX_FILTER_CHANGED,
    QEMU_PROCESS_EVENT_SERIAL_CHANGED,
    QEMU_PROCESS_EVENT_JOB_STATUS_CHANGE,
    QEMU_PROCESS_EVENT_MONITOR_EOF,
    QEMU_PROCESS_EVENT_RESET,

    QEMU_PROCESS_EVENT_LAST
} qemuProcessEventType;

const char *qemuProcessEventTypeToString(int type);

typedef struct _qemuProcessEvent qemuProcessEvent;
struct _qemuProcessEvent {
    virDomainObj *vm;              /* a reference, dropped by qemuProcessEventFree */
    qemuProcessEventType eventType;
    unsigned long long runId;      /* the run of the domain the event came from */
    int action;                    /* event specific */
    int status;                    /* event specific */
    char *data;                    /* event specific: device alias, action name... */
};

void qemuProcessEventFree(qemuProcessEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuProcessEvent, qemuProcessEventFree);

/* How long a thread waits for another thread's job on the same domain. Monitor
 * commands take milliseconds; 30 s covers a slow QEMU under load and still gives
 * an API caller an answer in useful time. */
#define QEMU_JOB_WAIT_TIME_MS (30 * 1000)

typedef struct _qemuDomainObjPrivate qemuDomainObjPrivate;
struct _qemuDomainObjPrivate {
    qemuDriver *driver;
    qemuMonitor *mon;
    GCond jobCond;                 /* waits with the domain's lock */
    bool jobActive;
    const char *jobOwner;          /* what holds the job, for messages */
    bool gotShutdown;              /* QEMU reported SHUTDOWN before it exited */
    GHashTable *rxFilterHostState; /* NIC alias -> virNetDevRxFilterHostState */
    char *monitorPath;             /* the QMP socket of the running QEMU */
    GPtrArray *createdDevices;     /* host devices this run created (macvtaps) */
    virEventThreadWatch *pidWatch; /* fires when QEMU exits (pidfd) */
    unsigned int eventsDropped;    /* at the queue bound, since the last report */
    gint64 eventsDropReportAt;     /* monotonic µs of that report; 0: not dropping */
    int pidWatchFd;
};

qemuDomainObjPrivate *qemuDomainObjPrivateNew(qemuDriver *driver);
void qemuDomainObjPrivateFree(void *priv);

static inline qemuDomainObjPrivate *
qemuDomainObjGetPrivate(virDomainObj *vm)
{
    return vm->privateData;
}

/*
 * Jobs: a thread that talks to the monitor for a domain holds the domain's job.
 * Call with the domain locked; waits (dropping the lock) up to QEMU_JOB_WAIT_TIME_MS.
 * Returns 0 with the job held, or -1 with an error naming the domain and the holder.
 */
int qemuDomainObjBeginJob(virDomainObj *vm, const char *owner);
void qemuDomainObjEndJob(virDomainObj *vm);

/*
 * Monitor access inside a job: Enter drops the domain lock and returns a reference
 * on the monitor (NULL with an error when the domain has none); Exit relocks, drops
 * the reference, and returns -1 with an error when the domain stopped or was
 * restarted (its run id changed) meanwhile.
 */
qemuMonitor *qemuDomainObjEnterMonitor(virDomainObj *vm);
int qemuDomainObjExitMonitor(virDomainObj *vm, qemuMonitor *mon, unsigned long long runId);

/*
 * What follows a stop (by any path): a transient domain leaves driver->domains; a
 * persistent one whose definition changed while it ran (newDef) takes it as its def.
 * Call with @vm locked and referenced, without its job; the lock is dropped and
 * retaken while the list is updated (list -> object order). A no-op for an active or
 * already removed domain.
 */
void qemuDomainRemoveInactive(qemuDriver *driver, virDomainObj *vm);

/* Tells the driver's event subscribers that @vm (locked) had the lifecycle event
 * @event (virDomainEventType) with @detail (its detail enum). */
void qemuDomainEmitLifecycle(qemuDriver *driver, virDomainObj *vm, int event, int detail);

/* The rx filter bookkeeping of NIC @alias, created on first use. */
virNetDevRxFilterHostState *qemuDomainGetRxFilterHostState(virDomainObj *vm,
                                                           const char *alias);

/*
 * How far a run of QEMU has got, as its live state file records it. A qvirtd killed
 * in the middle of a start or a stop leaves the file behind; the next one reads
 * there what to finish (qemuProcessReconnect), so that nothing the run made (QEMU,
 * macvtaps, files) outlives it and the domain ends in the right state.
 */
typedef enum {
    QEMU_DOMAIN_PHASE_RUNNING = 0,  /* started: taken over (files without a phase) */
    QEMU_DOMAIN_PHASE_STARTING,     /* the start did not finish: ended, shut off (failed) */
    QEMU_DOMAIN_PHASE_STOPPING,     /* a stop began: finished, with the stop's reason */

    QEMU_DOMAIN_PHASE_LAST
} qemuDomainPhase;

const char *qemuDomainPhaseTypeToString(int phase);
int qemuDomainPhaseTypeFromString(const char *str);

/* libvirt's names of the shut-off reasons (virDomainShutoffReason), as its own
 * status files spell them: "destroyed", "crashed", ... */
const char *qemuDomainShutoffReasonTypeToString(int reason);
int qemuDomainShutoffReasonTypeFromString(const char *str);

/* What a live state file (<stateDir>/NAME.xml, written during start) records. */
typedef struct _qemuDomainStatus qemuDomainStatus;
struct _qemuDomainStatus {
    virDomainDef *def;       /* the live definition */
    pid_t pid;               /* 0 while starting, before QEMU was spawned */
    unsigned long long runId;
    qemuDomainPhase phase;
    int stopReason;          /* virDomainShutoffReason of a stop (phase STOPPING) */
    char *monitorPath;
    GStrv devices;           /* host devices the run created */
};

/* Reads the live state file @path. Returns NULL with an error naming the file and
 * what is wrong with it. */
qemuDomainStatus *qemuDomainStatusParseFile(const char *path);
void qemuDomainStatusFree(qemuDomainStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuDomainStatus, qemuDomainStatusFree);
