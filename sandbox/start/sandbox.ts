/**
 * The whole loop on one machine (what `npm start` runs), every part on 127.0.0.1:
 * the local Dataverse (file-backed in `.sandbox/`, the solution imported, the telecom program loaded on first run),
 * Azurite for the queues, the bridge's local host, the Key Vault stand-in holding the bridge's client certificate,
 * the mobility simulator (mutual TLS) with its technicians, and the app shell. The setup command then points the
 * imported webhook steps at this bridge, as an admin would after importing the solution.
 *
 * Parts start in dependency order and stop in reverse; a part that fails to start stops the ones already running and
 * the error names the part.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { runSetup, type SetupReport } from '../../solution/src/setup/setup';
import { createWebApi } from '../../solution/src/setup/webApi';
import { readSettings } from '../../functions-bridge/src/config/settings';
import { startAzurite, startLocalHost, type LocalHost, type RunningAzurite } from '../../functions-bridge/src/host';
import { createMobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { createTelemetry, settingsSecrets } from '../../functions-bridge/src/telemetry';
import { applicationToken, BRIDGE_APP_ID, REAL_LIMITS, startDataverse, type RunningDataverse } from '../dataverse/src';
import { startKeyVault, type KeyVaultStandIn } from '../keyvault';
import { SimulatedTechnicians, startMobilitySimulator, type MobilitySimulator } from '../mobility';
import { startOriginServer, type RunningOrigin } from '../origin/originServer';
import { loadOrCreateTestPki } from '../pki';
import { loadOrCreateSecrets } from './secrets';

export interface SandboxOptions {
  /** Where data lives between runs (default `.sandbox` at the repository root). */
  readonly dir?: string;
  /** Start from nothing: delete `dir` first. */
  readonly reset?: boolean;
  /** The app shell's port (default 5500); 0 picks a free one. */
  readonly port?: number;
  readonly dataversePort?: number;
  readonly bridgePort?: number;
  /** Simulated technicians work every dispatched booking (default true). */
  readonly technicians?: boolean;
  /** Share of visits that end Incomplete (default 0.1). */
  readonly incompleteRate?: number;
  /** Simulated minutes per second (default 480: a working day in about a minute). */
  readonly minutesPerSecond?: number;
  /**
   * Directories of the app shell's pages and the built bundles it serves, and its own routes (exact path → handler),
   * made once the other parts run (the technician page's routes need the technicians).
   */
  readonly appShell: {
    readonly staticRoots: Readonly<Record<string, string>>;
    readonly routes?: (parts: AppShellParts) => Readonly<Record<string, http.RequestListener>>;
  };
  /** Progress lines while starting. */
  readonly progress?: (line: string) => void;
}

/** The running parts the app shell's routes may use. */
export interface AppShellParts {
  /** Service root of the local Dataverse. */
  readonly dataverseUrl: string;
  readonly bridgeUrl: string;
  readonly mobility: MobilitySimulator;
  /** Always there: the technician page reports by hand through them; they also work bookings when `automaticTechnicians`. */
  readonly technicians: SimulatedTechnicians;
  readonly automaticTechnicians: boolean;
}

export interface RunningSandbox {
  /** The app shell, e.g. http://127.0.0.1:5500 */
  readonly url: string;
  readonly dataverse: RunningDataverse;
  readonly bridge: LocalHost;
  readonly mobility: MobilitySimulator;
  /** Work every dispatched booking when started with `technicians` on; report by hand (`report`) either way. */
  readonly technicians: SimulatedTechnicians;
  readonly setup: SetupReport;
  close(): Promise<void>;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CERTIFICATE_NAME = 'mobility-client';

/** Thrown when a part cannot start: which part, and why. */
export class SandboxStartError extends Error {
  constructor(
    readonly part: string,
    readonly reason: string,
  ) {
    super(`${part} could not start: ${reason}`);
    this.name = 'SandboxStartError';
  }
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const dir = path.resolve(options.dir ?? path.join(REPO_ROOT, '.sandbox'));
  const progress = options.progress ?? (() => undefined);
  if (options.reset) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const secrets = loadOrCreateSecrets(dir);
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  const part = async <T>(name: string, start: () => Promise<T>): Promise<T> => {
    try {
      return await start();
    } catch (e) {
      await stopAll();
      const err = e as NodeJS.ErrnoException;
      throw new SandboxStartError(name, err.code === 'EADDRINUSE' || err.name === 'PortInUseError' ? `its port is already in use (${err.message}); stop what uses it or choose another port` : err.message);
    }
  };

  const firstRun = !fs.existsSync(path.join(dir, 'dataverse.db'));
  progress(firstRun ? 'local Dataverse: importing the solution and loading the telecom program (first run)…' : 'local Dataverse: opening .sandbox/dataverse.db…');
  const dataverse = await part('The local Dataverse', () =>
    startDataverse({ db: path.join(dir, 'dataverse.db'), seed: 'telecom', solution: 'full', limits: REAL_LIMITS, port: options.dataversePort ?? 5555 }),
  );
  stops.push(() => dataverse.close());

  progress('Azurite (queues)…');
  const azurite: RunningAzurite = await part('Azurite', () => startAzurite({ location: path.join(dir, 'azurite') }));
  stops.push(() => azurite.stop());

  progress('Key Vault stand-in and the mobility simulator (mutual TLS)…');
  const { pki } = loadOrCreateTestPki(path.join(dir, 'pki'), { validDays: 365 });
  const vault: KeyVaultStandIn = await part('The Key Vault stand-in', () => startKeyVault({ pki }));
  stops.push(() => vault.close());
  vault.setCertificateSecret(CERTIFICATE_NAME, pki.client, 'pfx');
  const mobility = await part('The mobility simulator', () => startMobilitySimulator({ pki }));
  stops.push(() => mobility.close());

  progress('the bridge (local Functions host)…');
  const settings = readSettings({
    DATAVERSE_URL: dataverse.url,
    DATAVERSE_AUTH: 'static',
    DATAVERSE_STATIC_TOKEN: applicationToken(BRIDGE_APP_ID),
    AzureWebJobsStorage: azurite.connectionString,
    DATAVERSE_WEBHOOK_KEY: secrets.webhookKey,
    MOBILITY_BASE_URL: mobility.url,
    KEY_VAULT_URL: vault.url,
    MOBILITY_CERTIFICATE_NAME: CERTIFICATE_NAME,
    MOBILITY_CA_PEM: pki.ca.certPem,
    MOBILITY_SIGNING_SECRET: secrets.signingSecret,
  });
  // The bridge's telemetry (JSON lines, secrets masked) goes to .sandbox/bridge.log, not the terminal.
  const bridgeLog = fs.createWriteStream(path.join(dir, 'bridge.log'), { flags: 'a' });
  stops.push(() => new Promise((resolve) => bridgeLog.end(resolve)));
  const telemetry = createTelemetry({ secrets: settingsSecrets(settings), write: (line) => void bridgeLog.write(`${line}\n`) });
  const bridge = await part('The bridge', () =>
    startLocalHost({
      settings,
      port: options.bridgePort ?? 7071,
      functionKey: secrets.functionKey,
      compose: {
        telemetry, factories: { mobility: (s) => createMobilityAdapter(s, { credential: vault.credential(), secretClientOptions: vault.clientOptions() }) } },
    }),
  );
  stops.push(() => bridge.stop());

  progress('setup: booking statuses, webhook endpoints and environment variables…');
  const setup = await part('Setup', () =>
    runSetup(createWebApi(dataverse.url, 'sandbox-administrator'), {
      bridgeUrl: bridge.url,
      webhookKey: secrets.webhookKey,
      variables: { 'bridge-url': bridge.url, 'mobility-url': mobility.url },
    }),
  );

  // The technicians' app holds the signing secret; the technician page reaches it only through the shell's routes.
  const automaticTechnicians = options.technicians !== false;
  const technicians = new SimulatedTechnicians(mobility, {
    eventsUrl: `${bridge.url}/api/mobility/events`,
    signingSecret: secrets.signingSecret,
    minutesPerSecond: options.minutesPerSecond ?? 480,
    incompleteRate: options.incompleteRate ?? 0.1,
  });
  if (automaticTechnicians) technicians.start();
  stops.push(() => technicians.stop());

  progress('the app shell…');
  const origin: RunningOrigin = await part('The app shell', async () =>
    startOriginServer({
      dataverseUrl: dataverse.url,
      staticRoots: options.appShell.staticRoots,
      routes: options.appShell.routes?.({ dataverseUrl: dataverse.url, bridgeUrl: bridge.url, mobility, technicians, automaticTechnicians }),
      port: options.port ?? 5500,
    }),
  );
  stops.push(() => origin.close());

  let closed = false;
  return {
    url: origin.url,
    dataverse,
    bridge,
    mobility,
    technicians,
    setup,
    async close() {
      if (closed) return;
      closed = true;
      await stopAll();
    },
  };
}
