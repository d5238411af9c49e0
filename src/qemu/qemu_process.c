/* qemu_process.c: QEMU lifecycle pieces, monitor callbacks, and the event workers. */
#include <config.h>

#include <libvirt/libvirt.h>

#include "qemu_process.h"
#include "virerror.h"
#include "virlog.h"
#include "virobject.h"

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

    event->vm = virObjectRef(vm);
    event->eventType = type;
    event->runId = vm->runId;
    event->data = data;
    event->action = action;
    virWorkQueuePush(driver->workers, vm, event, qemuProcessEventMerge, mustAccept);
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
    if (virDomainObjIsActive(vm))
        virDomainObjSetState(vm, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleReset(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    virObjectLock(vm);
    /* The guest's NICs are back to their default receive mode, with no event. */
    qemuProcessQueueEvent(opaque, vm, QEMU_PROCESS_EVENT_RESET, NULL, 0);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleStop(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    int reason;

    virObjectLock(vm);
    if (virDomainObjGetState(vm, &reason) == VIR_DOMAIN_RUNNING)
        virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
    virObjectUnlock(vm);
}


static void
qemuProcessHandleResume(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    int reason;

    virObjectLock(vm);
    if (virDomainObjGetState(vm, &reason) == VIR_DOMAIN_PAUSED)
        virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    virObjectUnlock(vm);
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
    virObjectLock(vm);
    if (virDomainObjIsActive(vm))
        virDomainObjSetState(vm, VIR_DOMAIN_PMSUSPENDED, VIR_DOMAIN_PMSUSPENDED_UNKNOWN);
    virObjectUnlock(vm);
}


static void
qemuProcessHandlePMSuspendDisk(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    virObjectLock(vm);
    /* QEMU exits once the guest has written its image; EOF then ends the run. */
    if (virDomainObjIsActive(vm))
        virDomainObjSetState(vm, VIR_DOMAIN_PMSUSPENDED, VIR_DOMAIN_PMSUSPENDED_DISK_UNKNOWN);
    virObjectUnlock(vm);
}


static void
qemuProcessHandlePMWakeup(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    int reason;

    virObjectLock(vm);
    if (virDomainObjGetState(vm, &reason) == VIR_DOMAIN_PMSUSPENDED)
        virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_WAKEUP);
    virObjectUnlock(vm);
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
    if (STREQ(info->action, "stop") && virDomainObjIsActive(vm))
        virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR);
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


/* Every member but the generic domainEvent is set: each event the monitor decodes
 * reaches the process layer (qemuprocesseventtest checks). domainEvent stays unset
 * until clients can subscribe, because setting it makes the monitor format every
 * event's data as text. */
const qemuMonitorCallbacks monitorCallbacks = {
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
        virDomainObjSetState(vm, VIR_DOMAIN_SHUTOFF,
                             priv->gotShutdown ? VIR_DOMAIN_SHUTOFF_SHUTDOWN :
                                                 VIR_DOMAIN_SHUTOFF_CRASHED);
        qemuMonitorClose(g_steal_pointer(&priv->mon));
        g_hash_table_remove_all(priv->rxFilterHostState);
        priv->gotShutdown = false;
        vm->pid = 0;
        vm->id = -1;
    }
    qemuDomainObjEndJob(vm);
}


static void
processGuestPanicEvent(virDomainObj *vm, const char *action)
{
    VIR_WARN("Guest of domain '%s' panicked; QEMU's action: %s", vm->def->name,
             NULLSTR(action));
    if (virDomainObjIsActive(vm))
        virDomainObjSetState(vm, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
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
