/* virerror.c: the thread-local last error and how every layer reports one. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "virerror.h"
#include "virlog.h"

static void
virErrorFreeThreadLocal(gpointer data)
{
    virErrorFree(data);
}

static GPrivate lastError = G_PRIVATE_INIT(virErrorFreeThreadLocal);


void
virErrorFree(virQvirtError *err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err);
}


static void
virErrorSetLast(virLogSource *source, int domain, int code, char *message,
                const char *filename, const char *funcname, size_t linenr)
{
    virQvirtError *err = g_new0(virQvirtError, 1);

    err->domain = domain;
    err->code = code;
    err->message = message;

    virLogMessage(source, VIR_LOG_ERROR, funcname, linenr, "%s", err->message);

    g_private_replace(&lastError, err);
}


void
virErrorReportFull(virLogSource *source, int domain, int code,
                   const char *filename, const char *funcname, size_t linenr,
                   const char *fmt, ...)
{
    va_list args;
    char *message;
    int saved = errno;

    va_start(args, fmt);
    message = g_strdup_vprintf(fmt, args);
    va_end(args);

    virErrorSetLast(source, domain, code, message, filename, funcname, linenr);
    errno = saved;
}


void
virErrorReportSystemFull(virLogSource *source, int domain, int theerrno,
                         const char *filename, const char *funcname, size_t linenr,
                         const char *fmt, ...)
{
    va_list args;
    g_autofree char *prefix = NULL;
    int saved = errno;

    va_start(args, fmt);
    prefix = g_strdup_vprintf(fmt, args);
    va_end(args);

    virErrorSetLast(source, domain, VIR_ERR_SYSTEM_ERROR,
                    g_strdup_printf("%s: %s", prefix, g_strerror(theerrno)),
                    filename, funcname, linenr);
    errno = saved;
}


const virQvirtError *
virErrorGetLast(void)
{
    return g_private_get(&lastError);
}


const char *
virErrorGetLastMessage(void)
{
    const virQvirtError *err = virErrorGetLast();

    if (!err || !err->message)
        return _("no error was reported");
    return err->message;
}


int
virErrorGetLastCode(void)
{
    const virQvirtError *err = virErrorGetLast();

    return err ? err->code : VIR_ERR_OK;
}


void
virResetLastError(void)
{
    g_private_replace(&lastError, NULL);
}


virQvirtError *
virErrorSave(void)
{
    const virQvirtError *err = virErrorGetLast();
    virQvirtError *copy;

    if (!err)
        return NULL;
    copy = g_new0(virQvirtError, 1);
    copy->code = err->code;
    copy->domain = err->domain;
    copy->message = g_strdup(err->message);
    return copy;
}


void
virErrorRestore(virQvirtError **saved)
{
    if (!*saved)
        return;
    g_private_replace(&lastError, g_steal_pointer(saved));
}
