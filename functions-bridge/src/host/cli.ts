/**
 * `npm run bridge -- [options]`: the bridge's local host on 127.0.0.1.
 *
 * Settings come from the environment (the same names as the Function App's app settings; see the README), optionally
 * from an env file, and a few flags. When ready it prints exactly one line: `Bridge listening on http://127.0.0.1:<p>`.
 * A bad setting, a bad flag or a busy port is one line on stderr and exit code 2. SIGTERM/SIGINT stop it cleanly.
 */
import fs from 'node:fs';
import { readSettings, SettingsError, type Settings } from '../config/settings';
import { startAzurite, type RunningAzurite } from './azurite';
import { PortInUseError } from './httpServer';
import { startLocalHost, type LocalHost } from './localHost';

const USAGE = `Usage: npm run bridge -- [options]

  --port <n>               port on 127.0.0.1 (default 7071; 0 = any free port)
  --env-file <path>        read KEY=VALUE settings from a file (the environment wins)
  --azurite                start a private in-memory Azurite for the queues (sets AzureWebJobsStorage)
  --azurite-location <dir> the same, persisted in <dir>
  --retry-seconds <n>      QUEUE_RETRY_SECONDS (seconds between retries of a failed message)
  --max-dequeue-count <n>  QUEUE_MAX_DEQUEUE_COUNT (attempts before the poison queue)
  --help                   this text

Settings (environment): DATAVERSE_URL, DATAVERSE_AUTH, DATAVERSE_STATIC_TOKEN, AzureWebJobsStorage,
DATAVERSE_WEBHOOK_KEY, MOBILITY_BASE_URL, KEY_VAULT_URL, … (functions-bridge/README.md).
BRIDGE_FUNCTION_KEY enables the function-key endpoints (POST /api/admin/redrive) locally.`;

class UsageError extends Error {}

export interface CliOptions {
  port: number;
  envFile?: string;
  azurite: boolean;
  azuriteLocation?: string;
  overrides: Record<string, string>;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const out: CliOptions = { port: 7071, azurite: false, overrides: {}, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i += 1;
      return v;
    };
    switch (flag) {
      case '--port': {
        const p = Number(take());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UsageError('--port must be a whole number from 0 to 65535');
        out.port = p;
        break;
      }
      case '--env-file':
        out.envFile = take();
        break;
      case '--azurite':
        out.azurite = true;
        break;
      case '--azurite-location':
        out.azurite = true;
        out.azuriteLocation = take();
        break;
      case '--retry-seconds':
        out.overrides['QUEUE_RETRY_SECONDS'] = take();
        break;
      case '--max-dequeue-count':
        out.overrides['QUEUE_MAX_DEQUEUE_COUNT'] = take();
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg} (see --help)`);
    }
  }
  return out;
}

/** KEY=VALUE lines; `#` comments and blank lines ignored; optional single or double quotes around the value. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2] as string;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1] as string] = v;
  }
  return out;
}

export interface CliIo {
  readonly env: Record<string, string | undefined>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface RunningCli {
  readonly host: LocalHost;
  stop(): Promise<void>;
}

/** Starts everything the flags ask for; throws UsageError, SettingsError or PortInUseError. */
export async function startFromCli(argv: readonly string[], io: CliIo): Promise<RunningCli | undefined> {
  const options = parseArgs(argv);
  if (options.help) {
    io.out(USAGE);
    return undefined;
  }
  const fromFile = options.envFile ? parseEnvFile(readEnvFile(options.envFile)) : {};
  const env: Record<string, string | undefined> = { ...fromFile, ...io.env, ...options.overrides };
  let azurite: RunningAzurite | undefined;
  if (options.azurite) {
    // Check the rest of the configuration before starting a child process.
    readSettings({ ...env, AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    azurite = await startAzurite({ location: options.azuriteLocation });
    env['AzureWebJobsStorage'] = azurite.connectionString;
  }
  let settings: Settings;
  let host: LocalHost;
  try {
    settings = readSettings(env);
    host = await startLocalHost({ settings, port: options.port, functionKey: env['BRIDGE_FUNCTION_KEY'] });
  } catch (e) {
    await azurite?.stop();
    throw e;
  }
  io.out(`Bridge listening on ${host.url}`);
  return {
    host,
    async stop() {
      await host.stop();
      await azurite?.stop();
    },
  };
}

function readEnvFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --env-file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** One line saying what is wrong, for stderr. */
export function describeStartFailure(e: unknown): string {
  if (e instanceof SettingsError) return `bridge: configuration not valid — ${e.problems.join('; ')}. Set them in the environment or an --env-file.`;
  if (e instanceof UsageError || e instanceof PortInUseError) return `bridge: ${e.message}`;
  return `bridge: could not start — ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
}

export const EXIT_BAD_START = 2;

async function main(): Promise<void> {
  const io: CliIo = { env: process.env, out: (l) => void process.stdout.write(`${l}\n`), err: (l) => void process.stderr.write(`${l}\n`) };
  let running: RunningCli | undefined;
  try {
    running = await startFromCli(process.argv.slice(2), io);
  } catch (e) {
    io.err(describeStartFailure(e));
    process.exit(EXIT_BAD_START);
  }
  if (!running) return;
  const active = running;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      io.err(`bridge: second ${signal}, exiting without waiting`);
      process.exit(1);
    }
    active.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        io.err(`bridge: stop failed — ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

if (require.main === module) void main();
