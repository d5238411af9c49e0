/* virdomaineventtest.c: the domain event broker: matching, deregistration, owners. */
#include <config.h>

#include <string.h>

#include "testutils.h"
#include "virdomainevent.h"

static const unsigned char uuidA[VIR_UUID_BUFLEN] = { 1 };
static const unsigned char uuidB[VIR_UUID_BUFLEN] = { 2 };

/* What one registration saw: the calls, and the last callback id and event. */
typedef struct {
    int calls;
    int callbackID;
    int event;
    int detail;
    char *qmpEvent;
    char *details;
    int freed;
} testSeen;


static void
testRecord(int callbackID, const virDomainEventMsg *msg, void *opaque)
{
    testSeen *seen = opaque;

    seen->calls++;
    seen->callbackID = callbackID;
    seen->event = msg->event;
    seen->detail = msg->detail;
    g_free(seen->qmpEvent);
    seen->qmpEvent = g_strdup(msg->qmpEvent);
    g_free(seen->details);
    seen->details = g_strdup(msg->details);
}


static void
testRelease(void *opaque)
{
    ((testSeen *)opaque)->freed++;
}


static void
testSeenClear(testSeen *seen)
{
    g_free(seen->qmpEvent);
    g_free(seen->details);
}


static void
testLifecycle(void)
{
    g_autoptr(virDomainEventBroker) broker = virDomainEventBrokerNew();
    testSeen all = { 0 }, onlyB = { 0 }, reboot = { 0 };
    int idAll, idB, idReboot;

    idAll = virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, NULL,
                                         0, &all, testRecord, &all, testRelease);
    idB = virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_ID_LIFECYCLE, uuidB, NULL,
                                       0, &all, testRecord, &onlyB, testRelease);
    idReboot = virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_ID_REBOOT, NULL, NULL,
                                            0, &all, testRecord, &reboot, testRelease);
    g_assert_cmpint(idAll, >, 0);
    g_assert_cmpint(idB, ==, idAll + 1);
    g_assert_cmpint(idReboot, ==, idB + 1);

    virDomainEventBrokerEmitLifecycle(broker, "a", uuidA, 3, VIR_DOMAIN_EVENT_STARTED,
                                      VIR_DOMAIN_EVENT_STARTED_BOOTED);
    g_assert_cmpint(all.calls, ==, 1);
    g_assert_cmpint(all.callbackID, ==, idAll);
    g_assert_cmpint(all.event, ==, VIR_DOMAIN_EVENT_STARTED);
    g_assert_cmpint(onlyB.calls, ==, 0);
    g_assert_cmpint(reboot.calls, ==, 0);

    virDomainEventBrokerEmitLifecycle(broker, "b", uuidB, -1, VIR_DOMAIN_EVENT_STOPPED,
                                      VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    g_assert_cmpint(all.calls, ==, 2);
    g_assert_cmpint(onlyB.calls, ==, 1);
    g_assert_cmpint(onlyB.callbackID, ==, idB);
    g_assert_cmpint(onlyB.detail, ==, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);

    virDomainEventBrokerEmitReboot(broker, "a", uuidA, 3);
    g_assert_cmpint(reboot.calls, ==, 1);
    g_assert_cmpint(all.calls, ==, 2);

    /* Every id of libvirt 9.0 is accepted; others and unknown flags are not. */
    g_assert_cmpint(virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_BROKER_ID_MAX,
                                                 NULL, NULL, 0, &all, testRecord, NULL,
                                                 NULL), >, 0);
    g_assert_cmpint(virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_BROKER_ID_MAX + 1,
                                                 NULL, NULL, 0, &all, testRecord, NULL,
                                                 NULL), ==, -1);
    virTestAssertErrorContains("Unsupported event ID");

    /* Deregistration checks the owner and the kind. */
    g_assert_cmpint(virDomainEventBrokerDeregister(broker, &onlyB, idB, false), ==, -1);
    virTestAssertErrorContains("is not registered");
    g_assert_cmpint(virDomainEventBrokerDeregister(broker, &all, idB, true), ==, -1);
    g_assert_cmpint(virDomainEventBrokerDeregister(broker, &all, idB, false), ==, 0);
    g_assert_cmpint(onlyB.freed, ==, 1);
    virDomainEventBrokerEmitLifecycle(broker, "b", uuidB, -1, VIR_DOMAIN_EVENT_UNDEFINED, 0);
    g_assert_cmpint(onlyB.calls, ==, 1);
    g_assert_cmpint(all.calls, ==, 3);

    virDomainEventBrokerDeregisterOwner(broker, &all);
    g_assert_cmpint(all.freed, ==, 1);
    g_assert_cmpint(reboot.freed, ==, 1);
    virDomainEventBrokerEmitLifecycle(broker, "a", uuidA, -1, VIR_DOMAIN_EVENT_UNDEFINED, 0);
    g_assert_cmpint(all.calls, ==, 3);
    testSeenClear(&all);
    testSeenClear(&onlyB);
    testSeenClear(&reboot);
}


static void
testQMP(void)
{
    g_autoptr(virDomainEventBroker) broker = virDomainEventBrokerNew();
    testSeen any = { 0 }, stop = { 0 }, nocase = { 0 }, regex = { 0 };
    int owner;
    int id;

    g_assert_false(virDomainEventBrokerWantsQMP(broker));
    g_assert_false(virDomainEventBrokerWantsQMP(NULL));
    id = virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_BROKER_ID_QMP, NULL, NULL, 0,
                                      &owner, testRecord, &any, NULL);
    g_assert_cmpint(id, >, 0);
    g_assert_true(virDomainEventBrokerWantsQMP(broker));
    g_assert_cmpint(virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_BROKER_ID_QMP,
                                                 uuidA, "STOP", 0, &owner, testRecord,
                                                 &stop, NULL), >, 0);
    g_assert_cmpint(virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_BROKER_ID_QMP,
                                                 NULL, "stop",
                                                 VIR_DOMAIN_EVENT_BROKER_QMP_NOCASE,
                                                 &owner, testRecord, &nocase, NULL), >, 0);
    g_assert_cmpint(virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_BROKER_ID_QMP,
                                                 NULL, "^NIC_.*CHANGED$",
                                                 VIR_DOMAIN_EVENT_BROKER_QMP_REGEX,
                                                 &owner, testRecord, &regex, NULL), >, 0);
    g_assert_cmpint(virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_BROKER_ID_QMP,
                                                 NULL, "(", VIR_DOMAIN_EVENT_BROKER_QMP_REGEX,
                                                 &owner, testRecord, NULL, NULL), ==, -1);
    virTestAssertErrorContains("regex");

    virDomainEventBrokerEmitQMP(broker, "a", uuidA, 3, "STOP", 10, 20, NULL);
    virDomainEventBrokerEmitQMP(broker, "b", uuidB, 4, "STOP", 11, 21, NULL);
    virDomainEventBrokerEmitQMP(broker, "a", uuidA, 3, "NIC_RX_FILTER_CHANGED", 12, 22,
                                "{\"name\":\"net0\"}");
    g_assert_cmpint(any.calls, ==, 3);
    g_assert_cmpint(any.callbackID, ==, id);
    g_assert_cmpstr(any.qmpEvent, ==, "NIC_RX_FILTER_CHANGED");
    g_assert_cmpstr(any.details, ==, "{\"name\":\"net0\"}");
    g_assert_cmpint(stop.calls, ==, 1);
    g_assert_null(stop.details);
    g_assert_cmpint(nocase.calls, ==, 2);
    g_assert_cmpint(regex.calls, ==, 1);

    /* Lifecycle events do not reach QMP registrations. */
    virDomainEventBrokerEmitLifecycle(broker, "a", uuidA, 3, VIR_DOMAIN_EVENT_STARTED, 0);
    g_assert_cmpint(any.calls, ==, 3);

    g_assert_cmpint(virDomainEventBrokerDeregister(broker, &owner, id, false), ==, -1);
    g_assert_cmpint(virDomainEventBrokerDeregister(broker, &owner, id, true), ==, 0);
    g_assert_true(virDomainEventBrokerWantsQMP(broker));
    virDomainEventBrokerDeregisterOwner(broker, &owner);
    g_assert_false(virDomainEventBrokerWantsQMP(broker));
    testSeenClear(&any);
    testSeenClear(&stop);
    testSeenClear(&nocase);
    testSeenClear(&regex);
}


/* Freeing the broker releases what is still registered. */
static void
testFreeReleases(void)
{
    virDomainEventBroker *broker = virDomainEventBrokerNew();
    testSeen seen = { 0 };

    g_assert_cmpint(virDomainEventBrokerRegister(broker, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL,
                                                 NULL, 0, &seen, testRecord, &seen,
                                                 testRelease), >, 0);
    virDomainEventBrokerFree(broker);
    g_assert_cmpint(seen.freed, ==, 1);
    virDomainEventBrokerFree(NULL);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);

    g_test_add_func("/virdomainevent/lifecycle", testLifecycle);
    g_test_add_func("/virdomainevent/qmp", testQMP);
    g_test_add_func("/virdomainevent/free-releases", testFreeReleases);

    return g_test_run();
}
