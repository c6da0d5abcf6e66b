/**
 * The HTTP counting layer of the tests: wraps fetch and records every request the Web API client really sends
 * (method, URL, body, status). Counts come from what went over the wire, not from what the code meant to do; the
 * local Dataverse's own counter (server.stats, requests as the service protection limit counts them) is checked
 * beside it.
 */
import type { FetchLike } from '../../../sandbox/xrm/src/webApi/transport';

export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  status?: number;
}

export interface CountingFetch {
  readonly fetch: FetchLike;
  readonly sent: SentRequest[];
  reset(): void;
  /** Requests sent since the last reset, as `METHOD path` lines (path after /api/data/v9.2/, query cut). */
  lines(): string[];
}

export function countingFetch(): CountingFetch {
  const sent: SentRequest[] = [];
  return {
    sent,
    fetch: async (url, init) => {
      const entry: SentRequest = { method: init.method, url, body: init.body };
      sent.push(entry);
      const response = await fetch(url, init);
      entry.status = response.status;
      return response;
    },
    reset: () => void sent.splice(0),
    lines: () => sent.map((r) => `${r.method} ${r.url.replace(/^.*\/api\/data\/v9\.2\//, '').replace(/\?.*$/, '')}`),
  };
}
