/* qemumonitortestrecorder.c: monitor callbacks that record what they were given. */
#include <config.h>

#include "virthread.h"
#include "qemumonitortestutils.h"

struct _qemuMonitorTestRecorder {
    GMutex lock;
    GCond cond;
    GPtrArray *lines;
    bool withGeneric;
};


qemuMonitorTestRecorder *
qemuMonitorTestRecorderNew(bool withGeneric)
{
    qemuMonitorTestRecorder *rec = g_new0(qemuMonitorTestRecorder, 1);

    g_mutex_init(&rec->lock);
    g_cond_init(&rec->cond);
    rec->lines = g_ptr_array_new_with_free_func(g_free);
    rec->withGeneric = withGeneric;
    return rec;
}


void
qemuMonitorTestRecorderFree(qemuMonitorTestRecorder *rec)
{
    if (!rec)
        return;
    g_ptr_array_free(rec->lines, TRUE);
    g_mutex_clear(&rec->lock);
    g_cond_clear(&rec->cond);
    g_free(rec);
}


static void G_GNUC_PRINTF(2, 3)
qemuMonitorTestRecord(void *opaque, const char *fmt, ...)
{
    qemuMonitorTestRecorder *rec = opaque;
    va_list args;

    va_start(args, fmt);
    virMutexLock(&rec->lock);
    g_ptr_array_add(rec->lines, g_strdup_vprintf(fmt, args));
    g_cond_broadcast(&rec->cond);
    virMutexUnlock(&rec->lock);
    va_end(args);
}


bool
qemuMonitorTestRecorderWait(qemuMonitorTestRecorder *rec, size_t n)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_TIME_SPAN_SECOND;
    bool ok;

    virMutexLock(&rec->lock);
    while (rec->lines->len < n &&
           virCondWaitUntil(&rec->cond, &rec->lock, deadline))
        ;
    ok = rec->lines->len >= n;
    virMutexUnlock(&rec->lock);
    return ok;
}


char *
qemuMonitorTestRecorderTake(qemuMonitorTestRecorder *rec)
{
    g_autoptr(GString) out = g_string_new(NULL);
    size_t i;

    virMutexLock(&rec->lock);
    for (i = 0; i < rec->lines->len; i++)
        g_string_append_printf(out, "%s\n", (char *)g_ptr_array_index(rec->lines, i));
    g_ptr_array_set_size(rec->lines, 0);
    virMutexUnlock(&rec->lock);
    return g_string_free(g_steal_pointer(&out), FALSE);
}


static void
recEof(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "eofNotify");
}

static void
recError(qemuMonitor *mon, virDomainObj *vm, const char *message, void *opaque)
{
    qemuMonitorTestRecord(opaque, "errorNotify %s", message);
}

static void
recEvent(qemuMonitor *mon, virDomainObj *vm, const char *event, long long seconds,
         unsigned int micros, const char *details, void *opaque)
{
    qemuMonitorTestRecorder *rec = opaque;

    if (rec->withGeneric)
        qemuMonitorTestRecord(opaque, "event %s %s", event, NULLSTR(details));
}

static void
recShutdown(qemuMonitor *mon, virDomainObj *vm, int guest, const char *reason, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainShutdown guest=%d reason=%s", guest, NULLSTR(reason));
}

static void
recReset(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainReset");
}

static void
recStop(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainStop");
}

static void
recResume(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainResume");
}

static void
recRTCChange(qemuMonitor *mon, virDomainObj *vm, long long offset, const char *qomPath,
             void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainRTCChange %lld %s", offset, NULLSTR(qomPath));
}

static void
recWatchdog(qemuMonitor *mon, virDomainObj *vm, const char *action, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainWatchdog %s", action);
}

static void
recIOError(qemuMonitor *mon, virDomainObj *vm, const qemuMonitorIOErrorInfo *info,
           void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainIOError device=%s node=%s op=%s action=%s nospace=%d reason=%s",
                          NULLSTR(info->device), NULLSTR(info->nodename), info->operation,
                          info->action, info->nospace, NULLSTR(info->reason));
}

static void
recGraphics(qemuMonitor *mon, virDomainObj *vm, const char *protocol,
            qemuMonitorGraphicsPhase phase, const qemuMonitorGraphicsAddress *local,
            const qemuMonitorGraphicsAddress *remote, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainGraphics %s phase=%d local=%d/%s/%s remote=%d/%s/%s",
                          protocol, phase, local->family, local->host, local->port,
                          remote->family, remote->host, remote->port);
}

static void
recSpiceMigrated(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainSpiceMigrated");
}

static void
recTrayChange(qemuMonitor *mon, virDomainObj *vm, const char *devAlias, const char *devid,
              bool open, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainTrayChange %s %s open=%d", NULLSTR(devAlias), devid, open);
}

static void
recPMWakeup(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainPMWakeup");
}

static void
recPMSuspend(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainPMSuspend");
}

static void
recPMSuspendDisk(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainPMSuspendDisk");
}

static void
recBalloonChange(qemuMonitor *mon, virDomainObj *vm, unsigned long long actual, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainBalloonChange %llu", actual);
}

static void
recGuestPanic(qemuMonitor *mon, virDomainObj *vm, const char *action, const char *info,
              void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainGuestPanic %s %s", action, NULLSTR(info));
}

static void
recGuestCrashloaded(qemuMonitor *mon, virDomainObj *vm, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainGuestCrashloaded");
}

static void
recDeviceDeleted(qemuMonitor *mon, virDomainObj *vm, const char *devAlias, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainDeviceDeleted %s", devAlias);
}

static void
recDeviceUnplugError(qemuMonitor *mon, virDomainObj *vm, const char *devPath,
                     const char *devAlias, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainDeviceUnplugError %s %s", devPath, NULLSTR(devAlias));
}

static void
recNicRxFilterChanged(qemuMonitor *mon, virDomainObj *vm, const char *devAlias, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainNicRxFilterChanged %s", devAlias);
}

static void
recSerialChange(qemuMonitor *mon, virDomainObj *vm, const char *devAlias, bool connected,
                void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainSerialChange %s connected=%d", devAlias, connected);
}

static void
recMigrationStatus(qemuMonitor *mon, virDomainObj *vm, const char *status, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainMigrationStatus %s", status);
}

static void
recMigrationPass(qemuMonitor *mon, virDomainObj *vm, int pass, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainMigrationPass %d", pass);
}

static void
recAcpiOstInfo(qemuMonitor *mon, virDomainObj *vm, const qemuMonitorAcpiOstInfo *info,
               void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainAcpiOstInfo %s %s %s %u %u", NULLSTR(info->alias),
                          info->slotType, info->slot, info->source, info->status);
}

static void
recBlockThreshold(qemuMonitor *mon, virDomainObj *vm, const char *nodename,
                  unsigned long long threshold, unsigned long long excess, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainBlockThreshold %s %llu %llu", nodename, threshold, excess);
}

static void
recDumpCompleted(qemuMonitor *mon, virDomainObj *vm, int status, unsigned long long total,
                 unsigned long long completed, const char *error, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainDumpCompleted %d %llu %llu %s", status, total,
                          completed, NULLSTR(error));
}

static void
recPRManager(qemuMonitor *mon, virDomainObj *vm, const char *prManager, bool connected,
             void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainPRManagerStatusChanged %s %d", prManager, connected);
}

static void
recRdmaGid(qemuMonitor *mon, virDomainObj *vm, const qemuMonitorRdmaGidStatus *info,
           void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainRdmaGidStatusChanged %s %d %llu %llu", info->netdev,
                          info->gidStatus, info->subnetPrefix, info->interfaceId);
}

static void
recMemoryFailure(qemuMonitor *mon, virDomainObj *vm, const qemuMonitorMemoryFailure *info,
                 void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainMemoryFailure %s %s %d %d", info->recipient,
                          info->action, info->actionRequired, info->recursive);
}

static void
recMemoryDeviceSizeChange(qemuMonitor *mon, virDomainObj *vm, const char *devAlias,
                          unsigned long long size, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainMemoryDeviceSizeChange %s %llu", devAlias, size);
}

static void
recJobStatusChange(qemuMonitor *mon, virDomainObj *vm, const char *jobname,
                   const char *status, void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainJobStatusChange %s %s", jobname, status);
}

static void
recNetdevStreamDisconnected(qemuMonitor *mon, virDomainObj *vm, const char *netdev,
                            void *opaque)
{
    qemuMonitorTestRecord(opaque, "domainNetdevStreamDisconnected %s", netdev);
}

static const qemuMonitorCallbacks recordingCallbacks = {
    .eofNotify = recEof,
    .errorNotify = recError,
    .domainEvent = recEvent,
    .domainShutdown = recShutdown,
    .domainReset = recReset,
    .domainStop = recStop,
    .domainResume = recResume,
    .domainRTCChange = recRTCChange,
    .domainWatchdog = recWatchdog,
    .domainIOError = recIOError,
    .domainGraphics = recGraphics,
    .domainSpiceMigrated = recSpiceMigrated,
    .domainTrayChange = recTrayChange,
    .domainPMWakeup = recPMWakeup,
    .domainPMSuspend = recPMSuspend,
    .domainPMSuspendDisk = recPMSuspendDisk,
    .domainBalloonChange = recBalloonChange,
    .domainGuestPanic = recGuestPanic,
    .domainGuestCrashloaded = recGuestCrashloaded,
    .domainDeviceDeleted = recDeviceDeleted,
    .domainDeviceUnplugError = recDeviceUnplugError,
    .domainNicRxFilterChanged = recNicRxFilterChanged,
    .domainSerialChange = recSerialChange,
    .domainMigrationStatus = recMigrationStatus,
    .domainMigrationPass = recMigrationPass,
    .domainAcpiOstInfo = recAcpiOstInfo,
    .domainBlockThreshold = recBlockThreshold,
    .domainDumpCompleted = recDumpCompleted,
    .domainPRManagerStatusChanged = recPRManager,
    .domainRdmaGidStatusChanged = recRdmaGid,
    .domainMemoryFailure = recMemoryFailure,
    .domainMemoryDeviceSizeChange = recMemoryDeviceSizeChange,
    .domainJobStatusChange = recJobStatusChange,
    .domainNetdevStreamDisconnected = recNetdevStreamDisconnected,
};


const qemuMonitorCallbacks *
qemuMonitorTestRecordingCallbacks(void)
{
    return &recordingCallbacks;
}
