/* qemumonitortestutils.c: a fake QEMU on a real UNIX socket for monitor tests. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "virthread.h"
#include "qemumonitortestutils.h"
#include "testutils.h"
#include "vireventthread.h"
#include "virjson.h"

#define SCHEMA_FILE "qemumonitorjsondata/qemu-7.2-qmp-schema.json"
#define GREETING_FILE "qemumonitorjsondata/qemu-7.2-greeting.raw"

typedef enum {
    ITEM_REPLY,
    ITEM_CLOSE,
    ITEM_SILENT,
} qemuMonitorTestAction;

typedef struct {
    char *command;
    char *args;          /* JSON text or NULL */
    char *reply;         /* JSON text of the reply object, without id */
    GStrv events;
    qemuMonitorTestAction action;
} qemuMonitorTestItem;

struct _qemuMonitorTest {
    GMutex lock;         /* items, failures, client fd */
    GCond cond;
    GMutex writeLock;    /* one writer at a time on the client socket */

    char *tmpdir;
    char *socketPath;
    int listenFd;
    int clientFd;
    GThread *thread;
    bool quit;

    GQueue items;        /* qemuMonitorTestItem */
    GString *failures;
    GPtrArray *preGreeting;
    bool skipGreeting;

    virEventThread *eventThread;
    virDomainObj *vm;
    qemuMonitor *mon;
};


static void
qemuMonitorTestItemFree(qemuMonitorTestItem *item)
{
    if (!item)
        return;
    g_free(item->command);
    g_free(item->args);
    g_free(item->reply);
    g_strfreev(item->events);
    g_free(item);
}


static void
qemuMonitorTestFail(qemuMonitorTest *test, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
qemuMonitorTestFail(qemuMonitorTest *test, const char *fmt, ...)
{
    va_list args;

    virMutexLock(&test->lock);
    va_start(args, fmt);
    g_string_append_vprintf(test->failures, fmt, args);
    va_end(args);
    g_string_append_c(test->failures, '\n');
    virMutexUnlock(&test->lock);
}


static void
qemuMonitorTestWrite(qemuMonitorTest *test, const char *data, size_t len)
{
    int fd;

    virMutexLock(&test->writeLock);
    virMutexLock(&test->lock);
    fd = test->clientFd;
    virMutexUnlock(&test->lock);
    while (fd >= 0 && len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;   /* the monitor hung up: the test sees that on its side */
        }
        data += n;
        len -= n;
    }
    virMutexUnlock(&test->writeLock);
}


static void
qemuMonitorTestWriteLine(qemuMonitorTest *test, const char *line)
{
    g_autofree char *withEnd = g_strconcat(line, "\r\n", NULL);

    qemuMonitorTestWrite(test, withEnd, strlen(withEnd));
}


/* ---- schema checking against the recorded query-qmp-schema ---- */

static GHashTable *schemaByName;   /* name -> virJSONValue entry (borrowed) */
static virJSONValue *schemaDoc;

static void
qemuMonitorTestFreeSchema(void)
{
    g_clear_pointer(&schemaByName, g_hash_table_unref);
    g_clear_pointer(&schemaDoc, virJSONValueFree);
}


static void
qemuMonitorTestLoadSchema(void)
{
    static gsize loaded;

    if (g_once_init_enter(&loaded)) {
        g_autofree char *text = virTestLoadFile(SCHEMA_FILE);
        virJSONValue *list;
        size_t i;

        if (!(schemaDoc = virJSONValueFromString(text)) ||
            !(list = virJSONValueObjectGetArray(schemaDoc, "return")))
            g_error("Cannot parse %s", SCHEMA_FILE);
        schemaByName = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        atexit(qemuMonitorTestFreeSchema);
        for (i = 0; i < virJSONValueArraySize(list); i++) {
            virJSONValue *entry = virJSONValueArrayGet(list, i);
            const char *name = virJSONValueObjectGetString(entry, "name");
            const char *meta = virJSONValueObjectGetString(entry, "meta-type");

            /* Commands and types share no names except by accident; key commands
             * with a prefix to keep them apart. */
            if (meta && STREQ(meta, "command"))
                g_hash_table_insert(schemaByName, g_strconcat("cmd:", name, NULL), entry);
            else if (meta && !STREQ(meta, "event"))
                g_hash_table_insert(schemaByName, g_strdup(name), entry);
        }
        g_once_init_leave(&loaded, 1);
    }
}


static char *qemuMonitorTestCheckType(const char *typeName, virJSONValue *value,
                                      const char *where, int depth);

static char *
qemuMonitorTestCheckObject(virJSONValue *type, virJSONValue *value, const char *where,
                           int depth)
{
    virJSONValue *members = virJSONValueObjectGetArray(type, "members");
    size_t i;

    if (virJSONValueGetType(value) != VIR_JSON_TYPE_OBJECT)
        return g_strdup_printf("%s: expected an object", where);

    /* Every argument given must be a member... */
    for (i = 0; i < virJSONValueObjectSize(value); i++) {
        const char *key = virJSONValueObjectGetKey(value, i);
        virJSONValue *member = NULL;
        size_t j;

        for (j = 0; members && j < virJSONValueArraySize(members); j++) {
            virJSONValue *m = virJSONValueArrayGet(members, j);
            if (STREQ_NULLABLE(virJSONValueObjectGetString(m, "name"), key))
                member = m;
        }
        if (!member)
            return g_strdup_printf("%s: unknown argument '%s'", where, key);
        {
            g_autofree char *sub = g_strdup_printf("%s.%s", where, key);
            char *err = qemuMonitorTestCheckType(virJSONValueObjectGetString(member, "type"),
                                                 virJSONValueObjectGetValue(value, i),
                                                 sub, depth + 1);
            if (err)
                return err;
        }
    }
    /* ...and every member without a default must be given. */
    for (i = 0; members && i < virJSONValueArraySize(members); i++) {
        virJSONValue *m = virJSONValueArrayGet(members, i);
        const char *name = virJSONValueObjectGetString(m, "name");

        if (!virJSONValueObjectHasKey(m, "default") &&
            !virJSONValueObjectHasKey(value, name))
            return g_strdup_printf("%s: missing required argument '%s'", where, name);
    }
    return NULL;
}


static char *
qemuMonitorTestCheckType(const char *typeName, virJSONValue *value, const char *where,
                         int depth)
{
    virJSONValue *type;
    const char *meta;
    virJSONType vtype = virJSONValueGetType(value);

    if (!typeName || depth > 16)
        return g_strdup_printf("%s: schema too deep or untyped", where);
    if (!(type = g_hash_table_lookup(schemaByName, typeName)))
        return g_strdup_printf("%s: type '%s' not in the schema", where, typeName);
    meta = virJSONValueObjectGetString(type, "meta-type");

    if (STREQ(meta, "builtin")) {
        const char *json = virJSONValueObjectGetString(type, "json-type");
        if (STREQ(json, "value"))
            return NULL;
        if ((STREQ(json, "string") && vtype == VIR_JSON_TYPE_STRING) ||
            (STREQ(json, "int") && vtype == VIR_JSON_TYPE_NUMBER) ||
            (STREQ(json, "number") && vtype == VIR_JSON_TYPE_NUMBER) ||
            (STREQ(json, "boolean") && vtype == VIR_JSON_TYPE_BOOLEAN) ||
            (STREQ(json, "null") && vtype == VIR_JSON_TYPE_NULL))
            return NULL;
        return g_strdup_printf("%s: expected %s, got %s", where, json,
                               virJSONTypeToString(vtype));
    }
    if (STREQ(meta, "enum")) {
        virJSONValue *values = virJSONValueObjectGetArray(type, "values");
        const char *str = virJSONValueGetString(value);
        size_t i;

        for (i = 0; str && values && i < virJSONValueArraySize(values); i++) {
            if (STREQ_NULLABLE(virJSONValueGetString(virJSONValueArrayGet(values, i)), str))
                return NULL;
        }
        return g_strdup_printf("%s: '%s' is not a value of its enum", where, NULLSTR(str));
    }
    if (STREQ(meta, "array")) {
        const char *elt = virJSONValueObjectGetString(type, "element-type");
        size_t i;

        if (vtype != VIR_JSON_TYPE_ARRAY)
            return g_strdup_printf("%s: expected an array", where);
        for (i = 0; i < virJSONValueArraySize(value); i++) {
            char *err = qemuMonitorTestCheckType(elt, virJSONValueArrayGet(value, i), where,
                                                 depth + 1);
            if (err)
                return err;
        }
        return NULL;
    }
    if (STREQ(meta, "object"))
        return qemuMonitorTestCheckObject(type, value, where, depth);
    /* Alternates: accept any value; QEMU checks the branch itself. */
    return NULL;
}


char *
qemuMonitorTestCheckSchema(const char *command, virJSONValue *args)
{
    g_autofree char *key = g_strconcat("cmd:", command, NULL);
    g_autoptr(virJSONValue) empty = NULL;
    virJSONValue *entry;
    virJSONValue *argType;

    qemuMonitorTestLoadSchema();
    if (!(entry = g_hash_table_lookup(schemaByName, key)))
        return g_strdup_printf("command '%s' does not exist in QEMU 7.2", command);
    if (!args)
        args = empty = virJSONValueNewObject();
    argType = g_hash_table_lookup(schemaByName,
                                  NULLSTR(virJSONValueObjectGetString(entry, "arg-type")));
    if (!argType)
        return g_strdup_printf("command '%s': its arguments type is missing", command);
    return qemuMonitorTestCheckObject(argType, args, command, 0);
}


/* ---- structural JSON comparison for expected arguments ---- */

static bool
qemuMonitorTestJSONEqual(virJSONValue *a, virJSONValue *b)
{
    virJSONType type = virJSONValueGetType(a);
    size_t i;

    if (type != virJSONValueGetType(b))
        return false;
    switch (type) {
    case VIR_JSON_TYPE_OBJECT:
        if (virJSONValueObjectSize(a) != virJSONValueObjectSize(b))
            return false;
        for (i = 0; i < virJSONValueObjectSize(a); i++) {
            virJSONValue *other = virJSONValueObjectGet(b, virJSONValueObjectGetKey(a, i));
            if (!other || !qemuMonitorTestJSONEqual(virJSONValueObjectGetValue(a, i), other))
                return false;
        }
        return true;
    case VIR_JSON_TYPE_ARRAY:
        if (virJSONValueArraySize(a) != virJSONValueArraySize(b))
            return false;
        for (i = 0; i < virJSONValueArraySize(a); i++) {
            if (!qemuMonitorTestJSONEqual(virJSONValueArrayGet(a, i), virJSONValueArrayGet(b, i)))
                return false;
        }
        return true;
    default: {
        g_autofree char *ta = virJSONValueToString(a, false);
        g_autofree char *tb = virJSONValueToString(b, false);
        return STREQ(ta, tb);
    }
    }
}


/* ---- the fake's thread ---- */

static void
qemuMonitorTestHandleCommand(qemuMonitorTest *test, const char *line)
{
    g_autoptr(virJSONValue) cmd = virJSONValueFromString(line);
    g_autofree char *schemaErr = NULL;
    qemuMonitorTestItem *item;
    const char *name;
    const char *id;
    virJSONValue *args;

    if (!cmd || !(name = virJSONValueObjectGetString(cmd, "execute"))) {
        qemuMonitorTestFail(test, "the monitor sent something that is not a command: %s", line);
        return;
    }
    id = virJSONValueObjectGetString(cmd, "id");
    args = virJSONValueObjectGet(cmd, "arguments");

    if ((schemaErr = qemuMonitorTestCheckSchema(name, args)))
        qemuMonitorTestFail(test, "command against QEMU 7.2's schema: %s (sent: %s)",
                            schemaErr, line);

    virMutexLock(&test->lock);
    item = g_queue_pop_head(&test->items);
    g_cond_broadcast(&test->cond);
    virMutexUnlock(&test->lock);

    if (!item) {
        qemuMonitorTestFail(test, "unexpected command '%s' (no item left): %s", name, line);
    } else if (!STREQ(item->command, name)) {
        qemuMonitorTestFail(test, "expected command '%s', got '%s': %s",
                            item->command, name, line);
        g_clear_pointer(&item, qemuMonitorTestItemFree);
    } else if (item->args) {
        g_autoptr(virJSONValue) expected = virJSONValueFromString(item->args);
        if (!expected || !args || !qemuMonitorTestJSONEqual(expected, args))
            qemuMonitorTestFail(test, "command '%s': expected arguments %s, got: %s",
                                name, item->args, line);
    }

    if (!item) {
        g_autofree char *err = g_strdup_printf("{\"id\": \"%s\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The fake QEMU did not expect '%s'\"}}",
                                               NULLSTR(id), name);
        qemuMonitorTestWriteLine(test, err);
        return;
    }

    if (item->events) {
        size_t i;
        for (i = 0; item->events[i]; i++)
            qemuMonitorTestWriteLine(test, item->events[i]);
    }

    switch (item->action) {
    case ITEM_REPLY: {
        g_autoptr(virJSONValue) reply = virJSONValueFromString(item->reply);
        g_autofree char *text = NULL;

        if (!reply)
            g_error("Bad reply JSON in test item for '%s': %s", name, item->reply);
        if (id)
            virJSONValueObjectAppendString(reply, "id", id);
        text = virJSONValueToString(reply, false);
        qemuMonitorTestWriteLine(test, text);
        break;
    }
    case ITEM_CLOSE:
        qemuMonitorTestCloseClient(test);
        break;
    case ITEM_SILENT:
        break;
    }
    qemuMonitorTestItemFree(item);
}


static gpointer
qemuMonitorTestThread(gpointer opaque)
{
    qemuMonitorTest *test = opaque;
    g_autoptr(GString) buf = g_string_new(NULL);
    int fd;
    size_t i;

    fd = accept4(test->listenFd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return NULL;   /* woken by qemuMonitorTestFree, nobody connected */

    virMutexLock(&test->lock);
    if (test->quit) {
        virMutexUnlock(&test->lock);
        close(fd);
        return NULL;
    }
    test->clientFd = fd;
    virMutexUnlock(&test->lock);

    for (i = 0; i < test->preGreeting->len; i++)
        qemuMonitorTestWriteLine(test, g_ptr_array_index(test->preGreeting, i));
    if (!test->skipGreeting) {
        g_autofree char *greeting = virTestLoadFile(GREETING_FILE);
        qemuMonitorTestWriteLine(test, g_strchomp(greeting));
    }

    for (;;) {
        char chunk[4096];
        ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
        char *nl;

        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            break;
        }
        g_string_append_len(buf, chunk, n);
        while ((nl = memchr(buf->str, '\n', buf->len))) {
            g_autofree char *line = g_strndup(buf->str, nl - buf->str);
            g_string_erase(buf, 0, nl - buf->str + 1);
            g_strchomp(line);
            if (*line)
                qemuMonitorTestHandleCommand(test, line);
        }
    }
    return NULL;
}


qemuMonitorTest *
qemuMonitorTestNew(void)
{
    qemuMonitorTest *test = g_new0(qemuMonitorTest, 1);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    g_autoptr(GError) err = NULL;

    g_mutex_init(&test->lock);
    g_cond_init(&test->cond);
    g_mutex_init(&test->writeLock);
    g_queue_init(&test->items);
    test->failures = g_string_new(NULL);
    test->preGreeting = g_ptr_array_new_with_free_func(g_free);
    test->clientFd = -1;

    if (!(test->tmpdir = g_dir_make_tmp("qvirt-montest-XXXXXX", &err)))
        g_error("Cannot create a temporary folder: %s", err->message);
    test->socketPath = g_build_filename(test->tmpdir, "monitor.sock", NULL);
    g_strlcpy(addr.sun_path, test->socketPath, sizeof(addr.sun_path));

    test->listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (test->listenFd < 0 ||
        bind(test->listenFd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(test->listenFd, 1) < 0)
        g_error("Cannot listen on '%s': %s", test->socketPath, g_strerror(errno));

    test->eventThread = virEventThreadNew("qvirt-montest-events");
    {
        virDomainDef *def = virDomainDefNew();
        def->name = g_strdup("montest");
        test->vm = virDomainObjNew(def);
    }
    return test;
}


void
qemuMonitorTestSetDomain(qemuMonitorTest *test, virDomainObj *vm)
{
    virObjectUnref(test->vm);
    test->vm = virObjectRef(vm);
}


void
qemuMonitorTestAddPreGreeting(qemuMonitorTest *test, const char *line)
{
    g_ptr_array_add(test->preGreeting, g_strdup(line));
}


void
qemuMonitorTestSkipGreeting(qemuMonitorTest *test)
{
    test->skipGreeting = true;
}


static void
qemuMonitorTestPushItem(qemuMonitorTest *test, const char *command, const char *args,
                        const char *reply, const char *const *events,
                        qemuMonitorTestAction action)
{
    qemuMonitorTestItem *item = g_new0(qemuMonitorTestItem, 1);

    item->command = g_strdup(command);
    item->args = g_strdup(args);
    item->reply = g_strdup(reply);
    item->events = g_strdupv((char **)events);
    item->action = action;

    virMutexLock(&test->lock);
    g_queue_push_tail(&test->items, item);
    virMutexUnlock(&test->lock);
}


void
qemuMonitorTestAddItem(qemuMonitorTest *test, const char *command, const char *args,
                       const char *reply)
{
    qemuMonitorTestPushItem(test, command, args, reply, NULL, ITEM_REPLY);
}


void
qemuMonitorTestAddItemEvents(qemuMonitorTest *test, const char *command, const char *args,
                             const char *reply, const char *const *events)
{
    qemuMonitorTestPushItem(test, command, args, reply, events, ITEM_REPLY);
}


void
qemuMonitorTestAddItemFile(qemuMonitorTest *test, const char *command, const char *args,
                           const char *file)
{
    g_autofree char *rel = g_build_filename("qemumonitorjsondata", file, NULL);
    g_autofree char *text = virTestLoadFile(rel);
    g_autoptr(virJSONValue) reply = virJSONValueFromString(text);
    g_autoptr(virJSONValue) id = NULL;
    g_autofree char *stripped = NULL;

    if (!reply)
        g_error("Cannot parse recorded reply '%s'", rel);
    id = virJSONValueObjectSteal(reply, "id");
    stripped = virJSONValueToString(reply, false);
    qemuMonitorTestPushItem(test, command, args, stripped, NULL, ITEM_REPLY);
}


void
qemuMonitorTestAddItemClose(qemuMonitorTest *test, const char *command)
{
    qemuMonitorTestPushItem(test, command, NULL, NULL, NULL, ITEM_CLOSE);
}


void
qemuMonitorTestAddItemSilent(qemuMonitorTest *test, const char *command)
{
    qemuMonitorTestPushItem(test, command, NULL, NULL, NULL, ITEM_SILENT);
}


qemuMonitor *
qemuMonitorTestOpen(qemuMonitorTest *test, const qemuMonitorCallbacks *cb, void *opaque,
                    unsigned int timeoutMs)
{
    /* The handshake's command comes first, whatever the test scripted. */
    virMutexLock(&test->lock);
    {
        qemuMonitorTestItem *item = g_new0(qemuMonitorTestItem, 1);
        item->command = g_strdup("qmp_capabilities");
        item->reply = g_strdup("{\"return\": {}}");
        g_queue_push_head(&test->items, item);
    }
    virMutexUnlock(&test->lock);

    test->thread = g_thread_new("qvirt-fakeqemu", qemuMonitorTestThread, test);
    test->mon = qemuMonitorOpen(test->vm, test->socketPath, 0, timeoutMs,
                                test->eventThread, cb, opaque);
    if (!test->mon) {
        /* A test of a failing open never reaches the handshake: not a failure. */
        virMutexLock(&test->lock);
        {
            qemuMonitorTestItem *head = g_queue_peek_head(&test->items);
            if (head && STREQ(head->command, "qmp_capabilities"))
                qemuMonitorTestItemFree(g_queue_pop_head(&test->items));
        }
        virMutexUnlock(&test->lock);
    }
    return test->mon;
}


void
qemuMonitorTestSendRaw(qemuMonitorTest *test, const char *data, size_t len)
{
    qemuMonitorTestWrite(test, data, len);
}


void
qemuMonitorTestSendEvent(qemuMonitorTest *test, const char *name, const char *data)
{
    gint64 now = g_get_real_time();
    g_autofree char *line = NULL;

    line = g_strdup_printf("{\"timestamp\": {\"seconds\": %" G_GINT64_FORMAT ", \"microseconds\": %d}, \"event\": \"%s\"%s%s}",
                           now / G_USEC_PER_SEC, (int)(now % G_USEC_PER_SEC), name,
                           data ? ", \"data\": " : "", data ? data : "");
    qemuMonitorTestWriteLine(test, line);
}


void
qemuMonitorTestCloseClient(qemuMonitorTest *test)
{
    virMutexLock(&test->lock);
    if (test->clientFd >= 0)
        shutdown(test->clientFd, SHUT_RDWR);
    virMutexUnlock(&test->lock);
}


bool
qemuMonitorTestWaitItemsUsed(qemuMonitorTest *test)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    bool empty;

    virMutexLock(&test->lock);
    while (!g_queue_is_empty(&test->items) &&
           virCondWaitUntil(&test->cond, &test->lock, deadline))
        ;
    empty = g_queue_is_empty(&test->items);
    virMutexUnlock(&test->lock);
    return empty;
}


char *
qemuMonitorTestTakeFailures(qemuMonitorTest *test)
{
    char *text;

    virMutexLock(&test->lock);
    text = g_strdup(test->failures->str);
    g_string_truncate(test->failures, 0);
    virMutexUnlock(&test->lock);
    return text;
}


const char *
qemuMonitorTestSocketPath(qemuMonitorTest *test)
{
    return test->socketPath;
}


GMainContext *
qemuMonitorTestContext(qemuMonitorTest *test)
{
    return virEventThreadGetContext(test->eventThread);
}


virDomainObj *
qemuMonitorTestDomain(qemuMonitorTest *test)
{
    return test->vm;
}


void
qemuMonitorTestFree(qemuMonitorTest *test)
{
    qemuMonitorTestItem *item;

    if (!test)
        return;

    qemuMonitorClose(g_steal_pointer(&test->mon));

    virMutexLock(&test->lock);
    test->quit = true;
    if (test->clientFd >= 0)
        shutdown(test->clientFd, SHUT_RDWR);
    virMutexUnlock(&test->lock);
    /* Wakes an accept() that no client reached. */
    shutdown(test->listenFd, SHUT_RDWR);
    if (test->thread)
        g_thread_join(test->thread);
    virEventThreadFree(test->eventThread);

    while ((item = g_queue_pop_head(&test->items))) {
        g_string_append_printf(test->failures, "item for command '%s' was never used\n",
                               item->command);
        qemuMonitorTestItemFree(item);
    }
    if (test->failures->len) {
        g_test_message("fake QEMU monitor failures:\n%s", test->failures->str);
        g_test_fail_printf("fake QEMU monitor: %s", test->failures->str);
    }

    if (test->clientFd >= 0)
        close(test->clientFd);
    close(test->listenFd);
    unlink(test->socketPath);
    rmdir(test->tmpdir);
    g_free(test->socketPath);
    g_free(test->tmpdir);
    g_string_free(test->failures, TRUE);
    g_ptr_array_free(test->preGreeting, TRUE);
    virObjectUnref(test->vm);
    g_mutex_clear(&test->lock);
    g_cond_clear(&test->cond);
    g_mutex_clear(&test->writeLock);
    g_free(test);
}
