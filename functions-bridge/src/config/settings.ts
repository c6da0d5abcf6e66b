/**
 * The bridge's configuration, read once at start and validated (zod), so a missing or malformed setting stops
 * the bridge with a sentence naming the setting instead of failing on the first message. Secrets (client secret,
 * webhook key, signing secret, storage connection string) are never printed: `describeSettings` masks them.
 */
import { z } from 'zod';

/** Every 5 minutes (NCRONTAB: seconds, minutes, hours, day, month, day of week). */
export const DEFAULT_RECONCILE_SCHEDULE = '0 */5 * * * *';

const url = z.string().url();

export const settingsSchema = z
  .object({
    /** Dataverse Web API service root, e.g. https://contoso.crm.dynamics.com/api/data/v9.2 */
    DATAVERSE_URL: url.refine((u) => /\/api\/data\/v9\.\d\/?$/.test(u), 'must end with /api/data/v9.2'),
    /** managedIdentity (Azure), clientSecret or clientCertificate (elsewhere), static (the local Dataverse). */
    DATAVERSE_AUTH: z.enum(['managedIdentity', 'clientSecret', 'clientCertificate', 'static']).default('managedIdentity'),
    AZURE_TENANT_ID: z.string().uuid().optional(),
    AZURE_CLIENT_ID: z.string().uuid().optional(),
    AZURE_CLIENT_SECRET: z.string().min(1).optional(),
    AZURE_CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
    DATAVERSE_STATIC_TOKEN: z.string().min(1).optional(),
    /** Storage account for the queues (AzureWebJobsStorage in Azure; Azurite locally). */
    AzureWebJobsStorage: z.string().min(1),
    /** The key Dataverse's webhook registration sends (?code= or x-functions-key). */
    DATAVERSE_WEBHOOK_KEY: z.string().min(16, 'must be at least 16 characters'),
    /** Mobility API base URL (HTTPS, mutual TLS). */
    MOBILITY_BASE_URL: url.refine((u) => u.startsWith('https://'), 'must be an https:// URL (the mobility API is called over mutual TLS)'),
    /** Key Vault holding the client certificate, and the secret name of the certificate (PFX or PEM). */
    KEY_VAULT_URL: url,
    MOBILITY_CERTIFICATE_NAME: z.string().min(1).default('mobility-client'),
    /** Optional PEM of a private CA the mobility API's server certificate chains to (test and private deployments). */
    MOBILITY_CA_PEM: z.string().optional(),
    /** Standard Webhooks signing secret for inbound mobility events (whsec_…). */
    MOBILITY_SIGNING_SECRET: z.string().min(1).optional(),
    /** Planning policy for the mobility app: one work order per day, or one spanning the task's window. */
    PLANNING_POLICY: z.enum(['perDay', 'wholeWindow']).default('perDay'),
    /**
     * Dataverse requests one bridge instance has in flight at once. Dataverse allows 52 concurrent requests per user
     * (service protection limits): instances × this must stay under 52 for the application user.
     */
    DATAVERSE_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(52).default(8),
    /**
     * The reconcile timer (NCRONTAB, six fields): re-queues task sync rows whose webhook never reached the bridge or
     * whose message was lost (Dataverse tries a webhook once, plus once more only for 502/503/504). Every 5 minutes.
     */
    RECONCILE_SCHEDULE: z
      .string()
      .regex(/^\S+(\s+\S+){5}$/, 'must be an NCRONTAB expression of six fields, e.g. "0 */5 * * * *"')
      .default(DEFAULT_RECONCILE_SCHEDULE),
    /** A Ready to Sync row untouched this long (seconds) is re-queued by the reconcile timer. */
    RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** Dequeues before a message goes to the poison queue (host.json maxDequeueCount). */
    QUEUE_MAX_DEQUEUE_COUNT: z.coerce.number().int().min(1).max(100).default(10),
    /** Seconds between retries of a failed message (host.json visibilityTimeout). */
    QUEUE_RETRY_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
    /**
     * Optional write-back of field % complete to project tasks (msdyn_progress) through the Project schedule APIs.
     * Those APIs refuse application users: it runs as a service user with a Project license (its own sign-in below).
     */
    SCHEDULE_WRITEBACK: z.enum(['off', 'on']).default('off'),
    SCHEDULE_WRITEBACK_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    /** usernamePassword: the licensed user through a public client app registration (AZURE_TENANT_ID, AZURE_CLIENT_ID); static: the local Dataverse. */
    SCHEDULE_WRITEBACK_AUTH: z.enum(['usernamePassword', 'static']).default('usernamePassword'),
    SCHEDULE_WRITEBACK_USERNAME: z.string().min(1).optional(),
    SCHEDULE_WRITEBACK_PASSWORD: z.string().min(1).optional(),
    SCHEDULE_WRITEBACK_STATIC_TOKEN: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const need = (name: keyof typeof s, because: string): void => {
      if (!s[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: `is required ${because}` });
    };
    if (s.DATAVERSE_AUTH === 'clientSecret') {
      need('AZURE_TENANT_ID', 'with DATAVERSE_AUTH=clientSecret');
      need('AZURE_CLIENT_ID', 'with DATAVERSE_AUTH=clientSecret');
      need('AZURE_CLIENT_SECRET', 'with DATAVERSE_AUTH=clientSecret');
    }
    if (s.DATAVERSE_AUTH === 'clientCertificate') {
      need('AZURE_TENANT_ID', 'with DATAVERSE_AUTH=clientCertificate');
      need('AZURE_CLIENT_ID', 'with DATAVERSE_AUTH=clientCertificate');
      need('AZURE_CLIENT_CERTIFICATE_PATH', 'with DATAVERSE_AUTH=clientCertificate');
    }
    if (s.DATAVERSE_AUTH === 'static') need('DATAVERSE_STATIC_TOKEN', 'with DATAVERSE_AUTH=static (the local Dataverse)');
    if (s.SCHEDULE_WRITEBACK === 'on' && s.SCHEDULE_WRITEBACK_AUTH === 'usernamePassword') {
      for (const name of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'SCHEDULE_WRITEBACK_USERNAME', 'SCHEDULE_WRITEBACK_PASSWORD'] as const) need(name, 'with SCHEDULE_WRITEBACK=on (the Project-licensed service user)');
    }
    if (s.SCHEDULE_WRITEBACK === 'on' && s.SCHEDULE_WRITEBACK_AUTH === 'static') need('SCHEDULE_WRITEBACK_STATIC_TOKEN', 'with SCHEDULE_WRITEBACK_AUTH=static');
  });

export type Settings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bridge's configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet these as app settings (Azure) or environment variables (local) and start again.`);
    this.name = 'SettingsError';
  }
}

/** Reads and validates the settings from an environment (process.env by default). */
export function readSettings(env: Record<string, string | undefined> = process.env): Settings {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    throw new SettingsError(result.error.issues.map((i) => `${i.path.join('.') || 'setting'} ${i.message}`));
  }
  return result.data;
}

const SECRET_SETTINGS: readonly (keyof Settings)[] = [
  'AZURE_CLIENT_SECRET',
  'DATAVERSE_STATIC_TOKEN',
  'AzureWebJobsStorage',
  'DATAVERSE_WEBHOOK_KEY',
  'MOBILITY_SIGNING_SECRET',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'SCHEDULE_WRITEBACK_PASSWORD',
  'SCHEDULE_WRITEBACK_STATIC_TOKEN',
];

/** The settings as they may be logged: secrets masked. */
export function describeSettings(s: Settings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined) continue;
    out[k] = SECRET_SETTINGS.includes(k as keyof Settings) ? '***' : String(v);
  }
  return out;
}
