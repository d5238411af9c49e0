/* qemu_monitor_json.h: QMP's JSON: event decoding, command building, reply parsing. */
#pragma once

#include "qemu_monitor.h"

/* Called by qemu_monitor.c on the event thread, monitor locked, for each line. A
 * reply to @msg is handed over; an event is dispatched; anything else is logged and
 * dropped. Returns -1 with an error when the line is not a JSON object (the
 * connection then ends). */
int qemuMonitorJSONIOProcessLine(qemuMonitor *mon, const char *line, size_t len,
                                 qemuMonitorMessage *msg);

/* Looks the event up in eventHandlers (bsearch) and calls its handler, after the
 * generic event callback. Malformed events are logged and dropped. */
void qemuMonitorJSONIOProcessEvent(qemuMonitor *mon, virJSONValue *obj);

/* Test access to the table: its size and the name of entry @i. */
size_t qemuMonitorJSONEventHandlerCount(void);
const char *qemuMonitorJSONEventHandlerName(size_t i);

/* Builds {"execute": @cmdname, "arguments": {...}} from virJSONValueObjectBuild()
 * style (key, value) pairs ended by NULL; no "arguments" when there are none. */
virJSONValue *qemuMonitorJSONMakeCommand(const char *cmdname, ...) G_GNUC_NULL_TERMINATED;

/* Sends @cmd and waits for the reply (an "id" is added). */
int qemuMonitorJSONCommand(qemuMonitor *mon, virJSONValue *cmd, virJSONValue **reply);

/* 0 when @reply carries a "return" of @type (VIR_JSON_TYPE_LAST: any), else -1 with an
 * error naming the command and QEMU's message. */
int qemuMonitorJSONCheckReply(virJSONValue *cmd, virJSONValue *reply, virJSONType type);

int qemuMonitorJSONSetCapabilities(qemuMonitor *mon);
int qemuMonitorJSONGetStatus(qemuMonitor *mon, bool *running, qemuMonitorVMStatus *status);
int qemuMonitorJSONGetVersion(qemuMonitor *mon, int *major, int *minor, int *micro,
                              char **package);
/* A command without arguments whose reply is an empty "return": cont, stop, quit... */
int qemuMonitorJSONSimpleCommand(qemuMonitor *mon, const char *cmdname);
int qemuMonitorJSONSetLink(qemuMonitor *mon, const char *alias, bool up);
int qemuMonitorJSONQueryRxFilter(qemuMonitor *mon, const char *alias,
                                 virNetDevRxFilter **filter);
int qemuMonitorJSONArbitraryCommand(qemuMonitor *mon, const char *cmd, char **reply,
                                    bool pretty);

/* Parses the "return" array of query-rx-filter into the entry for @alias. Every
 * member of RxFilterInfo is required and checked; lists are bounded. */
int qemuMonitorJSONParseRxFilterReply(virJSONValue *ret, const char *alias,
                                      virNetDevRxFilter **filter);
