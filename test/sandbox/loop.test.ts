/**
 * The sandbox as `npm start` runs it (one process, its own data folder), driven through the Web API as the people
 * using it would: a coordinator marks a task Ready to Sync, the bridge creates its work orders, a dispatcher books
 * one, the simulated technicians work it, and the figures come back to the task and the project.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bookableresource, bookableresourcebooking, fieldStageChoice, msdyn_projecttask, msdyn_resourcerequirement, msdyn_workorder, pfb_tasksync, SyncStatus } from '@pfb/domain';
import { BOOKING_STATUS_IDS } from '@pfb/sandbox';
import { startSandbox, type RunningSandbox } from '../../sandbox/start/sandbox';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { client, type Client } from '../support/sandbox';
import { eventually } from '../support/eventually';

type Row = Record<string, unknown>;
let dir: string;
let sandbox: RunningSandbox;
let api: Client;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-sandbox-'));
  const pages = path.join(dir, 'pages');
  fs.mkdirSync(pages);
  fs.writeFileSync(path.join(pages, 'index.html'), '<!doctype html><title>shell</title>');
  sandbox = await startSandbox({ dir: path.join(dir, 'data'), port: 0, dataversePort: 0, bridgePort: 0, minutesPerSecond: 50_000, incompleteRate: 0, appShell: { staticRoots: { '/': pages } } });
  api = client(sandbox.dataverse.url);
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rows = async (p: string): Promise<Row[]> => (await api.get(p)).json<{ value: Row[] }>().value;

it('plan → Ready to Sync → work orders → booking → technician stages → actuals on the task and the project', async () => {
  const invalid = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
  const task = (await rows(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$orderby=msdyn_displaysequence`)).find((t) => !invalid.has(t['msdyn_projecttaskid'] as string)) as Row;
  const projectId = task['_msdyn_project_value'] as string;
  const created = await api.post(pfb_tasksync.entitySetName, {
    pfb_name: task['msdyn_subject'],
    'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${task['msdyn_projecttaskid'] as string})`,
    'pfb_project@odata.bind': `/msdyn_projects(${projectId})`,
    pfb_syncstatus: SyncStatus.ReadyToSync,
  });
  expect(created.status).toBe(204);
  const syncId = /\(([0-9a-f-]{36})\)$/.exec(created.headers.get('odata-entityid') ?? '')?.[1] as string;

  // The webhook step (imported with the solution, pointed at the bridge by setup) reaches the bridge.
  await eventually('Synced', async () => ((await api.get(`${pfb_tasksync.entitySetName}(${syncId})?$select=pfb_syncstatus`)).json<Row>()['pfb_syncstatus'] === SyncStatus.Synced ? true : undefined));
  const workOrders = await rows(`${msdyn_workorder.entitySetName}?$select=pfb_plannedeffort&$filter=_pfb_tasksync_value eq ${syncId}`);
  expect(workOrders.length).toBeGreaterThan(0);

  // A dispatcher books every work order to a technician.
  const technician = (await rows(`${bookableresource.entitySetName}?$select=name&$filter=pfb_mobilityuserid ne null&$top=1`))[0] as Row;
  const bookings: string[] = [];
  for (const wo of workOrders) {
    const requirement = (await rows(`${msdyn_resourcerequirement.entitySetName}?$select=msdyn_name&$filter=_msdyn_workorder_value eq ${wo['msdyn_workorderid'] as string}`))[0] as Row;
    const res = await api.post(
      bookableresourcebooking.entitySetName,
      {
        name: 'Site visit',
        starttime: '2027-05-04T22:00:00Z',
        endtime: '2027-05-05T06:00:00Z',
        'Resource@odata.bind': `/${bookableresource.entitySetName}(${technician['bookableresourceid'] as string})`,
        'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Scheduled})`,
        'msdyn_workorder@odata.bind': `/${msdyn_workorder.entitySetName}(${wo['msdyn_workorderid'] as string})`,
        'msdyn_resourcerequirement@odata.bind': `/${msdyn_resourcerequirement.entitySetName}(${requirement['msdyn_resourcerequirementid'] as string})`,
      },
      { Prefer: 'return=representation' },
    );
    expect(res.status).toBe(201);
    bookings.push(res.json<Row>()['bookableresourcebookingid'] as string);
  }

  // The bridge sends them over mutual TLS; the technicians work them to Complete; the figures come back.
  for (const b of bookings) {
    await eventually(`booking ${b} Complete`, async () => ((await api.get(`${bookableresourcebooking.entitySetName}(${b})?$select=pfb_fieldstage`)).json<Row>()['pfb_fieldstage'] === fieldStageChoice('Complete') ? true : undefined));
  }
  expect(sandbox.mobility.tickets().filter((t) => bookings.includes(t.ticketId))).toHaveLength(bookings.length);
  const figures = await eventually('100 % on the task', async () => {
    const t = (await api.get(`${pfb_tasksync.entitySetName}(${syncId})?$select=pfb_percentcomplete,pfb_actualeffort,pfb_actualstart,pfb_actualend`)).json<Row>();
    return t['pfb_percentcomplete'] === 100 ? t : undefined;
  });
  expect(figures['pfb_actualeffort']).toBeGreaterThan(0);
  const progress = (await rows(`pfb_projectprogresses?$select=pfb_taskscompleted,pfb_taskstotal,pfb_percentcomplete&$filter=_pfb_project_value eq ${projectId}`))[0] as Row;
  expect(progress).toMatchObject({ pfb_taskscompleted: 1, pfb_taskstotal: 1, pfb_percentcomplete: 100 });
}, 120_000);

it('keeps its data between runs: a restart opens the same organization, with the same registrations', async () => {
  const before = (await rows('pfb_tasksyncs?$select=pfb_name')).length;
  await sandbox.close();
  const pages = path.join(dir, 'pages');
  sandbox = await startSandbox({ dir: path.join(dir, 'data'), port: 0, dataversePort: 0, bridgePort: 0, technicians: false, appShell: { staticRoots: { '/': pages } } });
  api = client(sandbox.dataverse.url);
  expect((await rows('pfb_tasksyncs?$select=pfb_name')).length).toBe(before);
  expect(sandbox.setup.changes.some((c) => /endpoint/i.test(c))).toBe(true); // a new bridge port: the endpoints follow it
}, 120_000);
