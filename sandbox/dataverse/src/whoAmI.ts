/** WhoAmI (function): the calling user, their business unit and the organization. */
import { errors } from './protocol/errors';
import { json } from './web/response';
import type { UnboundOperation } from './web/router';

export const whoAmI: UnboundOperation = (h) => {
  if (h.request.method !== 'GET') throw errors.methodNotAllowed(h.request.method, 'WhoAmI');
  return json(200, {
    '@odata.context': `${h.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: h.op.caller.businessUnitId,
    UserId: h.op.caller.userId,
    OrganizationId: h.organizationId,
  });
};
