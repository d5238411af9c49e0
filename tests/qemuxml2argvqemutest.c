/* qemuxml2argvqemutest.c: every qemuxml2argvdata/NAME.args golden file must start the real QEMU. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "testutils.h"

/*
 * For each golden argv: start qemu-system-x86_64 from PATH with it (it has -S, so no
 * guest code runs), connect to its QMP socket, read the greeting, send
 * qmp_capabilities and quit, and require exit status 0. If QEMU refuses an option it
 * exits early and the test fails with QEMU's stderr. This keeps the golden files (and
 * so qemu_command.c) in step with what the installed QEMU accepts.
 *
 * What is rewritten before QEMU sees the argv, and why:
 * - argv[0] becomes the qemu-system-x86_64 on PATH (an <emulator> override names a
 *   binary that need not exist here).
 * - `-netdev tap,fd=N,id=X` becomes `-netdev hubport,id=X,hubid=N`: the test has no
 *   tap devices, and a hubport creates nothing on the host while QEMU still checks the
 *   -device that uses the netdev. Passing real tap fds is covered by the process
 *   lifecycle tests.
 * - `-accel kvm` becomes `-accel tcg` on a host without /dev/kvm.
 * - Host paths under /var/lib/qvirt/ and /run/qvirt/ move into a temporary folder
 *   (the test data uses only those two prefixes). There the test creates what QEMU
 *   opens at start-up: raw images (1 MiB of zeros), qcow2 images (qemu-img create),
 *   a listening socket for each client-mode socket chardev, a 4 KiB initrd, and, for
 *   -kernel, a minimal bzImage header (the "HdrS" setup header with one setup
 *   sector): enough for QEMU's loader, which a paused guest never runs. The kernel
 *   path is thus checked for real, not dropped from the argv.
 *
 * Every QEMU started is killed and reaped on any failure; it also gets
 * PR_SET_PDEATHSIG=SIGKILL, so a test killed by its timeout leaves nothing running.
 */

/* Bounds for one QEMU run: TCG start-up takes ~0.1 s, more under ASan or load. */
#define TEST_QEMU_START_TIMEOUT_MS 30000
#define TEST_QEMU_REPLY_TIMEOUT_MS 30000
#define TEST_QEMU_EXIT_TIMEOUT_MS 30000

typedef struct {
    char *tmpdir;
    GPtrArray *listeners;   /* fds of listening sockets (GINT_TO_POINTER(fd + 1)) */
    char *qemuImg;          /* qemu-img on PATH, or NULL */
} testQEMUEnv;


/* The unescaped value of @key in a QEMU option string such as "file=a,,b,format=raw",
 * or NULL. */
static char *
testOptGet(const char *opts, const char *key)
{
    size_t keylen = strlen(key);
    const char *p = opts;

    while (*p) {
        GString *value = NULL;
        bool match = strncmp(p, key, keylen) == 0 && p[keylen] == '=';

        if (match) {
            p += keylen + 1;
            value = g_string_new(NULL);
        }
        while (*p) {
            if (*p == ',' && p[1] == ',') {
                if (value)
                    g_string_append_c(value, ',');
                p += 2;
                continue;
            }
            if (*p == ',') {
                p++;
                break;
            }
            if (value)
                g_string_append_c(value, *p);
            p++;
        }
        if (value)
            return g_string_free(value, FALSE);
    }
    return NULL;
}


static bool
testOptHas(const char *opts, const char *keyValue)
{
    g_auto(GStrv) parts = g_strsplit(opts, ",", -1);

    return g_strv_contains((const char *const *)parts, keyValue);
}


static char *
testReplace(const char *str, const char *from, const char *to)
{
    g_auto(GStrv) parts = g_strsplit(str, from, -1);

    return g_strjoinv(to, parts);
}


static void
testMakeParent(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
}


static void
testWriteZeros(const char *path, size_t size)
{
    g_autofree char *zeros = g_malloc0(size);

    testMakeParent(path);
    g_assert_true(g_file_set_contents(path, zeros, size, NULL));
}


/* A bzImage setup header and nothing else: QEMU loads it, a paused guest never runs it. */
static void
testWriteFakeKernel(const char *path)
{
    guint8 image[16384] = { 0 };

    image[0x1f1] = 1;                               /* setup_sects */
    image[0x1fe] = 0x55;                            /* boot_flag */
    image[0x1ff] = 0xaa;
    memcpy(image + 0x202, "HdrS", 4);               /* header magic */
    image[0x206] = 0x0f;                            /* protocol 2.15 */
    image[0x207] = 0x02;
    image[0x211] = 0x01;                            /* loadflags: LOADED_HIGH */
    image[0x22c] = 0xff;                            /* initrd_addr_max 0x7fffffff */
    image[0x22d] = 0xff;
    image[0x22e] = 0xff;
    image[0x22f] = 0x7f;
    image[0x238] = 0x00;                            /* cmdline_size 2048 */
    image[0x239] = 0x08;

    testMakeParent(path);
    g_assert_true(g_file_set_contents(path, (const char *)image, sizeof(image), NULL));
}


static void
testCreateDisk(testQEMUEnv *env, const char *opts)
{
    g_autofree char *file = testOptGet(opts, "file");
    g_autofree char *format = testOptGet(opts, "format");

    if (!file)
        return;
    if (g_strcmp0(format, "qcow2") == 0) {
        const char *argv[] = { env->qemuImg, "create", "-q", "-f", "qcow2", file, "1M", NULL };
        g_autofree char *err = NULL;
        int status = 0;

        if (!env->qemuImg)
            g_error("qemu-img is not on PATH: it is needed to create %s", file);
        testMakeParent(file);
        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                                   NULL, NULL, NULL, &err, &status, NULL));
        if (!g_spawn_check_wait_status(status, NULL))
            g_error("qemu-img create %s failed: %s", file, err);
    } else {
        testWriteZeros(file, 1024 * 1024);
    }
}


static void
testCreateListener(testQEMUEnv *env, const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    testMakeParent(path);
    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(fd, 4), ==, 0);
    g_ptr_array_add(env->listeners, GINT_TO_POINTER(fd + 1));
}


static void
testCreateChardevPeer(testQEMUEnv *env, const char *opts)
{
    g_autofree char *path = testOptGet(opts, "path");

    if (!path)
        return;
    testMakeParent(path);
    if (g_str_has_prefix(opts, "socket,") && !testOptHas(opts, "server=on"))
        testCreateListener(env, path);
}


/* Rewrites @args (see the comment at the top) and creates the files it needs. */
static char **
testPrepareArgv(testQEMUEnv *env, char **args, const char *qemu, char **monitorPath)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *libDir = g_build_filename(env->tmpdir, "lib/", NULL);
    g_autofree char *runDir = g_build_filename(env->tmpdir, "run/", NULL);
    bool kvm = g_file_test("/dev/kvm", G_FILE_TEST_EXISTS) && access("/dev/kvm", R_OK | W_OK) == 0;
    size_t i;

    g_ptr_array_add(out, g_strdup(qemu));
    for (i = 1; args[i]; i++) {
        g_autofree char *tmp = testReplace(args[i], "/var/lib/qvirt/", libDir);
        g_autofree char *arg = testReplace(tmp, "/run/qvirt/", runDir);
        const char *opt = args[i - 1];

        if (STREQ(opt, "-netdev") && g_str_has_prefix(arg, "tap,")) {
            g_autofree char *fd = testOptGet(arg, "fd");
            g_autofree char *id = testOptGet(arg, "id");

            g_assert_nonnull(fd);
            g_assert_nonnull(id);
            g_clear_pointer(&arg, g_free);
            arg = g_strdup_printf("hubport,id=%s,hubid=%s", id, fd);
        } else if (STREQ(opt, "-accel") && STREQ(arg, "kvm") && !kvm) {
            g_clear_pointer(&arg, g_free);
            arg = g_strdup("tcg");
        } else if (STREQ(opt, "-drive")) {
            testCreateDisk(env, arg);
        } else if (STREQ(opt, "-chardev")) {
            if (g_str_has_prefix(arg, "socket,id=charmonitor,"))
                *monitorPath = testOptGet(arg, "path");
            testCreateChardevPeer(env, arg);
        } else if (STREQ(opt, "-kernel")) {
            testWriteFakeKernel(arg);
        } else if (STREQ(opt, "-initrd")) {
            testWriteZeros(arg, 4096);
        }
        g_ptr_array_add(out, g_steal_pointer(&arg));
    }
    g_ptr_array_add(out, NULL);
    g_assert_nonnull(*monitorPath);
    return (char **)g_ptr_array_steal(out, NULL);
}


static void
testChildSetup(gpointer opaque G_GNUC_UNUSED)
{
    /* Dies with the test, even when the test is killed by its timeout. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}


static int
testQMPConnect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path))
        return -1;
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}


/* One line from @fd into @line (without the newline). FALSE on EOF, error or timeout. */
static bool
testQMPReadLine(int fd, GString *line, GString *pending)
{
    gint64 deadline = g_get_monotonic_time() + TEST_QEMU_REPLY_TIMEOUT_MS * 1000LL;

    for (;;) {
        const char *nl = memchr(pending->str, '\n', pending->len);
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        char buf[4096];
        ssize_t got;
        gint64 left;

        if (nl) {
            g_string_truncate(line, 0);
            g_string_append_len(line, pending->str, nl - pending->str);
            g_string_erase(pending, 0, nl - pending->str + 1);
            return TRUE;
        }
        left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return FALSE;
        got = read(fd, buf, sizeof(buf));
        if (got <= 0)
            return FALSE;
        g_string_append_len(pending, buf, got);
    }
}


/* Sends @cmd and waits for its reply, skipping events. An error message or NULL. */
static char *
testQMPCommand(int fd, GString *pending, const char *cmd)
{
    g_autoptr(GString) line = g_string_new(NULL);
    g_autofree char *msg = g_strdup_printf("{\"execute\": \"%s\"}\n", cmd);

    if (write(fd, msg, strlen(msg)) != (ssize_t)strlen(msg))
        return g_strdup_printf("cannot send %s: %s", cmd, g_strerror(errno));
    for (;;) {
        if (!testQMPReadLine(fd, line, pending))
            return g_strdup_printf("no reply to %s", cmd);
        if (g_str_has_prefix(line->str, "{\"return\""))
            return NULL;
        if (g_str_has_prefix(line->str, "{\"error\""))
            return g_strdup_printf("%s failed: %s", cmd, line->str);
    }
}


/* Waits up to @timeoutMs for @pid; TRUE with *status once it has exited. */
static bool
testWaitPid(GPid pid, int timeoutMs, int *status)
{
    gint64 deadline = g_get_monotonic_time() + timeoutMs * 1000LL;

    for (;;) {
        pid_t rc = waitpid(pid, status, WNOHANG);

        if (rc == pid)
            return TRUE;
        if (rc < 0 && errno != EINTR)
            return TRUE;
        if (g_get_monotonic_time() > deadline)
            return FALSE;
        g_usleep(10 * 1000);
    }
}


/* Runs QEMU with @argv to a QMP quit. Returns NULL on success, else what went wrong.
 * Never leaves the process behind. */
static char *
testRunQEMU(char **argv, const char *monitorPath, const char *logPath)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) pending = g_string_new(NULL);
    g_autoptr(GString) line = g_string_new(NULL);
    g_autofree char *failure = NULL;
    gint64 deadline;
    GPid pid = 0;
    int status = 0;
    int logfd;
    int mon = -1;
    bool exited = false;

    logfd = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (logfd < 0)
        return g_strdup_printf("cannot create %s: %s", logPath, g_strerror(errno));
    if (!g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)argv, NULL,
                                          G_SPAWN_DO_NOT_REAP_CHILD |
                                          G_SPAWN_STDIN_FROM_DEV_NULL |
                                          G_SPAWN_STDOUT_TO_DEV_NULL,
                                          testChildSetup, NULL, -1, -1, logfd,
                                          NULL, NULL, 0, &pid, NULL, NULL, NULL, &err)) {
        close(logfd);
        return g_strdup_printf("cannot start %s: %s", argv[0], err->message);
    }
    close(logfd);

    deadline = g_get_monotonic_time() + TEST_QEMU_START_TIMEOUT_MS * 1000LL;
    while ((mon = testQMPConnect(monitorPath)) < 0) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            failure = g_strdup("QEMU exited before its monitor was up");
            goto cleanup;
        }
        if (g_get_monotonic_time() > deadline) {
            failure = g_strdup("QEMU's monitor socket never accepted a connection");
            goto cleanup;
        }
        g_usleep(10 * 1000);
    }

    if (!testQMPReadLine(mon, line, pending) || !strstr(line->str, "\"QMP\"")) {
        failure = g_strdup_printf("no QMP greeting (got '%s')", line->str);
        goto cleanup;
    }
    if ((failure = testQMPCommand(mon, pending, "qmp_capabilities")))
        goto cleanup;
    if ((failure = testQMPCommand(mon, pending, "quit")))
        goto cleanup;

    if (!testWaitPid(pid, TEST_QEMU_EXIT_TIMEOUT_MS, &status)) {
        failure = g_strdup("QEMU did not exit after quit");
        goto cleanup;
    }
    exited = true;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        failure = g_strdup_printf("QEMU exited with status 0x%x after quit", status);

 cleanup:
    if (mon >= 0)
        close(mon);
    if (!exited && failure && testWaitPid(pid, 100, &status)) {
        g_autofree char *why = g_steal_pointer(&failure);

        exited = true;
        failure = g_strdup_printf("%s (QEMU exited with status 0x%x)", why, status);
    }
    if (!exited) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    g_spawn_close_pid(pid);
    return g_steal_pointer(&failure);
}


static void
testRemoveTree(const char *path)
{
    GDir *dir;
    const char *name;

    if (!g_file_test(path, G_FILE_TEST_IS_DIR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_unlink(path);
        return;
    }
    if ((dir = g_dir_open(path, 0, NULL))) {
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);

            testRemoveTree(child);
        }
        g_dir_close(dir);
    }
    g_rmdir(path);
}


static void
testQEMUAccepts(const void *opaque)
{
    const char *name = opaque;
    g_autofree char *relative = g_strdup_printf("qemuxml2argvdata/%s.args", name);
    g_autofree char *text = virTestLoadFile(relative);
    g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");
    g_auto(GStrv) args = NULL;
    g_auto(GStrv) argv = NULL;
    g_autofree char *monitorPath = NULL;
    g_autofree char *logPath = NULL;
    g_autofree char *failure = NULL;
    testQEMUEnv env = { 0 };
    size_t i;

    if (!qemu)
        g_error("qemu-system-x86_64 is not on PATH (Debian package qemu-system-x86)");

    g_strchomp(text);
    args = g_strsplit(text, "\n", -1);
    env.tmpdir = g_dir_make_tmp("qvirt-x2a-XXXXXX", NULL);
    env.listeners = g_ptr_array_new();
    env.qemuImg = g_find_program_in_path("qemu-img");
    g_assert_nonnull(env.tmpdir);

    argv = testPrepareArgv(&env, args, qemu, &monitorPath);
    testMakeParent(monitorPath);
    logPath = g_build_filename(env.tmpdir, "qemu.log", NULL);

    failure = testRunQEMU(argv, monitorPath, logPath);
    if (failure) {
        g_autofree char *log = NULL;
        g_autofree char *line = g_strjoinv(" ", argv);

        g_file_get_contents(logPath, &log, NULL, NULL);
        g_test_message("argv: %s", line);
        g_test_fail_printf("%s: %s; QEMU's stderr:\n%s", name, failure, NULLSTR(log));
    }

    for (i = 0; i < env.listeners->len; i++)
        close(GPOINTER_TO_INT(env.listeners->pdata[i]) - 1);
    g_ptr_array_free(env.listeners, TRUE);
    testRemoveTree(env.tmpdir);
    g_free(env.tmpdir);
    g_free(env.qemuImg);
}


/* g_ptr_array_sort passes pointers to the elements. */
static gint
testCompareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}


int
main(int argc, char **argv)
{
    g_autofree char *dataDir = virTestSrcPath("qemuxml2argvdata");
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    GDir *dir;
    const char *entry;
    size_t i;

    virTestInit(&argc, &argv);

    if (!(dir = g_dir_open(dataDir, 0, &err)))
        g_error("cannot list %s: %s", dataDir, err->message);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".args"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(".args")));
    }
    g_dir_close(dir);
    g_ptr_array_sort(names, testCompareNames);

    for (i = 0; i < names->len; i++) {
        const char *name = names->pdata[i];
        g_autofree char *path = g_strdup_printf("/qemuxml2argvqemu/%s", name);

        g_test_add_data_func(path, name, testQEMUAccepts);
    }

    return g_test_run();
}
