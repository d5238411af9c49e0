/* qvirtd.c: the qvirt daemon: options, config file, pid file, the QEMU driver, the main loop. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "qemu_driver.h"
#include "remote_dispatch.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("remote.qvirtd");

/* Worker threads accepted from the config file. Each runs the events of one domain
 * at a time; more than 64 only adds idle threads on any host qvirt targets. */
#define QVIRTD_WORKERS_MAX 64

/* The longest monitor_reply_timeout_ms accepted: beyond 10 minutes a QEMU that does
 * not answer is hung, and API callers need an answer. */
#define QVIRTD_MONITOR_REPLY_TIMEOUT_MAX_MS (10 * 60 * 1000)

/* Threads running RPC calls. A call may wait for a domain's job or monitor, so a few
 * let other clients' calls (and other domains) proceed meanwhile. */
#define QVIRTD_RPC_WORKERS 8

#define QVIRTD_CONFIG_GROUP "qvirtd"

/* Where everything lives: <root>/etc/qvirt and so on, root "" for the system. */
typedef struct _qvirtdPaths qvirtdPaths;
struct _qvirtdPaths {
    char *configDir;    /* <root>/etc/qvirt: qvirtd.conf, qemu/NAME.xml */
    char *runDir;       /* <root>/run/qvirt: pid file, qemu/ live state, the socket */
    char *logDir;       /* <root>/var/log/qvirt: qemu/NAME.log */
    char *libDir;       /* <root>/var/lib/qvirt: the daemon's persistent data */
};

/* The [qvirtd] group of the config file; see qvirtd.conf for each key. */
typedef struct _qvirtdConfig qvirtdConfig;
struct _qvirtdConfig {
    unsigned int workers;
    int logLevel;                   /* virLogPriority */
    char *logFilters;
    char *logOutputs;
    char *defaultEmulator;
    unsigned int monitorReplyTimeoutMs;
};

typedef struct _qvirtd qvirtd;
struct _qvirtd {
    qvirtdPaths paths;
    char *configFile;
    bool daemonize;
    qvirtdConfig config;
    char *pidFile;
    int pidFd;
    GMainLoop *loop;
    qemuDriver *driver;
    virNetServer *server;
    int exitStatus;
};


static void
qvirtdConfigClear(qvirtdConfig *config)
{
    g_clear_pointer(&config->logFilters, g_free);
    g_clear_pointer(&config->logOutputs, g_free);
    g_clear_pointer(&config->defaultEmulator, g_free);
}


static void
qvirtdPathsInit(qvirtdPaths *paths, const char *root)
{
    paths->configDir = g_build_filename(root, "etc", "qvirt", NULL);
    paths->runDir = g_build_filename(root, "run", "qvirt", NULL);
    paths->logDir = g_build_filename(root, "var", "log", "qvirt", NULL);
    paths->libDir = g_build_filename(root, "var", "lib", "qvirt", NULL);
}


static void
qvirtdPathsClear(qvirtdPaths *paths)
{
    g_free(paths->configDir);
    g_free(paths->runDir);
    g_free(paths->logDir);
    g_free(paths->libDir);
}


/* ---- config file ---- */

static int
qvirtdConfigGetUInt(GKeyFile *kf, const char *file, const char *key, unsigned int min,
                    unsigned int max, unsigned int *value)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    gint64 v;

    if (!g_key_file_has_key(kf, QVIRTD_CONFIG_GROUP, key, NULL))
        return 0;
    text = g_key_file_get_value(kf, QVIRTD_CONFIG_GROUP, key, NULL);
    v = g_key_file_get_int64(kf, QVIRTD_CONFIG_GROUP, key, &err);
    if (err || v < min || v > max) {
        virReportError(VIR_ERR_CONF_SYNTAX,
                       _("Invalid value '%1$s' for key '%2$s' in '%3$s': expected an integer from %4$u to %5$u."),
                       NULLSTR(text), key, file, min, max);
        return -1;
    }
    *value = v;
    return 0;
}


static int
qvirtdConfigGetString(GKeyFile *kf, const char *file, const char *key, char **value)
{
    g_autoptr(GError) err = NULL;
    char *v;

    if (!g_key_file_has_key(kf, QVIRTD_CONFIG_GROUP, key, NULL))
        return 0;
    if (!(v = g_key_file_get_string(kf, QVIRTD_CONFIG_GROUP, key, &err))) {
        virReportError(VIR_ERR_CONF_SYNTAX, _("Invalid value for key '%1$s' in '%2$s': %3$s"),
                       key, file, err->message);
        return -1;
    }
    g_free(*value);
    *value = v;
    return 0;
}


/* Reads @file into @config (defaults first). A missing file means the defaults. */
static int
qvirtdConfigLoad(qvirtdConfig *config, const char *file)
{
    static const char *const knownKeys[] = {
        "workers", "log_level", "log_filters", "log_outputs", "default_emulator",
        "monitor_reply_timeout_ms",
    };
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) groups = NULL;
    g_auto(GStrv) keys = NULL;
    unsigned int level = VIR_LOG_WARN;
    size_t i;

    qvirtdConfigClear(config);
    memset(config, 0, sizeof(*config));
    config->workers = QEMU_DRIVER_DEFAULT_WORKERS;
    config->logLevel = VIR_LOG_WARN;

    if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, &err)) {
        if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return 0;
        virReportError(VIR_ERR_CONF_SYNTAX, _("Cannot read config file '%1$s': %2$s"),
                       file, err->message);
        return -1;
    }

    groups = g_key_file_get_groups(kf, NULL);
    for (i = 0; groups[i]; i++) {
        if (!STREQ(groups[i], QVIRTD_CONFIG_GROUP)) {
            virReportError(VIR_ERR_CONF_SYNTAX, _("Unknown group '[%1$s]' in '%2$s'."),
                           groups[i], file);
            return -1;
        }
    }
    keys = g_key_file_get_keys(kf, QVIRTD_CONFIG_GROUP, NULL, NULL);
    for (i = 0; keys && keys[i]; i++) {
        bool known = false;
        size_t k;

        for (k = 0; k < G_N_ELEMENTS(knownKeys); k++)
            known |= STREQ(knownKeys[k], keys[i]);
        if (!known) {
            virReportError(VIR_ERR_CONF_SYNTAX, _("Unknown key '%1$s' in '%2$s'."),
                           keys[i], file);
            return -1;
        }
    }

    if (qvirtdConfigGetUInt(kf, file, "workers", 1, QVIRTD_WORKERS_MAX, &config->workers) < 0 ||
        qvirtdConfigGetUInt(kf, file, "log_level", VIR_LOG_DEBUG, VIR_LOG_ERROR, &level) < 0 ||
        qvirtdConfigGetString(kf, file, "log_filters", &config->logFilters) < 0 ||
        qvirtdConfigGetString(kf, file, "log_outputs", &config->logOutputs) < 0 ||
        qvirtdConfigGetString(kf, file, "default_emulator", &config->defaultEmulator) < 0 ||
        qvirtdConfigGetUInt(kf, file, "monitor_reply_timeout_ms", 1,
                            QVIRTD_MONITOR_REPLY_TIMEOUT_MAX_MS,
                            &config->monitorReplyTimeoutMs) < 0)
        return -1;
    config->logLevel = level;
    if (config->defaultEmulator && !g_path_is_absolute(config->defaultEmulator)) {
        virReportError(VIR_ERR_CONF_SYNTAX,
                       _("Invalid value '%1$s' for key '%2$s' in '%3$s': expected an absolute path."),
                       config->defaultEmulator, "default_emulator", file);
        return -1;
    }
    return 0;
}


/* ---- logging ---- */

/*
 * Logging from the config file, then the environment (QVIRT_DEBUG, QVIRT_LOG_FILTERS,
 * QVIRT_LOG_OUTPUTS), which wins. Without log_outputs, messages of the log level go
 * to stderr in the foreground and to <logdir>/qvirtd.log with --daemon.
 */
static int
qvirtdSetupLogging(qvirtd *daemon)
{
    const qvirtdConfig *config = &daemon->config;
    const char *debug = g_getenv("QVIRT_DEBUG");
    int level = config->logLevel;
    g_autofree char *outputs = NULL;

    if (debug && debug[0] >= '1' && debug[0] <= '4' && debug[1] == '\0')
        level = debug[0] - '0';
    virLogSetDefaultPriority(config->logLevel);
    if (config->logOutputs)
        outputs = g_strdup(config->logOutputs);
    else if (daemon->daemonize)
        outputs = g_strdup_printf("%d:file:%s/qvirtd.log", level, daemon->paths.logDir);
    else
        outputs = g_strdup_printf("%d:stderr", level);

    if (virLogSetFilters(config->logFilters ? config->logFilters : "") < 0) {
        virReportError(VIR_ERR_CONF_SYNTAX, _("Invalid value for key '%1$s' in '%2$s': %3$s"),
                       "log_filters", daemon->configFile, virErrorGetLastMessage());
        return -1;
    }
    if (virLogSetOutputs(outputs) < 0) {
        virReportError(VIR_ERR_CONF_SYNTAX, _("Invalid value for key '%1$s' in '%2$s': %3$s"),
                       "log_outputs", daemon->configFile, virErrorGetLastMessage());
        return -1;
    }
    return virLogSetFromEnv();
}


/* ---- pid file ---- */

/* Creates and locks the pid file and writes our pid. Refuses when another process
 * holds the lock: a second qvirtd on the same folders. */
static int
qvirtdAcquirePidFile(qvirtd *daemon)
{
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    g_autofree char *pid = NULL;
    int fd;

    if ((fd = open(daemon->pidFile, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        virReportSystemError(errno, _("Cannot open pid file '%1$s'"), daemon->pidFile);
        return -1;
    }
    if (fcntl(fd, F_SETLK, &lock) < 0) {
        int err = errno;
        char other[32] = "";
        ssize_t n;

        if (err == EAGAIN || err == EACCES) {
            n = pread(fd, other, sizeof(other) - 1, 0);
            other[MAX(n, 0)] = '\0';
            g_strchomp(other);
            virReportError(VIR_ERR_OPERATION_INVALID,
                           _("Another qvirtd (pid %1$s) is running with pid file '%2$s'."),
                           other[0] ? other : "?", daemon->pidFile);
        } else {
            virReportSystemError(err, _("Cannot lock pid file '%1$s'"), daemon->pidFile);
        }
        close(fd);
        return -1;
    }
    pid = g_strdup_printf("%lld\n", (long long)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
        virReportSystemError(errno, _("Cannot write pid file '%1$s'"), daemon->pidFile);
        close(fd);
        return -1;
    }
    daemon->pidFd = fd;
    return 0;
}


static void
qvirtdReleasePidFile(qvirtd *daemon)
{
    if (daemon->pidFd < 0)
        return;
    /* Unlink while still holding the lock, so a starting qvirtd never sees our file. */
    if (unlink(daemon->pidFile) < 0)
        VIR_WARN("Cannot remove pid file '%s': %s", daemon->pidFile, g_strerror(errno));
    close(daemon->pidFd);
    daemon->pidFd = -1;
}


/* ---- detaching ---- */

/*
 * --daemon: forks twice with a setsid between, so the daemon is no session leader and
 * has no terminal. The original process waits until the daemon reports its
 * start-up through the returned pipe (0: ready, 1: failed) and exits with that.
 * Returns the pipe's write end in the daemon, -1 (with an error) on failure.
 */
static int
qvirtdDaemonize(void)
{
    int statusPipe[2];
    pid_t child;

    if (pipe2(statusPipe, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", _("Cannot create a pipe to detach"));
        return -1;
    }
    if ((child = fork()) < 0) {
        virReportSystemError(errno, "%s", _("Cannot fork to detach"));
        return -1;
    }
    if (child > 0) {
        char status = 1;
        int rc;

        close(statusPipe[1]);
        while (waitpid(child, &rc, 0) < 0 && errno == EINTR)
            ;
        while (read(statusPipe[0], &status, 1) < 0 && errno == EINTR)
            ;
        _exit(status == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
    }

    close(statusPipe[0]);
    if (setsid() < 0)
        _exit(EXIT_FAILURE);
    if ((child = fork()) < 0)
        _exit(EXIT_FAILURE);
    if (child > 0)
        _exit(EXIT_SUCCESS);
    if (chdir("/") < 0)
        _exit(EXIT_FAILURE);
    return statusPipe[1];
}


/* The daemon's stdio goes to /dev/null once start-up errors need no terminal. */
static void
qvirtdDetachStdio(void)
{
    int fd = open("/dev/null", O_RDWR);

    if (fd < 0)
        return;
    dup2(fd, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
}


/* ---- signals ---- */

static gboolean
qvirtdHandleQuit(gpointer opaque)
{
    qvirtd *daemon = opaque;

    VIR_INFO("qvirtd shutting down on a signal; running domains keep running");
    g_main_loop_quit(daemon->loop);
    return G_SOURCE_CONTINUE;
}


static gboolean
qvirtdHandleReload(gpointer opaque)
{
    qvirtd *daemon = opaque;
    qvirtdConfig config = { 0 };

    /* Only logging can change while running: the driver's settings need a restart. */
    if (qvirtdConfigLoad(&config, daemon->configFile) < 0) {
        VIR_ERROR("Not reloading '%s': %s", daemon->configFile, virErrorGetLastMessage());
        virResetLastError();
        qvirtdConfigClear(&config);
        return G_SOURCE_CONTINUE;
    }
    qvirtdConfigClear(&daemon->config);
    daemon->config = config;
    if (qvirtdSetupLogging(daemon) < 0) {
        VIR_ERROR("Cannot apply the log settings of '%s': %s", daemon->configFile,
                  virErrorGetLastMessage());
        virResetLastError();
    } else {
        VIR_INFO("Reloaded log settings from '%s'", daemon->configFile);
    }
    return G_SOURCE_CONTINUE;
}


/* ---- start-up ---- */

static int
qvirtdMakeDirs(const qvirtdPaths *paths)
{
    const char *dirs[] = { paths->configDir, paths->runDir, paths->logDir, paths->libDir };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (g_mkdir_with_parents(dirs[i], 0700) < 0) {
            virReportSystemError(errno, _("Cannot create directory '%1$s'"), dirs[i]);
            return -1;
        }
    }
    return 0;
}


static int
qvirtdStartDriver(qvirtd *daemon)
{
    g_autofree char *configDir = g_build_filename(daemon->paths.configDir, "qemu", NULL);
    g_autofree char *stateDir = g_build_filename(daemon->paths.runDir, "qemu", NULL);
    g_autofree char *logDir = g_build_filename(daemon->paths.logDir, "qemu", NULL);
    qemuDriverConfig cfg = {
        .configDir = configDir,
        .stateDir = stateDir,
        .logDir = logDir,
        .defaultEmulator = daemon->config.defaultEmulator,
        .workers = daemon->config.workers,
        .monitorReplyTimeoutMs = daemon->config.monitorReplyTimeoutMs,
    };

    if (!(daemon->driver = qemuDriverNew(&cfg)))
        return -1;
    return 0;
}


/* The first fd systemd's socket activation passes (sd_listen_fds(3)). */
#define QVIRTD_LISTEN_FDS_START 3

/* True when systemd handed this process a listening socket (qvirtd.socket):
 * LISTEN_PID names us and LISTEN_FDS is at least 1. The variables are removed so
 * QEMU, started later, never sees them. */
static bool
qvirtdSocketActivated(void)
{
    const char *pid = g_getenv("LISTEN_PID");
    const char *fds = g_getenv("LISTEN_FDS");
    guint64 p = 0;
    guint64 n = 0;
    bool ours;

    ours = pid && fds &&
           g_ascii_string_to_unsigned(pid, 10, 1, G_MAXINT32, &p, NULL) &&
           g_ascii_string_to_unsigned(fds, 10, 1, 64, &n, NULL) &&
           (pid_t)p == getpid();
    g_unsetenv("LISTEN_PID");
    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_FDNAMES");
    return ours;
}


/* libvirt's remote protocol on <rundir>/qvirtd-sock (or the socket systemd
 * passed), served from the main loop. */
static int
qvirtdStartServer(qvirtd *daemon)
{
    g_autofree char *sockPath = g_build_filename(daemon->paths.runDir, "qvirtd-sock", NULL);

    daemon->server = virNetServerNew(NULL, QVIRTD_RPC_WORKERS);
    if (remoteDispatchRegister(daemon->server, daemon->driver) < 0)
        return -1;
    if (qvirtdSocketActivated())
        return virNetServerListenFD(daemon->server, QVIRTD_LISTEN_FDS_START);
    if (virNetServerListenUNIX(daemon->server, sockPath) < 0)
        return -1;
    VIR_INFO("Listening on '%s'", sockPath);
    return 0;
}


static const char qvirtdDescription[] =
    "Paths (system, run as root):\n"
    "  /etc/qvirt          qvirtd.conf; qemu/NAME.xml persistent domains\n"
    "  /run/qvirt          qvirtd.pid; qemu/ live state and monitor sockets\n"
    "  /var/log/qvirt      qemu/NAME.log\n"
    "  /var/lib/qvirt      the daemon's persistent data\n"
    "With --root DIR, every path is under DIR (DIR/etc/qvirt, DIR/run/qvirt,\n"
    "DIR/var/log/qvirt, DIR/var/lib/qvirt). Run as another user without --root,\n"
    "qvirtd uses --root ~/.qvirt.\n"
    "\n"
    "Logging: the config file's log_level, log_filters and log_outputs, overridden\n"
    "by QVIRT_DEBUG, QVIRT_LOG_FILTERS and QVIRT_LOG_OUTPUTS. SIGTERM and SIGINT\n"
    "stop qvirtd and leave running domains running; SIGHUP reloads the log settings.";


static int
qvirtdParseOptions(qvirtd *daemon, int *argc, char ***argv)
{
    g_autofree char *root = NULL;
    g_autofree char *configFile = NULL;
    g_autofree char *pidFile = NULL;
    gboolean daemonize = FALSE;
    gboolean version = FALSE;
    GOptionEntry entries[] = {
        { "root", 'r', 0, G_OPTION_ARG_FILENAME, &root,
          "Keep every file under DIR instead of /etc, /run and /var", "DIR" },
        { "config", 'f', 0, G_OPTION_ARG_FILENAME, &configFile,
          "Config file (default: <configdir>/qvirtd.conf; missing means defaults)", "FILE" },
        { "daemon", 'd', 0, G_OPTION_ARG_NONE, &daemonize,
          "Detach once started (default: stay in the foreground)", NULL },
        { "pid-file", 'p', 0, G_OPTION_ARG_FILENAME, &pidFile,
          "Pid file (default: <rundir>/qvirtd.pid)", "FILE" },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
        { NULL }
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- the qvirt daemon");
    g_autoptr(GError) err = NULL;

    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx, qvirtdDescription);
    if (!g_option_context_parse(ctx, argc, argv, &err)) {
        g_printerr("qvirtd: %s\n", err->message);
        return -1;
    }
    if (*argc > 1) {
        g_printerr(_("qvirtd: unexpected argument '%1$s'.\n"), (*argv)[1]);
        return -1;
    }
    if (version) {
        printf("qvirtd (qvirt) %s\n", PACKAGE_VERSION);
        return 1;
    }

    if (!root && geteuid() != 0)
        root = g_build_filename(g_get_home_dir(), ".qvirt", NULL);
    if (root) {
        g_autofree char *abs = g_canonicalize_filename(root, NULL);

        qvirtdPathsInit(&daemon->paths, abs);
    } else {
        qvirtdPathsInit(&daemon->paths, "/");
    }
    daemon->configFile = configFile ? g_canonicalize_filename(configFile, NULL) :
                         g_build_filename(daemon->paths.configDir, "qvirtd.conf", NULL);
    daemon->pidFile = pidFile ? g_canonicalize_filename(pidFile, NULL) :
                      g_build_filename(daemon->paths.runDir, "qvirtd.pid", NULL);
    daemon->daemonize = daemonize;
    return 0;
}


int
main(int argc, char **argv)
{
    qvirtd daemon = { .pidFd = -1, .exitStatus = EXIT_FAILURE };
    int statusFd = -1;
    int rc;

    setlocale(LC_ALL, "");
    if ((rc = qvirtdParseOptions(&daemon, &argc, &argv)) != 0) {
        rc = rc > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
        goto cleanup_paths;
    }

    /* Threads do not survive fork: detach before anything starts one. */
    if (qvirtdConfigLoad(&daemon.config, daemon.configFile) < 0 ||
        qvirtdMakeDirs(&daemon.paths) < 0 ||
        qvirtdSetupLogging(&daemon) < 0 ||
        (daemon.daemonize && (statusFd = qvirtdDaemonize()) < 0) ||
        qvirtdAcquirePidFile(&daemon) < 0) {
        g_printerr("qvirtd: %s\n", virErrorGetLastMessage());
        goto cleanup;
    }
    signal(SIGPIPE, SIG_IGN);

    if (qvirtdStartDriver(&daemon) < 0) {
        g_printerr("qvirtd: %s\n", virErrorGetLastMessage());
        goto cleanup;
    }
    /* Services on the main loop (the RPC server on <rundir>/qvirtd-sock) attach here,
     * between the driver and the loop, and are torn down before the driver. */
    if (qvirtdStartServer(&daemon) < 0) {
        g_printerr("qvirtd: %s\n", virErrorGetLastMessage());
        goto cleanup;
    }

    daemon.loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGTERM, qvirtdHandleQuit, &daemon);
    g_unix_signal_add(SIGINT, qvirtdHandleQuit, &daemon);
    g_unix_signal_add(SIGHUP, qvirtdHandleReload, &daemon);

    if (statusFd >= 0) {
        char ok = 0;

        qvirtdDetachStdio();
        if (write(statusFd, &ok, 1) != 1)
            VIR_WARN("Cannot tell the starting process that qvirtd is ready");
        close(statusFd);
        statusFd = -1;
    }
    VIR_INFO("qvirtd ready (config '%s', run dir '%s')", daemon.configFile,
             daemon.paths.runDir);
    if (!daemon.daemonize) {
        g_autofree char *sockPath = g_build_filename(daemon.paths.runDir, "qvirtd-sock", NULL);

        /* TRANSLATORS: the second line is a command to copy as is. */
        g_print(_("qvirtd is ready. Connect with:\n  virsh -c 'qemu+unix:///system?socket=%1$s' list --all\n"),
                sockPath);
    }
    g_main_loop_run(daemon.loop);
    daemon.exitStatus = EXIT_SUCCESS;

 cleanup:
    g_clear_pointer(&daemon.server, virNetServerFree);
    g_clear_pointer(&daemon.driver, qemuDriverFree);
    qvirtdReleasePidFile(&daemon);
    if (daemon.loop)
        g_main_loop_unref(daemon.loop);
    if (statusFd >= 0) {
        char failed = 1;

        if (write(statusFd, &failed, 1) < 0)
            VIR_WARN("Cannot tell the starting process that qvirtd failed");
        close(statusFd);
    }
    qvirtdConfigClear(&daemon.config);
    g_free(daemon.configFile);
    g_free(daemon.pidFile);
    rc = daemon.exitStatus;
 cleanup_paths:
    qvirtdPathsClear(&daemon.paths);
    return rc;
}
