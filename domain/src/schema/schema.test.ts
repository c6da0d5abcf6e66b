/**
 * The schema module is the contract between every part, so these tests pin what a real environment has: logical
 * and entity set names, option values, keys and navigation properties that client code types by hand.
 */
import {
  BookingStatusStatus,
  BookingSystemStatus,
  WorkOrderSystemStatus,
  AsyncOperationStatus,
  dispatchStatusOptionSet,
  eventOutcomeOptionSet,
  fieldStageOptionSet,
  fieldStatusOptionSet,
  scenarioOptionSet,
  schema,
  syncStatusOptionSet,
  type OptionSetDef,
  type TableDef,
} from './index';

function table(logicalName: string): TableDef {
  const t = schema.table(logicalName);
  if (!t) throw new Error(`table ${logicalName} is not in the schema`);
  return t;
}

// DESIGN §3 and §6, the issue list, and the tables the webhook plumbing needs.
const entitySets: Record<string, string> = {
  account: 'accounts',
  contact: 'contacts',
  systemuser: 'systemusers',
  businessunit: 'businessunits',
  team: 'teams',
  transactioncurrency: 'transactioncurrencies',
  pricelevel: 'pricelevels',
  msdyn_project: 'msdyn_projects',
  msdyn_projecttask: 'msdyn_projecttasks',
  msdyn_projectbucket: 'msdyn_projectbuckets',
  msdyn_projectteam: 'msdyn_projectteams',
  msdyn_resourceassignment: 'msdyn_resourceassignments',
  msdyn_projecttaskdependency: 'msdyn_projecttaskdependencies',
  msdyn_operationset: 'msdyn_operationsets',
  msdyn_operationsetdetail: 'msdyn_operationsetdetails',
  msdyn_psserrorlog: 'msdyn_psserrorlogs',
  bookableresource: 'bookableresources',
  bookableresourcecategory: 'bookableresourcecategories',
  bookableresourcecategoryassn: 'bookableresourcecategoryassns',
  bookableresourcecharacteristic: 'bookableresourcecharacteristics',
  characteristic: 'characteristics',
  msdyn_workordertype: 'msdyn_workordertypes',
  msdyn_workorder: 'msdyn_workorders',
  msdyn_resourcerequirement: 'msdyn_resourcerequirements',
  bookableresourcebooking: 'bookableresourcebookings',
  bookingstatus: 'bookingstatuses',
  serviceendpoint: 'serviceendpoints',
  sdkmessage: 'sdkmessages',
  sdkmessagefilter: 'sdkmessagefilters',
  sdkmessageprocessingstep: 'sdkmessageprocessingsteps',
  sdkmessageprocessingstepimage: 'sdkmessageprocessingstepimages',
  asyncoperation: 'asyncoperations',
  pfb_tasksync: 'pfb_tasksyncs',
  pfb_projectprogress: 'pfb_projectprogresses',
  pfb_fieldevent: 'pfb_fieldevents',
};

describe('tables and entity sets', () => {
  it.each(Object.entries(entitySets))('%s is served as %s', (logicalName, set) => {
    expect(table(logicalName).entitySetName).toBe(set);
    expect(schema.tableByEntitySet(set)?.logicalName).toBe(logicalName);
  });

  it('gives every table a uniqueidentifier primary key named <table>id (activityid for activities) and a primary name column', () => {
    for (const t of schema.tables) {
      expect([t.logicalName, `${t.logicalName}id`, 'activityid']).toContain(t.primaryIdAttribute);
      expect(t.columns[t.primaryIdAttribute]?.type).toBe('uniqueidentifier');
      expect(t.columns[t.primaryNameAttribute]).toBeDefined();
    }
  });

  it('keeps the platform object type codes and never reuses one', () => {
    const known: Record<string, number> = {
      account: 1,
      contact: 2,
      systemuser: 8,
      team: 9,
      businessunit: 10,
      pricelevel: 1022,
      characteristic: 1141,
      bookableresourcebooking: 1145,
      bookableresourcecategory: 1147,
      bookableresourcecharacteristic: 1148,
      bookableresourcecategoryassn: 1149,
      bookableresource: 1150,
      bookingstatus: 1152,
      sdkmessage: 4606,
      sdkmessagefilter: 4607,
      sdkmessageprocessingstep: 4608,
      sdkmessageprocessingstepimage: 4615,
      serviceendpoint: 4618,
      asyncoperation: 4700,
      transactioncurrency: 9105,
    };
    for (const [name, code] of Object.entries(known)) expect([name, table(name).objectTypeCode]).toEqual([name, code]);
    const codes = schema.tables.map((t) => t.objectTypeCode);
    expect(new Set(codes).size).toBe(codes.length);
    // Solution tables (ours and Microsoft's msdyn_) take codes from 10000 up, away from the platform's.
    for (const t of schema.tables.filter((x) => x.logicalName.includes('_'))) expect(t.objectTypeCode).toBeGreaterThanOrEqual(10000);
  });

  it('only points lookups at tables it models', () => {
    const missing: string[] = [];
    for (const t of schema.tables) {
      for (const c of Object.values(t.columns)) {
        for (const target of c.targets ?? []) if (!schema.table(target)) missing.push(`${t.logicalName}.${c.logicalName} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('marks every pfb_ column on someone else\'s table as added by our solution', () => {
    for (const t of schema.tables.filter((x) => x.origin !== 'pfb')) {
      for (const c of Object.values(t.columns)) {
        expect([t.logicalName, c.logicalName, c.logicalName.startsWith('pfb_')]).toEqual([t.logicalName, c.logicalName, c.addedBySolution === true]);
      }
    }
  });

  it('gives every status reason a state that exists', () => {
    for (const t of schema.tables) {
      const states = new Set(t.columns.statecode?.optionSet?.options.map((o) => o.value) ?? []);
      for (const o of t.columns.statuscode?.optionSet?.options ?? []) {
        expect(states.has((o as { state?: number }).state ?? -1)).toBe(true);
      }
    }
  });
});

describe('choices', () => {
  const ours: [string, OptionSetDef, string[]][] = [
    ['pfb_syncstatus', syncStatusOptionSet, ['Ready to Sync', 'Syncing', 'Synced', 'Failed', 'Out of Date', 'Cancelled']],
    ['pfb_scenario', scenarioOptionSet, [
      'Single day – single resource',
      'Single day – multiple resources',
      'Multiple days – single resource',
      'Multiple days – multiple resources',
    ]],
    ['pfb_fieldstatus', fieldStatusOptionSet, ['Not Started', 'In Progress', 'Completed', 'Incomplete']],
    ['pfb_fieldstage', fieldStageOptionSet, ['Acknowledged', 'Travel', 'Onsite', 'In Progress', 'Complete', 'Incomplete']],
    ['pfb_eventoutcome', eventOutcomeOptionSet, ['Applied', 'Duplicate', 'Stale', 'Rejected']],
    ['pfb_dispatchstatus', dispatchStatusOptionSet, ['Pending', 'Sent', 'Failed']],
  ];
  it.each(ours)('%s numbers its options from 724310000 in DESIGN order', (_name, set, labels) => {
    expect(set.options).toEqual(labels.map((label, i) => ({ value: 724310000 + i, label })));
  });

  it('uses our choices on the DESIGN §3 columns', () => {
    expect(table('pfb_tasksync').columns.pfb_syncstatus?.optionSet).toBe(syncStatusOptionSet);
    expect(table('pfb_tasksync').columns.pfb_scenario?.optionSet).toBe(scenarioOptionSet);
    expect(table('pfb_tasksync').columns.pfb_fieldstatus?.optionSet).toBe(fieldStatusOptionSet);
    expect(table('pfb_fieldevent').columns.pfb_stage?.optionSet).toBe(fieldStageOptionSet);
    expect(table('pfb_fieldevent').columns.pfb_outcome?.optionSet).toBe(eventOutcomeOptionSet);
    expect(table('bookableresourcebooking').columns.pfb_fieldstage?.optionSet).toBe(fieldStageOptionSet);
    expect(table('bookableresourcebooking').columns.pfb_dispatchstatus?.optionSet).toBe(dispatchStatusOptionSet);
  });

  it('keeps Field Service status numbers, where On Break comes before In Progress', () => {
    expect(BookingSystemStatus).toEqual({
      Scheduled: 690970000,
      Traveling: 690970001,
      OnBreak: 690970002,
      InProgress: 690970003,
      Completed: 690970004,
      Canceled: 690970005,
    });
    expect(WorkOrderSystemStatus).toEqual({
      Unscheduled: 690970000,
      Scheduled: 690970001,
      InProgress: 690970002,
      Completed: 690970003,
      Posted: 690970004,
      Canceled: 690970005,
    });
    expect(BookingStatusStatus).toEqual({ Proposed: 1, Committed: 2, Canceled: 3 });
    const labels = table('bookingstatus').columns.msdyn_fieldservicestatus?.optionSet?.options;
    expect(labels?.find((o) => o.value === BookingSystemStatus.InProgress)?.label).toBe('In Progress');
  });

  it('records a failed webhook system job as statuscode 31 in the Completed state', () => {
    const status = table('asyncoperation').columns.statuscode?.optionSet?.options.find((o) => o.value === AsyncOperationStatus.Failed);
    expect(status).toMatchObject({ label: 'Failed', state: 3 });
  });
});

describe('alternate keys (the bridge\'s idempotency)', () => {
  it.each([
    ['pfb_tasksync', 'pfb_projecttask'],
    ['pfb_projectprogress', 'pfb_project'],
    ['pfb_fieldevent', 'pfb_eventid'],
    ['msdyn_workorder', 'pfb_sourcekey'],
  ])('%s has a key on %s alone', (t, column) => {
    expect(table(t).alternateKeys.map((k) => k.columns)).toContainEqual([column]);
  });
});

describe('navigation properties clients bind to', () => {
  const navOf = (child: string, attribute: string): string | undefined =>
    schema.manyToOneOf(child).find((r) => r.referencingAttribute === attribute)?.referencingNavigationProperty;

  it('names booking lookups as Dataverse does', () => {
    const rels = schema.manyToOneOf('bookableresourcebooking');
    const byNav = Object.fromEntries(rels.map((r) => [r.referencingNavigationProperty, r.referencedEntity]));
    expect(byNav).toMatchObject({
      Resource: 'bookableresource',
      BookingStatus: 'bookingstatus',
      msdyn_workorder: 'msdyn_workorder',
      msdyn_resourcerequirement: 'msdyn_resourcerequirement',
    });
  });

  it('uses the names from the schedule API samples for tasks and assignments', () => {
    expect(navOf('msdyn_projecttask', 'msdyn_project')).toBe('msdyn_project');
    expect(navOf('msdyn_projecttask', 'msdyn_projectbucket')).toBe('msdyn_projectbucket');
    expect(navOf('msdyn_projecttask', 'msdyn_parenttask')).toBe('msdyn_parenttask');
    expect(navOf('msdyn_resourceassignment', 'msdyn_taskid')).toBe('msdyn_taskid');
    expect(navOf('msdyn_resourceassignment', 'msdyn_projectteamid')).toBe('msdyn_projectteamid');
    expect(navOf('msdyn_resourceassignment', 'msdyn_projectid')).toBe('msdyn_projectid');
    expect(navOf('msdyn_projectteam', 'msdyn_project')).toBe('msdyn_project');
    expect(table('msdyn_projecttask').columns.msdyn_linkstatus?.schemaName).toBe('msdyn_LinkStatus');
  });

  it('names role and skill links with their PascalCase schema names', () => {
    expect(navOf('bookableresourcecategoryassn', 'resource')).toBe('Resource');
    expect(navOf('bookableresourcecategoryassn', 'resourcecategory')).toBe('ResourceCategory');
    expect(navOf('bookableresourcecharacteristic', 'characteristic')).toBe('Characteristic');
  });

  it('names customer and regarding lookups per target, as Dataverse does', () => {
    const parent = schema.manyToOneOf('contact').filter((r) => r.referencingAttribute === 'parentcustomerid');
    expect(parent.map((r) => [r.referencedEntity, r.referencingNavigationProperty, r.referencedNavigationProperty])).toEqual([
      ['account', 'parentcustomerid_account', 'contact_customer_accounts'],
      ['contact', 'parentcustomerid_contact', 'contact_customer_contacts'],
    ]);
    const job = schema.manyToOneOf('asyncoperation').find((r) => r.referencingAttribute === 'regardingobjectid' && r.referencedEntity === 'account');
    expect([job?.referencingNavigationProperty, job?.referencedNavigationProperty]).toEqual(['regardingobjectid_account', 'Account_AsyncOperations']);
    expect(navOf('asyncoperation', 'owningextensionid')).toBe('owningextensionid');
  });

  it('never returns a webhook\'s key', () => {
    expect(table('serviceendpoint').columns.authvalue?.notReadable).toBe(true);
  });

  it('lets a webhook\'s steps be listed from its service endpoint', () => {
    const rel = schema.oneToManyOf('serviceendpoint').find((r) => r.referencingEntity === 'sdkmessageprocessingstep');
    expect(rel?.referencedNavigationProperty).toBe('serviceendpoint_sdkmessageprocessingstep');
    expect(rel?.referencingNavigationProperty).toBe('eventhandler_serviceendpoint');
  });
});

describe('Project Operations scheduling tables', () => {
  it('refuses plain writes to tasks, assignments, buckets and dependencies but lets team members be created', () => {
    for (const t of ['msdyn_projecttask', 'msdyn_resourceassignment', 'msdyn_projectbucket', 'msdyn_projecttaskdependency']) {
      expect([t, table(t).scheduling]).toEqual([t, { plainCreateAllowed: false }]);
    }
    expect(table('msdyn_projectteam').scheduling).toEqual({ plainCreateAllowed: true });
    // Projects may be created with the plain API (schedule-api-preview.md), so no flag.
    expect(table('msdyn_project').scheduling).toBeUndefined();
  });

  it('lets a generic team member exist without a bookable resource', () => {
    expect(table('msdyn_projectteam').columns.msdyn_bookableresourceid?.required).toBe('none');
    expect(table('msdyn_projectteam').columns.msdyn_resourcecategory?.targets).toEqual(['bookableresourcecategory']);
  });

  it('tests bulk message availability by table logical name, as the bulk-operations docs query it', () => {
    expect(table('sdkmessagefilter').columns.primaryobjecttypecode?.type).toBe('string');
  });
});
