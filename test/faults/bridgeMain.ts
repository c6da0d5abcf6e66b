/**
 * The bridge as a process of its own, for the fault tests that SIGKILL it: the local host composed as `npm start`
 * composes it — the real mobility adapter, its certificate read by the real SecretClient from the Key Vault stand-in
 * (whose CA comes in PFB_VAULT_CA_PEM; the stand-in accepts any bearer token) — with every setting from the
 * environment, as on a Function App. Telemetry JSON lines (secrets masked) go to stdout; when ready it prints
 * `Bridge listening on <url>`. Run with `node --import tsx test/faults/bridgeMain.ts`.
 */
import https from 'node:https';
import { readSettings } from '../../functions-bridge/src/config/settings';
import { startLocalHost } from '../../functions-bridge/src/host';
import { createMobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { createTelemetry, settingsSecrets } from '../../functions-bridge/src/telemetry';

async function main(): Promise<void> {
  const env = process.env;
  const settings = readSettings(env);
  const port = Number(env['PFB_BRIDGE_PORT'] ?? '0');
  const vaultCa = env['PFB_VAULT_CA_PEM'];
  const telemetry = createTelemetry({ secrets: settingsSecrets(settings), write: (line) => void process.stdout.write(`${line}\n`) });
  const vault = {
    credential: { getToken: () => Promise.resolve({ token: 'stand-in-vault-test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    secretClientOptions: { agent: new https.Agent({ ca: vaultCa, keepAlive: true }), disableChallengeResourceVerification: true },
  };
  const host = await startLocalHost({
    settings,
    port,
    compose: { telemetry, factories: { mobility: (s) => createMobilityAdapter(s, { ...vault, timeoutMs: 5000 }) } },
    queue: { maxPollingIntervalMs: Number(env['PFB_POLL_MS'] ?? '250') },
  });
  process.stdout.write(`Bridge listening on ${host.url}\n`);
  const stop = (): void => void host.stop().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`bridge: could not start — ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
