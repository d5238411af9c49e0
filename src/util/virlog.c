/* virlog.c: log categories, priorities, filters and outputs. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "virthread.h"
#include "virlog.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.log");

typedef struct {
    int priority;
    char *match;
    bool glob;
} virLogFilter;

typedef struct {
    int priority;
    int fd;
    bool owned;
} virLogOutput;

typedef struct {
    GMutex lock;
    virLogFilter *filters;
    size_t nfilters;
    virLogOutput *outputs;
    size_t noutputs;
    int defaultPriority;
    virLogCallbackFunc callback;
    void *callbackOpaque;
    int callbackPriority;
} virLogState;

static virLogState logState = {
    .defaultPriority = VIR_LOG_WARN,
    .callbackPriority = VIR_LOG_ERROR + 1,
};

/* Bumped on every filter change; sources compare it with their cached copy. */
static unsigned int logSerial = 1;


const char *
virLogPriorityString(virLogPriority priority)
{
    switch (priority) {
    case VIR_LOG_DEBUG: return "debug";
    case VIR_LOG_INFO: return "info";
    case VIR_LOG_WARN: return "warning";
    case VIR_LOG_ERROR: return "error";
    }
    return "unknown";
}


static bool
virLogFilterMatches(const virLogFilter *filter, const char *category)
{
    size_t len;

    if (filter->glob)
        return g_pattern_match_simple(filter->match, category);
    len = strlen(filter->match);
    return strncmp(category, filter->match, len) == 0 &&
           (category[len] == '\0' || category[len] == '.');
}


static int
virLogLowestOutputPriority(void)
{
    int lowest = logState.callbackPriority;
    size_t i;

    if (logState.noutputs == 0)
        lowest = MIN(lowest, VIR_LOG_WARN);
    for (i = 0; i < logState.noutputs; i++)
        lowest = MIN(lowest, logState.outputs[i].priority);
    return lowest;
}


bool
virLogWants(virLogSource *source, virLogPriority priority)
{
    unsigned int serial = g_atomic_int_get(&logSerial);

    if ((unsigned int)g_atomic_int_get(&source->serial) != serial) {
        int prio;
        size_t i;

        virMutexLock(&logState.lock);
        prio = logState.defaultPriority;
        for (i = 0; i < logState.nfilters; i++) {
            if (virLogFilterMatches(&logState.filters[i], source->name)) {
                prio = logState.filters[i].priority;
                break;
            }
        }
        /* Nothing below every output's threshold can be printed anywhere. */
        prio = MAX(prio, virLogLowestOutputPriority());
        g_atomic_int_set(&source->priority, prio);
        g_atomic_int_set(&source->serial, serial);
        virMutexUnlock(&logState.lock);
    }
    return (int)priority >= g_atomic_int_get(&source->priority);
}


static void
virLogInvalidate(void)
{
    g_atomic_int_inc(&logSerial);
}


static void
virLogWriteAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        buf += n;
        len -= n;
    }
}


void
virLogMessage(virLogSource *source, virLogPriority priority,
              const char *funcname, size_t linenr,
              const char *fmt, ...)
{
    va_list args;
    g_autofree char *message = NULL;
    g_autofree char *line = NULL;
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *stamp = NULL;
    size_t i;
    int saved = errno;

    if (!virLogWants(source, priority))
        return;

    va_start(args, fmt);
    message = g_strdup_vprintf(fmt, args);
    va_end(args);

    now = g_date_time_new_now_utc();
    stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f");
    line = g_strdup_printf("%.23s+0000: %d: %s : %s : %s:%zu : %s\n",
                           stamp, (int)gettid(), virLogPriorityString(priority),
                           source->name, funcname, linenr, message);

    virMutexLock(&logState.lock);
    if (logState.noutputs == 0) {
        if (priority >= VIR_LOG_WARN)
            virLogWriteAll(STDERR_FILENO, line, strlen(line));
    }
    for (i = 0; i < logState.noutputs; i++) {
        if ((int)priority >= logState.outputs[i].priority)
            virLogWriteAll(logState.outputs[i].fd, line, strlen(line));
    }
    if (logState.callback && (int)priority >= logState.callbackPriority)
        logState.callback(source, priority, message, logState.callbackOpaque);
    virMutexUnlock(&logState.lock);
    errno = saved;
}


void
virLogSetDefaultPriority(virLogPriority priority)
{
    virMutexLock(&logState.lock);
    logState.defaultPriority = priority;
    virMutexUnlock(&logState.lock);
    virLogInvalidate();
}


static int
virLogParsePriority(const char *text, const char *item)
{
    guint64 prio;

    if (!g_ascii_string_to_unsigned(text, 10, VIR_LOG_DEBUG, VIR_LOG_ERROR, &prio, NULL)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       _("Invalid log priority '%1$s' in '%2$s': expected 1 (debug) to 4 (error)."),
                       text, item);
        return -1;
    }
    return (int)prio;
}


int
virLogSetFilters(const char *filters)
{
    g_auto(GStrv) items = g_strsplit_set(filters ? filters : "", " \t\n", -1);
    g_autoptr(GArray) parsed = g_array_new(FALSE, TRUE, sizeof(virLogFilter));
    virLogFilter *old;
    size_t nold;
    size_t i;

    for (i = 0; items[i]; i++) {
        g_auto(GStrv) parts = NULL;
        virLogFilter filter = { 0 };

        if (!*items[i])
            continue;
        parts = g_strsplit(items[i], ":", 2);
        if (!parts[1] || !*parts[1]) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Invalid log filter '%1$s': expected PRIORITY:CATEGORY."),
                           items[i]);
            goto error;
        }
        if ((filter.priority = virLogParsePriority(parts[0], items[i])) < 0)
            goto error;
        filter.match = g_strdup(parts[1]);
        filter.glob = strpbrk(filter.match, "*?") != NULL;
        g_array_append_val(parsed, filter);
    }

    virMutexLock(&logState.lock);
    old = logState.filters;
    nold = logState.nfilters;
    logState.nfilters = parsed->len;
    logState.filters = (virLogFilter *)(void *)g_array_free(g_steal_pointer(&parsed), FALSE);
    virMutexUnlock(&logState.lock);
    virLogInvalidate();

    for (i = 0; i < nold; i++)
        g_free(old[i].match);
    g_free(old);
    return 0;

 error:
    for (i = 0; i < parsed->len; i++)
        g_free(g_array_index(parsed, virLogFilter, i).match);
    return -1;
}


static void
virLogOutputsFree(virLogOutput *outputs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (outputs[i].owned)
            close(outputs[i].fd);
    }
    g_free(outputs);
}


int
virLogSetOutputs(const char *outputs)
{
    g_auto(GStrv) items = g_strsplit_set(outputs ? outputs : "", " \t\n", -1);
    g_autoptr(GArray) parsed = g_array_new(FALSE, TRUE, sizeof(virLogOutput));
    virLogOutput *old;
    size_t nold;
    size_t i;

    for (i = 0; items[i]; i++) {
        g_auto(GStrv) parts = NULL;
        virLogOutput output = { 0 };

        if (!*items[i])
            continue;
        parts = g_strsplit(items[i], ":", 3);
        if (!parts[1]) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Invalid log output '%1$s': expected PRIORITY:stderr or PRIORITY:file:PATH."),
                           items[i]);
            goto error;
        }
        if ((output.priority = virLogParsePriority(parts[0], items[i])) < 0)
            goto error;
        if (STREQ(parts[1], "stderr") && !parts[2]) {
            output.fd = STDERR_FILENO;
        } else if (STREQ(parts[1], "file") && parts[2] && *parts[2]) {
            output.fd = open(parts[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (output.fd < 0) {
                virReportSystemError(errno, _("Cannot open log file '%1$s'"), parts[2]);
                goto error;
            }
            output.owned = true;
        } else {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           _("Invalid log output '%1$s': expected PRIORITY:stderr or PRIORITY:file:PATH."),
                           items[i]);
            goto error;
        }
        g_array_append_val(parsed, output);
    }

    virMutexLock(&logState.lock);
    old = logState.outputs;
    nold = logState.noutputs;
    logState.noutputs = parsed->len;
    logState.outputs = (virLogOutput *)(void *)g_array_free(g_steal_pointer(&parsed), FALSE);
    virMutexUnlock(&logState.lock);
    virLogInvalidate();
    virLogOutputsFree(old, nold);
    return 0;

 error:
    nold = parsed->len;
    virLogOutputsFree((virLogOutput *)(void *)g_array_free(g_steal_pointer(&parsed), FALSE),
                      nold);
    return -1;
}


int
virLogSetFromEnv(void)
{
    const char *debug = g_getenv("QVIRT_DEBUG");
    const char *filters = g_getenv("QVIRT_LOG_FILTERS");
    const char *outputs = g_getenv("QVIRT_LOG_OUTPUTS");

    if (debug && *debug) {
        int prio = virLogParsePriority(debug, "QVIRT_DEBUG");
        if (prio < 0)
            return -1;
        virLogSetDefaultPriority(prio);
    }
    if (filters && virLogSetFilters(filters) < 0)
        return -1;
    if (outputs && virLogSetOutputs(outputs) < 0)
        return -1;
    return 0;
}


void
virLogSetCallback(virLogPriority priority, virLogCallbackFunc func, void *opaque)
{
    virMutexLock(&logState.lock);
    logState.callback = func;
    logState.callbackOpaque = opaque;
    logState.callbackPriority = func ? (int)priority : VIR_LOG_ERROR + 1;
    virMutexUnlock(&logState.lock);
    virLogInvalidate();
}
