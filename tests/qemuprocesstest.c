/* qemuprocesstest.c: starting and stopping the real QEMU, and what it leaves behind. */
#include <config.h>

#include <net/if.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "qemu_process.h"
#include "testnethost.h"
#include "testutils.h"
#include "virnetdev.h"
#include "virnetlink.h"
#include "virprocess.h"

/*
 * Runs qemu-system-x86_64 from PATH (TCG, no guest OS) in network and mount
 * namespaces of the test's own, with a veth pair for macvtaps to sit on. Every
 * check of what is left behind (process, devices, files) uses the kernel's or the
 * file system's view.
 */

#define VETH0 "qvqe0"
#define VETH1 "qvqe1"

#define DOMAIN_XML \
    "<domain type='qemu'>" \
    "  <name>%s</name>" \
    "  <memory unit='MiB'>64</memory>" \
    "  <os><type arch='x86_64' machine='%s'>hvm</type></os>" \
    "  <devices>" \
    "    <interface type='direct' trustGuestRxFilters='yes'>" \
    "      <mac address='52:54:00:12:34:56'/>" \
    "      <source dev='%s' mode='bridge'/>" \
    "      <model type='virtio'/>" \
    "    </interface>" \
    "    <interface type='ethernet'>" \
    "      <mac address='52:54:00:12:34:57'/>" \
    "      <model type='virtio'/>" \
    "      <link state='down'/>" \
    "    </interface>" \
    "  </devices>" \
    "</domain>"

typedef struct {
    qemuDriver driver;
    char *tmpdir;
} fixture;


static void
fixtureSetUp(fixture *fix)
{
    g_autoptr(GError) err = NULL;

    if (!(fix->tmpdir = g_dir_make_tmp("qvirt-proctest-XXXXXX", &err)))
        g_error("Cannot create a temporary folder: %s", err->message);
    fix->driver.stateDir = g_build_filename(fix->tmpdir, "run", NULL);
    fix->driver.logDir = g_build_filename(fix->tmpdir, "log", NULL);
    fix->driver.eventThread = virEventThreadNew("test-events");
    fix->driver.domains = virDomainObjListNew();
    fix->driver.workers = virWorkQueueNew("test-worker", 2, QEMU_DRIVER_EVENTS_PER_DOMAIN_MAX,
                                          qemuProcessEventHandler,
                                          (GDestroyNotify)qemuProcessEventFree, &fix->driver);
    virTestAssertOK(virNetlinkVethCreate(VETH0, VETH1));
    virTestAssertOK(virNetlinkLinkSetUp(VETH0, true));
    virTestAssertOK(virNetlinkLinkSetUp(VETH1, true));
}


static void
fixtureTearDown(fixture *fix)
{
    g_autofree char *cmd = NULL;

    g_assert_true(virWorkQueueDrain(fix->driver.workers, 10000));
    virWorkQueueFree(fix->driver.workers);
    virEventThreadFree(fix->driver.eventThread);
    virObjectUnref(fix->driver.domains);
    virTestAssertOK(virNetlinkLinkDelete(VETH0));
    cmd = g_strdup_printf("rm -rf '%s'", fix->tmpdir);
    g_assert_cmpint(system(cmd), ==, 0);
    g_free(fix->driver.stateDir);
    g_free(fix->driver.logDir);
    g_free(fix->tmpdir);
}


static virDomainObj *
newDomain(fixture *fix, const char *name, const char *machine, const char *sourceDev)
{
    g_autofree char *xml = g_strdup_printf(DOMAIN_XML, name, machine, sourceDev);
    virDomainDef *def = virDomainDefParseString(xml);
    virDomainObj *vm;

    if (!def)
        g_error("Cannot parse test domain: %s", virErrorGetLastMessage());
    vm = virDomainObjNew(def);
    vm->privateData = qemuDomainObjPrivateNew(&fix->driver);
    vm->privateDataFree = qemuDomainObjPrivateFree;
    return vm;
}


static bool
fileExists(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    return g_file_test(path, G_FILE_TEST_EXISTS);
}


/* Asks the running QEMU of @vm (locked) for its status, then destroys the domain. */
static void
assertRunningThenDestroy(fixture *fix, virDomainObj *vm)
{
    qemuMonitorVMStatus status;
    qemuMonitor *mon;
    bool running = false;
    int rc;

    virTestAssertOK(qemuDomainObjBeginJob(vm, "test"));
    mon = qemuDomainObjEnterMonitor(vm);
    g_assert_nonnull(mon);
    rc = qemuMonitorGetStatus(mon, &running, &status);
    virTestAssertOK(qemuDomainObjExitMonitor(vm, mon, vm->runId));
    virTestAssertOK(rc);
    g_assert_true(running);
    g_assert_cmpint(status, ==, QEMU_MONITOR_VM_STATUS_RUNNING);
    qemuProcessStop(&fix->driver, vm, VIR_DOMAIN_SHUTOFF_DESTROYED);
    qemuDomainObjEndJob(vm);
}


/* Start, look, destroy, and check that nothing is left. The second NIC's link is
 * down, so every start also has QEMU accept set_link before cont. */
static void
testStartDestroy(void)
{
    fixture fix = { 0 };
    virDomainObj *vm;
    g_autofree char *macvtap = NULL;
    g_autofree char *tap = NULL;
    pid_t pid;
    int reason;

    fixtureSetUp(&fix);
    vm = newDomain(&fix, "proc1", "q35", VETH0);
    virObjectLock(vm);
    virTestAssertOK(qemuProcessStart(&fix.driver, vm));

    g_assert_cmpint(virDomainObjGetState(vm, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    pid = vm->pid;
    g_assert_true(virProcessIsAlive(pid));
    macvtap = g_strdup(vm->def->nets[0]->ifname);
    tap = g_strdup(vm->def->nets[1]->ifname);
    g_assert_cmpstr(macvtap, ==, "macvtap0");
    g_assert_cmpstr(tap, ==, "vnet0");
    g_assert_cmpint(virNetDevExists(macvtap), ==, 1);
    g_assert_cmpint(virNetDevExists(tap), ==, 1);
    g_assert_true(fileExists(fix.driver.stateDir, "proc1.xml"));
    g_assert_true(fileExists(fix.driver.stateDir, "proc1.monitor"));
    g_assert_true(fileExists(fix.driver.logDir, "proc1.log"));
    /* Before its driver loads, QEMU reports the NIC promiscuous with every VLAN:
     * the start-time sync mirrored that onto the macvtap. */
    g_assert_true(testHostFlags(macvtap) & IFF_PROMISC);

    assertRunningThenDestroy(&fix, vm);

    g_assert_cmpint(virDomainObjGetState(vm, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_false(virProcessIsAlive(pid));
    g_assert_cmpint(virNetDevExists(macvtap), ==, 0);
    g_assert_cmpint(virNetDevExists(tap), ==, 0);
    g_assert_false(fileExists(fix.driver.stateDir, "proc1.xml"));
    g_assert_false(fileExists(fix.driver.stateDir, "proc1.monitor"));
    virObjectUnlock(vm);
    virObjectUnref(vm);
    fixtureTearDown(&fix);
}


/* QEMU killed from outside: the domain ends shut off (crashed), devices gone. */
static void
testKilledFromOutside(void)
{
    fixture fix = { 0 };
    virDomainObj *vm;
    gint64 deadline;
    pid_t pid;
    int reason = -1;
    int state;

    fixtureSetUp(&fix);
    vm = newDomain(&fix, "proc2", "q35", VETH0);
    virObjectLock(vm);
    virTestAssertOK(qemuProcessStart(&fix.driver, vm));
    pid = vm->pid;
    virObjectUnlock(vm);

    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    deadline = g_get_monotonic_time() + 20 * G_TIME_SPAN_SECOND;
    do {
        g_usleep(10 * G_TIME_SPAN_MILLISECOND);
        virObjectLock(vm);
        state = virDomainObjGetState(vm, &reason);
        virObjectUnlock(vm);
    } while (state != VIR_DOMAIN_SHUTOFF && g_get_monotonic_time() < deadline);

    g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_true(virWorkQueueDrain(fix.driver.workers, 10000));
    g_assert_false(virProcessIsAlive(pid));
    g_assert_cmpint(virNetDevExists("macvtap0"), ==, 0);
    g_assert_false(fileExists(fix.driver.stateDir, "proc2.xml"));
    virObjectUnref(vm);
    fixtureTearDown(&fix);
}


/* Starts that must fail leave no process, device or file behind. */
static void
testStartFails(gconstpointer opaque)
{
    const char *which = opaque;
    fixture fix = { 0 };
    virDomainObj *vm;
    int reason;

    fixtureSetUp(&fix);
    if (STREQ(which, "bad-source"))
        vm = newDomain(&fix, "proc3", "q35", "qvnosuch0");
    else if (STREQ(which, "bad-machine"))
        vm = newDomain(&fix, "proc3", "nosuchmachine", VETH0);
    else
        vm = newDomain(&fix, "proc3", "q35", VETH0);
    if (STREQ(which, "missing-emulator")) {
        g_free(vm->def->emulator);
        vm->def->emulator = g_strdup("/nonexistent/qemu-system-x86_64");
    }

    virObjectLock(vm);
    g_assert_cmpint(qemuProcessStart(&fix.driver, vm), ==, -1);
    if (STREQ(which, "bad-source"))
        virTestAssertErrorContains("qvnosuch0");
    else if (STREQ(which, "bad-machine"))
        virTestAssertErrorContains("QEMU's log ends with:");
    else
        virTestAssertErrorContains("/nonexistent/qemu-system-x86_64");
    g_test_message("error: %s", virErrorGetLastMessage());

    g_assert_cmpint(virDomainObjGetState(vm, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_FAILED);
    g_assert_cmpint(vm->pid, ==, 0);
    g_assert_cmpint(virNetDevExists("macvtap0"), ==, 0);
    g_assert_cmpint(virNetDevExists("vnet0"), ==, 0);
    g_assert_false(fileExists(fix.driver.stateDir, "proc3.xml"));
    g_assert_false(fileExists(fix.driver.stateDir, "proc3.monitor"));
    virObjectUnlock(vm);
    virObjectUnref(vm);
    fixtureTearDown(&fix);
}


/* What a daemon exit leaves: QEMU running, devices and files in place, nothing in
 * memory. The monitor is closed without stopping anything. */
static void
forgetDomain(virDomainObj *vm)
{
    qemuDomainObjPrivate *priv = qemuDomainObjGetPrivate(vm);

    qemuProcessDetach(vm);
    vm->pid = 0;
    g_ptr_array_set_size(priv->createdDevices, 0);
    virDomainObjSetState(vm, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    virObjectUnlock(vm);
    virObjectUnref(vm);
}


/* A new domain object from the live state file, as a restarted qvirtd builds it. */
static virDomainObj *
loadDomain(fixture *fix, const char *name, qemuDomainStatus **status)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);
    g_autofree char *path = g_build_filename(fix->driver.stateDir, file, NULL);
    virDomainObj *vm;

    if (!(*status = qemuDomainStatusParseFile(path)))
        g_error("Cannot read live state: %s", virErrorGetLastMessage());
    vm = virDomainObjNew(g_steal_pointer(&(*status)->def));
    vm->privateData = qemuDomainObjPrivateNew(&fix->driver);
    vm->privateDataFree = qemuDomainObjPrivateFree;
    virObjectLock(vm);
    return vm;
}


/* The driver's state is torn down and rebuilt while QEMU runs: the new one takes
 * QEMU over, and re-syncs the NIC (its flag was changed behind its back). */
static void
testReconnect(void)
{
    fixture fix = { 0 };
    g_autoptr(qemuDomainStatus) status = NULL;
    virDomainObj *vm;
    pid_t pid;
    int id;
    int reason;

    fixtureSetUp(&fix);
    vm = newDomain(&fix, "proc4", "q35", VETH0);
    virObjectLock(vm);
    virTestAssertOK(qemuProcessStart(&fix.driver, vm));
    pid = vm->pid;
    id = vm->id;
    forgetDomain(vm);
    /* A new driver: its own ids start over, but a domain taken over keeps its id. */
    fix.driver.lastDomainId = 0;

    g_assert_true(virProcessIsAlive(pid));
    g_assert_true(testHostFlags("macvtap0") & IFF_PROMISC);
    virTestAssertOK(virNetDevSetPromiscuous("macvtap0", false));

    vm = loadDomain(&fix, "proc4", &status);
    g_assert_cmpint(status->pid, ==, pid);
    g_assert_cmpstr(status->devices[0], ==, "macvtap0");
    virTestAssertOK(qemuProcessReconnect(&fix.driver, vm, status));
    g_assert_cmpint(virDomainObjGetState(vm, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(vm->pid, ==, pid);
    g_assert_cmpint(vm->id, ==, id);
    g_assert_cmpint(fix.driver.lastDomainId, ==, id);
    g_assert_true(testHostFlags("macvtap0") & IFF_PROMISC);
    assertRunningThenDestroy(&fix, vm);
    g_assert_false(virProcessIsAlive(pid));
    g_assert_cmpint(virNetDevExists("macvtap0"), ==, 0);
    g_assert_false(fileExists(fix.driver.stateDir, "proc4.xml"));
    virObjectUnlock(vm);
    virObjectUnref(vm);
    fixtureTearDown(&fix);
}


/* QEMU died while nobody watched: the restarted driver cleans up after it. */
static void
testReconnectDead(void)
{
    fixture fix = { 0 };
    g_autoptr(qemuDomainStatus) status = NULL;
    virDomainObj *vm;
    pid_t pid;
    int reason;

    fixtureSetUp(&fix);
    vm = newDomain(&fix, "proc5", "q35", VETH0);
    virObjectLock(vm);
    virTestAssertOK(qemuProcessStart(&fix.driver, vm));
    pid = vm->pid;
    forgetDomain(vm);
    virTestAssertOK(virProcessTerminate(pid, 1000));

    vm = loadDomain(&fix, "proc5", &status);
    virTestAssertOK(qemuProcessReconnect(&fix.driver, vm, status));
    g_assert_cmpint(virDomainObjGetState(vm, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_cmpint(virNetDevExists("macvtap0"), ==, 0);
    g_assert_false(fileExists(fix.driver.stateDir, "proc5.xml"));
    virObjectUnlock(vm);
    virObjectUnref(vm);
    fixtureTearDown(&fix);
}


/* qvirtd was killed in the middle of a start or a stop: its live state file says
 * so, and the driver that reads it finishes the job: QEMU ends at once (even one
 * that ignores SIGTERM), the devices and files go, and the state is what the start
 * or the stop would have left. */
static void
testReconnectInterrupted(gconstpointer opaque)
{
    const char *phase = opaque;
    bool starting = STREQ(phase, "starting");
    fixture fix = { 0 };
    g_autoptr(qemuDomainStatus) status = NULL;
    g_autofree char *path = NULL;
    g_autofree char *contents = NULL;
    g_autoptr(GString) edited = NULL;
    virDomainObj *vm;
    pid_t pid;
    int reason;

    fixtureSetUp(&fix);
    vm = newDomain(&fix, "proc8", "q35", VETH0);
    virObjectLock(vm);
    virTestAssertOK(qemuProcessStart(&fix.driver, vm));
    pid = vm->pid;
    forgetDomain(vm);
    /* QEMU keeps running whatever the signal, as a wedged one would. */
    virTestAssertOK(virProcessKill(pid, SIGSTOP));

    path = g_build_filename(fix.driver.stateDir, "proc8.xml", NULL);
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_nonnull(strstr(contents, " phase='running'>"));
    edited = g_string_new(contents);
    g_assert_cmpuint(g_string_replace(edited, " phase='running'>",
                                      starting ? " phase='starting'>" :
                                                 " phase='stopping' reason='destroyed'>",
                                      1), ==, 1);
    g_assert_true(g_file_set_contents(path, edited->str, -1, NULL));

    vm = loadDomain(&fix, "proc8", &status);
    g_assert_cmpint(status->phase, ==, starting ? QEMU_DOMAIN_PHASE_STARTING :
                                                  QEMU_DOMAIN_PHASE_STOPPING);
    virTestAssertOK(qemuProcessReconnect(&fix.driver, vm, status));
    g_assert_cmpint(virDomainObjGetState(vm, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, starting ? VIR_DOMAIN_SHUTOFF_FAILED :
                                           VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpint(vm->id, ==, -1);
    g_assert_false(virProcessIsAlive(pid));
    g_assert_cmpint(virNetDevExists("macvtap0"), ==, 0);
    g_assert_false(fileExists(fix.driver.stateDir, "proc8.xml"));
    g_assert_false(fileExists(fix.driver.stateDir, "proc8.monitor"));
    virObjectUnlock(vm);
    virObjectUnref(vm);
    fixtureTearDown(&fix);
}


/* QEMU exited while qvirtd was away and its pid now runs another program (a
 * decoy): the restarted driver cleans up without signalling it. */
static void
testReconnectPidReused(gconstpointer opaque)
{
    const char *phase = opaque;
    const char *decoyArgv[] = { "/bin/sleep", "60", NULL };
    fixture fix = { 0 };
    g_autoptr(qemuDomainStatus) status = NULL;
    g_autofree char *path = NULL;
    g_autofree char *contents = NULL;
    g_autofree char *was = NULL;
    g_autofree char *now = NULL;
    g_autoptr(GString) edited = NULL;
    virDomainObj *vm;
    pid_t pid;
    pid_t decoy;
    int reason;

    fixtureSetUp(&fix);
    vm = newDomain(&fix, "proc9", "q35", VETH0);
    virObjectLock(vm);
    virTestAssertOK(qemuProcessStart(&fix.driver, vm));
    pid = vm->pid;
    forgetDomain(vm);
    virTestAssertOK(virProcessTerminate(pid, 1000));
    virTestAssertOK(virProcessSpawn(decoyArgv, NULL, 0, -1, &decoy));

    path = g_build_filename(fix.driver.stateDir, "proc9.xml", NULL);
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    edited = g_string_new(contents);
    was = g_strdup_printf("<domstatus pid='%lld' runId='%llu' phase='running'>",
                          (long long)pid, vm->runId);
    now = g_strdup_printf("<domstatus pid='%lld' runId='%llu' phase='%s'>",
                          (long long)decoy, vm->runId, phase);
    g_assert_cmpuint(g_string_replace(edited, was, now, 1), ==, 1);
    g_assert_true(g_file_set_contents(path, edited->str, -1, NULL));

    vm = loadDomain(&fix, "proc9", &status);
    virTestAssertOK(qemuProcessReconnect(&fix.driver, vm, status));
    g_assert_cmpint(virDomainObjGetState(vm, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, STREQ(phase, "starting") ? VIR_DOMAIN_SHUTOFF_FAILED :
                                                          VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_true(virProcessIsAlive(decoy));
    g_assert_cmpint(virNetDevExists("macvtap0"), ==, 0);
    g_assert_false(fileExists(fix.driver.stateDir, "proc9.xml"));
    virTestAssertOK(virProcessTerminate(decoy, 1000));
    virObjectUnlock(vm);
    virObjectUnref(vm);
    fixtureTearDown(&fix);
}


/* Every live state file is read back: two running domains and one broken file. */
static void
testReconnectAll(void)
{
    fixture fix = { 0 };
    g_autofree char *junk = NULL;
    const char *names[] = { "proc6", "proc7" };
    pid_t pids[2];
    size_t i;

    fixtureSetUp(&fix);
    for (i = 0; i < 2; i++) {
        virDomainObj *vm = newDomain(&fix, names[i], "q35", VETH0);

        /* Two macvtaps on one lower device need different MACs. */
        vm->def->nets[0]->mac.addr[5] += i;
        vm->def->nets[1]->mac.addr[5] += 2 * i;
        virObjectLock(vm);
        virTestAssertOK(qemuProcessStart(&fix.driver, vm));
        pids[i] = vm->pid;
        forgetDomain(vm);
    }
    junk = g_build_filename(fix.driver.stateDir, "broken.xml", NULL);
    g_assert_true(g_file_set_contents(junk, "<domstatus pid='x'/>", -1, NULL));

    g_assert_cmpuint(qemuProcessReconnectAll(&fix.driver), ==, 2);
    g_assert_cmpuint(virDomainObjListCount(fix.driver.domains), ==, 2);
    for (i = 0; i < 2; i++) {
        virDomainObj *vm = virDomainObjListFindByName(fix.driver.domains, names[i]);

        g_assert_nonnull(vm);
        g_assert_cmpint(virDomainObjGetState(vm, NULL), ==, VIR_DOMAIN_RUNNING);
        g_assert_cmpint(vm->pid, ==, pids[i]);
        virTestAssertOK(qemuDomainObjBeginJob(vm, "test"));
        qemuProcessStop(&fix.driver, vm, VIR_DOMAIN_SHUTOFF_DESTROYED);
        qemuDomainObjEndJob(vm);
        g_assert_false(virProcessIsAlive(pids[i]));
        virDomainObjListRemove(fix.driver.domains, vm);
        virDomainObjEndAPI(&vm);
    }
    fixtureTearDown(&fix);
}


int
main(int argc, char **argv)
{
    if (testHostEnterNetnsWithSysfs() < 0)
        return 1;
    virTestInit(&argc, &argv);
    virTestAssertOK(virNetlinkLinkSetUp("lo", true));

    g_test_add_func("/qemuprocess/start-destroy", testStartDestroy);
    g_test_add_func("/qemuprocess/killed-from-outside", testKilledFromOutside);
    g_test_add_func("/qemuprocess/reconnect", testReconnect);
    g_test_add_func("/qemuprocess/reconnect-dead", testReconnectDead);
    g_test_add_func("/qemuprocess/reconnect-all", testReconnectAll);
    g_test_add_data_func("/qemuprocess/reconnect-interrupted/starting", "starting",
                         testReconnectInterrupted);
    g_test_add_data_func("/qemuprocess/reconnect-interrupted/stopping", "stopping",
                         testReconnectInterrupted);
    g_test_add_data_func("/qemuprocess/reconnect-pid-reused/running", "running",
                         testReconnectPidReused);
    g_test_add_data_func("/qemuprocess/reconnect-pid-reused/starting", "starting",
                         testReconnectPidReused);
    g_test_add_data_func("/qemuprocess/start-fails/bad-source", "bad-source", testStartFails);
    g_test_add_data_func("/qemuprocess/start-fails/bad-machine", "bad-machine", testStartFails);
    g_test_add_data_func("/qemuprocess/start-fails/missing-emulator", "missing-emulator",
                         testStartFails);
    return g_test_run();
}
