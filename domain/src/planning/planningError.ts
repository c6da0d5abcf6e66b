/**
 * Why the planner refused a task. Validation (DESIGN §4) reports most of these to the coordinator before a sync; the
 * planner still checks so that it never writes work orders from inputs it cannot plan.
 */
export type PlanningErrorCode =
  | 'missingTaskId'
  | 'invalidDate'
  | 'endBeforeStart'
  | 'dateOutOfRange'
  | 'tooLong'
  | 'unknownTimeZone'
  | 'invalidWorkingHours'
  | 'invalidNonWorkingDate'
  | 'invalidPolicy'
  | 'invalidEffort'
  | 'noResources'
  | 'invalidResource'
  | 'tooManyResources'
  | 'effortMismatch'
  | 'noWorkingDay'
  | 'effortTooSmall'
  | 'duplicateExistingKey';

export class PlanningError extends Error {
  override readonly name = 'PlanningError';

  constructor(
    readonly code: PlanningErrorCode,
    /** The task the error is about (`msdyn_projecttaskid`). */
    readonly taskId: string,
    message: string,
  ) {
    super(message);
  }
}

/** How a task is named in messages: its subject, else its id. */
export function taskLabel(taskName: string | undefined, taskId: string): string {
  const name = taskName?.trim();
  return `Task '${name ? name : taskId}'`;
}
