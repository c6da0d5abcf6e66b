/**
 * The local Dataverse: store + organization service + Web API handlers + webhooks + service protection, without
 * the HTTP transport (server.ts adds that). Tests and benchmarks can also drive it in-process.
 */
import { randomUUID } from 'node:crypto';
import { schema as defaultSchema, type SchemaModel } from '@pfb/domain';
import { LiveSchema } from './metadata/liveSchema';
import { MetadataService } from './metadata/metadataService';
import type { Caller, OperationContext, OperationEvent } from './pipeline/context';
import { OrganizationService, type Plugin } from './pipeline/organizationService';
import { DataverseError, errors } from './protocol/errors';
import { Store } from './store/store';
import type { HandlerContext } from './web/handlers/handlerContext';
import { parsePrefer } from './web/prefer';
import { importSolutionAction } from './solutions/importSolution';
import { errorResponse } from './web/response';
import { route, type UnboundOperation } from './web/router';
import type { ApiRequest, ApiResponse } from './web/types';

export interface DataverseOptions {
  /** SQLite file, or ':memory:'. */
  readonly db: string;
  readonly schema?: SchemaModel;
  readonly plugins?: readonly Plugin[];
  readonly now?: () => Date;
  readonly organizationId?: string;
  readonly organizationName?: string;
}

export type EventSink = (events: readonly OperationEvent[]) => void;

export class LocalDataverse {
  readonly store: Store;
  /** The live metadata: ImportSolution changes it in place. */
  readonly schema: LiveSchema;
  readonly service: OrganizationService;
  readonly metadata: MetadataService;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly unbound = new Map<string, UnboundOperation>();
  private readonly sinks: EventSink[] = [];
  /** Events of the open transaction; one array for the life of the instance, shared by every operation context. */
  private readonly pending: OperationEvent[] = [];
  private depth = 0;

  constructor(options: DataverseOptions) {
    this.schema = LiveSchema.of(options.schema ?? defaultSchema);
    this.store = new Store(options.db, this.schema);
    // A file-backed organization comes back with the tables and columns earlier imports created.
    this.metadata = new MetadataService(this.store, this.schema);
    this.metadata.restore();
    this.service = new OrganizationService(this.store, this.schema, options.plugins ?? [], options.now);
    this.unbound.set('ImportSolution', importSolutionAction(this, this.metadata));
    this.organizationId = options.organizationId ?? '6f6a6c2e-3a1b-4c8e-9f10-5a1d2c3b4e5f';
    this.organizationName = options.organizationName ?? 'pfblocal';
  }

  /** Subscribes to committed post-operation events (the webhook dispatcher listens here). */
  onCommitted(sink: EventSink): void {
    this.sinks.push(sink);
  }

  /**
   * Runs fn in a transaction. Events raised inside are delivered only when the outermost transaction commits,
   * and dropped when it rolls back — a webhook never announces a change that did not happen.
   */
  atomic<T>(fn: () => T): T {
    const mark = this.pending.length;
    this.depth += 1;
    try {
      const result = this.store.atomic(fn);
      this.depth -= 1;
      if (this.depth === 0) this.flush();
      return result;
    } catch (e) {
      this.depth -= 1;
      this.pending.length = mark;
      throw e;
    }
  }

  private flush(): void {
    const events = this.pending.splice(0);
    if (events.length) for (const s of this.sinks) s(events);
  }

  newOperationContext(caller: Caller, correlationId: string = randomUUID(), trusted = false): OperationContext {
    return { caller, correlationId, depth: 1, events: this.pending, trusted };
  }

  /** Handles one Web API request (not $batch/$metadata, which the transport handles) and never throws. */
  handle(request: ApiRequest, caller: Caller, serviceRoot: string, correlationId?: string): ApiResponse {
    const prefs = parsePrefer(request.headers['prefer']);
    try {
      const [, search = ''] = request.url.split(/\?(.*)/s);
      const h: HandlerContext = {
        request,
        query: new URLSearchParams(search),
        prefs,
        service: this.service,
        schema: this.schema,
        store: this.store,
        op: this.newOperationContext(caller, correlationId),
        serviceRoot,
        organizationId: this.organizationId,
      };
      if (request.method === 'GET') return route(h, this.unbound);
      return this.atomic(() => route(h, this.unbound));
    } catch (e) {
      if (!(e instanceof DataverseError)) console.error('[local dataverse] unexpected error', e);
      return errorResponse(e instanceof DataverseError ? e : errors.internal(e instanceof Error ? e.message : String(e)), prefs);
    }
  }

  close(): void {
    this.store.close();
  }
}
