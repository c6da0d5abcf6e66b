/**
 * Project Operations tables: the project, its WBS (tasks, buckets, team, assignments, dependencies) and the
 * schedule API's operation sets and error logs. Names: Project Operations docs (schedule-api-preview.md,
 * schedule-api-logs.md, psa-project-operations-changes.md) and CDM projectServiceAutomation.
 *
 * `scheduling` marks the tables the Project Scheduling Service owns: plain Web API writes are refused and go
 * through msdyn_PssCreateV1/UpdateV1/DeleteV1 in an operation set. Only team members (and projects) may also be
 * created plainly ("schedule-api-preview.md"), which is why msdyn_project carries no flag at all.
 */
import { col, defineTable } from '../build';
import { linkStatusOptionSet, operationSetStatusOptionSet, operationTypeOptionSet, taskLinkTypeOptionSet } from '../choices';

const hours = { min: 0, max: 1000000000, precision: 2 } as const;
/**
 * msdyn_progress. The schedule API takes 0–1; the PSA-era CDM shows 0–100 ("Progress %"). The stored scale is
 * [verify]; the range here admits both so neither a seed nor a write-back is refused.
 */
const progress = { min: 0, max: 100, precision: 2 } as const;

export const msdyn_project = defineTable({
  logicalName: 'msdyn_project',
  entitySetName: 'msdyn_projects',
  displayName: 'Project',
  displayCollectionName: 'Projects',
  primaryNameAttribute: 'msdyn_subject',
  ownership: 'UserOwned',
  objectTypeCode: 10020,
  origin: 'projectoperations',
  columns: [
    col.text('msdyn_subject', 'Project Name', 200, { required: 'application' }),
    col.memo('msdyn_description', 'Description', 2000),
    // A customer lookup (account | contact) in Dataverse; our projects are always for an account.
    col.lookup('msdyn_customer', 'Customer', 'account'),
    col.lookup('msdyn_projectmanager', 'Project Manager', 'systemuser'),
    col.dateTime('msdyn_scheduledstart', 'Start'),
    // Finish, effort and progress are computed by the scheduling engine from the tasks; the seed writes them directly.
    col.dateTime('msdyn_finish', 'Finish'),
    col.decimal('msdyn_effort', 'Effort (h)', hours),
    col.decimal('msdyn_effortcompleted', 'Effort Completed (h)', hours),
    col.decimal('msdyn_effortremaining', 'Effort Remaining (h)', hours),
    col.decimal('msdyn_progress', 'Progress', progress),
    col.text('msdyn_calendarid', 'Calendar ID', 100, { description: 'The work hour template the scheduling engine uses.' }),
    // Added by our solution: what planning and validation need to turn tasks into work orders.
    col.lookup('pfb_serviceaccount', 'Service Account', 'account', {
      addedBySolution: true,
      description: 'The site whose address and time zone the project\'s work orders use (msdyn_serviceaccount).',
    }),
    col.lookup('pfb_pricelist', 'Field Price List', 'pricelevel', { addedBySolution: true, description: 'msdyn_pricelist of the work orders.' }),
    col.text('pfb_timezone', 'Site Time Zone', 64, {
      addedBySolution: true,
      description: 'IANA time zone of the site, e.g. Australia/Sydney: working days and hours are counted in it.',
    }),
    col.text('pfb_workinghours', 'Working Hours', 100, {
      addedBySolution: true,
      description:
        "Working-hours template '<days> <start>-<end>' in site time: days 'Mon-Fri' or a comma list ('Mon,Tue,Thu'), times HH:MM 24h, e.g. 'Mon-Fri 08:00-17:00'.",
    }),
    col.bool('pfb_fieldenabled', 'Field Enabled', { addedBySolution: true, description: 'Tasks of this project may be sent to the field.' }),
  ],
});

export const msdyn_projectbucket = defineTable({
  logicalName: 'msdyn_projectbucket',
  entitySetName: 'msdyn_projectbuckets',
  displayName: 'Project Bucket',
  displayCollectionName: 'Project Buckets',
  primaryNameAttribute: 'msdyn_name',
  ownership: 'UserOwned',
  objectTypeCode: 10022,
  origin: 'projectoperations',
  scheduling: { plainCreateAllowed: false },
  columns: [
    col.text('msdyn_name', 'Name', 100, { required: 'system' }),
    col.lookup('msdyn_project', 'Project', 'msdyn_project', { required: 'system', cascadeDelete: 'Cascade' }),
  ],
});

export const msdyn_projecttask = defineTable({
  logicalName: 'msdyn_projecttask',
  entitySetName: 'msdyn_projecttasks',
  displayName: 'Project Task',
  displayCollectionName: 'Project Tasks',
  description: 'A WBS task. Summary tasks roll up effort and dates from their children; only leaf tasks go to the field.',
  primaryNameAttribute: 'msdyn_subject',
  ownership: 'UserOwned',
  objectTypeCode: 10021,
  origin: 'projectoperations',
  scheduling: { plainCreateAllowed: false },
  columns: [
    col.text('msdyn_subject', 'Task Name', 450, { required: 'system' }),
    col.memo('msdyn_description', 'Description', 2000),
    col.lookup('msdyn_project', 'Project', 'msdyn_project', { required: 'system', cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_projectbucket', 'Project Bucket', 'msdyn_projectbucket'),
    // Deleting a summary task deletes its children (create-wbs.md).
    col.lookup('msdyn_parenttask', 'Parent Task', 'msdyn_projecttask', { cascadeDelete: 'Cascade' }),
    col.int('msdyn_outlinelevel', 'Outline Level', { min: 1, max: 10, description: 'Project for the web allows 10 levels.' }),
    col.double('msdyn_displaysequence', 'Display Sequence', { min: 0, max: 1000000000, precision: 6, description: '[verify] Order of the task in the WBS grid.' }),
    col.bool('msdyn_summary', 'Summary Task'),
    col.decimal('msdyn_effort', 'Effort (h)', hours),
    col.decimal('msdyn_effortcompleted', 'Effort Completed (h)', hours),
    col.decimal('msdyn_effortremaining', 'Effort Remaining (h)', hours),
    col.double('msdyn_duration', 'Duration (days)', { min: 0, max: 100000, precision: 2 }),
    col.dateTime('msdyn_scheduledstart', 'Start Date'),
    col.dateTime('msdyn_scheduledend', 'Due Date'),
    col.dateTime('msdyn_start', 'Start'),
    col.dateTime('msdyn_finish', 'Finish'),
    col.dateTime('msdyn_actualstart', 'Actual Start'),
    col.dateTime('msdyn_actualend', 'Actual End'),
    col.decimal('msdyn_progress', '% Complete', progress),
    { ...col.choice('msdyn_linkstatus', 'Link Status', linkStatusOptionSet), schemaName: 'msdyn_LinkStatus' },
  ],
});

export const msdyn_projectteam = defineTable({
  logicalName: 'msdyn_projectteam',
  entitySetName: 'msdyn_projectteams',
  displayName: 'Project Team Member',
  displayCollectionName: 'Project Team Members',
  description: 'A named (bookable resource) or generic (role only, no resource) member of the project team.',
  primaryNameAttribute: 'msdyn_name',
  ownership: 'UserOwned',
  objectTypeCode: 10023,
  origin: 'projectoperations',
  scheduling: { plainCreateAllowed: true },
  columns: [
    col.text('msdyn_name', 'Name', 100, { required: 'system' }),
    col.lookup('msdyn_project', 'Project', 'msdyn_project', { required: 'system', cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_bookableresourceid', 'Bookable Resource', 'bookableresource', { description: 'Empty for a generic member.' }),
    col.lookup('msdyn_resourcecategory', 'Role', 'bookableresourcecategory'),
    col.dateTime('msdyn_start', 'From'),
    col.dateTime('msdyn_finish', 'To'),
    col.decimal('msdyn_hours', 'Hours', hours),
  ],
});

export const msdyn_resourceassignment = defineTable({
  logicalName: 'msdyn_resourceassignment',
  entitySetName: 'msdyn_resourceassignments',
  displayName: 'Resource Assignment',
  displayCollectionName: 'Resource Assignments',
  description: 'A team member assigned to a task; several per task make a multi-resource task.',
  primaryNameAttribute: 'msdyn_name',
  ownership: 'UserOwned',
  objectTypeCode: 10024,
  origin: 'projectoperations',
  scheduling: { plainCreateAllowed: false },
  columns: [
    col.text('msdyn_name', 'Name', 100),
    col.lookup('msdyn_taskid', 'Task', 'msdyn_projecttask', { schemaName: 'msdyn_taskid', required: 'system', cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_projectteamid', 'Team Member', 'msdyn_projectteam', { cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_projectid', 'Project', 'msdyn_project', { required: 'system', cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_bookableresourceid', 'Bookable Resource', 'bookableresource'),
    col.decimal('msdyn_plannedwork', 'Planned Work (h)', hours),
    col.dateTime('msdyn_scheduledstart', 'Start'),
    col.dateTime('msdyn_scheduledend', 'End'),
  ],
});

export const msdyn_projecttaskdependency = defineTable({
  logicalName: 'msdyn_projecttaskdependency',
  entitySetName: 'msdyn_projecttaskdependencies',
  displayName: 'Project Task Dependency',
  displayCollectionName: 'Project Task Dependencies',
  primaryNameAttribute: 'msdyn_description',
  ownership: 'UserOwned',
  objectTypeCode: 10025,
  origin: 'projectoperations',
  scheduling: { plainCreateAllowed: false },
  columns: [
    col.text('msdyn_description', 'Description', 100),
    col.lookup('msdyn_project', 'Project', 'msdyn_project', { required: 'system', cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_predecessortask', 'Predecessor Task', 'msdyn_projecttask', { required: 'system', cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_successortask', 'Successor Task', 'msdyn_projecttask', { required: 'system', cascadeDelete: 'Cascade' }),
    col.choice('msdyn_linktype', 'Link Type', taskLinkTypeOptionSet, { required: 'application' }),
  ],
});

export const msdyn_psserrorlog = defineTable({
  logicalName: 'msdyn_psserrorlog',
  entitySetName: 'msdyn_psserrorlogs',
  displayName: 'PSS Error Log',
  displayCollectionName: 'PSS Error Logs',
  description: 'A Project Scheduling Service failure (schedule-api-logs.md).',
  // [verify] the docs list no name column; the error code is the most useful row label.
  primaryNameAttribute: 'msdyn_errorcode',
  ownership: 'UserOwned',
  objectTypeCode: 10028,
  origin: 'projectoperations',
  columns: [
    col.text('msdyn_errorcode', 'Error Code', 100),
    col.memo('msdyn_log', 'Log', 1048576),
    { ...col.memo('msdyn_callstack', 'Call Stack', 1048576), schemaName: 'msdyn_CallStack' },
    { ...col.text('msdyn_correlationid', 'CorrelationId', 100), schemaName: 'msdyn_correlationId' },
    { ...col.text('msdyn_helplink', 'Help Link', 500), schemaName: 'msdyn_HelpLink' },
    { ...col.text('msdyn_sessionid', 'Session ID', 100), schemaName: 'msdyn_SessionId' },
    col.lookup('msdyn_project', 'Project', 'msdyn_project'),
  ],
});

export const msdyn_operationset = defineTable({
  logicalName: 'msdyn_operationset',
  entitySetName: 'msdyn_operationsets',
  displayName: 'Operation Set',
  displayCollectionName: 'Operation Sets',
  description: 'A unit of work of the schedule API: up to 200 operations, executed asynchronously as one transaction.',
  // [verify] the docs list no name column; msdyn_CreateOperationSetV1's Description is stored here.
  primaryNameAttribute: 'msdyn_description',
  ownership: 'UserOwned',
  objectTypeCode: 10026,
  origin: 'projectoperations',
  columns: [
    col.text('msdyn_description', 'Description', 200),
    col.choice('msdyn_status', 'Status', operationSetStatusOptionSet, { required: 'system' }),
    col.dateTime('msdyn_executedon', 'Executed On'),
    col.dateTime('msdyn_completedon', 'CompletedOn'),
    { ...col.text('msdyn_correlationid', 'CorrelationId', 100), schemaName: 'msdyn_correlationId' },
    col.lookup('msdyn_project', 'Project', 'msdyn_project', { schemaName: 'msdyn_Project' }),
    { ...col.text('msdyn_projectid', 'ProjectId (Deprecated)', 100), schemaName: 'msdyn_projectId' },
    col.lookup('msdyn_psserrorlog', 'PSS Error Log', 'msdyn_psserrorlog', { schemaName: 'msdyn_PSSErrorLog' }),
    { ...col.text('msdyn_useraadid', 'UserAADID', 100), schemaName: 'msdyn_useraadId' },
  ],
});

export const msdyn_operationsetdetail = defineTable({
  logicalName: 'msdyn_operationsetdetail',
  entitySetName: 'msdyn_operationsetdetails',
  displayName: 'Operation Set Detail',
  displayCollectionName: 'Operation Set Details',
  description: 'One staged create, update or delete of an operation set, with its payload.',
  // [verify] the docs list no name column.
  primaryNameAttribute: 'msdyn_entityname',
  ownership: 'UserOwned',
  objectTypeCode: 10027,
  origin: 'projectoperations',
  columns: [
    col.text('msdyn_entityname', 'EntityName', 100),
    col.lookup('msdyn_operationset', 'OperationSet', 'msdyn_operationset', { required: 'system', cascadeDelete: 'Cascade' }),
    col.choice('msdyn_operationtype', 'OperationType', operationTypeOptionSet),
    col.text('msdyn_recordid', 'Record ID', 100),
    col.memo('msdyn_cdspayload', 'CdsPayload', 1048576, { description: 'The serialized Dataverse fields (the JSON entity) of the request.' }),
    col.memo('msdyn_psspayload', 'PssPayload', 1048576),
    col.text('msdyn_requestnumber', 'Request Number', 100, { description: 'Order in which the requests were received.' }),
  ],
});
