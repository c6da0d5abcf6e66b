/**
 * GENERATED from the schema module (@pfb/domain, domain/src/schema) by pcf/scripts/generateSchemaNames.ts — do not
 * edit. `npm run build -w @pfb/pcf` regenerates it; pcf/shared/schemaNames.test.ts fails when it is out of date.
 */

export const msdyn_project = {
  logicalName: 'msdyn_project',
  entitySetName: 'msdyn_projects',
  primaryIdAttribute: 'msdyn_projectid',
  primaryNameAttribute: 'msdyn_subject',
  columns: {
    msdyn_subject: 'msdyn_subject',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
  },
} as const;

export const msdyn_projecttask = {
  logicalName: 'msdyn_projecttask',
  entitySetName: 'msdyn_projecttasks',
  primaryIdAttribute: 'msdyn_projecttaskid',
  primaryNameAttribute: 'msdyn_subject',
  columns: {
    msdyn_subject: 'msdyn_subject',
    msdyn_project: 'msdyn_project',
    msdyn_parenttask: 'msdyn_parenttask',
    msdyn_outlinelevel: 'msdyn_outlinelevel',
    msdyn_displaysequence: 'msdyn_displaysequence',
    msdyn_summary: 'msdyn_summary',
    msdyn_scheduledstart: 'msdyn_scheduledstart',
    msdyn_scheduledend: 'msdyn_scheduledend',
    msdyn_effort: 'msdyn_effort',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    msdyn_project: { valueProperty: '_msdyn_project_value', navigationProperty: 'msdyn_project', target: 'msdyn_project' },
    msdyn_parenttask: { valueProperty: '_msdyn_parenttask_value', navigationProperty: 'msdyn_parenttask', target: 'msdyn_projecttask' },
  },
} as const;

export const msdyn_projectteam = {
  logicalName: 'msdyn_projectteam',
  entitySetName: 'msdyn_projectteams',
  primaryIdAttribute: 'msdyn_projectteamid',
  primaryNameAttribute: 'msdyn_name',
  columns: {
    msdyn_resourcecategory: 'msdyn_resourcecategory',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    msdyn_resourcecategory: { valueProperty: '_msdyn_resourcecategory_value', navigationProperty: 'msdyn_resourcecategory', target: 'bookableresourcecategory' },
  },
} as const;

export const msdyn_resourceassignment = {
  logicalName: 'msdyn_resourceassignment',
  entitySetName: 'msdyn_resourceassignments',
  primaryIdAttribute: 'msdyn_resourceassignmentid',
  primaryNameAttribute: 'msdyn_name',
  columns: {
    msdyn_taskid: 'msdyn_taskid',
    msdyn_projectteamid: 'msdyn_projectteamid',
    msdyn_projectid: 'msdyn_projectid',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    msdyn_taskid: { valueProperty: '_msdyn_taskid_value', navigationProperty: 'msdyn_taskid', target: 'msdyn_projecttask' },
    msdyn_projectteamid: { valueProperty: '_msdyn_projectteamid_value', navigationProperty: 'msdyn_projectteamid', target: 'msdyn_projectteam' },
    msdyn_projectid: { valueProperty: '_msdyn_projectid_value', navigationProperty: 'msdyn_projectid', target: 'msdyn_project' },
  },
} as const;

export const pfb_tasksync = {
  logicalName: 'pfb_tasksync',
  entitySetName: 'pfb_tasksyncs',
  primaryIdAttribute: 'pfb_tasksyncid',
  primaryNameAttribute: 'pfb_name',
  columns: {
    pfb_name: 'pfb_name',
    pfb_projecttask: 'pfb_projecttask',
    pfb_project: 'pfb_project',
    pfb_syncstatus: 'pfb_syncstatus',
    pfb_scenario: 'pfb_scenario',
    pfb_fieldstatus: 'pfb_fieldstatus',
    pfb_lasterror: 'pfb_lasterror',
    pfb_plannedworkorders: 'pfb_plannedworkorders',
    pfb_plannedeffort: 'pfb_plannedeffort',
    pfb_plannedstart: 'pfb_plannedstart',
    pfb_plannedend: 'pfb_plannedend',
    pfb_actualstart: 'pfb_actualstart',
    pfb_actualend: 'pfb_actualend',
    pfb_actualeffort: 'pfb_actualeffort',
    pfb_effortvariance: 'pfb_effortvariance',
    pfb_effortvariancepct: 'pfb_effortvariancepct',
    pfb_percentcomplete: 'pfb_percentcomplete',
    pfb_workorderscompleted: 'pfb_workorderscompleted',
    pfb_workordersincomplete: 'pfb_workordersincomplete',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    pfb_projecttask: { valueProperty: '_pfb_projecttask_value', navigationProperty: 'pfb_projecttask', target: 'msdyn_projecttask' },
    pfb_project: { valueProperty: '_pfb_project_value', navigationProperty: 'pfb_project', target: 'msdyn_project' },
  },
} as const;

export const pfb_projectprogress = {
  logicalName: 'pfb_projectprogress',
  entitySetName: 'pfb_projectprogresses',
  primaryIdAttribute: 'pfb_projectprogressid',
  primaryNameAttribute: 'pfb_name',
  columns: {
    pfb_name: 'pfb_name',
    pfb_project: 'pfb_project',
    pfb_percentcomplete: 'pfb_percentcomplete',
    pfb_taskscompleted: 'pfb_taskscompleted',
    pfb_taskstotal: 'pfb_taskstotal',
    pfb_actualstart: 'pfb_actualstart',
    pfb_actualend: 'pfb_actualend',
    pfb_actualeffort: 'pfb_actualeffort',
    pfb_estimatedeffort: 'pfb_estimatedeffort',
    pfb_effortvariance: 'pfb_effortvariance',
    pfb_lastfieldupdate: 'pfb_lastfieldupdate',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    pfb_project: { valueProperty: '_pfb_project_value', navigationProperty: 'pfb_project', target: 'msdyn_project' },
  },
} as const;

export const msdyn_workorder = {
  logicalName: 'msdyn_workorder',
  entitySetName: 'msdyn_workorders',
  primaryIdAttribute: 'msdyn_workorderid',
  primaryNameAttribute: 'msdyn_name',
  columns: {
    msdyn_name: 'msdyn_name',
    msdyn_systemstatus: 'msdyn_systemstatus',
    msdyn_timefrompromised: 'msdyn_timefrompromised',
    msdyn_timetopromised: 'msdyn_timetopromised',
    pfb_project: 'pfb_project',
    pfb_projecttask: 'pfb_projecttask',
    pfb_tasksync: 'pfb_tasksync',
    pfb_slotindex: 'pfb_slotindex',
    pfb_plannedeffort: 'pfb_plannedeffort',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    pfb_project: { valueProperty: '_pfb_project_value', navigationProperty: 'pfb_project', target: 'msdyn_project' },
    pfb_projecttask: { valueProperty: '_pfb_projecttask_value', navigationProperty: 'pfb_projecttask', target: 'msdyn_projecttask' },
    pfb_tasksync: { valueProperty: '_pfb_tasksync_value', navigationProperty: 'pfb_tasksync', target: 'pfb_tasksync' },
  },
} as const;

export const bookableresourcebooking = {
  logicalName: 'bookableresourcebooking',
  entitySetName: 'bookableresourcebookings',
  primaryIdAttribute: 'bookableresourcebookingid',
  primaryNameAttribute: 'name',
  columns: {
    name: 'name',
    starttime: 'starttime',
    endtime: 'endtime',
    duration: 'duration',
    resource: 'resource',
    bookingstatus: 'bookingstatus',
    msdyn_workorder: 'msdyn_workorder',
    pfb_fieldstage: 'pfb_fieldstage',
    pfb_fieldstageon: 'pfb_fieldstageon',
    pfb_actualstart: 'pfb_actualstart',
    pfb_actualend: 'pfb_actualend',
    pfb_actualeffort: 'pfb_actualeffort',
    pfb_incompletereason: 'pfb_incompletereason',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    resource: { valueProperty: '_resource_value', navigationProperty: 'Resource', target: 'bookableresource' },
    bookingstatus: { valueProperty: '_bookingstatus_value', navigationProperty: 'BookingStatus', target: 'bookingstatus' },
    msdyn_workorder: { valueProperty: '_msdyn_workorder_value', navigationProperty: 'msdyn_workorder', target: 'msdyn_workorder' },
  },
} as const;

export const bookingstatus = {
  logicalName: 'bookingstatus',
  entitySetName: 'bookingstatuses',
  primaryIdAttribute: 'bookingstatusid',
  primaryNameAttribute: 'name',
  columns: {
    name: 'name',
    msdyn_fieldservicestatus: 'msdyn_fieldservicestatus',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
  },
} as const;

export const pfb_fieldevent = {
  logicalName: 'pfb_fieldevent',
  entitySetName: 'pfb_fieldevents',
  primaryIdAttribute: 'pfb_fieldeventid',
  primaryNameAttribute: 'pfb_eventid',
  columns: {
    pfb_eventid: 'pfb_eventid',
    pfb_booking: 'pfb_booking',
    pfb_stage: 'pfb_stage',
    pfb_occurredon: 'pfb_occurredon',
    pfb_receivedon: 'pfb_receivedon',
    pfb_sequence: 'pfb_sequence',
    pfb_outcome: 'pfb_outcome',
  },
  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */
  lookups: {
    pfb_booking: { valueProperty: '_pfb_booking_value', navigationProperty: 'pfb_booking', target: 'bookableresourcebooking' },
  },
} as const;

export const SyncStatus = {
  ReadyToSync: 724310000,
  Syncing: 724310001,
  Synced: 724310002,
  Failed: 724310003,
  OutOfDate: 724310004,
  Cancelled: 724310005,
} as const;
export type SyncStatusValue = (typeof SyncStatus)[keyof typeof SyncStatus];

export const Scenario = {
  SingleDaySingleResource: 724310000,
  SingleDayMultipleResources: 724310001,
  MultipleDaysSingleResource: 724310002,
  MultipleDaysMultipleResources: 724310003,
} as const;
export type ScenarioValue = (typeof Scenario)[keyof typeof Scenario];

export const FieldStatus = {
  NotStarted: 724310000,
  InProgress: 724310001,
  Completed: 724310002,
  Incomplete: 724310003,
} as const;
export type FieldStatusValue = (typeof FieldStatus)[keyof typeof FieldStatus];

export const FieldStage = {
  Acknowledged: 724310000,
  Travel: 724310001,
  Onsite: 724310002,
  InProgress: 724310003,
  Complete: 724310004,
  Incomplete: 724310005,
} as const;
export type FieldStageValue = (typeof FieldStage)[keyof typeof FieldStage];

export const EventOutcome = {
  Applied: 724310000,
  Duplicate: 724310001,
  Stale: 724310002,
  Rejected: 724310003,
} as const;
export type EventOutcomeValue = (typeof EventOutcome)[keyof typeof EventOutcome];

export const WorkOrderSystemStatus = {
  Unscheduled: 690970000,
  Scheduled: 690970001,
  InProgress: 690970002,
  Completed: 690970003,
  Posted: 690970004,
  Canceled: 690970005,
} as const;
export type WorkOrderSystemStatusValue = (typeof WorkOrderSystemStatus)[keyof typeof WorkOrderSystemStatus];

export const BookingSystemStatus = {
  Scheduled: 690970000,
  Traveling: 690970001,
  OnBreak: 690970002,
  InProgress: 690970003,
  Completed: 690970004,
  Canceled: 690970005,
} as const;
export type BookingSystemStatusValue = (typeof BookingSystemStatus)[keyof typeof BookingSystemStatus];
