/* virerror.h: the thread-local last error and how every layer reports one. */
#pragma once

#include "internal.h"
#include <libvirt/virterror.h>

#include "virlog.h"

/*
 * Error convention (all layers): a function that fails reports exactly one error with
 * virReportError() and returns -1 (or NULL). The caller either passes the failure up
 * unchanged or handles it and calls virResetLastError(). Codes and domains are
 * libvirt's own (virErrorNumber, virErrorDomain), so they can go onto the wire as is.
 *
 * Each .c file defines VIR_FROM_THIS and VIR_LOG_INIT() once, before using
 * virReportError(); the error is also logged at error priority in that category.
 */

typedef struct _virQvirtError virQvirtError;
struct _virQvirtError {
    int code;     /* virErrorNumber */
    int domain;   /* virErrorDomain */
    char *message;
};

void virErrorReportFull(virLogSource *source, int domain, int code,
                        const char *filename, const char *funcname, size_t linenr,
                        const char *fmt, ...)
    G_GNUC_PRINTF(7, 8);

#define virReportError(code, ...) \
    virErrorReportFull(&virLogSelf, VIR_FROM_THIS, code, __FILE__, __func__, __LINE__, __VA_ARGS__)

/* Reports errno (saved by the caller) with strerror appended to the message. */
void virErrorReportSystemFull(virLogSource *source, int domain, int theerrno,
                              const char *filename, const char *funcname, size_t linenr,
                              const char *fmt, ...)
    G_GNUC_PRINTF(7, 8);

#define virReportSystemError(theerrno, ...) \
    virErrorReportSystemFull(&virLogSelf, VIR_FROM_THIS, theerrno, __FILE__, __func__, __LINE__, \
                             __VA_ARGS__)

#define virReportOOMError() \
    virReportError(VIR_ERR_NO_MEMORY, "%s", _("Out of memory."))

/* The calling thread's last error, or NULL. Owned by the thread; do not free. */
const virQvirtError *virErrorGetLast(void);

/* The last error's message, or a placeholder when there is none; never NULL. */
const char *virErrorGetLastMessage(void);

/* The last error's code, or VIR_ERR_OK. */
int virErrorGetLastCode(void);

void virResetLastError(void);

/* Saving and restoring around cleanup code that may report errors of its own. */
virQvirtError *virErrorSave(void);
void virErrorRestore(virQvirtError **saved);
void virErrorFree(virQvirtError *err);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virQvirtError, virErrorFree);
