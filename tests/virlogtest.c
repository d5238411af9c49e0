/* virlogtest.c: log filters, outputs and priorities. */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "testutils.h"
#include "virlog.h"

VIR_LOG_INIT("qemu.qemu_monitor");

static virLogSource utilSource = { .name = "util.json" };
static virLogSource otherSource = { .name = "qemumore" };


static void
testFilters(void)
{
    virLogSetDefaultPriority(VIR_LOG_WARN);
    virTestAssertOK(virLogSetFilters("1:qemu 4:util.json"));
    virTestLogCaptureStart(VIR_LOG_DEBUG);

    g_assert_true(virLogWants(&virLogSelf, VIR_LOG_DEBUG));
    g_assert_false(virLogWants(&utilSource, VIR_LOG_WARN));
    g_assert_true(virLogWants(&utilSource, VIR_LOG_ERROR));
    /* "qemu" matches "qemu.x" but not "qemumore". */
    g_assert_false(virLogWants(&otherSource, VIR_LOG_INFO));
    g_assert_true(virLogWants(&otherSource, VIR_LOG_WARN));

    /* Changing filters takes effect on sources that cached a priority. */
    virTestAssertOK(virLogSetFilters("3:qemu.*"));
    g_assert_false(virLogWants(&virLogSelf, VIR_LOG_DEBUG));
    g_assert_true(virLogWants(&virLogSelf, VIR_LOG_WARN));

    virTestLogCaptureStop();
    virTestAssertOK(virLogSetFilters(""));
}


static void
testBadSyntax(void)
{
    virTestAssertOK(virLogSetFilters("1:qemu"));
    g_assert_cmpint(virLogSetFilters("9:qemu"), ==, -1);
    virTestAssertErrorContains("Invalid log priority '9'");
    g_assert_cmpint(virLogSetFilters("qemu"), ==, -1);
    virTestAssertErrorContains("Invalid log filter 'qemu'");
    g_assert_cmpint(virLogSetOutputs("1:syslog"), ==, -1);
    virTestAssertErrorContains("Invalid log output '1:syslog'");
    g_assert_cmpint(virLogSetOutputs("1:file:/nonexistent/dir/x.log"), ==, -1);
    virTestAssertErrorContains("Cannot open log file '/nonexistent/dir/x.log'");
    /* The old filter stays after a failed change. */
    virTestLogCaptureStart(VIR_LOG_DEBUG);
    g_assert_true(virLogWants(&virLogSelf, VIR_LOG_DEBUG));
    virTestLogCaptureStop();
    virTestAssertOK(virLogSetFilters(""));
}


static void
testFileOutput(void)
{
    g_autofree char *dir = g_dir_make_tmp("qvirt-logtest-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "out.log", NULL);
    g_autofree char *spec = g_strdup_printf("2:file:%s", path);
    g_autofree char *contents = NULL;

    virTestAssertOK(virLogSetOutputs(spec));
    virTestAssertOK(virLogSetFilters("1:qemu"));
    VIR_DEBUG("not written: below the output's priority");
    VIR_INFO("Monitor of domain '%s' opened", "vm1");
    VIR_WARN("Dropping QEMU event %s", "X");
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_null(strstr(contents, "not written"));
    g_assert_nonnull(strstr(contents, ": info : qemu.qemu_monitor : testFileOutput:"));
    g_assert_nonnull(strstr(contents, "Monitor of domain 'vm1' opened\n"));
    g_assert_nonnull(strstr(contents, ": warning : qemu.qemu_monitor : "));

    virTestAssertOK(virLogSetOutputs("3:stderr"));
    virTestAssertOK(virLogSetFilters(""));
    unlink(path);
    rmdir(dir);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);
    g_test_add_func("/virlog/filters", testFilters);
    g_test_add_func("/virlog/bad-syntax", testBadSyntax);
    g_test_add_func("/virlog/file-output", testFileOutput);
    return g_test_run();
}
