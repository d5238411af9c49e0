/* testutils.h: helpers shared by the unit tests (GLib's gtest runs them). */
#pragma once

#include "internal.h"
#include "virerror.h"

/* Sets up gtest, logging from QVIRT_LOG_* and the C locale; call first in main(). */
void virTestInit(int *argc, char ***argv);

/* Absolute path of @relative in the source tree's tests/ folder. Free with g_free. */
char *virTestSrcPath(const char *relative);

/* Reads tests/@relative into a string; fails the test when it cannot. */
char *virTestLoadFile(const char *relative);

/*
 * Compares @actual with the golden file tests/@relative. With
 * VIR_TEST_REGENERATE_OUTPUT=1 in the environment it rewrites the file instead.
 * On a mismatch the test fails with a unified diff in the log.
 */
void virTestCompareToFile(const char *actual, const char *relative);

/* Fails the current test with the thread's last error as the message when @ret < 0. */
#define virTestAssertOK(ret) \
    do { \
        if ((ret) < 0) \
            g_error("%s:%d: '%s' failed: %s", __FILE__, __LINE__, #ret, \
                    virErrorGetLastMessage()); \
    } while (0)

/* Asserts the thread's last error message contains @needle. */
void virTestAssertErrorContains(const char *needle);

/* Captures log messages at @priority and above into a list, for tests that assert a
 * warning was logged. virTestLogCaptureTake returns the joined text and clears it. */
void virTestLogCaptureStart(int priority);
char *virTestLogCaptureTake(void);
void virTestLogCaptureStop(void);
