/**
 * An in-memory `context.webAPI` for jsdom tests: rows per table, and the part of the Web API query language the
 * controls use — $select, $filter (`Microsoft.Dynamics.CRM.In`, `eq`/`ne` with GUIDs, numbers and null, `and`, one
 * lookup path like `msdyn_workorder/_pfb_tasksync_value`), $orderby, $top, single-valued $expand, and paging by
 * `maxPageSize` with a next link. Every call is recorded, so tests can assert how many requests a control makes.
 * Lookup targets come from the generated schema subset, so a wrong navigation name fails here as it would live.
 */
import * as names from '../shared/schemaNames';

type Row = Record<string, unknown>;

export interface WebApiCall {
  readonly method: 'retrieveMultipleRecords' | 'retrieveRecord' | 'createRecord' | 'updateRecord' | 'deleteRecord';
  readonly entityType: string;
  readonly options?: string;
  readonly maxPageSize?: number;
}

interface TableInfo {
  readonly logicalName: string;
  readonly primaryIdAttribute: string;
  readonly lookups: Readonly<Record<string, { valueProperty: string; navigationProperty: string; target: string }>>;
}

const TABLES: readonly TableInfo[] = (Object.values(names) as unknown[]).filter((v): v is TableInfo => typeof v === 'object' && v !== null && 'logicalName' in v && 'lookups' in v);

function table(logicalName: string): TableInfo {
  const t = TABLES.find((x) => x.logicalName === logicalName);
  if (!t) throw new Error(`fakeWebApi: unknown table ${logicalName}`);
  return t;
}

export class FakeWebApi implements ComponentFramework.WebApi {
  readonly calls: WebApiCall[] = [];
  /** Make the next calls fail (e.g. to show an error state). */
  failWith: Error | null = null;
  private readonly rows = new Map<string, Row[]>();

  constructor(data: Readonly<Record<string, readonly Row[]>> = {}) {
    for (const [k, v] of Object.entries(data)) this.rows.set(k, v.map((r) => ({ ...r })));
  }

  set(logicalName: string, rows: readonly Row[]): void {
    this.rows.set(logicalName, rows.map((r) => ({ ...r })));
  }

  all(logicalName: string): Row[] {
    return this.rows.get(logicalName) ?? [];
  }

  requests(entityType?: string): WebApiCall[] {
    return this.calls.filter((c) => (c.method === 'retrieveMultipleRecords' || c.method === 'retrieveRecord') && (!entityType || c.entityType === entityType));
  }

  createRecord(entityType: string, data: ComponentFramework.WebApi.Entity): Promise<ComponentFramework.LookupValue> {
    this.calls.push({ method: 'createRecord', entityType });
    const t = table(entityType);
    const id = `00000000-0000-4000-8000-${String(this.all(entityType).length + 1).padStart(12, '0')}`;
    this.rows.set(entityType, [...this.all(entityType), { ...data, [t.primaryIdAttribute]: id }]);
    return Promise.resolve({ id, name: '', entityType } as ComponentFramework.LookupValue);
  }

  updateRecord(entityType: string, id: string): Promise<ComponentFramework.LookupValue> {
    this.calls.push({ method: 'updateRecord', entityType });
    return Promise.resolve({ id, name: '', entityType } as ComponentFramework.LookupValue);
  }

  deleteRecord(entityType: string, id: string): Promise<ComponentFramework.LookupValue> {
    this.calls.push({ method: 'deleteRecord', entityType });
    return Promise.resolve({ id, name: '', entityType } as ComponentFramework.LookupValue);
  }

  async retrieveRecord(entityType: string, id: string, options?: string): Promise<ComponentFramework.WebApi.Entity> {
    this.calls.push({ method: 'retrieveRecord', entityType, options });
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    const t = table(entityType);
    const row = this.all(entityType).find((r) => r[t.primaryIdAttribute] === id);
    if (!row) throw new Error(`${entityType} With Id = ${id} Does Not Exist`);
    return this.shape(t, row, parse(options));
  }

  async retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    this.calls.push({ method: 'retrieveMultipleRecords', entityType, options, maxPageSize });
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    const t = table(entityType);
    const q = parse(options);
    let rows = this.all(entityType).filter((r) => (q.filter ? this.matches(t, r, q.filter) : true));
    if (q.orderby) rows = [...rows].sort(comparator(q.orderby));
    if (q.top !== undefined) rows = rows.slice(0, q.top);
    const skip = q.skiptoken ?? 0;
    const size = maxPageSize ?? 5000;
    const page = rows.slice(skip, skip + size);
    const rest = rows.length > skip + size;
    const next = rest ? `https://org.example/api/data/v9.2/x?${[...q.raw.filter((p) => !p.startsWith('$skiptoken=')), `$skiptoken=${skip + size}`].join('&')}` : undefined;
    return { entities: page.map((r) => this.shape(t, r, q)), nextLink: next as string };
  }

  private shape(t: TableInfo, row: Row, q: Query): Row {
    const out: Row = {};
    const keep = (k: string): boolean => !q.select || q.select.includes(k) || k === t.primaryIdAttribute;
    for (const [k, v] of Object.entries(row)) {
      const base = k.split('@')[0] as string;
      if (keep(base)) out[k] = v;
    }
    for (const e of q.expand) {
      const lookup = Object.values(t.lookups).find((l) => l.navigationProperty === e.nav);
      if (!lookup) throw new Error(`fakeWebApi: ${t.logicalName} has no navigation property ${e.nav}`);
      const target = table(lookup.target);
      const ref = this.all(lookup.target).find((r) => r[target.primaryIdAttribute] === row[lookup.valueProperty]);
      out[e.nav] = ref ? this.shape(target, ref, { ...EMPTY_QUERY, select: e.select }) : null;
    }
    return out;
  }

  private value(t: TableInfo, row: Row, path: string): unknown {
    const [first, second] = path.split('/') as [string, string | undefined];
    if (second === undefined) return row[first];
    const lookup = Object.values(t.lookups).find((l) => l.navigationProperty === first);
    if (!lookup) throw new Error(`fakeWebApi: ${t.logicalName} has no navigation property ${first}`);
    const target = table(lookup.target);
    const ref = this.all(lookup.target).find((r) => r[target.primaryIdAttribute] === row[lookup.valueProperty]);
    return ref ? this.value(target, ref, second) : undefined;
  }

  private matches(t: TableInfo, row: Row, filter: string): boolean {
    return splitAnd(filter).every((clause) => {
      const inCall = /^Microsoft\.Dynamics\.CRM\.In\(PropertyName='(\w+)',PropertyValues=\[(.*)\]\)$/.exec(clause);
      if (inCall) {
        const prop = inCall[1] as string;
        const values = (inCall[2] as string).split(',').map((v) => v.trim().replace(/^'|'$/g, ''));
        const lookup = t.lookups[prop];
        const v = row[lookup ? lookup.valueProperty : prop];
        return values.includes(String(v));
      }
      const cmp = /^([\w/]+) (eq|ne) (.+)$/.exec(clause);
      if (!cmp) throw new Error(`fakeWebApi: unsupported filter clause ${clause}`);
      const actual = this.value(t, row, cmp[1] as string);
      const literal = cmp[3] as string;
      const expected = literal === 'null' ? null : /^-?\d+(\.\d+)?$/.test(literal) ? Number(literal) : literal.replace(/^'|'$/g, '');
      const equal = (actual ?? null) === expected;
      return cmp[2] === 'eq' ? equal : !equal;
    });
  }
}

interface Query {
  select?: string[];
  filter?: string;
  orderby?: string;
  top?: number;
  skiptoken?: number;
  expand: { nav: string; select?: string[] }[];
  raw: string[];
}

const EMPTY_QUERY: Query = { expand: [], raw: [] };

function parse(options: string | undefined): Query {
  const q: Query = { expand: [], raw: [] };
  if (!options) return q;
  const text = options.replace(/^\?/, '');
  const parts = splitTop(text, '&');
  q.raw = parts;
  for (const p of parts) {
    const i = p.indexOf('=');
    const key = p.slice(0, i);
    const value = decodeURIComponent(p.slice(i + 1));
    if (key === '$select') q.select = value.split(',');
    else if (key === '$filter') q.filter = value;
    else if (key === '$orderby') q.orderby = value;
    else if (key === '$top') q.top = Number(value);
    else if (key === '$skiptoken') q.skiptoken = Number(value);
    else if (key === '$expand') {
      for (const e of splitTop(value, ',')) {
        const m = /^(\w+)(?:\(\$select=([^)]*)\))?$/.exec(e);
        if (!m) throw new Error(`fakeWebApi: unsupported $expand ${e}`);
        q.expand.push({ nav: m[1] as string, select: m[2]?.split(',') });
      }
    }
  }
  return q;
}

/** Splits on a separator outside parentheses and brackets. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth += 1;
    if (ch === ')' || ch === ']') depth -= 1;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function splitAnd(filter: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < filter.length; i += 1) {
    const ch = filter[i];
    if (ch === '(' || ch === '[') depth += 1;
    if (ch === ')' || ch === ']') depth -= 1;
    if (depth === 0 && filter.startsWith(' and ', i)) {
      out.push(filter.slice(start, i).trim());
      start = i + 5;
    }
  }
  out.push(filter.slice(start).trim());
  return out.map((c) => c.replace(/^\((.*)\)$/, '$1'));
}

function comparator(orderby: string): (a: Row, b: Row) => number {
  const keys = orderby.split(',').map((k) => {
    const [name, dir] = k.trim().split(/\s+/) as [string, string | undefined];
    return { name, desc: dir === 'desc' };
  });
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.name];
      const y = b[k.name];
      if (x === y) continue;
      if (x === null || x === undefined) return k.desc ? 1 : -1;
      if (y === null || y === undefined) return k.desc ? -1 : 1;
      const c = x < y ? -1 : 1;
      return k.desc ? -c : c;
    }
    return 0;
  };
}
