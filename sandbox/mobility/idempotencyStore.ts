/**
 * `Idempotency-Key` handling (IETF draft "The Idempotency-Key HTTP Header Field"): the first successful answer to a
 * key is kept with a fingerprint of the request (method, path, canonical body); a repeat with the same fingerprint
 * gets that answer again and changes nothing; the same key on a different request is a conflict. Only 2xx answers
 * are kept — a request refused as invalid, or failed by an injected fault, did nothing, so its key stays free for
 * the retry.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';

export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyLookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'conflict'; readonly firstUse: { readonly method: string; readonly path: string } };

interface Entry {
  readonly fingerprint: string;
  readonly method: string;
  readonly path: string;
  readonly answer: StoredAnswer;
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  lookup(key: string, fingerprint: string): IdempotencyLookup {
    const entry = this.entries.get(key);
    if (!entry) return { kind: 'new' };
    if (entry.fingerprint === fingerprint) return { kind: 'replay', answer: entry.answer };
    return { kind: 'conflict', firstUse: { method: entry.method, path: entry.path } };
  }

  remember(key: string, fingerprint: string, method: string, path: string, answer: StoredAnswer): void {
    if (answer.status < 200 || answer.status > 299) return;
    this.entries.set(key, { fingerprint, method, path, answer });
  }

  clear(): void {
    this.entries.clear();
  }
}
