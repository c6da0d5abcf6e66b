/**
 * The validation codes: stable names shared by the ribbon (RESX keys), the bridge (pfb_lasterror) and the tests.
 * Never rename one; add new ones. Each code has one severity and names one field (the logical name to fix).
 */
import {
  bookableresourcecategory,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  pfb_tasksync,
} from '../schema';

/** In the order the rules run, so a task's issues read from the task itself outwards to its roles and project. */
export const VALIDATION_CODES = [
  'summaryTask',
  'alreadySyncing',
  'missingEffort',
  'effortNotPositive',
  'missingStart',
  'invalidStart',
  'missingEnd',
  'invalidEnd',
  'startOutOfRange',
  'endOutOfRange',
  'endBeforeStart',
  'taskTooLong',
  'noWorkingTime',
  'taskInPast',
  'noGenericResource',
  'assignmentWithoutRole',
  'namedAssignment',
  'tooManyResources',
  'roleNotFound',
  'roleWithoutWorkOrderType',
  'roleWithoutCharacteristic',
  'projectNotFound',
  'projectNotFieldEnabled',
  'projectWithoutServiceAccount',
  'projectWithoutPriceList',
  'projectWithoutTimeZone',
  'projectInvalidTimeZone',
  'projectWithoutWorkingHours',
  'projectInvalidWorkingHours',
  'projectTooManyTasks',
] as const;

export type ValidationCode = (typeof VALIDATION_CODES)[number];

export type Severity = 'error' | 'warning';

export interface CodeInfo {
  /** An error keeps the task out of the sync; a warning lets it go and tells the coordinator what will happen. */
  readonly severity: Severity;
  /**
   * The logical name to fix: a column of the task, its team member, its role or its project; where the fix is to
   * add or remove related rows (the task's resource assignments, the project's tasks), that table's logical name.
   */
  readonly field: string;
}

const task = msdyn_projecttask.columns;
const project = msdyn_project.columns;
const role = bookableresourcecategory.columns;
const member = msdyn_projectteam.columns;

const error = (field: string): CodeInfo => ({ severity: 'error', field });
const warning = (field: string): CodeInfo => ({ severity: 'warning', field });

export const CODE_INFO: Readonly<Record<ValidationCode, CodeInfo>> = {
  summaryTask: error(task.msdyn_summary.logicalName),
  alreadySyncing: error(pfb_tasksync.columns.pfb_syncstatus.logicalName),
  missingEffort: error(task.msdyn_effort.logicalName),
  effortNotPositive: error(task.msdyn_effort.logicalName),
  missingStart: error(task.msdyn_scheduledstart.logicalName),
  invalidStart: error(task.msdyn_scheduledstart.logicalName),
  missingEnd: error(task.msdyn_scheduledend.logicalName),
  invalidEnd: error(task.msdyn_scheduledend.logicalName),
  startOutOfRange: error(task.msdyn_scheduledstart.logicalName),
  endOutOfRange: error(task.msdyn_scheduledend.logicalName),
  endBeforeStart: error(task.msdyn_scheduledend.logicalName),
  taskTooLong: error(task.msdyn_scheduledend.logicalName),
  noWorkingTime: error(task.msdyn_scheduledstart.logicalName),
  taskInPast: warning(task.msdyn_scheduledend.logicalName),
  noGenericResource: error(msdyn_resourceassignment.logicalName),
  assignmentWithoutRole: error(member.msdyn_resourcecategory.logicalName),
  namedAssignment: warning(member.msdyn_bookableresourceid.logicalName),
  tooManyResources: error(msdyn_resourceassignment.logicalName),
  roleNotFound: error(member.msdyn_resourcecategory.logicalName),
  roleWithoutWorkOrderType: error(role.pfb_workordertype.logicalName),
  roleWithoutCharacteristic: warning(role.pfb_characteristic.logicalName),
  projectNotFound: error(task.msdyn_project.logicalName),
  projectNotFieldEnabled: error(project.pfb_fieldenabled.logicalName),
  projectWithoutServiceAccount: error(project.pfb_serviceaccount.logicalName),
  projectWithoutPriceList: error(project.pfb_pricelist.logicalName),
  projectWithoutTimeZone: error(project.pfb_timezone.logicalName),
  projectInvalidTimeZone: error(project.pfb_timezone.logicalName),
  projectWithoutWorkingHours: error(project.pfb_workinghours.logicalName),
  projectInvalidWorkingHours: error(project.pfb_workinghours.logicalName),
  projectTooManyTasks: error(msdyn_projecttask.logicalName),
};

/** Project for the web limits (reference/dataverse-facts.md §1.3, from psa-project-operations-changes.md). */
export const PROJECT_LIMITS = {
  maxTasksPerProject: 500,
  maxResourcesPerTask: 20,
  /** Counted in working days of the project's working-hours template [inferred: the docs say "1250-day leaf task"]. */
  maxLeafTaskDays: 1250,
  /** First and last allowed task dates, local to the site. */
  earliestDate: '2000-01-01',
  latestDate: '2149-12-31',
} as const;
