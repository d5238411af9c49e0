/* qemu_monitor_json.c: QMP's JSON: event decoding, command building, reply parsing. */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_monitor_json.h"
#include "virerror.h"
#include "virlog.h"
#include "virmacaddr.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("qemu.qemu_monitor_json");

/* Logs why an event is dropped: its data lacks @member or has it of the wrong type. */
static void
qemuMonitorJSONEventMalformed(const char *event, const char *member)
{
    VIR_WARN("Dropping QEMU event %s: member '%s' is missing or has the wrong type.",
             event, member);
}


static void
qemuMonitorJSONHandleShutdown(qemuMonitor *mon, virJSONValue *data)
{
    bool guest = false;
    int guestKnown = -1;

    if (data && virJSONValueObjectGetBoolean(data, "guest", &guest) == 0)
        guestKnown = guest ? 1 : 0;
    qemuMonitorEmitShutdown(mon, guestKnown,
                            data ? virJSONValueObjectGetString(data, "reason") : NULL);
}


static void
qemuMonitorJSONHandleReset(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitReset(mon);
}


static void
qemuMonitorJSONHandleStop(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitStop(mon);
}


static void
qemuMonitorJSONHandleResume(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitResume(mon);
}


static void
qemuMonitorJSONHandleRTCChange(qemuMonitor *mon, virJSONValue *data)
{
    long long offset;

    if (!data || virJSONValueObjectGetNumberLong(data, "offset", &offset) < 0) {
        qemuMonitorJSONEventMalformed("RTC_CHANGE", "offset");
        return;
    }
    qemuMonitorEmitRTCChange(mon, offset, virJSONValueObjectGetString(data, "qom-path"));
}


static void
qemuMonitorJSONHandleWatchdog(qemuMonitor *mon, virJSONValue *data)
{
    const char *action;

    if (!data || !(action = virJSONValueObjectGetString(data, "action"))) {
        qemuMonitorJSONEventMalformed("WATCHDOG", "action");
        return;
    }
    qemuMonitorEmitWatchdog(mon, action);
}


static void
qemuMonitorJSONHandleIOError(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorIOErrorInfo info = { 0 };

    if (!data ||
        !(info.device = (char *)virJSONValueObjectGetString(data, "device")) ||
        !(info.operation = (char *)virJSONValueObjectGetString(data, "operation")) ||
        !(info.action = (char *)virJSONValueObjectGetString(data, "action"))) {
        qemuMonitorJSONEventMalformed("BLOCK_IO_ERROR", "device/operation/action");
        return;
    }
    info.nodename = (char *)virJSONValueObjectGetString(data, "node-name");
    info.reason = (char *)virJSONValueObjectGetString(data, "reason");
    ignore_value(virJSONValueObjectGetBoolean(data, "nospace", &info.nospace));
    /* QEMU sends "" for a device with no name; callers want NULL then. */
    if (!*info.device)
        info.device = NULL;
    qemuMonitorEmitIOError(mon, &info);
}


static int
qemuMonitorJSONParseGraphicsAddress(virJSONValue *obj, const char *portKey,
                                    qemuMonitorGraphicsAddress *addr)
{
    const char *family;

    if (!obj ||
        !(addr->host = (char *)virJSONValueObjectGetString(obj, "host")) ||
        !(addr->port = (char *)virJSONValueObjectGetString(obj, portKey)) ||
        !(family = virJSONValueObjectGetString(obj, "family")))
        return -1;
    if (STREQ(family, "ipv4"))
        addr->family = 4;
    else if (STREQ(family, "ipv6"))
        addr->family = 6;
    else if (STREQ(family, "unix"))
        addr->family = 0;
    else
        return -1;
    addr->auth = (char *)virJSONValueObjectGetString(obj, "auth");
    return 0;
}


static void
qemuMonitorJSONHandleGraphics(qemuMonitor *mon, virJSONValue *data, const char *event,
                              const char *protocol, const char *portKey,
                              qemuMonitorGraphicsPhase phase)
{
    qemuMonitorGraphicsAddress local = { 0 };
    qemuMonitorGraphicsAddress remote = { 0 };

    if (!data ||
        qemuMonitorJSONParseGraphicsAddress(virJSONValueObjectGetObject(data, "server"),
                                            portKey, &local) < 0) {
        qemuMonitorJSONEventMalformed(event, "server");
        return;
    }
    if (qemuMonitorJSONParseGraphicsAddress(virJSONValueObjectGetObject(data, "client"),
                                            portKey, &remote) < 0) {
        qemuMonitorJSONEventMalformed(event, "client");
        return;
    }
    qemuMonitorEmitGraphics(mon, protocol, phase, &local, &remote);
}


static void
qemuMonitorJSONHandleVNCConnect(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorJSONHandleGraphics(mon, data, "VNC_CONNECTED", "vnc", "service",
                                  QEMU_MONITOR_GRAPHICS_CONNECT);
}


static void
qemuMonitorJSONHandleVNCInitialize(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorJSONHandleGraphics(mon, data, "VNC_INITIALIZED", "vnc", "service",
                                  QEMU_MONITOR_GRAPHICS_INITIALIZE);
}


static void
qemuMonitorJSONHandleVNCDisconnect(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorJSONHandleGraphics(mon, data, "VNC_DISCONNECTED", "vnc", "service",
                                  QEMU_MONITOR_GRAPHICS_DISCONNECT);
}


static void
qemuMonitorJSONHandleSPICEConnect(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorJSONHandleGraphics(mon, data, "SPICE_CONNECTED", "spice", "port",
                                  QEMU_MONITOR_GRAPHICS_CONNECT);
}


static void
qemuMonitorJSONHandleSPICEInitialize(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorJSONHandleGraphics(mon, data, "SPICE_INITIALIZED", "spice", "port",
                                  QEMU_MONITOR_GRAPHICS_INITIALIZE);
}


static void
qemuMonitorJSONHandleSPICEDisconnect(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorJSONHandleGraphics(mon, data, "SPICE_DISCONNECTED", "spice", "port",
                                  QEMU_MONITOR_GRAPHICS_DISCONNECT);
}


static void
qemuMonitorJSONHandleSpiceMigrated(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitSpiceMigrated(mon);
}


static void
qemuMonitorJSONHandleTrayChange(qemuMonitor *mon, virJSONValue *data)
{
    const char *devAlias;
    const char *devid;
    bool open;

    if (!data || !(devAlias = virJSONValueObjectGetString(data, "device")) ||
        !(devid = virJSONValueObjectGetString(data, "id")) ||
        virJSONValueObjectGetBoolean(data, "tray-open", &open) < 0) {
        qemuMonitorJSONEventMalformed("DEVICE_TRAY_MOVED", "device/id/tray-open");
        return;
    }
    qemuMonitorEmitTrayChange(mon, *devAlias ? devAlias : NULL, devid, open);
}


static void
qemuMonitorJSONHandlePMWakeup(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitPMWakeup(mon);
}


static void
qemuMonitorJSONHandlePMSuspend(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitPMSuspend(mon);
}


static void
qemuMonitorJSONHandlePMSuspendDisk(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitPMSuspendDisk(mon);
}


static void
qemuMonitorJSONHandleBalloonChange(qemuMonitor *mon, virJSONValue *data)
{
    unsigned long long actual;

    if (!data || virJSONValueObjectGetNumberUlong(data, "actual", &actual) < 0) {
        qemuMonitorJSONEventMalformed("BALLOON_CHANGE", "actual");
        return;
    }
    /* QEMU counts bytes; libvirt's API speaks KiB. */
    qemuMonitorEmitBalloonChange(mon, actual / 1024);
}


static void
qemuMonitorJSONHandleGuestPanic(qemuMonitor *mon, virJSONValue *data)
{
    virJSONValue *info = NULL;
    g_autofree char *infoJSON = NULL;
    const char *action;

    if (!data || !(action = virJSONValueObjectGetString(data, "action"))) {
        qemuMonitorJSONEventMalformed("GUEST_PANICKED", "action");
        return;
    }
    if ((info = virJSONValueObjectGetObject(data, "info")))
        infoJSON = virJSONValueToString(info, false);
    qemuMonitorEmitGuestPanic(mon, action, infoJSON);
}


static void
qemuMonitorJSONHandleGuestCrashloaded(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorEmitGuestCrashloaded(mon);
}


static void
qemuMonitorJSONHandleDeviceDeleted(qemuMonitor *mon, virJSONValue *data)
{
    const char *device;

    /* QEMU leaves "device" out for devices without an id; nothing of ours then. */
    if (!data || !(device = virJSONValueObjectGetString(data, "device"))) {
        VIR_DEBUG("DEVICE_DELETED without a device id: not one of ours");
        return;
    }
    qemuMonitorEmitDeviceDeleted(mon, device);
}


static void
qemuMonitorJSONHandleDeviceUnplugErr(qemuMonitor *mon, virJSONValue *data)
{
    const char *path;

    if (!data || !(path = virJSONValueObjectGetString(data, "path"))) {
        qemuMonitorJSONEventMalformed("DEVICE_UNPLUG_GUEST_ERROR", "path");
        return;
    }
    qemuMonitorEmitDeviceUnplugError(mon, path, virJSONValueObjectGetString(data, "device"));
}


static void
qemuMonitorJSONHandleNicRxFilterChanged(qemuMonitor *mon, virJSONValue *data)
{
    const char *name;

    if (!data || !(name = virJSONValueObjectGetString(data, "name"))) {
        qemuMonitorJSONEventMalformed("NIC_RX_FILTER_CHANGED", "name");
        return;
    }
    qemuMonitorEmitNicRxFilterChanged(mon, name);
}


static void
qemuMonitorJSONHandleSerialChange(qemuMonitor *mon, virJSONValue *data)
{
    const char *name;
    bool connected;

    if (!data || !(name = virJSONValueObjectGetString(data, "id")) ||
        virJSONValueObjectGetBoolean(data, "open", &connected) < 0) {
        qemuMonitorJSONEventMalformed("VSERPORT_CHANGE", "id/open");
        return;
    }
    qemuMonitorEmitSerialChange(mon, name, connected);
}


static void
qemuMonitorJSONHandleMigrationStatus(qemuMonitor *mon, virJSONValue *data)
{
    const char *status;

    if (!data || !(status = virJSONValueObjectGetString(data, "status"))) {
        qemuMonitorJSONEventMalformed("MIGRATION", "status");
        return;
    }
    qemuMonitorEmitMigrationStatus(mon, status);
}


static void
qemuMonitorJSONHandleMigrationPass(qemuMonitor *mon, virJSONValue *data)
{
    int pass;

    if (!data || virJSONValueObjectGetNumberInt(data, "pass", &pass) < 0) {
        qemuMonitorJSONEventMalformed("MIGRATION_PASS", "pass");
        return;
    }
    qemuMonitorEmitMigrationPass(mon, pass);
}


static void
qemuMonitorJSONHandleAcpiOstInfo(qemuMonitor *mon, virJSONValue *data)
{
    virJSONValue *info;
    qemuMonitorAcpiOstInfo ost = { 0 };

    if (!data || !(info = virJSONValueObjectGetObject(data, "info")) ||
        !(ost.slotType = (char *)virJSONValueObjectGetString(info, "slot-type")) ||
        !(ost.slot = (char *)virJSONValueObjectGetString(info, "slot")) ||
        virJSONValueObjectGetNumberUint(info, "source", &ost.source) < 0 ||
        virJSONValueObjectGetNumberUint(info, "status", &ost.status) < 0) {
        qemuMonitorJSONEventMalformed("ACPI_DEVICE_OST", "info");
        return;
    }
    ost.alias = (char *)virJSONValueObjectGetString(info, "device");
    qemuMonitorEmitAcpiOstInfo(mon, &ost);
}


static void
qemuMonitorJSONHandleBlockThreshold(qemuMonitor *mon, virJSONValue *data)
{
    const char *nodename;
    unsigned long long threshold;
    unsigned long long excess;

    if (!data || !(nodename = virJSONValueObjectGetString(data, "node-name")) ||
        virJSONValueObjectGetNumberUlong(data, "write-threshold", &threshold) < 0 ||
        virJSONValueObjectGetNumberUlong(data, "amount-exceeded", &excess) < 0) {
        qemuMonitorJSONEventMalformed("BLOCK_WRITE_THRESHOLD",
                                      "node-name/write-threshold/amount-exceeded");
        return;
    }
    qemuMonitorEmitBlockThreshold(mon, nodename, threshold, excess);
}


static void
qemuMonitorJSONHandleDumpCompleted(qemuMonitor *mon, virJSONValue *data)
{
    virJSONValue *result;
    unsigned long long total = 0;
    unsigned long long completed = 0;
    const char *error;

    if (!data || !(result = virJSONValueObjectGetObject(data, "result")) ||
        virJSONValueObjectGetNumberUlong(result, "total", &total) < 0 ||
        virJSONValueObjectGetNumberUlong(result, "completed", &completed) < 0) {
        qemuMonitorJSONEventMalformed("DUMP_COMPLETED", "result");
        return;
    }
    error = virJSONValueObjectGetString(data, "error");
    qemuMonitorEmitDumpCompleted(mon, error ? -1 : 0, total, completed, error);
}


static void
qemuMonitorJSONHandlePRManagerStatusChanged(qemuMonitor *mon, virJSONValue *data)
{
    const char *name;
    bool connected;

    if (!data || !(name = virJSONValueObjectGetString(data, "id")) ||
        virJSONValueObjectGetBoolean(data, "connected", &connected) < 0) {
        qemuMonitorJSONEventMalformed("PR_MANAGER_STATUS_CHANGED", "id/connected");
        return;
    }
    qemuMonitorEmitPRManagerStatusChanged(mon, name, connected);
}


static void
qemuMonitorJSONHandleRdmaGidStatusChanged(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorRdmaGidStatus info = { 0 };

    if (!data || !(info.netdev = (char *)virJSONValueObjectGetString(data, "netdev")) ||
        virJSONValueObjectGetBoolean(data, "gid-status", &info.gidStatus) < 0 ||
        virJSONValueObjectGetNumberUlong(data, "subnet-prefix", &info.subnetPrefix) < 0 ||
        virJSONValueObjectGetNumberUlong(data, "interface-id", &info.interfaceId) < 0) {
        qemuMonitorJSONEventMalformed("RDMA_GID_STATUS_CHANGED",
                                      "netdev/gid-status/subnet-prefix/interface-id");
        return;
    }
    qemuMonitorEmitRdmaGidStatusChanged(mon, &info);
}


static void
qemuMonitorJSONHandleMemoryFailure(qemuMonitor *mon, virJSONValue *data)
{
    qemuMonitorMemoryFailure mf = { 0 };
    virJSONValue *flags;

    if (!data || !(mf.recipient = (char *)virJSONValueObjectGetString(data, "recipient")) ||
        !(mf.action = (char *)virJSONValueObjectGetString(data, "action")) ||
        !(flags = virJSONValueObjectGetObject(data, "flags")) ||
        virJSONValueObjectGetBoolean(flags, "action-required", &mf.actionRequired) < 0 ||
        virJSONValueObjectGetBoolean(flags, "recursive", &mf.recursive) < 0) {
        qemuMonitorJSONEventMalformed("MEMORY_FAILURE", "recipient/action/flags");
        return;
    }
    qemuMonitorEmitMemoryFailure(mon, &mf);
}


static void
qemuMonitorJSONHandleMemoryDeviceSizeChange(qemuMonitor *mon, virJSONValue *data)
{
    const char *name;
    unsigned long long size;

    if (!data || !(name = virJSONValueObjectGetString(data, "id")) ||
        virJSONValueObjectGetNumberUlong(data, "size", &size) < 0) {
        qemuMonitorJSONEventMalformed("MEMORY_DEVICE_SIZE_CHANGE", "id/size");
        return;
    }
    qemuMonitorEmitMemoryDeviceSizeChange(mon, name, size);
}


static void
qemuMonitorJSONHandleJobStatusChange(qemuMonitor *mon, virJSONValue *data)
{
    const char *jobname;
    const char *status;

    if (!data || !(jobname = virJSONValueObjectGetString(data, "id")) ||
        !(status = virJSONValueObjectGetString(data, "status"))) {
        qemuMonitorJSONEventMalformed("JOB_STATUS_CHANGE", "id/status");
        return;
    }
    qemuMonitorEmitJobStatusChange(mon, jobname, status);
}


static void
qemuMonitorJSONHandleNetdevStreamDisconnected(qemuMonitor *mon, virJSONValue *data)
{
    const char *name;

    if (!data || !(name = virJSONValueObjectGetString(data, "netdev-id"))) {
        qemuMonitorJSONEventMalformed("NETDEV_STREAM_DISCONNECTED", "netdev-id");
        return;
    }
    qemuMonitorEmitNetdevStreamDisconnected(mon, name);
}


typedef struct {
    const char *type;
    void (*handler)(qemuMonitor *mon, virJSONValue *data);
} qemuEventHandler;

/* bsearch: keep sorted (qemumonitorjsontest fails when it is not). */
static const qemuEventHandler eventHandlers[] = {
    { "ACPI_DEVICE_OST", qemuMonitorJSONHandleAcpiOstInfo, },
    { "BALLOON_CHANGE", qemuMonitorJSONHandleBalloonChange, },
    { "BLOCK_IO_ERROR", qemuMonitorJSONHandleIOError, },
    { "BLOCK_WRITE_THRESHOLD", qemuMonitorJSONHandleBlockThreshold, },
    { "DEVICE_DELETED", qemuMonitorJSONHandleDeviceDeleted, },
    { "DEVICE_TRAY_MOVED", qemuMonitorJSONHandleTrayChange, },
    { "DEVICE_UNPLUG_GUEST_ERROR", qemuMonitorJSONHandleDeviceUnplugErr, },
    { "DUMP_COMPLETED", qemuMonitorJSONHandleDumpCompleted, },
    { "GUEST_CRASHLOADED", qemuMonitorJSONHandleGuestCrashloaded, },
    { "GUEST_PANICKED", qemuMonitorJSONHandleGuestPanic, },
    { "JOB_STATUS_CHANGE", qemuMonitorJSONHandleJobStatusChange, },
    { "MEMORY_DEVICE_SIZE_CHANGE", qemuMonitorJSONHandleMemoryDeviceSizeChange, },
    { "MEMORY_FAILURE", qemuMonitorJSONHandleMemoryFailure, },
    { "MIGRATION", qemuMonitorJSONHandleMigrationStatus, },
    { "MIGRATION_PASS", qemuMonitorJSONHandleMigrationPass, },
    { "NETDEV_STREAM_DISCONNECTED", qemuMonitorJSONHandleNetdevStreamDisconnected, },
    { "NIC_RX_FILTER_CHANGED", qemuMonitorJSONHandleNicRxFilterChanged, },
    { "PR_MANAGER_STATUS_CHANGED", qemuMonitorJSONHandlePRManagerStatusChanged, },
    { "RDMA_GID_STATUS_CHANGED", qemuMonitorJSONHandleRdmaGidStatusChanged, },
    { "RESET", qemuMonitorJSONHandleReset, },
    { "RESUME", qemuMonitorJSONHandleResume, },
    { "RTC_CHANGE", qemuMonitorJSONHandleRTCChange, },
    { "SHUTDOWN", qemuMonitorJSONHandleShutdown, },
    { "SPICE_CONNECTED", qemuMonitorJSONHandleSPICEConnect, },
    { "SPICE_DISCONNECTED", qemuMonitorJSONHandleSPICEDisconnect, },
    { "SPICE_INITIALIZED", qemuMonitorJSONHandleSPICEInitialize, },
    { "SPICE_MIGRATE_COMPLETED", qemuMonitorJSONHandleSpiceMigrated, },
    { "STOP", qemuMonitorJSONHandleStop, },
    { "SUSPEND", qemuMonitorJSONHandlePMSuspend, },
    { "SUSPEND_DISK", qemuMonitorJSONHandlePMSuspendDisk, },
    { "VNC_CONNECTED", qemuMonitorJSONHandleVNCConnect, },
    { "VNC_DISCONNECTED", qemuMonitorJSONHandleVNCDisconnect, },
    { "VNC_INITIALIZED", qemuMonitorJSONHandleVNCInitialize, },
    { "VSERPORT_CHANGE", qemuMonitorJSONHandleSerialChange, },
    { "WAKEUP", qemuMonitorJSONHandlePMWakeup, },
    { "WATCHDOG", qemuMonitorJSONHandleWatchdog, },
};


size_t
qemuMonitorJSONEventHandlerCount(void)
{
    return G_N_ELEMENTS(eventHandlers);
}


const char *
qemuMonitorJSONEventHandlerName(size_t i)
{
    return i < G_N_ELEMENTS(eventHandlers) ? eventHandlers[i].type : NULL;
}


static int
qemuMonitorEventCompare(const void *key, const void *elt)
{
    const char *type = key;
    const qemuEventHandler *handler = elt;

    return strcmp(type, handler->type);
}


void
qemuMonitorJSONIOProcessEvent(qemuMonitor *mon, virJSONValue *obj)
{
    const char *type;
    const qemuEventHandler *handler;
    virJSONValue *data;
    virJSONValue *timestamp;
    long long seconds = -1;
    unsigned int micros = 0;

    if (!(type = virJSONValueObjectGetString(obj, "event"))) {
        VIR_WARN("Dropping a QEMU event without a name.");
        return;
    }
    if ((timestamp = virJSONValueObjectGetObject(obj, "timestamp")) &&
        (virJSONValueObjectGetNumberLong(timestamp, "seconds", &seconds) < 0 ||
         virJSONValueObjectGetNumberUint(timestamp, "microseconds", &micros) < 0 ||
         seconds < 0 || micros >= G_USEC_PER_SEC)) {
        /* Clients print seconds.micros: a broken stamp is passed on as unknown
         * (-1, as without one), not as a time that never was. */
        VIR_WARN("QEMU event %s has an invalid timestamp; passing it on without one.", type);
        seconds = -1;
        micros = 0;
    }
    data = virJSONValueObjectGet(obj, "data");
    if (data && virJSONValueGetType(data) != VIR_JSON_TYPE_OBJECT) {
        VIR_WARN("Dropping QEMU event %s: its data is not an object.", type);
        return;
    }

    qemuMonitorEmitEvent(mon, type, seconds, micros, data);

    handler = bsearch(type, eventHandlers, G_N_ELEMENTS(eventHandlers),
                      sizeof(eventHandlers[0]), qemuMonitorEventCompare);
    if (handler) {
        VIR_DEBUG("handle QEMU event %s", type);
        handler->handler(mon, data);
    }
}


static int
qemuMonitorJSONIOProcessGreeting(qemuMonitor *mon, virJSONValue *obj)
{
    virJSONValue *qmp = virJSONValueObjectGetObject(obj, "QMP");
    virJSONValue *version = qmp ? virJSONValueObjectGetObject(qmp, "version") : NULL;
    virJSONValue *qemu = version ? virJSONValueObjectGetObject(version, "qemu") : NULL;
    int major = 0;
    int minor = 0;
    int micro = 0;

    if (!qemu ||
        virJSONValueObjectGetNumberInt(qemu, "major", &major) < 0 ||
        virJSONValueObjectGetNumberInt(qemu, "minor", &minor) < 0 ||
        virJSONValueObjectGetNumberInt(qemu, "micro", &micro) < 0)
        VIR_WARN("QEMU monitor greeting has no usable version.");
    else
        VIR_DEBUG("QEMU %d.%d.%d greeted", major, minor, micro);
    qemuMonitorSetGreeting(mon, major, minor, micro);
    return 0;
}


int
qemuMonitorJSONIOProcessLine(qemuMonitor *mon, const char *line, size_t len,
                             qemuMonitorMessage *msg)
{
    g_autoptr(virJSONValue) obj = NULL;

    if (!(obj = virJSONValueFromBuffer(line, len)))
        return -1;

    if (virJSONValueGetType(obj) != VIR_JSON_TYPE_OBJECT) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       _("QEMU monitor sent a JSON value that is not an object."));
        return -1;
    }

    if (virJSONValueObjectHasKey(obj, "event")) {
        qemuMonitorJSONIOProcessEvent(mon, obj);
    } else if (virJSONValueObjectHasKey(obj, "return") ||
               virJSONValueObjectHasKey(obj, "error")) {
        const char *id = virJSONValueObjectGetString(obj, "id");

        if (msg && !msg->finished && id && STREQ(id, msg->id)) {
            qemuMonitorMessageReplied(mon, g_steal_pointer(&obj));
        } else {
            VIR_WARN("Dropping a QEMU reply with id '%s': no command waits for it.",
                     NULLSTR(id));
        }
    } else if (virJSONValueObjectHasKey(obj, "QMP")) {
        return qemuMonitorJSONIOProcessGreeting(mon, obj);
    } else {
        VIR_WARN("Dropping a QEMU message that is neither event, reply nor greeting: %.200s",
                 line);
    }
    return 0;
}


virJSONValue *
qemuMonitorJSONMakeCommand(const char *cmdname, ...)
{
    g_autoptr(virJSONValue) cmd = virJSONValueNewObject();
    g_autoptr(virJSONValue) arguments = NULL;
    const char *key;
    va_list args;

    virJSONValueObjectAppendString(cmd, "execute", cmdname);

    va_start(args, cmdname);
    key = va_arg(args, const char *);
    if (key)
        arguments = virJSONValueObjectBuildArgs(key, args);
    va_end(args);

    if (!key)
        return g_steal_pointer(&cmd);
    if (!arguments) {
        g_autofree char *why = g_strdup(virErrorGetLastMessage());
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Cannot build QEMU command '%1$s': %2$s"), cmdname, why);
        return NULL;
    }
    /* Every argument skipped ('S:' with NULL): QEMU wants no empty "arguments". */
    if (virJSONValueObjectSize(arguments) > 0 &&
        virJSONValueObjectAppend(cmd, "arguments", &arguments) < 0)
        return NULL;
    return g_steal_pointer(&cmd);
}


int
qemuMonitorJSONCommand(qemuMonitor *mon, virJSONValue *cmd, virJSONValue **reply)
{
    qemuMonitorMessage msg = { 0 };
    g_autofree char *id = qemuMonitorNextCommandID(mon);
    g_autofree char *text = NULL;
    /* A caller's own id is replaced by ours (and freed here). */
    g_autoptr(virJSONValue) oldId G_GNUC_UNUSED = virJSONValueObjectSteal(cmd, "id");

    *reply = NULL;
    msg.command = virJSONValueObjectGetString(cmd, "execute");
    if (!msg.command)
        msg.command = "<unnamed>";
    if (virJSONValueObjectAppendString(cmd, "id", id) < 0)
        return -1;
    if (!(text = virJSONValueToString(cmd, false)))
        return -1;

    msg.id = id;
    msg.txBuffer = g_strconcat(text, "\r\n", NULL);
    msg.txLength = strlen(msg.txBuffer);

    if (qemuMonitorSend(mon, &msg) < 0) {
        g_free(msg.txBuffer);
        return -1;
    }
    g_free(msg.txBuffer);
    *reply = msg.reply;
    return 0;
}


int
qemuMonitorJSONCheckReply(virJSONValue *cmd, virJSONValue *reply, virJSONType type)
{
    const char *cmdname = virJSONValueObjectGetString(cmd, "execute");
    virJSONValue *error;
    virJSONValue *ret;

    if ((error = virJSONValueObjectGetObject(reply, "error"))) {
        const char *desc = virJSONValueObjectGetString(error, "desc");
        const char *klass = virJSONValueObjectGetString(error, "class");

        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("QEMU command '%1$s' failed: %2$s (%3$s)."),
                       NULLSTR(cmdname), desc ? desc : _("no description"),
                       klass ? klass : "GenericError");
        return -1;
    }
    if (!(ret = virJSONValueObjectGet(reply, "return"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("QEMU command '%1$s' got a reply with neither 'return' nor 'error'."),
                       NULLSTR(cmdname));
        return -1;
    }
    if (type != VIR_JSON_TYPE_LAST && virJSONValueGetType(ret) != type) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("QEMU command '%1$s' returned a JSON %2$s, expected %3$s."),
                       NULLSTR(cmdname), virJSONTypeToString(virJSONValueGetType(ret)),
                       virJSONTypeToString(type));
        return -1;
    }
    return 0;
}


/* Runs @cmd and checks that its "return" is of @type; the reply is handed back. */
static int
qemuMonitorJSONRun(qemuMonitor *mon, virJSONValue *cmd, virJSONType type,
                   virJSONValue **reply)
{
    g_autoptr(virJSONValue) rep = NULL;

    if (!cmd)
        return -1;
    if (qemuMonitorJSONCommand(mon, cmd, &rep) < 0 ||
        qemuMonitorJSONCheckReply(cmd, rep, type) < 0)
        return -1;
    if (reply)
        *reply = g_steal_pointer(&rep);
    return 0;
}


int
qemuMonitorJSONSimpleCommand(qemuMonitor *mon, const char *cmdname)
{
    g_autoptr(virJSONValue) cmd = qemuMonitorJSONMakeCommand(cmdname, NULL);

    return qemuMonitorJSONRun(mon, cmd, VIR_JSON_TYPE_LAST, NULL);
}


int
qemuMonitorJSONSetLink(qemuMonitor *mon, const char *alias, bool up)
{
    g_autoptr(virJSONValue) cmd = qemuMonitorJSONMakeCommand("set_link", "s:name", alias,
                                                             "b:up", up, NULL);

    return qemuMonitorJSONRun(mon, cmd, VIR_JSON_TYPE_LAST, NULL);
}


int
qemuMonitorJSONSetCapabilities(qemuMonitor *mon)
{
    return qemuMonitorJSONSimpleCommand(mon, "qmp_capabilities");
}


int
qemuMonitorJSONGetStatus(qemuMonitor *mon, bool *running, qemuMonitorVMStatus *status)
{
    g_autoptr(virJSONValue) cmd = qemuMonitorJSONMakeCommand("query-status", NULL);
    g_autoptr(virJSONValue) reply = NULL;
    virJSONValue *ret;
    const char *statusStr;
    int st;

    if (qemuMonitorJSONRun(mon, cmd, VIR_JSON_TYPE_OBJECT, &reply) < 0)
        return -1;
    ret = virJSONValueObjectGet(reply, "return");
    if (virJSONValueObjectGetBoolean(ret, "running", running) < 0 ||
        !(statusStr = virJSONValueObjectGetString(ret, "status"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       _("QEMU's query-status reply lacks 'running' or 'status'."));
        return -1;
    }
    if ((st = qemuMonitorVMStatusTypeFromString(statusStr)) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("QEMU's query-status reply has unknown status '%1$s'."), statusStr);
        return -1;
    }
    *status = st;
    return 0;
}


int
qemuMonitorJSONGetVersion(qemuMonitor *mon, int *major, int *minor, int *micro,
                          char **package)
{
    g_autoptr(virJSONValue) cmd = qemuMonitorJSONMakeCommand("query-version", NULL);
    g_autoptr(virJSONValue) reply = NULL;
    virJSONValue *qemu;

    if (qemuMonitorJSONRun(mon, cmd, VIR_JSON_TYPE_OBJECT, &reply) < 0)
        return -1;
    qemu = virJSONValueObjectGetObject(virJSONValueObjectGet(reply, "return"), "qemu");
    if (!qemu ||
        virJSONValueObjectGetNumberInt(qemu, "major", major) < 0 ||
        virJSONValueObjectGetNumberInt(qemu, "minor", minor) < 0 ||
        virJSONValueObjectGetNumberInt(qemu, "micro", micro) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       _("QEMU's query-version reply lacks 'qemu' major, minor or micro."));
        return -1;
    }
    if (package)
        *package = g_strdup(virJSONValueObjectGetString(virJSONValueObjectGet(reply, "return"),
                                                        "package"));
    return 0;
}


/* ---- query-rx-filter: the reply is guest-controlled, so every member is checked ---- */

static void
qemuMonitorJSONRxFilterInvalid(const char *alias, const char *member, const char *why)
{
    virReportError(VIR_ERR_INTERNAL_ERROR,
                   _("Invalid query-rx-filter reply for NIC '%1$s': member '%2$s' %3$s."),
                   alias, member, why);
}


static int
qemuMonitorJSONRxFilterGetBool(virJSONValue *entry, const char *alias, const char *member,
                               bool *value)
{
    if (virJSONValueObjectGetBoolean(entry, member, value) < 0) {
        qemuMonitorJSONRxFilterInvalid(alias, member, _("is missing or not a boolean"));
        return -1;
    }
    return 0;
}


static int
qemuMonitorJSONRxFilterGetMode(virJSONValue *entry, const char *alias, const char *member,
                               int *mode)
{
    const char *str = virJSONValueObjectGetString(entry, member);
    int val;

    if (!str) {
        qemuMonitorJSONRxFilterInvalid(alias, member, _("is missing or not a string"));
        return -1;
    }
    if ((val = virNetDevRxFilterModeTypeFromString(str)) < 0) {
        g_autofree char *why = g_strdup_printf(_("has unknown mode '%1$s'"), str);
        qemuMonitorJSONRxFilterInvalid(alias, member, why);
        return -1;
    }
    *mode = val;
    return 0;
}


static int
qemuMonitorJSONRxFilterGetMacTable(virJSONValue *entry, const char *alias,
                                   const char *member, virMacAddr **table, size_t *ntable)
{
    virJSONValue *list = virJSONValueObjectGetArray(entry, member);
    g_autofree virMacAddr *macs = NULL;
    size_t n;
    size_t i;

    if (!list) {
        qemuMonitorJSONRxFilterInvalid(alias, member, _("is missing or not an array"));
        return -1;
    }
    n = virJSONValueArraySize(list);
    if (n > VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX) {
        g_autofree char *why = g_strdup_printf(_("has %1$zu entries, over the limit of %2$d"),
                                               n, VIR_NETDEV_RX_FILTER_MAC_TABLE_MAX);
        qemuMonitorJSONRxFilterInvalid(alias, member, why);
        return -1;
    }
    macs = g_new0(virMacAddr, MAX(n, 1));
    for (i = 0; i < n; i++) {
        const char *str = virJSONValueGetString(virJSONValueArrayGet(list, i));

        if (!str || virMacAddrParse(str, &macs[i]) < 0) {
            g_autofree char *why = g_strdup_printf(_("has entry %1$zu that is not a MAC address ('%2$s')"),
                                                   i, str ? str : _("not a string"));
            qemuMonitorJSONRxFilterInvalid(alias, member, why);
            return -1;
        }
    }
    *table = g_steal_pointer(&macs);
    *ntable = n;
    return 0;
}


static int
qemuMonitorJSONRxFilterParseEntry(virJSONValue *entry, const char *alias,
                                  virNetDevRxFilter *filter)
{
    const char *mac;
    virJSONValue *vlans;
    size_t n;
    size_t i;

    if (!(mac = virJSONValueObjectGetString(entry, "main-mac"))) {
        qemuMonitorJSONRxFilterInvalid(alias, "main-mac", _("is missing or not a string"));
        return -1;
    }
    if (virMacAddrParse(mac, &filter->mac) < 0) {
        g_autofree char *why = g_strdup_printf(_("is not a MAC address ('%1$s')"), mac);
        qemuMonitorJSONRxFilterInvalid(alias, "main-mac", why);
        return -1;
    }

    if (qemuMonitorJSONRxFilterGetBool(entry, alias, "promiscuous", &filter->promiscuous) < 0 ||
        qemuMonitorJSONRxFilterGetBool(entry, alias, "broadcast-allowed",
                                       &filter->broadcastAllowed) < 0 ||
        qemuMonitorJSONRxFilterGetMode(entry, alias, "unicast", &filter->unicast.mode) < 0 ||
        qemuMonitorJSONRxFilterGetBool(entry, alias, "unicast-overflow",
                                       &filter->unicast.overflow) < 0 ||
        qemuMonitorJSONRxFilterGetMacTable(entry, alias, "unicast-table",
                                           &filter->unicast.table,
                                           &filter->unicast.nTable) < 0 ||
        qemuMonitorJSONRxFilterGetMode(entry, alias, "multicast", &filter->multicast.mode) < 0 ||
        qemuMonitorJSONRxFilterGetBool(entry, alias, "multicast-overflow",
                                       &filter->multicast.overflow) < 0 ||
        qemuMonitorJSONRxFilterGetMacTable(entry, alias, "multicast-table",
                                           &filter->multicast.table,
                                           &filter->multicast.nTable) < 0 ||
        qemuMonitorJSONRxFilterGetMode(entry, alias, "vlan", &filter->vlan.mode) < 0)
        return -1;

    if (!(vlans = virJSONValueObjectGetArray(entry, "vlan-table"))) {
        qemuMonitorJSONRxFilterInvalid(alias, "vlan-table", _("is missing or not an array"));
        return -1;
    }
    n = virJSONValueArraySize(vlans);
    if (n > VIR_NETDEV_RX_FILTER_VLAN_TABLE_MAX) {
        g_autofree char *why = g_strdup_printf(_("has %1$zu entries, over the limit of %2$d"),
                                               n, VIR_NETDEV_RX_FILTER_VLAN_TABLE_MAX);
        qemuMonitorJSONRxFilterInvalid(alias, "vlan-table", why);
        return -1;
    }
    filter->vlan.table = g_new0(unsigned int, MAX(n, 1));
    for (i = 0; i < n; i++) {
        long long vid;

        if (virJSONValueGetNumberLong(virJSONValueArrayGet(vlans, i), &vid) < 0 ||
            vid < 0 || vid > 4095) {
            g_autofree char *why = g_strdup_printf(_("has entry %1$zu that is not a VLAN id in 0..4095"),
                                                   i);
            qemuMonitorJSONRxFilterInvalid(alias, "vlan-table", why);
            return -1;
        }
        filter->vlan.table[i] = vid;
    }
    filter->vlan.nTable = n;
    return 0;
}


int
qemuMonitorJSONParseRxFilterReply(virJSONValue *ret, const char *alias,
                                  virNetDevRxFilter **filter)
{
    g_autoptr(virNetDevRxFilter) fil = NULL;
    virJSONValue *entry = NULL;
    size_t i;

    if (!ret || virJSONValueGetType(ret) != VIR_JSON_TYPE_ARRAY) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Invalid query-rx-filter reply for NIC '%1$s': 'return' is not an array."),
                       alias);
        return -1;
    }
    for (i = 0; i < virJSONValueArraySize(ret); i++) {
        virJSONValue *item = virJSONValueArrayGet(ret, i);
        const char *name = virJSONValueObjectGetString(item, "name");

        if (name && STREQ(name, alias)) {
            entry = item;
            break;
        }
    }
    if (!entry) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Invalid query-rx-filter reply: no entry for NIC '%1$s'."), alias);
        return -1;
    }

    fil = virNetDevRxFilterNew();
    fil->name = g_strdup(alias);
    if (qemuMonitorJSONRxFilterParseEntry(entry, alias, fil) < 0)
        return -1;
    *filter = g_steal_pointer(&fil);
    return 0;
}


int
qemuMonitorJSONQueryRxFilter(qemuMonitor *mon, const char *alias,
                             virNetDevRxFilter **filter)
{
    g_autoptr(virJSONValue) cmd = qemuMonitorJSONMakeCommand("query-rx-filter",
                                                             "s:name", alias, NULL);
    g_autoptr(virJSONValue) reply = NULL;

    if (qemuMonitorJSONRun(mon, cmd, VIR_JSON_TYPE_ARRAY, &reply) < 0)
        return -1;
    return qemuMonitorJSONParseRxFilterReply(virJSONValueObjectGet(reply, "return"),
                                             alias, filter);
}


int
qemuMonitorJSONArbitraryCommand(qemuMonitor *mon, const char *cmdstr, char **reply,
                                bool pretty)
{
    g_autoptr(virJSONValue) cmd = NULL;
    g_autoptr(virJSONValue) rep = NULL;
    g_autoptr(virJSONValue) ourId = NULL;

    if (!(cmd = virJSONValueFromString(cmdstr)))
        return -1;
    if (virJSONValueGetType(cmd) != VIR_JSON_TYPE_OBJECT ||
        !virJSONValueObjectGetString(cmd, "execute")) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       _("A QEMU monitor command must be a JSON object with an 'execute' string."));
        return -1;
    }
    if (qemuMonitorJSONCommand(mon, cmd, &rep) < 0)
        return -1;
    /* The id is ours, not the caller's. */
    ourId = virJSONValueObjectSteal(rep, "id");
    if (!(*reply = virJSONValueToString(rep, pretty)))
        return -1;
    return 0;
}
