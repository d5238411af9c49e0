/* remote_protocol.h: the arguments and replies of the REMOTE and QEMU procedures qvirtd serves, in XDR. */
#pragma once

#include "internal.h"
#include "virnetmessage.h"

/*
 * Hand-written equivalents of the rpcgen output of libvirt's remote_protocol.x and
 * qemu_protocol.x, for the procedures we serve only. Field order and XDR types match
 * libvirt's, so the wire layout is libvirt's. Every filter works for XDR_ENCODE,
 * XDR_DECODE and XDR_FREE; what it allocates is released by xdr_free() (malloc/free).
 */

/* Procedure numbers of the REMOTE program (remote_protocol.x). */
typedef enum {
    REMOTE_PROC_CONNECT_OPEN = 1,
    REMOTE_PROC_CONNECT_CLOSE = 2,
    REMOTE_PROC_CONNECT_GET_TYPE = 3,
    REMOTE_PROC_CONNECT_GET_VERSION = 4,
    REMOTE_PROC_DOMAIN_CREATE = 9,
    REMOTE_PROC_DOMAIN_CREATE_XML = 10,
    REMOTE_PROC_DOMAIN_DEFINE_XML = 11,
    REMOTE_PROC_DOMAIN_DESTROY = 12,
    REMOTE_PROC_DOMAIN_GET_XML_DESC = 14,
    REMOTE_PROC_DOMAIN_GET_AUTOSTART = 15,
    REMOTE_PROC_DOMAIN_GET_INFO = 16,
    REMOTE_PROC_DOMAIN_GET_OS_TYPE = 19,
    REMOTE_PROC_DOMAIN_LOOKUP_BY_ID = 22,
    REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME = 23,
    REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID = 24,
    REMOTE_PROC_DOMAIN_REBOOT = 27,
    REMOTE_PROC_DOMAIN_RESUME = 28,
    REMOTE_PROC_DOMAIN_SET_AUTOSTART = 29,
    REMOTE_PROC_DOMAIN_SHUTDOWN = 33,
    REMOTE_PROC_DOMAIN_SUSPEND = 34,
    REMOTE_PROC_DOMAIN_UNDEFINE = 35,
    REMOTE_PROC_CONNECT_GET_HOSTNAME = 59,
    REMOTE_PROC_CONNECT_SUPPORTS_FEATURE = 60,
    REMOTE_PROC_AUTH_LIST = 66,
    REMOTE_PROC_CONNECT_GET_URI = 110,
    REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL = 121,
    REMOTE_PROC_NODE_GET_SECURITY_MODEL = 122,
    REMOTE_PROC_DOMAIN_IS_ACTIVE = 150,
    REMOTE_PROC_DOMAIN_IS_PERSISTENT = 151,
    REMOTE_PROC_CONNECT_GET_LIB_VERSION = 157,
    REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE = 183,
    REMOTE_PROC_DOMAIN_SNAPSHOT_NUM = 187,
    REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS = 196,
    REMOTE_PROC_DOMAIN_GET_STATE = 212,
    REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS = 231,
    REMOTE_PROC_DOMAIN_DESTROY_FLAGS = 234,
    REMOTE_PROC_DOMAIN_RESET = 245,
    REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS = 273,
    REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY = 316,
    REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY = 317,
    REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE = 318,
    REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT = 319,
    REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS = 350,
    REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK = 360,
    REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK = 361,
    REMOTE_PROC_DOMAIN_GET_MESSAGES = 426,
} remoteProcedure;

/* Procedure numbers of the QEMU program (qemu_protocol.x). */
typedef enum {
    QEMU_PROC_DOMAIN_MONITOR_COMMAND = 1,
    QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_REGISTER = 4,
    QEMU_PROC_CONNECT_DOMAIN_MONITOR_EVENT_DEREGISTER = 5,
    QEMU_PROC_DOMAIN_MONITOR_EVENT = 6,
} qemuProcedure;

/* Bounds of libvirt's protocol (REMOTE_AUTH_TYPE_LIST_MAX and so on). */
#define REMOTE_AUTH_TYPE_LIST_MAX 20
#define REMOTE_DOMAIN_LIST_MAX 16384
#define REMOTE_SECURITY_MODEL_MAX 257
#define REMOTE_SECURITY_DOI_MAX 257
#define REMOTE_SECURITY_LABEL_MAX 4097
#define REMOTE_DOMAIN_MESSAGES_MAX 2048

/* One int: feature numbers, ids, booleans (supported, active, persistent...). */
typedef struct { int value; } remoteInt;
bool_t remoteXDRInt(XDR *xdrs, remoteInt *p);

/* One unsigned hyper: versions. */
typedef struct { uint64_t value; } remoteUHyper;
bool_t remoteXDRUHyper(XDR *xdrs, remoteUHyper *p);

/* One remote_nonnull_string: type, hostname, URI, names, XML, OS type, results. */
typedef struct { char *str; } remoteNonNullString;
bool_t remoteXDRNonNullStringMsg(XDR *xdrs, remoteNonNullString *p);

/* remote_connect_open_args {remote_string name; unsigned int flags}. */
typedef struct { char *name; unsigned int flags; } remoteConnectOpenArgs;
bool_t remoteXDRConnectOpenArgs(XDR *xdrs, remoteConnectOpenArgs *p);

/* remote_auth_list_ret {remote_auth_type types<REMOTE_AUTH_TYPE_LIST_MAX>}. */
typedef struct { u_int types_len; int *types_val; } remoteAuthListRet;
bool_t remoteXDRAuthListRet(XDR *xdrs, remoteAuthListRet *p);

/* remote_domain_create_xml_args and remote_domain_define_xml_flags_args
 * {remote_nonnull_string xml; unsigned int flags}. */
typedef struct { char *xml; unsigned int flags; } remoteStringFlagsArgs;
bool_t remoteXDRStringFlagsArgs(XDR *xdrs, remoteStringFlagsArgs *p);

/* {remote_nonnull_domain dom}: the args of most domain calls and lookup replies. */
typedef struct { virNetRemoteDomain dom; } remoteDomainMsg;
bool_t remoteXDRDomainMsg(XDR *xdrs, remoteDomainMsg *p);

/* {remote_nonnull_domain dom; unsigned int flags}. */
typedef struct { virNetRemoteDomain dom; unsigned int flags; } remoteDomainFlagsArgs;
bool_t remoteXDRDomainFlagsArgs(XDR *xdrs, remoteDomainFlagsArgs *p);

/* remote_domain_set_autostart_args {remote_nonnull_domain dom; int autostart}. */
typedef struct { virNetRemoteDomain dom; int autostart; } remoteDomainSetAutostartArgs;
bool_t remoteXDRDomainSetAutostartArgs(XDR *xdrs, remoteDomainSetAutostartArgs *p);

/* remote_domain_lookup_by_uuid_args {remote_uuid uuid}. */
typedef struct { unsigned char uuid[VIR_NET_UUID_BUFLEN]; } remoteUUIDArgs;
bool_t remoteXDRUUIDArgs(XDR *xdrs, remoteUUIDArgs *p);

/* remote_connect_list_all_domains_args {int need_results; unsigned int flags}. */
typedef struct { int need_results; unsigned int flags; } remoteListAllDomainsArgs;
bool_t remoteXDRListAllDomainsArgs(XDR *xdrs, remoteListAllDomainsArgs *p);

/* remote_connect_list_all_domains_ret {remote_nonnull_domain domains<>; unsigned int ret}. */
typedef struct {
    u_int domains_len;
    virNetRemoteDomain *domains_val;
    unsigned int ret;
} remoteListAllDomainsRet;
bool_t remoteXDRListAllDomainsRet(XDR *xdrs, remoteListAllDomainsRet *p);

/* remote_domain_get_state_ret {int state; int reason}. */
typedef struct { int state; int reason; } remoteDomainGetStateRet;
bool_t remoteXDRDomainGetStateRet(XDR *xdrs, remoteDomainGetStateRet *p);

/* remote_domain_get_info_ret. */
typedef struct {
    u_char state;
    uint64_t maxMem;
    uint64_t memory;
    u_short nrVirtCpu;
    uint64_t cpuTime;
} remoteDomainGetInfoRet;
bool_t remoteXDRDomainGetInfoRet(XDR *xdrs, remoteDomainGetInfoRet *p);

/* remote_node_get_security_model_ret {char model<>; char doi<>} (each char a word). */
typedef struct {
    u_int model_len;
    char *model_val;
    u_int doi_len;
    char *doi_val;
} remoteNodeGetSecurityModelRet;
bool_t remoteXDRNodeGetSecurityModelRet(XDR *xdrs, remoteNodeGetSecurityModelRet *p);

/* remote_domain_get_security_label_ret {char label<>; int enforcing}. */
typedef struct {
    u_int label_len;
    char *label_val;
    int enforcing;
} remoteDomainGetSecurityLabelRet;
bool_t remoteXDRDomainGetSecurityLabelRet(XDR *xdrs, remoteDomainGetSecurityLabelRet *p);

/* remote_domain_get_messages_ret {remote_nonnull_string msgs<>}. */
typedef struct { u_int msgs_len; char **msgs_val; } remoteDomainGetMessagesRet;
bool_t remoteXDRDomainGetMessagesRet(XDR *xdrs, remoteDomainGetMessagesRet *p);

/* qemu_domain_monitor_command_args {remote_nonnull_domain dom;
 * remote_nonnull_string cmd; unsigned int flags}. */
typedef struct {
    virNetRemoteDomain dom;
    char *cmd;
    unsigned int flags;
} qemuDomainMonitorCommandArgs;
bool_t remoteXDRQemuDomainMonitorCommandArgs(XDR *xdrs, qemuDomainMonitorCommandArgs *p);

/* remote_connect_domain_event_callback_register_any_args {int eventID;
 * remote_domain dom}. */
typedef struct {
    int eventID;
    virNetRemoteDomain *dom;
} remoteDomainEventCallbackRegisterAnyArgs;
bool_t remoteXDRDomainEventCallbackRegisterAnyArgs(XDR *xdrs,
                                                   remoteDomainEventCallbackRegisterAnyArgs *p);

/* remote_domain_event_callback_lifecycle_msg {int callbackID;
 * remote_domain_event_lifecycle_msg {remote_nonnull_domain dom; int event; int detail}}. */
typedef struct {
    int callbackID;
    virNetRemoteDomain dom;
    int event;
    int detail;
} remoteDomainEventCallbackLifecycleMsg;
bool_t remoteXDRDomainEventCallbackLifecycleMsg(XDR *xdrs,
                                                remoteDomainEventCallbackLifecycleMsg *p);

/* remote_domain_event_callback_reboot_msg {int callbackID;
 * remote_domain_event_reboot_msg {remote_nonnull_domain dom}}. */
typedef struct {
    int callbackID;
    virNetRemoteDomain dom;
} remoteDomainEventCallbackRebootMsg;
bool_t remoteXDRDomainEventCallbackRebootMsg(XDR *xdrs, remoteDomainEventCallbackRebootMsg *p);

/* qemu_connect_domain_monitor_event_register_args {remote_domain dom;
 * remote_string event; unsigned int flags}. */
typedef struct {
    virNetRemoteDomain *dom;
    char *event;
    unsigned int flags;
} qemuDomainMonitorEventRegisterArgs;
bool_t remoteXDRQemuDomainMonitorEventRegisterArgs(XDR *xdrs,
                                                   qemuDomainMonitorEventRegisterArgs *p);

/* qemu_domain_monitor_event_msg {int callbackID; remote_nonnull_domain dom;
 * remote_nonnull_string event; hyper seconds; unsigned int micros; remote_string details}. */
typedef struct {
    int callbackID;
    virNetRemoteDomain dom;
    char *event;
    int64_t seconds;
    unsigned int micros;
    char *details;
} qemuDomainMonitorEventMsg;
bool_t remoteXDRQemuDomainMonitorEventMsg(XDR *xdrs, qemuDomainMonitorEventMsg *p);
