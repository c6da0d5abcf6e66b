/**
 * The simulator as its own process: one ready line, a PKI folder another process can use, faults set through
 * /__admin/ from here, SIGTERM stops it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { loadTestPki } from '../pki';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'sandbox/mobility/cli.ts');
const READY = /^Mobility simulator listening on (https:\/\/127\.0\.0\.1:(\d+))$/;

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcessWithoutNullStreams): { output: Finished; exited: Promise<Finished>; ready: Promise<string> } {
  const output: Finished = { code: null, stdout: '', stderr: '' };
  child.stderr.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output.stdout += d.toString();
      const m = READY.exec(output.stdout.split('\n')[0] ?? '');
      if (m) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready: ${output.stderr}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<Finished>((resolve) => child.on('exit', (code) => resolve({ ...output, code })));
  return { output, exited, ready };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-mobility-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('prints one ready line, shares its PKI folder, takes faults from another process and stops on SIGTERM', async () => {
  const pkiDir = path.join(tmp, 'pki');
  const child = run(['--port', '0', '--pki-dir', pkiDir]);
  const { ready, exited } = collect(child);
  const url = await ready;

  const pki = loadTestPki(pkiDir);
  const agent = new Agent({ connect: { ca: pki.ca.certPem, cert: pki.client.certPem, key: pki.client.keyPem } });
  try {
    const set = await request(`${url}/__admin/fault`, { method: 'PUT', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'fail', status: 503, count: 1 }) });
    expect(set.statusCode).toBe(200);
    await set.body.text();
    const failed = await request(`${url}/v1/health`, { dispatcher: agent });
    expect(failed.statusCode).toBe(503);
    await failed.body.text();
    const healthy = await request(`${url}/v1/health`, { dispatcher: agent });
    expect(await healthy.body.json()).toEqual({ status: 'ok' });
  } finally {
    await agent.destroy();
  }

  child.kill('SIGTERM');
  const done = await exited;
  expect(done.code).toBe(0);
  expect(done.stdout.split('\n').filter((l) => l.trim() !== '')).toHaveLength(1);
  expect(done.stderr).toContain(`created a test PKI in ${pkiDir}`);
  expect(done.stdout + done.stderr).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
}, 60_000);

it('explains a bad port or a PKI folder inside the repository in one line, exit code 2', async () => {
  const badPort = collect(run(['--port', 'eighty']));
  expect(await badPort.exited).toMatchObject({ code: 2, stderr: "mobility simulator: --port must be a port number (0 picks a free one), not 'eighty'.\n" });
  const inRepo = collect(run(['--pki-dir', path.join(ROOT, 'sandbox', 'mobility', 'keys')]));
  const result = await inRepo.exited;
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^mobility simulator: cannot use the PKI folder: Refusing to write private keys/);
  expect(fs.existsSync(path.join(ROOT, 'sandbox', 'mobility', 'keys'))).toBe(false);
}, 60_000);
