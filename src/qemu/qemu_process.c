/* qemu_process.c: QEMU lifecycle pieces, monitor callbacks, and the event workers. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libvirt/libvirt.h>

#include "qemu_command.h"
#include "qemu_process.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetdevtap.h"
#include "virnetlink.h"
#include "virobject.h"
#include "virprocess.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("qemu.qemu_process");


/* ---- queueing: what the event thread does, and all it does ---- */

/* Two waiting rx filter events for the same NIC are one: the worker queries QEMU
 * for the current filter, so the later event adds nothing. The same holds for
 * RESET, which re-syncs every NIC. */
static bool
qemuProcessEventMerge(const void *queued, const void *incoming)
{
    const qemuProcessEvent *a = queued;
    const qemuProcessEvent *b = incoming;

    if (a->eventType != b->eventType || a->runId != b->runId)
        return false;
    switch (a->eventType) {
    case QEMU_PROCESS_EVENT_NIC_RX_FILTER_CHANGED:
        return STREQ_NULLABLE(a->data, b->data);
    case QEMU_PROCESS_EVENT_RESET:
        return true;
    default:
        return false;
    }
}


/* How often drops at a domain's event bound are reported while they go on. */
#define QEMU_PROCESS_EVENTS_DROPPED_REPORT_S 10


void
qemuProcessQueueEvent(qemuDriver *driver, virDomainObj *vm, qemuProcessEventType type,
                      char *data, int action)
{
    qemuProcessEvent *event = g_new0(qemuProcessEvent, 1);
    /* Losing these would lose state: QEMU's exit, and an rx filter change (QEMU
     * stays silent for that NIC until it is queried). Both merge, so they stay
     * bounded by the number of NICs. */
    bool mustAccept = type == QEMU_PROCESS_EVENT_MONITOR_EOF ||
                      type == QEMU_PROCESS_EVENT_NIC_RX_FILTER_CHANGED ||
                      type == QEMU_PROCESS_EVENT_RESET;

    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    virWorkQueueResult rc;
    gint64 now;

    event->vm = virObjectRef(vm);
    event->eventType = type;
    event->runId = vm->runId;
    event->data = data;
    event->action = action;
    rc = virWorkQueuePush(driver->workers, vm, event, qemuProcessEventMerge, mustAccept);

    /* A flooding QEMU keeps the queue at its bound, an event in for each one out:
     * drops are reported when they start, then at most once a period with a count. */
    if (rc != VIR_WORK_QUEUE_REFUSED && priv->eventsDropped == 0)
        return;
    now = g_get_monotonic_time();
    if (rc == VIR_WORK_QUEUE_REFUSED) {
        priv->eventsDropped++;
        if (priv->eventsDropReportAt == 0) {
            VIR_WARN("Domain '%s' has %d events waiting, its bound: dropping %s; further drops are counted and reported every %d s.",
                     vm->def->name, QEMU_DRIVER_EVENTS_PER_DOMAIN_MAX,
                     qemuProcessEventTypeToString(type), QEMU_PROCESS_EVENTS_DROPPED_REPORT_S);
            priv->eventsDropped = 0;
            priv->eventsDropReportAt = now;
            return;
        }
    }
    if (now - priv->eventsDropReportAt < QEMU_PROCESS_EVENTS_DROPPED_REPORT_S * G_USEC_PER_SEC)
        return;
    if (rc == VIR_WORK_QUEUE_REFUSED) {
        VIR_WARN("Domain '%s' dropped %u more events at its bound in the last %d s.",
                 vm->def->name, priv->eventsDropped, QEMU_PROCESS_EVENTS_DROPPED_REPORT_S);
        priv->eventsDropReportAt = now;
    } else {
        VIR_WARN("Domain '%s' caught up with its events; %u more were dropped at its bound.",
                 vm->def->name, priv->eventsDropped);
        priv->eventsDropReportAt = 0;
    }
    priv->eventsDropped = 0;
}


static void
qemuProcessHandleEOF(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    virObjectLock(vm);
    VIR_DEBUG("QEMU monitor of domain '%s' reached EOF", vm->def->name);
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_MONITOR_EOF, NULL, 0);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleMonitorError(qemuMonitor *mon, virDomainObj *vm, const char *message,
                              void *opaque)
{
    virObjectLock(vm);
    VIR_WARN("QEMU monitor of domain '%s' failed: %s", vm->def->name, message);
    /* The connection is gone either way; the worker treats it as QEMU's exit. */
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_MONITOR_EOF, NULL, 1);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleShutdown(qemuMonitor *mon, virDomainObj *vm, int guest,
                          const char *reason, void *opaque)
{
    virObjectLock(vm);
    VIR_DEBUG("Domain '%s' shut down (guest=%d, reason=%s)", vm->def->name, guest,
              NULLSTR(reason));
    qemuDomainObjGetPrivate(vm)->gotShutdown = true;
    if (virDomainObjIsActive(vm)) {
        virDomainObjSetState(vm, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
        qemuDomainEmitLifecycle(opaque, vm, VIR_DOMAIN_EVENT_SHUTDOWN,
                                guest > 0 ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST :
                                guest == 0 ? VIR_DOMAIN_EVENT_SHUTDOWN_HOST :
                                VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED);
    }
    virObjectUnlock(vm);
}


static void
qemuProcessHandleReset(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuDriver *driver = opaque;

    virObjectLock(vm);
    /* The guest's NICs are back to their default receive mode, with no event. */
    qemuProcessQueueEvent(driver, vm, QEMU_PROCESS_EVENT_RESET, NULL, 0);
    if (driver->events && virDomainObjIsActive(vm))
        virDomainEventBrokerEmitReboot(driver->events, vm->def->name, vm->def->uuid, vm->id);
    virObjectUnlock(vm);
}


/* Moves @vm (unlocked) to @state/@reason when it is in state @from, or in any
 * active state when @from is -1, and then tells the subscribers lifecycle event
 * @event/@detail: the inline handling of run-state events. */
static void
qemuProcessTransition(qemuDriver *driver, virDomainObj *vm, int from, int state,
                      int reason, int event, int detail)
{
    int current;

    virObjectLock(vm);
    current = virDomainObjGetState(vm, NULL);
    if (from < 0 ? virDomainObjIsActive(vm) : current == from) {
        virDomainObjSetState(vm, state, reason);
        if (current != state)
            qemuDomainEmitLifecycle(driver, vm, event, detail);
    }
    virObjectUnlock(vm);
}


static void
qemuProcessHandleStop(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuProcessTransition(opaque, vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED,
                          VIR_DOMAIN_PAUSED_UNKNOWN, VIR_DOMAIN_EVENT_SUSPENDED,
                          VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
}


static void
qemuProcessHandleResume(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuProcessTransition(opaque, vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_RUNNING,
                          VIR_DOMAIN_RUNNING_UNPAUSED, VIR_DOMAIN_EVENT_RESUMED,
                          VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
}


static void
qemuProcessHandleWatchdog(qemuMonitor *mon, virDomainObj *vm, const char *action,
                          void *opaque)
{
    virObjectLock(vm);
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_WATCHDOG, g_strdup(action), 0);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleGuestPanic(qemuMonitor *mon, virDomainObj *vm, const char *action,
                            const char *info, void *opaque)
{
    virObjectLock(vm);
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_GUESTPANIC, g_strdup(action), 0);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleDeviceDeleted(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                               void *opaque)
{
    virObjectLock(vm);
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_DEVICE_DELETED, g_strdup(devAlias), 0);
    virObjectUnlock(vm);
}


/* Allocates the event and queues it; nothing else happens on the event thread. */
static void
qemuProcessHandleNicRxFilterChanged(qemuMonitor *mon, virDomainObj *vm,
                                    const char *devAlias, void *opaque)
{
    virObjectLock(vm);
    VIR_DEBUG("Domain '%s' NIC '%s' changed its rx filter", vm->def->name, devAlias);
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_NIC_RX_FILTER_CHANGED,
                          g_strdup(devAlias), 0);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleSerialChanged(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                               bool connected, void *opaque)
{
    virObjectLock(vm);
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_SERIAL_CHANGED,
                          g_strdup(devAlias), connected);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleJobStatusChange(qemuMonitor *mon, virDomainObj *vm, const char *jobname,
                                 const char *status, void *opaque)
{
    virObjectLock(vm);
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_JOB_STATUS_CHANGE,
                          g_strdup_printf("%s %s", jobname, status), 0);
    virObjectUnlock(vm);
}


/* ---- events that only change state or are noted: handled inline ---- */

static void
qemuProcessHandlePMSuspend(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuProcessTransition(opaque, vm, -1, VIR_DOMAIN_PMSUSPENDED,
                          VIR_DOMAIN_PMSUSPENDED_UNKNOWN, VIR_DOMAIN_EVENT_PMSUSPENDED,
                          VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY);
}


/* QEMU exits once the guest has written its image; EOF then ends the run. */
static void
qemuProcessHandlePMSuspendDisk(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuProcessTransition(opaque, vm, -1, VIR_DOMAIN_PMSUSPENDED,
                          VIR_DOMAIN_PMSUSPENDED_DISK_UNKNOWN, VIR_DOMAIN_EVENT_PMSUSPENDED,
                          VIR_DOMAIN_EVENT_PMSUSPENDED_DISK);
}


static void
qemuProcessHandlePMWakeup(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuProcessTransition(opaque, vm, VIR_DOMAIN_PMSUSPENDED, VIR_DOMAIN_RUNNING,
                          VIR_DOMAIN_RUNNING_WAKEUP, VIR_DOMAIN_EVENT_STARTED,
                          VIR_DOMAIN_EVENT_STARTED_WAKEUP);
}


static void
qemuProcessHandleIOError(qemuMonitor *mon, virDomainObj *vm,
                         const qemuMonitorIOErrorInfo *info, void *opaque)
{
    virObjectLock(vm);
    VIR_WARN("I/O error on disk '%s' of domain '%s' (%s, action %s): %s",
             NULLSTR(info->device ? info->device : info->nodename), vm->def->name,
             info->operation, info->action, NULLSTR(info->reason));
    /* QEMU stops the CPUs itself (a STOP event follows); the reason is ours. */
    if (STREQ(info->action, "stop") && virDomainObjIsActive(vm)) {
        bool wasPaused = virDomainObjGetState(vm, NULL) == VIR_DOMAIN_PAUSED;

        virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR);
        if (!wasPaused)
            qemuDomainEmitLifecycle(opaque, vm, VIR_DOMAIN_EVENT_SUSPENDED,
                                    VIR_DOMAIN_EVENT_SUSPENDED_IOERROR);
    }
    virObjectUnlock(vm);
}


static void
qemuProcessHandleGuestCrashloaded(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    virObjectLock(vm);
    VIR_WARN("Guest of domain '%s' crashed and loaded its crash kernel.", vm->def->name);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleRTCChange(qemuMonitor *mon, virDomainObj *vm, long long offset,
                           const char *qomPath, void *opaque)
{
    VIR_DEBUG("Guest RTC of domain %p moved to offset %lld", vm, offset);
}


static void
qemuProcessHandleBalloonChange(qemuMonitor *mon, virDomainObj *vm,
                               unsigned long long actualKiB, void *opaque)
{
    VIR_DEBUG("Balloon of domain %p is now %llu KiB", vm, actualKiB);
}


static void
qemuProcessHandleTrayChange(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                            const char *devid, bool open, void *opaque)
{
    VIR_DEBUG("Tray of '%s' in domain %p %s", devid, vm, open ? "opened" : "closed");
}


static void
qemuProcessHandleDeviceUnplugError(qemuMonitor *mon, virDomainObj *vm,
                                   const char *devPath, const char *devAlias, void *opaque)
{
    VIR_WARN("Guest of domain %p refused to unplug device '%s'.", vm,
             devAlias ? devAlias : devPath);
}


static void
qemuProcessHandleMemoryFailure(qemuMonitor *mon, virDomainObj *vm,
                               const qemuMonitorMemoryFailure *info, void *opaque)
{
    VIR_WARN("Memory failure in domain %p: recipient %s, action %s", vm,
             info->recipient, info->action);
}


static void
qemuProcessHandleNetdevStreamDisconnected(qemuMonitor *mon, virDomainObj *vm,
                                          const char *netdevAlias, void *opaque)
{
    VIR_WARN("Network backend '%s' of domain %p lost its stream connection.",
             netdevAlias, vm);
}


/*
 * Events of features qvirt does not offer yet (graphics, migration, dumps, block
 * jobs, persistent reservations, RDMA, memory devices, ACPI hotplug status) are
 * noted at debug level; the generic event callback carries them to clients.
 */
static void
qemuProcessHandleGraphics(qemuMonitor *mon, virDomainObj *vm, const char *protocol,
                          qemuMonitorGraphicsPhase phase,
                          const qemuMonitorGraphicsAddress *local,
                          const qemuMonitorGraphicsAddress *remote, void *opaque)
{
    VIR_DEBUG("%s client %s:%s phase %d on domain %p", protocol, remote->host,
              remote->port, phase, vm);
}


static void
qemuProcessHandleSpiceMigrated(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    VIR_DEBUG("SPICE migration completed on domain %p", vm);
}


static void
qemuProcessHandleMigrationStatus(qemuMonitor *mon, virDomainObj *vm, const char *status,
                                 void *opaque)
{
    VIR_DEBUG("Migration status of domain %p: %s", vm, status);
}


static void
qemuProcessHandleMigrationPass(qemuMonitor *mon, virDomainObj *vm, int pass, void *opaque)
{
    VIR_DEBUG("Migration pass %d of domain %p", pass, vm);
}


static void
qemuProcessHandleAcpiOstInfo(qemuMonitor *mon, virDomainObj *vm,
                             const qemuMonitorAcpiOstInfo *info, void *opaque)
{
    VIR_DEBUG("ACPI OST on domain %p: %s slot %s source %u status %u", vm,
              info->slotType, info->slot, info->source, info->status);
}


static void
qemuProcessHandleBlockThreshold(qemuMonitor *mon, virDomainObj *vm, const char *nodename,
                                unsigned long long threshold, unsigned long long excess,
                                void *opaque)
{
    VIR_DEBUG("Block threshold %llu of '%s' exceeded by %llu on domain %p", threshold,
              nodename, excess, vm);
}


static void
qemuProcessHandleDumpCompleted(qemuMonitor *mon, virDomainObj *vm, int status,
                               unsigned long long total, unsigned long long completed,
                               const char *error, void *opaque)
{
    VIR_DEBUG("Dump of domain %p finished: %d (%llu/%llu) %s", vm, status, completed,
              total, NULLSTR(error));
}


static void
qemuProcessHandlePRManagerStatusChanged(qemuMonitor *mon, virDomainObj *vm,
                                        const char *prManager, bool connected, void *opaque)
{
    VIR_DEBUG("PR manager '%s' of domain %p %s", prManager, vm,
              connected ? "connected" : "disconnected");
}


static void
qemuProcessHandleRdmaGidStatusChanged(qemuMonitor *mon, virDomainObj *vm,
                                      const qemuMonitorRdmaGidStatus *info, void *opaque)
{
    VIR_DEBUG("RDMA GID status of '%s' on domain %p: %d", info->netdev, vm, info->gidStatus);
}


static void
qemuProcessHandleMemoryDeviceSizeChange(qemuMonitor *mon, virDomainObj *vm,
                                        const char *devAlias, unsigned long long size,
                                        void *opaque)
{
    VIR_DEBUG("Memory device '%s' of domain %p is now %llu bytes", devAlias, vm, size);
}


/* Every QMP event, before its own member: forwarded to the clients subscribed with
 * virsh qemu-monitor-event. The monitor formats the data for it; the forwarding is
 * skipped without a lock while nobody subscribes. */
static void
qemuProcessHandleEvent(qemuMonitor *mon, virDomainObj *vm, const char *event,
                       long long seconds, unsigned int micros, const char *details,
                       void *opaque)
{
    qemuDriver *driver = opaque;

    if (!virDomainEventBrokerWantsQMP(driver->events))
        return;
    virObjectLock(vm);
    virDomainEventBrokerEmitQMP(driver->events, vm->def->name, vm->def->uuid,
                                virDomainObjIsActive(vm) ? vm->id : -1,
                                event, seconds, micros, details);
    virObjectUnlock(vm);
}


static bool
qemuProcessWantsEvents(void *opaque)
{
    qemuDriver *driver = opaque;

    return virDomainEventBrokerWantsQMP(driver->events);
}


/* Every member is set: each event the monitor decodes reaches the process layer
 * (qemuprocesseventtest checks), and domainEvent every event for API clients. */
const qemuMonitorCallbacks monitorCallbacks = {
    .domainEvent = qemuProcessHandleEvent,
    .domainEventWanted = qemuProcessWantsEvents,
    .eofNotify = qemuProcessHandleEOF,
    .errorNotify = qemuProcessHandleMonitorError,
    .domainShutdown = qemuProcessHandleShutdown,
    .domainReset = qemuProcessHandleReset,
    .domainStop = qemuProcessHandleStop,
    .domainResume = qemuProcessHandleResume,
    .domainWatchdog = qemuProcessHandleWatchdog,
    .domainGuestPanic = qemuProcessHandleGuestPanic,
    .domainDeviceDeleted = qemuProcessHandleDeviceDeleted,
    .domainNicRxFilterChanged = qemuProcessHandleNicRxFilterChanged,
    .domainSerialChange = qemuProcessHandleSerialChanged,
    .domainJobStatusChange = qemuProcessHandleJobStatusChange,
    .domainPMSuspend = qemuProcessHandlePMSuspend,
    .domainPMSuspendDisk = qemuProcessHandlePMSuspendDisk,
    .domainPMWakeup = qemuProcessHandlePMWakeup,
    .domainIOError = qemuProcessHandleIOError,
    .domainGuestCrashloaded = qemuProcessHandleGuestCrashloaded,
    .domainRTCChange = qemuProcessHandleRTCChange,
    .domainBalloonChange = qemuProcessHandleBalloonChange,
    .domainTrayChange = qemuProcessHandleTrayChange,
    .domainDeviceUnplugError = qemuProcessHandleDeviceUnplugError,
    .domainMemoryFailure = qemuProcessHandleMemoryFailure,
    .domainNetdevStreamDisconnected = qemuProcessHandleNetdevStreamDisconnected,
    .domainGraphics = qemuProcessHandleGraphics,
    .domainSpiceMigrated = qemuProcessHandleSpiceMigrated,
    .domainMigrationStatus = qemuProcessHandleMigrationStatus,
    .domainMigrationPass = qemuProcessHandleMigrationPass,
    .domainAcpiOstInfo = qemuProcessHandleAcpiOstInfo,
    .domainBlockThreshold = qemuProcessHandleBlockThreshold,
    .domainDumpCompleted = qemuProcessHandleDumpCompleted,
    .domainPRManagerStatusChanged = qemuProcessHandlePRManagerStatusChanged,
    .domainRdmaGidStatusChanged = qemuProcessHandleRdmaGidStatusChanged,
    .domainMemoryDeviceSizeChange = qemuProcessHandleMemoryDeviceSizeChange,
};


/* ---- the worker side ---- */

static bool
qemuProcessNetIsVirtio(const virDomainNetDef *net)
{
    return net->model && STREQ(net->model, "virtio");
}


/*
 * Queries QEMU for NIC @net's filter and mirrors it onto the host. Called in a job
 * with @vm locked; returns with it locked. The query runs for every trusted virtio
 * NIC whatever its type, because it also re-arms QEMU's one-shot event.
 */
static void
qemuProcessSyncNicRxFilter(virDomainObj *vm, virDomainNetDef *net, unsigned long long runId)
{
    g_autoptr(virNetDevRxFilter) guest = NULL;
    g_autofree char *ifname = g_strdup(net->ifname);
    g_autofree char *alias = g_strdup(net->alias);
    virNetDevRxFilterHostState *state = qemuDomainGetRxFilterHostState(vm, alias);
    virDomainNetType type = net->type;
    qemuMonitor *mon;
    int rc;

    if (!(mon = qemuDomainObjEnterMonitor(vm))) {
        VIR_WARN("Cannot query the rx filter of NIC '%s' of domain '%s': %s",
                 alias, vm->def->name, virErrorGetLastMessage());
        virResetLastError();
        return;
    }
    rc = qemuMonitorQueryRxFilter(mon, alias, &guest);
    if (qemuDomainObjExitMonitor(vm, mon, runId) < 0 || rc < 0) {
        VIR_WARN("Cannot query the rx filter of NIC '%s' of domain '%s': %s",
                 alias, vm->def->name, virErrorGetLastMessage());
        virResetLastError();
        return;
    }

    /* The domain lock stayed dropped during the query: look the NIC up again. */
    if (!(net = virDomainNetFindByAlias(vm->def, alias)))
        return;

    if (virMacAddrCmp(&guest->mac, &net->mac) != 0) {
        net->currentMac = guest->mac;
        net->hasCurrentMac = true;
    } else {
        net->hasCurrentMac = false;
    }

    switch (type) {
    case VIR_DOMAIN_NET_TYPE_DIRECT:
        if (ifname) {
            int failed = virNetDevRxFilterSync(ifname, guest, state);
            VIR_DEBUG("Mirrored NIC '%s' of domain '%s' onto '%s': %d steps failed",
                      alias, vm->def->name, ifname, failed);
        }
        break;
    case VIR_DOMAIN_NET_TYPE_BRIDGE:
    case VIR_DOMAIN_NET_TYPE_NETWORK:
        /* The tap is a bridge port: keep the bridge forwarding to the guest's
         * current MAC where the port does not learn it. Multicast and promiscuous
         * mode need nothing: a tap passes QEMU every frame the kernel gives it,
         * and QEMU filters by the guest's table itself. */
        if (ifname) {
            int failed = virNetDevBridgePortSync(ifname, guest, state);
            VIR_DEBUG("Mirrored NIC '%s' of domain '%s' onto bridge port '%s': %d steps failed",
                      alias, vm->def->name, ifname, failed);
        }
        break;
    case VIR_DOMAIN_NET_TYPE_ETHERNET:
        /* A plain tap that qvirt attached to nothing: whatever routes or bridges
         * it is the host's own set-up, so there is nothing qvirt may change; the
         * query above re-armed the event. */
        break;
    case VIR_DOMAIN_NET_TYPE_LAST:
        break;
    }
}


void
qemuProcessRefreshRxFilters(virDomainObj *vm, unsigned long long runId)
{
    size_t i;

    for (i = 0; i < vm->def->nnets && virDomainObjIsActive(vm) && vm->runId == runId; i++) {
        virDomainNetDef *net = vm->def->nets[i];

        if (net->trustGuestRxFilters != VIR_TRISTATE_BOOL_YES || !qemuProcessNetIsVirtio(net))
            continue;
        qemuProcessSyncNicRxFilter(vm, net, runId);
    }
}


static void
processNicRxFilterChangedEvent(virDomainObj *vm, const char *devAlias,
                               unsigned long long runId)
{
    virDomainNetDef *net;

    if (qemuDomainObjBeginJob(vm, "processNicRxFilterChangedEvent") < 0) {
        VIR_WARN("Dropping NIC_RX_FILTER_CHANGED of domain '%s': %s",
                 vm->def->name, virErrorGetLastMessage());
        virResetLastError();
        return;
    }

    if (!virDomainObjIsActive(vm) || vm->runId != runId) {
        VIR_DEBUG("Domain '%s' stopped or restarted; ignoring an rx filter event of '%s'",
                  vm->def->name, devAlias);
        goto endjob;
    }
    if (!(net = virDomainNetFindByAlias(vm->def, devAlias))) {
        VIR_WARN("Domain '%s' has no NIC '%s' for its NIC_RX_FILTER_CHANGED event.",
                 vm->def->name, devAlias);
        goto endjob;
    }
    if (!qemuProcessNetIsVirtio(net)) {
        VIR_WARN("NIC '%s' of domain '%s' is not virtio; QEMU cannot report its rx filter.",
                 devAlias, vm->def->name);
        goto endjob;
    }
    if (net->trustGuestRxFilters != VIR_TRISTATE_BOOL_YES) {
        /* Not queried: QEMU stays silent for this NIC until something queries it,
         * which is what trusting it later does. */
        VIR_DEBUG("NIC '%s' of domain '%s' is not trusted; its rx filter is not mirrored",
                  devAlias, vm->def->name);
        goto endjob;
    }

    qemuProcessSyncNicRxFilter(vm, net, runId);

 endjob:
    qemuDomainObjEndJob(vm);
}


static void
processResetEvent(virDomainObj *vm, unsigned long long runId)
{
    if (qemuDomainObjBeginJob(vm, "processResetEvent") < 0) {
        VIR_WARN("Cannot re-sync NICs of domain '%s' after a reset: %s",
                 vm->def->name, virErrorGetLastMessage());
        virResetLastError();
        return;
    }
    if (virDomainObjIsActive(vm) && vm->runId == runId)
        qemuProcessRefreshRxFilters(vm, runId);
    qemuDomainObjEndJob(vm);
}


static void
processMonitorEOFEvent(virDomainObj *vm, unsigned long long runId, bool monitorError)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);

    if (!virDomainObjIsActive(vm) || vm->runId != runId) {
        VIR_DEBUG("Ignoring a monitor EOF of an earlier run of domain '%s'", vm->def->name);
        return;
    }
    if (qemuDomainObjBeginJob(vm, "processMonitorEOFEvent") < 0) {
        VIR_WARN("Cannot mark domain '%s' as stopped: %s", vm->def->name,
                 virErrorGetLastMessage());
        virResetLastError();
        return;
    }
    if (virDomainObjIsActive(vm) && vm->runId == runId) {
        VIR_INFO("QEMU of domain '%s' exited (%s)", vm->def->name,
                 priv->gotShutdown ? "shut down" : monitorError ? "monitor failed" : "crashed");
        qemuProcessStop(priv->driver, vm, priv->gotShutdown ? VIR_DOMAIN_SHUTOFF_SHUTDOWN :
                                                              VIR_DOMAIN_SHUTOFF_CRASHED);
    }
    qemuDomainObjEndJob(vm);
    /* A transient domain ends with its QEMU; a persistent one takes its next def. */
    qemuDomainRemoveInactive(priv->driver, vm);
}


static void
processGuestPanicEvent(virDomainObj *vm, const char *action)
{
    VIR_WARN("Guest of domain '%s' panicked; QEMU's action: %s", vm->def->name,
             NULLSTR(action));
    if (virDomainObjIsActive(vm) && virDomainObjGetState(vm, NULL) != VIR_DOMAIN_CRASHED) {
        virDomainObjSetState(vm, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
        qemuDomainEmitLifecycle(qemuDomainObjGetPrivate(vm)->driver, vm,
                                VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    }
}


void
qemuProcessEventHandler(void *data, void *opaque)
{
    qemuProcessEvent *event = data;
    virDomainObj *vm = event->vm;

    virObjectLock(vm);
    VIR_DEBUG("domain '%s' event %s", vm->def->name,
              qemuProcessEventTypeToString(event->eventType));

    switch (event->eventType) {
    case QEMU_PROCESS_EVENT_NIC_RX_FILTER_CHANGED:
        processNicRxFilterChangedEvent(vm, event->data, event->runId);
        break;
    case QEMU_PROCESS_EVENT_RESET:
        processResetEvent(vm, event->runId);
        break;
    case QEMU_PROCESS_EVENT_MONITOR_EOF:
        processMonitorEOFEvent(vm, event->runId, event->action != 0);
        break;
    case QEMU_PROCESS_EVENT_GUESTPANIC:
        processGuestPanicEvent(vm, event->data);
        break;
    case QEMU_PROCESS_EVENT_WATCHDOG:
        VIR_WARN("Watchdog of domain '%s' fired; QEMU's action: %s", vm->def->name,
                 NULLSTR(event->data));
        break;
    case QEMU_PROCESS_EVENT_DEVICE_DELETED:
        VIR_INFO("QEMU deleted device '%s' of domain '%s'", NULLSTR(event->data),
                 vm->def->name);
        break;
    case QEMU_PROCESS_EVENT_SERIAL_CHANGED:
        VIR_DEBUG("Serial port '%s' of domain '%s' is %s", NULLSTR(event->data),
                  vm->def->name, event->action ? "connected" : "disconnected");
        break;
    case QEMU_PROCESS_EVENT_JOB_STATUS_CHANGE:
        VIR_DEBUG("Block job of domain '%s': %s", vm->def->name, NULLSTR(event->data));
        break;
    case QEMU_PROCESS_EVENT_LAST:
        break;
    }
    virObjectUnlock(vm);
    /* The work queue frees the event (qemuProcessEventFree), which drops the
     * domain reference taken when it was queued. */
}


/* ---- lifecycle: start and stop ---- */

/* A running domain's id, as libvirt numbers them: 1, 2, 3, ... in start order,
 * never reused while the driver lives. */
static int
qemuProcessAllocDomainId(qemuDriver *driver)
{
    return g_atomic_int_add(&driver->lastDomainId, 1) + 1;
}


/* A domain taken over keeps its id; later ids count on from above it. */
static void
qemuProcessReserveDomainId(qemuDriver *driver, int id)
{
    int last;

    do {
        last = g_atomic_int_get(&driver->lastDomainId);
    } while (last < id && !g_atomic_int_compare_and_exchange(&driver->lastDomainId, last, id));
}


char *
qemuProcessStatusPath(qemuDriver *driver, virDomainObj *vm)
{
    g_autofree char *file = g_strdup_printf("%s.xml", vm->def->name);

    return g_build_filename(driver->stateDir, file, NULL);
}


/*
 * Opens the character device of macvtap @ifname. Its numbers come from sysfs;
 * /dev/tapN (N = ifindex) is used only when it carries those numbers, because
 * ifindexes are per network namespace while /dev is not: another namespace's
 * macvtap with the same index may own that name. Otherwise (no udev, or such a
 * clash) qvirt makes a private node in its state folder.
 */
static int
qemuProcessOpenMacvtap(qemuDriver *driver, const char *ifname)
{
    g_autofree char *devPath = NULL;
    g_autofree char *sysPath = NULL;
    g_autofree char *numbers = NULL;
    g_autofree char *node = NULL;
    unsigned int major, minor;
    struct stat sb;
    int ifindex;
    int fd;

    if (virNetlinkLinkIndex(ifname, &ifindex) < 0)
        return -1;
    devPath = g_strdup_printf("/dev/tap%d", ifindex);
    sysPath = g_strdup_printf("/sys/class/net/%s/macvtap/tap%d/dev", ifname, ifindex);
    if (!g_file_get_contents(sysPath, &numbers, NULL, NULL) ||
        sscanf(numbers, "%u:%u", &major, &minor) != 2) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Cannot find the character device of macvtap '%1$s' ('%2$s' is missing or unreadable)."),
                       ifname, sysPath);
        return -1;
    }

    if (stat(devPath, &sb) == 0 && S_ISCHR(sb.st_mode) &&
        sb.st_rdev == makedev(major, minor)) {
        if ((fd = open(devPath, O_RDWR | O_CLOEXEC)) < 0)
            virReportSystemError(errno, _("Cannot open '%1$s' of macvtap '%2$s'"),
                                 devPath, ifname);
        return fd;
    }

    node = g_strdup_printf("%s/tap%d", driver->stateDir, ifindex);
    unlink(node);
    if (mknod(node, S_IFCHR | 0600, makedev(major, minor)) < 0) {
        virReportSystemError(errno, _("Cannot create the device node '%1$s' of macvtap '%2$s'"),
                             node, ifname);
        return -1;
    }
    fd = open(node, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        virReportSystemError(errno, _("Cannot open '%1$s' of macvtap '%2$s'"), node, ifname);
    unlink(node);
    return fd;
}


static const int qemuProcessMacvtapModes[] = {
    [VIR_DOMAIN_NET_MACVTAP_MODE_VEPA] = VIR_NETLINK_MACVTAP_MODE_VEPA,
    [VIR_DOMAIN_NET_MACVTAP_MODE_PRIVATE] = VIR_NETLINK_MACVTAP_MODE_PRIVATE,
    [VIR_DOMAIN_NET_MACVTAP_MODE_BRIDGE] = VIR_NETLINK_MACVTAP_MODE_BRIDGE,
    [VIR_DOMAIN_NET_MACVTAP_MODE_PASSTHROUGH] = VIR_NETLINK_MACVTAP_MODE_PASSTHRU,
};
G_STATIC_ASSERT(G_N_ELEMENTS(qemuProcessMacvtapModes) == VIR_DOMAIN_NET_MACVTAP_MODE_LAST);


/* The first free device name @prefix0, @prefix1, ... on this host. */
static char *
qemuProcessFreeDeviceName(const char *prefix)
{
    int i;

    for (i = 0; i < 100000; i++) {
        g_autofree char *name = g_strdup_printf("%s%d", prefix, i);
        if (virNetDevExists(name) == 0)
            return g_steal_pointer(&name);
    }
    virReportError(VIR_ERR_OPERATION_FAILED, _("No free device name starting with '%1$s'."),
                   prefix);
    return NULL;
}


/*
 * Creates the host side of NIC @net and returns the fd QEMU gets: a macvtap on the
 * source device for type='direct', a tap (attached to the bridge for
 * type='bridge') otherwise. A macvtap is recorded in @priv->createdDevices; a tap
 * disappears by itself when its last fd closes.
 */
static int
qemuProcessPrepareNet(qemuDriver *driver, virDomainObj *vm, virDomainNetDef *net)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    int fd = -1;

    if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Interface '%1$s' of domain '%2$s' uses a libvirt network, which qvirt does not manage."),
                       net->alias, vm->def->name);
        return -1;
    }
    if (!net->ifname)
        net->ifname = qemuProcessFreeDeviceName(net->type == VIR_DOMAIN_NET_TYPE_DIRECT ?
                                                "macvtap" : "vnet");
    if (!net->ifname)
        return -1;

    if (net->type == VIR_DOMAIN_NET_TYPE_DIRECT) {
        if (virNetlinkMacvtapCreate(net->ifname, net->sourceDev,
                                    qemuProcessMacvtapModes[net->mode], &net->mac) < 0)
            return -1;
        g_ptr_array_add(priv->createdDevices, g_strdup(net->ifname));
        if (virNetlinkLinkSetUp(net->ifname, true) < 0)
            return -1;
        return qemuProcessOpenMacvtap(driver, net->ifname);
    }

    if (virNetDevTapCreate(net->ifname, &fd) < 0)
        return -1;
    {
        /* The host side of a tap carries the guest MAC with the first byte 0xfe, so
         * a bridge never takes the guest's own address for the port's. */
        virMacAddr hostMac = net->mac;
        hostMac.addr[0] = 0xfe;
        if (virNetDevSetMAC(net->ifname, &hostMac) < 0 ||
            (net->type == VIR_DOMAIN_NET_TYPE_BRIDGE &&
             virNetlinkLinkSetMaster(net->ifname, net->bridge) < 0) ||
            virNetlinkLinkSetUp(net->ifname, true) < 0) {
            close(fd);
            return -1;
        }
    }
    return fd;
}


/* Deletes the macvtaps this run created; failures are logged, not reported. */
static void
qemuProcessDeleteDevices(virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    size_t i;

    for (i = 0; i < priv->createdDevices->len; i++) {
        const char *name = g_ptr_array_index(priv->createdDevices, i);

        if (virNetlinkLinkDelete(name) < 0) {
            VIR_WARN("Cannot delete device '%s' of domain '%s': %s", name, vm->def->name,
                     virErrorGetLastMessage());
            virResetLastError();
        }
    }
    g_ptr_array_set_size(priv->createdDevices, 0);
}


/* What QEMU wrote to its log during the last start (after qvirt's "starting:"
 * line), at most the last 1 KiB, to explain why it exited. */
static char *
qemuProcessLogTail(const char *logPath)
{
    g_autofree char *contents = NULL;
    const char *start;
    const char *mark;
    size_t len;

    if (!g_file_get_contents(logPath, &contents, NULL, NULL))
        return g_strdup(_("(QEMU's log cannot be read)"));
    start = contents;
    while ((mark = strstr(start, "starting: ")) &&
           (mark == contents || mark[-1] == '\n')) {
        const char *eol = strchr(mark, '\n');
        if (!eol)
            break;
        start = eol + 1;
    }
    len = strlen(start);
    if (len > 1024)
        start += len - 1024;
    if (!*start)
        return g_strdup(_("(QEMU wrote nothing to its log)"));
    return g_strstrip(g_strdup(start));
}


/*
 * Writes @vm's live state file: where the run is (@phase; @stopReason for a stop),
 * QEMU's pid (0 before it is spawned), the monitor socket, the host devices created
 * so far and the live definition. Written as each of these comes to be during a
 * start, and when a stop begins, so that a qvirtd killed at any point leaves what
 * the next one needs to clean up.
 */
static int
qemuProcessWriteStatus(qemuDriver *driver, virDomainObj *vm, qemuDomainPhase phase,
                       int stopReason)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    g_autofree char *path = qemuProcessStatusPath(driver, vm);
    g_autofree char *domxml = virDomainDefFormat(vm->def, VIR_DOMAIN_DEF_FORMAT_LIVE);
    g_autoptr(GString) xml = g_string_new(NULL);
    g_autoptr(GError) err = NULL;
    size_t i;

    if (!domxml)
        return -1;
    g_string_append_printf(xml, "<domstatus pid='%lld' runId='%llu' phase='%s'",
                           (long long)vm->pid, vm->runId,
                           qemuDomainPhaseTypeToString(phase));
    if (phase == QEMU_DOMAIN_PHASE_STOPPING)
        g_string_append_printf(xml, " reason='%s'",
                               qemuDomainShutoffReasonTypeToString(stopReason));
    g_string_append(xml, ">\n");
    g_string_append_printf(xml, "  <monitor path='%s'/>\n", priv->monitorPath);
    for (i = 0; i < priv->createdDevices->len; i++)
        g_string_append_printf(xml, "  <hostdev name='%s'/>\n",
                               (const char *)g_ptr_array_index(priv->createdDevices, i));
    g_string_append(xml, domxml);
    g_string_append(xml, "</domstatus>\n");
    if (!g_file_set_contents_full(path, xml->str, xml->len,
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err)) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Cannot write the live state of domain '%1$s' to '%2$s': %3$s"),
                       vm->def->name, path, err->message);
        return -1;
    }
    return 0;
}


typedef struct {
    qemuDriver *driver;
    virDomainObj *vm;
    unsigned long long runId;
    virEventThreadWatch *handle;   /* set with the domain locked */
} qemuProcessPidWatch;


static void
qemuProcessPidWatchFree(gpointer opaque)
{
    qemuProcessPidWatch *watch = opaque;

    virObjectUnref(watch->vm);
    g_free(watch);
}


/* QEMU exited: the same path as the monitor's EOF, which usually comes first
 * (the earlier run of the two is ignored by the run id check). */
static gboolean
qemuProcessPidExited(int fd, GIOCondition cond, gpointer opaque)
{
    qemuProcessPidWatch *watch = opaque;

    qemuDomainObjPrivate *priv;

    VIR_TSAN_ACQUIRE(watch);
    virObjectLock(watch->vm);
    priv = qemuDomainObjGetPrivate(watch->vm);
    if (virDomainObjIsActive(watch->vm) && watch->vm->runId == watch->runId)
        qemuProcessQueueEvent(watch->driver, watch->vm, QEMU_PROCESS_EVENT_MONITOR_EOF,
                              NULL, 0);
    /* Removed here, with the domain locked, before anyone may close the pidfd;
     * unless a later run has a watch of its own (this one was removed then). */
    if (priv && priv->pidWatch == watch->handle)
        virEventThreadWatchRemove(g_steal_pointer(&priv->pidWatch));
    virObjectUnlock(watch->vm);
    return G_SOURCE_REMOVE;
}


/*
 * Watches QEMU's exit with a pidfd on the event thread. It works the same for a
 * child and for a QEMU taken over after a restart (no longer our child), and does
 * not rely on the monitor, which a wedged QEMU may keep open. Failure is logged:
 * the monitor's EOF still ends the run.
 */
static void
qemuProcessWatchPid(qemuDriver *driver, virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    qemuProcessPidWatch *watch;
    int fd;

    if ((fd = virProcessOpenPidfd(vm->pid)) < 0) {
        VIR_WARN("Domain '%s': %s", vm->def->name, virErrorGetLastMessage());
        virResetLastError();
        return;
    }
    watch = g_new0(qemuProcessPidWatch, 1);
    watch->driver = driver;
    watch->vm = virObjectRef(vm);
    watch->runId = vm->runId;
    VIR_TSAN_RELEASE(watch);
    /* The domain is locked: the callback cannot look at the handle before it is set. */
    watch->handle = virEventThreadWatchFD(driver->eventThread, fd, G_IO_IN,
                                          qemuProcessPidExited, watch,
                                          qemuProcessPidWatchFree);
    if (!watch->handle) {
        VIR_WARN("Domain '%s': cannot watch QEMU's pidfd: %s", vm->def->name,
                 g_strerror(errno));
        close(fd);
        return;
    }
    priv->pidWatch = watch->handle;
    priv->pidWatchFd = fd;
}


static void
qemuProcessUnwatchPid(qemuDomainObjPrivate *priv)
{
    virEventThreadWatchRemove(g_steal_pointer(&priv->pidWatch));
    if (priv->pidWatchFd >= 0) {
        close(priv->pidWatchFd);
        priv->pidWatchFd = -1;
    }
}


/* Tears down whatever a start or a run left: monitor, process, devices, files. */
static void
qemuProcessCleanup(qemuDriver *driver, virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    g_autofree char *status = qemuProcessStatusPath(driver, vm);
    qemuMonitor *mon = g_steal_pointer(&priv->mon);

    qemuProcessUnwatchPid(priv);
    if (mon) {
        /* Closing takes the monitor lock; a callback may be waiting for ours. */
        virObjectUnlock(vm);
        qemuMonitorClose(mon);
        virObjectLock(vm);
    }
    if (vm->pid > 0) {
        pid_t pid = vm->pid;

        virObjectUnlock(vm);
        if (virProcessTerminate(pid, QEMU_PROCESS_STOP_GRACE_MS) < 0) {
            VIR_WARN("Cannot end QEMU of domain '%s': %s", vm->def->name,
                     virErrorGetLastMessage());
            virResetLastError();
        }
        virObjectLock(vm);
    }
    vm->pid = 0;
    qemuProcessDeleteDevices(vm);
    g_hash_table_remove_all(priv->rxFilterHostState);
    if (priv->monitorPath)
        unlink(priv->monitorPath);
    g_clear_pointer(&priv->monitorPath, g_free);
    unlink(status);
    priv->gotShutdown = false;
}


int
qemuProcessStart(qemuDriver *driver, virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    g_autofree char *emulator = NULL;
    g_autofree char *logFile = g_strdup_printf("%s.log", vm->def->name);
    g_autofree char *logPath = g_build_filename(driver->logDir, logFile, NULL);
    g_autofree char *cmdline = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(GArray) fds = g_array_new(FALSE, FALSE, sizeof(int));
    qemuCommandParams params = { 0 };
    unsigned long long runId;
    qemuMonitor *mon;
    int logfd = -1;
    size_t i;

    if (qemuDomainObjBeginJob(vm, "qemuProcessStart") < 0)
        return -1;
    /* Checked in the job: two starts of one domain must not both pass. */
    if (virDomainObjIsActive(vm)) {
        virReportError(VIR_ERR_OPERATION_INVALID, _("Domain '%1$s' is already running."),
                       vm->def->name);
        qemuDomainObjEndJob(vm);
        return -1;
    }
    runId = ++vm->runId;
    /* Active from here on, as in libvirt: a lookup shows the domain starting, a
     * second start or an undefine sees it running, and it has its id. */
    virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP);
    vm->id = qemuProcessAllocDomainId(driver);
    vm->def->id = vm->id;

    if (g_mkdir_with_parents(driver->stateDir, 0700) < 0 ||
        g_mkdir_with_parents(driver->logDir, 0700) < 0) {
        virReportSystemError(errno, _("Cannot create '%1$s' or '%2$s'"), driver->stateDir,
                             driver->logDir);
        goto error;
    }
    if (!(emulator = qemuFindEmulator(vm->def, driver->defaultEmulator)))
        goto error;

    priv->monitorPath = g_strdup_printf("%s/%s.monitor", driver->stateDir, vm->def->name);
    unlink(priv->monitorPath);
    for (i = 0; i < vm->def->nnets; i++) {
        int fd = qemuProcessPrepareNet(driver, vm, vm->def->nets[i]);
        if (fd < 0)
            goto error;
        g_array_append_val(fds, fd);
        /* A macvtap outlives qvirtd: record it at once. */
        if (qemuProcessWriteStatus(driver, vm, QEMU_DOMAIN_PHASE_STARTING, 0) < 0)
            goto error;
    }

    params.emulator = emulator;
    params.monitorPath = priv->monitorPath;
    params.kvm = driver->kvm;
    params.netFds = (const int *)(void *)fds->data;
    params.nnetFds = fds->len;
    if (!(argv = qemuBuildCommandLine(vm->def, &params)))
        goto error;

    if ((logfd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, _("Cannot open QEMU's log '%1$s'"), logPath);
        goto error;
    }
    cmdline = qemuBuildCommandLineString((const char *const *)argv);
    {
        g_autofree char *line = g_strdup_printf("starting: %s\n", cmdline);
        ignore_value(write(logfd, line, strlen(line)));
    }
    VIR_INFO("Starting domain '%s': %s", vm->def->name, cmdline);

    if (virProcessSpawn((const char *const *)argv, params.netFds, fds->len, logfd,
                        &vm->pid) < 0)
        goto error;
    if (qemuProcessWriteStatus(driver, vm, QEMU_DOMAIN_PHASE_STARTING, 0) < 0)
        goto error;
    for (i = 0; i < fds->len; i++)
        close(g_array_index(fds, int, i));
    g_array_set_size(fds, 0);
    qemuProcessWatchPid(driver, vm);
    close(logfd);
    logfd = -1;

    /* The monitor's first events lock the domain: let them while we wait. */
    virObjectUnlock(vm);
    mon = qemuMonitorOpen(vm, priv->monitorPath, vm->pid, 0,
                          driver->eventThread,
                          &monitorCallbacks, driver);
    virObjectLock(vm);
    if (!mon)
        goto error;
    priv->mon = mon;
    if (driver->monitorReplyTimeoutMs)
        qemuMonitorSetReplyTimeout(mon, driver->monitorReplyTimeoutMs);

    /* Arm every trusted NIC's event and mirror its state before the guest runs. */
    qemuProcessRefreshRxFilters(vm, runId);
    if (!virDomainObjIsActive(vm) || vm->runId != runId) {
        virReportError(VIR_ERR_OPERATION_FAILED, _("QEMU of domain '%1$s' exited while starting."),
                       vm->def->name);
        goto error;
    }
    {
        qemuMonitor *m;
        g_autoptr(GPtrArray) down = g_ptr_array_new_with_free_func(g_free);
        int rc = 0;

        /* <link state='down'> has no command-line form: QEMU learns it before the
         * guest runs. */
        for (i = 0; i < vm->def->nnets; i++) {
            if (vm->def->nets[i]->linkState == VIR_DOMAIN_NET_LINK_STATE_DOWN)
                g_ptr_array_add(down, g_strdup(vm->def->nets[i]->alias));
        }
        if (!(m = qemuDomainObjEnterMonitor(vm)))
            goto error;
        for (i = 0; i < down->len && rc == 0; i++)
            rc = qemuMonitorSetLink(m, g_ptr_array_index(down, i), false);
        if (rc == 0)
            rc = qemuMonitorStartCPUs(m);
        if (qemuDomainObjExitMonitor(vm, m, runId) < 0 || rc < 0)
            goto error;
    }
    virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    if (qemuProcessWriteStatus(driver, vm, QEMU_DOMAIN_PHASE_RUNNING, 0) < 0)
        goto error;
    qemuDomainEmitLifecycle(driver, vm, VIR_DOMAIN_EVENT_STARTED,
                            VIR_DOMAIN_EVENT_STARTED_BOOTED);
    qemuDomainObjEndJob(vm);
    return 0;

 error:
    {
        g_autoptr(virQvirtError) saved = virErrorSave();
        bool exited = vm->pid > 0 && !virProcessIsAlive(vm->pid);

        for (i = 0; i < fds->len; i++)
            close(g_array_index(fds, int, i));
        if (logfd >= 0)
            close(logfd);
        qemuProcessCleanup(driver, vm);
        virDomainObjSetState(vm, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FAILED);
        vm->id = -1;
        vm->def->id = -1;
        if (exited) {
            g_autofree char *tail = qemuProcessLogTail(logPath);
            virReportError(VIR_ERR_OPERATION_FAILED,
                           _("Cannot start domain '%1$s': %2$s QEMU's log ends with: %3$s"),
                           vm->def->name, saved ? saved->message : _("QEMU exited."), tail);
        } else {
            virErrorRestore(&saved);
        }
    }
    qemuDomainObjEndJob(vm);
    return -1;
}


/* The VIR_DOMAIN_EVENT_STOPPED detail of shut-off reason @reason. */
static int
qemuProcessStoppedDetail(int reason)
{
    switch (reason) {
    case VIR_DOMAIN_SHUTOFF_SHUTDOWN:
        return VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
    case VIR_DOMAIN_SHUTOFF_DESTROYED:
        return VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
    case VIR_DOMAIN_SHUTOFF_CRASHED:
        return VIR_DOMAIN_EVENT_STOPPED_CRASHED;
    case VIR_DOMAIN_SHUTOFF_MIGRATED:
        return VIR_DOMAIN_EVENT_STOPPED_MIGRATED;
    case VIR_DOMAIN_SHUTOFF_SAVED:
        return VIR_DOMAIN_EVENT_STOPPED_SAVED;
    case VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT:
        return VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT;
    default:
        return VIR_DOMAIN_EVENT_STOPPED_FAILED;
    }
}


void
qemuProcessStop(qemuDriver *driver, virDomainObj *vm, int reason)
{
    VIR_INFO("Stopping domain '%s'", vm->def->name);
    /* QEMU may take its grace time to end: a qvirtd killed meanwhile leaves the
     * next one a record to finish the stop from. */
    if (vm->pid > 0 &&
        qemuProcessWriteStatus(driver, vm, QEMU_DOMAIN_PHASE_STOPPING, reason) < 0) {
        VIR_WARN("Domain '%s': %s", vm->def->name, virErrorGetLastMessage());
        virResetLastError();
    }
    qemuProcessCleanup(driver, vm);
    virDomainObjSetState(vm, VIR_DOMAIN_SHUTOFF, reason);
    vm->id = -1;
    vm->def->id = -1;
    qemuDomainEmitLifecycle(driver, vm, VIR_DOMAIN_EVENT_STOPPED,
                            qemuProcessStoppedDetail(reason));
}


/* Whether @vm's pid, read from its live state file, still runs its QEMU: alive and
 * started with its monitor socket. A QEMU that exited while qvirtd was away may
 * have left its pid to another program, which must not be signalled. */
static bool
qemuProcessIsOurQEMU(virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    g_autofree char *chardev = NULL;

    if (vm->pid <= 0 || !priv->monitorPath)
        return false;
    chardev = qemuBuildMonitorChardev(priv->monitorPath);
    return virProcessHasArgument(vm->pid, chardev);
}


/*
 * The last qvirtd ended in the middle of @vm's start or stop (its live state file
 * says which): finishes what it began. A start is ended, as a start that failed; a
 * stop is completed with the reason it had. QEMU gets no grace time: a starting one
 * ran no guest yet, a stopping one got its SIGTERM already.
 */
static void
qemuProcessFinishInterrupted(qemuDriver *driver, virDomainObj *vm,
                             const qemuDomainStatus *status)
{
    bool starting = status->phase == QEMU_DOMAIN_PHASE_STARTING;

    VIR_WARN("qvirtd ended while domain '%s' was %s; %s it.", vm->def->name,
             starting ? "starting" : "stopping", starting ? "ending" : "finishing");
    if (starting)
        virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP);
    else
        virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    if (qemuProcessIsOurQEMU(vm) && virProcessTerminate(vm->pid, 0) < 0) {
        VIR_WARN("Cannot end QEMU of domain '%s': %s", vm->def->name,
                 virErrorGetLastMessage());
        virResetLastError();
    }
    vm->pid = 0;
    qemuProcessStop(driver, vm, starting ? VIR_DOMAIN_SHUTOFF_FAILED : status->stopReason);
}


int
qemuProcessReconnect(qemuDriver *driver, virDomainObj *vm, const qemuDomainStatus *status)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    qemuMonitorVMStatus qemuStatus;
    qemuMonitor *mon;
    bool running = false;
    size_t i;
    int rc;

    if (qemuDomainObjBeginJob(vm, "qemuProcessReconnect") < 0)
        return -1;

    vm->runId = status->runId;
    vm->pid = status->pid;
    /* The live XML recorded the id; files from before ids were recorded get one. */
    vm->id = vm->def->id > 0 ? vm->def->id : qemuProcessAllocDomainId(driver);
    qemuProcessReserveDomainId(driver, vm->id);
    vm->def->id = vm->id;
    g_free(priv->monitorPath);
    priv->monitorPath = g_strdup(status->monitorPath);
    for (i = 0; status->devices && status->devices[i]; i++)
        g_ptr_array_add(priv->createdDevices, g_strdup(status->devices[i]));

    if (status->phase != QEMU_DOMAIN_PHASE_RUNNING) {
        qemuProcessFinishInterrupted(driver, vm, status);
        qemuDomainObjEndJob(vm);
        return 0;
    }
    if (!qemuProcessIsOurQEMU(vm)) {
        VIR_WARN("QEMU of domain '%s' (pid %lld) exited while qvirtd was away; cleaning up.",
                 vm->def->name, (long long)vm->pid);
        virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
        vm->pid = 0;
        qemuProcessStop(driver, vm, VIR_DOMAIN_SHUTOFF_CRASHED);
        qemuDomainObjEndJob(vm);
        return 0;
    }
    virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    qemuProcessWatchPid(driver, vm);

    virObjectUnlock(vm);
    mon = qemuMonitorOpen(vm, priv->monitorPath, vm->pid, 0,
                          driver->eventThread,
                          &monitorCallbacks, driver);
    virObjectLock(vm);
    if (!mon)
        goto error;
    priv->mon = mon;
    if (driver->monitorReplyTimeoutMs)
        qemuMonitorSetReplyTimeout(mon, driver->monitorReplyTimeoutMs);

    if (!(mon = qemuDomainObjEnterMonitor(vm)))
        goto error;
    rc = qemuMonitorGetStatus(mon, &running, &qemuStatus);
    if (qemuDomainObjExitMonitor(vm, mon, status->runId) < 0 || rc < 0)
        goto error;
    if (running)
        virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    else
        virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);

    /* Events sent while qvirtd was away are lost: query every trusted NIC. The host
     * state is unknown, so each NIC's first sync reads it once. */
    qemuProcessRefreshRxFilters(vm, status->runId);
    VIR_INFO("Reconnected to QEMU of domain '%s' (pid %lld)", vm->def->name,
             (long long)vm->pid);
    qemuDomainObjEndJob(vm);
    return 0;

 error:
    {
        g_autoptr(virQvirtError) saved = virErrorSave();

        VIR_WARN("Cannot reconnect to QEMU of domain '%s': %s; stopping it.", vm->def->name,
                 saved ? saved->message : "");
        qemuProcessStop(driver, vm, VIR_DOMAIN_SHUTOFF_FAILED);
        virErrorRestore(&saved);
    }
    qemuDomainObjEndJob(vm);
    return -1;
}


size_t
qemuProcessReconnectAll(qemuDriver *driver)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) err = NULL;
    const char *entry;
    size_t taken = 0;

    if (!(dir = g_dir_open(driver->stateDir, 0, &err))) {
        if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            VIR_WARN("Cannot read '%s' for running domains: %s", driver->stateDir,
                     err->message);
        return 0;
    }
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autoptr(qemuDomainStatus) status = NULL;
        virDomainObj *vm;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        path = g_build_filename(driver->stateDir, entry, NULL);
        if (!(status = qemuDomainStatusParseFile(path))) {
            VIR_WARN("Skipping live state file '%s': %s", path, virErrorGetLastMessage());
            virResetLastError();
            continue;
        }
        if (!(vm = virDomainObjListAdd(driver->domains, &status->def))) {
            VIR_WARN("Skipping live state file '%s': %s", path, virErrorGetLastMessage());
            virResetLastError();
            continue;
        }
        vm->privateData = qemuDomainObjPrivateNew(driver);
        vm->privateDataFree = qemuDomainObjPrivateFree;
        if (qemuProcessReconnect(driver, vm, status) < 0) {
            VIR_WARN("Cannot take over domain '%s': %s", vm->def->name,
                     virErrorGetLastMessage());
            virResetLastError();
        } else if (virDomainObjIsActive(vm)) {
            taken++;
        }
        virDomainObjEndAPI(&vm);
    }
    return taken;
}


void
qemuProcessDetach(virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    qemuMonitor *mon;

    if (!priv)
        return;
    qemuProcessUnwatchPid(priv);
    if ((mon = g_steal_pointer(&priv->mon))) {
        virObjectUnlock(vm);
        qemuMonitorClose(mon);
        virObjectLock(vm);
    }
}
