/* qemu_process.h: QEMU lifecycle pieces, monitor callbacks, and the event workers. */
#pragma once

#include "qemu_domain.h"

/* The callbacks every domain's monitor is opened with (opaque: the qemuDriver). */
extern const qemuMonitorCallbacks monitorCallbacks;

/* The worker function of driver->workers: dispatches one qemuProcessEvent to its
 * process*Event function (@data is the qemuProcessEvent, @opaque the driver). */
void qemuProcessEventHandler(void *data, void *opaque);

/* Queues an event for @vm's worker (takes a reference on @vm; takes @data). Called
 * with @vm locked, from monitor callbacks. */
void qemuProcessQueueEvent(qemuDriver *driver, virDomainObj *vm,
                           qemuProcessEventType type, char *data, int action);

/* Queries and mirrors the rx filter of every trusted NIC of @vm (start, reconnect,
 * guest reset). Called in a job with @vm locked; failures are logged, never fatal. */
void qemuProcessRefreshRxFilters(virDomainObj *vm, unsigned long long runId);

/*
 * Starts @vm (locked, inactive; the caller holds no job): creates its host devices,
 * spawns QEMU paused with their fds, connects the monitor, syncs the rx filter of
 * every trusted virtio NIC (which also arms its event), runs `cont`, and writes the
 * live state file. Any failure undoes everything created and reports the cause,
 * with the tail of QEMU's log when QEMU exited. Returns 0 or -1.
 */
int qemuProcessStart(qemuDriver *driver, virDomainObj *vm);

/*
 * Stops @vm (locked, active, the caller holds its job): closes the monitor, ends QEMU
 * (SIGTERM, then SIGKILL after QEMU_PROCESS_STOP_GRACE_MS), deletes the host devices
 * qvirt created and the live state, and sets the state to shut off with @reason
 * (virDomainShutoffReason).
 */
void qemuProcessStop(qemuDriver *driver, virDomainObj *vm, int reason);

/* Lets go of @vm's QEMU (locked) without stopping it, as a daemon that exits does:
 * the monitor is closed and the exit watch removed; QEMU, its devices and its live
 * state file stay for the next qvirtd. No callback starts afterwards. */
void qemuProcessDetach(virDomainObj *vm);

/* The live state file of @vm: <stateDir>/NAME.xml. */
char *qemuProcessStatusPath(qemuDriver *driver, virDomainObj *vm);

/*
 * Takes over the QEMU a previous qvirtd started, as its live state file @status
 * records it, for @vm (locked, built from @status->def, no job held): when the
 * process is gone, cleans up after it (devices, files) and leaves the domain shut
 * off (crashed); else reconnects the monitor, reads the run state and re-syncs every
 * trusted NIC, since events sent meanwhile were lost. A QEMU that cannot be reached
 * is stopped. Returns 0, or -1 with an error when the domain could not be taken over.
 */
int qemuProcessReconnect(qemuDriver *driver, virDomainObj *vm,
                         const qemuDomainStatus *status);

/* Builds a domain in driver->domains for each live state file in driver->stateDir
 * and takes its QEMU over (qemuProcessReconnect). Unreadable files and domains that
 * cannot be taken over are logged and skipped. Returns how many domains run. */
size_t qemuProcessReconnectAll(qemuDriver *driver);
