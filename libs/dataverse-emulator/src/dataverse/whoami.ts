import type { Org } from './org';
import type { DvRequest, DvResult } from './request';

/** GET WhoAmI → WhoAmIResponse {BusinessUnitId, UserId, OrganizationId}. */
export function whoAmI(org: Org, req: DvRequest): DvResult {
  org.privileges.checkWhoAmI(req.caller);
  return {
    response: {
      status: 200,
      headers: {},
      body: {
        '@odata.context': `${org.apiBase(req.version)}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: org.ids.businessUnitId,
        UserId: req.caller.systemUserId,
        OrganizationId: org.ids.organizationId,
      },
    },
    work: { kind: 'whoami' },
    endpoint: 'GET /WhoAmI',
  };
}
