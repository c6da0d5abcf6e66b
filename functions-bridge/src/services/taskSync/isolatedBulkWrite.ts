/**
 * A bulk message over many tasks' records, with one bad task unable to sink the rest. Bulk messages on standard
 * tables are all-or-nothing (bulk-operations), so:
 * - records are packed into messages of at most 1,000, a task's records kept together where they fit;
 * - when a message is refused with a permanent error (4xx other than 408/429), each task of that message is sent
 *   again on its own; the tasks refused again are reported failed with Dataverse's error, the rest are written;
 * - a transient failure (429 beyond the client's Retry-After budget, 5xx, timeouts) throws a TaskSyncError: the whole
 *   sync is retried by the queue, and every write here is idempotent (upserts by key, updates to fixed values).
 * The fallback costs one extra request per task of a refused message, only when something is refused.
 */
import type { DataverseClient } from '../dataverse/dataverseClient';
import { DataverseRequestError } from '../dataverse/dataverseError';
import type { Row } from './batchRead';
import { BULK_CHUNK, chunk } from './names';
import { TaskSyncError, type TaskSyncStep } from './taskSyncError';

export interface TaskRecords {
  readonly taskSyncId: string;
  readonly records: readonly Row[];
}

export interface BulkWrite {
  readonly step: TaskSyncStep;
  readonly entitySet: string;
  readonly message: 'UpsertMultiple' | 'UpdateMultiple';
  readonly logicalName: string;
}

/** Messages of at most `size` records; a task's records stay in one message unless they alone exceed it. */
export function packTasks(groups: readonly TaskRecords[], size: number): TaskRecords[][] {
  const messages: TaskRecords[][] = [];
  let current: TaskRecords[] = [];
  let count = 0;
  const close = (): void => {
    if (current.length > 0) messages.push(current);
    current = [];
    count = 0;
  };
  for (const g of groups) {
    if (g.records.length === 0) continue;
    if (g.records.length > size) {
      close();
      for (const part of chunk(g.records, size)) messages.push([{ taskSyncId: g.taskSyncId, records: part }]);
      continue;
    }
    if (count + g.records.length > size) close();
    current.push(g);
    count += g.records.length;
  }
  close();
  return messages;
}

function permanent(e: unknown): e is DataverseRequestError {
  return e instanceof DataverseRequestError && e.permanent;
}

/** Writes every task's records; returns the tasks Dataverse refused for good, with its error. */
export async function isolatedBulkWrite(client: DataverseClient, write: BulkWrite, groups: readonly TaskRecords[]): Promise<Map<string, DataverseRequestError>> {
  const refused = new Map<string, DataverseRequestError>();
  const send = (records: readonly Row[]): Promise<unknown> => client.bulk(write.entitySet, write.message, write.logicalName, [...records]);
  for (const message of packTasks(groups, BULK_CHUNK)) {
    const live = message.filter((g) => !refused.has(g.taskSyncId));
    if (live.length === 0) continue;
    try {
      await send(live.flatMap((g) => g.records));
      continue;
    } catch (e) {
      if (!permanent(e)) throw new TaskSyncError(write.step, e);
      if (live.length === 1) {
        refused.set((live[0] as TaskRecords).taskSyncId, e);
        continue;
      }
    }
    for (const g of live) {
      try {
        await send(g.records);
      } catch (e) {
        if (!permanent(e)) throw new TaskSyncError(write.step, e);
        refused.set(g.taskSyncId, e);
      }
    }
  }
  return refused;
}
