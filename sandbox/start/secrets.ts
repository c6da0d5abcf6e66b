/**
 * The sandbox's own secrets — the webhook key Dataverse sends the bridge, the Standard Webhooks secret the technicians'
 * app signs with, the local Functions key — generated at random on the first start and kept in `.sandbox/secrets.json`
 * (git-ignored, owner-only), so a restarted sandbox keeps working with the registrations it made. Never printed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SandboxSecrets {
  readonly webhookKey: string;
  readonly signingSecret: string;
  readonly functionKey: string;
}

const fresh = (): SandboxSecrets => ({
  webhookKey: randomBytes(24).toString('base64url'),
  signingSecret: `whsec_${randomBytes(32).toString('base64')}`,
  functionKey: randomBytes(24).toString('base64url'),
});

export function loadOrCreateSecrets(dir: string): SandboxSecrets {
  const file = path.join(dir, 'secrets.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SandboxSecrets>;
    if (stored.webhookKey && stored.signingSecret && stored.functionKey) return stored as SandboxSecrets;
  }
  const secrets = fresh();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
