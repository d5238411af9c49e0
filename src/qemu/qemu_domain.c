/* qemu_domain.c: per-domain QEMU state, jobs, and the events queued for workers. */
#include <config.h>

#include <libvirt/libvirt.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "virthread.h"
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


static const char *const qemuDomainPhaseNames[] = {
    "running", "starting", "stopping",
};
G_STATIC_ASSERT(G_N_ELEMENTS(qemuDomainPhaseNames) == QEMU_DOMAIN_PHASE_LAST);

static const char *const qemuDomainShutoffReasonNames[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from-snapshot", "daemon",
};
/* libvirt's VIR_DOMAIN_SHUTOFF_LAST needs VIR_ENUM_SENTINELS; DAEMON is the last. */
G_STATIC_ASSERT(G_N_ELEMENTS(qemuDomainShutoffReasonNames) == VIR_DOMAIN_SHUTOFF_DAEMON + 1);


static int
qemuDomainNameIndex(const char *const *names, size_t nnames, const char *str)
{
    size_t i;

    for (i = 0; str && i < nnames; i++) {
        if (STREQ(names[i], str))
            return i;
    }
    return -1;
}


const char *
qemuDomainPhaseTypeToString(int phase)
{
    if (phase < 0 || phase >= QEMU_DOMAIN_PHASE_LAST)
        return NULL;
    return qemuDomainPhaseNames[phase];
}


int
qemuDomainPhaseTypeFromString(const char *str)
{
    return qemuDomainNameIndex(qemuDomainPhaseNames, G_N_ELEMENTS(qemuDomainPhaseNames),
                               str);
}


const char *
qemuDomainShutoffReasonTypeToString(int reason)
{
    if (reason < 0 || reason >= (int)G_N_ELEMENTS(qemuDomainShutoffReasonNames))
        return NULL;
    return qemuDomainShutoffReasonNames[reason];
}


int
qemuDomainShutoffReasonTypeFromString(const char *str)
{
    return qemuDomainNameIndex(qemuDomainShutoffReasonNames,
                               G_N_ELEMENTS(qemuDomainShutoffReasonNames), str);
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
    priv->pidWatchFd = -1;
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
    /* The pid watch holds a reference on the domain, so it is gone by now
     * (qemuProcessStop removes it). */
    g_ptr_array_free(priv->createdDevices, TRUE);
    g_free(priv->monitorPath);
    g_free(priv);
}


void
qemuDomainRemoveInactive(qemuDriver *driver, virDomainObj *vm)
{
    if (virDomainObjIsActive(vm) || vm->removing)
        return;
    if (vm->persistent) {
        if (vm->newDef) {
            virDomainDefFree(vm->def);
            vm->def = g_steal_pointer(&vm->newDef);
        }
        return;
    }
    /* Tests drive bare domains with a driver that has no list. */
    if (!driver->domains)
        return;
    VIR_DEBUG("Removing transient domain '%s'", vm->def->name);
    virDomainObjListRemove(driver->domains, vm);
}


void
qemuDomainEmitLifecycle(qemuDriver *driver, virDomainObj *vm, int event, int detail)
{
    if (!driver || !driver->events)
        return;
    virDomainEventBrokerEmitLifecycle(driver->events, vm->def->name, vm->def->uuid,
                                      virDomainObjIsActive(vm) ? vm->id : -1,
                                      event, detail);
}


int
qemuDomainObjBeginJob(virDomainObj *vm, const char *owner)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)QEMU_JOB_WAIT_TIME_MS * G_TIME_SPAN_MILLISECOND;

    while (priv->jobActive) {
        if (!virCondWaitUntil(&priv->jobCond, &((virObjectLockable *)vm)->lock, deadline) &&
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


void
qemuDomainStatusFree(qemuDomainStatus *status)
{
    if (!status)
        return;
    virDomainDefFree(status->def);
    g_free(status->monitorPath);
    g_strfreev(status->devices);
    g_free(status);
}


static bool
qemuDomainStatusGetULL(xmlNodePtr node, const char *attr, unsigned long long *value)
{
    g_autofree char *text = (char *)xmlGetProp(node, BAD_CAST attr);
    guint64 v;

    if (!text || !g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &v, NULL))
        return false;
    *value = v;
    return true;
}


/* The phase of a <domstatus> (running when it has none, as before phases were
 * recorded) and, for a stop, its reason; -1 for a value that is not known. */
static int
qemuDomainStatusGetPhase(xmlNodePtr node, int *stopReason)
{
    g_autofree char *phase = (char *)xmlGetProp(node, BAD_CAST "phase");
    g_autofree char *reason = (char *)xmlGetProp(node, BAD_CAST "reason");
    int ret = phase ? qemuDomainPhaseTypeFromString(phase) : QEMU_DOMAIN_PHASE_RUNNING;

    *stopReason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    if (ret == QEMU_DOMAIN_PHASE_STOPPING && reason &&
        (*stopReason = qemuDomainShutoffReasonTypeFromString(reason)) < 0)
        return -1;
    return ret;
}


qemuDomainStatus *
qemuDomainStatusParseFile(const char *path)
{
    g_autoptr(qemuDomainStatus) status = g_new0(qemuDomainStatus, 1);
    g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *contents = NULL;
    g_autoptr(GError) err = NULL;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    xmlNodePtr node;
    unsigned long long pid = 0;
    gsize len;

    if (!g_file_get_contents(path, &contents, &len, &err)) {
        virReportError(VIR_ERR_OPERATION_FAILED, _("Cannot read live state file '%1$s': %2$s"),
                       path, err->message);
        return NULL;
    }
    /* The file is ours, but parse it as carefully as any XML: no network, no DTD. */
    doc = xmlReadMemory(contents, len, path, "UTF-8",
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || !(root = xmlDocGetRootElement(doc)) ||
        !xmlStrEqual(root->name, BAD_CAST "domstatus") ||
        (status->phase = qemuDomainStatusGetPhase(root, &status->stopReason)) < 0 ||
        !qemuDomainStatusGetULL(root, "pid", &pid) || pid > G_MAXINT32 ||
        (pid < 2 && !(pid == 0 && status->phase == QEMU_DOMAIN_PHASE_STARTING)) ||
        !qemuDomainStatusGetULL(root, "runId", &status->runId)) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Live state file '%1$s' is not a <domstatus> with a pid, a runId and a known phase."),
                       path);
        xmlFreeDoc(doc);
        return NULL;
    }
    status->pid = pid;

    for (node = root->children; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(node->name, BAD_CAST "monitor")) {
            g_autofree char *mon = (char *)xmlGetProp(node, BAD_CAST "path");
            g_free(status->monitorPath);
            status->monitorPath = g_strdup(mon);
        } else if (xmlStrEqual(node->name, BAD_CAST "hostdev")) {
            g_autofree char *name = (char *)xmlGetProp(node, BAD_CAST "name");
            if (name)
                g_ptr_array_add(devices, g_strdup(name));
        } else if (xmlStrEqual(node->name, BAD_CAST "domain")) {
            xmlBufferPtr buf = xmlBufferCreate();

            xmlNodeDump(buf, doc, node, 0, 0);
            virDomainDefFree(status->def);
            status->def = virDomainDefParseStringFlags((const char *)xmlBufferContent(buf),
                                                       VIR_DOMAIN_DEF_PARSE_LIVE);
            xmlBufferFree(buf);
            if (!status->def) {
                xmlFreeDoc(doc);
                return NULL;
            }
        }
    }
    xmlFreeDoc(doc);

    if (!status->def || !status->monitorPath) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Live state file '%1$s' lacks the domain or the monitor path."), path);
        return NULL;
    }
    g_ptr_array_add(devices, NULL);
    status->devices = (GStrv)g_ptr_array_free(g_steal_pointer(&devices), FALSE);
    return g_steal_pointer(&status);
}
