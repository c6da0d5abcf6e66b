/**
 * `npm run dataverse`: one ready line, SIGTERM stops cleanly, a file database survives a restart, bad arguments
 * and a busy port get a clear message instead of a stack trace.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { client } from '../support/sandbox';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'sandbox/dataverse/src/cli.ts');
const READY = /^Dataverse Web API listening on (http:\/\/127\.0\.0\.1:(\d+)\/api\/data\/v9\.2)$/;

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  lines: string[];
}

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
}

function start(args: string[]): Promise<Started> {
  const child = run(args);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      const m = lines.length ? READY.exec(lines[0] as string) : null;
      if (m) resolve({ child, url: m[1] as string, lines });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
  });
}

function exit(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, stdout })));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('prints exactly one ready line, serves, stops on SIGTERM and keeps a file database across restarts', async () => {
  const db = path.join(tmp, 'org.db');
  const first = await start(['--port', '0', '--db', db, '--seed', 'telecom']);
  const api = client(first.url);
  expect((await api.get('WhoAmI')).status).toBe(200);
  const projects = (await api.get('msdyn_projects?$select=msdyn_subject&$count=true')).json()['@odata.count'] as number;
  expect(projects).toBeGreaterThan(0);
  expect((await api.post('accounts', { accountid: '9d0c1e2f-0000-4000-8000-000000000001', name: 'Survives restart' })).status).toBe(204);
  const stopped = exit(first.child);
  first.child.kill('SIGTERM');
  const result = await stopped;
  expect(result.code).toBe(0);
  expect(first.lines.filter((l) => l.trim() !== '')).toHaveLength(1);

  const second = await start(['--port', '0', '--db', db, '--seed', 'telecom']);
  const again = client(second.url);
  expect((await again.get('accounts(9d0c1e2f-0000-4000-8000-000000000001)?$select=name')).json()['name']).toBe('Survives restart');
  // Seeding happens once: the program was not added a second time.
  expect((await again.get('msdyn_projects?$count=true')).json()['@odata.count']).toBe(projects);
  const s2 = exit(second.child);
  second.child.kill('SIGTERM');
  expect((await s2).code).toBe(0);
}, 60_000);

it('explains a bad argument in one line, without a stack trace', async () => {
  const result = await exit(run(['--seed', 'galaxy']));
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe("local dataverse: --seed must be empty, telecom or scale:N (N a positive whole number), not 'galaxy'.");
});

it('explains a port that is already in use', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const result = await exit(run(['--port', String(port)]));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${port} is already in use on 127.0.0.1`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  } finally {
    blocker.close();
  }
});
