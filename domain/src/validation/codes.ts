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
import { FIRST_TASK_DATE, LAST_TASK_DATE, MAX_LEAF_TASK_DAYS, MAX_RESOURCES_PER_TASK } from '../planning';

/** Also the order of a task's issues: from the task itself outwards to its dates, resources, roles and project. */
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

export type ValidationSeverity = 'error' | 'warning';

export interface ValidationCodeInfo {
  /** An error keeps the task out of the sync; a warning lets it go and tells the coordinator what will happen. */
  readonly severity: ValidationSeverity;
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

const error = (field: string): ValidationCodeInfo => ({ severity: 'error', field });
const warning = (field: string): ValidationCodeInfo => ({ severity: 'warning', field });

export const VALIDATION_CODE_INFO: Readonly<Record<ValidationCode, ValidationCodeInfo>> = {
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

/**
 * Project for the web limits (reference/dataverse-facts.md §1.3), the planner's own where it has them, so validation
 * refuses whatever the planner would: leaf task length in site-local calendar days, dates as site-local dates.
 */
export const VALIDATION_LIMITS = {
  maxTasksPerProject: 500,
  maxResourcesPerTask: MAX_RESOURCES_PER_TASK,
  maxLeafTaskDays: MAX_LEAF_TASK_DAYS,
  firstDate: FIRST_TASK_DATE,
  lastDate: LAST_TASK_DATE,
} as const;
