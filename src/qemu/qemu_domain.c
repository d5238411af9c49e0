/* qemu_domain.c: per-domain QEMU state, jobs, and the events queued for workers. */
#include <config.h>

#include "qemu_domain.h"
#include "virerror.h"
#include "virlog.h"
#include "virobject.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("qemu.qemu_domain");

static const char *const qemuProcessEventTypeNames[] = {
    "watchdog", "guest-panic", "device-deleted", "nic-rx-filter-changed",
    "serial-changed", "job-status-change", "monitor-eof", "reset",
};
G_STATIC_ASSERT(G_N_ELEMENTS(qemuProcessEventTypeNames) == QEMU_PROCESS_EVENT_LAST);


const char *
qemuProcessEventTypeToString(int type)
{
    if (type < 0 || type >= QEMU_PROCESS_EVENT_LAST)
        return NULL;
    return qemuProcessEventTypeNames[type];
}


void
qemuProcessEventFree(qemuProcessEvent *event)
{
    if (!event)
        return;
    virObjectUnref(event->vm);
    g_free(event->data);
    g_free(event);
}


static void
qemuDomainRxFilterHostStateFree(gpointer opaque)
{
    virNetDevRxFilterHostState *state = opaque;

    virNetDevRxFilterHostStateClear(state);
    g_free(state);
}


qemuDomainObjPrivate *
qemuDomainObjPrivateNew(qemuDriver *driver)
{
    qemuDomainObjPrivate *priv = g_new0(qemuDomainObjPrivate, 1);

    priv->driver = driver;
    g_cond_init(&priv->jobCond);
    priv->rxFilterHostState = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                    qemuDomainRxFilterHostStateFree);
    priv->createdDevices = g_ptr_array_new_with_free_func(g_free);
    return priv;
}


void
qemuDomainObjPrivateFree(void *opaque)
{
    qemuDomainObjPrivate *priv = opaque;

    if (!priv)
        return;
    qemuMonitorClose(priv->mon);
    g_cond_clear(&priv->jobCond);
    g_hash_table_unref(priv->rxFilterHostState);
    g_ptr_array_free(priv->createdDevices, TRUE);
    g_free(priv->monitorPath);
    g_free(priv);
}


int
qemuDomainObjBeginJob(virDomainObj *vm, const char *owner)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)QEMU_JOB_WAIT_TIME_MS * G_TIME_SPAN_MILLISECOND;

    while (priv->jobActive) {
        if (!g_cond_wait_until(&priv->jobCond, &((virObjectLockable *)vm)->lock, deadline) &&
            priv->jobActive) {
            virReportError(VIR_ERR_OPERATION_TIMEOUT,
                           _("Timed out after %1$d ms waiting for the job of domain '%2$s', held by %3$s."),
                           QEMU_JOB_WAIT_TIME_MS, vm->def->name, NULLSTR(priv->jobOwner));
            return -1;
        }
    }
    priv->jobActive = true;
    priv->jobOwner = owner;
    return 0;
}


void
qemuDomainObjEndJob(virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);

    priv->jobActive = false;
    priv->jobOwner = NULL;
    g_cond_signal(&priv->jobCond);
}


qemuMonitor *
qemuDomainObjEnterMonitor(virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    qemuMonitor *mon = priv->mon;

    if (!mon) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       _("Domain '%1$s' has no QEMU monitor: it is not running."),
                       vm->def->name);
        return NULL;
    }
    virObjectRef(mon);
    virObjectUnlock(vm);
    return mon;
}


int
qemuDomainObjExitMonitor(virDomainObj *vm, qemuMonitor *mon, unsigned long long runId)
{
    virObjectLock(vm);
    virObjectUnref(mon);
    if (!virDomainObjIsActive(vm) || vm->runId != runId) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Domain '%1$s' stopped or restarted while QEMU was being asked."),
                       vm->def->name);
        return -1;
    }
    return 0;
}


virNetDevRxFilterHostState *
qemuDomainGetRxFilterHostState(virDomainObj *vm, const char *alias)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    virNetDevRxFilterHostState *state = g_hash_table_lookup(priv->rxFilterHostState, alias);

    if (!state) {
        state = g_new0(virNetDevRxFilterHostState, 1);
        g_hash_table_insert(priv->rxFilterHostState, g_strdup(alias), state);
    }
    return state;
}
