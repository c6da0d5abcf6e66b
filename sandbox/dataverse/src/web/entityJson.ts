/**
 * Rows to OData JSON and request bodies to rows, the way the Dataverse Web API does it: lookups read as
 * `_x_value` with optional lookup annotations, written through `nav@odata.bind`; `@odata.etag` from the row
 * version; formatted values on request (query-formatted-values, query-lookup-annotations samples).
 */
import { navigationPropertyOf, type ColumnDef, type SchemaModel, type TableDef } from '@pfb/domain';
import { errors } from '../protocol/errors';
import { isLookup } from '../store/sql';
import type { Store } from '../store/store';
import type { AttributeValue, Attributes, EntityReference } from '../store/types';
import { wantsAnnotation, type Preferences } from './prefer';
import { parseResourcePath } from './resourcePath';

export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
export const LOOKUP_LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
export const ASSOCIATED_NAV = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

export const lookupProperty = (logicalName: string): string => `_${logicalName}_value`;

export interface SerializeOptions {
  readonly prefs: Preferences;
  /** Logical names to include; undefined = all columns. */
  readonly columns?: readonly string[];
}

const dateFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const dateOnlyFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });

/** The formatted value Dataverse returns for a column (en-US, times in UTC: the sandbox user's time zone). */
export function formatValue(c: ColumnDef, value: AttributeValue, store?: Store): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (c.type) {
    case 'picklist':
    case 'state':
    case 'status':
      return c.optionSet?.options.find((o) => o.value === value)?.label;
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'money':
      return `$${(value as number).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'integer':
    case 'bigint':
      return (value as number).toLocaleString('en-US');
    case 'decimal':
    case 'double':
      return (value as number).toLocaleString('en-US', { minimumFractionDigits: c.precision ?? 2, maximumFractionDigits: c.precision ?? 2 });
    case 'datetime': {
      const s = value as string;
      return c.dateTimeBehavior === 'DateOnly' ? dateOnlyFmt.format(new Date(`${s}T00:00:00Z`)) : dateFmt.format(new Date(s)).replace(',', '');
    }
    case 'lookup':
    case 'owner':
    case 'customer': {
      const ref = value as EntityReference;
      const target = store?.schema.table(ref.logicalName);
      if (!target || !store) return undefined;
      const row = store.get(target.logicalName, ref.id);
      const name = row?.[target.primaryNameAttribute];
      return typeof name === 'string' ? name : undefined;
    }
    default:
      return undefined;
  }
}

/** One row as an OData JSON object (without @odata.context), properties in select order, primary id last. */
export function serializeRow(t: TableDef, row: Attributes, options: SerializeOptions, store: Store): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': `W/"${String(row['versionnumber'] ?? 0)}"` };
  const names = options.columns ?? Object.keys(t.columns);
  const formatted = wantsAnnotation(options.prefs, FORMATTED);
  for (const name of names) {
    if (name === t.primaryIdAttribute) continue;
    const c = t.columns[name];
    if (!c || c.notReadable) continue;
    const value = row[name] ?? null;
    if (isLookup(c)) {
      const prop = lookupProperty(name);
      const ref = value as EntityReference | null;
      if (formatted && ref) {
        const f = formatValue(c, ref, store);
        if (f !== undefined) out[`${prop}@${FORMATTED}`] = f;
      }
      if (ref && wantsAnnotation(options.prefs, ASSOCIATED_NAV)) {
        out[`${prop}@${ASSOCIATED_NAV}`] = polymorphicNavigationProperty(c, ref.logicalName);
      }
      if (ref && wantsAnnotation(options.prefs, LOOKUP_LOGICAL_NAME)) out[`${prop}@${LOOKUP_LOGICAL_NAME}`] = ref.logicalName;
      out[prop] = ref ? ref.id : null;
      continue;
    }
    if (formatted) {
      const f = formatValue(c, value, store);
      if (f !== undefined) out[`${name}@${FORMATTED}`] = f;
    }
    out[name] = value;
  }
  out[t.primaryIdAttribute] = row[t.primaryIdAttribute];
  return out;
}

/** The navigation property of a lookup for one of its targets (`parentcustomerid_account` for polymorphic ones). */
export function polymorphicNavigationProperty(c: ColumnDef, target: string): string {
  if (c.type === 'owner') return 'ownerid';
  const per = c.perTarget?.[target];
  if (per) return per.navigationProperty;
  if (!c.targets || c.targets.length <= 1) return navigationPropertyOf(c);
  return `${c.logicalName}_${target}`;
}

/** Finds the lookup column behind a single-valued navigation property name on `t`. */
export function lookupForNavigation(schema: SchemaModel, t: TableDef, nav: string): { column: ColumnDef; target?: string } | undefined {
  for (const c of Object.values(t.columns)) {
    if (!isLookup(c)) continue;
    if (navigationPropertyOf(c) === nav || c.logicalName === nav) return { column: c };
    for (const target of c.targets ?? []) if (`${c.logicalName}_${target}` === nav) return { column: c, target };
  }
  const rel = schema.manyToOneOf(t.logicalName).find((r) => r.referencingNavigationProperty === nav);
  const column = rel ? t.columns[rel.referencingAttribute] : undefined;
  return column ? { column, target: rel?.referencedEntity } : undefined;
}

/** Resolves an entity URL (absolute, `/set(id)`, `set(id)` or `set(key='v')`) to a reference. */
export function resolveEntityUrl(url: string, schema: SchemaModel, store: Store): EntityReference {
  const path = url.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/?api\/data\/v9\.\d\//i, '').replace(/^\//, '');
  const segments = parseResourcePath(path);
  const first = segments[0];
  const t = first ? schema.tableByEntitySet(first.name) : undefined;
  if (!first || !t || !first.key || segments.length !== 1) {
    throw errors.badRequest(`The URI '${url}' is not a valid entity reference. Use the form /<entityset>(<id>).`, '0x80048d19');
  }
  if (first.key.kind === 'id') return { logicalName: t.logicalName, id: first.key.id };
  const row = findByAlternateKey(t, first.key.values, store);
  if (!row) throw errors.notFoundByKey(t.logicalName, JSON.stringify(first.key.values));
  return { logicalName: t.logicalName, id: row[t.primaryIdAttribute] as string };
}

/** Looks a row up by the values of one of the table's alternate keys (or throws if no key matches the names). */
export function findByAlternateKey(t: TableDef, values: Record<string, string | number | boolean | null>, store: Store): Attributes | undefined {
  const names = Object.keys(values).sort();
  const key = t.alternateKeys.find((k) => [...k.columns].sort().join(',') === names.join(','));
  if (!key) {
    throw errors.badRequest(
      `The key attributes ${names.join(', ')} do not match an alternate key of ${t.logicalName}${t.alternateKeys.length ? ` (keys: ${t.alternateKeys.map((k) => k.columns.join('+')).join('; ')})` : ''}.`,
      '0x80060891',
    );
  }
  const stored: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(values)) stored[k] = typeof v === 'boolean' ? Number(v) : typeof v === 'string' ? (isLookup(t.columns[k] as ColumnDef) ? v.toLowerCase() : v) : v;
  return store.findBy(t.logicalName, stored);
}

/** Turns a request body into attributes: plain columns as sent, `nav@odata.bind` into lookups. */
export function parseEntityBody(t: TableDef, body: Record<string, unknown>, schema: SchemaModel, store: Store): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.endsWith('@odata.bind')) {
      const nav = key.slice(0, -'@odata.bind'.length);
      const found = lookupForNavigation(schema, t, nav);
      if (!found) throw errors.badRequest(`An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`, '0x80060888');
      if (value === null) {
        out[found.column.logicalName] = null;
        continue;
      }
      if (typeof value !== 'string') throw errors.badRequest(`The value of ${key} must be an entity URL string.`, '0x80048d19');
      const ref = resolveEntityUrl(value, schema, store);
      if (found.target && ref.logicalName !== found.target) {
        throw errors.badRequest(`The navigation property ${nav} points to ${found.target}, not ${ref.logicalName}.`, '0x80048d19');
      }
      out[found.column.logicalName] = ref;
      continue;
    }
    if (key.startsWith('@') || key.includes('@')) continue; // @odata.type and other annotations
    if (/^_.+_value$/.test(key)) {
      // Dataverse's own wording, typo included.
      throw errors.badRequest('CRM do not support direct update of Entity Reference properties, Use Navigation properties insteed.', '0x80048d19');
    }
    const c = t.columns[key];
    if (!c) {
      if (lookupForNavigation(schema, t, key) || schema.oneToManyOf(t.logicalName).some((r) => r.referencedNavigationProperty === key)) {
        throw errors.badRequest(`Deep insert through '${key}' is not supported by the local Dataverse; create the related record and bind it with ${key}@odata.bind.`, '0x80060888');
      }
      throw errors.badRequest(
        `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${t.logicalName}'. Make sure to only use property names that are defined by the type.`,
        '0x80060888',
      );
    }
    if (isLookup(c)) throw errors.badRequest(`Set the lookup '${key}' with '${navigationPropertyOf(c)}@odata.bind'.`, '0x80048d19');
    out[key] = value as AttributeValue;
  }
  return out;
}
