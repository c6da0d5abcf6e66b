/**
 * RFC 9457 problem details for the bridge's HTTP answers. Dataverse reads only a webhook's status code, but a person
 * testing an endpoint (or reading a failed System Job's response) gets a sentence saying what was wrong. A problem
 * body never carries a key, a token or the request body.
 */
import type { HttpResponseInit } from '@azure/functions';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status: problem.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...headers },
    body: JSON.stringify({ type: 'about:blank', title: problem.title, status: problem.status, detail: problem.detail }),
  };
}
