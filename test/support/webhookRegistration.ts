/**
 * Registering webhooks through the Web API, as an admin (or the Plug-in Registration Tool) does it: a
 * `serviceendpoint` (contract Webhook), then per message an asynchronous post-operation `sdkmessageprocessingstep`
 * bound to the `sdkmessage` and the table's `sdkmessagefilter`, with an optional entity image.
 */
import {
  ServiceEndpointAuthType,
  ServiceEndpointContract,
  StepDeployment,
  StepImageType,
  StepMode,
  StepStage,
  sdkmessage,
  sdkmessagefilter,
  sdkmessageprocessingstep,
  sdkmessageprocessingstepimage,
  serviceendpoint,
} from '@pfb/domain';
import type { Client, HttpResult } from './sandbox';

/** The id from a 204's OData-EntityId. */
export function idFrom(res: HttpResult): string {
  const m = /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '');
  if (!m) throw new Error(`No OData-EntityId in a ${res.status} response: ${res.text}`);
  return m[1] as string;
}

async function created(res: Promise<HttpResult>, what: string): Promise<string> {
  const r = await res;
  if (r.status !== 204) throw new Error(`${what}: HTTP ${r.status} ${r.text}`);
  return idFrom(r);
}

export interface EndpointSpec {
  readonly name: string;
  readonly url: string;
  /** WebhookKey (default: Dataverse POSTs to `<url>?code=<authvalue>`), HttpHeader or HttpQueryString. */
  readonly authtype?: number;
  readonly authvalue: string;
}

export function createWebhookEndpoint(api: Client, spec: EndpointSpec): Promise<string> {
  return created(
    api.post(serviceendpoint.entitySetName, {
      name: spec.name,
      contract: ServiceEndpointContract.Webhook,
      url: spec.url,
      authtype: spec.authtype ?? ServiceEndpointAuthType.WebhookKey,
      authvalue: spec.authvalue,
    }),
    `serviceendpoint ${spec.name}`,
  );
}

/** The message and its filter for a table (exactly one of each, as on a real environment). */
export async function messageAndFilter(api: Client, message: string, table: string): Promise<{ messageId: string; filterId: string }> {
  const messages = (await api.get(`${sdkmessage.entitySetName}?$select=sdkmessageid&$filter=name eq '${message}'`)).json<{ value: { sdkmessageid: string }[] }>().value;
  if (messages.length !== 1) throw new Error(`expected one sdkmessage ${message}, found ${messages.length}`);
  const messageId = (messages[0] as { sdkmessageid: string }).sdkmessageid;
  const filters = (
    await api.get(`${sdkmessagefilter.entitySetName}?$select=sdkmessagefilterid&$filter=_sdkmessageid_value eq ${messageId} and primaryobjecttypecode eq '${table}'`)
  ).json<{ value: { sdkmessagefilterid: string }[] }>().value;
  if (filters.length !== 1) throw new Error(`expected one sdkmessagefilter for ${message} of ${table}, found ${filters.length}`);
  return { messageId, filterId: (filters[0] as { sdkmessagefilterid: string }).sdkmessagefilterid };
}

export interface StepSpec {
  readonly message: 'Create' | 'Update' | 'Delete';
  readonly table: string;
  readonly endpointId: string;
  readonly name?: string;
  /** Asynchronous unless said otherwise (the local Dataverse refuses synchronous webhook steps). */
  readonly mode?: number;
  readonly filteringattributes?: string;
  readonly asyncautodelete?: boolean;
  readonly image?: { readonly type: 'PreImage' | 'PostImage'; readonly attributes: string; readonly alias?: string };
}

/** The body of a post-operation step, for tests that need to send it themselves (e.g. to see it refused). */
export function stepBody(spec: StepSpec, ids: { messageId: string; filterId: string }): Record<string, unknown> {
  return {
    name: spec.name ?? `Project Field Bridge: ${spec.message} of ${spec.table}`,
    'sdkmessageid@odata.bind': `/${sdkmessage.entitySetName}(${ids.messageId})`,
    'sdkmessagefilterid@odata.bind': `/${sdkmessagefilter.entitySetName}(${ids.filterId})`,
    'eventhandler_serviceendpoint@odata.bind': `/${serviceendpoint.entitySetName}(${spec.endpointId})`,
    stage: StepStage.PostOperation,
    mode: spec.mode ?? StepMode.Asynchronous,
    rank: 1,
    supporteddeployment: StepDeployment.ServerOnly,
    filteringattributes: spec.filteringattributes ?? null,
    asyncautodelete: spec.asyncautodelete ?? false,
  };
}

/** Registers the step (and its image when given); returns the step id. */
export async function registerStep(api: Client, spec: StepSpec): Promise<string> {
  const ids = await messageAndFilter(api, spec.message, spec.table);
  const stepId = await created(api.post(sdkmessageprocessingstep.entitySetName, stepBody(spec, ids)), `step ${spec.message} of ${spec.table}`);
  if (spec.image) {
    await created(
      api.post(sdkmessageprocessingstepimage.entitySetName, {
        name: spec.image.alias ?? spec.image.type,
        entityalias: spec.image.alias ?? spec.image.type,
        imagetype: StepImageType[spec.image.type],
        messagepropertyname: spec.message === 'Create' ? 'Id' : 'Target',
        attributes: spec.image.attributes,
        'sdkmessageprocessingstepid@odata.bind': `/${sdkmessageprocessingstep.entitySetName}(${stepId})`,
      }),
      `image of ${spec.message} of ${spec.table}`,
    );
  }
  return stepId;
}
