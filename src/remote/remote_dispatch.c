/* remote_dispatch.c: qvirtd's REMOTE and QEMU programs: libvirt's procedures mapped onto the QEMU driver. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "remote_dispatch.h"
#include "remote_protocol.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

VIR_LOG_INIT("remote.dispatch");

/* Feature numbers of libvirt_internal.h (VIR_DRV_FEATURE_*) that we answer 1 to:
 * keepalive, and the event and close callbacks that keep virsh on the procedures we
 * serve (virsh-rpc.md, "Connection setup"). */
#define REMOTE_FEATURE_PROGRAM_KEEPALIVE 10
#define REMOTE_FEATURE_REMOTE_EVENT_CALLBACK 14
#define REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK 15

/* REMOTE_AUTH_NONE: the socket is 0600 and the server checks peer credentials. */
#define REMOTE_AUTH_NONE 0

/* The libvirt API version we speak (virsh version --daemon): libvirt 9.0.0, whose
 * protocol this is. */
#define REMOTE_LIB_VERSION 9000000ULL

/* virDomainMonitorCommand's flag for HMP commands (VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP). */
#define REMOTE_QEMU_MONITOR_COMMAND_HMP 1

#define REMOTE_UNUSED_HANDLER_ARGS \
    virNetServer *server G_GNUC_UNUSED, \
    virNetServerClient *client G_GNUC_UNUSED, \
    virNetMessage *msg G_GNUC_UNUSED


/* Fills @dst (zeroed) from @vm, which the caller holds locked. */
static void
remoteDomainFromObj(virNetRemoteDomain *dst, virDomainObj *vm)
{
    dst->name = g_strdup(vm->def->name);
    memcpy(dst->uuid, vm->def->uuid, VIR_NET_UUID_BUFLEN);
    dst->id = virDomainObjIsActive(vm) ? vm->id : -1;
}


/* ---- connection ---- */

static int
remoteConnectOpen(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED,
                  void *opaque G_GNUC_UNUSED)
{
    remoteConnectOpenArgs *a = args;

    /* virsh sends "qemu:///system" (transport and socket stripped), or "" with no URI. */
    if (a->name && *a->name && !g_str_has_prefix(a->name, "qemu:")) {
        virReportError(VIR_ERR_NO_CONNECT,
                       _("No connection driver is available for '%1$s': qvirtd serves qemu:/// only."),
                       a->name);
        return -1;
    }
    VIR_DEBUG("Client opened '%s'", NULLSTR(a->name));
    return 0;
}


static int
remoteNoop(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret G_GNUC_UNUSED,
           void *opaque G_GNUC_UNUSED)
{
    return 0;
}


static int
remoteAuthList(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret,
               void *opaque G_GNUC_UNUSED)
{
    remoteAuthListRet *r = ret;

    r->types_len = 1;
    r->types_val = g_new0(int, 1);
    r->types_val[0] = REMOTE_AUTH_NONE;
    return 0;
}


static int
remoteConnectSupportsFeature(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret,
                             void *opaque G_GNUC_UNUSED)
{
    remoteInt *a = args;
    remoteInt *r = ret;

    switch (a->value) {
    case REMOTE_FEATURE_PROGRAM_KEEPALIVE:
    case REMOTE_FEATURE_REMOTE_EVENT_CALLBACK:
    case REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK:
        r->value = 1;
        break;
    default:
        r->value = 0;
        break;
    }
    return 0;
}


static int
remoteConnectGetType(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret,
                     void *opaque G_GNUC_UNUSED)
{
    ((remoteNonNullString *)ret)->str = g_strdup("QEMU");
    return 0;
}


/* QEMU's version as major * 1000000 + minor * 1000 + micro, from the emulator's
 * --version output; computed once. 0 when it cannot be run. */
static gpointer
remoteQEMUVersionOnce(gpointer data G_GNUC_UNUSED)
{
    g_autofree char *out = NULL;
    g_autoptr(GError) err = NULL;
    const char *argv[] = { "qemu-system-x86_64", "--version", NULL };
    unsigned int major, minor, micro;
    const char *p;
    guint64 version = 0;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
                      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, NULL, &err)) {
        VIR_WARN("Cannot run qemu-system-x86_64 --version: %s", err->message);
    } else if ((p = strstr(out, "version ")) &&
               sscanf(p, "version %u.%u.%u", &major, &minor, &micro) == 3) {
        version = major * 1000000ULL + minor * 1000ULL + micro;
    }
    return GSIZE_TO_POINTER(version + 1);
}


static int
remoteConnectGetVersion(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret,
                        void *opaque G_GNUC_UNUSED)
{
    static GOnce once = G_ONCE_INIT;

    ((remoteUHyper *)ret)->value =
        GPOINTER_TO_SIZE(g_once(&once, remoteQEMUVersionOnce, NULL)) - 1;
    return 0;
}


static int
remoteConnectGetLibVersion(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret,
                           void *opaque G_GNUC_UNUSED)
{
    ((remoteUHyper *)ret)->value = REMOTE_LIB_VERSION;
    return 0;
}


static int
remoteConnectGetHostname(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret,
                         void *opaque G_GNUC_UNUSED)
{
    ((remoteNonNullString *)ret)->str = g_strdup(g_get_host_name());
    return 0;
}


static int
remoteConnectGetURI(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret,
                    void *opaque G_GNUC_UNUSED)
{
    ((remoteNonNullString *)ret)->str = g_strdup("qemu:///system");
    return 0;
}


static int
remoteNodeGetSecurityModel(REMOTE_UNUSED_HANDLER_ARGS, void *args G_GNUC_UNUSED, void *ret,
                           void *opaque G_GNUC_UNUSED)
{
    remoteNodeGetSecurityModelRet *r = ret;

    /* No security driver: model "none", DOI "0", NUL included as libvirtd sends them. */
    r->model_len = sizeof("none");
    r->model_val = g_memdup2("none", sizeof("none"));
    r->doi_len = sizeof("0");
    r->doi_val = g_memdup2("0", sizeof("0"));
    return 0;
}


/* The reply of a call that hands back one domain: @vm (referenced and locked, or
 * NULL when the driver reported an error) is encoded and released. */
static int
remoteDomainReply(virDomainObj *vm, void *ret)
{
    if (!vm)
        return -1;
    remoteDomainFromObj(&((remoteDomainMsg *)ret)->dom, vm);
    virDomainObjEndAPI(&vm);
    return 0;
}


/* ---- lookups and lists ---- */

static int
remoteDomainLookupByName(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    return remoteDomainReply(qemuDomainLookupByName(opaque, ((remoteNonNullString *)args)->str), ret);
}


static int
remoteDomainLookupByUUID(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    return remoteDomainReply(qemuDomainLookupByUUID(opaque, ((remoteUUIDArgs *)args)->uuid), ret);
}


static int
remoteDomainLookupByID(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    return remoteDomainReply(qemuDomainLookupByID(opaque, ((remoteInt *)args)->value), ret);
}


/* Whether @flags (VIR_CONNECT_LIST_DOMAINS_*) select @vm, held locked. Of each pair
 * (active/inactive...), neither or both set means no filtering. */
static bool
remoteDomainMatchesFlags(virDomainObj *vm, unsigned int flags)
{
    bool active = virDomainObjIsActive(vm);
    int state = virDomainObjGetState(vm, NULL);

#define REMOTE_FILTER(a, b, cond) \
    if ((flags & ((a) | (b))) && (flags & ((a) | (b))) != ((a) | (b)) && \
        !!(flags & (a)) != !!(cond)) \
        return false

    REMOTE_FILTER(VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE, active);
    REMOTE_FILTER(VIR_CONNECT_LIST_DOMAINS_PERSISTENT, VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
                  vm->persistent);
    REMOTE_FILTER(VIR_CONNECT_LIST_DOMAINS_AUTOSTART, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
                  vm->autostart);
    /* No managed save images, snapshots or checkpoints exist. */
    REMOTE_FILTER(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                  VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, false);
    REMOTE_FILTER(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                  VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, false);
    REMOTE_FILTER(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                  VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, false);
#undef REMOTE_FILTER

    if (flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                 VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)) {
        if (state == VIR_DOMAIN_RUNNING)
            return flags & VIR_CONNECT_LIST_DOMAINS_RUNNING;
        if (state == VIR_DOMAIN_PAUSED)
            return flags & VIR_CONNECT_LIST_DOMAINS_PAUSED;
        if (state == VIR_DOMAIN_SHUTOFF)
            return flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF;
        return flags & VIR_CONNECT_LIST_DOMAINS_OTHER;
    }
    return true;
}


static int
remoteConnectListAllDomains(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteListAllDomainsArgs *a = args;
    remoteListAllDomainsRet *r = ret;
    size_t ndoms = 0;
    virDomainObj **doms = qemuDomainList(opaque, &ndoms);
    size_t i;

    if (ndoms > REMOTE_DOMAIN_LIST_MAX) {
        virDomainObjListFreeCollected(doms);
        virReportError(VIR_ERR_RPC,
                       _("There are %1$zu domains, more than the protocol's limit of %2$d."),
                       ndoms, REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (a->need_results)
        r->domains_val = g_new0(virNetRemoteDomain, MAX(ndoms, 1));
    for (i = 0; i < ndoms; i++) {
        virObjectLock(doms[i]);
        if (!doms[i]->removing && remoteDomainMatchesFlags(doms[i], a->flags)) {
            if (a->need_results)
                remoteDomainFromObj(&r->domains_val[r->domains_len++], doms[i]);
            r->ret++;
        }
        virObjectUnlock(doms[i]);
    }
    virDomainObjListFreeCollected(doms);
    return 0;
}


/* ---- define, start, stop ---- */

static int
remoteDomainDefineXML(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    return remoteDomainReply(qemuDomainDefineXML(opaque, ((remoteNonNullString *)args)->str), ret);
}


static int
remoteDomainDefineXMLFlags(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteStringFlagsArgs *a = args;

    /* VIR_DOMAIN_DEFINE_VALIDATE (1) is what the parser always does. */
    if (a->flags & ~1U) {
        virReportError(VIR_ERR_INVALID_ARG, _("Unsupported flags 0x%1$x."), a->flags & ~1U);
        return -1;
    }
    return remoteDomainReply(qemuDomainDefineXML(opaque, a->xml), ret);
}


static int
remoteDomainCreateXML(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteStringFlagsArgs *a = args;

    if (a->flags) {
        virReportError(VIR_ERR_INVALID_ARG, _("Unsupported flags 0x%1$x."), a->flags);
        return -1;
    }
    return remoteDomainReply(qemuDomainCreateXML(opaque, a->xml), ret);
}


static int
remoteDomainUndefine(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED,
                     void *opaque)
{
    return qemuDomainUndefine(opaque, ((remoteDomainMsg *)args)->dom.name);
}


static int
remoteDomainUndefineFlags(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED,
                          void *opaque)
{
    /* Flags only ask to remove what we never have (managed save, snapshots, NVRAM...). */
    return qemuDomainUndefine(opaque, ((remoteDomainFlagsArgs *)args)->dom.name);
}


static int
remoteDomainCreate(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED,
                   void *opaque)
{
    return qemuDomainCreate(opaque, ((remoteDomainMsg *)args)->dom.name);
}


static int
remoteDomainCreateWithFlags(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteDomainFlagsArgs *a = args;
    virDomainObj *vm;

    if (a->flags) {
        virReportError(VIR_ERR_INVALID_ARG, _("Unsupported flags 0x%1$x."), a->flags);
        return -1;
    }
    if (qemuDomainCreate(opaque, a->dom.name) < 0 ||
        !(vm = qemuDomainLookupByName(opaque, a->dom.name)))
        return -1;
    remoteDomainFromObj(&((remoteDomainMsg *)ret)->dom, vm);
    virDomainObjEndAPI(&vm);
    return 0;
}


/* Handlers that only pass the domain's name to a driver operation. */
#define REMOTE_DOMAIN_SIMPLE(handler, op, argsType) \
    static int \
    handler(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED, void *opaque) \
    { \
        return op(opaque, ((argsType *)args)->dom.name); \
    }

REMOTE_DOMAIN_SIMPLE(remoteDomainDestroy, qemuDomainDestroy, remoteDomainMsg)
REMOTE_DOMAIN_SIMPLE(remoteDomainShutdown, qemuDomainShutdown, remoteDomainMsg)
REMOTE_DOMAIN_SIMPLE(remoteDomainSuspend, qemuDomainSuspend, remoteDomainMsg)
REMOTE_DOMAIN_SIMPLE(remoteDomainResume, qemuDomainResume, remoteDomainMsg)
REMOTE_DOMAIN_SIMPLE(remoteDomainReboot, qemuDomainReboot, remoteDomainFlagsArgs)
REMOTE_DOMAIN_SIMPLE(remoteDomainReset, qemuDomainReset, remoteDomainFlagsArgs)


static int
remoteDomainDestroyFlags(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED,
                         void *opaque)
{
    remoteDomainFlagsArgs *a = args;

    /* VIR_DOMAIN_DESTROY_GRACEFUL (1): ours sends SIGTERM first anyway. */
    if (a->flags & ~1U) {
        virReportError(VIR_ERR_INVALID_ARG, _("Unsupported flags 0x%1$x."), a->flags & ~1U);
        return -1;
    }
    return qemuDomainDestroy(opaque, a->dom.name);
}


/* ---- domain information ---- */

static int
remoteDomainGetState(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteDomainGetStateRet *r = ret;

    return qemuDomainGetState(opaque, ((remoteDomainFlagsArgs *)args)->dom.name,
                              &r->state, &r->reason);
}


static int
remoteDomainGetInfo(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteDomainGetInfoRet *r = ret;
    qemuDomainInfo info = { 0 };

    if (qemuDomainGetInfo(opaque, ((remoteDomainMsg *)args)->dom.name, &info) < 0)
        return -1;
    r->state = info.state;
    r->maxMem = info.maxMem;
    r->memory = info.memory;
    r->nrVirtCpu = info.nrVirtCpu;
    r->cpuTime = info.cpuTime;
    return 0;
}


static int
remoteDomainGetOSType(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    virDomainObj *vm;

    /* Every domain qvirt runs is a full virtual machine. */
    if (!(vm = qemuDomainLookupByName(opaque, ((remoteDomainMsg *)args)->dom.name)))
        return -1;
    virDomainObjEndAPI(&vm);
    ((remoteNonNullString *)ret)->str = g_strdup("hvm");
    return 0;
}


static int
remoteDomainGetXMLDesc(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteDomainFlagsArgs *a = args;
    char *xml;

    if (!(xml = qemuDomainGetXMLDesc(opaque, a->dom.name, a->flags)))
        return -1;
    ((remoteNonNullString *)ret)->str = xml;
    return 0;
}


static int
remoteDomainGetAutostart(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    bool autostart = false;

    if (qemuDomainGetAutostart(opaque, ((remoteDomainMsg *)args)->dom.name, &autostart) < 0)
        return -1;
    ((remoteInt *)ret)->value = autostart;
    return 0;
}


static int
remoteDomainSetAutostart(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED,
                         void *opaque)
{
    remoteDomainSetAutostartArgs *a = args;

    return qemuDomainSetAutostart(opaque, a->dom.name, a->autostart != 0);
}


static int
remoteDomainIsActive(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(opaque, ((remoteDomainMsg *)args)->dom.name)))
        return -1;
    ((remoteInt *)ret)->value = virDomainObjIsActive(vm);
    virDomainObjEndAPI(&vm);
    return 0;
}


static int
remoteDomainIsPersistent(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(opaque, ((remoteDomainMsg *)args)->dom.name)))
        return -1;
    ((remoteInt *)ret)->value = vm->persistent;
    virDomainObjEndAPI(&vm);
    return 0;
}


/* Managed save images and snapshots do not exist in qvirt: 0 for a known domain. */
static int
remoteDomainZero(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(opaque, ((remoteDomainFlagsArgs *)args)->dom.name)))
        return -1;
    virDomainObjEndAPI(&vm);
    ((remoteInt *)ret)->value = 0;
    return 0;
}


static int
remoteDomainGetSecurityLabel(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret, void *opaque)
{
    remoteDomainGetSecurityLabelRet *r = ret;
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(opaque, ((remoteDomainMsg *)args)->dom.name)))
        return -1;
    virDomainObjEndAPI(&vm);
    /* No security driver: an empty label (its NUL), not enforcing. */
    r->label_len = 1;
    r->label_val = g_new0(char, 1);
    r->enforcing = 0;
    return 0;
}


static int
remoteDomainGetMessages(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret G_GNUC_UNUSED,
                        void *opaque)
{
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(opaque, ((remoteDomainFlagsArgs *)args)->dom.name)))
        return -1;
    virDomainObjEndAPI(&vm);
    return 0;
}


/* ---- events ---- */

/* Queues event @ev of registration @callbackID to the client @opaque: runs on the
 * emitting thread (an API worker or the monitor's event thread) and only encodes. */
static void
remoteEventDeliver(int callbackID, const virDomainEventMsg *ev, void *opaque)
{
    virNetServerClient *client = opaque;
    virNetRemoteDomain dom = { .name = (char *)ev->name, .id = ev->id };

    if (virNetServerClientIsClosed(client))
        return;
    memcpy(dom.uuid, ev->uuid, VIR_NET_UUID_BUFLEN);
    switch (ev->eventID) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE: {
        remoteDomainEventCallbackLifecycleMsg msg = {
            .callbackID = callbackID, .dom = dom, .event = ev->event, .detail = ev->detail,
        };

        virNetServerClientSendEvent(client, VIR_NET_PROGRAM_REMOTE, 1,
                                    REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
                                    (xdrproc_t)remoteXDRDomainEventCallbackLifecycleMsg, &msg);
        break;
    }
    case VIR_DOMAIN_EVENT_ID_REBOOT: {
        remoteDomainEventCallbackRebootMsg msg = { .callbackID = callbackID, .dom = dom };

        virNetServerClientSendEvent(client, VIR_NET_PROGRAM_REMOTE, 1,
                                    REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                                    (xdrproc_t)remoteXDRDomainEventCallbackRebootMsg, &msg);
        break;
    }
    case VIR_DOMAIN_EVENT_BROKER_ID_QMP: {
        qemuDomainMonitorEventMsg msg = {
            .callbackID = callbackID, .dom = dom, .event = (char *)ev->qmpEvent,
            .seconds = ev->seconds, .micros = ev->micros, .details = (char *)ev->details,
        };

        virNetServerClientSendEvent(client, VIR_NET_PROGRAM_QEMU, 1,
                                    QEMU_PROC_DOMAIN_MONITOR_EVENT,
                                    (xdrproc_t)remoteXDRQemuDomainMonitorEventMsg, &msg);
        break;
    }
    default:
        /* Registered (virsh event --all asks for every id) but never emitted. */
        break;
    }
}


/* Registers @client for @eventID (filtered by @dom and @qmpEvent) and stores the
 * callback id in @ret. */
static int
remoteEventRegister(qemuDriver *driver, virNetServerClient *client, int eventID,
                    const virNetRemoteDomain *dom, const char *qmpEvent,
                    unsigned int flags, remoteInt *ret)
{
    int id;

    id = virDomainEventBrokerRegister(driver->events, eventID, dom ? dom->uuid : NULL,
                                      qmpEvent, flags, client, remoteEventDeliver,
                                      virNetServerClientRef(client),
                                      (GDestroyNotify)virNetServerClientUnref);
    if (id < 0) {
        virNetServerClientUnref(client);
        return -1;
    }
    /* A client that closed meanwhile may have run its close hook already. */
    if (virNetServerClientIsClosed(client))
        virDomainEventBrokerDeregisterOwner(driver->events, client);
    ret->value = id;
    return 0;
}


static int
remoteConnectDomainEventCallbackRegisterAny(virNetServer *server G_GNUC_UNUSED,
                                            virNetServerClient *client,
                                            virNetMessage *msg G_GNUC_UNUSED,
                                            void *args, void *ret, void *opaque)
{
    remoteDomainEventCallbackRegisterAnyArgs *a = args;

    return remoteEventRegister(opaque, client, a->eventID, a->dom, NULL, 0, ret);
}


static int
remoteConnectDomainEventCallbackDeregisterAny(virNetServer *server G_GNUC_UNUSED,
                                              virNetServerClient *client,
                                              virNetMessage *msg G_GNUC_UNUSED,
                                              void *args, void *ret G_GNUC_UNUSED,
                                              void *opaque)
{
    qemuDriver *driver = opaque;

    return virDomainEventBrokerDeregister(driver->events, client,
                                          ((remoteInt *)args)->value, false);
}


static int
remoteQemuConnectDomainMonitorEventRegister(virNetServer *server G_GNUC_UNUSED,
                                            virNetServerClient *client,
                                            virNetMessage *msg G_GNUC_UNUSED,
                                            void *args, void *ret, void *opaque)
{
    qemuDomainMonitorEventRegisterArgs *a = args;

    return remoteEventRegister(opaque, client, VIR_DOMAIN_EVENT_BROKER_ID_QMP, a->dom,
                               a->event, a->flags, ret);
}


static int
remoteQemuConnectDomainMonitorEventDeregister(virNetServer *server G_GNUC_UNUSED,
                                              virNetServerClient *client,
                                              virNetMessage *msg G_GNUC_UNUSED,
                                              void *args, void *ret G_GNUC_UNUSED,
                                              void *opaque)
{
    qemuDriver *driver = opaque;

    return virDomainEventBrokerDeregister(driver->events, client,
                                          ((remoteInt *)args)->value, true);
}


/* A closed client's registrations go, with the references they hold on it. */
static void
remoteClientClosed(virNetServerClient *client, void *opaque)
{
    qemuDriver *driver = opaque;

    virDomainEventBrokerDeregisterOwner(driver->events, client);
}


static void
remoteClientInit(virNetServer *server G_GNUC_UNUSED, virNetServerClient *client,
                 void *opaque)
{
    virNetServerClientSetCloseHook(client, remoteClientClosed, opaque);
}


/* ---- QEMU program ---- */

static int
remoteQemuDomainMonitorCommand(REMOTE_UNUSED_HANDLER_ARGS, void *args, void *ret,
                               void *opaque)
{
    qemuDomainMonitorCommandArgs *a = args;
    char *result;

    if (a->flags & REMOTE_QEMU_MONITOR_COMMAND_HMP) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s",
                       _("HMP monitor commands are not supported; send QMP commands."));
        return -1;
    }
    if (a->flags) {
        virReportError(VIR_ERR_INVALID_ARG, _("Unsupported flags 0x%1$x."), a->flags);
        return -1;
    }
    /* virsh indents the reply itself for --pretty. */
    if (!(result = qemuDomainMonitorCommand(opaque, a->dom.name, a->cmd, false)))
        return -1;
    ((remoteNonNullString *)ret)->str = result;
    return 0;
}


/* ---- tables ---- */

#define PROC(num, func, argsType, argsFilter, retType, retFilter) \
    { num, func, sizeof(argsType), (xdrproc_t)(argsFilter), \
      sizeof(retType), (xdrproc_t)(retFilter) }
#define PROC_NOARGS(num, func, retType, retFilter) \
    { num, func, 0, NULL, sizeof(retType), (xdrproc_t)(retFilter) }
#define PROC_NORET(num, func, argsType, argsFilter) \
    { num, func, sizeof(argsType), (xdrproc_t)(argsFilter), 0, NULL }

static const virNetServerProcedure remoteProcedures[] = {
    PROC_NORET(REMOTE_PROC_CONNECT_OPEN, remoteConnectOpen,
               remoteConnectOpenArgs, remoteXDRConnectOpenArgs),
    { REMOTE_PROC_CONNECT_CLOSE, remoteNoop, 0, NULL, 0, NULL },
    PROC_NOARGS(REMOTE_PROC_CONNECT_GET_TYPE, remoteConnectGetType,
                remoteNonNullString, remoteXDRNonNullStringMsg),
    PROC_NOARGS(REMOTE_PROC_CONNECT_GET_VERSION, remoteConnectGetVersion,
                remoteUHyper, remoteXDRUHyper),
    PROC_NORET(REMOTE_PROC_DOMAIN_CREATE, remoteDomainCreate,
               remoteDomainMsg, remoteXDRDomainMsg),
    PROC(REMOTE_PROC_DOMAIN_CREATE_XML, remoteDomainCreateXML,
         remoteStringFlagsArgs, remoteXDRStringFlagsArgs, remoteDomainMsg, remoteXDRDomainMsg),
    PROC(REMOTE_PROC_DOMAIN_DEFINE_XML, remoteDomainDefineXML,
         remoteNonNullString, remoteXDRNonNullStringMsg, remoteDomainMsg, remoteXDRDomainMsg),
    PROC_NORET(REMOTE_PROC_DOMAIN_DESTROY, remoteDomainDestroy,
               remoteDomainMsg, remoteXDRDomainMsg),
    PROC(REMOTE_PROC_DOMAIN_GET_XML_DESC, remoteDomainGetXMLDesc,
         remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs,
         remoteNonNullString, remoteXDRNonNullStringMsg),
    PROC(REMOTE_PROC_DOMAIN_GET_AUTOSTART, remoteDomainGetAutostart,
         remoteDomainMsg, remoteXDRDomainMsg, remoteInt, remoteXDRInt),
    PROC(REMOTE_PROC_DOMAIN_GET_INFO, remoteDomainGetInfo,
         remoteDomainMsg, remoteXDRDomainMsg, remoteDomainGetInfoRet, remoteXDRDomainGetInfoRet),
    PROC(REMOTE_PROC_DOMAIN_GET_OS_TYPE, remoteDomainGetOSType,
         remoteDomainMsg, remoteXDRDomainMsg, remoteNonNullString, remoteXDRNonNullStringMsg),
    PROC(REMOTE_PROC_DOMAIN_LOOKUP_BY_ID, remoteDomainLookupByID,
         remoteInt, remoteXDRInt, remoteDomainMsg, remoteXDRDomainMsg),
    PROC(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, remoteDomainLookupByName,
         remoteNonNullString, remoteXDRNonNullStringMsg, remoteDomainMsg, remoteXDRDomainMsg),
    PROC(REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID, remoteDomainLookupByUUID,
         remoteUUIDArgs, remoteXDRUUIDArgs, remoteDomainMsg, remoteXDRDomainMsg),
    PROC_NORET(REMOTE_PROC_DOMAIN_REBOOT, remoteDomainReboot,
               remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs),
    PROC_NORET(REMOTE_PROC_DOMAIN_RESUME, remoteDomainResume,
               remoteDomainMsg, remoteXDRDomainMsg),
    PROC_NORET(REMOTE_PROC_DOMAIN_SET_AUTOSTART, remoteDomainSetAutostart,
               remoteDomainSetAutostartArgs, remoteXDRDomainSetAutostartArgs),
    PROC_NORET(REMOTE_PROC_DOMAIN_SHUTDOWN, remoteDomainShutdown,
               remoteDomainMsg, remoteXDRDomainMsg),
    PROC_NORET(REMOTE_PROC_DOMAIN_SUSPEND, remoteDomainSuspend,
               remoteDomainMsg, remoteXDRDomainMsg),
    PROC_NORET(REMOTE_PROC_DOMAIN_UNDEFINE, remoteDomainUndefine,
               remoteDomainMsg, remoteXDRDomainMsg),
    PROC_NOARGS(REMOTE_PROC_CONNECT_GET_HOSTNAME, remoteConnectGetHostname,
                remoteNonNullString, remoteXDRNonNullStringMsg),
    PROC(REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, remoteConnectSupportsFeature,
         remoteInt, remoteXDRInt, remoteInt, remoteXDRInt),
    PROC_NOARGS(REMOTE_PROC_AUTH_LIST, remoteAuthList,
                remoteAuthListRet, remoteXDRAuthListRet),
    PROC_NOARGS(REMOTE_PROC_CONNECT_GET_URI, remoteConnectGetURI,
                remoteNonNullString, remoteXDRNonNullStringMsg),
    PROC(REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL, remoteDomainGetSecurityLabel,
         remoteDomainMsg, remoteXDRDomainMsg,
         remoteDomainGetSecurityLabelRet, remoteXDRDomainGetSecurityLabelRet),
    PROC_NOARGS(REMOTE_PROC_NODE_GET_SECURITY_MODEL, remoteNodeGetSecurityModel,
                remoteNodeGetSecurityModelRet, remoteXDRNodeGetSecurityModelRet),
    PROC(REMOTE_PROC_DOMAIN_IS_ACTIVE, remoteDomainIsActive,
         remoteDomainMsg, remoteXDRDomainMsg, remoteInt, remoteXDRInt),
    PROC(REMOTE_PROC_DOMAIN_IS_PERSISTENT, remoteDomainIsPersistent,
         remoteDomainMsg, remoteXDRDomainMsg, remoteInt, remoteXDRInt),
    PROC_NOARGS(REMOTE_PROC_CONNECT_GET_LIB_VERSION, remoteConnectGetLibVersion,
                remoteUHyper, remoteXDRUHyper),
    PROC(REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, remoteDomainZero,
         remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs, remoteInt, remoteXDRInt),
    PROC(REMOTE_PROC_DOMAIN_SNAPSHOT_NUM, remoteDomainZero,
         remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs, remoteInt, remoteXDRInt),
    PROC(REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, remoteDomainCreateWithFlags,
         remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs, remoteDomainMsg, remoteXDRDomainMsg),
    PROC(REMOTE_PROC_DOMAIN_GET_STATE, remoteDomainGetState,
         remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs,
         remoteDomainGetStateRet, remoteXDRDomainGetStateRet),
    PROC_NORET(REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, remoteDomainUndefineFlags,
               remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs),
    PROC_NORET(REMOTE_PROC_DOMAIN_DESTROY_FLAGS, remoteDomainDestroyFlags,
               remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs),
    PROC_NORET(REMOTE_PROC_DOMAIN_RESET, remoteDomainReset,
               remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs),
    PROC(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, remoteConnectListAllDomains,
         remoteListAllDomainsArgs, remoteXDRListAllDomainsArgs,
         remoteListAllDomainsRet, remoteXDRListAllDomainsRet),
    PROC(REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
         remoteConnectDomainEventCallbackRegisterAny,
         remoteDomainEventCallbackRegisterAnyArgs,
         remoteXDRDomainEventCallbackRegisterAnyArgs, remoteInt, remoteXDRInt),
    PROC_NORET(REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
               remoteConnectDomainEventCallbackDeregisterAny, remoteInt, remoteXDRInt),
    PROC(REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS, remoteDomainDefineXMLFlags,
         remoteStringFlagsArgs, remoteXDRStringFlagsArgs, remoteDomainMsg, remoteXDRDomainMsg),
    { REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, remoteNoop, 0, NULL, 0, NULL },
    { REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, remoteNoop, 0, NULL, 0, NULL },
    PROC(REMOTE_PROC_DOMAIN_GET_MESSAGES, remoteDomainGetMessages,
         remoteDomainFlagsArgs, remoteXDRDomainFlagsArgs,
         remoteDomainGetMessagesRet, remoteXDRDomainGetMessagesRet),
};

static const virNetServerProcedure qemuProcedures[] = {
    PROC(QEMU_PROC_DOMAIN_MONITOR_COMMAND, remoteQemuDomainMonitorCommand,
         qemuDomainMonitorCommandArgs, remoteXDRQemuDomainMonitorCommandArgs,
         remoteNonNullString, remoteXDRNonNullStringMsg),
    PROC(QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_REGISTER,
         remoteQemuConnectDomainMonitorEventRegister,
         qemuDomainMonitorEventRegisterArgs, remoteXDRQemuDomainMonitorEventRegisterArgs,
         remoteInt, remoteXDRInt),
    PROC_NORET(QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_DEREGISTER,
               remoteQemuConnectDomainMonitorEventDeregister, remoteInt, remoteXDRInt),
};


int
remoteDispatchRegister(virNetServer *server, qemuDriver *driver)
{
    if (virNetServerAddProgram(server, VIR_NET_PROGRAM_REMOTE, 1, remoteProcedures,
                               G_N_ELEMENTS(remoteProcedures), driver) < 0 ||
        virNetServerAddProgram(server, VIR_NET_PROGRAM_QEMU, 1, qemuProcedures,
                               G_N_ELEMENTS(qemuProcedures), driver) < 0)
        return -1;
    virNetServerSetClientInitHook(server, remoteClientInit, driver);
    return 0;
}
