/* fuzzdriver.c: an in-memory QEMU driver (qemu_driver.h) for the RPC fuzz target. */
#include <config.h>

#include <string.h>

#include "fuzzdriver.h"
#include "virdomainevent.h"
#include "virerror.h"
#include "virlog.h"

/*
 * The remote procedures call the driver API of qemu_driver.h; the fuzzer links this
 * instead of the real driver, so that no input can start a process or write a file.
 * Domains live in a virDomainObjList; "running" is a state and an id. The lifecycle
 * events the real driver sends are sent here too, so that event delivery to
 * clients is fuzzed as well.
 */

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("fuzz.driver");

/* Bounds what an input can make the fake hold. */
#define FUZZ_DRIVER_MAX_DOMAINS 64


qemuDriver *
fuzzDriverNew(void)
{
    qemuDriver *driver = g_new0(qemuDriver, 1);

    driver->domains = virDomainObjListNew();
    driver->events = virDomainEventBrokerNew();
    return driver;
}


static int
fuzzDriverRemoveOne(virDomainObj *vm, void *opaque)
{
    g_ptr_array_add(opaque, virObjectRef(vm));
    return 0;
}


void
fuzzDriverReset(qemuDriver *driver)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(virObjectUnrefVoid);
    guint i;

    virDomainObjListForEach(driver->domains, fuzzDriverRemoveOne, all);
    for (i = 0; i < all->len; i++) {
        virDomainObj *vm = g_ptr_array_index(all, i);

        virObjectLock(vm);
        virDomainObjListRemove(driver->domains, vm);
        virObjectUnlock(vm);
    }
    g_atomic_int_set(&driver->lastDomainId, 0);
}


static void
fuzzEmit(qemuDriver *driver, virDomainObj *vm, int event, int detail)
{
    virDomainEventBrokerEmitLifecycle(driver->events, vm->def->name, vm->def->uuid, vm->id,
                                      event, detail);
}


static virDomainObj *
fuzzFind(qemuDriver *driver, const char *name)
{
    virDomainObj *vm = virDomainObjListFindByName(driver->domains, name);

    if (!vm)
        virReportError(VIR_ERR_NO_DOMAIN, "Domain '%s' not found.", name);
    return vm;
}


virDomainObj *
qemuDomainLookupByName(qemuDriver *driver, const char *name)
{
    return fuzzFind(driver, name);
}


virDomainObj *
qemuDomainLookupByUUID(qemuDriver *driver, const unsigned char uuid[VIR_UUID_BUFLEN])
{
    virDomainObj *vm = virDomainObjListFindByUUID(driver->domains, uuid);

    if (!vm)
        virReportError(VIR_ERR_NO_DOMAIN, "%s", "No domain with that UUID.");
    return vm;
}


virDomainObj *
qemuDomainLookupByID(qemuDriver *driver, int id)
{
    virDomainObj *vm = virDomainObjListFindByID(driver->domains, id);

    if (!vm)
        virReportError(VIR_ERR_NO_DOMAIN, "Domain with id %d not found.", id);
    return vm;
}


virDomainObj **
qemuDomainList(qemuDriver *driver, size_t *ndoms)
{
    return virDomainObjListCollect(driver->domains, ndoms);
}


static virDomainObj *
fuzzAdd(qemuDriver *driver, const char *xml, bool persistent)
{
    g_autoptr(virDomainDef) def = NULL;
    virDomainObj *vm;

    if (virDomainObjListCount(driver->domains) >= FUZZ_DRIVER_MAX_DOMAINS) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "Too many domains.");
        return NULL;
    }
    if (!(def = virDomainDefParseString(xml)))
        return NULL;
    if (!(vm = virDomainObjListAdd(driver->domains, &def)))
        return NULL;
    vm->persistent = vm->persistent || persistent;
    return vm;
}


virDomainObj *
qemuDomainDefineXML(qemuDriver *driver, const char *xml)
{
    virDomainObj *vm = fuzzAdd(driver, xml, true);

    if (vm)
        fuzzEmit(driver, vm, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    return vm;
}


static void
fuzzStop(qemuDriver *driver, virDomainObj *vm, int reason)
{
    virDomainObjSetState(vm, VIR_DOMAIN_SHUTOFF, reason);
    fuzzEmit(driver, vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    vm->id = -1;
    if (!vm->persistent)
        virDomainObjListRemove(driver->domains, vm);
}


int
qemuDomainUndefine(qemuDriver *driver, const char *name)
{
    virDomainObj *vm = fuzzFind(driver, name);

    if (!vm)
        return -1;
    if (!vm->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "Domain '%s' is transient.", name);
        virDomainObjEndAPI(&vm);
        return -1;
    }
    vm->persistent = false;
    vm->autostart = false;
    fuzzEmit(driver, vm, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (!virDomainObjIsActive(vm))
        virDomainObjListRemove(driver->domains, vm);
    virDomainObjEndAPI(&vm);
    return 0;
}


static int
fuzzStart(qemuDriver *driver, virDomainObj *vm)
{
    if (virDomainObjIsActive(vm)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "Domain '%s' is already running.",
                       vm->def->name);
        return -1;
    }
    vm->id = g_atomic_int_add(&driver->lastDomainId, 1) + 1;
    vm->runId++;
    virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    fuzzEmit(driver, vm, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    return 0;
}


virDomainObj *
qemuDomainCreateXML(qemuDriver *driver, const char *xml)
{
    virDomainObj *vm = fuzzAdd(driver, xml, false);

    if (vm && fuzzStart(driver, vm) < 0) {
        if (!vm->persistent)
            virDomainObjListRemove(driver->domains, vm);
        virDomainObjEndAPI(&vm);
    }
    return vm;
}


/* Runs @op on the domain named @name, locked; -1 when it is missing. */
#define FUZZ_WITH_DOMAIN(driver, name, vm, body) \
    do { \
        virDomainObj *vm = fuzzFind(driver, name); \
        int rc_; \
        if (!vm) \
            return -1; \
        rc_ = (body); \
        virDomainObjEndAPI(&vm); \
        return rc_; \
    } while (0)


static int
fuzzRequireActive(virDomainObj *vm)
{
    if (!virDomainObjIsActive(vm)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "Domain '%s' is not running.",
                       vm->def->name);
        return -1;
    }
    return 0;
}


int
qemuDomainCreate(qemuDriver *driver, const char *name)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzStart(driver, vm));
}


static int
fuzzDestroy(qemuDriver *driver, virDomainObj *vm)
{
    if (fuzzRequireActive(vm) < 0)
        return -1;
    fuzzStop(driver, vm, VIR_DOMAIN_SHUTOFF_DESTROYED);
    return 0;
}


int
qemuDomainDestroy(qemuDriver *driver, const char *name)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzDestroy(driver, vm));
}


int
qemuDomainShutdown(qemuDriver *driver, const char *name)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzRequireActive(vm));
}


int
qemuDomainReboot(qemuDriver *driver, const char *name)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzRequireActive(vm));
}


int
qemuDomainReset(qemuDriver *driver, const char *name)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzRequireActive(vm));
}


static int
fuzzSetPaused(qemuDriver *driver, virDomainObj *vm, bool paused)
{
    if (fuzzRequireActive(vm) < 0)
        return -1;
    if (paused) {
        virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
        fuzzEmit(driver, vm, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    } else {
        if (vm->state != VIR_DOMAIN_PAUSED) {
            virReportError(VIR_ERR_OPERATION_INVALID, "Domain '%s' is not paused.",
                           vm->def->name);
            return -1;
        }
        virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        fuzzEmit(driver, vm, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    }
    return 0;
}


int
qemuDomainSuspend(qemuDriver *driver, const char *name)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzSetPaused(driver, vm, true));
}


int
qemuDomainResume(qemuDriver *driver, const char *name)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzSetPaused(driver, vm, false));
}


int
qemuDomainGetState(qemuDriver *driver, const char *name, int *state, int *reason)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, (*state = virDomainObjGetState(vm, reason), 0));
}


int
qemuDomainGetInfo(qemuDriver *driver, const char *name, qemuDomainInfo *info)
{
    FUZZ_WITH_DOMAIN(driver, name, vm,
                     (info->state = vm->state,
                      info->maxMem = vm->def->memory,
                      info->memory = vm->def->currentMemory,
                      info->nrVirtCpu = vm->def->vcpus,
                      info->cpuTime = 0, 0));
}


char *
qemuDomainGetXMLDesc(qemuDriver *driver, const char *name, unsigned int flags)
{
    virDomainObj *vm = fuzzFind(driver, name);
    char *xml;

    if (!vm)
        return NULL;
    xml = virDomainDefFormat(vm->newDef && (flags & VIR_DOMAIN_XML_INACTIVE) ?
                             vm->newDef : vm->def,
                             (flags & VIR_DOMAIN_XML_INACTIVE) ? 0 :
                             VIR_DOMAIN_DEF_FORMAT_LIVE);
    virDomainObjEndAPI(&vm);
    return xml;
}


static int
fuzzSetAutostart(virDomainObj *vm, bool autostart)
{
    if (!vm->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "Domain '%s' is transient.",
                       vm->def->name);
        return -1;
    }
    vm->autostart = autostart;
    return 0;
}


int
qemuDomainSetAutostart(qemuDriver *driver, const char *name, bool autostart)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, fuzzSetAutostart(vm, autostart));
}


int
qemuDomainGetAutostart(qemuDriver *driver, const char *name, bool *autostart)
{
    FUZZ_WITH_DOMAIN(driver, name, vm, (*autostart = vm->autostart, 0));
}


char *
qemuDomainMonitorCommand(qemuDriver *driver, const char *name, const char *cmd,
                         bool pretty G_GNUC_UNUSED)
{
    virDomainObj *vm = fuzzFind(driver, name);
    char *reply = NULL;

    if (!vm)
        return NULL;
    if (fuzzRequireActive(vm) == 0) {
        /* What QEMU answers a command it does not know, with the command echoed. */
        reply = g_strdup_printf("{\"error\": {\"class\": \"CommandNotFound\", "
                                "\"desc\": \"%zu bytes\"}}", strlen(cmd));
        virDomainEventBrokerEmitQMP(driver->events, vm->def->name, vm->def->uuid, vm->id,
                                    "FUZZ", 1, 2, cmd);
    }
    virDomainObjEndAPI(&vm);
    return reply;
}
