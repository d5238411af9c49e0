/* virdomainevent.c: a broker of domain events (lifecycle, reboot, QMP) for API clients. */
#include <config.h>

#include <string.h>

#include "virthread.h"
#include "virdomainevent.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

VIR_LOG_INIT("conf.domain_event");

typedef struct _virDomainEventReg virDomainEventReg;
struct _virDomainEventReg {
    int callbackID;
    int eventID;
    bool hasUUID;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *qmpEvent;                 /* exact name, or NULL */
    GRegex *regex;                  /* with the REGEX flag */
    bool nocase;
    const void *owner;
    virDomainEventFunc func;
    void *opaque;
    GDestroyNotify freeFunc;
};

struct _virDomainEventBroker {
    GMutex lock;
    GPtrArray *regs;                /* virDomainEventReg */
    int nextID;
    gint nqmp;                      /* QMP registrations, read without the lock */
};


static void
virDomainEventRegFree(void *data)
{
    virDomainEventReg *reg = data;

    if (reg->freeFunc)
        reg->freeFunc(reg->opaque);
    g_free(reg->qmpEvent);
    if (reg->regex)
        g_regex_unref(reg->regex);
    g_free(reg);
}


virDomainEventBroker *
virDomainEventBrokerNew(void)
{
    virDomainEventBroker *broker = g_new0(virDomainEventBroker, 1);

    g_mutex_init(&broker->lock);
    broker->regs = g_ptr_array_new_with_free_func(virDomainEventRegFree);
    broker->nextID = 1;
    return broker;
}


void
virDomainEventBrokerFree(virDomainEventBroker *broker)
{
    if (!broker)
        return;
    g_ptr_array_unref(broker->regs);
    g_mutex_clear(&broker->lock);
    g_free(broker);
}


int
virDomainEventBrokerRegister(virDomainEventBroker *broker,
                             int eventID,
                             const unsigned char *uuid,
                             const char *qmpEvent,
                             unsigned int flags,
                             const void *owner,
                             virDomainEventFunc func,
                             void *opaque,
                             GDestroyNotify freeFunc)
{
    g_autoptr(GRegex) regex = NULL;
    virDomainEventReg *reg;
    int id;

    if (eventID != VIR_DOMAIN_EVENT_BROKER_ID_QMP &&
        (eventID < 0 || eventID > VIR_DOMAIN_EVENT_BROKER_ID_MAX)) {
        virReportError(VIR_ERR_INVALID_ARG, _("Unsupported event ID %1$d."), eventID);
        return -1;
    }
    if (flags & ~(VIR_DOMAIN_EVENT_BROKER_QMP_REGEX | VIR_DOMAIN_EVENT_BROKER_QMP_NOCASE)) {
        virReportError(VIR_ERR_INVALID_ARG, _("Unsupported flags 0x%1$x."), flags);
        return -1;
    }
    if (qmpEvent && (flags & VIR_DOMAIN_EVENT_BROKER_QMP_REGEX)) {
        g_autoptr(GError) err = NULL;
        GRegexCompileFlags cflags = G_REGEX_OPTIMIZE;

        if (flags & VIR_DOMAIN_EVENT_BROKER_QMP_NOCASE)
            cflags |= G_REGEX_CASELESS;
        if (!(regex = g_regex_new(qmpEvent, cflags, 0, &err))) {
            virReportError(VIR_ERR_INVALID_ARG,
                           _("Failed to compile the event regex '%1$s': %2$s"),
                           qmpEvent, err->message);
            return -1;
        }
    }

    reg = g_new0(virDomainEventReg, 1);
    reg->eventID = eventID;
    if (uuid) {
        reg->hasUUID = true;
        memcpy(reg->uuid, uuid, VIR_UUID_BUFLEN);
    }
    if (!regex)
        reg->qmpEvent = g_strdup(qmpEvent);
    reg->regex = g_steal_pointer(&regex);
    reg->nocase = !!(flags & VIR_DOMAIN_EVENT_BROKER_QMP_NOCASE);
    reg->owner = owner;
    reg->func = func;
    reg->opaque = opaque;
    reg->freeFunc = freeFunc;

    virMutexLock(&broker->lock);
    id = reg->callbackID = broker->nextID++;
    g_ptr_array_add(broker->regs, reg);
    if (eventID == VIR_DOMAIN_EVENT_BROKER_ID_QMP)
        g_atomic_int_inc(&broker->nqmp);
    virMutexUnlock(&broker->lock);
    VIR_DEBUG("Registered callback %d for event %d of owner %p", id, eventID, owner);
    return id;
}


/* Removes entry @i; called with the lock held. The free runs after the unlock. */
static virDomainEventReg *
virDomainEventBrokerStealLocked(virDomainEventBroker *broker, guint i)
{
    virDomainEventReg *reg = g_ptr_array_steal_index(broker->regs, i);

    if (reg->eventID == VIR_DOMAIN_EVENT_BROKER_ID_QMP)
        g_atomic_int_add(&broker->nqmp, -1);
    return reg;
}


int
virDomainEventBrokerDeregister(virDomainEventBroker *broker,
                               const void *owner,
                               int callbackID,
                               bool qmp)
{
    virDomainEventReg *found = NULL;
    guint i;

    virMutexLock(&broker->lock);
    for (i = 0; i < broker->regs->len; i++) {
        virDomainEventReg *reg = g_ptr_array_index(broker->regs, i);

        if (reg->callbackID == callbackID && reg->owner == owner &&
            (reg->eventID == VIR_DOMAIN_EVENT_BROKER_ID_QMP) == qmp) {
            found = virDomainEventBrokerStealLocked(broker, i);
            break;
        }
    }
    virMutexUnlock(&broker->lock);
    if (!found) {
        virReportError(VIR_ERR_INVALID_ARG, _("Event callback %1$d is not registered."),
                       callbackID);
        return -1;
    }
    virDomainEventRegFree(found);
    return 0;
}


void
virDomainEventBrokerDeregisterOwner(virDomainEventBroker *broker, const void *owner)
{
    g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func(virDomainEventRegFree);
    guint i = 0;

    virMutexLock(&broker->lock);
    while (i < broker->regs->len) {
        virDomainEventReg *reg = g_ptr_array_index(broker->regs, i);

        if (reg->owner == owner)
            g_ptr_array_add(gone, virDomainEventBrokerStealLocked(broker, i));
        else
            i++;
    }
    virMutexUnlock(&broker->lock);
    if (gone->len)
        VIR_DEBUG("Removed %u event callbacks of owner %p", gone->len, owner);
}


bool
virDomainEventBrokerWantsQMP(virDomainEventBroker *broker)
{
    return broker && g_atomic_int_get(&broker->nqmp) > 0;
}


static bool
virDomainEventRegMatches(const virDomainEventReg *reg, const virDomainEventMsg *msg)
{
    if (reg->eventID != msg->eventID)
        return false;
    if (reg->hasUUID && memcmp(reg->uuid, msg->uuid, VIR_UUID_BUFLEN) != 0)
        return false;
    if (msg->eventID != VIR_DOMAIN_EVENT_BROKER_ID_QMP)
        return true;
    if (reg->regex)
        return g_regex_match(reg->regex, msg->qmpEvent, 0, NULL);
    if (!reg->qmpEvent)
        return true;
    if (reg->nocase)
        return g_ascii_strcasecmp(reg->qmpEvent, msg->qmpEvent) == 0;
    return strcmp(reg->qmpEvent, msg->qmpEvent) == 0;
}


static void
virDomainEventBrokerDispatch(virDomainEventBroker *broker, const virDomainEventMsg *msg)
{
    guint i;

    if (!broker)
        return;
    virMutexLock(&broker->lock);
    for (i = 0; i < broker->regs->len; i++) {
        virDomainEventReg *reg = g_ptr_array_index(broker->regs, i);

        if (virDomainEventRegMatches(reg, msg))
            reg->func(reg->callbackID, msg, reg->opaque);
    }
    virMutexUnlock(&broker->lock);
}


void
virDomainEventBrokerEmitLifecycle(virDomainEventBroker *broker,
                                  const char *name,
                                  const unsigned char *uuid,
                                  int id,
                                  int event,
                                  int detail)
{
    virDomainEventMsg msg = {
        .eventID = VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        .name = name, .uuid = uuid, .id = id,
        .event = event, .detail = detail,
    };

    VIR_DEBUG("Domain '%s' lifecycle event %d/%d", name, event, detail);
    virDomainEventBrokerDispatch(broker, &msg);
}


void
virDomainEventBrokerEmitReboot(virDomainEventBroker *broker,
                               const char *name,
                               const unsigned char *uuid,
                               int id)
{
    virDomainEventMsg msg = {
        .eventID = VIR_DOMAIN_EVENT_ID_REBOOT,
        .name = name, .uuid = uuid, .id = id,
    };

    virDomainEventBrokerDispatch(broker, &msg);
}


void
virDomainEventBrokerEmitQMP(virDomainEventBroker *broker,
                            const char *name,
                            const unsigned char *uuid,
                            int id,
                            const char *event,
                            long long seconds,
                            unsigned int micros,
                            const char *details)
{
    virDomainEventMsg msg = {
        .eventID = VIR_DOMAIN_EVENT_BROKER_ID_QMP,
        .name = name, .uuid = uuid, .id = id,
        .qmpEvent = event, .seconds = seconds, .micros = micros, .details = details,
    };

    if (!virDomainEventBrokerWantsQMP(broker))
        return;
    virDomainEventBrokerDispatch(broker, &msg);
}
