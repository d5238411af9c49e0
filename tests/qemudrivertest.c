/* qemudrivertest.c: the driver's operations on the real QEMU, and what they leave on disk. */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "qemu_driver.h"
#include "testnethost.h"
#include "testutils.h"
#include "virnetlink.h"
#include "virprocess.h"

/*
 * Each test runs a driver on a temporary folder (config, state and log dirs) with
 * qemu-system-x86_64 from PATH (TCG, no guest OS), in network and mount namespaces
 * of the test's own. Checks of what is on disk read the files directly.
 */

#define DOMAIN_XML \
    "<domain type='qemu'>" \
    "  <name>%s</name>" \
    "  <memory unit='MiB'>64</memory>" \
    "  <os><type arch='x86_64' machine='q35'>hvm</type></os>" \
    "  <devices>" \
    "    <interface type='ethernet'>" \
    "      <mac address='52:54:00:12:34:58'/>" \
    "      <model type='virtio'/>" \
    "    </interface>" \
    "  </devices>" \
    "</domain>"

typedef struct {
    char *tmpdir;
    char *configDir;
    qemuDriverConfig cfg;
    qemuDriver *driver;
} fixture;


static void
fixtureStartDriver(fixture *fix)
{
    if (!(fix->driver = qemuDriverNew(&fix->cfg)))
        g_error("Cannot create the driver: %s", virErrorGetLastMessage());
}


static void
fixtureSetUp(fixture *fix)
{
    g_autoptr(GError) err = NULL;

    if (!(fix->tmpdir = g_dir_make_tmp("qvirt-drvtest-XXXXXX", &err)))
        g_error("Cannot create a temporary folder: %s", err->message);
    fix->configDir = g_build_filename(fix->tmpdir, "etc", "qemu", NULL);
    fix->cfg.configDir = fix->configDir;
    fix->cfg.stateDir = g_build_filename(fix->tmpdir, "run", "qemu", NULL);
    fix->cfg.logDir = g_build_filename(fix->tmpdir, "log", "qemu", NULL);
    fix->cfg.workers = 2;
    fixtureStartDriver(fix);
}


static void
fixtureTearDown(fixture *fix)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", fix->tmpdir);

    qemuDriverFree(fix->driver);
    g_assert_cmpint(system(cmd), ==, 0);
    g_free((char *)fix->cfg.stateDir);
    g_free((char *)fix->cfg.logDir);
    g_free(fix->configDir);
    g_free(fix->tmpdir);
}


static char *
domainXML(const char *name)
{
    return g_strdup_printf(DOMAIN_XML, name);
}


static bool
configExists(fixture *fix, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);
    g_autofree char *path = g_build_filename(fix->configDir, file, NULL);

    return g_file_test(path, G_FILE_TEST_EXISTS);
}


static int
domainState(fixture *fix, const char *name, int *reason)
{
    int state = -1;

    virTestAssertOK(qemuDomainGetState(fix->driver, name, &state, reason));
    return state;
}


/* Whether @name is in the driver's list, and how many domains are. */
static bool
domainListed(fixture *fix, const char *name, size_t *count)
{
    size_t n;
    size_t i;
    bool found = false;
    virDomainObj **doms = qemuDomainList(fix->driver, &n);

    for (i = 0; i < n; i++) {
        virObjectLock(doms[i]);
        found |= STREQ(doms[i]->def->name, name);
        virObjectUnlock(doms[i]);
    }
    virDomainObjListFreeCollected(doms);
    if (count)
        *count = n;
    return found;
}


static void
defineDomain(fixture *fix, const char *name)
{
    g_autofree char *xml = domainXML(name);
    virDomainObj *vm = qemuDomainDefineXML(fix->driver, xml);

    if (!vm)
        g_error("Cannot define '%s': %s", name, virErrorGetLastMessage());
    g_assert_true(vm->persistent);
    virDomainObjEndAPI(&vm);
}


/* The whole life of a persistent domain. */
static void
testLifecycle(void)
{
    fixture fix = { 0 };
    g_autofree char *reply = NULL;
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *idattr = NULL;
    qemuDomainInfo info;
    virDomainObj *vm;
    size_t count;
    pid_t pid;
    int reason;
    bool autostart = true;

    fixtureSetUp(&fix);
    defineDomain(&fix, "drv1");
    g_assert_true(configExists(&fix, "drv1"));
    g_assert_true(domainListed(&fix, "drv1", &count));
    g_assert_cmpuint(count, ==, 1);
    g_assert_cmpint(domainState(&fix, "drv1", &reason), ==, VIR_DOMAIN_SHUTOFF);
    virTestAssertOK(qemuDomainGetAutostart(fix.driver, "drv1", &autostart));
    g_assert_false(autostart);

    virTestAssertOK(qemuDomainCreate(fix.driver, "drv1"));
    g_assert_cmpint(domainState(&fix, "drv1", &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(qemuDomainCreate(fix.driver, "drv1"), ==, -1);
    virTestAssertErrorContains("is already running");

    vm = qemuDomainLookupByName(fix.driver, "drv1");
    g_assert_nonnull(vm);
    pid = vm->pid;
    /* libvirt's numbering: the first domain started by this driver is 1. */
    g_assert_cmpint(vm->id, ==, 1);
    idattr = g_strdup_printf("id='%d'", vm->id);
    virDomainObjEndAPI(&vm);
    g_assert_true(virProcessIsAlive(pid));
    vm = qemuDomainLookupByID(fix.driver, 1);
    g_assert_nonnull(vm);
    g_assert_cmpint(vm->pid, ==, pid);
    virDomainObjEndAPI(&vm);

    virTestAssertOK(qemuDomainSuspend(fix.driver, "drv1"));
    g_assert_cmpint(domainState(&fix, "drv1", &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    reply = qemuDomainMonitorCommand(fix.driver, "drv1", "{\"execute\":\"query-status\"}", false);
    g_assert_nonnull(reply);
    g_assert_nonnull(strstr(reply, "\"paused\""));
    g_clear_pointer(&reply, g_free);
    virTestAssertOK(qemuDomainResume(fix.driver, "drv1"));
    g_assert_cmpint(domainState(&fix, "drv1", &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_UNPAUSED);
    g_assert_cmpint(qemuDomainResume(fix.driver, "drv1"), ==, -1);
    virTestAssertErrorContains("is not paused");

    reply = qemuDomainMonitorCommand(fix.driver, "drv1", "{\"execute\":\"query-status\"}", true);
    g_assert_nonnull(reply);
    g_assert_nonnull(strstr(reply, "\"status\": \"running\""));
    g_clear_pointer(&reply, g_free);
    reply = qemuDomainMonitorCommand(fix.driver, "drv1", "{\"execute\":\"no-such-command\"}",
                                     false);
    g_assert_nonnull(reply);
    g_assert_nonnull(strstr(reply, "CommandNotFound"));

    virTestAssertOK(qemuDomainReset(fix.driver, "drv1"));
    virTestAssertOK(qemuDomainReboot(fix.driver, "drv1"));
    /* No guest OS: the ACPI request goes unanswered and QEMU keeps running. */
    virTestAssertOK(qemuDomainShutdown(fix.driver, "drv1"));

    virTestAssertOK(qemuDomainGetInfo(fix.driver, "drv1", &info));
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 64 * 1024);
    g_assert_cmpuint(info.memory, ==, 64 * 1024);
    g_assert_cmpuint(info.nrVirtCpu, ==, 1);
    g_assert_cmpuint(info.cpuTime, >, 0);

    live = qemuDomainGetXMLDesc(fix.driver, "drv1", 0);
    inactive = qemuDomainGetXMLDesc(fix.driver, "drv1", VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(live, idattr));
    g_assert_nonnull(strstr(live, "<target dev='vnet"));
    g_assert_null(strstr(inactive, "id='"));
    g_assert_null(strstr(inactive, "<target dev='vnet"));

    virTestAssertOK(qemuDomainDestroy(fix.driver, "drv1"));
    g_assert_cmpint(domainState(&fix, "drv1", &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_false(virProcessIsAlive(pid));
    g_assert_true(domainListed(&fix, "drv1", NULL));
    g_clear_pointer(&live, g_free);
    live = qemuDomainGetXMLDesc(fix.driver, "drv1", 0);
    g_assert_null(strstr(live, "<target dev='vnet"));

    virTestAssertOK(qemuDomainUndefine(fix.driver, "drv1"));
    g_assert_false(configExists(&fix, "drv1"));
    g_assert_false(domainListed(&fix, "drv1", &count));
    g_assert_cmpuint(count, ==, 0);
    fixtureTearDown(&fix);
}


/* A transient domain lives as long as its QEMU, whichever way QEMU ends. */
static void
testTransient(void)
{
    fixture fix = { 0 };
    g_autofree char *xml = domainXML("drv2");
    virDomainObj *vm;
    gint64 deadline;
    pid_t pid;

    fixtureSetUp(&fix);
    vm = qemuDomainCreateXML(fix.driver, xml);
    g_assert_nonnull(vm);
    g_assert_false(vm->persistent);
    g_assert_cmpint(virDomainObjGetState(vm, NULL), ==, VIR_DOMAIN_RUNNING);
    virDomainObjEndAPI(&vm);
    g_assert_false(configExists(&fix, "drv2"));
    g_assert_cmpint(qemuDomainUndefine(fix.driver, "drv2"), ==, -1);
    virTestAssertErrorContains("transient");
    g_assert_null(qemuDomainCreateXML(fix.driver, xml));
    virTestAssertErrorContains("already exists");

    virTestAssertOK(qemuDomainDestroy(fix.driver, "drv2"));
    g_assert_false(domainListed(&fix, "drv2", NULL));
    g_assert_null(qemuDomainLookupByName(fix.driver, "drv2"));

    /* QEMU ends on its own: the monitor EOF removes the domain. */
    vm = qemuDomainCreateXML(fix.driver, xml);
    g_assert_nonnull(vm);
    pid = vm->pid;
    virDomainObjEndAPI(&vm);
    g_free(qemuDomainMonitorCommand(fix.driver, "drv2", "{\"execute\":\"quit\"}", false));
    deadline = g_get_monotonic_time() + 20 * G_TIME_SPAN_SECOND;
    while (domainListed(&fix, "drv2", NULL) && g_get_monotonic_time() < deadline)
        g_usleep(10 * G_TIME_SPAN_MILLISECOND);
    g_assert_false(domainListed(&fix, "drv2", NULL));
    g_assert_false(virProcessIsAlive(pid));
    fixtureTearDown(&fix);
}


/* A new driver on the same folders takes over what the old one left running. */
static void
testReconnect(void)
{
    fixture fix = { 0 };
    g_autofree char *xml = domainXML("drv4");
    virDomainObj *vm;
    pid_t pid;
    pid_t tpid;
    int reason;

    fixtureSetUp(&fix);
    defineDomain(&fix, "drv3");
    virTestAssertOK(qemuDomainCreate(fix.driver, "drv3"));
    /* A transient one too, with another MAC. */
    {
        g_autofree char *xml4 = g_strdup(xml);
        char *mac = strstr(xml4, "34:58");

        memcpy(mac, "34:59", 5);
        vm = qemuDomainCreateXML(fix.driver, xml4);
    }
    g_assert_nonnull(vm);
    tpid = vm->pid;
    virDomainObjEndAPI(&vm);
    vm = qemuDomainLookupByName(fix.driver, "drv3");
    pid = vm->pid;
    virDomainObjEndAPI(&vm);

    qemuDriverFree(g_steal_pointer(&fix.driver));
    g_assert_true(virProcessIsAlive(pid));
    g_assert_true(virProcessIsAlive(tpid));

    fixtureStartDriver(&fix);
    vm = qemuDomainLookupByName(fix.driver, "drv3");
    g_assert_nonnull(vm);
    g_assert_true(vm->persistent);
    g_assert_nonnull(vm->newDef);
    g_assert_cmpint(vm->pid, ==, pid);
    g_assert_cmpint(virDomainObjGetState(vm, NULL), ==, VIR_DOMAIN_RUNNING);
    virDomainObjEndAPI(&vm);
    vm = qemuDomainLookupByName(fix.driver, "drv4");
    g_assert_nonnull(vm);
    g_assert_false(vm->persistent);
    virDomainObjEndAPI(&vm);

    virTestAssertOK(qemuDomainSuspend(fix.driver, "drv3"));
    virTestAssertOK(qemuDomainDestroy(fix.driver, "drv3"));
    g_assert_cmpint(domainState(&fix, "drv3", &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_false(virProcessIsAlive(pid));
    g_assert_true(configExists(&fix, "drv3"));
    virTestAssertOK(qemuDomainDestroy(fix.driver, "drv4"));
    g_assert_false(domainListed(&fix, "drv4", NULL));
    g_assert_false(virProcessIsAlive(tpid));

    /* Inactive and persistent: the next driver finds it defined. */
    qemuDriverFree(g_steal_pointer(&fix.driver));
    fixtureStartDriver(&fix);
    g_assert_cmpint(domainState(&fix, "drv3", &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_false(domainListed(&fix, "drv4", NULL));
    fixtureTearDown(&fix);
}


/* Autostart: a link in configDir/autostart, followed by the next driver. */
static void
testAutostart(void)
{
    fixture fix = { 0 };
    g_autofree char *link = NULL;
    virDomainObj *vm;
    bool autostart = false;
    pid_t pid;

    fixtureSetUp(&fix);
    defineDomain(&fix, "drv5");
    virTestAssertOK(qemuDomainSetAutostart(fix.driver, "drv5", true));
    virTestAssertOK(qemuDomainGetAutostart(fix.driver, "drv5", &autostart));
    g_assert_true(autostart);
    link = g_build_filename(fix.configDir, "autostart", "drv5.xml", NULL);
    g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));

    qemuDriverFree(g_steal_pointer(&fix.driver));
    fixtureStartDriver(&fix);
    vm = qemuDomainLookupByName(fix.driver, "drv5");
    g_assert_nonnull(vm);
    g_assert_true(vm->autostart);
    g_assert_cmpint(virDomainObjGetState(vm, NULL), ==, VIR_DOMAIN_RUNNING);
    pid = vm->pid;
    virDomainObjEndAPI(&vm);

    virTestAssertOK(qemuDomainSetAutostart(fix.driver, "drv5", false));
    g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    virTestAssertOK(qemuDomainDestroy(fix.driver, "drv5"));
    g_assert_false(virProcessIsAlive(pid));
    fixtureTearDown(&fix);
}


/* Redefining: an inactive domain takes the new definition at once, a running one
 * at its next start. */
static void
testRedefine(void)
{
    fixture fix = { 0 };
    g_autofree char *xml = domainXML("drv6");
    g_autofree char *xml2 = NULL;
    g_autofree char *desc = NULL;
    virDomainObj *vm;
    char *p;

    fixtureSetUp(&fix);
    vm = qemuDomainDefineXML(fix.driver, xml);
    g_assert_nonnull(vm);
    xml2 = virDomainDefFormat(vm->def, 0);
    virDomainObjEndAPI(&vm);
    /* Same UUID, 96 MiB. */
    p = strstr(xml2, ">65536</memory>");
    g_assert_nonnull(p);
    memcpy(p, ">98304", strlen(">98304"));
    if ((p = strstr(xml2, ">65536</currentMemory>")))
        memcpy(p, ">98304", strlen(">98304"));

    virTestAssertOK(qemuDomainCreate(fix.driver, "drv6"));
    vm = qemuDomainDefineXML(fix.driver, xml2);
    g_assert_nonnull(vm);
    g_assert_cmpuint(vm->def->memory, ==, 64 * 1024);
    g_assert_cmpuint(vm->newDef->memory, ==, 98304);
    virDomainObjEndAPI(&vm);
    desc = qemuDomainGetXMLDesc(fix.driver, "drv6", VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(desc, "98304"));
    virTestAssertOK(qemuDomainDestroy(fix.driver, "drv6"));
    vm = qemuDomainLookupByName(fix.driver, "drv6");
    g_assert_cmpuint(vm->def->memory, ==, 98304);
    g_assert_null(vm->newDef);
    virDomainObjEndAPI(&vm);

    /* Another domain with the same UUID under another name is refused. */
    p = strstr(xml2, "<name>drv6</name>");
    memcpy(p, "<name>drv7</name>", strlen("<name>drv7</name>"));
    g_assert_null(qemuDomainDefineXML(fix.driver, xml2));
    virTestAssertErrorContains("already exists with UUID");
    g_assert_false(configExists(&fix, "drv7"));
    fixtureTearDown(&fix);
}


/* Errors name the domain and say what is wrong. */
static void
testErrors(void)
{
    fixture fix = { 0 };
    g_autofree char *junk = NULL;
    size_t count;

    fixtureSetUp(&fix);
    g_assert_cmpint(qemuDomainCreate(fix.driver, "nosuch"), ==, -1);
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(virErrorGetLastMessage(), ==, "Domain 'nosuch' not found.");
    g_assert_null(qemuDomainLookupByID(fix.driver, 12345));
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_NO_DOMAIN);

    defineDomain(&fix, "drv8");
    g_assert_cmpint(qemuDomainDestroy(fix.driver, "drv8"), ==, -1);
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpstr(virErrorGetLastMessage(), ==, "Domain 'drv8' is not running.");
    g_assert_null(qemuDomainMonitorCommand(fix.driver, "drv8", "{}", false));
    virTestAssertErrorContains("is not running");
    g_assert_cmpint(qemuDomainSuspend(fix.driver, "drv8"), ==, -1);
    virTestAssertErrorContains("is not running");

    g_assert_null(qemuDomainDefineXML(fix.driver, "<domain type='qemu'><name>x</nam"));
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_XML_ERROR);
    g_assert_null(qemuDomainCreateXML(fix.driver, "<domain/>"));
    g_assert_cmpint(virErrorGetLastCode(), !=, VIR_ERR_OK);

    /* A broken definition on disk is skipped by the next driver. */
    junk = g_build_filename(fix.configDir, "broken.xml", NULL);
    g_assert_true(g_file_set_contents(junk, "<domain>", -1, NULL));
    qemuDriverFree(g_steal_pointer(&fix.driver));
    fixtureStartDriver(&fix);
    g_assert_true(domainListed(&fix, "drv8", &count));
    g_assert_cmpuint(count, ==, 1);
    fixtureTearDown(&fix);
}


int
main(int argc, char **argv)
{
    if (testHostEnterNetnsWithSysfs() < 0)
        return 1;
    virTestInit(&argc, &argv);
    virTestAssertOK(virNetlinkLinkSetUp("lo", true));

    g_test_add_func("/qemudriver/lifecycle", testLifecycle);
    g_test_add_func("/qemudriver/transient", testTransient);
    g_test_add_func("/qemudriver/reconnect", testReconnect);
    g_test_add_func("/qemudriver/autostart", testAutostart);
    g_test_add_func("/qemudriver/redefine", testRedefine);
    g_test_add_func("/qemudriver/errors", testErrors);
    return g_test_run();
}
