/* virobject.h: reference-counted objects, optionally with a mutex. */
#pragma once

#include "internal.h"

/*
 * Every object type embeds virObject (or virObjectLockable) as its first member and
 * is created with virObjectNew()/virObjectLockableNew(). The last virObjectUnref()
 * calls the type's dispose function, then frees the memory. virObjectUnref(NULL) is a
 * no-op, so cleanup code never branches.
 */

typedef void (*virObjectDisposeFunc)(void *obj);

typedef struct _virObject virObject;
struct _virObject {
    gint refs;
    const char *typeName;
    virObjectDisposeFunc dispose;
};

typedef struct _virObjectLockable virObjectLockable;
struct _virObjectLockable {
    virObject parent;
    GMutex lock;
};

/* Allocates @size zeroed bytes holding one reference. */
void *virObjectNew(size_t size, const char *typeName, virObjectDisposeFunc dispose);
void *virObjectLockableNew(size_t size, const char *typeName, virObjectDisposeFunc dispose);

/* Returns @obj, for `x->y = virObjectRef(obj)`. NULL stays NULL. */
void *virObjectRef(void *obj);

/* Drops a reference; returns false when that was the last one (the object is gone). */
bool virObjectUnref(void *obj);

void virObjectLock(void *obj);
void virObjectUnlock(void *obj);

/* g_autoptr-style helper: `g_autoptr(virObjectUnrefHelper)` is not possible in C, so
 * types declare G_DEFINE_AUTOPTR_CLEANUP_FUNC(Type, virObjectUnrefVoid). */
void virObjectUnrefVoid(void *obj);
