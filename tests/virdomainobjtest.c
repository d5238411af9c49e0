/* virdomainobjtest.c: domain objects and the domain list: add, find, remove, references. */
#include <config.h>

#include "testutils.h"
#include "virdomainobj.h"

static virDomainDef *
testDef(const char *name, const char *uuid)
{
    g_autofree char *xml = g_strdup_printf("<domain><name>%s</name><uuid>%s</uuid>"
                                           "<memory>1024</memory><os><type>hvm</type></os>"
                                           "</domain>", name, uuid);
    virDomainDef *def = virDomainDefParseString(xml);

    if (!def)
        g_error("%s", virErrorGetLastMessage());
    return def;
}

#define UUID_A "11111111-2222-3333-4444-555555555555"
#define UUID_B "11111111-2222-3333-4444-666666666666"
#define UUID_C "11111111-2222-3333-4444-777777777777"


static void
testAddFind(void)
{
    g_autoptr(virDomainObjList) doms = virDomainObjListNew();
    virDomainDef *def = testDef("alpha", UUID_A);
    virDomainObj *obj;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int reason = -1;

    obj = virDomainObjListAdd(doms, &def);
    g_assert_nonnull(obj);
    g_assert_null(def);
    g_assert_cmpint(virDomainObjGetState(obj, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    g_assert_false(virDomainObjIsActive(obj));
    g_assert_cmpint(obj->id, ==, -1);
    obj->id = 3;
    virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_true(virDomainObjIsActive(obj));
    virDomainObjEndAPI(&obj);
    g_assert_null(obj);

    def = testDef("beta", UUID_B);
    obj = virDomainObjListAdd(doms, &def);
    g_assert_nonnull(obj);
    virDomainObjEndAPI(&obj);
    g_assert_cmpuint(virDomainObjListCount(doms), ==, 2);

    obj = virDomainObjListFindByName(doms, "alpha");
    g_assert_nonnull(obj);
    g_assert_cmpstr(obj->def->name, ==, "alpha");
    virDomainObjEndAPI(&obj);
    g_assert_null(virDomainObjListFindByName(doms, "gamma"));

    g_assert_cmpint(virDomainUUIDParse(UUID_B, uuid), ==, 0);
    obj = virDomainObjListFindByUUID(doms, uuid);
    g_assert_nonnull(obj);
    g_assert_cmpstr(obj->def->name, ==, "beta");
    virDomainObjEndAPI(&obj);
    g_assert_cmpint(virDomainUUIDParse(UUID_C, uuid), ==, 0);
    g_assert_null(virDomainObjListFindByUUID(doms, uuid));

    obj = virDomainObjListFindByID(doms, 3);
    g_assert_nonnull(obj);
    g_assert_cmpstr(obj->def->name, ==, "alpha");
    /* An inactive domain has no id, whatever the field says. */
    virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    virDomainObjEndAPI(&obj);
    g_assert_null(virDomainObjListFindByID(doms, 3));
    g_assert_null(virDomainObjListFindByID(doms, -1));
}


static void
testDuplicates(void)
{
    g_autoptr(virDomainObjList) doms = virDomainObjListNew();
    virDomainDef *def = testDef("alpha", UUID_A);
    g_autoptr(virDomainDef) sameName = testDef("alpha", UUID_B);
    g_autoptr(virDomainDef) sameUUID = testDef("other", UUID_A);
    virDomainObj *obj = virDomainObjListAdd(doms, &def);

    virDomainObjEndAPI(&obj);

    g_assert_null(virDomainObjListAdd(doms, &sameName));
    g_assert_nonnull(sameName);     /* still the caller's */
    virTestAssertErrorContains("Domain 'alpha' already exists.");

    g_assert_null(virDomainObjListAdd(doms, &sameUUID));
    g_assert_nonnull(sameUUID);
    virTestAssertErrorContains("Domain 'other' has UUID " UUID_A ", which domain 'alpha' already uses.");
    g_assert_cmpuint(virDomainObjListCount(doms), ==, 1);
}


static int testPrivateFreed;

static void
testPrivateFree(void *data)
{
    testPrivateFreed++;
    g_free(data);
}


static void
testRemoveKeepsReference(void)
{
    g_autoptr(virDomainObjList) doms = virDomainObjListNew();
    virDomainDef *def = testDef("alpha", UUID_A);
    virDomainObj *obj = virDomainObjListAdd(doms, &def);
    virDomainObj *held;

    testPrivateFreed = 0;
    obj->privateData = g_strdup("private");
    obj->privateDataFree = testPrivateFree;
    obj->newDef = testDef("alpha", UUID_A);
    /* A worker's reference, as a queued event holds one. */
    held = virObjectRef(obj);

    virDomainObjListRemove(doms, obj);
    /* Still locked and referenced by the caller after removal. */
    g_assert_cmpstr(obj->def->name, ==, "alpha");
    virDomainObjEndAPI(&obj);

    g_assert_cmpuint(virDomainObjListCount(doms), ==, 0);
    g_assert_null(virDomainObjListFindByName(doms, "alpha"));

    /* The object survives while referenced, and its name can be reused. */
    virObjectLock(held);
    g_assert_cmpstr(held->def->name, ==, "alpha");
    g_assert_true(held->removing);
    virObjectUnlock(held);
    g_assert_cmpint(testPrivateFreed, ==, 0);
    def = testDef("alpha", UUID_A);
    obj = virDomainObjListAdd(doms, &def);
    g_assert_nonnull(obj);
    g_assert_true(obj != held);
    virDomainObjEndAPI(&obj);

    g_assert_false(virObjectUnref(held));
    g_assert_cmpint(testPrivateFreed, ==, 1);
}


static int
testCountActive(virDomainObj *obj, void *opaque)
{
    GString *names = opaque;

    g_string_append_printf(names, "%s,", obj->def->name);
    return 0;
}


static int
testStopAtSecond(virDomainObj *obj, void *opaque)
{
    int *calls = opaque;

    return ++(*calls) == 2 ? -1 : 0;
}


static void
testCollectForEach(void)
{
    g_autoptr(virDomainObjList) doms = virDomainObjListNew();
    const char *names[] = { "charlie", "alpha", "bravo" };
    const char *uuids[] = { UUID_C, UUID_A, UUID_B };
    g_autoptr(GString) seen = g_string_new("");
    virDomainObj **objs;
    size_t n = 0;
    size_t i;
    int calls = 0;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        virDomainDef *def = testDef(names[i], uuids[i]);
        virDomainObj *obj = virDomainObjListAdd(doms, &def);

        virDomainObjEndAPI(&obj);
    }

    objs = virDomainObjListCollect(doms, &n);
    g_assert_cmpuint(n, ==, 3);
    g_assert_cmpstr(objs[0]->def->name, ==, "alpha");
    g_assert_cmpstr(objs[1]->def->name, ==, "bravo");
    g_assert_cmpstr(objs[2]->def->name, ==, "charlie");
    g_assert_null(objs[3]);
    virDomainObjListFreeCollected(objs);

    g_assert_cmpint(virDomainObjListForEach(doms, testCountActive, seen), ==, 0);
    g_assert_cmpstr(seen->str, ==, "alpha,bravo,charlie,");
    g_assert_cmpint(virDomainObjListForEach(doms, testStopAtSecond, &calls), ==, -1);
    g_assert_cmpint(calls, ==, 2);
}


typedef struct {
    virDomainObjList *doms;
    int iterations;
} testThreadData;


static gpointer
testLookupThread(gpointer opaque)
{
    testThreadData *data = opaque;
    int i;

    for (i = 0; i < data->iterations; i++) {
        virDomainObj *obj = virDomainObjListFindByName(data->doms, "alpha");

        if (obj)
            virDomainObjEndAPI(&obj);
        obj = virDomainObjListFindByID(data->doms, 1);
        if (obj)
            virDomainObjEndAPI(&obj);
    }
    return NULL;
}


/* Lookups racing with add/remove: no crash, no leak (ASan), counts consistent. */
static void
testConcurrentAddRemove(void)
{
    g_autoptr(virDomainObjList) doms = virDomainObjListNew();
    testThreadData data = { doms, 2000 };
    GThread *threads[4];
    size_t i;
    int round;

    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        threads[i] = g_thread_new("lookup", testLookupThread, &data);
    for (round = 0; round < 500; round++) {
        virDomainDef *def = testDef("alpha", UUID_A);
        virDomainObj *obj = virDomainObjListAdd(doms, &def);

        g_assert_nonnull(obj);
        obj->id = 1;
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
        virDomainObjListRemove(doms, obj);
        virDomainObjEndAPI(&obj);
    }
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        g_thread_join(threads[i]);
    g_assert_cmpuint(virDomainObjListCount(doms), ==, 0);
}


int
main(int argc, char **argv)
{
    virTestInit(&argc, &argv);

    g_test_add_func("/virdomainobj/add-find", testAddFind);
    g_test_add_func("/virdomainobj/duplicates", testDuplicates);
    g_test_add_func("/virdomainobj/remove-keeps-reference", testRemoveKeepsReference);
    g_test_add_func("/virdomainobj/collect-foreach", testCollectForEach);
    g_test_add_func("/virdomainobj/concurrent-add-remove", testConcurrentAddRemove);

    return g_test_run();
}
