/**
 * Turns what `Xrm.WebApi` rejects with into a failure a coordinator can act on. The client API passes an object with
 * `errorCode` (the Dataverse code as a positive decimal: 0x80040333 → 2147746611) and `message` (execute.md); the
 * sandbox's implementation adds the HTTP status and `Retry-After`, which a real environment may also put in `raw`.
 *
 * Codes (compose-http-requests-handle-errors.md, api-limits.md, dataverse-facts §5): 0x80072322 / 0x80072321 /
 * 0x80072326 service protection limits (429, `Retry-After` in seconds); 0x80040217 record does not exist;
 * 0x80040220 / 0x8004140f privilege missing; 0x80060882 concurrency version mismatch; 0x80060892 / 0x80040237 key
 * already exists; 0x80044331 / 0x80040203 / 0x80040200 invalid values.
 */
export type FailureKind = 'throttled' | 'privilege' | 'notFound' | 'conflict' | 'invalid' | 'network' | 'unknown';

export interface DataverseFailure {
  readonly kind: FailureKind;
  /** Dataverse's message, as sent. */
  readonly message: string;
  /** `0x80040217` style, when there is a code. */
  readonly code: string | null;
  readonly status: number | null;
  readonly retryAfterSeconds: number | null;
  /** GUIDs the message names (e.g. "msdyn_projecttask With Id = … Does Not Exist"), lower case. */
  readonly recordIds: readonly string[];
}

const THROTTLED = new Set([0x80072322, 0x80072321, 0x80072326]);
const PRIVILEGE = new Set([0x80040220, 0x8004140f, 0x80048306]);
const NOT_FOUND = new Set([0x80040217, 0x8006088a]);
const CONFLICT = new Set([0x80060882, 0x80060892, 0x80040237]);
const INVALID = new Set([0x80044331, 0x80040203, 0x80040200, 0x8004431a, 0x80060888]);

const GUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const field = (o: unknown, name: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[name] : undefined);

/** A code as a number, from `2147746327`, `-2147220969`, `"0x80040217"` or `"80040217"`. */
function codeNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 0 ? value + 0x100000000 : value;
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    const n = /^(0x)?[0-9a-f]{8}$/i.test(text) ? parseInt(text.replace(/^0x/i, ''), 16) : Number(text);
    if (Number.isFinite(n)) return n < 0 ? n + 0x100000000 : n;
  }
  return null;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** The `{"error":{code,message}}` body inside `raw`, when the client API kept it. */
function rawError(raw: unknown): { code?: unknown; message?: unknown } | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    const error = field(parsed, 'error') ?? parsed;
    return typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

export function readDataverseError(error: unknown): DataverseFailure {
  const inner = rawError(field(error, 'raw'));
  const message =
    (typeof field(error, 'message') === 'string' && (field(error, 'message') as string)) ||
    (typeof inner?.message === 'string' && inner.message) ||
    (error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unknown error');
  const code = codeNumber(field(error, 'errorCode')) ?? codeNumber(field(error, 'code')) ?? codeNumber(inner?.code);
  const statusValue = field(error, 'httpStatusCode') ?? field(error, 'status');
  const status = typeof statusValue === 'number' ? statusValue : null;
  const retry = field(error, 'retryAfterSeconds') ?? field(error, 'retryAfter');
  const retryAfterSeconds = typeof retry === 'number' && Number.isFinite(retry) ? Math.max(1, Math.ceil(retry)) : null;
  const network = error instanceof TypeError || field(error, 'name') === 'NetworkError' || status === 0;

  let kind: FailureKind = 'unknown';
  if (network) kind = 'network';
  else if ((code !== null && THROTTLED.has(code)) || status === 429) kind = 'throttled';
  else if ((code !== null && PRIVILEGE.has(code)) || status === 403) kind = 'privilege';
  else if ((code !== null && NOT_FOUND.has(code)) || status === 404) kind = 'notFound';
  else if ((code !== null && CONFLICT.has(code)) || status === 412) kind = 'conflict';
  else if ((code !== null && INVALID.has(code)) || status === 400) kind = 'invalid';

  return {
    kind,
    message,
    code: code === null ? null : hex(code),
    status,
    retryAfterSeconds,
    recordIds: [...new Set((message.match(GUIDS) ?? []).map((g) => g.toLowerCase()))],
  };
}
