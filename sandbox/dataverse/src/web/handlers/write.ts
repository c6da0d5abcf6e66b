/**
 * Create, update/upsert and delete with Dataverse's semantics (update-delete-entities-using-web-api,
 * perform-conditional-operations-using-web-api):
 * - POST creates: 204 + OData-EntityId, or 201 with a body under `Prefer: return=representation`.
 * - PATCH is an upsert, by id or alternate key: `If-Match: *` forbids the create (404), `If-None-Match: *`
 *   forbids the update (412), `If-Match: W/"n"` is optimistic concurrency (412 on mismatch).
 * - DELETE: 204; `If-Match` etag honoured.
 */
import type { TableDef } from '@pfb/domain';
import { errors } from '../../protocol/errors';
import type { Attributes } from '../../store/types';
import { findByAlternateKey, parseEntityBody, resolveEntityUrl, lookupForNavigation } from '../entityJson';
import type { KeyPredicate } from '../resourcePath';
import { json, noContent, preferenceApplied } from '../response';
import type { ApiResponse } from '../types';
import { parseJsonBody, type HandlerContext } from './handlerContext';
import { renderRow } from './read';
import { parseSelect } from '../../query/select';

export function entityUrl(h: HandlerContext, t: TableDef, id: string): string {
  return `${h.serviceRoot}${t.entitySetName}(${id})`;
}

function keyUrl(h: HandlerContext, t: TableDef, values: Record<string, unknown>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v)}`);
  return `${h.serviceRoot}${t.entitySetName}(${parts.join(',')})`;
}

function representation(h: HandlerContext, t: TableDef, id: string, status: number, headers: Record<string, string>): ApiResponse {
  const row = h.store.get(t.logicalName, id) as Attributes;
  const select = parseSelect(h.query.get('$select') ?? undefined, t);
  const cols = select.all ? '' : `(${select.columns.join(',')})`;
  const body = { '@odata.context': `${h.serviceRoot}$metadata#${t.entitySetName}${cols}/$entity`, ...renderRow(h, t, row, select, []) };
  return json(status, body, { ...headers, ETag: `W/"${String(row['versionnumber'])}"`, ...preferenceApplied(h.prefs, ['return=representation']) });
}

export function create(h: HandlerContext, t: TableDef, extra: Attributes = {}): ApiResponse {
  const attributes = { ...parseEntityBody(t, parseJsonBody(h.request.body), h.schema, h.store), ...extra };
  const id = h.service.create(h.op, t.logicalName, attributes);
  const headers = { Location: entityUrl(h, t, id), 'OData-EntityId': entityUrl(h, t, id) };
  if (h.prefs.returnRepresentation) return representation(h, t, id, 201, headers);
  return noContent(headers);
}

/** Resolves a key predicate to the row id, or undefined when no row has it. */
export function resolveKey(h: HandlerContext, t: TableDef, key: KeyPredicate): string | undefined {
  if (key.kind === 'id') return h.store.get(t.logicalName, key.id) ? key.id : undefined;
  const row = findByAlternateKey(t, key.values, h.store);
  return row ? (row[t.primaryIdAttribute] as string) : undefined;
}

export function upsert(h: HandlerContext, t: TableDef, key: KeyPredicate): ApiResponse {
  const ifMatch = h.request.headers['if-match'];
  const ifNoneMatch = h.request.headers['if-none-match'];
  const attributes = parseEntityBody(t, parseJsonBody(h.request.body), h.schema, h.store);
  const existing = resolveKey(h, t, key);
  const locationHeader = key.kind === 'id' ? entityUrl(h, t, key.id) : keyUrl(h, t, key.values);
  if (existing) {
    if (ifNoneMatch === '*') throw errors.alreadyExists();
    // Key values in the body are ignored on update (use-upsert-insert-update-record).
    if (key.kind === 'alternate') for (const k of Object.keys(key.values)) delete attributes[k];
    h.service.update(h.op, t.logicalName, existing, attributes, { ifMatch });
    if (h.prefs.returnRepresentation) return representation(h, t, existing, 200, { 'OData-EntityId': locationHeader });
    return noContent({ 'OData-EntityId': locationHeader });
  }
  if (ifMatch) throw key.kind === 'id' ? errors.notFound(t.logicalName, key.id) : errors.notFoundByKey(t.logicalName, JSON.stringify(key.values));
  if (key.kind === 'id') attributes[t.primaryIdAttribute] = key.id;
  else for (const [k, v] of Object.entries(key.values)) attributes[k] = keyValueToAttribute(h, t, k, v);
  const id = h.service.create(h.op, t.logicalName, attributes);
  if (h.prefs.returnRepresentation) return representation(h, t, id, 201, { 'OData-EntityId': locationHeader });
  return noContent({ 'OData-EntityId': locationHeader });
}

function keyValueToAttribute(h: HandlerContext, t: TableDef, column: string, value: string | number | boolean | null): Attributes[string] {
  const c = t.columns[column];
  if (c && (c.type === 'lookup' || c.type === 'owner' || c.type === 'customer') && typeof value === 'string') {
    return { logicalName: c.targets?.[0] ?? '', id: value };
  }
  return value;
}

export function remove(h: HandlerContext, t: TableDef, key: KeyPredicate): ApiResponse {
  const id = resolveKey(h, t, key);
  if (!id) throw key.kind === 'id' ? errors.notFound(t.logicalName, key.id) : errors.notFoundByKey(t.logicalName, JSON.stringify(key.values));
  h.service.delete(h.op, t.logicalName, id, { ifMatch: h.request.headers['if-match'] });
  return noContent();
}

/** GET/PUT/DELETE of one property: `accounts(id)/name`. */
export function property(h: HandlerContext, t: TableDef, id: string, name: string): ApiResponse {
  const c = t.columns[name];
  if (!c) throw errors.propertyNotFound(name, t.logicalName);
  const method = h.request.method;
  if (method === 'GET') {
    const row = h.store.get(t.logicalName, id);
    if (!row) throw errors.notFound(t.logicalName, id);
    const value = row[name] ?? null;
    if (value === null) return noContent();
    return json(200, { '@odata.context': `${h.serviceRoot}$metadata#${t.entitySetName}(${id})/${name}`, value: typeof value === 'object' ? value.id : value });
  }
  if (method === 'PUT') {
    const body = parseJsonBody(h.request.body);
    if (!('value' in body)) throw errors.badRequest('A single property update needs a body of the form {"value": …}.', '0x80048d19');
    h.service.update(h.op, t.logicalName, id, { [name]: body['value'] as Attributes[string] }, { ifMatch: '*' });
    return noContent();
  }
  if (method === 'DELETE') {
    h.service.update(h.op, t.logicalName, id, { [name]: null }, { ifMatch: '*' });
    return noContent();
  }
  throw errors.methodNotAllowed(method, name);
}

/**
 * `$ref` on navigation properties: PUT `accounts(id)/primarycontactid/$ref` {"@odata.id": url} sets a lookup,
 * DELETE clears it; POST `accounts(id)/contact_customer_accounts/$ref` associates a child.
 */
export function reference(h: HandlerContext, t: TableDef, id: string, nav: string): ApiResponse {
  const method = h.request.method;
  const single = lookupForNavigation(h.schema, t, nav);
  if (single) {
    if (method === 'PUT') {
      const body = parseJsonBody(h.request.body);
      const url = body['@odata.id'];
      if (typeof url !== 'string') throw errors.badRequest('The body of a $ref request needs "@odata.id".', '0x80048d19');
      h.service.update(h.op, t.logicalName, id, { [single.column.logicalName]: resolveEntityUrl(url, h.schema, h.store) }, { ifMatch: '*' });
      return noContent();
    }
    if (method === 'DELETE') {
      h.service.update(h.op, t.logicalName, id, { [single.column.logicalName]: null }, { ifMatch: '*' });
      return noContent();
    }
    throw errors.methodNotAllowed(method, '$ref');
  }
  const rel = h.schema.oneToManyOf(t.logicalName).find((r) => r.referencedNavigationProperty === nav);
  if (!rel) throw errors.propertyNotFound(nav, t.logicalName);
  if (method === 'POST') {
    const body = parseJsonBody(h.request.body);
    const url = body['@odata.id'];
    if (typeof url !== 'string') throw errors.badRequest('The body of a $ref request needs "@odata.id".', '0x80048d19');
    const child = resolveEntityUrl(url, h.schema, h.store);
    h.service.update(h.op, child.logicalName, child.id, { [rel.referencingAttribute]: { logicalName: t.logicalName, id } }, { ifMatch: '*' });
    return noContent();
  }
  if (method === 'DELETE') {
    // DELETE accounts(id)/contact_customer_accounts(childId)/$ref or ?$id=url
    const target = h.query.get('$id');
    if (!target) throw errors.badRequest('Name the related record to disassociate with $id or a key on the navigation property.', '0x80048d19');
    const child = resolveEntityUrl(target, h.schema, h.store);
    h.service.update(h.op, child.logicalName, child.id, { [rel.referencingAttribute]: null }, { ifMatch: '*' });
    return noContent();
  }
  throw errors.methodNotAllowed(method, '$ref');
}
