/**
 * Routes one Web API request to its handler. Synchronous: SQLite work is synchronous, which keeps every request
 * (and every change set) one transaction with nothing interleaved.
 */
import { errors } from '../protocol/errors';
import { bulk, BULK_MESSAGES, type BulkMessage } from './handlers/bulk';
import type { HandlerContext } from './handlers/handlerContext';
import { retrieve, retrieveMultiple } from './handlers/read';
import { create, property, reference, remove, resolveKey, upsert } from './handlers/write';
import { parseResourcePath } from './resourcePath';
import { json } from './response';
import type { ApiResponse } from './types';

/** Unbound operations (actions and functions) the local Dataverse implements, by name. */
export type UnboundOperation = (h: HandlerContext) => ApiResponse;

export function route(h: HandlerContext, unbound: ReadonlyMap<string, UnboundOperation>): ApiResponse {
  const path = h.request.url.split('?')[0] ?? '';
  const segments = parseResourcePath(path);
  const first = segments[0];
  if (!first) return json(200, { '@odata.context': `${h.serviceRoot}$metadata`, value: h.schema.tables.map((t) => ({ name: t.entitySetName, kind: 'EntitySet', url: t.entitySetName })) });
  const method = h.request.method;

  const t = h.schema.tableByEntitySet(first.name);
  if (!t) {
    const op = unbound.get(first.name);
    if (op && segments.length === 1) return op(h);
    throw errors.resourceNotFound(first.name);
  }

  if (segments.length === 1) {
    if (!first.key) {
      if (method === 'GET') return retrieveMultiple(h, t);
      if (method === 'POST') return create(h, t);
      throw errors.methodNotAllowed(method, first.name);
    }
    if (method === 'GET') {
      const id = resolveKey(h, t, first.key);
      if (!id) throw first.key.kind === 'id' ? errors.notFound(t.logicalName, first.key.id) : errors.notFoundByKey(t.logicalName, JSON.stringify(first.key.values));
      return retrieve(h, t, id);
    }
    if (method === 'PATCH') return upsert(h, t, first.key);
    if (method === 'DELETE') return remove(h, t, first.key);
    throw errors.methodNotAllowed(method, first.name);
  }

  const second = segments[1] as { name: string; key?: unknown };
  if (!first.key) {
    const bound = second.name.replace(/^Microsoft\.Dynamics\.CRM\./, '');
    if (segments.length === 2 && method === 'POST' && (BULK_MESSAGES as readonly string[]).includes(bound)) return bulk(h, t, bound as BulkMessage);
    if (segments.length === 2 && second.name === '$count' && method === 'GET') {
      return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(Math.min(h.store.count(t.logicalName, '', []), 5000)) };
    }
    throw errors.resourceNotFound(second.name);
  }
  const id = resolveKey(h, t, first.key);
  if (!id) throw first.key.kind === 'id' ? errors.notFound(t.logicalName, first.key.id) : errors.notFoundByKey(t.logicalName, JSON.stringify(first.key.values));

  if (segments.length === 3 && segments[2]?.name === '$ref') return reference(h, t, id, second.name);
  // A lookup's readable property is `_x_value`; its name is the navigation property (accounts(id)/primarycontactid).
  const column = t.columns[second.name];
  if (segments.length === 2 && column && column.type !== 'lookup' && column.type !== 'owner' && column.type !== 'customer') {
    return property(h, t, id, second.name);
  }
  if (segments.length === 2) {
    // Collection-valued navigation: GET lists the related rows, POST creates one already associated.
    const rel = h.schema.oneToManyOf(t.logicalName).find((r) => r.referencedNavigationProperty === second.name);
    if (rel) {
      const child = h.schema.table(rel.referencingEntity);
      if (!child) throw errors.resourceNotFound(second.name);
      if (method === 'GET') return retrieveMultiple(h, child, { column: rel.referencingAttribute, id });
      if (method === 'POST') return create(h, child, { [rel.referencingAttribute]: { logicalName: t.logicalName, id } });
      throw errors.methodNotAllowed(method, second.name);
    }
    const single = h.schema.manyToOneOf(t.logicalName).find((r) => r.referencingNavigationProperty === second.name);
    if (single && method === 'GET') {
      const row = h.store.get(t.logicalName, id);
      const ref = row?.[single.referencingAttribute];
      const target = h.schema.table(single.referencedEntity);
      if (!ref || typeof ref !== 'object' || !target) return { status: 204, headers: { 'OData-Version': '4.0' } };
      return retrieve(h, target, ref.id);
    }
  }
  throw errors.resourceNotFound(segments.map((s) => s.name).join('/'));
}
