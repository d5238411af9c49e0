/* virprocess.c: spawning, signalling and reaping child processes. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "virerror.h"
#include "virlog.h"
#include "virprocess.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.process");


/* In the child before exec: a session of its own, so a signal to the daemon's
 * process group (Ctrl-C on its terminal) never reaches the guests. */
static void
virProcessChildSetup(gpointer opaque)
{
    ignore_value(setsid());
}


int
virProcessSpawn(const char *const *argv, const int *keepFds, size_t nkeep, int logfd,
                pid_t *pid)
{
    const char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "LC_ALL=C", NULL };
    g_autoptr(GError) err = NULL;
    GPid child;

    /* Each kept fd maps onto itself: QEMU's argv names them by number. */
    if (!g_spawn_async_with_pipes_and_fds(NULL, argv, envp,
                                          G_SPAWN_DO_NOT_REAP_CHILD |
                                          G_SPAWN_STDIN_FROM_DEV_NULL,
                                          virProcessChildSetup, NULL, -1, logfd, logfd,
                                          keepFds, keepFds, nkeep,
                                          &child, NULL, NULL, NULL, &err)) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Cannot start '%1$s': %2$s"), argv[0], err->message);
        return -1;
    }
    *pid = child;
    return 0;
}


int
virProcessKill(pid_t pid, int sig)
{
    if (pid <= 1) {
        virReportError(VIR_ERR_INVALID_ARG, _("Refusing to signal process %1$lld."),
                       (long long)pid);
        return -1;
    }
    if (kill(pid, sig) < 0 && errno != ESRCH) {
        virReportSystemError(errno, _("Cannot send signal %1$d to process %2$lld"),
                             sig, (long long)pid);
        return -1;
    }
    return 0;
}


int
virProcessOpenPidfd(pid_t pid)
{
    int fd = syscall(SYS_pidfd_open, pid, 0);

    if (fd < 0) {
        virReportSystemError(errno, _("Cannot watch process %1$lld"), (long long)pid);
        return -1;
    }
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        virReportSystemError(errno, _("Cannot watch process %1$lld"), (long long)pid);
        close(fd);
        return -1;
    }
    return fd;
}


bool
virProcessIsAlive(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%lld/stat", (long long)pid);
    g_autofree char *stat = NULL;
    const char *end;

    if (!g_file_get_contents(path, &stat, NULL, NULL))
        return false;
    /* "pid (comm) S ...": the state follows the last ')'. */
    if (!(end = strrchr(stat, ')')) || !end[1] || !end[2])
        return false;
    return end[2] != 'Z' && end[2] != 'X';
}


bool
virProcessHasArgument(pid_t pid, const char *arg)
{
    g_autofree char *path = g_strdup_printf("/proc/%lld/cmdline", (long long)pid);
    g_autofree char *cmdline = NULL;
    const char *p;
    gsize len;

    if (pid <= 0 || !virProcessIsAlive(pid) ||
        !g_file_get_contents(path, &cmdline, &len, NULL))
        return false;
    /* NUL-separated arguments; g_file_get_contents ends the last one too. */
    for (p = cmdline; p < cmdline + len; p += strlen(p) + 1) {
        if (STREQ(p, arg))
            return true;
    }
    return false;
}


/* Reaps @pid if it is our child and has exited; true when it is gone. */
static bool
virProcessReaped(pid_t pid)
{
    int status;
    pid_t rc = waitpid(pid, &status, WNOHANG);

    if (rc == pid)
        return true;
    if (rc < 0 && errno == ECHILD)
        return !virProcessIsAlive(pid);  /* not our child (or already reaped) */
    return false;
}


static bool
virProcessWaitGone(pid_t pid, unsigned int timeoutMs)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * G_TIME_SPAN_MILLISECOND;

    for (;;) {
        if (virProcessReaped(pid))
            return true;
        if (g_get_monotonic_time() >= deadline)
            return false;
        g_usleep(5 * G_TIME_SPAN_MILLISECOND);
    }
}


int
virProcessTerminate(pid_t pid, unsigned int graceMs)
{
    if (virProcessKill(pid, SIGTERM) < 0)
        return -1;
    if (virProcessWaitGone(pid, graceMs))
        return 0;
    VIR_WARN("Process %lld did not end %u ms after SIGTERM; sending SIGKILL.",
             (long long)pid, graceMs);
    if (virProcessKill(pid, SIGKILL) < 0)
        return -1;
    if (virProcessWaitGone(pid, 1000))
        return 0;
    virReportError(VIR_ERR_OPERATION_FAILED,
                   _("Process %1$lld is still there a second after SIGKILL."), (long long)pid);
    return -1;
}
