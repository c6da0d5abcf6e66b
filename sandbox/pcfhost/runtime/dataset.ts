/// <reference lib="dom" />
/// <reference types="powerapps-component-framework" />
/**
 * A PCF DataSet over the local Dataverse, behaving as model-driven apps do where controls depend on it:
 * - the view's columns (plus `addColumn`), filter, sorting; `refresh()` reads page 1 again with the current sorting;
 * - paging: `setPageSize` applies to the next read; `loadNextPage()` APPENDS to `sortedRecordIds` (model-driven apps;
 *   canvas apps replace — `appendPages: false` gives that behaviour); paging calls cannot run in parallel: a call while
 *   a page is loading is refused and counted in `violations` (tests assert a control never does it);
 * - pages larger than the Web API's 5,000 rows are read as several requests following `@odata.nextLink`;
 * - `loading` is true while a read runs (the control gets an updateView then, and another when the rows arrive);
 * - records: `getValue` (lookups as EntityReference, dates as Date, choices as numbers), `getFormattedValue` (the
 *   platform's formatted values), `getNamedReference`; selection; `openDatasetItem` through the host's navigation.
 */
import { columnOf, isLookupColumn, pcfDataType, tableOf } from './schemaInfo';
import { failure, sameOrigin, type HostHttp } from './webApi';
import type { TableDef } from '@pfb/domain/src/schema';

type Column = ComponentFramework.PropertyHelper.DataSetApi.Column;
type EntityRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;
type SortStatus = ComponentFramework.PropertyHelper.DataSetApi.SortStatus;
type FilterExpression = ComponentFramework.PropertyHelper.DataSetApi.FilterExpression;

export interface DatasetOptions {
  /** Logical name of the table, e.g. msdyn_projecttask. */
  readonly entityName: string;
  /** The view's columns (logical names). The first is the primary column unless one says otherwise. */
  readonly columns: readonly (string | { name: string; displayName?: string })[];
  /** The view's own filter (OData $filter), e.g. the subgrid's relationship to the form's record. */
  readonly filter?: string;
  readonly sorting?: readonly SortStatus[];
  readonly pageSize?: number;
  readonly title?: string;
  readonly viewId?: string;
  /** Model-driven apps append pages (default); false replaces them as canvas apps do. */
  readonly appendPages?: boolean;
}

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_LOGICAL = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const MAX_PAGE = 5000;

type Row = Record<string, unknown>;

/** Per table and column: the Web API property, its annotations and how to read it (computed once). */
interface ColumnReader {
  readonly prop: string;
  readonly formatted: string;
  readonly logical: string;
  readonly lookup: boolean;
  readonly target: string;
  readonly date: 'DateOnly' | 'DateTime' | null;
}

const readers = new WeakMap<TableDef, Map<string, ColumnReader>>();

function readerOf(table: TableDef, columnName: string): ColumnReader {
  let byColumn = readers.get(table);
  if (!byColumn) readers.set(table, (byColumn = new Map()));
  let r = byColumn.get(columnName);
  if (!r) {
    const c = columnOf(table, columnName);
    const lookup = isLookupColumn(c);
    const prop = lookup ? `_${columnName}_value` : columnName;
    r = {
      prop,
      formatted: `${prop}@${FORMATTED}`,
      logical: `${prop}@${LOOKUP_LOGICAL}`,
      lookup,
      target: c?.targets?.[0] ?? '',
      date: c?.type === 'datetime' ? (c.dateTimeBehavior === 'DateOnly' ? 'DateOnly' : 'DateTime') : null,
    };
    byColumn.set(columnName, r);
  }
  return r;
}

class HostRecord implements EntityRecord {
  constructor(
    private readonly table: TableDef,
    private readonly row: Row,
  ) {}

  getRecordId(): string {
    return String(this.row[this.table.primaryIdAttribute] ?? '');
  }

  getNamedReference(): ComponentFramework.EntityReference {
    return { id: { guid: this.getRecordId() }, etn: this.table.logicalName, name: String(this.row[this.table.primaryNameAttribute] ?? '') };
  }

  getValue(columnName: string): ReturnType<EntityRecord['getValue']> {
    const r = readerOf(this.table, columnName);
    const v = this.row[r.prop];
    if (r.lookup) {
      if (typeof v !== 'string') return null as unknown as string;
      return { id: { guid: v }, name: String(this.row[r.formatted] ?? ''), etn: String(this.row[r.logical] ?? r.target) };
    }
    if (v === undefined || v === null) return null as unknown as string;
    if (r.date && typeof v === 'string') return new Date(r.date === 'DateOnly' ? `${v}T00:00:00` : v);
    return v as string | number | boolean;
  }

  getFormattedValue(columnName: string): string {
    const r = readerOf(this.table, columnName);
    const f = this.row[r.formatted];
    if (typeof f === 'string') return f;
    const v = this.row[r.prop];
    return v === undefined || v === null ? '' : String(v);
  }
}

export interface DatasetStats {
  requests: number;
  /** Paging or refresh calls made while a read was running (the platform does not allow them). */
  violations: number;
  pagesLoaded: number;
}

/** DataSet.paging: live values of the dataset, and its paging calls. */
class HostPaging implements ComponentFramework.PropertyHelper.DataSetApi.Paging {
  readonly firstPageNumber = 1;
  constructor(
    private readonly read: () => { total: number; pageNumber: number; pageSize: number; hasNext: boolean; canGoBack: boolean },
    private readonly calls: { next(): void; reset(): void; setPageSize(n: number): void },
  ) {}
  get totalResultCount(): number {
    return this.read().total;
  }
  get lastPageNumber(): number {
    return this.read().pageNumber;
  }
  get pageSize(): number {
    return this.read().pageSize;
  }
  get hasNextPage(): boolean {
    return this.read().hasNext;
  }
  get hasPreviousPage(): boolean {
    return this.read().canGoBack;
  }
  loadNextPage(): void {
    this.calls.next();
  }
  loadPreviousPage(): void {
    this.calls.reset();
  }
  reset(): void {
    this.calls.reset();
  }
  setPageSize(pageSize: number): void {
    this.calls.setPageSize(pageSize);
  }
  loadExactPage(): void {
    this.calls.reset();
  }
}

export class HostDataset implements ComponentFramework.PropertyTypes.DataSet {
  columns: Column[];
  error = false;
  errorMessage = '';
  loading = true;
  records: Record<string, EntityRecord> = {};
  sortedRecordIds: string[] = [];
  sorting: SortStatus[];
  readonly stats: DatasetStats = { requests: 0, violations: 0, pagesLoaded: 0 };
  readonly filtering: ComponentFramework.PropertyHelper.DataSetApi.Filtering;
  readonly linking: ComponentFramework.PropertyHelper.DataSetApi.Linking;
  readonly paging: HostPaging;

  private readonly table: TableDef;
  private pageSize: number;
  private nextLink: string | null = null;
  private pageNumber = 0;
  private selected: string[] = [];
  private filter: FilterExpression | null = null;
  private readonly linked: ComponentFramework.PropertyHelper.DataSetApi.LinkEntityExposedExpression[] = [];
  private running: Promise<void> | null = null;
  private generation = 0;
  private started = false;

  constructor(
    readonly name: string,
    private readonly options: DatasetOptions,
    private readonly http: HostHttp,
    private readonly changed: (reason: string) => void,
    private readonly openRecord: (ref: ComponentFramework.EntityReference) => void,
  ) {
    this.table = tableOf(options.entityName);
    this.pageSize = options.pageSize ?? 50;
    this.sorting = [...(options.sorting ?? [])];
    this.columns = options.columns.map((col, i) => this.column(typeof col === 'string' ? col : col.name, i, typeof col === 'string' ? undefined : col.displayName));
    this.paging = new HostPaging(
      () => ({ total: this.total, pageNumber: this.pageNumber, pageSize: this.pageSize, hasNext: this.nextLink !== null, canGoBack: this.options.appendPages === false && this.pageNumber > 1 }),
      {
        next: () => this.loadNextPage(),
        reset: () => this.refresh(),
        setPageSize: (n) => {
          if (Number.isFinite(n) && n > 0) this.pageSize = Math.floor(n);
        },
      },
    );
    this.filtering = {
      getFilter: () => this.filter as FilterExpression,
      setFilter: (f) => {
        this.filter = f;
      },
      clearFilter: () => {
        this.filter = null;
      },
    };
    this.linking = {
      getLinkedEntities: () => [...this.linked],
      addLinkedEntity: (e) => void this.linked.push(e),
    };
  }

  private total = -1;

  private column(name: string, order: number, displayName?: string): Column {
    const c = columnOf(this.table, name);
    return {
      name,
      displayName: displayName ?? c?.displayName ?? name,
      dataType: pcfDataType(c),
      alias: name,
      order,
      visualSizeFactor: 100,
      isPrimary: name === this.table.primaryNameAttribute,
      disableSorting: !c,
    };
  }

  /** Starts the first read unless the control already asked for one in init (setPageSize + refresh). */
  start(): void {
    if (!this.started) this.refresh();
  }

  addColumn(name: string): void {
    if (!this.columns.some((c) => c.name === name)) this.columns.push(this.column(name, this.columns.length));
  }

  clearSelectedRecordIds(): void {
    this.setSelectedRecordIds([]);
  }

  getSelectedRecordIds(): string[] {
    return [...this.selected];
  }

  setSelectedRecordIds(ids: string[]): void {
    this.selected = [...ids];
    this.changed(this.name);
  }

  getTargetEntityType(): string {
    return this.table.logicalName;
  }

  getTitle(): string {
    return this.options.title ?? this.table.displayCollectionName;
  }

  getViewId(): string {
    return this.options.viewId ?? '00000000-0000-0000-0000-000000000000';
  }

  openDatasetItem(entityReference: ComponentFramework.EntityReference): void {
    this.openRecord(entityReference);
  }

  /** Reads page 1 again with the current columns, sorting and filter. */
  refresh(): void {
    this.started = true;
    // A refresh supersedes a running read: its rows are dropped when they arrive (generation check).
    const generation = ++this.generation;
    this.loading = true;
    this.error = false;
    this.errorMessage = '';
    this.changed(this.name);
    this.running = this.readPage(this.firstPageQuery(), generation, 'first');
  }

  loadNextPage(): void {
    if (this.running) {
      // Model-driven apps do not page in parallel; the call is dropped (and counted for tests).
      this.stats.violations += 1;
      console.warn(`[pcfhost] ${this.name}: loadNextPage() while a page is loading was ignored`);
      return;
    }
    if (!this.nextLink) return;
    const generation = this.generation;
    this.loading = true;
    this.changed(this.name);
    this.running = this.readPage(this.nextLink, generation, this.options.appendPages === false ? 'replace' : 'append');
  }

  /** Resolves when no read is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }


  private firstPageQuery(): string {
    const select = new Set<string>([this.table.primaryIdAttribute]);
    for (const c of this.columns) {
      const def = columnOf(this.table, c.name);
      if (!def) continue;
      select.add(isLookupColumn(def) ? `_${c.name}_value` : c.name);
    }
    const parts = [`$select=${[...select].join(',')}`, '$count=true'];
    const filters = [this.options.filter, filterToOData(this.filter, this.table)].filter((f): f is string => !!f);
    if (filters.length) parts.push(`$filter=${filters.map((f) => `(${f})`).join(' and ')}`);
    const order = this.sorting
      .filter((s) => s.sortDirection !== -1 && columnOf(this.table, s.name))
      .map((s) => `${isLookupColumn(columnOf(this.table, s.name)) ? `_${s.name}_value` : s.name} ${s.sortDirection === 1 ? 'desc' : 'asc'}`);
    // A stable order across pages: the primary key last (the Web API pages by the ordering keys).
    order.push(`${this.table.primaryIdAttribute} asc`);
    parts.push(`$orderby=${order.join(',')}`);
    return `${this.table.entitySetName}?${parts.join('&')}`;
  }

  private async readPage(firstUrl: string, generation: number, mode: 'first' | 'append' | 'replace'): Promise<void> {
    const append = mode === 'append';
    const rows: Row[] = [];
    let url: string | null = firstUrl;
    let next: string | null = null;
    try {
      while (url !== null && rows.length < this.pageSize) {
        const size = Math.min(MAX_PAGE, this.pageSize - rows.length);
        const res = await this.http.request('GET', url, { headers: { Prefer: `odata.maxpagesize=${size},odata.include-annotations="*"` } });
        this.stats.requests += 1;
        if (!res.ok) throw await failure(res);
        const body = (await res.json()) as { value: Row[]; '@odata.nextLink'?: string; '@odata.count'?: number; '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'?: boolean };
        if (generation !== this.generation) return;
        if (typeof body['@odata.count'] === 'number') this.total = body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] ? -1 : body['@odata.count'];
        rows.push(...body.value);
        next = body['@odata.nextLink'] ? sameOrigin(body['@odata.nextLink']) : null;
        url = next;
      }
      if (generation !== this.generation) return;
      const records: Record<string, EntityRecord> = append ? { ...this.records } : {};
      const ids: string[] = append ? [...this.sortedRecordIds] : [];
      for (const row of rows) {
        const record = new HostRecord(this.table, row);
        const id = record.getRecordId();
        if (!(id in records)) ids.push(id);
        records[id] = record;
      }
      this.records = records;
      this.sortedRecordIds = ids;
      this.nextLink = next;
      this.pageNumber = mode === 'first' ? 1 : this.pageNumber + 1;
      this.stats.pagesLoaded += 1;
      if (this.total >= 0 && this.total < ids.length) this.total = ids.length;
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = true;
      this.errorMessage = e instanceof Error ? e.message : String(e);
    } finally {
      if (generation === this.generation) {
        // Settled before the control hears of it: from its next updateView it may ask for the next page.
        this.running = null;
        this.loading = false;
        this.changed(this.name);
      }
    }
  }
}

/** The PCF filter expression subset controls use, as OData: eq, ne, gt, ge, lt, le, like, null checks, in. */
export function filterToOData(f: FilterExpression | null, table: TableDef): string | null {
  if (!f) return null;
  const ops: Record<number, string> = { 0: 'eq', 1: 'ne', 2: 'gt', 3: 'lt', 4: 'ge', 5: 'le' };
  const lit = (name: string, v: string): string => {
    const c = columnOf(table, name);
    if (c && ['integer', 'bigint', 'decimal', 'double', 'money', 'picklist', 'state', 'status'].includes(c.type)) return String(Number(v));
    if (c?.type === 'boolean') return v === 'true' || v === '1' ? 'true' : 'false';
    if (c && (isLookupColumn(c) || c.type === 'uniqueidentifier' || c.type === 'datetime')) return v;
    return `'${v.replace(/'/g, "''")}'`;
  };
  const prop = (name: string): string => (isLookupColumn(columnOf(table, name)) ? `_${name}_value` : name);
  const parts: string[] = [];
  for (const c of f.conditions) {
    const p = prop(c.attributeName);
    const value = Array.isArray(c.value) ? c.value : [c.value];
    const op = c.conditionOperator as number;
    if (ops[op]) parts.push(`${p} ${ops[op]} ${lit(c.attributeName, value[0] ?? '')}`);
    else if (op === 6) parts.push(`contains(${p},${lit(c.attributeName, String(value[0] ?? '').replace(/%/g, ''))})`);
    else if (op === 12) parts.push(`${p} eq null`);
    else if (op === 13) parts.push(`${p} ne null`);
    else if (op === 8) parts.push(`(${value.map((v) => `${p} eq ${lit(c.attributeName, v)}`).join(' or ')})`);
  }
  for (const child of f.filters ?? []) {
    const x = filterToOData(child, table);
    if (x) parts.push(`(${x})`);
  }
  return parts.length ? parts.join(f.filterOperator === 1 ? ' or ' : ' and ') : null;
}
