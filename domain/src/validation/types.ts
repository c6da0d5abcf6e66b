/**
 * Plain input and output of validation before sync. The ribbon assembles the inputs from a couple of Web API reads
 * (the selected tasks with their assignments and team members, their projects, the roles used); the bridge from
 * the task a pfb_tasksync row points to. Nothing here knows how the data was read.
 */
import type { ValidationSeverity, ValidationCode } from './codes';

export type { ValidationSeverity, ValidationCode } from './codes';

/** One resource assignment of a task (msdyn_resourceassignment) with its team member (msdyn_projectteam). */
export interface ValidationAssignment {
  /** msdyn_resourceassignment.msdyn_projectteamid */
  readonly teamMemberId: string;
  /** msdyn_projectteam.msdyn_name; shown in messages, falls back to the role name, then the id. */
  readonly teamMemberName?: string | null;
  /** msdyn_projectteam.msdyn_resourcecategory: the role. */
  readonly roleId: string | null;
  readonly roleName: string | null;
  /** msdyn_projectteam.msdyn_bookableresourceid: empty for a generic member, set for a named one. */
  readonly bookableResourceId: string | null;
}

/** A project task (msdyn_projecttask) as validation sees it. */
export interface ValidationTask {
  readonly id: string;
  /** msdyn_subject */
  readonly name: string;
  /** msdyn_project */
  readonly projectId: string;
  /** msdyn_summary */
  readonly isSummary: boolean;
  /** msdyn_effort, hours. */
  readonly effortHours: number | null;
  /** msdyn_scheduledstart / msdyn_scheduledend: ISO 8601 instants with an offset, as the Web API returns them (`…Z`). */
  readonly start: string | null;
  readonly end: string | null;
  readonly assignments: readonly ValidationAssignment[];
  /**
   * pfb_tasksync.pfb_syncstatus of the task's sync row when it has one. The ribbon passes it so a task the bridge is
   * syncing right now is not marked again; the bridge, which is the one syncing, leaves it out.
   */
  readonly syncStatus?: number | null;
}

/** A project (msdyn_project) with the columns our solution adds for field work. */
export interface ValidationProject {
  readonly id: string;
  /** msdyn_subject */
  readonly name: string;
  /** pfb_serviceaccount */
  readonly serviceAccountId: string | null;
  /** pfb_pricelist */
  readonly priceListId: string | null;
  /** pfb_timezone: IANA zone of the site. */
  readonly timeZone: string | null;
  /** pfb_workinghours: template such as `Mon-Fri 08:00-17:00`. */
  readonly workingHours: string | null;
  /** pfb_fieldenabled */
  readonly fieldEnabled: boolean;
  /** Number of tasks in the project, when the caller counted them. */
  readonly taskCount?: number;
}

/** A role (bookableresourcecategory) with our solution's mapping to Field Service. */
export interface ValidationRole {
  readonly id: string;
  readonly name: string;
  /** pfb_workordertype */
  readonly workOrderTypeId: string | null;
  /** pfb_characteristic */
  readonly characteristicId: string | null;
}

/** Rows by id: a Map or a plain object, as the caller has them. Ids compare case-insensitively, as GUIDs do. */
export type ValidationLookup<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

export interface ValidationContext {
  readonly projects: ValidationLookup<ValidationProject>;
  readonly roles: ValidationLookup<ValidationRole>;
  /** The moment "in the past" is measured from; defaults to the current time. */
  readonly now?: Date;
}

export type ValidationParams = Readonly<Record<string, string | number>>;

export interface ValidationIssue {
  readonly taskId: string;
  readonly taskName: string;
  readonly code: ValidationCode;
  /** The logical name to fix (see VALIDATION_CODE_INFO). */
  readonly field: string;
  readonly severity: ValidationSeverity;
  /** en-US, rendered. Other languages: render(code, params, lcid). */
  readonly message: string;
  /** en-US, rendered: what to do about it. */
  readonly fix: string;
  /** The values of the message's placeholders, plus the ids of the records named (projectId, roleId, teamMemberId). */
  readonly params: ValidationParams;
}

export interface TaskWithIssues {
  readonly task: ValidationTask;
  /** All its issues, errors and warnings, in rule order. */
  readonly issues: readonly ValidationIssue[];
}

export interface ValidationResult {
  /** Tasks with no error (possibly warnings), in input order: these go to the field. */
  readonly valid: ValidationTask[];
  /** Tasks with at least one error, in input order. */
  readonly invalid: TaskWithIssues[];
  /** Every issue, errors and warnings, task by task in input order. */
  readonly issues: ValidationIssue[];
}
