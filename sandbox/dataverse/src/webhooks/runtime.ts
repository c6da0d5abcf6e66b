/**
 * Turns committed operations into webhook deliveries, the way an admin's registration makes Dataverse do it:
 * a `serviceendpoint` (contract Webhook, url, auth) and `sdkmessageprocessingstep` rows bound to an `sdkmessage`
 * (Create, Update, Delete…) and an `sdkmessagefilter` (the table), with stage, mode, filtering attributes and
 * images. Failed deliveries become failed System Jobs (asyncoperation, statuscode 31) regarding the record.
 */
import { randomUUID } from 'node:crypto';
import { ServiceEndpointContract, StepMode, StepStage, type TableDef } from '@pfb/domain';
import type { LocalDataverse } from '../dataverse';
import type { OperationEvent } from '../pipeline/context';
import type { Attributes, EntityReference } from '../store/types';
import { WebhookDispatcher, type SystemJobRecord, type WebhookDeliveryResult } from './dispatcher';
import { buildRemoteExecutionContext, type EntityImageInput, type ExecutionContextInput } from './remoteExecutionContext';

/** Tables whose own changes never trigger webhooks here (system jobs, and the registration tables themselves). */
const QUIET_TABLES = new Set(['asyncoperation']);

interface RegisteredStep {
  id: string;
  name: string;
  mode: number;
  filteringAttributes: string[];
  asyncAutoDelete: boolean;
  endpoint: { id: string; url: string; authType: number; authValue: string | null };
  images: { type: number; alias: string; attributes: string[] }[];
}

export interface WebhookRuntimeOptions {
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Where failed deliveries are told (default: console.warn); the system jobs record them either way. */
  readonly log?: (level: 'warn' | 'error', message: string) => void;
}

export class WebhookRuntime {
  readonly dispatcher: WebhookDispatcher;
  /** Every delivery's outcome, for tests and the sandbox's diagnostics. */
  readonly results: Promise<WebhookDeliveryResult>[] = [];
  private cache = new Map<string, RegisteredStep[]>();

  constructor(
    private readonly dv: LocalDataverse,
    options: WebhookRuntimeOptions = {},
  ) {
    this.dispatcher = new WebhookDispatcher({
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      recordSystemJob: (job) => this.recordSystemJob(job),
      log: (level, message) => {
        if (level === 'info') return;
        if (options.log) options.log(level, message);
        else console.warn(`[local dataverse] webhook ${level}: ${message}`);
      },
    });
    dv.onCommitted((events) => this.onCommitted(events));
  }

  private onCommitted(events: readonly OperationEvent[]): void {
    if (events.some((e) => ['sdkmessageprocessingstep', 'sdkmessageprocessingstepimage', 'serviceendpoint', 'sdkmessagefilter'].includes(e.table))) {
      this.cache.clear();
    }
    for (const e of events) {
      if (QUIET_TABLES.has(e.table)) continue;
      for (const step of this.stepsFor(e.messageName, e.table)) {
        if (!this.passesFilter(step, e)) continue;
        const t = this.dv.schema.table(e.table) as TableDef;
        const context = buildRemoteExecutionContext(this.contextInput(step, t, e));
        this.results.push(
          this.dispatcher.enqueue({
            endpoint: step.endpoint,
            context,
            step: { id: step.id, name: step.name, asyncAutoDelete: step.asyncAutoDelete },
            headers: { organization: `${this.dv.organizationName}.crm.dynamics.local`, entityName: t.logicalName, requestName: e.messageName, correlationId: e.correlationId },
          }),
        );
      }
    }
  }

  private passesFilter(step: RegisteredStep, e: OperationEvent): boolean {
    if (e.messageName !== 'Update' || step.filteringAttributes.length === 0) return true;
    const changed = Object.keys(e.target as Attributes);
    return changed.some((c) => step.filteringAttributes.includes(c));
  }

  private contextInput(step: RegisteredStep, t: TableDef, e: OperationEvent): ExecutionContextInput {
    const imageOf = (row: Attributes | undefined, attrs: string[]): Attributes => {
      if (!row) return {};
      if (attrs.length === 0) return row;
      const out: Attributes = {};
      for (const a of [...attrs, t.primaryIdAttribute]) if (row[a] !== undefined) out[a] = row[a] as Attributes[string];
      return out;
    };
    const preImages: EntityImageInput[] = [];
    const postImages: EntityImageInput[] = [];
    for (const img of step.images) {
      // imagetype: 0 PreImage, 1 PostImage, 2 Both.
      if ((img.type === 0 || img.type === 2) && e.preImage) preImages.push({ alias: img.alias, attributes: imageOf(e.preImage, img.attributes) });
      if ((img.type === 1 || img.type === 2) && e.postImage) postImages.push({ alias: img.alias, attributes: imageOf(e.postImage, img.attributes) });
    }
    // Asynchronous steps carry the record's primary name as a post image (the docs sample's AsynchronousStepPrimaryName).
    if (step.mode === StepMode.Asynchronous && e.postImage && postImages.length === 0) {
      postImages.push({ alias: 'AsynchronousStepPrimaryName', attributes: imageOf(e.postImage, [t.primaryNameAttribute]) });
    }
    const caller = (e.target as Attributes)['modifiedby'] ?? (e.postImage?.['modifiedby'] as EntityReference | undefined);
    const userId = caller && typeof caller === 'object' ? caller.id : '00000000-0000-0000-0000-000000000000';
    const bu = e.postImage?.['owningbusinessunit'] ?? e.preImage?.['owningbusinessunit'];
    const base: ExecutionContextInput = {
      messageName: e.messageName,
      table: t,
      primaryEntityId: e.id,
      target: e.target,
      userId,
      initiatingUserId: userId,
      businessUnitId: bu && typeof bu === 'object' ? bu.id : '00000000-0000-0000-0000-000000000000',
      organizationId: this.dv.organizationId,
      organizationName: this.dv.organizationName,
      correlationId: e.correlationId,
      operationId: randomUUID(),
      depth: e.depth,
      mode: step.mode === StepMode.Asynchronous ? 1 : 0,
      stage: StepStage.PostOperation as 40,
      owningStepId: step.id,
      operationCreatedOn: e.operationCreatedOn,
      outputParameters: e.outputId ? [{ key: 'id', value: e.outputId }] : [],
      preImages,
      postImages,
    };
    // The core operation (stage 30) keeps the step's mode and carries no output parameters or images (docs sample).
    return { ...base, parentContext: { ...base, stage: 30, outputParameters: [], preImages: [], postImages: [] } };
  }

  private stepsFor(messageName: string, table: string): RegisteredStep[] {
    const cacheKey = `${messageName}:${table}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const store = this.dv.store;
    const steps: RegisteredStep[] = [];
    const message = store.findBy('sdkmessage', { name: messageName });
    if (message) {
      const filters = store.select('sdkmessagefilter', 't0."sdkmessageid" = ? AND t0."primaryobjecttypecode" = ?', [message['sdkmessageid'] as string, table]);
      for (const f of filters) {
        const rows = store.select(
          'sdkmessageprocessingstep',
          't0."sdkmessagefilterid" = ? AND t0."statecode" = 0 AND t0."stage" = ?',
          [f['sdkmessagefilterid'] as string, StepStage.PostOperation],
          'ORDER BY t0."rank", t0."createdon"',
        );
        for (const s of rows) {
          const handler = s['eventhandler'];
          const endpoint = handler && typeof handler === 'object' ? store.get('serviceendpoint', handler.id) : undefined;
          if (!endpoint || endpoint['contract'] !== ServiceEndpointContract.Webhook) continue;
          const images = store
            .select('sdkmessageprocessingstepimage', 't0."sdkmessageprocessingstepid" = ?', [s['sdkmessageprocessingstepid'] as string])
            .map((i) => ({ type: i['imagetype'] as number, alias: i['entityalias'] as string, attributes: splitList(i['attributes']) }));
          steps.push({
            id: s['sdkmessageprocessingstepid'] as string,
            name: s['name'] as string,
            mode: s['mode'] as number,
            filteringAttributes: splitList(s['filteringattributes']),
            asyncAutoDelete: s['asyncautodelete'] === true,
            endpoint: {
              id: endpoint['serviceendpointid'] as string,
              url: endpoint['url'] as string,
              authType: endpoint['authtype'] as number,
              authValue: (endpoint['authvalue'] as string | null) ?? null,
            },
            images,
          });
        }
      }
    }
    this.cache.set(cacheKey, steps);
    return steps;
  }

  private recordSystemJob(job: SystemJobRecord): void {
    const regardingColumn = this.dv.schema.table('asyncoperation')?.columns['regardingobjectid'];
    // Regarding the record when it still exists (a Delete step's record is gone).
    const regardingAllowed = (regardingColumn?.targets?.includes(job.regarding.logicalName) ?? false) && this.dv.store.get(job.regarding.logicalName, job.regarding.id) !== undefined;
    this.dv.atomic(() => {
      const ctx = this.dv.newOperationContext({ ...this.systemJobOwner(), isApplicationUser: false }, job.correlationId, true);
      this.dv.service.create(ctx, 'asyncoperation', {
        asyncoperationid: job.id,
        name: job.name,
        operationtype: 54,
        statecode: job.stateCode,
        statuscode: job.statusCode,
        message: job.message,
        friendlymessage: job.message,
        owningextensionid: { logicalName: 'sdkmessageprocessingstep', id: job.owningStepId },
        regardingobjectid: regardingAllowed ? { logicalName: job.regarding.logicalName, id: job.regarding.id } : null,
        correlationid: job.correlationId,
        primaryentitytype: job.primaryEntityType,
        messagename: job.messageName,
        depth: job.depth,
        retrycount: job.retryCount,
        errorcode: job.errorCode ?? null,
        startedon: job.startedOn.toISOString(),
        completedon: job.completedOn ? job.completedOn.toISOString() : null,
      });
    });
  }

  /** The first user (the organization's admin) and that user's business unit, which owns the job. */
  private systemJobOwner(): { userId: string; businessUnitId: string } {
    const none = '00000000-0000-0000-0000-000000000000';
    const admin = this.dv.store.select('systemuser', '', [], 'ORDER BY t0."createdon" LIMIT 1')[0];
    const bu = admin?.['businessunitid'];
    return { userId: (admin?.['systemuserid'] as string | undefined) ?? none, businessUnitId: bu && typeof bu === 'object' ? bu.id : none };
  }

  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  close(): Promise<void> {
    return this.dispatcher.close({ abort: true });
  }
}

function splitList(v: unknown): string[] {
  return typeof v === 'string' ? v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : [];
}
