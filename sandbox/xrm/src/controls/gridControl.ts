/**
 * A grid control as ribbon commands receive it (`SelectedControl`) and as `formContext.getControl('<subgrid>')`
 * returns it: its name and table, `getGrid().getSelectedRows()` (rows whose `getData().getEntity()` gives the id in
 * `{GUID}` form), `refresh()` to reload, and on-load handlers. The rows come from a loader the page gives (usually a
 * Web API query); rendering is someone else's job (gridView.ts), told through `onChange`.
 */
import { braced } from '../context/globalContext';

export interface GridRecord {
  /** Bare GUID. */
  readonly id: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface GridControlOptions {
  readonly name: string;
  readonly entityName: string;
  load(): Promise<readonly GridRecord[]>;
}

type Listener = () => void;

const bare = (id: string): string => id.replace(/[{}]/g, '').toLowerCase();

function collection<T>(items: readonly T[]): { get(): T[]; get(index: number): T | undefined; getLength(): number; forEach(cb: (item: T, index: number) => void): void } {
  return {
    get: ((index?: number) => (index === undefined ? [...items] : items[index])) as never,
    getLength: () => items.length,
    forEach: (cb) => items.forEach(cb),
  };
}

export class GridControl {
  private records: readonly GridRecord[] = [];
  private readonly selected = new Set<string>();
  private readonly onLoad: Listener[] = [];
  private readonly onChange: Listener[] = [];
  private loading: Promise<void> | undefined;
  /** Completed loads, for pages and tests that wait for a refresh. */
  loads = 0;

  constructor(private readonly options: GridControlOptions) {}

  getName(): string {
    return this.options.name;
  }

  getEntityName(): string {
    return this.options.entityName;
  }

  getControlType(): string {
    return 'subgrid';
  }

  getVisible(): boolean {
    return true;
  }

  /** Reloads the rows; the selection keeps the rows that are still there. */
  refresh(): Promise<void> {
    this.loading = (async () => {
      this.records = await this.options.load();
      const present = new Set(this.records.map((r) => r.id));
      for (const id of [...this.selected]) if (!present.has(id)) this.selected.delete(id);
      this.loads += 1;
      for (const l of this.onLoad) l();
      this.changed();
    })();
    return this.loading;
  }

  whenLoaded(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  rows(): readonly GridRecord[] {
    return this.records;
  }

  isSelected(id: string): boolean {
    return this.selected.has(bare(id));
  }

  setSelected(ids: readonly string[]): void {
    this.selected.clear();
    for (const id of ids) this.selected.add(bare(id));
    this.changed();
  }

  toggle(id: string, on: boolean): void {
    if (on) this.selected.add(bare(id));
    else this.selected.delete(bare(id));
    this.changed();
  }

  /** SelectedControlSelectedItemIds: `{GUID}` ids in row order. */
  selectedIds(): string[] {
    return this.records.filter((r) => this.selected.has(r.id)).map((r) => braced(r.id));
  }

  allIds(): string[] {
    return this.records.map((r) => braced(r.id));
  }

  selectedRecords(): GridRecord[] {
    return this.records.filter((r) => this.selected.has(r.id));
  }

  getGrid(): unknown {
    const row = (r: GridRecord): unknown => {
      const entity = {
        getId: () => braced(r.id),
        getEntityName: () => this.options.entityName,
        getPrimaryAttributeValue: () => r.name,
        getEntityReference: () => ({ id: braced(r.id), entityType: this.options.entityName, name: r.name }),
      };
      return { getData: () => ({ getEntity: () => entity }), data: { entity } };
    };
    return {
      getRows: () => collection(this.records.map(row)),
      getSelectedRows: () => collection(this.selectedRecords().map(row)),
      getTotalRecordCount: () => this.records.length,
    };
  }

  addOnLoad(listener: Listener): void {
    this.onLoad.push(listener);
  }

  removeOnLoad(listener: Listener): void {
    const i = this.onLoad.indexOf(listener);
    if (i >= 0) this.onLoad.splice(i, 1);
  }

  /** Rows or selection changed (the command bar re-evaluates its rules, the view re-renders). */
  subscribe(listener: Listener): () => void {
    this.onChange.push(listener);
    return () => {
      const i = this.onChange.indexOf(listener);
      if (i >= 0) this.onChange.splice(i, 1);
    };
  }

  private changed(): void {
    for (const l of this.onChange) l();
  }
}
