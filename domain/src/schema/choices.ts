/**
 * Choice (option set) values. Our own start at 724,310,000 (publisher `pfb`, option value prefix 72431) and are
 * listed in DESIGN §3 order. Field Service and platform values are Microsoft's and must never be renumbered.
 */
import { optionSet, sequentialOptions } from './build';
import type { OptionSetDef } from './types';

function values<const K extends readonly string[]>(set: OptionSetDef, keys: K): { readonly [P in K[number]]: number } {
  const out: Record<string, number> = {};
  keys.forEach((k, i) => {
    const option = set.options[i];
    if (!option) throw new Error(`Choice ${set.name} has no option for ${k}`);
    out[k] = option.value;
  });
  return out as { readonly [P in K[number]]: number };
}

// ---- ours ---------------------------------------------------------------------------------------------------

export const syncStatusOptionSet = optionSet(
  'pfb_syncstatus',
  sequentialOptions(['Ready to Sync', 'Syncing', 'Synced', 'Failed', 'Out of Date', 'Cancelled']),
  true,
);
export const SyncStatus = values(syncStatusOptionSet, ['ReadyToSync', 'Syncing', 'Synced', 'Failed', 'OutOfDate', 'Cancelled'] as const);

export const scenarioOptionSet = optionSet(
  'pfb_scenario',
  sequentialOptions([
    'Single day – single resource',
    'Single day – multiple resources',
    'Multiple days – single resource',
    'Multiple days – multiple resources',
  ]),
  true,
);
export const Scenario = values(scenarioOptionSet, [
  'SingleDaySingleResource',
  'SingleDayMultipleResources',
  'MultipleDaysSingleResource',
  'MultipleDaysMultipleResources',
] as const);

export const fieldStatusOptionSet = optionSet(
  'pfb_fieldstatus',
  sequentialOptions(['Not Started', 'In Progress', 'Completed', 'Incomplete']),
  true,
);
export const FieldStatus = values(fieldStatusOptionSet, ['NotStarted', 'InProgress', 'Completed', 'Incomplete'] as const);

export const fieldStageOptionSet = optionSet(
  'pfb_fieldstage',
  sequentialOptions(['Acknowledged', 'Travel', 'Onsite', 'In Progress', 'Complete', 'Incomplete']),
  true,
);
export const FieldStage = values(fieldStageOptionSet, ['Acknowledged', 'Travel', 'Onsite', 'InProgress', 'Complete', 'Incomplete'] as const);

export const eventOutcomeOptionSet = optionSet(
  'pfb_eventoutcome',
  sequentialOptions(['Applied', 'Duplicate', 'Stale', 'Rejected']),
  true,
);
export const EventOutcome = values(eventOutcomeOptionSet, ['Applied', 'Duplicate', 'Stale', 'Rejected'] as const);

export const dispatchStatusOptionSet = optionSet('pfb_dispatchstatus', sequentialOptions(['Pending', 'Sent', 'Failed']), true);
export const DispatchStatus = values(dispatchStatusOptionSet, ['Pending', 'Sent', 'Failed'] as const);

// ---- Field Service / Universal Resource Scheduling -------------------------------------------------------------

/**
 * bookingstatus.msdyn_fieldservicestatus (global choice msdyn_bookingsystemstatus). Numerically On Break
 * (690970002) comes before In Progress (690970003), unlike the UI order. Field Service docs,
 * "bookingstatus table reference".
 */
export const bookingSystemStatusOptionSet = optionSet(
  'msdyn_bookingsystemstatus',
  [
    { value: 690970000, label: 'Scheduled' },
    { value: 690970001, label: 'Traveling' },
    { value: 690970002, label: 'On Break' },
    { value: 690970003, label: 'In Progress' },
    { value: 690970004, label: 'Completed' },
    { value: 690970005, label: 'Canceled' },
  ],
  true,
);
export const BookingSystemStatus = values(bookingSystemStatusOptionSet, [
  'Scheduled',
  'Traveling',
  'OnBreak',
  'InProgress',
  'Completed',
  'Canceled',
] as const);

/** msdyn_workorder.msdyn_systemstatus (global choice msdyn_wosystemstatus). "Work order status and booking status". */
export const workOrderSystemStatusOptionSet = optionSet(
  'msdyn_wosystemstatus',
  [
    { value: 690970000, label: 'Unscheduled' },
    { value: 690970001, label: 'Scheduled' },
    { value: 690970002, label: 'In Progress' },
    { value: 690970003, label: 'Completed' },
    { value: 690970004, label: 'Posted' },
    { value: 690970005, label: 'Canceled' },
  ],
  true,
);
export const WorkOrderSystemStatus = values(workOrderSystemStatusOptionSet, [
  'Unscheduled',
  'Scheduled',
  'InProgress',
  'Completed',
  'Posted',
  'Canceled',
] as const);

/** bookingstatus.status (CDM BookingStatus): 1 Proposed, 2 Committed, 3 Canceled. */
export const bookingStatusStatusOptionSet = optionSet('bookingstatus_status', [
  { value: 1, label: 'Proposed' },
  { value: 2, label: 'Committed' },
  { value: 3, label: 'Canceled' },
]);
export const BookingStatusStatus = values(bookingStatusStatusOptionSet, ['Proposed', 'Committed', 'Canceled'] as const);

/** bookableresourcebooking.bookingtype: 1 Solid, 2 Liquid (CDM BookableResourceBooking). */
export const bookingTypeOptionSet = optionSet('bookableresourcebooking_bookingtype', [
  { value: 1, label: 'Solid' },
  { value: 2, label: 'Liquid' },
]);
export const BookingType = values(bookingTypeOptionSet, ['Solid', 'Liquid'] as const);

/** bookableresource.resourcetype. */
export const resourceTypeOptionSet = optionSet('bookableresource_resourcetype', [
  { value: 1, label: 'Generic' },
  { value: 2, label: 'Contact' },
  { value: 3, label: 'User' },
  { value: 4, label: 'Equipment' },
  { value: 5, label: 'Account' },
  { value: 6, label: 'Crew' },
  { value: 7, label: 'Facility' },
  { value: 8, label: 'Pool' },
]);
export const ResourceType = values(resourceTypeOptionSet, ['Generic', 'Contact', 'User', 'Equipment', 'Account', 'Crew', 'Facility', 'Pool'] as const);

/** msdyn_workorder.msdyn_worklocation / booking msdyn_worklocation. */
export const workLocationOptionSet = optionSet(
  'msdyn_worklocation',
  [
    { value: 690970000, label: 'Onsite' },
    { value: 690970001, label: 'Facility' },
    { value: 690970002, label: 'Location Agnostic' },
  ],
  true,
);
export const WorkLocation = values(workLocationOptionSet, ['Onsite', 'Facility', 'LocationAgnostic'] as const);

// ---- Project Operations -------------------------------------------------------------------------------------

/**
 * msdyn_operationset.msdyn_status. The docs name the states (Open, Pending, Processing, Completed, Failed,
 * Abandoned) but print no option values; these follow the product's 192350000 series. [verify in $metadata]
 */
export const operationSetStatusOptionSet = optionSet('msdyn_operationsetstatus', [
  { value: 192350000, label: 'Open' },
  { value: 192350001, label: 'Pending' },
  { value: 192350002, label: 'Processing' },
  { value: 192350003, label: 'Completed' },
  { value: 192350004, label: 'Failed' },
  { value: 192350005, label: 'Abandoned' },
], true);
export const OperationSetStatus = values(operationSetStatusOptionSet, ['Open', 'Pending', 'Processing', 'Completed', 'Failed', 'Abandoned'] as const);

/** msdyn_projecttask.msdyn_LinkStatus: 192350000 not linked to billing setup, 192350001 linked (schedule API docs). */
export const linkStatusOptionSet = optionSet('msdyn_linkstatus', [
  { value: 192350000, label: 'Not Linked' },
  { value: 192350001, label: 'Linked' },
], true);
export const LinkStatus = values(linkStatusOptionSet, ['NotLinked', 'Linked'] as const);

// ---- platform: webhooks, steps, system jobs ---------------------------------------------------------------------

/** serviceendpoint.contract: 8 = Webhook ("Use webhooks"). */
export const serviceEndpointContractOptionSet = optionSet('serviceendpoint_contract', [
  { value: 1, label: 'OneWay' },
  { value: 2, label: 'Queue' },
  { value: 3, label: 'Rest' },
  { value: 4, label: 'TwoWay' },
  { value: 5, label: 'Topic' },
  { value: 6, label: 'Queue (Persistent)' },
  { value: 7, label: 'Event Hub' },
  { value: 8, label: 'Webhook' },
  { value: 9, label: 'Event Grid' },
  { value: 10, label: 'Managed Data Lake' },
  { value: 11, label: 'Container Storage' },
]);
export const ServiceEndpointContract = values(serviceEndpointContractOptionSet, [
  'OneWay', 'Queue', 'Rest', 'TwoWay', 'Topic', 'PersistentQueue', 'EventHub', 'Webhook', 'EventGrid', 'ManagedDataLake', 'ContainerStorage',
] as const);

/** serviceendpoint.authtype: 4 Webhook Key (?code=), 5 Http Header, 6 Http Query String ("Register a webhook"). */
export const serviceEndpointAuthTypeOptionSet = optionSet('serviceendpoint_authtype', [
  { value: 1, label: 'ACS' },
  { value: 2, label: 'SAS Key' },
  { value: 3, label: 'SAS Token' },
  { value: 4, label: 'Webhook Key' },
  { value: 5, label: 'Http Header' },
  { value: 6, label: 'Http Query String' },
  { value: 7, label: 'Connection String' },
  { value: 8, label: 'Access Key' },
]);
export const ServiceEndpointAuthType = values(serviceEndpointAuthTypeOptionSet, [
  'ACS', 'SASKey', 'SASToken', 'WebhookKey', 'HttpHeader', 'HttpQueryString', 'ConnectionString', 'AccessKey',
] as const);

/** sdkmessageprocessingstep.stage: 10 PreValidation, 20 PreOperation, 40 PostOperation (30 is the core operation). */
export const stepStageOptionSet = optionSet('sdkmessageprocessingstep_stage', [
  { value: 10, label: 'Pre-validation' },
  { value: 15, label: 'Pre-operation (deprecated)' },
  { value: 20, label: 'Pre-operation' },
  { value: 30, label: 'Main Operation' },
  { value: 40, label: 'Post-operation' },
  { value: 45, label: 'Post-operation (deprecated)' },
]);
export const StepStage = values(stepStageOptionSet, ['PreValidation', 'PreOperationDeprecated', 'PreOperation', 'MainOperation', 'PostOperation', 'PostOperationDeprecated'] as const);

/** sdkmessageprocessingstep.mode: 0 Synchronous, 1 Asynchronous. */
export const stepModeOptionSet = optionSet('sdkmessageprocessingstep_mode', [
  { value: 0, label: 'Synchronous' },
  { value: 1, label: 'Asynchronous' },
]);
export const StepMode = values(stepModeOptionSet, ['Synchronous', 'Asynchronous'] as const);

/** sdkmessageprocessingstep.supporteddeployment: 0 Server only. */
export const stepDeploymentOptionSet = optionSet('sdkmessageprocessingstep_supporteddeployment', [
  { value: 0, label: 'Server Only' },
  { value: 1, label: 'Microsoft Dynamics 365 Client for Outlook Only' },
  { value: 2, label: 'Both' },
]);
export const StepDeployment = values(stepDeploymentOptionSet, ['ServerOnly', 'OutlookClientOnly', 'Both'] as const);

/** asyncoperation statecode and statuscode (System Job). A failed webhook step is statuscode 31 Failed. */
export const asyncOperationStates = {
  state: [
    { value: 0, label: 'Ready' },
    { value: 1, label: 'Suspended' },
    { value: 2, label: 'Locked' },
    { value: 3, label: 'Completed' },
  ],
  status: [
    { value: 0, label: 'Waiting For Resources', state: 0 },
    { value: 10, label: 'Waiting', state: 1 },
    { value: 20, label: 'In Progress', state: 2 },
    { value: 21, label: 'Pausing', state: 2 },
    { value: 22, label: 'Canceling', state: 2 },
    { value: 30, label: 'Succeeded', state: 3 },
    { value: 31, label: 'Failed', state: 3 },
    { value: 32, label: 'Canceled', state: 3 },
  ],
} as const;
export const AsyncOperationStatus = {
  WaitingForResources: 0,
  Waiting: 10,
  InProgress: 20,
  Succeeded: 30,
  Failed: 31,
  Canceled: 32,
} as const;
export const AsyncOperationState = { Ready: 0, Suspended: 1, Locked: 2, Completed: 3 } as const;
/** asyncoperation.operationtype 54 = Execute Async Request (webhook/service endpoint steps run as system jobs). */
export const AsyncOperationType = { ExecuteAsyncRequest: 54 } as const;

// ---- platform, Field Service and Project Operations tables added with the seedable model -----------------------

/** account.customertypecode ("Relationship Type"). */
export const customerTypeOptionSet = optionSet('account_customertypecode', [
  { value: 1, label: 'Competitor' },
  { value: 2, label: 'Consultant' },
  { value: 3, label: 'Customer' },
  { value: 4, label: 'Investor' },
  { value: 5, label: 'Partner' },
  { value: 6, label: 'Influencer' },
  { value: 7, label: 'Press' },
  { value: 8, label: 'Prospect' },
  { value: 9, label: 'Reseller' },
  { value: 10, label: 'Supplier' },
  { value: 11, label: 'Vendor' },
  { value: 12, label: 'Other' },
]);
export const CustomerType = values(customerTypeOptionSet, [
  'Competitor', 'Consultant', 'Customer', 'Investor', 'Partner', 'Influencer', 'Press', 'Prospect', 'Reseller', 'Supplier', 'Vendor', 'Other',
] as const);

/** team.teamtype: 0 Owner, 1 Access, 2 Microsoft Entra ID security group, 3 Microsoft 365 group. */
export const teamTypeOptionSet = optionSet('team_teamtype', [
  { value: 0, label: 'Owner' },
  { value: 1, label: 'Access' },
  { value: 2, label: 'Security Group' },
  { value: 3, label: 'Office Group' },
]);
export const TeamType = values(teamTypeOptionSet, ['Owner', 'Access', 'SecurityGroup', 'OfficeGroup'] as const);

/** pricelevel statecode/statuscode: status reasons 100001 Active / 100002 Inactive, not the usual 1/2. */
export const priceLevelStates = {
  state: [
    { value: 0, label: 'Active' },
    { value: 1, label: 'Inactive' },
  ],
  status: [
    { value: 100001, label: 'Active', state: 0 },
    { value: 100002, label: 'Inactive', state: 1 },
  ],
} as const;

/** serviceendpoint.messageformat: the RemoteExecutionContext serialization; webhooks post JSON (2). */
export const serviceEndpointMessageFormatOptionSet = optionSet('serviceendpoint_messageformat', [
  { value: 1, label: '.NETBinary' },
  { value: 2, label: 'Json' },
  { value: 3, label: 'XML' },
]);
export const ServiceEndpointMessageFormat = values(serviceEndpointMessageFormatOptionSet, ['NetBinary', 'Json', 'Xml'] as const);

/** sdkmessageprocessingstep statecode/statuscode: Enabled (0/1) and Disabled (1/2). A disabled step never fires. */
export const stepStates = {
  state: [
    { value: 0, label: 'Enabled' },
    { value: 1, label: 'Disabled' },
  ],
  status: [
    { value: 1, label: 'Enabled', state: 0 },
    { value: 2, label: 'Disabled', state: 1 },
  ],
} as const;
export const StepState = { Enabled: 0, Disabled: 1 } as const;
export const StepStatus = { Enabled: 1, Disabled: 2 } as const;

/** sdkmessageprocessingstepimage.imagetype: which images the step's context carries. */
export const stepImageTypeOptionSet = optionSet('sdkmessageprocessingstepimage_imagetype', [
  { value: 0, label: 'PreImage' },
  { value: 1, label: 'PostImage' },
  { value: 2, label: 'Both' },
]);
export const StepImageType = values(stepImageTypeOptionSet, ['PreImage', 'PostImage', 'Both'] as const);

/** asyncoperation.operationtype: the few system job types the sandbox creates or shows. */
export const asyncOperationTypeOptionSet = optionSet('asyncoperation_operationtype', [
  { value: 1, label: 'System Event' },
  { value: 10, label: 'Workflow' },
  { value: 13, label: 'Bulk Delete' },
  { value: 54, label: 'Execute Async Request' },
]);

/** characteristic.characteristictype: 1 Skill, 2 Certification. */
export const characteristicTypeOptionSet = optionSet('characteristic_characteristictype', [
  { value: 1, label: 'Skill' },
  { value: 2, label: 'Certification' },
]);
export const CharacteristicType = values(characteristicTypeOptionSet, ['Skill', 'Certification'] as const);

/**
 * msdyn_projecttaskdependency.msdyn_linktype (CDM ProjectTaskDependency): note Start-to-Finish is 192350004,
 * there is no 192350003.
 */
export const taskLinkTypeOptionSet = optionSet('msdyn_projecttaskdependencylinktype', [
  { value: 192350000, label: 'Finish-to-Start' },
  { value: 192350001, label: 'Start-to-Start' },
  { value: 192350002, label: 'Finish-to-Finish' },
  { value: 192350004, label: 'Start-to-Finish' },
], true);
export const TaskLinkType = values(taskLinkTypeOptionSet, ['FinishToStart', 'StartToStart', 'FinishToFinish', 'StartToFinish'] as const);

/**
 * msdyn_operationsetdetail.msdyn_operationtype. The docs ("Project scheduling logs") show it is a choice but print
 * no values; these follow the product's 192350000 series. [verify in $metadata]
 */
export const operationTypeOptionSet = optionSet('msdyn_operationtype', [
  { value: 192350000, label: 'Create' },
  { value: 192350001, label: 'Update' },
  { value: 192350002, label: 'Delete' },
], true);
export const OperationType = values(operationTypeOptionSet, ['Create', 'Update', 'Delete'] as const);
