/**
 * A typed PCF DataSet for jsdom tests, paging like a model-driven app: rows come in pages; `loadNextPage()` appends
 * (or replaces, `mode: 'replace'`, as canvas apps do) — but only when the test delivers the page (`deliver()`), so the
 * test sees what the control does while a page is on its way. A paging call during a running one is counted in
 * `violations` (the platform does not allow them). Sorting changes and refresh() are recorded.
 */
type Column = ComponentFramework.PropertyHelper.DataSetApi.Column;
type EntityRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;
type SortStatus = ComponentFramework.PropertyHelper.DataSetApi.SortStatus;

export interface MockRow {
  readonly id: string;
  /** Raw values by column: lookups as `{ id, name, etn }`, dates as Date. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Formatted values by column (defaults to String(raw)). */
  readonly formatted?: Readonly<Record<string, string>>;
}

export interface MockDatasetOptions {
  readonly entityName: string;
  readonly columns: readonly string[];
  readonly pageSize: number;
  readonly mode?: 'append' | 'replace';
  /** Deliver pages as soon as they are asked for. */
  readonly autoDeliver?: boolean;
}

class MockRecord implements EntityRecord {
  constructor(
    private readonly row: MockRow,
    private readonly entityName: string,
  ) {}
  getRecordId(): string {
    return this.row.id;
  }
  getNamedReference(): ComponentFramework.EntityReference {
    return { id: { guid: this.row.id }, etn: this.entityName, name: String(this.row.values['msdyn_subject'] ?? '') };
  }
  getValue(column: string): ReturnType<EntityRecord['getValue']> {
    const v = this.row.values[column];
    if (v && typeof v === 'object' && 'id' in (v as object) && typeof (v as { id: unknown }).id === 'string') {
      const ref = v as { id: string; name?: string; etn?: string };
      return { id: { guid: ref.id }, name: ref.name ?? '', etn: ref.etn };
    }
    return (v ?? null) as string;
  }
  getFormattedValue(column: string): string {
    const f = this.row.formatted?.[column];
    if (f !== undefined) return f;
    const v = this.row.values[column];
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if (typeof v === 'object') return String((v as { name?: string }).name ?? '');
    return String(v);
  }
}

class MockPaging implements ComponentFramework.PropertyHelper.DataSetApi.Paging {
  readonly firstPageNumber = 1;
  readonly hasPreviousPage = false;
  constructor(private readonly ds: MockDataset) {}
  get totalResultCount(): number {
    return this.ds.pagingState().total;
  }
  get lastPageNumber(): number {
    return this.ds.pagingState().loaded;
  }
  get pageSize(): number {
    return this.ds.pagingState().pageSize;
  }
  get hasNextPage(): boolean {
    return this.ds.pagingState().hasNext;
  }
  loadNextPage(): void {
    this.ds.pagingCall('next');
  }
  loadPreviousPage(): void {
    // Not used by the controls.
  }
  reset(): void {
    this.ds.pagingCall('reset');
  }
  setPageSize(pageSize: number): void {
    this.ds.pagingCall({ pageSize });
  }
  loadExactPage(): void {
    // Not used by the controls.
  }
}

export class MockDataset implements ComponentFramework.PropertyTypes.DataSet {
  columns: Column[];
  error = false;
  errorMessage = '';
  loading = false;
  records: Record<string, EntityRecord> = {};
  sortedRecordIds: string[] = [];
  sorting: SortStatus[] = [];
  readonly calls = { loadNextPage: 0, refresh: 0, setPageSize: [] as number[], addColumn: [] as string[] };
  violations = 0;
  /** Called when the dataset changed (the host's cue to call updateView). */
  onChange: () => void = () => undefined;
  readonly filtering = { getFilter: () => ({ conditions: [], filterOperator: 0 as const }), setFilter: () => undefined, clearFilter: () => undefined };
  readonly linking = { getLinkedEntities: () => [], addLinkedEntity: () => undefined };
  readonly paging: MockPaging;

  private pages: MockRow[][] = [];
  private allRows: readonly MockRow[] = [];
  private loaded = 0;
  private pending: 'first' | 'next' | null = null;
  private selected: string[] = [];
  private pageSize: number;

  constructor(
    rows: readonly MockRow[],
    private readonly options: MockDatasetOptions,
  ) {
    this.pageSize = options.pageSize;
    this.columns = options.columns.map((name, i) => ({ name, displayName: name, dataType: 'SingleLine.Text', alias: name, order: i, visualSizeFactor: 100 }));
    this.setRows(rows);
    this.paging = new MockPaging(this);
  }

  /** Paging state the MockPaging reads. */
  pagingState(): { total: number; loaded: number; pageSize: number; hasNext: boolean } {
    return { total: this.pages.flat().length, loaded: this.loaded, pageSize: this.pageSize, hasNext: this.loaded < this.pages.length };
  }

  pagingCall(call: 'next' | 'reset' | { pageSize: number }): void {
    if (call === 'next') this.ask('next');
    else if (call === 'reset') this.refresh();
    else {
      this.calls.setPageSize.push(call.pageSize);
      this.pageSize = call.pageSize;
    }
  }

  /** Replaces the server-side rows (the next refresh reads them). */
  setRows(rows: readonly MockRow[]): void {
    this.allRows = rows;
    this.split();
  }

  private split(): void {
    this.pages = [];
    for (let i = 0; i < this.allRows.length; i += this.pageSize) this.pages.push(this.allRows.slice(i, i + this.pageSize));
  }

  /** Loads page 1 at once (as the platform does before the first updateView). */
  loadFirstPage(): void {
    this.pending = 'first';
    this.deliver();
  }

  get pageRequested(): boolean {
    return this.pending !== null;
  }

  /** The platform delivers the page that was asked for. */
  deliver(): void {
    if (!this.pending) throw new Error('MockDataset.deliver(): no page was asked for');
    const first = this.pending === 'first';
    this.pending = null;
    if (first) this.split(); // a new page size applies from page 1
    this.loading = false;
    const index = first ? 0 : this.loaded;
    const page = this.pages[index] ?? [];
    const rows = first || this.options.mode === 'replace' ? page : [...this.sortedRecordIds.map((id) => ({ id })), ...page];
    const records: Record<string, EntityRecord> = first || this.options.mode === 'replace' ? {} : { ...this.records };
    for (const r of page) records[r.id] = new MockRecord(r, this.options.entityName);
    this.records = records;
    this.sortedRecordIds = rows.map((r) => r.id);
    this.loaded = index + 1;
    this.onChange();
  }

  refresh(): void {
    this.calls.refresh += 1;
    this.loaded = 0;
    this.ask('first');
  }

  private ask(which: 'first' | 'next'): void {
    if (which === 'next') {
      this.calls.loadNextPage += 1;
      if (this.pending) {
        this.violations += 1;
        return;
      }
    }
    this.pending = which;
    this.loading = true;
    this.onChange();
    if (this.options.autoDeliver) queueMicrotask(() => this.pending && this.deliver());
  }

  addColumn(name: string): void {
    this.calls.addColumn.push(name);
    this.columns.push({ name, displayName: name, dataType: 'SingleLine.Text', alias: name, order: this.columns.length, visualSizeFactor: 100 });
  }
  clearSelectedRecordIds(): void {
    this.selected = [];
  }
  getSelectedRecordIds(): string[] {
    return [...this.selected];
  }
  setSelectedRecordIds(ids: string[]): void {
    this.selected = [...ids];
  }
  getTargetEntityType(): string {
    return this.options.entityName;
  }
  getTitle(): string {
    return 'Tasks';
  }
  getViewId(): string {
    return '00000000-0000-0000-0000-000000000001';
  }
  readonly opened: ComponentFramework.EntityReference[] = [];
  openDatasetItem(ref: ComponentFramework.EntityReference): void {
    this.opened.push(ref);
  }
}
