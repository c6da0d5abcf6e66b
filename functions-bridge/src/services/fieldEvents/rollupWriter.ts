/**
 * Coalesced roll-up writes (DESIGN §7: ≤ 1 Dataverse request per event at peak). Events mark task sync and project
 * progress rows dirty with their newest figures; every `intervalMs` one `$batch` writes each dirty row once, however
 * many events touched it — one change set per row, so one conflict does not undo the others.
 *
 * Every write is conditional: `If-Match` with the row version read or last written (a concurrent writer — another
 * bridge instance, the task-sync worker — makes it 412), or `If-None-Match: *` to create a project's progress row by
 * its alternate key. On a conflict the project is dropped and reloaded from the persisted events, and whatever differs
 * is written again (fieldState.ts), so two instances never lose each other's figures.
 */
import { pfb_projectprogress, pfb_tasksync, type ProjectProgressColumns, type TaskSyncColumns } from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { partError, type BatchItem, type BatchRequest } from '../dataverse/odataBatch';
import { BATCH_LIMIT, bind, primaryKey } from '../taskSync/names';
import type { Drift, FieldState } from './fieldState';

const PROGRESS = pfb_projectprogress.columns;
const TASK_SYNC_ID = primaryKey(pfb_tasksync).logicalName;
const PROGRESS_ID = primaryKey(pfb_projectprogress).logicalName;
const TASK_PERCENT = pfb_tasksync.columns.pfb_percentcomplete.logicalName;

/** `pfb_projectprogresses(pfb_project=<id>)`: the progress row by its alternate key (DESIGN §3). */
function progressByProject(projectId: string): string {
  const key = pfb_projectprogress.alternateKeys.find((k) => k.columns.length === 1 && k.columns[0] === PROGRESS.pfb_project.logicalName);
  if (!key) throw new Error('Schema: pfb_projectprogress has no alternate key on pfb_project');
  return `${pfb_projectprogress.entitySetName}(${PROGRESS.pfb_project.logicalName}=${projectId})`;
}

function failedProject(projectId: string, reason: string): Error {
  return new Error(`The roll-up of project ${projectId} was not written: ${reason}; it is recomputed from the recorded events on the next attempt.`);
}

interface Waiter {
  readonly projects: ReadonlySet<string>;
  resolve(): void;
  reject(error: Error): void;
}

export interface RollupWriterOptions {
  readonly client: DataverseClient;
  readonly state: FieldState;
  readonly intervalMs: number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, properties?: Record<string, string | number | boolean>) => void;
  /** Called after a task's figures are written (the schedule write-back follows % complete). */
  readonly onTaskWritten?: (projectId: string, projectTaskId: string, columns: TaskSyncColumns) => void;
}

export class RollupWriter {
  private tasks = new Map<string, { projectId: string; columns: TaskSyncColumns }>();
  private projects = new Map<string, ProjectProgressColumns>();
  private waiters: Waiter[] = [];
  /** The projects the last write could not write, and why. */
  private lastFailed = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  /** Rows written, flushes made (for the figures). */
  rowsWritten = 0;
  flushes = 0;

  constructor(private readonly options: RollupWriterOptions) {}

  markTask(projectId: string, taskSyncId: string, columns: TaskSyncColumns): void {
    this.tasks.set(taskSyncId, { projectId, columns });
    this.schedule();
  }

  markProject(projectId: string, columns: ProjectProgressColumns): void {
    this.projects.set(projectId, columns);
    this.schedule();
  }

  markDrift(drift: Drift): void {
    for (const t of drift.tasks) this.markTask(t.projectId, t.taskSyncId, t.columns);
    for (const p of drift.projects) this.markProject(p.projectId, p.columns);
  }

  /** Resolves once the rows of these projects dirty now are written (rejects when one of them could not be). */
  written(projectIds: Iterable<string>): Promise<void> {
    const projects = new Set(projectIds);
    const dirty = [...projects].some((p) => this.projects.has(p)) || [...this.tasks.values()].some((t) => projects.has(t.projectId));
    if (!dirty) {
      // Nothing dirty, but the rows may be in the write under way: wait for that one and for its verdict.
      if (!this.running) return Promise.resolve();
      return this.running.then(() => {
        const bad = [...projects].find((p) => this.lastFailed.has(p));
        if (bad) throw failedProject(bad, this.lastFailed.get(bad) as string);
      });
    }
    return new Promise<void>((resolve, reject) => this.waiters.push({ projects, resolve, reject }));
  }

  /** Writes whatever is dirty now, then resolves when idle. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running || this.tasks.size > 0 || this.projects.size > 0) {
      if (this.running) await this.running.catch(() => undefined);
      else await this.run();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.options.intervalMs);
  }

  private run(): Promise<void> {
    this.running ??= this.writeDirty().finally(() => {
      this.running = undefined;
      if (this.tasks.size > 0 || this.projects.size > 0) this.schedule();
    });
    return this.running;
  }

  private async writeDirty(): Promise<void> {
    const tasks = this.tasks;
    const projects = this.projects;
    const waiters = this.waiters;
    this.tasks = new Map();
    this.projects = new Map();
    this.waiters = [];
    const failed = new Map<string, string>();
    try {
      await this.write(tasks, projects, failed);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      for (const p of new Set([...projects.keys(), ...[...tasks.values()].map((t) => t.projectId)])) failed.set(p, reason);
    }
    // A failed project is reloaded from its events; the figures that differ are written by the next flush.
    for (const projectId of failed.keys()) this.options.state.dropProject(projectId);
    this.lastFailed = failed;
    for (const w of waiters) {
      const bad = [...w.projects].find((p) => failed.has(p));
      if (bad) w.reject(failedProject(bad, failed.get(bad) as string));
      else w.resolve();
    }
  }

  private async write(tasks: Map<string, { projectId: string; columns: TaskSyncColumns }>, projects: Map<string, ProjectProgressColumns>, failed: Map<string, string>): Promise<void> {
    const { state, client, log } = this.options;
    const writes: Array<{ projectId: string; request: BatchRequest; done: (body: Record<string, unknown> | undefined) => void }> = [];
    for (const [taskSyncId, { projectId, columns }] of tasks) {
      const row = state.projects.get(projectId)?.tasks.get(taskSyncId);
      if (!row) continue; // the project was dropped meanwhile: its reload recomputes this row
      writes.push({
        projectId,
        request: {
          method: 'PATCH',
          url: `${pfb_tasksync.entitySetName}(${taskSyncId})?$select=${TASK_SYNC_ID}`,
          headers: { 'If-Match': row.etag ?? '*', Prefer: 'return=representation' },
          body: columns,
        },
        done: (body) => {
          const before = row.persisted[TASK_PERCENT];
          row.etag = typeof body?.['@odata.etag'] === 'string' ? body['@odata.etag'] : null;
          row.persisted = { ...columns };
          if (row.projectTaskId && before !== columns.pfb_percentcomplete) this.options.onTaskWritten?.(projectId, row.projectTaskId, columns);
        },
      });
    }
    for (const [projectId, columns] of projects) {
      const project = state.projects.get(projectId);
      if (!project) continue;
      const existing = project.progress;
      writes.push({
        projectId,
        request: existing
          ? { method: 'PATCH', url: `${pfb_projectprogress.entitySetName}(${existing.id})?$select=${PROGRESS_ID}`, headers: { 'If-Match': existing.etag ?? '*', Prefer: 'return=representation' }, body: columns }
          : {
              method: 'PATCH',
              url: `${progressByProject(projectId)}?$select=${PROGRESS_ID}`,
              headers: { 'If-None-Match': '*', Prefer: 'return=representation' },
              body: { [PROGRESS.pfb_name.logicalName]: project.name.slice(0, PROGRESS.pfb_name.maxLength ?? 400), ...bind(PROGRESS.pfb_project, projectId), ...columns },
            },
        done: (body) => {
          const id = typeof body?.[PROGRESS_ID] === 'string' ? (body[PROGRESS_ID] as string).toLowerCase() : existing?.id;
          const etag = typeof body?.['@odata.etag'] === 'string' ? body['@odata.etag'] : null;
          project.progress = id ? { id, etag, persisted: { ...columns } } : null;
        },
      });
    }
    if (writes.length === 0) return;
    this.flushes += 1;
    for (let i = 0; i < writes.length; i += BATCH_LIMIT) {
      const part = writes.slice(i, i + BATCH_LIMIT);
      const items: BatchItem[] = part.map((w) => ({ kind: 'changeSet', requests: [w.request] }));
      const results = await client.sendBatch(`write roll-ups (${part.length} rows)`, items);
      results.forEach((result, k) => {
        const w = part[k] as (typeof part)[number];
        if (result.kind === 'changeSet' && result.ok) {
          w.done(result.responses[0]?.body as Record<string, unknown> | undefined);
          this.rowsWritten += 1;
        } else {
          const { code, message } = partError(result.response);
          failed.set(w.projectId, `${w.request.method} ${w.request.url.split('?')[0]} answered ${result.response.status} (${code}): ${message}`);
          log(result.response.status === 412 ? 'info' : 'warn', `roll-up write for project ${w.projectId} refused (${result.response.status} ${code}); reloading the project from its events`, {
            projectId: w.projectId,
            status: result.response.status,
          });
        }
      });
    }
  }
}
