/**
 * Optional write-back of field progress to the project schedule (off by default): each synced task's
 * `msdyn_progress` (0–1) follows its % complete, so the Project schedule and its Gantt show the field's progress.
 *
 * Project tasks can only be changed through the Project schedule APIs (DESIGN §2): an operation set
 * (`msdyn_CreateOperationSetV1`), `msdyn_PssUpdateV1` per task, `msdyn_ExecuteOperationSetV1`, then the scheduling
 * service applies it later — so the set's `msdyn_status` is polled until Completed or Failed. Limits that shape this:
 * 200 operations per set, 10 open sets per user (this keeps at most one per project), and **application users cannot
 * call these APIs**: the write-back runs as a service *user* with a Project license (its own identity and its own
 * service protection budget — SCHEDULE_WRITEBACK_* settings), not as the bridge's application user.
 *
 * Progress is coalesced: only a task's latest value is kept, and a project's changes go out together once per
 * interval, so a day of field events costs a few operation sets, not one per event.
 */
import { msdyn_operationset, msdyn_projecttask, OperationSetStatus } from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { primaryKey } from '../taskSync/names';

export const MAX_OPERATIONS_PER_SET = 200;
const SET_STATUS = msdyn_operationset.columns.msdyn_status.logicalName;

export interface ScheduleWriteBackOptions {
  /** A client authenticated as the Project-licensed service user. */
  readonly client: DataverseClient;
  readonly intervalMs: number;
  /** Between polls of an executed set's status. */
  readonly pollMs?: number;
  /** Give up waiting for a set after this long (it is then polled again on the next interval). */
  readonly maxWaitMs?: number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, properties?: Record<string, string | number | boolean>) => void;
}

export class ScheduleWriteBack {
  /** project → task → latest progress (0–1). */
  private pending = new Map<string, Map<string, number>>();
  /** project → executed set still being applied. */
  private readonly open = new Map<string, { setId: string; since: number; tasks: Map<string, number> }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Sets executed and completed, for diagnostics. */
  readonly counts = { setsExecuted: 0, setsCompleted: 0, setsFailed: 0, operations: 0 };

  constructor(private readonly options: ScheduleWriteBackOptions) {}

  /** A task's % complete (0–100) changed. */
  note(projectId: string, projectTaskId: string, percentComplete: number): void {
    const tasks = this.pending.get(projectId) ?? new Map<string, number>();
    tasks.set(projectTaskId, Math.min(1, Math.max(0, Math.round(percentComplete * 100) / 10000)));
    this.pending.set(projectId, tasks);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.options.intervalMs);
  }

  /** Writes what is pending now and waits for the sets to be applied. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.run();
    while (this.open.size > 0) {
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 2000));
      await this.poll();
    }
  }

  close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.running ?? Promise.resolve();
  }

  private run(): Promise<void> {
    this.running ??= this.writeAll().finally(() => {
      this.running = undefined;
      if ((this.pending.size > 0 || this.open.size > 0) && !this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.run();
        }, this.options.intervalMs);
      }
    });
    return this.running;
  }

  private async writeAll(): Promise<void> {
    await this.poll();
    const pending = this.pending;
    this.pending = new Map();
    for (const [projectId, tasks] of pending) {
      if (this.open.has(projectId)) {
        // One open set per project: merge into what waits for the next round.
        const later = this.pending.get(projectId) ?? new Map<string, number>();
        for (const [t, p] of tasks) if (!later.has(t)) later.set(t, p);
        this.pending.set(projectId, later);
        continue;
      }
      const batch = new Map([...tasks].slice(0, MAX_OPERATIONS_PER_SET));
      const rest = [...tasks].slice(MAX_OPERATIONS_PER_SET);
      if (rest.length > 0) this.pending.set(projectId, new Map(rest));
      try {
        await this.execute(projectId, batch);
      } catch (e) {
        this.options.log('warn', `schedule write-back for project ${projectId} failed (${(e as Error).message}); retried on the next interval`, { projectId });
        const again = this.pending.get(projectId) ?? new Map<string, number>();
        for (const [t, p] of batch) if (!again.has(t)) again.set(t, p);
        this.pending.set(projectId, again);
      }
    }
  }

  private async execute(projectId: string, tasks: Map<string, number>): Promise<void> {
    const { client } = this.options;
    const created = await client.action<{ OperationSetId: string }>('msdyn_CreateOperationSetV1', { ProjectId: projectId, Description: `Project Field Bridge: field progress of ${tasks.size} task(s)` });
    const setId = created.OperationSetId;
    try {
      for (const [taskId, progress] of tasks) {
        await client.action('msdyn_PssUpdateV1', {
          Entity: { '@odata.type': `Microsoft.Dynamics.CRM.${msdyn_projecttask.logicalName}`, [primaryKey(msdyn_projecttask).logicalName]: taskId, msdyn_progress: progress },
          OperationSetId: setId,
        });
      }
      await client.action('msdyn_ExecuteOperationSetV1', { OperationSetId: setId });
    } catch (e) {
      // Leave no half-staged set behind: it would count against the user's 10 open sets.
      await client.action('msdyn_AbandonOperationSetV1', { OperationSetId: setId }).catch(() => undefined);
      throw e;
    }
    this.counts.setsExecuted += 1;
    this.counts.operations += tasks.size;
    this.open.set(projectId, { setId, since: Date.now(), tasks });
  }

  /** Checks every executed set; a failed one is retried with its tasks' latest values. */
  private async poll(): Promise<void> {
    for (const [projectId, set] of [...this.open]) {
      const row = await this.options.client.retrieve(msdyn_operationset.entitySetName, set.setId, [SET_STATUS]).catch(() => null);
      const status = row?.[SET_STATUS];
      if (status === OperationSetStatus.Completed) {
        this.open.delete(projectId);
        this.counts.setsCompleted += 1;
      } else if (status === OperationSetStatus.Failed || status === OperationSetStatus.Abandoned) {
        this.open.delete(projectId);
        this.counts.setsFailed += 1;
        this.options.log('warn', `operation set ${set.setId} of project ${projectId} ${status === OperationSetStatus.Failed ? 'failed' : 'was abandoned'}; its ${set.tasks.size} update(s) are sent again`, { projectId });
        const again = this.pending.get(projectId) ?? new Map<string, number>();
        for (const [t, p] of set.tasks) if (!again.has(t)) again.set(t, p);
        this.pending.set(projectId, again);
      } else if (Date.now() - set.since > (this.options.maxWaitMs ?? 10 * 60_000)) {
        this.options.log('warn', `operation set ${set.setId} of project ${projectId} is still ${String(status)} after ${Math.round((Date.now() - set.since) / 1000)} s; waiting`, { projectId });
      }
    }
  }
}
