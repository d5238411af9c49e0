/* virerrortest.c: the thread-local last error. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "testutils.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

VIR_LOG_INIT("tests.virerrortest");


static void
testReportAndReset(void)
{
    virResetLastError();
    g_assert_null(virErrorGetLast());
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_OK);

    virReportError(VIR_ERR_OPERATION_INVALID, _("Domain '%1$s' is not running."), "vm1");
    g_assert_nonnull(virErrorGetLast());
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(virErrorGetLast()->domain, ==, VIR_FROM_QEMU);
    g_assert_cmpstr(virErrorGetLastMessage(), ==, "Domain 'vm1' is not running.");

    /* The newest error replaces the older one. */
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "second");
    g_assert_cmpstr(virErrorGetLastMessage(), ==, "second");

    virResetLastError();
    g_assert_null(virErrorGetLast());
    g_assert_cmpstr(virErrorGetLastMessage(), ==, "no error was reported");
}


static void
testSystemError(void)
{
    errno = 0;
    virReportSystemError(ENOENT, _("Cannot open '%1$s'"), "/nonexistent");
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(virErrorGetLastMessage(), ==,
                    "Cannot open '/nonexistent': No such file or directory");
    /* Reporting never clobbers errno for the caller. */
    g_assert_cmpint(errno, ==, 0);
}


static gpointer
otherThread(gpointer opaque)
{
    bool sawNone = virErrorGetLast() == NULL;

    virReportError(VIR_ERR_NO_DOMAIN, "%s", "other thread");
    return GINT_TO_POINTER(sawNone);
}


static void
testThreadLocal(void)
{
    GThread *thread;

    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "main thread");
    thread = g_thread_new("other", otherThread, NULL);
    g_assert_true(GPOINTER_TO_INT(g_thread_join(thread)));
    g_assert_cmpstr(virErrorGetLastMessage(), ==, "main thread");
}


static void
testSaveRestore(void)
{
    virQvirtError *saved;

    virReportError(VIR_ERR_OPERATION_FAILED, "%s", "the real cause");
    saved = virErrorSave();
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cleanup noise");
    virErrorRestore(&saved);
    g_assert_null(saved);
    g_assert_cmpstr(virErrorGetLastMessage(), ==, "the real cause");
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_OPERATION_FAILED);

    virResetLastError();
    g_assert_null(virErrorSave());
    virErrorFree(NULL);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);
    g_test_add_func("/virerror/report-reset", testReportAndReset);
    g_test_add_func("/virerror/system", testSystemError);
    g_test_add_func("/virerror/thread-local", testThreadLocal);
    g_test_add_func("/virerror/save-restore", testSaveRestore);
    return g_test_run();
}
