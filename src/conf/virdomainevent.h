/* virdomainevent.h: a broker of domain events (lifecycle, reboot, QMP) for API clients. */
#pragma once

#include "internal.h"

#include <libvirt/libvirt.h>

/*
 * Subscribers register a callback for one event id (libvirt's virDomainEventID, or
 * VIR_DOMAIN_EVENT_BROKER_ID_QMP for raw QEMU monitor events), optionally for one
 * domain (by UUID) and, for QMP, one event name. Emitters call the broker from any
 * thread; each matching callback runs at once on the emitting thread with the
 * broker's lock held, so it must only queue (virNetServerClientSendEvent) and must
 * not call back into the broker. Callback ids are positive and never reused.
 */

/* The last virDomainEventID of libvirt 9.0 (virsh event --all registers 0 to it). */
#define VIR_DOMAIN_EVENT_BROKER_ID_MAX VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE

/* The event id of raw QMP events (virConnectDomainQemuMonitorEventRegister). */
#define VIR_DOMAIN_EVENT_BROKER_ID_QMP (-1)

/* libvirt's VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_* flags. */
#define VIR_DOMAIN_EVENT_BROKER_QMP_REGEX (1U << 0)
#define VIR_DOMAIN_EVENT_BROKER_QMP_NOCASE (1U << 1)

typedef struct _virDomainEventBroker virDomainEventBroker;

/* One event as callbacks see it; strings are the emitter's. */
typedef struct _virDomainEventMsg virDomainEventMsg;
struct _virDomainEventMsg {
    int eventID;                    /* VIR_DOMAIN_EVENT_ID_* or ..._BROKER_ID_QMP */
    const char *name;               /* the domain */
    const unsigned char *uuid;      /* VIR_UUID_BUFLEN bytes */
    int id;                         /* -1 when inactive */
    int event;                      /* lifecycle: virDomainEventType */
    int detail;                     /* lifecycle: its detail enum */
    const char *qmpEvent;           /* QMP: the event name */
    long long seconds;              /* QMP: QEMU's timestamp */
    unsigned int micros;
    const char *details;            /* QMP: data as JSON text, or NULL */
};

typedef void (*virDomainEventFunc)(int callbackID, const virDomainEventMsg *msg,
                                   void *opaque);

virDomainEventBroker *virDomainEventBrokerNew(void);
/* Frees @broker, releasing every registration's opaque. NULL is a no-op. */
void virDomainEventBrokerFree(virDomainEventBroker *broker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainEventBroker, virDomainEventBrokerFree);

/*
 * Registers @func for @eventID (0 <= eventID <= VIR_DOMAIN_EVENT_BROKER_ID_MAX, or
 * VIR_DOMAIN_EVENT_BROKER_ID_QMP), for the domain @uuid only unless NULL. @qmpEvent
 * (QMP only, NULL for all) is matched exactly, case-insensitively with
 * VIR_DOMAIN_EVENT_BROKER_QMP_NOCASE, or as a GRegex with ..._REGEX. @owner groups
 * the registrations of one client; @freeFunc releases @opaque at deregistration.
 * Returns the callback id, or -1 with an error reported (@opaque not taken).
 */
int virDomainEventBrokerRegister(virDomainEventBroker *broker,
                                 int eventID,
                                 const unsigned char *uuid,
                                 const char *qmpEvent,
                                 unsigned int flags,
                                 const void *owner,
                                 virDomainEventFunc func,
                                 void *opaque,
                                 GDestroyNotify freeFunc);

/* Removes the registration @callbackID of @owner; -1 with VIR_ERR_INVALID_ARG when
 * @owner has none with that id. @qmp selects QMP registrations or the others. */
int virDomainEventBrokerDeregister(virDomainEventBroker *broker,
                                   const void *owner,
                                   int callbackID,
                                   bool qmp);

/* Removes every registration of @owner (a client that went away). */
void virDomainEventBrokerDeregisterOwner(virDomainEventBroker *broker, const void *owner);

/* True when someone listens for QMP events: lets emitters skip all work. Lock-free. */
bool virDomainEventBrokerWantsQMP(virDomainEventBroker *broker);

/* Delivers a lifecycle event (virDomainEventType @event, @detail) of a domain. */
void virDomainEventBrokerEmitLifecycle(virDomainEventBroker *broker,
                                       const char *name,
                                       const unsigned char *uuid,
                                       int id,
                                       int event,
                                       int detail);

/* Delivers a reboot event (VIR_DOMAIN_EVENT_ID_REBOOT) of a domain. */
void virDomainEventBrokerEmitReboot(virDomainEventBroker *broker,
                                    const char *name,
                                    const unsigned char *uuid,
                                    int id);

/* Delivers a QMP event of a domain to the matching QMP registrations. */
void virDomainEventBrokerEmitQMP(virDomainEventBroker *broker,
                                 const char *name,
                                 const unsigned char *uuid,
                                 int id,
                                 const char *event,
                                 long long seconds,
                                 unsigned int micros,
                                 const char *details);
