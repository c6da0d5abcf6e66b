/**
 * CreateMultiple, UpdateMultiple and UpsertMultiple bound to an entity set (bulk-operations; UpsertMultiple
 * reference). Standard tables are all-or-nothing: the caller runs this inside one transaction. Every Target needs
 * `@odata.type`; Create/Update steps still fire per record. CreateMultiple answers 200 {"Ids": […]};
 * UpdateMultiple and UpsertMultiple answer 204. Availability follows the sdkmessagefilter rows, as clients are
 * told to check (`sdkmessagefilters?$filter=sdkmessageid/name eq 'CreateMultiple' and primaryobjecttypecode eq …`).
 */
import type { TableDef } from '@pfb/domain';
import { errors } from '../../protocol/errors';
import type { Attributes } from '../../store/types';
import { findByAlternateKey, parseEntityBody } from '../entityJson';
import { parseResourcePath } from '../resourcePath';
import { json, noContent } from '../response';
import type { ApiResponse } from '../types';
import { parseJsonBody, type HandlerContext } from './handlerContext';

export const BULK_MESSAGES = ['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple'] as const;
export type BulkMessage = (typeof BULK_MESSAGES)[number];

function targets(h: HandlerContext, t: TableDef, message: BulkMessage): Record<string, unknown>[] {
  const body = parseJsonBody(h.request.body);
  const list = body['Targets'];
  if (!Array.isArray(list) || list.length === 0) {
    throw errors.badRequest(`${message} needs a non-empty 'Targets' array.`, '0x80040203');
  }
  list.forEach((item, i) => {
    if (typeof item !== 'object' || item === null) throw errors.badRequest(`${message}: Targets[${i}] is not an entity object.`, '0x80040203');
    const type = (item as Record<string, unknown>)['@odata.type'];
    if (type !== `Microsoft.Dynamics.CRM.${t.logicalName}`) {
      throw errors.badRequest(
        type === undefined
          ? `${message}: Targets[${i}] has no '@odata.type'. You must set the @odata.type property for each item in the Targets parameter.`
          : `${message}: Targets[${i}] is '${String(type)}' but all targets must be Microsoft.Dynamics.CRM.${t.logicalName}.`,
        '0x80040203',
      );
    }
  });
  return list as Record<string, unknown>[];
}

function checkAvailable(h: HandlerContext, t: TableDef, message: BulkMessage): void {
  const msg = h.store.findBy('sdkmessage', { name: message });
  const filter = msg ? h.store.select('sdkmessagefilter', 't0."sdkmessageid" = ? AND t0."primaryobjecttypecode" = ?', [msg['sdkmessageid'] as string, t.logicalName]) : [];
  if (filter.length === 0) {
    throw errors.badRequest(`The '${message}' message is not enabled for the ${t.logicalName} table.`, '0x80040800');
  }
}

export function bulk(h: HandlerContext, t: TableDef, message: BulkMessage): ApiResponse {
  checkAvailable(h, t, message);
  const items = targets(h, t, message);
  if (message === 'CreateMultiple') {
    const ids = items.map((item) => h.service.create(h.op, t.logicalName, parseEntityBody(t, item, h.schema, h.store)));
    return json(200, { '@odata.context': `${h.serviceRoot}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`, Ids: ids });
  }
  for (const [i, item] of items.entries()) {
    const { ['@odata.id']: odataId, ...rest } = item;
    const attributes = parseEntityBody(t, rest, h.schema, h.store);
    const id = resolveTargetId(h, t, attributes, odataId, i, message);
    if (message === 'UpdateMultiple') {
      if (!id.existing) throw errors.notFound(t.logicalName, id.id ?? JSON.stringify(id.keyValues));
      h.service.update(h.op, t.logicalName, id.existing, attributes, { ifMatch: '*' });
    } else if (id.existing) {
      for (const k of Object.keys(id.keyValues ?? {})) delete attributes[k];
      h.service.update(h.op, t.logicalName, id.existing, attributes, { ifMatch: '*' });
    } else {
      if (id.id) attributes[t.primaryIdAttribute] = id.id;
      for (const [k, v] of Object.entries(id.keyValues ?? {})) {
        const c = t.columns[k];
        attributes[k] = c && (c.type === 'lookup' || c.type === 'customer') && typeof v === 'string' ? { logicalName: c.targets?.[0] ?? '', id: v } : v;
      }
      h.service.create(h.op, t.logicalName, attributes);
    }
  }
  return noContent();
}

interface TargetIdentity {
  id?: string;
  keyValues?: Record<string, string | number | boolean | null>;
  existing?: string;
}

/** A target is identified by its primary key column, or by `@odata.id` with a key (primary or alternate). */
function resolveTargetId(h: HandlerContext, t: TableDef, attributes: Attributes, odataId: unknown, index: number, message: BulkMessage): TargetIdentity {
  if (typeof odataId === 'string') {
    const seg = parseResourcePath(odataId.replace(/^https?:\/\/[^/]+\/api\/data\/v9\.\d\//i, '').replace(/^\//, ''))[0];
    if (!seg?.key || seg.name !== t.entitySetName) {
      throw errors.badRequest(`${message}: Targets[${index}] '@odata.id' must be ${t.entitySetName}(<key>).`, '0x80040203');
    }
    if (seg.key.kind === 'id') return { id: seg.key.id, existing: h.store.get(t.logicalName, seg.key.id) ? seg.key.id : undefined };
    const row = findByAlternateKey(t, seg.key.values, h.store);
    return { keyValues: seg.key.values, existing: row?.[t.primaryIdAttribute] as string | undefined };
  }
  const id = attributes[t.primaryIdAttribute];
  if (typeof id === 'string') {
    delete attributes[t.primaryIdAttribute];
    return { id, existing: h.store.get(t.logicalName, id) ? id : undefined };
  }
  // Alternate key columns given as attributes (the SDK's KeyAttributes, flattened).
  for (const key of t.alternateKeys) {
    if (key.columns.every((k) => attributes[k] !== undefined && attributes[k] !== null)) {
      const values: Record<string, string | number | boolean | null> = {};
      for (const k of key.columns) {
        const v = attributes[k];
        values[k] = typeof v === 'object' && v !== null ? v.id : (v as string | number | boolean);
      }
      const row = findByAlternateKey(t, values, h.store);
      return { keyValues: values, existing: row?.[t.primaryIdAttribute] as string | undefined };
    }
  }
  if (message === 'UpsertMultiple') return {};
  throw errors.badRequest(`${message}: Targets[${index}] has neither ${t.primaryIdAttribute} nor '@odata.id'.`, '0x80040203');
}
