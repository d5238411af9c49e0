/* virdomainobj.c: domain objects (definition plus run state) and the domain list. */
#include <config.h>

#include <string.h>

#include "virdomainobj.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

VIR_LOG_INIT("conf.virdomainobj");

struct _virDomainObjList {
    virObjectLockable parent;

    /* Both hold one reference on each object. */
    GHashTable *objs;         /* uuid string -> virDomainObj */
    GHashTable *objsName;     /* name -> virDomainObj */
};


static void
virDomainObjDispose(void *anyobj)
{
    virDomainObj *obj = anyobj;

    if (obj->privateData && obj->privateDataFree)
        obj->privateDataFree(obj->privateData);
    virDomainDefFree(obj->def);
    virDomainDefFree(obj->newDef);
}


virDomainObj *
virDomainObjNew(virDomainDef *def)
{
    virDomainObj *obj = virObjectLockableNew(sizeof(virDomainObj), "virDomainObj",
                                             virDomainObjDispose);

    obj->def = def;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    obj->id = -1;
    return obj;
}


void
virDomainObjEndAPI(virDomainObj **obj)
{
    if (!obj || !*obj)
        return;
    virObjectUnlock(*obj);
    virObjectUnref(*obj);
    *obj = NULL;
}


void
virDomainObjSetState(virDomainObj *obj, int state, int reason)
{
    g_return_if_fail(obj != NULL);
    obj->state = state;
    obj->reason = reason;
}


int
virDomainObjGetState(virDomainObj *obj, int *reason)
{
    g_return_val_if_fail(obj != NULL, -1);
    if (reason)
        *reason = obj->reason;
    return obj->state;
}


bool
virDomainObjIsActive(virDomainObj *obj)
{
    return obj->state != VIR_DOMAIN_SHUTOFF;
}


static void
virDomainObjListDispose(void *anyobj)
{
    virDomainObjList *doms = anyobj;

    g_hash_table_destroy(doms->objs);
    g_hash_table_destroy(doms->objsName);
}


virDomainObjList *
virDomainObjListNew(void)
{
    virDomainObjList *doms = virObjectLockableNew(sizeof(virDomainObjList),
                                                  "virDomainObjList",
                                                  virDomainObjListDispose);

    doms->objs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, virObjectUnrefVoid);
    doms->objsName = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           virObjectUnrefVoid);
    return doms;
}


virDomainObj *
virDomainObjListAdd(virDomainObjList *doms, virDomainDef **def)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainObj *obj;

    g_return_val_if_fail(doms != NULL, NULL);
    g_return_val_if_fail(def != NULL && *def != NULL && (*def)->name != NULL, NULL);

    virDomainUUIDFormat((*def)->uuid, uuid);
    virObjectLock(doms);
    if (g_hash_table_contains(doms->objsName, (*def)->name)) {
        virObjectUnlock(doms);
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Domain '%1$s' already exists."), (*def)->name);
        return NULL;
    }
    if ((obj = g_hash_table_lookup(doms->objs, uuid))) {
        /* obj->def->name is only changed under the list lock, so reading it here is safe. */
        g_autofree char *other = g_strdup(obj->def->name);

        virObjectUnlock(doms);
        virReportError(VIR_ERR_OPERATION_FAILED,
                       _("Domain '%1$s' has UUID %2$s, which domain '%3$s' already uses."),
                       (*def)->name, uuid, other);
        return NULL;
    }

    obj = virDomainObjNew(g_steal_pointer(def));
    g_hash_table_insert(doms->objs, g_strdup(uuid), virObjectRef(obj));
    g_hash_table_insert(doms->objsName, g_strdup(obj->def->name), virObjectRef(obj));
    virObjectLock(obj);
    virObjectUnlock(doms);
    /* The reference from virDomainObjNew is the caller's. */
    return obj;
}


/* Takes a found object (referenced under the list lock) and locks it; drops it
 * again when it was removed meanwhile. */
static virDomainObj *
virDomainObjListLockFound(virDomainObj *obj)
{
    if (!obj)
        return NULL;
    virObjectLock(obj);
    if (obj->removing) {
        virObjectUnlock(obj);
        virObjectUnref(obj);
        return NULL;
    }
    return obj;
}


virDomainObj *
virDomainObjListFindByName(virDomainObjList *doms, const char *name)
{
    virDomainObj *obj;

    g_return_val_if_fail(doms != NULL, NULL);
    if (!name)
        return NULL;
    virObjectLock(doms);
    obj = virObjectRef(g_hash_table_lookup(doms->objsName, name));
    virObjectUnlock(doms);
    return virDomainObjListLockFound(obj);
}


virDomainObj *
virDomainObjListFindByUUID(virDomainObjList *doms, const unsigned char uuid[VIR_UUID_BUFLEN])
{
    char str[VIR_UUID_STRING_BUFLEN];
    virDomainObj *obj;

    g_return_val_if_fail(doms != NULL, NULL);
    g_return_val_if_fail(uuid != NULL, NULL);
    virDomainUUIDFormat(uuid, str);
    virObjectLock(doms);
    obj = virObjectRef(g_hash_table_lookup(doms->objs, str));
    virObjectUnlock(doms);
    return virDomainObjListLockFound(obj);
}


virDomainObj *
virDomainObjListFindByID(virDomainObjList *doms, int id)
{
    GHashTableIter iter;
    gpointer value;
    virDomainObj *found = NULL;

    g_return_val_if_fail(doms != NULL, NULL);
    if (id <= 0)
        return NULL;

    /* list -> object is the lock order, so locking each object here is allowed. */
    virObjectLock(doms);
    g_hash_table_iter_init(&iter, doms->objsName);
    while (!found && g_hash_table_iter_next(&iter, NULL, &value)) {
        virDomainObj *obj = value;

        virObjectLock(obj);
        if (!obj->removing && virDomainObjIsActive(obj) && obj->id == id)
            found = virObjectRef(obj);
        virObjectUnlock(obj);
    }
    virObjectUnlock(doms);
    return virDomainObjListLockFound(found);
}


void
virDomainObjListRemove(virDomainObjList *doms, virDomainObj *obj)
{
    char uuid[VIR_UUID_STRING_BUFLEN];

    g_return_if_fail(doms != NULL);
    g_return_if_fail(obj != NULL);

    /* The caller holds the object lock; take the list lock in order. */
    obj->removing = true;
    virObjectRef(obj);
    virObjectUnlock(obj);

    virObjectLock(doms);
    virObjectLock(obj);
    virDomainUUIDFormat(obj->def->uuid, uuid);
    if (g_hash_table_lookup(doms->objs, uuid) == obj)
        g_hash_table_remove(doms->objs, uuid);
    if (g_hash_table_lookup(doms->objsName, obj->def->name) == obj)
        g_hash_table_remove(doms->objsName, obj->def->name);
    virObjectUnlock(doms);
    virObjectUnref(obj);
}


size_t
virDomainObjListCount(virDomainObjList *doms)
{
    size_t n;

    g_return_val_if_fail(doms != NULL, 0);
    virObjectLock(doms);
    n = g_hash_table_size(doms->objsName);
    virObjectUnlock(doms);
    return n;
}


static int
virDomainObjListCompareNames(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}


virDomainObj **
virDomainObjListCollect(virDomainObjList *doms, size_t *nobjs)
{
    g_autofree char **names = NULL;
    virDomainObj **objs;
    guint n = 0;
    guint i;

    g_return_val_if_fail(doms != NULL, NULL);

    virObjectLock(doms);
    names = (char **)g_hash_table_get_keys_as_array(doms->objsName, &n);
    qsort(names, n, sizeof(char *), virDomainObjListCompareNames);
    objs = g_new0(virDomainObj *, n + 1);
    for (i = 0; i < n; i++)
        objs[i] = virObjectRef(g_hash_table_lookup(doms->objsName, names[i]));
    virObjectUnlock(doms);

    if (nobjs)
        *nobjs = n;
    return objs;
}


void
virDomainObjListFreeCollected(virDomainObj **objs)
{
    size_t i;

    if (!objs)
        return;
    for (i = 0; objs[i]; i++)
        virObjectUnref(objs[i]);
    g_free(objs);
}


int
virDomainObjListForEach(virDomainObjList *doms, virDomainObjListIterator func, void *opaque)
{
    virDomainObj **objs;
    size_t n = 0;
    size_t i;
    int ret = 0;

    g_return_val_if_fail(doms != NULL, -1);
    g_return_val_if_fail(func != NULL, -1);

    objs = virDomainObjListCollect(doms, &n);
    for (i = 0; i < n && ret >= 0; i++) {
        virObjectLock(objs[i]);
        if (!objs[i]->removing)
            ret = func(objs[i], opaque);
        virObjectUnlock(objs[i]);
    }
    virDomainObjListFreeCollected(objs);
    return ret < 0 ? ret : 0;
}
