/**
 * `npm run setup` against a local Dataverse with the whole package imported (webhook endpoints and steps included),
 * run as an admin runs it: the first run creates the field-stage booking statuses, points the endpoints at the bridge,
 * sets the key and the environment variables; a second run changes nothing; neither prints the key or the token.
 * Then Dataverse posts a task sync row to the bridge's route with the key, as the bridge expects. A local Dataverse
 * without the solution framework gets a failure that names the cause and the next step.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { BookingSystemStatus, SyncStatus, bookingstatus, fieldStageBookingStatusRows, msdyn_projecttask, pfb_tasksync } from '@pfb/domain';
import type { RunningDataverse } from '@pfb/sandbox';
import { client, startTestDataverse, type Client } from '../support/sandbox';

const CLI = path.resolve(__dirname, '../../solution/src/setup/cli.ts');
const KEY = 'bridge-webhook-key-for-setup-test-5c1e';
const TOKEN = 'setup-test-token-never-printed';

function setup(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, NODE_OPTIONS: '', DATAVERSE_TOKEN: TOKEN, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Posted {
  readonly url: string;
  readonly body: Record<string, unknown>;
}

let dv: RunningDataverse;
let api: Client;
let bridge: http.Server;
let bridgeUrl: string;
const posted: Posted[] = [];

beforeAll(async () => {
  dv = await startTestDataverse({ solution: 'full', seed: 'telecom' });
  api = client(dv.url);
  bridge = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posted.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', () => resolve()));
  bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await dv.close();
  bridge.closeAllConnections();
  await new Promise<void>((resolve) => bridge.close(() => resolve()));
});

describe('npm run setup', () => {
  let first: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    first = await setup(['--url', dv.url, '--bridge-url', bridgeUrl, '--mobility-url', 'https://mobility.example.com', '--webhook-key', KEY]);
  }, 60_000);

  it('checks the applications and the solution, and says what it changed', () => {
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain('ok: Project Operations is installed');
    expect(first.stdout).toContain('ok: Field Service is installed');
    expect(first.stdout).toMatch(/ok: ProjectFieldBridge \d+\.\d+\.\d+\.\d+ is imported/);
    expect(first.stdout).toContain('changed: created booking status "Field: Incomplete" (field stage Incomplete, Field Service status Completed, does not complete the work order)');
    expect(first.stdout).toContain(`changed: pointed webhook endpoint "Project Field Bridge: task sync" at ${bridgeUrl}/api/dataverse/task-sync`);
    expect(first.stdout).toContain(`changed: set environment variable pfb_BridgeUrl to ${bridgeUrl}`);
    expect(first.stdout).toContain('changed: set environment variable pfb_MobilityAppUrl to https://mobility.example.com');
    expect(first.stdout).not.toContain('to do:');
  });

  it('never prints the key or the token', () => {
    expect(`${first.stdout}${first.stderr}`).not.toContain(KEY);
    expect(`${first.stdout}${first.stderr}`).not.toContain(TOKEN);
  });

  it('created one booking status per field stage, with the Field Service status the domain maps it to', async () => {
    const rows = (await api.get(`${bookingstatus.entitySetName}?$select=name,status,msdyn_fieldservicestatus,msdyn_statuscompletesworkorder,pfb_fieldstage&$filter=pfb_fieldstage ne null`)).json<{ value: Record<string, unknown>[] }>().value;
    const strip = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('@') && k !== 'bookingstatusid'));
    expect(rows.map(strip).sort((a, b) => Number(a['pfb_fieldstage']) - Number(b['pfb_fieldstage']))).toEqual(fieldStageBookingStatusRows().map((r) => ({ ...r })));
  });

  it('a second run changes nothing', async () => {
    const again = await setup(['--url', dv.url, '--bridge-url', bridgeUrl, '--mobility-url', 'https://mobility.example.com']);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).not.toContain('changed:');
    expect(again.stdout).toContain('Setup done: nothing needed changing.');
  }, 60_000);

  it('repairs a field-stage status someone changed, and re-enables a step someone disabled', async () => {
    const travel = fieldStageBookingStatusRows().find((r) => r.name === 'Field: Travel');
    const row = (await api.get(`${bookingstatus.entitySetName}?$select=bookingstatusid&$filter=pfb_fieldstage eq ${travel?.pfb_fieldstage ?? 0}`)).json<{ value: { bookingstatusid: string }[] }>().value[0];
    expect((await api.patch(`${bookingstatus.entitySetName}(${row?.bookingstatusid ?? ''})`, { msdyn_fieldservicestatus: BookingSystemStatus.OnBreak })).status).toBe(204);
    const step = (await api.get(`sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid&$filter=name eq 'Project Field Bridge: task sync: Create of pfb_tasksync'`)).json<{ value: { sdkmessageprocessingstepid: string }[] }>()
      .value[0];
    expect((await api.patch(`sdkmessageprocessingsteps(${step?.sdkmessageprocessingstepid ?? ''})`, { statecode: 1, statuscode: 2 })).status).toBe(204);
    const run = await setup(['--url', dv.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('changed: repaired booking status "Field: Travel": msdyn_fieldservicestatus set back to what field stage Travel needs');
    expect(run.stdout).toContain('changed: enabled webhook step "Project Field Bridge: task sync: Create of pfb_tasksync"');
  }, 60_000);

  it('Dataverse now posts task sync rows to the bridge\'s route, with the key', async () => {
    const task = (await api.get(`${msdyn_projecttask.entitySetName}?$select=msdyn_projecttaskid,_msdyn_project_value,msdyn_subject&$filter=msdyn_summary eq false&$top=1`)).json<{ value: Record<string, string>[] }>().value[0] as Record<string, string>;
    const created = await api.post(pfb_tasksync.entitySetName, {
      pfb_name: task['msdyn_subject'],
      'pfb_projecttask@odata.bind': `/${msdyn_projecttask.entitySetName}(${task['msdyn_projecttaskid']})`,
      'pfb_project@odata.bind': `/msdyn_projects(${task['_msdyn_project_value']})`,
      pfb_syncstatus: SyncStatus.ReadyToSync,
    });
    expect(created.status).toBe(204);
    await dv.idle();
    const post = posted.find((p) => p.body['PrimaryEntityName'] === pfb_tasksync.logicalName && p.body['MessageName'] === 'Create');
    expect(post?.url).toBe(`/api/dataverse/task-sync?code=${KEY}`);
  });
});

it('fails with the cause and the next step where the solution cannot be imported (no solution framework)', async () => {
  const bare = await startTestDataverse();
  try {
    const run = await setup(['--url', bare.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^setup failed: This environment has no solutions table, so solutions cannot be imported into it\.\nnext: /);
  } finally {
    await bare.close();
  }
}, 60_000);

it('refuses a bad argument with the usage, exit 2', async () => {
  const run = await setup(['--url', 'https://contoso.crm.dynamics.com', '--bridge-url', 'http://bridge.example.com']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--bridge-url must be https');
  expect(run.stderr).toContain('Usage: npm run setup --');
}, 60_000);
