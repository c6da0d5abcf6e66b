/**
 * Component ids that never change: a name-based (version 5, SHA-1) UUID of the package's namespace and the
 * component's kind and name. Re-packing gives every web resource, step and role the same id, so an import updates
 * the component instead of adding a second one, and the same inputs give the same bytes.
 */
import { createHash } from 'node:crypto';

/** Namespace of Project Field Bridge solution components (a random v4 UUID, fixed forever). */
const COMPONENT_NAMESPACE = 'b4c1f0d2-5e93-4a7b-8c16-0d9e2f7a3b58';
const namespaceBytes = Buffer.from(COMPONENT_NAMESPACE.replace(/-/g, ''), 'hex');

/** RFC 9562 §5.5: SHA-1 over namespace + name, first 16 bytes, version 5, variant 10. */
export function componentId(kind: string, name: string): string {
  const hash = createHash('sha1').update(namespaceBytes).update(`${kind}:${name}`, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `{guid}` as solution files write ids. */
export const braced = (id: string): string => `{${id.toLowerCase()}}`;

/** A GUID from `{GUID}` or `GUID`, lower-case; undefined when it is not one. */
export function unbraced(value: string | undefined): string | undefined {
  const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec((value ?? '').trim());
  return m ? (m[1] as string).toLowerCase() : undefined;
}
