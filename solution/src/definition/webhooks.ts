/**
 * The bridge's webhook registration: two service endpoints (one per bridge function, DESIGN §1 steps 3–5 and 7–9)
 * and their asynchronous post-operation steps, exactly as the bridge's functions expect them:
 * - task sync: pfb_tasksync Create, and Update filtered on pfb_syncstatus (functions-bridge taskSyncWebhook);
 * - bookings: bookableresourcebooking Create and Update (filtered on start, end, resource and booking status) with a
 *   post image carrying versionnumber, and Delete with a pre-image carrying what the mobility app needs to cancel
 *   (functions-bridge bookingWebhook; BOOKING_DISPATCH_FILTERING_ATTRIBUTES in dispatchBooking.ts).
 *
 * Webhook steps: contract 8, authentication WebhookKey (Dataverse appends `?code=<key>`), asynchronous steps only
 * run post-operation ("Register a webhook"; dataverse-facts §4). The endpoint URL in the package is a placeholder in
 * the reserved `.invalid` domain (RFC 2606) that can never resolve: the setup command points it at the
 * environment's bridge and sets the key, which a solution must never carry.
 */
import {
  ServiceEndpointAuthType,
  ServiceEndpointContract,
  ServiceEndpointMessageFormat,
  StepDeployment,
  StepImageType,
  StepMode,
  StepStage,
  bookableresourcebooking,
  pfb_tasksync,
  type TableDef,
} from '@pfb/domain';
import { SDK_MESSAGE_IDS_DOCUMENTED } from '../schema/sdkMessages';
import { componentId } from './ids';

/** The origin the package's endpoints point at until `npm run setup -- --bridge-url …` sets the real one. */
export const PLACEHOLDER_BRIDGE_ORIGIN = 'https://bridge-not-configured.invalid';

export interface ServiceEndpointDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Path on the bridge: Azure Functions' `api/` prefix and the function's route. */
  readonly path: string;
  readonly contract: number;
  readonly authType: number;
  readonly messageFormat: number;
}

export type StepMessage = 'Create' | 'Update' | 'Delete';

export interface StepImageDefinition {
  readonly id: string;
  readonly type: number;
  readonly alias: string;
  readonly attributes: readonly string[];
  /** Target for Create and Update, Id for Delete (sdkmessageprocessingstepimage.messagepropertyname). */
  readonly messagePropertyName: 'Target' | 'Id';
}

export interface StepDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly message: StepMessage;
  readonly messageId: string;
  readonly table: TableDef;
  readonly endpoint: ServiceEndpointDefinition;
  readonly filteringAttributes: readonly string[];
  readonly images: readonly StepImageDefinition[];
  readonly stage: number;
  readonly mode: number;
  readonly rank: number;
  readonly supportedDeployment: number;
  /** Delete the system job when the post succeeds: failures stay visible, successes leave nothing behind. */
  readonly asyncAutoDelete: boolean;
}

function endpoint(name: string, route: string, description: string): ServiceEndpointDefinition {
  return {
    id: componentId('serviceendpoint', route),
    name,
    description,
    path: `/api/${route}`,
    contract: ServiceEndpointContract.Webhook,
    authType: ServiceEndpointAuthType.WebhookKey,
    messageFormat: ServiceEndpointMessageFormat.Json,
  };
}

export const TASK_SYNC_ENDPOINT = endpoint(
  'Project Field Bridge: task sync',
  'dataverse/task-sync',
  'Posts pfb_tasksync changes to the bridge, which turns Ready to Sync tasks into work orders.',
);
export const BOOKINGS_ENDPOINT = endpoint(
  'Project Field Bridge: bookings',
  'dataverse/bookings',
  'Posts booking changes to the bridge, which dispatches them to the mobility app.',
);
export const SERVICE_ENDPOINTS: readonly ServiceEndpointDefinition[] = [TASK_SYNC_ENDPOINT, BOOKINGS_ENDPOINT];

function step(
  table: TableDef,
  message: StepMessage,
  target: ServiceEndpointDefinition,
  options: { filteringAttributes?: readonly string[]; image?: { type: number; alias: string; attributes: readonly string[] } } = {},
): StepDefinition {
  const key = `${target.path}:${message}:${table.logicalName}`;
  const filtering = options.filteringAttributes ?? [];
  return {
    id: componentId('sdkmessageprocessingstep', key),
    // The Plug-in Registration Tool's naming: "<handler>: <Message> of <table>".
    name: `${target.name}: ${message} of ${table.logicalName}`,
    description: `${message} of ${table.logicalName}${filtering.length ? ` (when ${filtering.join(', ')} change)` : ''} posts to ${target.path}.`,
    message,
    messageId: SDK_MESSAGE_IDS_DOCUMENTED[message],
    table,
    endpoint: target,
    filteringAttributes: filtering,
    images: options.image
      ? [
          {
            id: componentId('sdkmessageprocessingstepimage', key),
            type: options.image.type,
            alias: options.image.alias,
            attributes: options.image.attributes,
            messagePropertyName: message === 'Delete' ? 'Id' : 'Target',
          },
        ]
      : [],
    stage: StepStage.PostOperation,
    mode: StepMode.Asynchronous,
    rank: 1,
    supportedDeployment: StepDeployment.ServerOnly,
    asyncAutoDelete: true,
  };
}

const TS = pfb_tasksync.columns;
const B = bookableresourcebooking.columns;
/** The booking columns whose change the mobility app must hear about (and the bridge itself never writes). */
export const BOOKING_FILTERING_ATTRIBUTES: readonly string[] = [B.starttime, B.endtime, B.resource, B.bookingstatus].map((c) => c.logicalName);
/** The platform's row version column (declared for every table by the schema module), looked up so a rename fails here. */
const VERSION = (() => {
  const column = (bookableresourcebooking.columns as Readonly<Record<string, { logicalName: string } | undefined>>)['versionnumber'];
  if (!column) throw new Error('Schema: bookableresourcebooking has no versionnumber column');
  return column.logicalName;
})();

export const STEPS: readonly StepDefinition[] = [
  step(pfb_tasksync, 'Create', TASK_SYNC_ENDPOINT),
  step(pfb_tasksync, 'Update', TASK_SYNC_ENDPOINT, { filteringAttributes: [TS.pfb_syncstatus.logicalName] }),
  step(bookableresourcebooking, 'Create', BOOKINGS_ENDPOINT, { image: { type: StepImageType.PostImage, alias: 'PostImage', attributes: [VERSION] } }),
  step(bookableresourcebooking, 'Update', BOOKINGS_ENDPOINT, {
    filteringAttributes: BOOKING_FILTERING_ATTRIBUTES,
    image: { type: StepImageType.PostImage, alias: 'PostImage', attributes: [VERSION] },
  }),
  step(bookableresourcebooking, 'Delete', BOOKINGS_ENDPOINT, {
    image: { type: StepImageType.PreImage, alias: 'PreImage', attributes: [B.pfb_mobilityref, B.msdyn_workorder, B.name].map((c) => c.logicalName) },
  }),
];

/** The URL an endpoint posts to for a bridge origin (`https://pfb-bridge.azurewebsites.net`). */
export function endpointUrl(bridgeOrigin: string, e: ServiceEndpointDefinition): string {
  return `${bridgeOrigin.replace(/\/+$/, '')}${e.path}`;
}
