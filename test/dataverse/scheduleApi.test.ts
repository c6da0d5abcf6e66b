/**
 * The Project schedule APIs (schedule-api-preview): plain writes of scheduling tables are refused; operation sets
 * stage at most 200 operations, a user has at most 10 open sets, execution is asynchronous and all-or-nothing, and
 * application users cannot call the APIs.
 */
import { OperationSetStatus } from '@pfb/domain';
import { applicationToken, BRIDGE_APP_ID, type RunningDataverse } from '@pfb/sandbox';
import { client, startTestDataverse, type Client } from '../support/sandbox';

let dv: RunningDataverse;
let api: Client;
let projectId: string;
let bucketId: string;

const appToken = (): string => applicationToken(BRIDGE_APP_ID);

beforeAll(async () => {
  dv = await startTestDataverse({ scheduleApplyDelayMs: 20 });
  api = client(dv.url);
  const res = await api.post('msdyn_CreateProjectV1', { Project: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_project', msdyn_subject: 'Tower upgrades NSW' } });
  expect(res.status).toBe(200);
  projectId = res.json()['ProjectId'] as string;
  const buckets = (await api.get(`msdyn_projectbuckets?$filter=_msdyn_project_value eq ${projectId}`)).json()['value'] as Record<string, string>[];
  expect(buckets.map((b) => b['msdyn_name'])).toEqual(['Bucket 1']);
  bucketId = buckets[0]?.['msdyn_projectbucketid'] as string;
});
afterAll(() => dv.close());

const task = (id: string, subject: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttask',
  msdyn_projecttaskid: id,
  'msdyn_project@odata.bind': `/msdyn_projects(${projectId})`,
  'msdyn_projectbucket@odata.bind': `/msdyn_projectbuckets(${bucketId})`,
  msdyn_subject: subject,
  msdyn_scheduledstart: '2027-02-01T08:00:00Z',
  msdyn_scheduledend: '2027-02-03T17:00:00Z',
  msdyn_effort: 24,
  ...extra,
});

async function openSet(): Promise<string> {
  const res = await api.post('msdyn_CreateOperationSetV1', { ProjectId: projectId, Description: 'test' });
  expect(res.status).toBe(200);
  return res.json()['OperationSetId'] as string;
}

async function waitForStatus(setId: string): Promise<number> {
  await dv.idle();
  return (await api.get(`msdyn_operationsets(${setId})?$select=msdyn_status`)).json()['msdyn_status'] as number;
}

describe('plain writes of scheduling tables', () => {
  it('are refused with a Dataverse-shaped error that names the schedule APIs', async () => {
    const res = await api.post('msdyn_projecttasks', { msdyn_subject: 'x', 'msdyn_project@odata.bind': `/msdyn_projects(${projectId})` });
    expect(res.status).toBe(400);
    expect(res.json()['error']).toMatchObject({ code: expect.stringMatching(/^0x/), message: expect.stringContaining('msdyn_PssCreateV1') });
    expect((await api.get('msdyn_projecttasks?$count=true')).json()['@odata.count']).toBe(0);
  });
});

describe('operation sets', () => {
  it('create, stage and execute: nothing exists until the set is applied, then every row does and summaries roll up', async () => {
    const setId = await openSet();
    const parent = 'aaaaaaaa-0000-4000-8000-000000000001';
    const child1 = 'aaaaaaaa-0000-4000-8000-000000000002';
    const child2 = 'aaaaaaaa-0000-4000-8000-000000000003';
    const staged = await api.post('msdyn_PssCreateV1', { Entity: task(parent, 'Site build', { msdyn_outlinelevel: 1 }), OperationSetId: setId });
    expect(staged.status).toBe(200);
    // OperationSetResponse is a JSON string parsed a second time (schedule-api-preview).
    const parsed = JSON.parse(staged.json()['OperationSetResponse'] as string) as Record<string, string>;
    expect(parsed).toMatchObject({ operationSetId: setId, operationType: 'Create', recordId: parent });
    for (const [id, name, effort] of [[child1, 'Foundations', 16], [child2, 'Erect tower', 40]] as const) {
      await api.post('msdyn_PssCreateV1', {
        Entity: task(id, name, { msdyn_outlinelevel: 2, msdyn_effort: effort, 'msdyn_parenttask@odata.bind': `/msdyn_projecttasks(${parent})` }),
        OperationSetId: setId,
      });
    }
    expect((await api.get('msdyn_projecttasks?$count=true')).json()['@odata.count']).toBe(0);
    expect((await api.post('msdyn_ExecuteOperationSetV1', { OperationSetId: setId })).status).toBe(200);
    expect(await waitForStatus(setId)).toBe(OperationSetStatus.Completed);
    const summary = (await api.get(`msdyn_projecttasks(${parent})?$select=msdyn_effort,msdyn_summary`)).json();
    expect(summary).toMatchObject({ msdyn_effort: 56, msdyn_summary: true });
    expect((await api.get(`msdyn_projects(${projectId})?$select=msdyn_effort`)).json()['msdyn_effort']).toBe(56);
  });

  it('updates through msdyn_PssUpdateV1, and refuses what the docs refuse (effort completed, progress outside 0–1)', async () => {
    const setId = await openSet();
    const id = 'aaaaaaaa-0000-4000-8000-000000000002';
    const bad = await api.post('msdyn_PssUpdateV1', { Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttask', msdyn_projecttaskid: id, msdyn_progress: 50 }, OperationSetId: setId });
    expect(bad.status).toBe(400);
    const ok = await api.post('msdyn_PssUpdateV1', { Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttask', msdyn_projecttaskid: id, msdyn_subject: 'Foundations (deep)', msdyn_progress: 0.5 }, OperationSetId: setId });
    expect(ok.status).toBe(200);
    await api.post('msdyn_ExecuteOperationSetV1', { OperationSetId: setId });
    expect(await waitForStatus(setId)).toBe(OperationSetStatus.Completed);
    expect((await api.get(`msdyn_projecttasks(${id})?$select=msdyn_subject,msdyn_progress`)).json()).toMatchObject({ msdyn_subject: 'Foundations (deep)', msdyn_progress: 0.5 });
  });

  it('a failing operation rolls back the whole set: status Failed, an error log, no partial rows', async () => {
    const setId = await openSet();
    await api.post('msdyn_PssCreateV1', { Entity: task('bbbbbbbb-0000-4000-8000-000000000001', 'Good task'), OperationSetId: setId });
    // Deleting a task that does not exist fails only when the scheduling service applies the set.
    await api.post('msdyn_PssDeleteV1', { RecordId: 'bbbbbbbb-0000-4000-8000-0000000000ff', EntityLogicalName: 'msdyn_projecttask', OperationSetId: setId });
    await api.post('msdyn_ExecuteOperationSetV1', { OperationSetId: setId });
    expect(await waitForStatus(setId)).toBe(OperationSetStatus.Failed);
    expect((await api.get('msdyn_projecttasks(bbbbbbbb-0000-4000-8000-000000000001)')).status).toBe(404);
    const logId = (await api.get(`msdyn_operationsets(${setId})?$select=_msdyn_psserrorlog_value`)).json()['_msdyn_psserrorlog_value'] as string;
    const log = (await api.get(`msdyn_psserrorlogs(${logId})?$select=msdyn_log`)).json();
    expect(log['msdyn_log']).toContain('Does Not Exist');
  });

  it('allows at most 200 operations per set', async () => {
    const setId = await openSet();
    for (let i = 0; i < 200; i += 1) {
      const res = await api.post('msdyn_PssCreateV1', { Entity: task(`cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`, `T${i}`), OperationSetId: setId });
      expect(res.status).toBe(200);
    }
    const over = await api.post('msdyn_PssCreateV1', { Entity: task('cccccccc-0000-4000-8000-999999999999', 'one too many'), OperationSetId: setId });
    expect(over.status).toBe(400);
    expect((over.json()['error'] as { message: string }).message).toMatch(/up to 200 operations/);
    await api.post('msdyn_AbandonOperationSetV1', { OperationSetId: setId });
    expect(await waitForStatus(setId)).toBe(OperationSetStatus.Abandoned);
  });

  it('allows at most 10 open sets per user', async () => {
    const open = (await api.get(`msdyn_operationsets?$filter=msdyn_status eq ${OperationSetStatus.Open}&$count=true`)).json()['@odata.count'] as number;
    const ids: string[] = [];
    for (let i = open; i < 10; i += 1) ids.push(await openSet());
    const res = await api.post('msdyn_CreateOperationSetV1', { ProjectId: projectId, Description: 'eleventh' });
    expect(res.status).toBe(400);
    expect((res.json()['error'] as { message: string }).message).toMatch(/10 open OperationSets/);
    for (const id of ids) await api.post('msdyn_AbandonOperationSetV1', { OperationSetId: id });
  });

  it('refuses application users, as the license restriction does', async () => {
    const app = client(dv.url, appToken());
    expect((await app.get('WhoAmI')).json()['UserId']).not.toBe((await api.get('WhoAmI')).json()['UserId']);
    const res = await app.post('msdyn_CreateOperationSetV1', { ProjectId: projectId, Description: 'from the bridge' });
    expect(res.status).toBe(403);
    expect((res.json()['error'] as { message: string }).message).toMatch(/application users/);
  });
});
