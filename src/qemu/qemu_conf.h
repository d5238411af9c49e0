/* qemu_conf.h: the QEMU driver's shared state. */
#pragma once

#include "virdomainevent.h"
#include "virdomainobj.h"
#include "vireventthread.h"
#include "virworkqueue.h"

/* Workers run the queued qemuProcessEvents of all domains; each domain's events run
 * in order, one at a time, so more workers only help with many busy domains. */
#define QEMU_DRIVER_DEFAULT_WORKERS 4

/* Waiting events per domain before new ones are refused (see virWorkQueuePush).
 * Rx filter events merge per NIC and QEMU's exit is always accepted, so only
 * stateless events can be refused; 1024 is far above any burst a guest can cause
 * between two worker runs. */
#define QEMU_DRIVER_EVENTS_PER_DOMAIN_MAX 1024

typedef struct _qemuDriver qemuDriver;
struct _qemuDriver {
    char *configDir;               /* <configdir>/qemu: persistent definitions NAME.xml */
    char *autostartDir;            /* <configDir>/autostart: NAME.xml links of autostart domains */
    char *stateDir;                /* <rundir>/qemu: live state files, monitor sockets */
    char *logDir;                  /* <logdir>/qemu: one log per domain */
    char *defaultEmulator;         /* from the config file, or NULL */
    bool kvm;                      /* /dev/kvm is usable */
    unsigned int monitorReplyTimeoutMs;  /* 0: QEMU_MONITOR_REPLY_TIMEOUT_MS */
    gint lastDomainId;             /* ids of running domains count up from 1 */
    virDomainObjList *domains;
    virEventThread *eventThread;   /* runs every domain's monitor I/O */
    virWorkQueue *workers;         /* runs qemuProcessEventHandler */
    virDomainEventBroker *events;  /* API clients' event subscriptions */
};

/* How long QEMU gets to exit after SIGTERM before SIGKILL. QEMU ends in
 * milliseconds when idle; a guest with outstanding I/O may take a moment. */
#define QEMU_PROCESS_STOP_GRACE_MS (10 * 1000)
