/* testutils.c: helpers shared by the unit tests (GLib's gtest runs them). */
#include <config.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "virthread.h"
#include "testutils.h"
#include "virerror.h"
#include "virlog.h"

static GMutex captureLock;
static GString *captured;


void
virTestInit(int *argc, char ***argv)
{
    setlocale(LC_ALL, "C");
    g_test_init(argc, argv, NULL);
    if (virLogSetFromEnv() < 0)
        g_error("Invalid QVIRT_LOG_* settings: %s", virErrorGetLastMessage());
}


char *
virTestSrcPath(const char *relative)
{
    return g_build_filename(ABS_SRCDIR, relative, NULL);
}


char *
virTestLoadFile(const char *relative)
{
    g_autofree char *path = virTestSrcPath(relative);
    g_autoptr(GError) err = NULL;
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, &err))
        g_error("Cannot read test data '%s': %s", path, err->message);
    return contents;
}


void
virTestCompareToFile(const char *actual, const char *relative)
{
    g_autofree char *path = virTestSrcPath(relative);
    g_autofree char *expected = NULL;
    g_autoptr(GError) err = NULL;
    const char *regenerate = g_getenv("VIR_TEST_REGENERATE_OUTPUT");

    if (regenerate && STREQ(regenerate, "1")) {
        if (!g_file_set_contents(path, actual, -1, &err))
            g_error("Cannot write golden file '%s': %s", path, err->message);
        return;
    }
    if (!g_file_get_contents(path, &expected, NULL, &err))
        g_error("Cannot read golden file '%s': %s (VIR_TEST_REGENERATE_OUTPUT=1 creates it)",
                path, err->message);
    if (!STREQ(expected, actual)) {
        g_test_message("Expected (%s):\n%s\nActual:\n%s", path, expected, actual);
        g_test_fail_printf("Output differs from golden file '%s'", relative);
    }
}


void
virTestAssertErrorContains(const char *needle)
{
    const char *message = virErrorGetLastMessage();

    if (!virErrorGetLast())
        g_error("Expected an error containing '%s', but none was reported", needle);
    if (!strstr(message, needle))
        g_error("Expected an error containing '%s', got '%s'", needle, message);
}


static void
virTestLogCaptureCallback(virLogSource *source, virLogPriority priority,
                          const char *message, void *opaque)
{
    virMutexLock(&captureLock);
    if (captured)
        g_string_append_printf(captured, "%s: %s\n", source->name, message);
    virMutexUnlock(&captureLock);
}


void
virTestLogCaptureStart(int priority)
{
    virMutexLock(&captureLock);
    if (!captured)
        captured = g_string_new(NULL);
    virMutexUnlock(&captureLock);
    virLogSetCallback(priority, virTestLogCaptureCallback, NULL);
}


char *
virTestLogCaptureTake(void)
{
    char *text;

    virMutexLock(&captureLock);
    text = g_strdup(captured ? captured->str : "");
    if (captured)
        g_string_truncate(captured, 0);
    virMutexUnlock(&captureLock);
    return text;
}


void
virTestLogCaptureStop(void)
{
    virLogSetCallback(VIR_LOG_ERROR, NULL, NULL);
    virMutexLock(&captureLock);
    if (captured)
        g_string_free(g_steal_pointer(&captured), TRUE);
    virMutexUnlock(&captureLock);
}
