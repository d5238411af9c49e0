/* virprocess.h: spawning, signalling and reaping child processes. */
#pragma once

#include <sys/types.h>

#include "internal.h"

/*
 * Starts @argv[0] (an absolute path; no shell, no PATH lookup) as a child in a
 * session of its own (signals to the caller's process group do not reach it), with a
 * clean environment (PATH and LC_ALL=C only), stdin from /dev/null, stdout and
 * stderr to @logfd, and the @nkeep descriptors of @keepFds open under the same
 * numbers; every other descriptor is closed. The child is not reaped: the caller
 * watches it (virProcessWatch) or waits for it. Returns 0 and the pid, or -1 with an
 * error naming the program.
 */
int virProcessSpawn(const char *const *argv, const int *keepFds, size_t nkeep, int logfd,
                    pid_t *pid);

/* Sends @sig to @pid; a process that is already gone is not an error. */
int virProcessKill(pid_t pid, int sig);

/*
 * Ends child @pid: SIGTERM, then SIGKILL when it is still there after @graceMs, and
 * reaps it. Returns 0 once it is gone, -1 with an error when even SIGKILL did not
 * end it within a second.
 */
int virProcessTerminate(pid_t pid, unsigned int graceMs);

/* A pidfd for @pid (pidfd_open, Linux >= 5.3): readable once the process has
 * exited, whether or not it is our child. -1 with an error when it cannot be had. */
int virProcessOpenPidfd(pid_t pid);

/* True while @pid exists (a zombie counts as gone). */
bool virProcessIsAlive(pid_t pid);

/* True while @pid exists and one of its command-line arguments is exactly @arg
 * (/proc/PID/cmdline): after a restart, tells a pid that still runs the program
 * recorded from one that the kernel has given to another program. */
bool virProcessHasArgument(pid_t pid, const char *arg);
