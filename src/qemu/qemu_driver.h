/* qemu_driver.h: the QEMU driver's public operations (define, start, stop, look up...). */
#pragma once

#include "qemu_conf.h"

/*
 * The driver layer (DESIGN.md, "Layers"): what the daemon's remote procedures call.
 *
 * Domains are named by their name (the name is unique in the driver and never
 * changes). Error convention: every operation returns 0 (or an object, a string)
 * on success and -1 (or NULL) with exactly one libvirt-style error reported:
 * VIR_ERR_NO_DOMAIN for an unknown name, VIR_ERR_OPERATION_INVALID for an
 * operation the domain's state does not allow, the lower layers' errors otherwise.
 *
 * Threads: every operation may block (it waits for the domain's job, up to
 * QEMU_JOB_WAIT_TIME_MS, and for QEMU's replies), so call them off the main loop.
 */

typedef struct _qemuDriverConfig qemuDriverConfig;
struct _qemuDriverConfig {
    const char *configDir;        /* persistent definitions: <configdir>/qemu */
    const char *stateDir;         /* live state and monitor sockets: <rundir>/qemu */
    const char *logDir;           /* QEMU logs: <logdir>/qemu */
    const char *defaultEmulator;  /* NULL: qemu-system-<arch> from PATH */
    unsigned int workers;         /* 0: QEMU_DRIVER_DEFAULT_WORKERS */
    unsigned int monitorReplyTimeoutMs;  /* 0: the monitor's default */
};

/*
 * Creates the directories of @cfg (0700), the event thread and the workers; takes
 * over every QEMU a previous driver left running (its live state files), loads the
 * persistent definitions from configDir/NAME.xml (a broken file is logged and
 * skipped; a running domain with a definition there is persistent, the file being
 * its next definition), and starts the inactive autostart domains (a failure is
 * logged). Returns NULL with an error when a directory cannot be created.
 */
qemuDriver *qemuDriverNew(const qemuDriverConfig *cfg);

/* Detaches from every domain without stopping it (monitors closed, QEMU left
 * running for the next driver to reconnect to) and frees @driver. NULL is a no-op. */
void qemuDriverFree(qemuDriver *driver);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuDriver, qemuDriverFree);

/* Lookups: the domain referenced and locked (release with virDomainObjEndAPI), or
 * NULL with VIR_ERR_NO_DOMAIN. Only active domains have an id. */
virDomainObj *qemuDomainLookupByName(qemuDriver *driver, const char *name);
virDomainObj *qemuDomainLookupByUUID(qemuDriver *driver,
                                     const unsigned char uuid[VIR_UUID_BUFLEN]);
virDomainObj *qemuDomainLookupByID(qemuDriver *driver, int id);

/* Every domain, referenced but unlocked, sorted by name; NULL-terminated array of
 * *@ndoms entries. Free with virDomainObjListFreeCollected. Never NULL. */
virDomainObj **qemuDomainList(qemuDriver *driver, size_t *ndoms);

/*
 * Defines a persistent domain from @xml, written atomically to configDir/NAME.xml
 * (0600). Redefining a domain (same name and UUID) replaces its definition; while it
 * runs, the new one applies from its next start. Another domain with the same name
 * or UUID is an error. Returns the domain referenced and locked, or NULL.
 */
virDomainObj *qemuDomainDefineXML(qemuDriver *driver, const char *xml);

/* Removes the persistent definition of @name and its autostart link. An inactive
 * domain leaves the list; a running one becomes transient. */
int qemuDomainUndefine(qemuDriver *driver, const char *name);

/* Starts a transient domain from @xml; it leaves the list when it stops. Returns it
 * referenced and locked, or NULL (and no domain is left behind). */
virDomainObj *qemuDomainCreateXML(qemuDriver *driver, const char *xml);

/* Starts the defined, inactive domain @name. */
int qemuDomainCreate(qemuDriver *driver, const char *name);

/* Stops QEMU at once (SIGTERM, then SIGKILL); shut off (destroyed). */
int qemuDomainDestroy(qemuDriver *driver, const char *name);

/* Asks the guest to power off (ACPI, system_powerdown). A guest may ignore it; the
 * domain shuts off when QEMU exits. */
int qemuDomainShutdown(qemuDriver *driver, const char *name);

/* Reboots the guest (system_reset, see qemu_driver.c) and resets it (system_reset). */
int qemuDomainReboot(qemuDriver *driver, const char *name);
int qemuDomainReset(qemuDriver *driver, const char *name);

/* Pauses the vCPUs (paused, user) and lets them run again (running, unpaused).
 * Suspending a paused domain does nothing; resuming a running one is an error. */
int qemuDomainSuspend(qemuDriver *driver, const char *name);
int qemuDomainResume(qemuDriver *driver, const char *name);

/* The state (virDomainState) and its reason. */
int qemuDomainGetState(qemuDriver *driver, const char *name, int *state, int *reason);

typedef struct _qemuDomainInfo qemuDomainInfo;
struct _qemuDomainInfo {
    int state;                      /* virDomainState */
    unsigned long long maxMem;      /* KiB */
    unsigned long long memory;      /* KiB */
    unsigned int nrVirtCpu;
    unsigned long long cpuTime;     /* ns of CPU QEMU used; 0 when inactive */
};

/* What virsh dominfo shows. */
int qemuDomainGetInfo(qemuDriver *driver, const char *name, qemuDomainInfo *info);

/* The domain's XML: the live definition (id, aliases, host devices) of a running
 * domain, or with VIR_DOMAIN_XML_INACTIVE in @flags the persistent one (the next
 * definition when one is pending). */
char *qemuDomainGetXMLDesc(qemuDriver *driver, const char *name, unsigned int flags);

/* Autostart: a link configDir/autostart/NAME.xml to the definition, as in libvirt.
 * Only persistent domains can autostart. */
int qemuDomainSetAutostart(qemuDriver *driver, const char *name, bool autostart);
int qemuDomainGetAutostart(qemuDriver *driver, const char *name, bool *autostart);

/* Sends @cmd (QMP JSON text) to the running domain's QEMU as is and returns QEMU's
 * reply text, error replies included (virsh qemu-monitor-command), indented with
 * @pretty. */
char *qemuDomainMonitorCommand(qemuDriver *driver, const char *name, const char *cmd,
                               bool pretty);
