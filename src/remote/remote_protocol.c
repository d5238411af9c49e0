/* remote_protocol.c: XDR filters of the REMOTE and QEMU procedures qvirtd serves. */
#include <config.h>

#include "remote_protocol.h"


bool_t
remoteXDRInt(XDR *xdrs, remoteInt *p)
{
    return xdr_int(xdrs, &p->value);
}


bool_t
remoteXDRUHyper(XDR *xdrs, remoteUHyper *p)
{
    return xdr_uint64_t(xdrs, &p->value);
}


bool_t
remoteXDRNonNullStringMsg(XDR *xdrs, remoteNonNullString *p)
{
    return virNetXDRNonNullString(xdrs, &p->str);
}


bool_t
remoteXDRConnectOpenArgs(XDR *xdrs, remoteConnectOpenArgs *p)
{
    return virNetXDRString(xdrs, &p->name) &&
           xdr_u_int(xdrs, &p->flags);
}


bool_t
remoteXDRAuthListRet(XDR *xdrs, remoteAuthListRet *p)
{
    return xdr_array(xdrs, (char **)&p->types_val, &p->types_len,
                     REMOTE_AUTH_TYPE_LIST_MAX, sizeof(int), (xdrproc_t)xdr_int);
}


bool_t
remoteXDRStringFlagsArgs(XDR *xdrs, remoteStringFlagsArgs *p)
{
    return virNetXDRNonNullString(xdrs, &p->xml) &&
           xdr_u_int(xdrs, &p->flags);
}


bool_t
remoteXDRDomainMsg(XDR *xdrs, remoteDomainMsg *p)
{
    return virNetXDRNonNullDomain(xdrs, &p->dom);
}


bool_t
remoteXDRDomainFlagsArgs(XDR *xdrs, remoteDomainFlagsArgs *p)
{
    return virNetXDRNonNullDomain(xdrs, &p->dom) &&
           xdr_u_int(xdrs, &p->flags);
}


bool_t
remoteXDRDomainSetAutostartArgs(XDR *xdrs, remoteDomainSetAutostartArgs *p)
{
    return virNetXDRNonNullDomain(xdrs, &p->dom) &&
           xdr_int(xdrs, &p->autostart);
}


bool_t
remoteXDRUUIDArgs(XDR *xdrs, remoteUUIDArgs *p)
{
    return virNetXDRUUID(xdrs, p->uuid);
}


bool_t
remoteXDRListAllDomainsArgs(XDR *xdrs, remoteListAllDomainsArgs *p)
{
    return xdr_int(xdrs, &p->need_results) &&
           xdr_u_int(xdrs, &p->flags);
}


bool_t
remoteXDRListAllDomainsRet(XDR *xdrs, remoteListAllDomainsRet *p)
{
    return xdr_array(xdrs, (char **)&p->domains_val, &p->domains_len,
                     REMOTE_DOMAIN_LIST_MAX, sizeof(virNetRemoteDomain),
                     (xdrproc_t)virNetXDRNonNullDomain) &&
           xdr_u_int(xdrs, &p->ret);
}


bool_t
remoteXDRDomainGetStateRet(XDR *xdrs, remoteDomainGetStateRet *p)
{
    return xdr_int(xdrs, &p->state) &&
           xdr_int(xdrs, &p->reason);
}


bool_t
remoteXDRDomainGetInfoRet(XDR *xdrs, remoteDomainGetInfoRet *p)
{
    return xdr_u_char(xdrs, &p->state) &&
           xdr_uint64_t(xdrs, &p->maxMem) &&
           xdr_uint64_t(xdrs, &p->memory) &&
           xdr_u_short(xdrs, &p->nrVirtCpu) &&
           xdr_uint64_t(xdrs, &p->cpuTime);
}


bool_t
remoteXDRNodeGetSecurityModelRet(XDR *xdrs, remoteNodeGetSecurityModelRet *p)
{
    return xdr_array(xdrs, &p->model_val, &p->model_len, REMOTE_SECURITY_MODEL_MAX,
                     sizeof(char), (xdrproc_t)xdr_char) &&
           xdr_array(xdrs, &p->doi_val, &p->doi_len, REMOTE_SECURITY_DOI_MAX,
                     sizeof(char), (xdrproc_t)xdr_char);
}


bool_t
remoteXDRDomainGetSecurityLabelRet(XDR *xdrs, remoteDomainGetSecurityLabelRet *p)
{
    return xdr_array(xdrs, &p->label_val, &p->label_len, REMOTE_SECURITY_LABEL_MAX,
                     sizeof(char), (xdrproc_t)xdr_char) &&
           xdr_int(xdrs, &p->enforcing);
}


bool_t
remoteXDRDomainGetMessagesRet(XDR *xdrs, remoteDomainGetMessagesRet *p)
{
    return xdr_array(xdrs, (char **)&p->msgs_val, &p->msgs_len,
                     REMOTE_DOMAIN_MESSAGES_MAX, sizeof(char *),
                     (xdrproc_t)virNetXDRNonNullString);
}


bool_t
remoteXDRQemuDomainMonitorCommandArgs(XDR *xdrs, qemuDomainMonitorCommandArgs *p)
{
    return virNetXDRNonNullDomain(xdrs, &p->dom) &&
           virNetXDRNonNullString(xdrs, &p->cmd) &&
           xdr_u_int(xdrs, &p->flags);
}


bool_t
remoteXDRDomainEventCallbackRegisterAnyArgs(XDR *xdrs,
                                            remoteDomainEventCallbackRegisterAnyArgs *p)
{
    return xdr_int(xdrs, &p->eventID) &&
           virNetXDRDomain(xdrs, &p->dom);
}


bool_t
remoteXDRDomainEventCallbackLifecycleMsg(XDR *xdrs, remoteDomainEventCallbackLifecycleMsg *p)
{
    return xdr_int(xdrs, &p->callbackID) &&
           virNetXDRNonNullDomain(xdrs, &p->dom) &&
           xdr_int(xdrs, &p->event) &&
           xdr_int(xdrs, &p->detail);
}


bool_t
remoteXDRDomainEventCallbackRebootMsg(XDR *xdrs, remoteDomainEventCallbackRebootMsg *p)
{
    return xdr_int(xdrs, &p->callbackID) &&
           virNetXDRNonNullDomain(xdrs, &p->dom);
}


bool_t
remoteXDRQemuDomainMonitorEventRegisterArgs(XDR *xdrs, qemuDomainMonitorEventRegisterArgs *p)
{
    return virNetXDRDomain(xdrs, &p->dom) &&
           virNetXDRString(xdrs, &p->event) &&
           xdr_u_int(xdrs, &p->flags);
}


bool_t
remoteXDRQemuDomainMonitorEventMsg(XDR *xdrs, qemuDomainMonitorEventMsg *p)
{
    return xdr_int(xdrs, &p->callbackID) &&
           virNetXDRNonNullDomain(xdrs, &p->dom) &&
           virNetXDRNonNullString(xdrs, &p->event) &&
           xdr_int64_t(xdrs, &p->seconds) &&
           xdr_u_int(xdrs, &p->micros) &&
           virNetXDRString(xdrs, &p->details);
}
