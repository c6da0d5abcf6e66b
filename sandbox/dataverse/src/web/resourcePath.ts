/**
 * Parses the resource path of a Web API URL (after `/api/data/v9.2/`): entity sets, key predicates (primary key
 * or alternate key), properties, navigation properties, `$ref`, bound and unbound operations.
 */
import { errors } from '../protocol/errors';

export type KeyPredicate = { kind: 'id'; id: string } | { kind: 'alternate'; values: Record<string, string | number | boolean | null> };

export interface PathSegment {
  readonly name: string;
  readonly key?: KeyPredicate;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits on `/` outside parentheses and quotes. */
function splitSegments(path: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < path.length; i += 1) {
    const ch = path[i] as string;
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth += 1;
    if (!quoted && ch === ')') depth -= 1;
    if (ch === '/' && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((s) => s.length > 0);
}

function parseLiteral(raw: string): string | number | boolean | null {
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === 'null') return null;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (GUID.test(raw)) return raw.toLowerCase();
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(n)) return n;
  throw errors.badRequest(`Bad Request - Error in query syntax: the key value ${raw} is not a valid literal.`, '0x80060888');
}

/** `(guid)`, `(key='v')`, `(k1='a',k2=2)`. */
export function parseKeyPredicate(inner: string): KeyPredicate {
  const trimmed = inner.trim();
  if (GUID.test(trimmed)) return { kind: 'id', id: trimmed.toLowerCase() };
  const values: Record<string, string | number | boolean | null> = {};
  let i = 0;
  while (i < trimmed.length) {
    const eq = trimmed.indexOf('=', i);
    if (eq < 0) throw errors.badRequest(`Bad Request - Error in query syntax: invalid key predicate (${inner}).`, '0x80060888');
    const name = trimmed.slice(i, eq).trim();
    let j = eq + 1;
    let raw = '';
    if (trimmed[j] === "'") {
      j += 1;
      while (j < trimmed.length) {
        if (trimmed[j] === "'" && trimmed[j + 1] === "'") {
          j += 2;
          continue;
        }
        if (trimmed[j] === "'") break;
        j += 1;
      }
      raw = trimmed.slice(eq + 1, j + 1);
      j += 1;
    } else {
      while (j < trimmed.length && trimmed[j] !== ',') j += 1;
      raw = trimmed.slice(eq + 1, j).trim();
    }
    values[name] = parseLiteral(raw);
    while (j < trimmed.length && (trimmed[j] === ',' || trimmed[j] === ' ')) j += 1;
    i = j;
  }
  if (Object.keys(values).length === 0) throw errors.badRequest(`Bad Request - Error in query syntax: empty key predicate.`, '0x80060888');
  return { kind: 'alternate', values };
}

export function parseResourcePath(path: string): PathSegment[] {
  return splitSegments(path).map((raw) => {
    const decoded = decodeURIComponent(raw);
    const open = decoded.indexOf('(');
    if (open < 0 || !decoded.endsWith(')')) return { name: decoded };
    const name = decoded.slice(0, open);
    const inner = decoded.slice(open + 1, -1);
    // Function calls with empty parentheses (WhoAmI()) carry no key.
    if (inner.trim() === '') return { name };
    return { name, key: parseKeyPredicate(inner) };
  });
}
