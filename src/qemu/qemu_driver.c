/* qemu_driver.c: the QEMU driver's public operations, over the process layer. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "qemu_driver.h"
#include "qemu_process.h"
#include "virerror.h"
#include "virlog.h"
#include "virobject.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("qemu.qemu_driver");


/* ---- helpers ---- */

static void
qemuDriverAttachPrivate(qemuDriver *driver, virDomainObj *vm)
{
    vm->privateData = qemuDomainObjPrivateNew(driver);
    vm->privateDataFree = qemuDomainObjPrivateFree;
}


static char *
qemuDriverConfigFile(qemuDriver *driver, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);

    return g_build_filename(driver->configDir, file, NULL);
}


static char *
qemuDriverAutostartLink(qemuDriver *driver, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);

    return g_build_filename(driver->autostartDir, file, NULL);
}


static void
qemuDomainReportNotFound(const char *name)
{
    virReportError(VIR_ERR_NO_DOMAIN, _("Domain '%1$s' not found."), name);
}


static int
qemuDomainCheckActive(virDomainObj *vm)
{
    if (!virDomainObjIsActive(vm)) {
        virReportError(VIR_ERR_OPERATION_INVALID, _("Domain '%1$s' is not running."),
                       vm->def->name);
        return -1;
    }
    return 0;
}


/* The persistent definition of @vm: its pending next one, else its def. */
static virDomainDef *
qemuDomainPersistentDef(virDomainObj *vm)
{
    return vm->newDef ? vm->newDef : vm->def;
}


/* Writes @def to configDir/NAME.xml atomically (temporary file, fsync, rename), 0600. */
static int
qemuDriverSaveDef(qemuDriver *driver, const virDomainDef *def)
{
    g_autofree char *path = qemuDriverConfigFile(driver, def->name);
    g_autofree char *xml = virDomainDefFormat(def, 0);
    g_autoptr(GError) err = NULL;

    if (!g_file_set_contents_full(path, xml, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                  &err)) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Cannot save the definition of domain '%1$s' to '%2$s': %3$s"),
                       def->name, path, err->message);
        return -1;
    }
    return 0;
}


/*
 * Starts @vm (locked, no job held: qemuProcessStart takes it). A persistent domain
 * keeps its persistent definition as newDef while it runs, since the start fills
 * the live one in.
 */
static int
qemuDriverStartLocked(qemuDriver *driver, virDomainObj *vm)
{
    if (vm->persistent && !vm->newDef && !(vm->newDef = virDomainDefCopy(vm->def)))
        return -1;
    if (qemuProcessStart(driver, vm) < 0)
        return -1;
    return 0;
}


/* ---- lookups ---- */

virDomainObj *
qemuDomainLookupByName(qemuDriver *driver, const char *name)
{
    virDomainObj *vm;

    g_return_val_if_fail(driver != NULL && name != NULL, NULL);
    if (!(vm = virDomainObjListFindByName(driver->domains, name)))
        qemuDomainReportNotFound(name);
    return vm;
}


virDomainObj *
qemuDomainLookupByUUID(qemuDriver *driver, const unsigned char uuid[VIR_UUID_BUFLEN])
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainObj *vm;

    g_return_val_if_fail(driver != NULL && uuid != NULL, NULL);
    if (!(vm = virDomainObjListFindByUUID(driver->domains, uuid))) {
        virReportError(VIR_ERR_NO_DOMAIN, _("No domain with UUID '%1$s'."),
                       virDomainUUIDFormat(uuid, uuidstr));
    }
    return vm;
}


virDomainObj *
qemuDomainLookupByID(qemuDriver *driver, int id)
{
    virDomainObj *vm;

    g_return_val_if_fail(driver != NULL, NULL);
    if (!(vm = virDomainObjListFindByID(driver->domains, id)))
        virReportError(VIR_ERR_NO_DOMAIN, _("No domain with ID %1$d."), id);
    return vm;
}


virDomainObj **
qemuDomainList(qemuDriver *driver, size_t *ndoms)
{
    g_return_val_if_fail(driver != NULL && ndoms != NULL, NULL);
    return virDomainObjListCollect(driver->domains, ndoms);
}


/* ---- define, undefine ---- */

/* Checks that @def may redefine @vm: the same UUID under the same name. */
static int
qemuDomainCheckSameDomain(virDomainObj *vm, const virDomainDef *def)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (memcmp(vm->def->uuid, def->uuid, VIR_UUID_BUFLEN) != 0 ||
        !STREQ(vm->def->name, def->name)) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Domain '%1$s' already exists with UUID %2$s."),
                       vm->def->name, virDomainUUIDFormat(vm->def->uuid, uuidstr));
        return -1;
    }
    return 0;
}


virDomainObj *
qemuDomainDefineXML(qemuDriver *driver, const char *xml)
{
    g_autoptr(virDomainDef) def = NULL;
    virDomainObj *vm;

    g_return_val_if_fail(driver != NULL && xml != NULL, NULL);
    if (!(def = virDomainDefParseString(xml)))
        return NULL;

    if ((vm = virDomainObjListFindByName(driver->domains, def->name)) ||
        (vm = virDomainObjListFindByUUID(driver->domains, def->uuid))) {
        if (qemuDomainCheckSameDomain(vm, def) < 0 || qemuDriverSaveDef(driver, def) < 0) {
            virDomainObjEndAPI(&vm);
            return NULL;
        }
        if (virDomainObjIsActive(vm)) {
            virDomainDefFree(vm->newDef);
            vm->newDef = g_steal_pointer(&def);
        } else {
            virDomainDefFree(vm->def);
            vm->def = g_steal_pointer(&def);
        }
        vm->persistent = true;
        VIR_INFO("Redefined domain '%s'", vm->def->name);
        qemuDomainEmitLifecycle(driver, vm, VIR_DOMAIN_EVENT_DEFINED,
                                VIR_DOMAIN_EVENT_DEFINED_UPDATED);
        return vm;
    }

    if (qemuDriverSaveDef(driver, def) < 0)
        return NULL;
    if (!(vm = virDomainObjListAdd(driver->domains, &def))) {
        g_autofree char *path = qemuDriverConfigFile(driver, def->name);

        unlink(path);
        return NULL;
    }
    qemuDriverAttachPrivate(driver, vm);
    vm->persistent = true;
    VIR_INFO("Defined domain '%s'", vm->def->name);
    qemuDomainEmitLifecycle(driver, vm, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    return vm;
}


int
qemuDomainUndefine(qemuDriver *driver, const char *name)
{
    g_autofree char *path = NULL;
    g_autofree char *link = NULL;
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    if (!vm->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       _("Cannot undefine transient domain '%1$s'."), name);
        virDomainObjEndAPI(&vm);
        return -1;
    }
    path = qemuDriverConfigFile(driver, name);
    link = qemuDriverAutostartLink(driver, name);
    if (unlink(link) < 0 && errno != ENOENT)
        VIR_WARN("Cannot remove autostart link '%s': %s", link, g_strerror(errno));
    if (unlink(path) < 0 && errno != ENOENT) {
        virReportSystemError(errno, _("Cannot remove the definition '%1$s' of domain '%2$s'"),
                             path, name);
        virDomainObjEndAPI(&vm);
        return -1;
    }
    vm->autostart = false;
    vm->persistent = false;
    g_clear_pointer(&vm->newDef, virDomainDefFree);
    VIR_INFO("Undefined domain '%s'", name);
    qemuDomainEmitLifecycle(driver, vm, VIR_DOMAIN_EVENT_UNDEFINED,
                            VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    /* Inactive: it goes now; running: it is transient and goes when it stops. */
    qemuDomainRemoveInactive(driver, vm);
    virDomainObjEndAPI(&vm);
    return 0;
}


/* ---- start, stop ---- */

virDomainObj *
qemuDomainCreateXML(qemuDriver *driver, const char *xml)
{
    g_autoptr(virDomainDef) def = NULL;
    virDomainObj *vm;

    g_return_val_if_fail(driver != NULL && xml != NULL, NULL);
    if (!(def = virDomainDefParseString(xml)))
        return NULL;
    /* Starting a transient domain over a defined one (libvirt allows that) is not
     * supported: start the defined one instead. */
    if ((vm = virDomainObjListFindByName(driver->domains, def->name)) ||
        (vm = virDomainObjListFindByUUID(driver->domains, def->uuid))) {
        virReportError(VIR_ERR_OPERATION_INVALID, _("Domain '%1$s' already exists."),
                       vm->def->name);
        virDomainObjEndAPI(&vm);
        return NULL;
    }
    if (!(vm = virDomainObjListAdd(driver->domains, &def)))
        return NULL;
    qemuDriverAttachPrivate(driver, vm);

    if (qemuDriverStartLocked(driver, vm) < 0) {
        g_autoptr(virQvirtError) saved = virErrorSave();

        qemuDomainRemoveInactive(driver, vm);
        virDomainObjEndAPI(&vm);
        virErrorRestore(&saved);
        return NULL;
    }
    return vm;
}


int
qemuDomainCreate(qemuDriver *driver, const char *name)
{
    virDomainObj *vm;
    int ret = -1;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    if (virDomainObjIsActive(vm)) {
        virReportError(VIR_ERR_OPERATION_INVALID, _("Domain '%1$s' is already running."),
                       name);
    } else if ((ret = qemuDriverStartLocked(driver, vm)) < 0) {
        g_autoptr(virQvirtError) saved = virErrorSave();

        qemuDomainRemoveInactive(driver, vm);
        virErrorRestore(&saved);
    }
    virDomainObjEndAPI(&vm);
    return ret;
}


int
qemuDomainDestroy(qemuDriver *driver, const char *name)
{
    virDomainObj *vm;
    int ret = -1;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    if (qemuDomainObjBeginJob(vm, "qemuDomainDestroy") < 0)
        goto cleanup;
    if (qemuDomainCheckActive(vm) == 0) {
        qemuProcessStop(driver, vm, VIR_DOMAIN_SHUTOFF_DESTROYED);
        ret = 0;
    }
    qemuDomainObjEndJob(vm);
    if (ret == 0)
        qemuDomainRemoveInactive(driver, vm);

 cleanup:
    virDomainObjEndAPI(&vm);
    return ret;
}


typedef enum {
    QEMU_DRIVER_MONITOR_POWERDOWN,
    QEMU_DRIVER_MONITOR_RESET,
    QEMU_DRIVER_MONITOR_STOP,
    QEMU_DRIVER_MONITOR_CONT,
} qemuDriverMonitorAction;


/* Runs one state-changing monitor command on the running domain @name, in a job. */
static int
qemuDomainRunMonitorAction(qemuDriver *driver, const char *name,
                           qemuDriverMonitorAction action, const char *owner)
{
    virDomainObj *vm;
    qemuMonitor *mon;
    unsigned long long runId;
    int ret = -1;
    int rc = -1;
    int state;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    if (qemuDomainObjBeginJob(vm, owner) < 0)
        goto cleanup;
    if (qemuDomainCheckActive(vm) < 0)
        goto endjob;
    state = virDomainObjGetState(vm, NULL);
    if (action == QEMU_DRIVER_MONITOR_STOP && state == VIR_DOMAIN_PAUSED) {
        ret = 0;   /* already paused, as libvirt: nothing to do */
        goto endjob;
    }
    if (action == QEMU_DRIVER_MONITOR_CONT && state != VIR_DOMAIN_PAUSED) {
        virReportError(VIR_ERR_OPERATION_INVALID, _("Domain '%1$s' is not paused."), name);
        goto endjob;
    }

    runId = vm->runId;
    if (!(mon = qemuDomainObjEnterMonitor(vm)))
        goto endjob;
    switch (action) {
    case QEMU_DRIVER_MONITOR_POWERDOWN:
        rc = qemuMonitorSystemPowerdown(mon);
        break;
    case QEMU_DRIVER_MONITOR_RESET:
        rc = qemuMonitorSystemReset(mon);
        break;
    case QEMU_DRIVER_MONITOR_STOP:
        rc = qemuMonitorStopCPUs(mon);
        break;
    case QEMU_DRIVER_MONITOR_CONT:
        rc = qemuMonitorStartCPUs(mon);
        break;
    }
    if (qemuDomainObjExitMonitor(vm, mon, runId) < 0 || rc < 0)
        goto endjob;

    /* QEMU's STOP/RESUME events set the state too, with an unknown reason; the
     * command says why. Whichever changes the state first tells the subscribers. */
    state = virDomainObjGetState(vm, NULL);
    if (action == QEMU_DRIVER_MONITOR_STOP) {
        virDomainObjSetState(vm, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
        if (state != VIR_DOMAIN_PAUSED)
            qemuDomainEmitLifecycle(driver, vm, VIR_DOMAIN_EVENT_SUSPENDED,
                                    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    } else if (action == QEMU_DRIVER_MONITOR_CONT) {
        virDomainObjSetState(vm, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        if (state != VIR_DOMAIN_RUNNING)
            qemuDomainEmitLifecycle(driver, vm, VIR_DOMAIN_EVENT_RESUMED,
                                    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    }
    ret = 0;

 endjob:
    qemuDomainObjEndJob(vm);
 cleanup:
    virDomainObjEndAPI(&vm);
    return ret;
}


int
qemuDomainShutdown(qemuDriver *driver, const char *name)
{
    return qemuDomainRunMonitorAction(driver, name, QEMU_DRIVER_MONITOR_POWERDOWN,
                                      "qemuDomainShutdown");
}


int
qemuDomainReboot(qemuDriver *driver, const char *name)
{
    /* libvirt reboots through ACPI (system_powerdown, then a reset when QEMU reports
     * the guest's shutdown). Without a guest agent that needs a cooperating guest;
     * qvirt resets the machine instead, which every guest obeys. */
    return qemuDomainRunMonitorAction(driver, name, QEMU_DRIVER_MONITOR_RESET,
                                      "qemuDomainReboot");
}


int
qemuDomainReset(qemuDriver *driver, const char *name)
{
    return qemuDomainRunMonitorAction(driver, name, QEMU_DRIVER_MONITOR_RESET,
                                      "qemuDomainReset");
}


int
qemuDomainSuspend(qemuDriver *driver, const char *name)
{
    return qemuDomainRunMonitorAction(driver, name, QEMU_DRIVER_MONITOR_STOP,
                                      "qemuDomainSuspend");
}


int
qemuDomainResume(qemuDriver *driver, const char *name)
{
    return qemuDomainRunMonitorAction(driver, name, QEMU_DRIVER_MONITOR_CONT,
                                      "qemuDomainResume");
}


/* ---- queries ---- */

int
qemuDomainGetState(qemuDriver *driver, const char *name, int *state, int *reason)
{
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    *state = virDomainObjGetState(vm, reason);
    virDomainObjEndAPI(&vm);
    return 0;
}


/* CPU time of process @pid in ns (utime + stime of /proc/PID/stat), 0 when unknown. */
static unsigned long long
qemuDriverProcessCPUTime(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%lld/stat", (long long)pid);
    g_autofree char *contents = NULL;
    unsigned long long utime;
    unsigned long long stime;
    long ticks = sysconf(_SC_CLK_TCK);
    const char *p;

    if (pid <= 0 || ticks <= 0 || !g_file_get_contents(path, &contents, NULL, NULL))
        return 0;
    /* The command name (field 2) may hold spaces and parentheses: skip to its end.
     * Then: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
     * cmajflt utime(14) stime(15). */
    if (!(p = strrchr(contents, ')')) ||
        sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &utime, &stime) != 2)
        return 0;
    return (utime + stime) * (1000000000ULL / (unsigned long long)ticks);
}


int
qemuDomainGetInfo(qemuDriver *driver, const char *name, qemuDomainInfo *info)
{
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    info->state = virDomainObjGetState(vm, NULL);
    info->maxMem = vm->def->memory;
    info->memory = vm->def->currentMemory ? vm->def->currentMemory : vm->def->memory;
    info->nrVirtCpu = vm->def->vcpus;
    info->cpuTime = virDomainObjIsActive(vm) ? qemuDriverProcessCPUTime(vm->pid) : 0;
    virDomainObjEndAPI(&vm);
    return 0;
}


char *
qemuDomainGetXMLDesc(qemuDriver *driver, const char *name, unsigned int flags)
{
    virDomainObj *vm;
    char *xml;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return NULL;
    if ((flags & VIR_DOMAIN_XML_INACTIVE) || !virDomainObjIsActive(vm))
        xml = virDomainDefFormat(qemuDomainPersistentDef(vm), 0);
    else
        xml = virDomainDefFormat(vm->def, VIR_DOMAIN_DEF_FORMAT_LIVE);
    virDomainObjEndAPI(&vm);
    return xml;
}


/* ---- autostart ---- */

int
qemuDomainSetAutostart(qemuDriver *driver, const char *name, bool autostart)
{
    g_autofree char *link = NULL;
    g_autofree char *path = NULL;
    virDomainObj *vm;
    int ret = -1;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    if (!vm->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       _("Cannot set autostart for transient domain '%1$s'."), name);
        goto cleanup;
    }
    link = qemuDriverAutostartLink(driver, name);
    path = qemuDriverConfigFile(driver, name);
    if (autostart) {
        if (symlink(path, link) < 0 && errno != EEXIST) {
            virReportSystemError(errno, _("Cannot create autostart link '%1$s' for domain '%2$s'"),
                                 link, name);
            goto cleanup;
        }
    } else if (unlink(link) < 0 && errno != ENOENT) {
        virReportSystemError(errno, _("Cannot remove autostart link '%1$s' of domain '%2$s'"),
                             link, name);
        goto cleanup;
    }
    vm->autostart = autostart;
    ret = 0;

 cleanup:
    virDomainObjEndAPI(&vm);
    return ret;
}


int
qemuDomainGetAutostart(qemuDriver *driver, const char *name, bool *autostart)
{
    virDomainObj *vm;

    if (!(vm = qemuDomainLookupByName(driver, name)))
        return -1;
    *autostart = vm->autostart;
    virDomainObjEndAPI(&vm);
    return 0;
}


/* ---- monitor pass-through ---- */

char *
qemuDomainMonitorCommand(qemuDriver *driver, const char *name, const char *cmd,
                         bool pretty)
{
    virDomainObj *vm;
    qemuMonitor *mon;
    char *reply = NULL;
    unsigned long long runId;
    int rc;

    g_return_val_if_fail(cmd != NULL, NULL);
    if (!(vm = qemuDomainLookupByName(driver, name)))
        return NULL;
    if (qemuDomainObjBeginJob(vm, "qemuDomainMonitorCommand") < 0)
        goto cleanup;
    if (qemuDomainCheckActive(vm) < 0)
        goto endjob;
    runId = vm->runId;
    if (!(mon = qemuDomainObjEnterMonitor(vm)))
        goto endjob;
    rc = qemuMonitorArbitraryCommand(mon, cmd, &reply, pretty);
    if (qemuDomainObjExitMonitor(vm, mon, runId) < 0 || rc < 0)
        g_clear_pointer(&reply, g_free);

 endjob:
    qemuDomainObjEndJob(vm);
 cleanup:
    virDomainObjEndAPI(&vm);
    return reply;
}


/* ---- driver life ---- */

/* Loads configDir/NAME.xml into the list: a domain taken over from a live state
 * file (same name and UUID) becomes persistent with it as its next definition. */
static void
qemuDriverLoadPersistent(qemuDriver *driver, const char *path)
{
    g_autoptr(virDomainDef) def = NULL;
    virDomainObj *vm;

    if (!(def = virDomainDefParseFile(path))) {
        VIR_WARN("Skipping domain definition '%s': %s", path, virErrorGetLastMessage());
        virResetLastError();
        return;
    }
    if ((vm = virDomainObjListFindByName(driver->domains, def->name))) {
        if (qemuDomainCheckSameDomain(vm, def) < 0) {
            VIR_WARN("Skipping domain definition '%s': %s", path, virErrorGetLastMessage());
            virResetLastError();
        } else if (virDomainObjIsActive(vm)) {
            virDomainDefFree(vm->newDef);
            vm->newDef = g_steal_pointer(&def);
            vm->persistent = true;
        } else {
            virDomainDefFree(vm->def);
            vm->def = g_steal_pointer(&def);
            vm->persistent = true;
        }
        virDomainObjEndAPI(&vm);
        return;
    }
    if (!(vm = virDomainObjListAdd(driver->domains, &def))) {
        VIR_WARN("Skipping domain definition '%s': %s", path, virErrorGetLastMessage());
        virResetLastError();
        return;
    }
    qemuDriverAttachPrivate(driver, vm);
    vm->persistent = true;
    virDomainObjEndAPI(&vm);
}


static void
qemuDriverLoadAllPersistent(qemuDriver *driver)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) err = NULL;
    const char *entry;

    if (!(dir = g_dir_open(driver->configDir, 0, &err))) {
        VIR_WARN("Cannot read domain definitions in '%s': %s", driver->configDir,
                 err->message);
        return;
    }
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        path = g_build_filename(driver->configDir, entry, NULL);
        if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
            continue;
        qemuDriverLoadPersistent(driver, path);
    }
}


/* Transient domains whose QEMU died while no driver watched have nothing left. */
static void
qemuDriverRemoveDeadTransient(qemuDriver *driver)
{
    size_t n;
    size_t i;
    virDomainObj **doms = virDomainObjListCollect(driver->domains, &n);

    for (i = 0; i < n; i++) {
        virObjectLock(doms[i]);
        qemuDomainRemoveInactive(driver, doms[i]);
        virObjectUnlock(doms[i]);
    }
    virDomainObjListFreeCollected(doms);
}


static void
qemuDriverAutostartAll(qemuDriver *driver)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) err = NULL;
    const char *entry;

    if (!(dir = g_dir_open(driver->autostartDir, 0, &err))) {
        VIR_WARN("Cannot read autostart links in '%s': %s", driver->autostartDir,
                 err->message);
        return;
    }
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *name = NULL;
        virDomainObj *vm;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        name = g_strndup(entry, strlen(entry) - strlen(".xml"));
        if (!(vm = virDomainObjListFindByName(driver->domains, name)) || !vm->persistent) {
            VIR_WARN("Autostart link '%s' names no defined domain.", entry);
            virDomainObjEndAPI(&vm);
            continue;
        }
        vm->autostart = true;
        if (!virDomainObjIsActive(vm)) {
            VIR_INFO("Autostarting domain '%s'", name);
            if (qemuDriverStartLocked(driver, vm) < 0) {
                VIR_ERROR("Cannot autostart domain '%s': %s", name, virErrorGetLastMessage());
                virResetLastError();
                qemuDomainRemoveInactive(driver, vm);
            }
        }
        virDomainObjEndAPI(&vm);
    }
}


static int
qemuDriverMakeDir(const char *path)
{
    if (g_mkdir_with_parents(path, 0700) < 0) {
        virReportSystemError(errno, _("Cannot create directory '%1$s'"), path);
        return -1;
    }
    return 0;
}


qemuDriver *
qemuDriverNew(const qemuDriverConfig *cfg)
{
    g_autoptr(qemuDriver) driver = NULL;
    size_t taken;

    g_return_val_if_fail(cfg != NULL && cfg->configDir && cfg->stateDir && cfg->logDir,
                         NULL);

    driver = g_new0(qemuDriver, 1);
    driver->configDir = g_strdup(cfg->configDir);
    driver->autostartDir = g_build_filename(cfg->configDir, "autostart", NULL);
    driver->stateDir = g_strdup(cfg->stateDir);
    driver->logDir = g_strdup(cfg->logDir);
    driver->defaultEmulator = g_strdup(cfg->defaultEmulator);
    driver->monitorReplyTimeoutMs = cfg->monitorReplyTimeoutMs;
    if (qemuDriverMakeDir(driver->configDir) < 0 ||
        qemuDriverMakeDir(driver->autostartDir) < 0 ||
        qemuDriverMakeDir(driver->stateDir) < 0 ||
        qemuDriverMakeDir(driver->logDir) < 0)
        return NULL;

    driver->kvm = access("/dev/kvm", R_OK | W_OK) == 0;
    driver->domains = virDomainObjListNew();
    driver->events = virDomainEventBrokerNew();
    driver->eventThread = virEventThreadNew("qemu-event");
    driver->workers = virWorkQueueNew("qemu-worker",
                                      cfg->workers ? cfg->workers : QEMU_DRIVER_DEFAULT_WORKERS,
                                      QEMU_DRIVER_EVENTS_PER_DOMAIN_MAX,
                                      qemuProcessEventHandler,
                                      (GDestroyNotify)qemuProcessEventFree, driver);

    /* Running domains first (their live definitions), then the persistent
     * definitions, which attach to them by name. */
    taken = qemuProcessReconnectAll(driver);
    qemuDriverLoadAllPersistent(driver);
    qemuDriverRemoveDeadTransient(driver);
    qemuDriverAutostartAll(driver);
    VIR_INFO("QEMU driver ready: %zu domains, %zu taken over, kvm %s",
             virDomainObjListCount(driver->domains), taken, driver->kvm ? "yes" : "no");
    return g_steal_pointer(&driver);
}


void
qemuDriverFree(qemuDriver *driver)
{
    if (!driver)
        return;

    if (driver->domains) {
        size_t n;
        size_t i;
        virDomainObj **doms = virDomainObjListCollect(driver->domains, &n);

        /* Detach only: QEMU runs on and its live state file stays for the next
         * driver. No monitor callback starts after the close. */
        for (i = 0; i < n; i++) {
            virObjectLock(doms[i]);
            qemuProcessDetach(doms[i]);
            virObjectUnlock(doms[i]);
        }
        virDomainObjListFreeCollected(doms);
    }
    /* Queued events meet domains without a monitor and give up. */
    virWorkQueueFree(driver->workers);
    virEventThreadFree(driver->eventThread);
    if (driver->domains)
        virObjectUnref(driver->domains);
    virDomainEventBrokerFree(driver->events);
    g_free(driver->configDir);
    g_free(driver->autostartDir);
    g_free(driver->stateDir);
    g_free(driver->logDir);
    g_free(driver->defaultEmulator);
    g_free(driver);
}
