/**
 * Azurite's queue service as a child process on 127.0.0.1, for the local host and tests. `require('azurite')` does
 * not work (platform notes), so its `azurite-queue` command runs with this Node. Always `--disableTelemetry` (it
 * phones home otherwise) and `--skipApiVersionCheck` (azurite 3.35 refuses the API version @azure/storage-queue
 * sends). `location` persists the queues in that folder (a message survives a restart); without it nothing is kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface AzuriteOptions {
  /** A folder to persist queues in; omitted = in memory. */
  readonly location?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 20 s. */
  readonly startTimeoutMs?: number;
}

export interface RunningAzurite {
  /** The queue endpoint, e.g. http://127.0.0.1:41234/devstoreaccount1 */
  readonly queueEndpoint: string;
  readonly port: number;
  /** For AzureWebJobsStorage. */
  readonly connectionString: string;
  stop(): Promise<void>;
}

/** Azurite's published development account (the same for every Azurite: not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(queueEndpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};QueueEndpoint=${queueEndpoint};`;
}

/** The azurite-queue script from the installed azurite package. */
export function azuriteQueueScript(): string {
  const load = createRequire(__filename);
  let manifest: string;
  try {
    manifest = load.resolve('azurite/package.json');
  } catch {
    throw new Error('Azurite is not installed: run npm install at the repository root (the sandbox workspace depends on azurite 3.35.0).');
  }
  const bin = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> }).bin?.['azurite-queue'];
  if (!bin) throw new Error(`The azurite package at ${path.dirname(manifest)} has no azurite-queue command.`);
  return path.resolve(path.dirname(manifest), bin);
}

const READY = /successfully listens on (http:\/\/\S+)/;

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const args = [
    azuriteQueueScript(),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(options.port ?? 0),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ];
  if (options.location) {
    fs.mkdirSync(options.location, { recursive: true });
    args.push('--location', path.resolve(options.location));
  } else {
    args.push('--inMemoryPersistence');
  }
  const child = spawn(process.execPath, args, {
    cwd: options.location ? path.resolve(options.location) : os.tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${(options.startTimeoutMs ?? 20_000) / 1000} s: ${output.trim().slice(-500)}`)), options.startTimeoutMs ?? 20_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      process.removeListener('exit', killOnExit);
      reject(e);
    };
    const onError = (e: Error): void => fail(new Error(`Azurite could not be started: ${e.message}`));
    const onExit = (code: number | null): void => {
      const inUse = /EADDRINUSE/.test(output);
      fail(new Error(inUse ? `Azurite's port ${options.port ?? 0} is already in use on 127.0.0.1` : `Azurite exited (code ${code}) before it was ready: ${output.trim().slice(-500)}`));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const m = READY.exec(output);
      if (m) {
        clearTimeout(timer);
        child.removeListener('exit', onExit);
        child.removeListener('error', onError);
        resolve((m[1] as string).replace(/\/$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
  // Keep draining its output so the pipe never fills.
  child.stdout?.resume();
  child.stderr?.resume();
  const port = Number(new URL(endpoint).port);
  const queueEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;

  let stopping: Promise<void> | undefined;
  return {
    queueEndpoint,
    port,
    connectionString: azuriteConnectionString(queueEndpoint),
    stop() {
      stopping ??= stopChild(child).finally(() => process.removeListener('exit', killOnExit));
      return stopping;
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
