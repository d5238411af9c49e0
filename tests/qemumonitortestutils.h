/* qemumonitortestutils.h: a fake QEMU on a real UNIX socket for monitor tests. */
#pragma once

#include "internal.h"
#include "qemu_monitor.h"
#include "virdomainobj.h"

typedef struct _qemuMonitorTest qemuMonitorTest;

/*
 * The fake QEMU listens on a socket in a fresh temporary folder and serves it from its
 * own thread. Scripted items are consumed in order: each names the command it
 * expects, optionally the exact arguments (JSON text, compared structurally), and
 * what to do: send a reply (its "id" is added), send events first, close the
 * connection, or stay silent. Every command received is also checked against the
 * query-qmp-schema recorded from QEMU 7.2: an unknown command or argument, a missing
 * required argument, or a wrong type is a failure. Failures (those, an unexpected
 * command, an item never used) fail the running test at qemuMonitorTestFree(), each
 * with a message naming it.
 */

qemuMonitorTest *qemuMonitorTestNew(void);

/* Lines sent after accepting the connection and before the greeting. */
void qemuMonitorTestAddPreGreeting(qemuMonitorTest *test, const char *line);
/* The greeting is never sent. */
void qemuMonitorTestSkipGreeting(qemuMonitorTest *test);

/* Expects @command (with @args when not NULL) and answers @reply, e.g.
 * "{\"return\": {}}". */
void qemuMonitorTestAddItem(qemuMonitorTest *test, const char *command, const char *args,
                            const char *reply);
/* The same, sending the event lines in @events (NULL-terminated) before the reply. */
void qemuMonitorTestAddItemEvents(qemuMonitorTest *test, const char *command,
                                  const char *args, const char *reply,
                                  const char *const *events);
/* Expects @command and replies with the "return" of the recorded reply file
 * tests/qemumonitorjsondata/@file. */
void qemuMonitorTestAddItemFile(qemuMonitorTest *test, const char *command,
                                const char *args, const char *file);
/* Expects @command and closes the connection instead of replying. */
void qemuMonitorTestAddItemClose(qemuMonitorTest *test, const char *command);
/* Expects @command and never replies. */
void qemuMonitorTestAddItemSilent(qemuMonitorTest *test, const char *command);

/* Makes the monitor belong to @vm (taking a reference) instead of the fake's own
 * minimal domain; call before qemuMonitorTestOpen. */
void qemuMonitorTestSetDomain(qemuMonitorTest *test, virDomainObj *vm);

/* Connects the real monitor code (greeting, qmp_capabilities). NULL on failure with
 * the monitor's error set. */
qemuMonitor *qemuMonitorTestOpen(qemuMonitorTest *test, const qemuMonitorCallbacks *cb,
                                 void *opaque, unsigned int timeoutMs);

/* Sends raw bytes to the monitor now, from the calling thread. */
void qemuMonitorTestSendRaw(qemuMonitorTest *test, const char *data, size_t len);
/* Sends an event line: {"event": @name, "data": @data, "timestamp": ...}. */
void qemuMonitorTestSendEvent(qemuMonitorTest *test, const char *name, const char *data);
/* Closes the fake's end of the connection. */
void qemuMonitorTestCloseClient(qemuMonitorTest *test);

/* Waits until every scripted item has been consumed (or 10 s passed). */
bool qemuMonitorTestWaitItemsUsed(qemuMonitorTest *test);

/* Takes the failures recorded so far (for tests of the harness itself). */
char *qemuMonitorTestTakeFailures(qemuMonitorTest *test);

const char *qemuMonitorTestSocketPath(qemuMonitorTest *test);
GMainContext *qemuMonitorTestContext(qemuMonitorTest *test);
virDomainObj *qemuMonitorTestDomain(qemuMonitorTest *test);

/* Closes the monitor if open, stops the fake, removes its files and fails the
 * running test on any recorded failure or unused item. NULL is a no-op. */
void qemuMonitorTestFree(qemuMonitorTest *test);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuMonitorTest, qemuMonitorTestFree);

/* Checks one command against the recorded QEMU 7.2 schema; NULL when it conforms,
 * else why not. */
char *qemuMonitorTestCheckSchema(const char *command, virJSONValue *args);

/*
 * A recorder of monitor callbacks: qemuMonitorTestRecordingCallbacks() returns a
 * callbacks struct (opaque: the recorder) where every member appends one line naming
 * the callback and its arguments, e.g. "domainNicRxFilterChanged net0". The generic
 * domainEvent is recorded as "event NAME DETAILS" only when @withGeneric is set.
 */
typedef struct _qemuMonitorTestRecorder qemuMonitorTestRecorder;

qemuMonitorTestRecorder *qemuMonitorTestRecorderNew(bool withGeneric);
void qemuMonitorTestRecorderFree(qemuMonitorTestRecorder *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuMonitorTestRecorder, qemuMonitorTestRecorderFree);
const qemuMonitorCallbacks *qemuMonitorTestRecordingCallbacks(void);
/* Waits until at least @n lines were recorded (5 s at most); false on timeout. */
bool qemuMonitorTestRecorderWait(qemuMonitorTestRecorder *rec, size_t n);
/* Returns the recorded lines, each ended by '\n', and forgets them. */
char *qemuMonitorTestRecorderTake(qemuMonitorTestRecorder *rec);
