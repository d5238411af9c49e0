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
