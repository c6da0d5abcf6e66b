/**
 * Web API failures in the shape the client API rejects with: `errorCode` is Dataverse's code as a positive decimal
 * ("the error code documented as 0x80040333 will be returned as 2147746611", execute.md) and `message` its message.
 * This implementation also keeps the HTTP status, `Retry-After` (seconds, api-limits.md) and the raw body, which a
 * caller can use to tell a throttled request from a refused one.
 */
export interface XrmWebApiError {
  readonly errorCode: number;
  readonly message: string;
  readonly code: number;
  readonly title: string;
  readonly raw: string;
  readonly httpStatusCode: number;
  readonly retryAfterSeconds?: number;
}

export function codeToNumber(code: unknown): number {
  if (typeof code === 'number' && Number.isFinite(code)) return code < 0 ? code + 0x100000000 : code;
  if (typeof code === 'string' && /^(0x)?[0-9a-f]{1,8}$/i.test(code.trim())) return parseInt(code.trim().replace(/^0x/i, ''), 16);
  return 0;
}

/** The error of a failed response: status, headers and body text. */
export function errorFromResponse(status: number, statusText: string, headers: { get(name: string): string | null }, body: string): XrmWebApiError {
  let code: unknown;
  let message = '';
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    code = parsed.error?.code;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    message = body.trim();
  }
  const retry = Number(headers.get('retry-after'));
  const errorCode = codeToNumber(code);
  return {
    errorCode,
    code: errorCode,
    message: message || `HTTP ${status} ${statusText}`.trim(),
    title: `HTTP ${status} ${statusText}`.trim(),
    raw: body,
    httpStatusCode: status,
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}),
  };
}

export function networkError(e: unknown): XrmWebApiError {
  const message = e instanceof Error ? e.message : String(e);
  return { errorCode: 0, code: 0, message: `Dataverse could not be reached: ${message}`, title: 'Network error', raw: '', httpStatusCode: 0 };
}

/** A request the client API refuses before sending (bad arguments, unknown table). */
export function clientError(message: string): XrmWebApiError {
  return { errorCode: 0, code: 0, message, title: 'Invalid request', raw: '', httpStatusCode: 0 };
}
