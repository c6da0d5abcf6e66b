/**
 * Tasks → project (`pfb_projectprogress`, DESIGN §4): % complete = Σ(task estimate × task %) ÷ Σ task estimate over
 * the project's field tasks (its pfb_tasksync rows); tasks completed / total; actual start = earliest; actual end once
 * every task has finished; actual effort, estimated effort and variance summed. O(1) per task change.
 *
 * Σ(estimate × %) is kept as Σ earned seconds (each task's estimate × its exact fraction, rounded to a whole second),
 * so the sum is an exact integer and the same whatever the order of changes. When every task has a zero estimate the
 * % falls back to completed ÷ total tasks.
 */
import { NO_EXTREME, type Extreme } from './extreme';
import { moveExtreme } from './rescan';
import type { TaskRollup } from './taskRollup';

export interface ProjectAggregate {
  readonly tasks: number;
  readonly completed: number;
  /** Completed or Incomplete: the project has an actual end when all tasks have finished. */
  readonly finished: number;
  readonly estimateSeconds: number;
  readonly earnedSeconds: number;
  readonly effortSeconds: number;
  readonly start: Extreme;
  readonly end: Extreme;
  readonly lastEvent: Extreme;
}

export const EMPTY_PROJECT: ProjectAggregate = {
  tasks: 0,
  completed: 0,
  finished: 0,
  estimateSeconds: 0,
  earnedSeconds: 0,
  effortSeconds: 0,
  start: NO_EXTREME,
  end: NO_EXTREME,
  lastEvent: NO_EXTREME,
};

function tally(t: TaskRollup | null): { n: number; completed: number; finished: number; estimate: number; earned: number; effort: number } {
  if (!t) return { n: 0, completed: 0, finished: 0, estimate: 0, earned: 0, effort: 0 };
  return {
    n: 1,
    completed: t.status === 'Completed' ? 1 : 0,
    finished: t.status === 'Completed' || t.status === 'Incomplete' ? 1 : 0,
    estimate: t.estimateSeconds,
    earned: t.earnedSeconds,
    effort: t.effortSeconds,
  };
}

/**
 * Replaces one task's contribution (`null` before: a task sent to the field; `null` after: one withdrawn). `tasks`
 * lists the project's tasks after the change, read only when an extreme must be rescanned (extreme.ts).
 */
export function applyTaskChange(
  project: ProjectAggregate,
  before: TaskRollup | null,
  after: TaskRollup | null,
  tasks?: () => Iterable<TaskRollup>,
): ProjectAggregate {
  if (before === after) return project;
  const b = tally(before);
  const a = tally(after);
  return {
    tasks: project.tasks - b.n + a.n,
    completed: project.completed - b.completed + a.completed,
    finished: project.finished - b.finished + a.finished,
    estimateSeconds: project.estimateSeconds - b.estimate + a.estimate,
    earnedSeconds: project.earnedSeconds - b.earned + a.earned,
    effortSeconds: project.effortSeconds - b.effort + a.effort,
    start: moveExtreme(project.start, before?.actualStart ?? null, after?.actualStart ?? null, 'min', tasks, (t) => t.actualStart, 'project actual start'),
    end: moveExtreme(project.end, before?.actualEnd ?? null, after?.actualEnd ?? null, 'max', tasks, (t) => t.actualEnd, 'project actual end'),
    lastEvent: moveExtreme(project.lastEvent, before?.lastEventAt ?? null, after?.lastEventAt ?? null, 'max', tasks, (t) => t.lastEventAt, 'project last field update'),
  };
}

/** The aggregate from scratch: what the bridge uses after a restart, and the reference the tests hold it to. */
export function recomputeProject(tasks: Iterable<TaskRollup>): ProjectAggregate {
  let project = EMPTY_PROJECT;
  for (const t of tasks) project = applyTaskChange(project, null, t);
  return project;
}
