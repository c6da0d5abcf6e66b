/**
 * Plain data in and out of the planner (DESIGN §4 "Planning"): a Project Operations task with generic resource
 * assignments becomes Field Service work order slots, and a re-plan becomes a diff against the existing work orders.
 */
import type { WorkingHours } from './workingHours';

/**
 * `perDay` (the default): one work order per resource unit per working day.
 * `wholeWindow`: one work order per resource unit spanning the task's working window.
 */
export type PlanningPolicy = 'perDay' | 'wholeWindow';

/** The generic resource assignments of one role on the task. */
export interface RoleDemand {
  /** `bookableresourcecategory` id of the role; slots are ordered by it, so it must be unique in a task. */
  readonly roleId: string;
  readonly roleName: string;
  /** How many units (people) of the role; a positive whole number. */
  readonly count: number;
  /** The role's share of the task effort in hours, shared by its units; when absent the role shares what is left. */
  readonly effortHours?: number;
}

export interface PlanInput {
  /** `msdyn_projecttaskid`: the prefix of every slot key. */
  readonly taskId: string;
  /** `msdyn_subject`: names the task in errors. */
  readonly taskName: string;
  /** `msdyn_scheduledstart` / `msdyn_scheduledend`: ISO instants with an offset (`Z` or `±hh:mm`). */
  readonly start: string;
  readonly end: string;
  /** `msdyn_effort` in hours. */
  readonly effortHours: number;
  /** Generic resource assignments grouped by role (one entry per role). */
  readonly resources: readonly RoleDemand[];
  /** The site's IANA time zone (`msdyn_project.pfb_timezone`), e.g. `Australia/Sydney`. */
  readonly timeZone: string;
  /** From `parseWorkingHours(msdyn_project.pfb_workinghours)`. */
  readonly workingHours: WorkingHours;
  /** Local holidays at the site, `YYYY-MM-DD`. */
  readonly nonWorkingDates?: readonly string[];
  readonly policy?: PlanningPolicy;
}

/** One future work order (`msdyn_workorder` with `pfb_sourcekey` = `key`). */
export interface PlannedSlot {
  /** `${taskId}:${slotIndex}`: the work order's alternate key `pfb_sourcekey`. */
  key: string;
  /** `pfb_slotindex`, from 0, contiguous. */
  slotIndex: number;
  roleId: string;
  roleName: string;
  /** 1…count within the role. */
  resourceNumber: number;
  /** The site-local working day (`YYYY-MM-DD`) for `perDay`; null for `wholeWindow`. */
  localDate: string | null;
  /** UTC, seconds precision: `YYYY-MM-DDTHH:MM:SSZ`. */
  windowStart: string;
  windowEnd: string;
  /** `pfb_plannedeffort`: hours with at most 2 decimals. */
  effortHours: number;
}

export interface Plan {
  taskId: string;
  policy: PlanningPolicy;
  /** A `Scenario.*` choice value (`pfb_scenario`). */
  scenario: number;
  /** Ordered by slotIndex. */
  slots: PlannedSlot[];
  /** The task effort rounded to hundredths of an hour; the slots' efforts add up to exactly this. */
  plannedEffortHours: number;
  /** Earliest slot start and latest slot end (UTC, seconds precision). */
  plannedStart: string;
  plannedEnd: string;
  /** The site-local working days (`YYYY-MM-DD`) the task window touches, ascending. */
  workingDays: string[];
  /** Stable hash of every input that shapes the slots (`pfb_planfingerprint`); equal inputs give equal fingerprints. */
  fingerprint: string;
}

/** A work order already created for the task, as the bridge reads it back. */
export interface ExistingSlot {
  /** `pfb_sourcekey`. */
  key: string;
  effortHours: number;
  windowStart: string;
  windowEnd: string;
  /** It has a booking whose work has started (In Progress, Complete, Incomplete…): never cancel it. */
  started: boolean;
  /** The work order is already cancelled. */
  cancelled?: boolean;
}

export interface PlanDiff {
  /** New keys: create these work orders. */
  create: PlannedSlot[];
  /**
   * Keys that exist with a different window or effort, or that were cancelled and are planned again
   * (`previous.cancelled`: reactivate the work order). `previous.started` tells the bridge that work has begun.
   */
  update: { slot: PlannedSlot; previous: ExistingSlot }[];
  unchanged: PlannedSlot[];
  /** Existing, not cancelled, not started work orders the new plan no longer has: cancel them. */
  cancel: ExistingSlot[];
  /** Work orders the new plan no longer has but whose work has started: never cancelled, kept as they are. */
  keptStarted: ExistingSlot[];
}
