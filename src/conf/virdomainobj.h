/* virdomainobj.h: domain objects (definition plus run state) and the domain list. */
#pragma once

#include "internal.h"
#include <sys/types.h>
#include <libvirt/libvirt.h>

#include "domain_conf.h"
#include "virobject.h"

/*
 * Locking: list -> object -> monitor (DESIGN.md, "Threads"). Every lookup returns the
 * object with a reference held and its lock taken; release both with
 * virDomainObjEndAPI(). Error convention: functions returning a pointer return NULL
 * and report an error (VIR_FROM_DOMAIN) only where stated; lookups that find
 * nothing report nothing, so the caller can choose the message.
 */

typedef struct _virDomainObj virDomainObj;
struct _virDomainObj {
    virObjectLockable parent;

    virDomainDef *def;          /* the running (or, when inactive, the persistent) def */
    virDomainDef *newDef;       /* persistent def to apply at next start, or NULL */
    int state;                  /* virDomainState */
    int reason;                 /* the matching virDomain*Reason */
    int id;                     /* -1 when inactive */
    pid_t pid;
    unsigned long long runId;   /* changes at each start; lets queued work detect a restart */
    bool persistent;
    bool autostart;
    bool removing;              /* set by virDomainObjListRemove; lookups skip it */

    void *privateData;
    GDestroyNotify privateDataFree;
};

/* A new object that owns @def (never NULL): one reference, unlocked, state
 * SHUTOFF/UNKNOWN, id -1. */
virDomainObj *virDomainObjNew(virDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainObj, virObjectUnrefVoid);

/* Unlocks *@obj, drops the caller's reference and sets *@obj to NULL.
 * NULL (or *@obj NULL) is a no-op. */
void virDomainObjEndAPI(virDomainObj **obj);

/* State and reason (libvirt's public virDomainState and reasons). Caller holds the
 * object lock. */
void virDomainObjSetState(virDomainObj *obj, int state, int reason);
int virDomainObjGetState(virDomainObj *obj, int *reason);

/* True unless the domain is shut off. Caller holds the object lock. */
bool virDomainObjIsActive(virDomainObj *obj);


typedef struct _virDomainObjList virDomainObjList;

/* An empty list (never NULL); release with virObjectUnref. */
virDomainObjList *virDomainObjListNew(void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainObjList, virObjectUnrefVoid);

/*
 * Adds a new object for *@def. On success *@def is taken (set to NULL) and the new
 * object is returned referenced and locked. When another domain has the same name
 * or the same UUID, reports VIR_ERR_OPERATION_FAILED, returns NULL and leaves *@def
 * with the caller. (Redefining an existing domain is the driver's job: find it and
 * replace its def.)
 */
virDomainObj *virDomainObjListAdd(virDomainObjList *doms, virDomainDef **def);

/* Lookups: the object referenced and locked, or NULL (no error reported). */
virDomainObj *virDomainObjListFindByName(virDomainObjList *doms, const char *name);
virDomainObj *virDomainObjListFindByUUID(virDomainObjList *doms,
                                         const unsigned char uuid[VIR_UUID_BUFLEN]);
/* Only active domains have an id. */
virDomainObj *virDomainObjListFindByID(virDomainObjList *doms, int id);

/* Removes @obj, which the caller holds locked and referenced; it stays locked and
 * referenced by the caller (release with virDomainObjEndAPI). */
void virDomainObjListRemove(virDomainObjList *doms, virDomainObj *obj);

size_t virDomainObjListCount(virDomainObjList *doms);

/* Every object, referenced but not locked, sorted by name; NULL-terminated array
 * of *@nobjs entries. Free with virDomainObjListFreeCollected. */
virDomainObj **virDomainObjListCollect(virDomainObjList *doms, size_t *nobjs);
void virDomainObjListFreeCollected(virDomainObj **objs);

/* Calls @func on each object in name order (a snapshot taken at the start), with
 * the object locked and the list unlocked. @func must not call other
 * virDomainObjList functions: it holds an object lock, and list -> object is the
 * order. Removed objects are skipped. Stops at the first negative return and
 * returns it; 0 otherwise. */
typedef int (*virDomainObjListIterator)(virDomainObj *obj, void *opaque);
int virDomainObjListForEach(virDomainObjList *doms, virDomainObjListIterator func,
                            void *opaque);
