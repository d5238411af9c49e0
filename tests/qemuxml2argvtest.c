/* qemuxml2argvtest.c: domain XML -> QEMU argv against golden files (NAME.args, NAME.err). */
#include <config.h>

#include <string.h>

#include <glib/gstdio.h>

#include "testutils.h"
#include "qemu_command.h"

/*
 * Every case reads qemuxml2argvdata/NAME.xml and builds the argv with fixed
 * parameters: emulator /usr/bin/qemu-system-x86_64 (unless <emulator> says
 * otherwise), monitor /run/qvirt/qemu/NAME.monitor, and tap fds 10, 11, ... in
 * interface order. A good case writes one argument per line to NAME.args; a refused
 * case writes the error message to NAME.err. VIR_TEST_REGENERATE_OUTPUT=1 rewrites
 * both kinds. qemuxml2argvqemutest feeds every NAME.args to the real QEMU.
 */

#define TEST_EMULATOR "/usr/bin/qemu-system-x86_64"
#define TEST_FD_BASE 10

typedef enum {
    TEST_HOST_KVM = 1 << 0,     /* params.kvm: the host has KVM */
    TEST_NO_FDS = 1 << 1,       /* every interface's fd is -1 */
    TEST_FAIL = 1 << 2,         /* must be refused: compare NAME.err */
} testFlags;

typedef struct {
    const char *name;
    unsigned int flags;
} qemuXML2ArgvCase;

static const qemuXML2ArgvCase cases[] = {
    { "minimal", 0 },
    { "memory-units", 0 },
    { "vcpus", 0 },
    { "uuid", 0 },
    { "os-kernel", 0 },
    { "os-kernel-only", 0 },
    { "boot-order", 0 },
    { "acpi-on", 0 },
    { "clock-localtime", 0 },
    { "lifecycle-reboot-destroy", 0 },
    { "lifecycle-poweroff-preserve", 0 },
    { "machine-q35", 0 },
    { "arch-i686", 0 },
    { "disk-virtio", 0 },
    { "disk-ide", 0 },
    { "disk-sata-pc", 0 },
    { "disk-sata-q35", 0 },
    { "disk-scsi", 0 },
    { "disk-alias-escape", 0 },
    { "net-direct", 0 },
    { "net-bridge", 0 },
    { "net-network", 0 },
    { "net-ethernet", 0 },
    { "net-models", 0 },
    { "net-user-alias", 0 },
    { "net-multiple", 0 },
    { "serial-pty", 0 },
    { "serial-file", 0 },
    { "serial-unix-bind", 0 },
    { "serial-unix-connect", 0 },
    { "serial-multiple", 0 },
    { "console-only", 0 },
    { "serial-console", 0 },
    { "console-virtio", 0 },
    { "usb-none-memballoon-none", 0 },
    { "usb-memballoon-default", 0 },
    { "emulator-override", 0 },
    { "kvm", TEST_HOST_KVM },
    { "kvm-host-without-kvm", 0 },
    { "qemu-host-with-kvm", TEST_HOST_KVM },
    { "real-guest", 0 },

    { "err-net-no-fd", TEST_FAIL | TEST_NO_FDS },
    { "err-net-model", TEST_FAIL },
    { "err-disk-virtio-cdrom", TEST_FAIL },
    { "err-disk-ide-q35", TEST_FAIL },
    { "err-disk-ide-readonly", TEST_FAIL },
    { "err-disk-ide-unit", TEST_FAIL },
    { "err-disk-target-name", TEST_FAIL },
    { "err-arch", TEST_FAIL },
    { "err-poweroff-restart", TEST_FAIL },
    { "err-reboot-preserve", TEST_FAIL },
    { "err-serial-port", TEST_FAIL },
    { "err-boot-too-many", TEST_FAIL },
};


static void
testXML2Argv(const void *opaque)
{
    const qemuXML2ArgvCase *tc = opaque;
    g_autofree char *in = g_strdup_printf("qemuxml2argvdata/%s.xml", tc->name);
    g_autofree char *xml = virTestLoadFile(in);
    g_autoptr(virDomainDef) def = virDomainDefParseString(xml);
    g_autofree char *monitor = g_strdup_printf("/run/qvirt/qemu/%s.monitor", tc->name);
    g_autofree int *fds = NULL;
    g_auto(GStrv) argv = NULL;
    qemuCommandParams params = { 0 };
    size_t i;

    if (!def)
        g_error("parse of %s failed: %s", in, virErrorGetLastMessage());

    fds = g_new0(int, def->nnets + 1);
    for (i = 0; i < def->nnets; i++)
        fds[i] = (tc->flags & TEST_NO_FDS) ? -1 : TEST_FD_BASE + (int)i;

    params.emulator = def->emulator ? def->emulator : TEST_EMULATOR;
    params.monitorPath = monitor;
    params.kvm = !!(tc->flags & TEST_HOST_KVM);
    params.netFds = fds;
    params.nnetFds = def->nnets;

    virResetLastError();
    argv = qemuBuildCommandLine(def, &params);

    if (tc->flags & TEST_FAIL) {
        g_autofree char *errFile = g_strdup_printf("qemuxml2argvdata/%s.err", tc->name);
        g_autofree char *msg = NULL;

        if (argv)
            g_error("%s: expected a refusal, got an argv", tc->name);
        g_assert_cmpint(virErrorGetLastCode(), !=, VIR_ERR_OK);
        msg = g_strdup_printf("%s\n", virErrorGetLastMessage());
        virTestCompareToFile(msg, errFile);
    } else {
        g_autofree char *argsFile = g_strdup_printf("qemuxml2argvdata/%s.args", tc->name);
        g_autofree char *joined = NULL;
        g_autofree char *actual = NULL;

        if (!argv)
            g_error("%s: %s", tc->name, virErrorGetLastMessage());
        joined = g_strjoinv("\n", argv);
        actual = g_strdup_printf("%s\n", joined);
        virTestCompareToFile(actual, argsFile);
    }
}


/* The interface count and the fd count must agree. */
static void
testFdCountMismatch(void)
{
    g_autofree char *xml = virTestLoadFile("qemuxml2argvdata/net-multiple.xml");
    g_autoptr(virDomainDef) def = virDomainDefParseString(xml);
    int fds[] = { 10, 11 };
    qemuCommandParams params = {
        .emulator = TEST_EMULATOR,
        .monitorPath = "/run/qvirt/qemu/x.monitor",
        .netFds = fds,
        .nnetFds = G_N_ELEMENTS(fds),
    };
    g_auto(GStrv) argv = NULL;

    g_assert_nonnull(def);
    argv = qemuBuildCommandLine(def, &params);
    g_assert_null(argv);
    virTestAssertErrorContains("has 4 interfaces but 2 tap devices");
}


static void
testCommandLineString(void)
{
    const char *argv[] = {
        "/usr/bin/qemu-system-x86_64", "-name", "guest=a,debug-threads=on",
        "-append", "console=ttyS0 quiet", "-drive", "file=/x/it's.img,if=none",
        "", NULL,
    };
    g_autofree char *line = qemuBuildCommandLineString(argv);
    g_autofree char *empty = qemuBuildCommandLineString((const char *const[]){ NULL });

    g_assert_cmpstr(line, ==,
                    "/usr/bin/qemu-system-x86_64 -name guest=a,debug-threads=on "
                    "-append 'console=ttyS0 quiet' -drive 'file=/x/it'\\''s.img,if=none' ''");
    g_assert_cmpstr(empty, ==, "");
}


static void
testFindEmulator(void)
{
    g_autoptr(virDomainDef) def = virDomainDefParseString(
        "<domain type='qemu'><name>e</name><memory>131072</memory>"
        "<os><type arch='x86_64'>hvm</type></os></domain>");
    g_autofree char *tmp = g_dir_make_tmp("qvirt-emulator-XXXXXX", NULL);
    g_autofree char *fake = g_build_filename(tmp, "qemu-system-x86_64", NULL);
    g_autofree char *plain = g_build_filename(tmp, "not-executable", NULL);
    g_autofree char *oldPath = g_strdup(g_getenv("PATH"));
    g_autofree char *found = NULL;

    g_assert_nonnull(def);
    g_assert_nonnull(tmp);
    g_assert_true(g_file_set_contents(fake, "#!/bin/sh\n", -1, NULL));
    g_assert_cmpint(g_chmod(fake, 0755), ==, 0);
    g_assert_true(g_file_set_contents(plain, "", -1, NULL));

    /* The config default wins over PATH ... */
    found = qemuFindEmulator(def, fake);
    g_assert_cmpstr(found, ==, fake);
    g_clear_pointer(&found, g_free);

    /* ... PATH is searched for qemu-system-ARCH ... */
    g_setenv("PATH", tmp, TRUE);
    found = qemuFindEmulator(def, NULL);
    g_assert_cmpstr(found, ==, fake);
    g_clear_pointer(&found, g_free);

    /* ... and a PATH without it is an error naming the binary. */
    g_setenv("PATH", "/nonexistent", TRUE);
    g_assert_null(qemuFindEmulator(def, NULL));
    virTestAssertErrorContains("'qemu-system-x86_64' on PATH");
    g_setenv("PATH", oldPath, TRUE);

    /* A config default that is not executable is refused. */
    g_assert_null(qemuFindEmulator(def, plain));
    virTestAssertErrorContains("not-executable");

    /* <emulator> wins over everything, and must exist. */
    def->emulator = g_strdup("/nonexistent/qemu-system-x86_64");
    g_assert_null(qemuFindEmulator(def, fake));
    virTestAssertErrorContains("/nonexistent/qemu-system-x86_64");
    g_free(def->emulator);
    def->emulator = g_strdup(fake);
    found = qemuFindEmulator(def, NULL);
    g_assert_cmpstr(found, ==, fake);

    g_unlink(fake);
    g_unlink(plain);
    g_rmdir(tmp);
}


int
main(int argc, char **argv)
{
    size_t i;

    virTestInit(&argc, &argv);

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/qemuxml2argv/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], testXML2Argv);
    }
    g_test_add_func("/qemuxml2argv/fd-count-mismatch", testFdCountMismatch);
    g_test_add_func("/qemuxml2argv/command-line-string", testCommandLineString);
    g_test_add_func("/qemuxml2argv/find-emulator", testFindEmulator);

    return g_test_run();
}
