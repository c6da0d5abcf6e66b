/**
 * What Ready to Sync will do with what it read, decided without I/O: which tasks are skipped for their state, which
 * the domain validation refuses (with every issue), and which go to the field (possibly with warnings). Validation is
 * the domain's `validateTasks`, the same rules the bridge applies.
 */
import { validateTasks, type TaskWithIssues, type ValidationIssue, type ValidationProject, type ValidationRole } from '@pfb/domain';
import { projectSkip, selectionSkip, type SkipReason } from './syncStates';
import type { TaskRecord } from './taskRows';

export type Mode = 'selection' | 'project';

export interface SkippedTask {
  readonly taskId: string;
  /** The task's name; the id when the task could not be read. */
  readonly taskName: string;
  readonly reason: SkipReason;
}

export interface ReadyToSyncPlan {
  readonly toQueue: readonly TaskRecord[];
  readonly invalid: readonly TaskWithIssues[];
  /** Warnings of the tasks that go (taskInPast, namedAssignment, roleWithoutCharacteristic). */
  readonly warnings: readonly ValidationIssue[];
  readonly skipped: readonly SkippedTask[];
}

export interface PlanInput {
  readonly mode: Mode;
  /** Selection mode: the selected ids, in selection order (normalised). */
  readonly requestedIds: readonly string[];
  /** What was handed over but is not a record id. */
  readonly invalidIds?: readonly string[];
  /** When set, tasks of other projects are skipped (a project's subgrid, the project form). */
  readonly projectId?: string | null;
  readonly records: readonly TaskRecord[];
  readonly now: Date;
}

export function planReadyToSync(input: PlanInput): ReadyToSyncPlan {
  const byId = new Map(input.records.map((r) => [r.task.id, r]));
  const ordered: TaskRecord[] = input.mode === 'selection' ? input.requestedIds.flatMap((id) => byId.get(id) ?? []) : [...input.records];
  const skipped: SkippedTask[] = (input.invalidIds ?? []).map((id) => ({ taskId: id, taskName: id, reason: 'invalidId' }));
  if (input.mode === 'selection') {
    for (const id of input.requestedIds) if (!byId.has(id)) skipped.push({ taskId: id, taskName: id, reason: 'notFound' });
  }

  const candidates: TaskRecord[] = [];
  for (const r of ordered) {
    if (input.projectId && r.task.projectId !== input.projectId) {
      skipped.push({ taskId: r.task.id, taskName: r.task.name, reason: 'outsideProject' });
      continue;
    }
    const reason = input.mode === 'selection' ? selectionSkip(r.task.syncStatus) : projectSkip(r.task.syncStatus);
    if (reason) skipped.push({ taskId: r.task.id, taskName: r.task.name, reason });
    else candidates.push(r);
  }

  const projects = new Map<string, ValidationProject>();
  const roles = new Map<string, ValidationRole>();
  for (const r of candidates) {
    if (r.project) projects.set(r.project.id, r.project);
    for (const role of r.roles) roles.set(role.id, role);
  }
  const result = validateTasks(
    candidates.map((r) => r.task),
    { projects, roles, now: input.now },
  );
  const valid = new Set(result.valid.map((t) => t.id));
  return {
    toQueue: candidates.filter((r) => valid.has(r.task.id)),
    invalid: result.invalid,
    warnings: result.issues.filter((i) => i.severity === 'warning' && valid.has(i.taskId)),
    skipped,
  };
}
