/**
 * Assembles a running local Dataverse: store, Field Service and Project behaviour, webhooks, seed, HTTP server.
 * Used by the CLI, by `npm start`, by tests and by benchmarks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { schema } from '@pfb/domain';
import { LocalDataverse } from './dataverse';
import { REAL_LIMITS, type LimitSettings } from './limits/serviceProtection';
import type { Caller } from './pipeline/context';
import { fieldServicePlugin } from './plugins/fieldService';
import { platformPlugin } from './plugins/platform';
import { ScheduleApi } from './project/scheduleApi';
import { seedRecords, type SeedKind } from './seed';
import { SANDBOX_BUSINESS_UNIT_ID, SANDBOX_USER_ID } from './seed/baseline';
import { loadSeed } from './seedLoader';
import { DataverseServer } from './server';
import { WebhookRuntime } from './webhooks/runtime';
import { whoAmI } from './whoAmI';

export interface StartOptions {
  readonly db?: string;
  readonly port?: number;
  readonly seed?: SeedKind;
  /** null = limits off. */
  readonly limits?: LimitSettings | null;
  /** Delay before an executed operation set is applied (real service: seconds to minutes). */
  readonly scheduleApplyDelayMs?: number;
  /** Webhook HTTP timeout (Dataverse: 60 s). */
  readonly webhookTimeoutMs?: number;
}

export interface RunningDataverse {
  /** Service root, e.g. http://127.0.0.1:5555/api/data/v9.2 */
  readonly url: string;
  readonly dataverse: LocalDataverse;
  readonly server: DataverseServer;
  readonly scheduleApi: ScheduleApi;
  readonly webhooks: WebhookRuntime;
  readonly adminCaller: Caller;
  /** Resolves when pending operation sets and webhook deliveries are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const SANDBOX_ADMIN: Caller = { userId: SANDBOX_USER_ID, businessUnitId: SANDBOX_BUSINESS_UNIT_ID, isApplicationUser: false };

export async function startDataverse(options: StartOptions = {}): Promise<RunningDataverse> {
  const db = options.db ?? ':memory:';
  if (db !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(db)), { recursive: true });
  const dataverse = new LocalDataverse({ db, schema, plugins: [platformPlugin, fieldServicePlugin] });
  if (dataverse.store.isEmpty) {
    const kind = options.seed ?? 'empty';
    loadSeed(dataverse, seedRecords(kind, schema), SANDBOX_ADMIN, kind);
  }
  dataverse.unbound.set('WhoAmI', whoAmI);
  const scheduleApi = new ScheduleApi(dataverse, { applyDelayMs: options.scheduleApplyDelayMs });
  scheduleApi.register();
  const webhooks = new WebhookRuntime(dataverse, { timeoutMs: options.webhookTimeoutMs });
  const server = new DataverseServer(dataverse, {
    port: options.port ?? 0,
    limits: options.limits === undefined ? REAL_LIMITS : options.limits,
    defaultUserId: SANDBOX_USER_ID,
  });
  const url = await server.listen();
  return {
    url,
    dataverse,
    server,
    scheduleApi,
    webhooks,
    adminCaller: SANDBOX_ADMIN,
    async idle() {
      await scheduleApi.idle();
      await webhooks.idle();
    },
    async close() {
      scheduleApi.close();
      await server.close();
      await webhooks.close();
      dataverse.close();
    },
  };
}
