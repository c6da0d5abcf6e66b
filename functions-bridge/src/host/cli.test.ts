/**
 * `npm run bridge` as a user meets it: the command run with tsx in a child process. Ready means exactly one line,
 * `Bridge listening on http://127.0.0.1:<p>`; a bad setting, a bad flag or a busy port is one line on stderr and
 * exit code 2, never a secret; SIGTERM stops it cleanly (exit 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { parseArgs, parseEnvFile } from './cli';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const CLI = path.join(ROOT, 'functions-bridge/src/host/cli.ts');
const KEY = 'cli-test-webhook-key-0123456789';

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [TSX, CLI, ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (c: Buffer) => (r.stdout += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (r.stderr += c.toString('utf8')));
  return r;
}

async function ready(r: Run, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const m = /^Bridge listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(r.stdout);
    if (m) return m[1] as string;
    if (r.child.exitCode !== null || Date.now() > end) throw new Error(`not ready: ${r.stderr}${r.stdout}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('arguments', () => {
  it('reads the flags', () => {
    expect(parseArgs(['--port', '0', '--azurite', '--retry-seconds=5', '--max-dequeue-count', '4'])).toEqual({
      port: 0,
      azurite: true,
      overrides: { QUEUE_RETRY_SECONDS: '5', QUEUE_MAX_DEQUEUE_COUNT: '4' },
      help: false,
    });
    expect(parseArgs(['--azurite-location', '.sandbox/azurite'])).toMatchObject({ azurite: true, azuriteLocation: '.sandbox/azurite', port: 7071 });
    expect(() => parseArgs(['--port', 'x'])).toThrow(/--port must be/);
    expect(() => parseArgs(['--port'])).toThrow(/--port needs a value/);
    expect(() => parseArgs(['--nope'])).toThrow(/unknown option --nope/);
  });

  it('reads an env file', () => {
    expect(parseEnvFile('# local\nDATAVERSE_URL=http://127.0.0.1:5555/api/data/v9.2\nexport A="b c"\n\nB=\'d\'\nnot a line\n')).toEqual({
      DATAVERSE_URL: 'http://127.0.0.1:5555/api/data/v9.2',
      A: 'b c',
      B: 'd',
    });
  });
});

describe('the command', () => {
  it('exits 2 with one line naming the missing settings, and never prints a secret', async () => {
    const r = run(['--port', '0'], { DATAVERSE_WEBHOOK_KEY: 'short', DATAVERSE_STATIC_TOKEN: 'a-secret-token-value' });
    expect(await r.exited).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bridge: configuration not valid — .*DATAVERSE_URL Required.*DATAVERSE_WEBHOOK_KEY must be at least 16 characters/);
    expect(r.stderr + r.stdout).not.toMatch(/short|a-secret-token-value/);
    expect(r.stdout).not.toMatch(/Bridge listening/);
  });

  it('exits 2 on an unknown flag', async () => {
    const r = run(['--frobnicate'], {});
    expect(await r.exited).toBe(2);
    expect(r.stderr.trim()).toBe('bridge: unknown option --frobnicate (see --help)');
  });

  describe('with a local Dataverse and its own Azurite', () => {
    let dv: RunningDataverse;
    beforeAll(async () => {
      dv = await startDataverse({ seed: 'empty', limits: null });
    });
    afterAll(() => dv?.close());

    const env = (): Record<string, string> => ({
      DATAVERSE_URL: dv.url,
      DATAVERSE_AUTH: 'static',
      DATAVERSE_STATIC_TOKEN: 'cli-test-token',
      DATAVERSE_WEBHOOK_KEY: KEY,
      MOBILITY_BASE_URL: 'https://127.0.0.1:9/',
      KEY_VAULT_URL: 'https://127.0.0.1:9/',
    });

    it('prints the ready line, serves, refuses a busy port with exit 2, and stops on SIGTERM', async () => {
      const first = run(['--port', '0', '--azurite'], env());
      try {
        const url = await ready(first);
        expect(first.stdout.split('\n').filter((l) => l.startsWith('Bridge listening'))).toEqual([`Bridge listening on ${url}`]);
        const hook = await fetch(`${url}/api/dataverse/task-sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(hook.status).toBe(401);
        expect((await fetch(`${url}/api/nothing-here`)).status).toBe(404);

        const port = new URL(url).port;
        const second = run(['--port', port, '--azurite'], env());
        expect(await second.exited).toBe(2);
        expect(second.stderr.trim()).toBe(`bridge: Port ${port} is already in use on 127.0.0.1: choose another with --port (0 picks a free one).`);

        first.child.kill('SIGTERM');
        expect(await first.exited).toBe(0);
        expect(first.stdout + first.stderr).not.toMatch(new RegExp(`${KEY}|cli-test-token|AccountKey=[A-Za-z0-9]`));
      } finally {
        if (first.child.exitCode === null) first.child.kill('SIGKILL');
      }
    });
  });
});
