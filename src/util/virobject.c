/* virobject.c: reference-counted objects, optionally with a mutex. */
#include <config.h>

#include "virthread.h"
#include "virobject.h"


void *
virObjectNew(size_t size, const char *typeName, virObjectDisposeFunc dispose)
{
    virObject *obj;

    g_return_val_if_fail(size >= sizeof(virObject), NULL);

    obj = g_malloc0(size);
    obj->refs = 1;
    obj->typeName = typeName;
    obj->dispose = dispose;
    return obj;
}


void *
virObjectLockableNew(size_t size, const char *typeName, virObjectDisposeFunc dispose)
{
    virObjectLockable *obj;

    g_return_val_if_fail(size >= sizeof(virObjectLockable), NULL);

    obj = virObjectNew(size, typeName, dispose);
    g_mutex_init(&obj->lock);
    return obj;
}


void *
virObjectRef(void *anyobj)
{
    virObject *obj = anyobj;

    if (!obj)
        return NULL;
    g_atomic_int_inc(&obj->refs);
    return obj;
}


bool
virObjectUnref(void *anyobj)
{
    virObject *obj = anyobj;

    if (!obj)
        return false;
    if (!g_atomic_int_dec_and_test(&obj->refs))
        return true;
    if (obj->dispose)
        obj->dispose(obj);
    g_free(obj);
    return false;
}


void
virObjectUnrefVoid(void *obj)
{
    virObjectUnref(obj);
}


void
virObjectLock(void *anyobj)
{
    virObjectLockable *obj = anyobj;

    virMutexLock(&obj->lock);
}


void
virObjectUnlock(void *anyobj)
{
    virObjectLockable *obj = anyobj;

    virMutexUnlock(&obj->lock);
}
