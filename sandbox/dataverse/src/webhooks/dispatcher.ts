/**
 * Posts webhook step payloads to their service endpoints after the triggering transaction has committed, as
 * Dataverse's asynchronous service does, and records the outcome as a System Job (asyncoperation).
 *
 * Delivery rules ("Use webhooks", Troubleshoot; dataverse-facts §4):
 * - one POST, 60 s timeout; only the status code counts, the response body is ignored;
 * - a 2xx succeeds; 502, 503 and 504 get exactly one more attempt; anything else (or no answer in time, or no
 *   connection) fails, and the system job becomes Failed (statuscode 31);
 * - a step with "delete AsyncOperation if StatusCode = Successful" leaves no system job behind on success;
 * - above 256 KB the body loses ParentContext, InputParameters and the images, and `x-ms-dynamics-msg-size-exceeded`
 *   is sent;
 * - authentication is the endpoint's static secret: `?code=` (WebhookKey), headers (HttpHeader) or query
 *   parameters (HttpQueryString), the last two listed in authvalue as `<settings><setting name="…" value="…" /></settings>`.
 *
 * Our own choices where Dataverse says nothing: the retry goes out at once; deliveries of the same step are posted
 * one after the other in the order they were queued; at most `concurrency` requests are in flight; `x-request-id`
 * is one id per delivery, repeated on the retry. The auth value and the query string never reach a log or a job
 * message.
 */
import { randomUUID } from 'node:crypto';
import { AsyncOperationState, AsyncOperationStatus, ServiceEndpointAuthType } from '@pfb/domain';
import { payloadForSize, type RemoteExecutionContext } from './remoteExecutionContext';

export type SystemJobStatus = 'Succeeded' | 'Failed' | 'InProgress' | 'Waiting';

/** What the server persists as an asyncoperation row (operationtype 54, regarding the primary record). */
export interface SystemJobRecord {
  /** asyncoperationid. */
  readonly id: string;
  readonly name: string;
  /** _owningextensionid_value: the sdkmessageprocessingstep. */
  readonly owningStepId: string;
  readonly status: SystemJobStatus;
  readonly stateCode: number;
  readonly statusCode: number;
  readonly message: string;
  readonly errorCode?: number;
  readonly correlationId: string;
  readonly regarding: { readonly logicalName: string; readonly id: string };
  readonly messageName: string;
  readonly primaryEntityType: string;
  readonly startedOn: Date;
  readonly completedOn: Date | null;
  readonly depth: number;
  /** Attempts beyond the first (0, or 1 after a 502/503/504). */
  readonly retryCount: number;
}

export interface WebhookEndpoint {
  /** serviceendpointid. */
  readonly id: string;
  readonly url: string;
  /** serviceendpoint.authtype: ServiceEndpointAuthType.WebhookKey, HttpHeader or HttpQueryString. */
  readonly authType: number;
  readonly authValue?: string | null;
}

export interface WebhookStep {
  readonly id: string;
  readonly name: string;
  /** sdkmessageprocessingstep.asyncautodelete. */
  readonly asyncAutoDelete: boolean;
}

export interface WebhookHeaderInfo {
  /** x-ms-dynamics-organization: "the domain name of the environment sending the request". */
  readonly organization: string;
  /** Defaults: the context's PrimaryEntityName, MessageName and CorrelationId. */
  readonly entityName?: string;
  readonly requestName?: string;
  readonly correlationId?: string;
}

export interface WebhookDelivery {
  readonly endpoint: WebhookEndpoint;
  readonly context: RemoteExecutionContext;
  readonly step: WebhookStep;
  readonly headers: WebhookHeaderInfo;
}

export interface WebhookDeliveryResult {
  readonly status: 'Succeeded' | 'Failed' | 'Canceled';
  readonly attempts: number;
  /** The job recorded, if any (none on success with asyncAutoDelete, none when canceled by close). */
  readonly job?: SystemJobRecord;
}

export type WebhookLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface WebhookDispatcherDeps {
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly recordSystemJob: (job: SystemJobRecord) => void;
  readonly log?: WebhookLog;
  /** Per attempt; Dataverse waits 60 s. */
  readonly timeoutMs?: number;
  /** Requests in flight at once across all steps. */
  readonly concurrency?: number;
}

export const WEBHOOK_TIMEOUT_MS = 60_000;
/** "The WebHook service will make one more attempt only when these error codes are returned." */
const RETRIED_ONCE = new Set([502, 503, 504]);

interface Queued {
  readonly delivery: WebhookDelivery;
  readonly resolve: (result: WebhookDeliveryResult) => void;
}

type Outcome =
  | { readonly kind: 'status'; readonly status: number; readonly statusText: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly detail: string }
  | { readonly kind: 'canceled' };

class EndpointConfigError extends Error {}

export class WebhookDispatcher {
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;
  private readonly log: WebhookLog;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  /** Pending deliveries per step, in arrival order. */
  private readonly lanes = new Map<string, Queued[]>();
  /** Steps with pending deliveries and nothing in flight, in the order they became ready. */
  private readonly ready: string[] = [];
  private readonly busy = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private readonly shutdown = new AbortController();
  private closed = false;

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.fetchImpl = deps.fetch ?? globalThis.fetch;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log ?? (() => undefined);
    this.timeoutMs = deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.concurrency = Math.max(1, deps.concurrency ?? 4);
  }

  /** Queues one delivery (call after the transaction commits). The promise never rejects. */
  enqueue(delivery: WebhookDelivery): Promise<WebhookDeliveryResult> {
    if (this.closed) throw new Error('WebhookDispatcher is closed: no further webhook deliveries are accepted.');
    return new Promise((resolve) => {
      const lane = delivery.step.id;
      const queue = this.lanes.get(lane);
      if (queue) queue.push({ delivery, resolve });
      else this.lanes.set(lane, [{ delivery, resolve }]);
      if (!this.busy.has(lane) && !this.ready.includes(lane)) this.ready.push(lane);
      this.pump();
    });
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops accepting deliveries and resolves when the queue has drained. With `abort`, queued deliveries are dropped
   * and requests in flight are canceled; neither leaves a system job (Dataverse would resume them after a restart).
   */
  close(opts: { abort?: boolean } = {}): Promise<void> {
    this.closed = true;
    if (opts.abort) {
      for (const queue of this.lanes.values()) for (const q of queue.splice(0)) q.resolve({ status: 'Canceled', attempts: 0 });
      this.lanes.clear();
      this.ready.length = 0;
      this.shutdown.abort();
    }
    this.settleIdle();
    return this.idle();
  }

  private isIdle(): boolean {
    return this.busy.size === 0 && this.lanes.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private pump(): void {
    while (this.busy.size < this.concurrency && this.ready.length > 0) {
      const lane = this.ready.shift() as string;
      const queue = this.lanes.get(lane);
      const next = queue?.shift();
      if (!next) {
        this.lanes.delete(lane);
        continue;
      }
      this.busy.add(lane);
      void this.deliver(next.delivery)
        .then(next.resolve, (err: unknown) => {
          this.log('error', `Webhook step ${next.delivery.step.name}: internal error ${err instanceof Error ? err.message : String(err)}`);
          next.resolve({ status: 'Failed', attempts: 0 });
        })
        .finally(() => {
          this.busy.delete(lane);
          // Back of the line, so one busy step cannot starve the others.
          if (this.lanes.get(lane)?.length) this.ready.push(lane);
          else this.lanes.delete(lane);
          this.pump();
          this.settleIdle();
        });
    }
  }

  private async deliver(delivery: WebhookDelivery): Promise<WebhookDeliveryResult> {
    const { endpoint, context, step } = delivery;
    const startedOn = this.now();
    const where = safeUrl(endpoint.url);
    const what = `${context.MessageName} of ${context.PrimaryEntityName} ${context.PrimaryEntityId}`;

    let request: { url: string; headers: Headers; body: string };
    try {
      request = buildRequest(delivery);
    } catch (err) {
      const reason = err instanceof EndpointConfigError ? err.message : 'its URL or authentication settings are not valid';
      const message = `Webhook step "${step.name}" did not post ${what} to ${where}: ${reason}. Nothing was sent; fix the service endpoint and re-run the operation.`;
      return this.finish(delivery, startedOn, false, 0, message);
    }

    const first = await this.attempt(request);
    let outcome = first;
    let attempts = 1;
    if (first.kind === 'status' && RETRIED_ONCE.has(first.status)) {
      this.log('warn', `Webhook step "${step.name}" → ${where}: HTTP ${first.status}, trying once more`);
      outcome = await this.attempt(request);
      attempts = 2;
    }
    if (outcome.kind === 'canceled') {
      this.log('warn', `Webhook step "${step.name}" → ${where}: canceled by shutdown`);
      return { status: 'Canceled', attempts };
    }
    if (outcome.kind === 'status' && outcome.status >= 200 && outcome.status < 300) {
      this.log('info', `Webhook step "${step.name}" → ${where}: HTTP ${outcome.status} after ${attempts} attempt(s)`);
      return this.finish(delivery, startedOn, true, attempts, '');
    }
    const failure =
      attempts > 1 && first.kind !== 'canceled'
        ? `${describe(first, this.timeoutMs)}, and on the one retry Dataverse makes for 502, 503 and 504 it ${describe(outcome, this.timeoutMs)}`
        : `${describe(outcome, this.timeoutMs)}${outcome.kind === 'status' ? ' (Dataverse retries only 502, 503 and 504)' : ''}`;
    const message = `Webhook step "${step.name}" could not deliver ${what}: POST ${where} ${failure}. The system job is Failed and nothing retries it: fix the endpoint, then repeat the change to send it again.`;
    this.log('error', message);
    return this.finish(delivery, startedOn, false, attempts, message);
  }

  private async attempt(request: { url: string; headers: Headers; body: string }): Promise<Outcome> {
    if (this.shutdown.signal.aborted) return { kind: 'canceled' };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await this.fetchImpl(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.any([timeout, this.shutdown.signal]),
        redirect: 'manual',
      });
      // "The system cannot parse any data returned with the body of the response": drop it.
      await res.body?.cancel().catch(() => undefined);
      return { kind: 'status', status: res.status, statusText: res.statusText };
    } catch (err) {
      if (this.shutdown.signal.aborted) return { kind: 'canceled' };
      if (timeout.aborted) return { kind: 'timeout' };
      return { kind: 'network', detail: networkDetail(err) };
    }
  }

  private finish(delivery: WebhookDelivery, startedOn: Date, succeeded: boolean, attempts: number, message: string): WebhookDeliveryResult {
    const { context, step } = delivery;
    if (succeeded && step.asyncAutoDelete) return { status: 'Succeeded', attempts };
    const job: SystemJobRecord = {
      id: randomUUID(),
      name: step.name,
      owningStepId: step.id,
      status: succeeded ? 'Succeeded' : 'Failed',
      stateCode: AsyncOperationState.Completed,
      statusCode: succeeded ? AsyncOperationStatus.Succeeded : AsyncOperationStatus.Failed,
      message,
      correlationId: context.CorrelationId,
      regarding: { logicalName: context.PrimaryEntityName, id: context.PrimaryEntityId },
      messageName: context.MessageName,
      primaryEntityType: context.PrimaryEntityName,
      startedOn,
      completedOn: this.now(),
      depth: context.Depth,
      retryCount: Math.max(0, attempts - 1),
    };
    try {
      this.deps.recordSystemJob(job);
    } catch (err) {
      this.log('error', `Webhook step "${step.name}": the system job could not be recorded (${err instanceof Error ? err.message : String(err)})`);
    }
    return { status: job.status === 'Succeeded' ? 'Succeeded' : 'Failed', attempts, job };
  }
}

// ---- request ---------------------------------------------------------------------------------------------------

function buildRequest(delivery: WebhookDelivery): { url: string; headers: Headers; body: string } {
  const { endpoint, context } = delivery;
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    throw new EndpointConfigError('its URL is not an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EndpointConfigError('its URL is not an absolute http(s) URL');

  const headers = new Headers();
  const authValue = endpoint.authValue ?? '';
  switch (endpoint.authType) {
    case ServiceEndpointAuthType.WebhookKey:
      if (!authValue) throw new EndpointConfigError('the Webhook Key authentication has no key');
      url.searchParams.set('code', authValue);
      break;
    case ServiceEndpointAuthType.HttpHeader:
      for (const [name, value] of parseAuthSettings(authValue, 'Http Header')) {
        try {
          headers.set(name, value);
        } catch {
          throw new EndpointConfigError(`the Http Header authentication names a header that cannot be sent (${JSON.stringify(name)})`);
        }
      }
      break;
    case ServiceEndpointAuthType.HttpQueryString:
      for (const [name, value] of parseAuthSettings(authValue, 'Http Query String')) url.searchParams.append(name, value);
      break;
    default:
      throw new EndpointConfigError(`authentication type ${endpoint.authType} is not one a webhook can use (4 Webhook Key, 5 Http Header, 6 Http Query String)`);
  }

  const { body, sizeExceeded } = payloadForSize(context);
  const info = delivery.headers;
  // The headers of "Use webhooks" → Header data (x-request-id from the current localized table).
  headers.set('x-request-id', randomUUID());
  headers.set('x-ms-dynamics-organization', info.organization);
  headers.set('x-ms-dynamics-entity-name', info.entityName ?? context.PrimaryEntityName);
  headers.set('x-ms-dynamics-request-name', info.requestName ?? context.MessageName);
  headers.set('x-ms-correlation-request-id', info.correlationId ?? context.CorrelationId);
  // "Sent only when the HTTP payload size exceeds 256 KB"; its value is not documented.
  if (sizeExceeded) headers.set('x-ms-dynamics-msg-size-exceeded', 'true');
  headers.set('content-type', 'application/json');
  return { url: url.toString(), headers, body };
}

/**
 * The name/value list of an Http Header or Http Query String authvalue:
 * `<settings><setting name="x-api-key" value="s3cret" /></settings>`. Errors never quote the values.
 */
export function parseAuthSettings(authValue: string, label = 'authentication'): [string, string][] {
  const xml = authValue.trim();
  if (!/^<settings\b[^>]*>[\s\S]*<\/settings>$/.test(xml) && !/^<settings\b[^>]*\/>$/.test(xml)) {
    throw new EndpointConfigError(`the ${label} value is not a <settings> list of <setting name="…" value="…" /> entries`);
  }
  const out: [string, string][] = [];
  for (const m of xml.matchAll(/<setting\b([^>]*?)\/?>/g)) {
    const attrs = new Map<string, string>();
    for (const a of (m[1] ?? '').matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs.set(a[1] as string, decodeXml(a[2] ?? a[3] ?? ''));
    }
    const name = attrs.get('name');
    if (!name) throw new EndpointConfigError(`a <setting> in the ${label} value has no name`);
    out.push([name, attrs.get('value') ?? '']);
  }
  if (out.length === 0) throw new EndpointConfigError(`the ${label} value lists no <setting>`);
  return out;
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e] ?? '';
  });
}

// ---- messages --------------------------------------------------------------------------------------------------

/** The endpoint without query string, fragment or credentials: the key and query auth values stay out of text. */
function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function describe(outcome: Exclude<Outcome, { kind: 'canceled' }>, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'status':
      return `answered HTTP ${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}`;
    case 'timeout':
      return `did not answer within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`;
    case 'network':
      return `could not be reached (${outcome.detail})`;
  }
}

function networkDetail(err: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (jest, workers), where instanceof fails.
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  // Never echo a message that could carry the request URL (with its key).
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : 'network error';
}
