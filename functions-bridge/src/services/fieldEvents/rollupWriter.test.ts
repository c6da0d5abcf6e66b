import type { TaskSyncColumns } from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import type { BatchItem, BatchItemResult } from '../dataverse/odataBatch';
import type { FieldState } from './fieldState';
import { RollupWriter } from './rollupWriter';

const columns = (percent: number): TaskSyncColumns => ({
  pfb_actualstart: null,
  pfb_actualend: null,
  pfb_actualeffort: 0,
  pfb_effortvariance: 0,
  pfb_effortvariancepct: null,
  pfb_percentcomplete: percent,
  pfb_workorderscompleted: 0,
  pfb_workordersincomplete: 0,
  pfb_fieldstatus: 724310000,
});

/** One project with one task row; a Dataverse whose $batch answers when `release` is called. */
function setup(status = 204) {
  const row = { id: 't1', etag: 'W/"1"', persisted: {} };
  const dropped: string[] = [];
  const state = { projects: new Map([['p1', { projectId: 'p1', name: 'P', tasks: new Map([['t1', row]]), progress: null }]]), dropProject: (p: string) => dropped.push(p) } as unknown as FieldState;
  const sent: BatchItem[][] = [];
  let release: () => void = () => undefined;
  const client = {
    sendBatch: (_op: string, items: BatchItem[]) => {
      sent.push(items);
      return new Promise<BatchItemResult[]>((resolve) => {
        release = () =>
          resolve(items.map(() => (status < 400 ? { kind: 'changeSet', ok: true, responses: [{ status, headers: {}, body: { '@odata.etag': 'W/"2"' } }] } : { kind: 'changeSet', ok: false, response: { status, headers: {}, body: { error: { code: '0x80060882', message: 'version mismatch' } } } })));
      });
    },
  } as unknown as DataverseClient;
  const writer = new RollupWriter({ client, state, intervalMs: 5, log: () => undefined });
  return { writer, row, sent, dropped, release: () => release() };
}

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('writes each dirty row once per interval with its newest figures, conditional on its version', async () => {
  const { writer, sent, release, row } = setup();
  writer.markTask('p1', 't1', columns(10));
  writer.markTask('p1', 't1', columns(40));
  const done = writer.written(['p1']);
  await tick();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toEqual([{ kind: 'changeSet', requests: [expect.objectContaining({ method: 'PATCH', headers: expect.objectContaining({ 'If-Match': 'W/"1"' }), body: columns(40) })] }]);
  release();
  await done;
  expect(row.etag).toBe('W/"2"');
});

it('a message asking while its rows are being written waits for that write, not for a next one that never comes', async () => {
  const { writer, release } = setup();
  writer.markTask('p1', 't1', columns(50));
  await tick();
  // The write is under way and nothing is dirty: this must settle when it ends.
  const late = writer.written(['p1']);
  release();
  await expect(late).resolves.toBeUndefined();
});

it('a refused write rejects its waiters and drops the project for a reload', async () => {
  const { writer, release, dropped } = setup(412);
  writer.markTask('p1', 't1', columns(60));
  const waiting = writer.written(['p1']);
  await tick();
  const during = writer.written(['p1']);
  release();
  await expect(waiting).rejects.toThrow(/project p1 was not written/);
  await expect(during).rejects.toThrow(/project p1 was not written/);
  expect(dropped).toEqual(['p1']);
});
