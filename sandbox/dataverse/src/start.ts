/**
 * Assembles a running local Dataverse: store, Field Service and Project behaviour, webhooks, seed, HTTP server.
 * Used by the CLI, by `npm start`, by tests and by benchmarks.
 *
 * An organization starts as Microsoft ships it — the platform, Project Operations and Field Service tables
 * (metadata/platformBaseline.ts) and their baseline rows — and gets the product's `pfb_` tables and columns the way
 * a real one does: by importing the solution package (ImportSolution), built by the packer in solution/. The demo
 * program (telecom, scale:N) is loaded after the import, because it fills `pfb_` columns.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { solutionPackage, type PackageComponents } from '@pfb/solution';
import { LocalDataverse } from './dataverse';
import { REAL_LIMITS, type LimitSettings } from './limits/serviceProtection';
import { LiveSchema } from './metadata/liveSchema';
import { platformBaseline } from './metadata/platformBaseline';
import type { Caller } from './pipeline/context';
import { fieldServicePlugin } from './plugins/fieldService';
import { platformPlugin } from './plugins/platform';
import { ScheduleApi } from './project/scheduleApi';
import { programRecords, type SeedKind } from './seed';
import { baselineSeed, privilegeRecords, SANDBOX_BUSINESS_UNIT_ID, SANDBOX_USER_ID } from './seed/baseline';
import { loadRecords } from './seedLoader';
import { DataverseServer } from './server';
import { importSolution, type ImportResult } from './solutions/importSolution';
import { WebhookRuntime } from './webhooks/runtime';
import { whoAmI } from './whoAmI';

/**
 * Which solution the organization starts with:
 * - `schema` (default): the package's tables, columns, keys, choices and relationships — the product's data model and
 *   nothing else, so the Web API offers exactly the schema module's tables;
 * - `package`: the package without its webhook registration (whose endpoint URL is a placeholder until
 *   `npm run setup` points it at a bridge), with the solution framework tables (solutions, web resources served at
 *   /WebResources/<name>, controls, environment variables, roles, import jobs);
 * - `full`: the whole package, webhook endpoints and steps included;
 * - a zip: that solution, with the solution framework;
 * - `none`: no solution, with the solution framework — an organization ready for ImportSolution.
 */
export type StartSolution = 'schema' | 'package' | 'full' | 'none' | Uint8Array;

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
  /** Where failed webhook deliveries are told (default console.warn). */
  readonly webhookLog?: (level: 'warn' | 'error', message: string) => void;
  readonly solution?: StartSolution;
}

export interface RunningDataverse {
  /** Service root, e.g. http://127.0.0.1:5555/api/data/v9.2 */
  readonly url: string;
  readonly dataverse: LocalDataverse;
  readonly server: DataverseServer;
  readonly scheduleApi: ScheduleApi;
  readonly webhooks: WebhookRuntime;
  readonly adminCaller: Caller;
  /** What the start imported (undefined when the package was already installed in the database file, or for `none`). */
  readonly imported?: ImportResult;
  /**
   * Loads a program (telecom, scale:N) into an organization that has none yet — e.g. after importing the solution
   * into a `none` organization. Throws when a program is already there.
   */
  loadProgram(kind: SeedKind): void;
  /** Resolves when pending operation sets and webhook deliveries are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const SANDBOX_ADMIN: Caller = { userId: SANDBOX_USER_ID, businessUnitId: SANDBOX_BUSINESS_UNIT_ID, isApplicationUser: false };

const PACKAGE_COMPONENTS: Readonly<Record<'schema' | 'package' | 'full', PackageComponents>> = { schema: 'schema', package: 'without-webhooks', full: 'full' };

function packageFor(solution: StartSolution): Uint8Array | undefined {
  if (solution === 'none') return undefined;
  if (typeof solution !== 'string') return solution;
  return solutionPackage(PACKAGE_COMPONENTS[solution]);
}

/** Imports the package unless this database already has exactly it (a file-backed organization restarting). */
function install(dv: LocalDataverse, zip: Uint8Array): ImportResult | undefined {
  const hash = createHash('sha256').update(zip).digest('hex');
  if (dv.store.getMeta('package') === hash) return undefined;
  return dv.atomic(() => {
    const ctx = dv.newOperationContext(SANDBOX_ADMIN, undefined, true);
    const result = importSolution(dv, dv.metadata, zip, { overwriteUnmanagedCustomizations: true, publishWorkflows: false }, ctx);
    ctx.events.length = 0;
    dv.store.setMeta('package', hash);
    return result;
  });
}

export async function startDataverse(options: StartOptions = {}): Promise<RunningDataverse> {
  const db = options.db ?? ':memory:';
  if (db !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(db)), { recursive: true });
  const solution = options.solution ?? 'schema';
  const framework = solution !== 'schema';
  const dataverse = new LocalDataverse({ db, schema: new LiveSchema(platformBaseline({ solutionFramework: framework })), plugins: [platformPlugin, fieldServicePlugin] });
  const kind = options.seed ?? 'empty';
  if (solution === 'none' && kind !== 'empty') {
    dataverse.close();
    throw new Error(`The ${kind} program fills pfb_ columns, which only exist once the solution is imported: start with solution 'schema', 'package' or 'full', or seed 'empty'.`);
  }
  let imported: ImportResult | undefined;
  try {
    // A database written before the baseline was tracked separately has its baseline if it was seeded.
    if (!dataverse.store.getMeta('baseline') && dataverse.store.isEmpty) {
      loadRecords(dataverse, baselineSeed(dataverse.schema), SANDBOX_ADMIN, () => dataverse.store.setMeta('baseline', '1'));
    }
    if (framework) {
      // Privileges of every table, also in a database first started without the solution framework.
      const missing = dataverse.schema.tables.flatMap(privilegeRecords).filter((r) => !dataverse.store.get(r.table, r.attributes['privilegeid'] as string));
      if (missing.length) loadRecords(dataverse, missing, SANDBOX_ADMIN);
    }
    const zip = packageFor(solution);
    if (zip) imported = install(dataverse, zip);
    if (dataverse.store.isEmpty) loadRecords(dataverse, programRecords(kind), SANDBOX_ADMIN, () => dataverse.store.markSeeded(kind));
  } catch (e) {
    dataverse.close();
    throw e;
  }
  dataverse.unbound.set('WhoAmI', whoAmI);
  const scheduleApi = new ScheduleApi(dataverse, { applyDelayMs: options.scheduleApplyDelayMs });
  scheduleApi.register();
  const webhooks = new WebhookRuntime(dataverse, { timeoutMs: options.webhookTimeoutMs, log: options.webhookLog });
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
    imported,
    loadProgram(program: SeedKind) {
      const seeded = dataverse.store.getMeta('seeded');
      if (seeded !== undefined && seeded !== 'empty') throw new Error(`This organization already has the ${seeded} program.`);
      loadRecords(dataverse, programRecords(program), SANDBOX_ADMIN, () => dataverse.store.markSeeded(program));
    },
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
