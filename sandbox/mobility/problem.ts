/**
 * RFC 9457 problem details, as the ticket API answers every error (`application/problem+json`). `type` is a stable
 * URI per kind of problem (clients branch on it, never on the title); `errors` is RFC 9457's own extension example:
 * one entry per invalid member, with a JSON pointer into the request body.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const BASE = 'https://mobility.example.com/problems/';

export const PROBLEM_TYPES = {
  validation: `${BASE}validation-error`,
  malformedJson: `${BASE}malformed-json`,
  unsupportedMediaType: `${BASE}unsupported-media-type`,
  payloadTooLarge: `${BASE}payload-too-large`,
  idempotencyKeyMissing: `${BASE}idempotency-key-missing`,
  idempotencyKeyReused: `${BASE}idempotency-key-reused`,
  ticketNotFound: `${BASE}ticket-not-found`,
  notFound: `${BASE}not-found`,
  methodNotAllowed: `${BASE}method-not-allowed`,
  /** The simulator's injected failures (setFault). */
  simulatedFault: `${BASE}simulated-fault`,
} as const;

export interface FieldProblem {
  /** JSON pointer into the body, e.g. `/window/end`. */
  readonly pointer: string;
  readonly detail: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly FieldProblem[];
}

export function problem(type: string, status: number, title: string, detail: string, extra: { instance?: string; errors?: readonly FieldProblem[] } = {}): Problem {
  return { type, title, status, detail, ...(extra.instance ? { instance: extra.instance } : {}), ...(extra.errors ? { errors: extra.errors } : {}) };
}

/** 400 naming every invalid field; `detail` lists them all so a log line alone says what to fix. */
export function validationProblem(errors: readonly FieldProblem[], instance?: string): Problem {
  const detail = errors.map((e) => e.detail).join(' ');
  return problem(PROBLEM_TYPES.validation, 400, 'The request body is not valid', detail, { instance, errors });
}
