/**
 * The bridge's Dataverse client: `dynamics-web-api` with an @azure/identity token, a retry wrapper that honours
 * 429 `Retry-After` and retries transient faults (the library has none), and a request counter — Dataverse's
 * 6,000-requests-per-5-minutes limit is the real ceiling, so benchmarks count requests as Dataverse does
 * (one per HTTP request; a $batch or a bulk message is one).
 */
import type { TokenCredential } from '@azure/identity';
import { DynamicsWebApi } from 'dynamics-web-api';
import { DataverseRequestError } from './dataverseError';
import { DEFAULT_RETRY, nextDelay, parseRetryAfter, type RetryOptions } from './retryPolicy';
import { dataverseScope } from './credential';
import { buildBatch, parseBatchResponse, type BatchItem, type BatchItemResult } from './odataBatch';

export interface DataverseClientOptions {
  /** Service root, e.g. https://contoso.crm.dynamics.com/api/data/v9.2 */
  readonly serviceRoot: string;
  readonly credential: TokenCredential;
  readonly retry?: RetryOptions;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout (ms). */
  readonly timeoutMs?: number;
  /**
   * Requests of this client in flight at once, at most (default 8). Dataverse allows a user 52 concurrent requests
   * (service protection limits); each bridge instance holds one client, so instances × this stays under 52.
   */
  readonly maxConcurrent?: number;
  /** Called when Dataverse starts throttling this client (429), with how long every request of the client now waits. */
  readonly onThrottled?: (operation: string, retryAfterMs: number) => void;
  readonly now?: () => number;
}

export interface RequestStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  throttled: number;
  /** Total time waited on Retry-After (by every request held back, not only the throttled one). */
  retryAfterWaitMs: number;
  /** Most requests in flight at once. */
  peakConcurrent: number;
}

type Row = Record<string, unknown>;

interface ErrorLike {
  status?: number;
  code?: string;
  message?: string;
  headers?: Record<string, string> | Headers;
  cause?: { code?: string };
}

function headerOf(headers: ErrorLike['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const h = headers as Record<string, string>;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? h[key] : undefined;
}

export const DEFAULT_MAX_CONCURRENT = 8;

export class DataverseClient {
  readonly stats: RequestStats = { requests: 0, retries: 0, throttled: 0, retryAfterWaitMs: 0, peakConcurrent: 0 };
  private readonly retry: RetryOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly scope: string;
  private readonly maxConcurrent: number;
  private inFlight = 0;
  private readonly queued: (() => void)[] = [];
  /** No attempt of this client starts before this instant (ms): the last Retry-After Dataverse gave it. */
  private throttledUntil = 0;

  constructor(private readonly options: DataverseClientOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
    this.scope = dataverseScope(options.serviceRoot);
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  }

  get serviceRoot(): string {
    return this.options.serviceRoot.replace(/\/$/, '');
  }

  /** A fresh library instance: batches keep state on the instance, so each batch gets its own. */
  private newApi(): DynamicsWebApi {
    const root = new URL(this.options.serviceRoot);
    const version = /\/api\/data\/v(9\.\d)/.exec(root.pathname)?.[1] ?? '9.2';
    return new DynamicsWebApi({
      serverUrl: root.origin,
      dataApi: { version },
      timeout: this.options.timeoutMs ?? 120_000,
      onTokenRefresh: async () => {
        const token = await this.options.credential.getToken(this.scope);
        if (!token) throw new Error(`No token for ${this.scope}`);
        return token.token;
      },
    });
  }

  /**
   * Runs one request with retries. `operation` names the request in errors ("update msdyn_workorders(…)").
   * Each attempt is one Dataverse request.
   */
  async execute<T>(operation: string, run: (api: DynamicsWebApi) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      await this.untilAllowed();
      await this.acquire();
      this.stats.requests += 1;
      let backOff = 0;
      try {
        return await run(this.newApi());
      } catch (e) {
        const err = (Array.isArray(e) ? e.find((x) => x && (x as ErrorLike).status) ?? e[0] : e) as ErrorLike;
        const retryAfterSeconds = parseRetryAfter(headerOf(err.headers, 'retry-after'));
        const failure = { status: err.status, retryAfterSeconds, networkCode: err.code ?? err.cause?.code };
        const delay = nextDelay(failure, attempt, this.retry);
        if (delay === undefined) {
          throw new DataverseRequestError(operation, err.status, err.code, err.message ?? String(e), attempt);
        }
        this.stats.retries += 1;
        if (err.status === 429) {
          // Service protection limits are per user: the Retry-After holds every request of this user, not only the
          // throttled one ("the client must wait", api-limits), so the whole client waits (untilAllowed).
          this.stats.throttled += 1;
          const episode = this.throttledUntil <= this.now();
          this.throttledUntil = Math.max(this.throttledUntil, this.now() + delay);
          if (episode) this.options.onThrottled?.(operation, delay);
        } else {
          backOff = delay;
        }
      } finally {
        this.release();
      }
      if (backOff > 0) await this.sleep(backOff);
    }
  }

  /** Waits out the Retry-After Dataverse gave this client (it may grow while waiting). */
  private async untilAllowed(): Promise<void> {
    for (let wait = this.throttledUntil - this.now(); wait > 0; wait = this.throttledUntil - this.now()) {
      this.stats.retryAfterWaitMs += wait;
      await this.sleep(wait);
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.maxConcurrent) {
      this.inFlight += 1;
      this.stats.peakConcurrent = Math.max(this.stats.peakConcurrent, this.inFlight);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.queued.push(() => resolve())).then(() => {
      this.stats.peakConcurrent = Math.max(this.stats.peakConcurrent, this.inFlight);
    });
  }

  private release(): void {
    const next = this.queued.shift();
    // The slot passes to the next waiter as it is, so inFlight stays the same.
    if (next) next();
    else this.inFlight -= 1;
  }

  retrieve(entitySet: string, key: string, select?: string[], expand?: { property: string; select?: string[] }[]): Promise<Row | null> {
    return this.execute(`retrieve ${entitySet}(${key})`, async (api) => {
      try {
        return (await api.retrieve({ collection: entitySet, key, select, expand: expand?.map((x) => ({ property: x.property, select: x.select })) })) as Row;
      } catch (e) {
        if ((e as ErrorLike).status === 404) return null;
        throw e;
      }
    });
  }

  /** Every row matching, page by page (each page one request). */
  async retrieveAll(entitySet: string, query: { select?: string[]; filter?: string; orderBy?: string[]; expand?: { property: string; select?: string[]; filter?: string }[] }, pageSize = 5000): Promise<Row[]> {
    const rows: Row[] = [];
    let nextLink: string | undefined;
    do {
      const link = nextLink;
      const page = await this.execute(`retrieveMultiple ${entitySet}`, (api) =>
        api.retrieveMultiple({ collection: entitySet, select: query.select, filter: query.filter, orderBy: query.orderBy, expand: query.expand, maxPageSize: pageSize }, link),
      );
      rows.push(...(page.value as Row[]));
      nextLink = page.oDataNextLink ?? undefined;
    } while (nextLink);
    return rows;
  }

  create(entitySet: string, data: Row): Promise<string> {
    return this.execute(`create ${entitySet}`, async (api) => (await api.create({ collection: entitySet, data })) as string);
  }

  /** Update only (If-Match: *): a missing row is an error, never a silent create. */
  update(entitySet: string, key: string, data: Row, etag?: string): Promise<void> {
    return this.execute(`update ${entitySet}(${key})`, async (api) => {
      const ok: unknown = await api.update({ collection: entitySet, key, data, ifmatch: etag ?? '*' });
      // The library answers false instead of throwing on 412 (and on 404 for If-Match).
      if (ok === false) throw Object.assign(new Error(`${entitySet}(${key}) was changed or removed by someone else`), { status: 412 });
    });
  }

  /** PATCH upsert by alternate key or id. */
  upsert(entitySet: string, key: string, data: Row): Promise<void> {
    return this.execute(`upsert ${entitySet}(${key})`, async (api) => {
      await api.upsert({ collection: entitySet, key, data });
    });
  }

  delete(entitySet: string, key: string): Promise<void> {
    return this.execute(`delete ${entitySet}(${key})`, async (api) => {
      await api.deleteRecord({ collection: entitySet, key });
    });
  }

  /** A bulk message bound to an entity set (CreateMultiple, UpdateMultiple, UpsertMultiple): one request. */
  bulk(entitySet: string, message: 'CreateMultiple' | 'UpdateMultiple' | 'UpsertMultiple', logicalName: string, targets: Row[]): Promise<Row | undefined> {
    const data = { Targets: targets.map((t) => ({ ...t, '@odata.type': `Microsoft.Dynamics.CRM.${logicalName}` })) };
    return this.execute(`${message} ${entitySet} (${targets.length} rows)`, async (api) =>
      (await api.callAction({ actionName: `Microsoft.Dynamics.CRM.${message}`, collection: entitySet, action: data })) as Row | undefined,
    );
  }

  /** An unbound or bound action. */
  action<T = Row>(actionName: string, data: Row, collection?: string, key?: string): Promise<T> {
    return this.execute(`${actionName}`, async (api) =>
      collection ? ((await api.callAction({ actionName, action: data, collection, key })) as T) : ((await api.callAction({ actionName, action: data })) as T),
    );
  }

  /**
   * One $batch with any number of change sets and GETs (one request), run with `Prefer: odata.continue-on-error` so
   * a failed change set leaves the others applied; each item's outcome comes back in order (odataBatch.ts).
   */
  sendBatch(operation: string, items: readonly BatchItem[]): Promise<BatchItemResult[]> {
    const root = new URL(this.options.serviceRoot);
    return this.execute(operation, async () => {
      const token = await this.options.credential.getToken(this.scope);
      if (!token) throw new Error(`No token for ${this.scope}`);
      const { contentType, body } = buildBatch(items, root.pathname);
      const res = await fetch(`${this.serviceRoot}/$batch`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.token}`,
          'content-type': contentType,
          accept: 'application/json',
          'odata-version': '4.0',
          'odata-maxversion': '4.0',
          prefer: 'odata.continue-on-error',
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
      const text = await res.text();
      if (!res.ok) {
        let message = `HTTP ${res.status}`;
        try {
          message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
        } catch {
          // not JSON: keep the status
        }
        throw Object.assign(new Error(message), { status: res.status, headers: res.headers });
      }
      return parseBatchResponse(items, res.headers.get('content-type') ?? '', text);
    });
  }

  /**
   * One $batch (one request): `build` queues requests on the library instance, optionally in a change set
   * (`inChangeSet`), and the results come back in order.
   */
  batch(operation: string, build: (api: DynamicsWebApi) => void, options: { continueOnError?: boolean } = {}): Promise<unknown[]> {
    return this.execute(operation, async (api) => {
      api.startBatch();
      build(api);
      return api.executeBatch({ continueOnError: options.continueOnError });
    });
  }
}
