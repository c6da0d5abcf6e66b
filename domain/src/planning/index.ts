/** Planning (DESIGN §4): a task with generic resources → work order slots, and a re-plan → a diff. */
export type { ExistingSlot, Plan, PlanDiff, PlanInput, PlannedSlot, PlanningPolicy, RoleDemand } from './types';
export { PlanningError } from './planningError';
export type { PlanningErrorCode } from './planningError';
export { planWorkOrders } from './planWorkOrders';
export { diffPlan } from './diffPlan';
export { FIRST_TASK_DATE, LAST_TASK_DATE, MAX_LEAF_TASK_DAYS, MAX_RESOURCES_PER_TASK } from './normalisePlanInput';
export { PLAN_FINGERPRINT_VERSION } from './planFingerprint';
export { DEFAULT_WORKING_HOURS_TEXT, formatWorkingHours, parseWorkingHours } from './workingHours';
export type { IsoWeekday, WorkingHours, WorkingHoursResult } from './workingHours';
