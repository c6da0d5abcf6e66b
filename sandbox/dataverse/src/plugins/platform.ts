/**
 * Platform behaviour the Web API shows on every environment: computed full names, and the checks Dataverse makes
 * when an admin registers a webhook (service endpoint contract, URL and authentication; step message/filter
 * consistency).
 */
import { ServiceEndpointAuthType, ServiceEndpointContract, StepMode, StepStage, type TableDef } from '@pfb/domain';
import { DataverseError, errors } from '../protocol/errors';
import type { OrganizationService, Plugin } from '../pipeline/organizationService';
import type { Attributes } from '../store/types';

const WEBHOOK_AUTH_TYPES: readonly number[] = [ServiceEndpointAuthType.WebhookKey, ServiceEndpointAuthType.HttpHeader, ServiceEndpointAuthType.HttpQueryString];

function fullName(row: Attributes): string | null {
  const name = [row['firstname'], row['lastname']].filter((s) => typeof s === 'string' && s.length > 0).join(' ');
  return name || null;
}

function checkServiceEndpoint(row: Attributes): void {
  if (row['contract'] !== ServiceEndpointContract.Webhook) return;
  const url = row['url'];
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/i.test(url)) {
    throw errors.invalidArgument(`A webhook service endpoint needs an absolute http(s) URL in 'url'; got '${String(url ?? '')}'.`);
  }
  if (!WEBHOOK_AUTH_TYPES.includes(row['authtype'] as number)) {
    throw errors.invalidArgument('A webhook service endpoint authenticates with WebhookKey (4), HttpHeader (5) or HttpQueryString (6).');
  }
}

function checkStep(svc: OrganizationService, row: Attributes): void {
  const filter = row['sdkmessagefilterid'];
  const message = row['sdkmessageid'];
  if (filter && typeof filter === 'object' && message && typeof message === 'object') {
    const f = svc.store.get('sdkmessagefilter', filter.id);
    const fm = f?.['sdkmessageid'];
    if (!f || !fm || typeof fm !== 'object' || fm.id !== message.id) {
      throw errors.invalidArgument('The step\'s sdkmessagefilterid does not belong to its sdkmessageid: pick the filter of that message for the table.');
    }
  }
  const stage = row['stage'];
  if (stage !== StepStage.PreValidation && stage !== StepStage.PreOperation && stage !== StepStage.PostOperation) {
    throw errors.invalidArgument('A step runs in stage 10 (PreValidation), 20 (PreOperation) or 40 (PostOperation).');
  }
  if (row['mode'] === StepMode.Asynchronous && stage !== StepStage.PostOperation) {
    throw errors.invalidArgument('Asynchronous steps can only be registered in the PostOperation stage (40).');
  }
  const handler = row['eventhandler'];
  const endpoint = handler && typeof handler === 'object' ? svc.store.get('serviceendpoint', handler.id) : undefined;
  if (endpoint && row['mode'] === StepMode.Synchronous) {
    // Documented difference: the local Dataverse posts webhooks after commit only (asynchronous steps).
    throw new DataverseError(
      400,
      '0x80040203',
      'The local Dataverse runs webhook steps asynchronously only (mode 1, stage 40); synchronous webhook steps are not supported here.',
    );
  }
}

export const platformPlugin: Plugin = {
  preCreate(svc, _ctx, t: TableDef, a) {
    if ((t.logicalName === 'contact' || t.logicalName === 'systemuser') && t.columns['fullname'] && a['fullname'] === undefined) {
      a['fullname'] = fullName(a);
    }
    if (t.logicalName === 'serviceendpoint') checkServiceEndpoint(a);
    if (t.logicalName === 'sdkmessageprocessingstep') checkStep(svc, a);
  },
  preUpdate(svc, _ctx, t, changes, before) {
    if ((t.logicalName === 'contact' || t.logicalName === 'systemuser') && ('firstname' in changes || 'lastname' in changes)) {
      changes['fullname'] = fullName({ ...before, ...changes });
    }
    if (t.logicalName === 'serviceendpoint') checkServiceEndpoint({ ...before, ...changes });
    if (t.logicalName === 'sdkmessageprocessingstep') checkStep(svc, { ...before, ...changes });
  },
};
