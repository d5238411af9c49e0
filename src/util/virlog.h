/* virlog.h: log categories, priorities, filters and outputs. */
#pragma once

#include "internal.h"

typedef enum {
    VIR_LOG_DEBUG = 1,
    VIR_LOG_INFO,
    VIR_LOG_WARN,
    VIR_LOG_ERROR,
} virLogPriority;

/* One per source file, declared by VIR_LOG_INIT(). The priority is cached and
 * refreshed only when the filters change, so a filtered-out VIR_DEBUG costs two
 * loads and a compare. */
typedef struct _virLogSource virLogSource;
struct _virLogSource {
    const char *name;
    unsigned int serial;
    int priority;
};

#define VIR_LOG_INIT(n) \
    static G_GNUC_UNUSED virLogSource virLogSelf = { .name = "" n "", .serial = 0, .priority = 0 }

bool virLogWants(virLogSource *source, virLogPriority priority);

void virLogMessage(virLogSource *source, virLogPriority priority,
                   const char *funcname, size_t linenr,
                   const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);

#define VIR_LOG_AT(prio, ...) \
    do { \
        if (virLogWants(&virLogSelf, prio)) \
            virLogMessage(&virLogSelf, prio, __func__, __LINE__, __VA_ARGS__); \
    } while (0)

#define VIR_DEBUG(...) VIR_LOG_AT(VIR_LOG_DEBUG, __VA_ARGS__)
#define VIR_INFO(...) VIR_LOG_AT(VIR_LOG_INFO, __VA_ARGS__)
#define VIR_WARN(...) VIR_LOG_AT(VIR_LOG_WARN, __VA_ARGS__)
#define VIR_ERROR(...) VIR_LOG_AT(VIR_LOG_ERROR, __VA_ARGS__)

/* The default priority for categories no filter matches (initially VIR_LOG_WARN). */
void virLogSetDefaultPriority(virLogPriority priority);

/*
 * Filters: space-separated "PRIO:MATCH" items, e.g. "1:qemu.qemu_monitor 3:util".
 * MATCH selects a category equal to it or starting with "MATCH."; a MATCH with '*' or
 * '?' is a glob. The first matching item wins. Returns -1 with an error on bad syntax
 * and leaves the old filters in place.
 */
int virLogSetFilters(const char *filters);

/*
 * Outputs: space-separated "PRIO:stderr" or "PRIO:file:PATH" items. A message goes to
 * each output whose priority it reaches. Returns -1 with an error on bad syntax or an
 * unopenable file, leaving the old outputs in place.
 */
int virLogSetOutputs(const char *outputs);

/* Reads QVIRT_DEBUG (a priority), QVIRT_LOG_FILTERS and QVIRT_LOG_OUTPUTS. */
int virLogSetFromEnv(void);

/* Test hook: every message of at least @priority also reaches @func, which runs
 * under the log lock and so must not log. NULL @func removes it. */
typedef void (*virLogCallbackFunc)(virLogSource *source, virLogPriority priority,
                                   const char *message, void *opaque);
void virLogSetCallback(virLogPriority priority, virLogCallbackFunc func, void *opaque);

const char *virLogPriorityString(virLogPriority priority);
