/**
 * Deterministic GUIDs for seed rows: a name-based (version 5, SHA-1) UUID of a fixed namespace and the row's
 * name, so every run of the seed gives every row the same id and tests, demos and bookmarks keep working.
 */
import { createHash } from 'node:crypto';

/** Namespace of Project Field Bridge sandbox seeds (itself a random v4 UUID, fixed forever). */
const SEED_NAMESPACE = '6f1d3c2e-8a47-4b0e-9d55-2c7e41a9b813';

const namespaceBytes = Buffer.from(SEED_NAMESPACE.replace(/-/g, ''), 'hex');

/** RFC 9562 §5.5: SHA-1 over namespace + name, first 16 bytes, version 5, variant 10. */
export function seedId(name: string): string {
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
