/**
 * WbsWorkOrderGrid — platform glue only: reads the dataset (paging, sorting, selection) and the context (size, theme,
 * strings, Web API, navigation) into plain props and returns the React element; the platform renders it (a virtual
 * control: React and Fluent are the platform's libraries, never bundled).
 */
import * as React from 'react';
import { allocatedSize, clientUrlOf } from '../shared/platform';
import { createFormatter, localeOf, type Formatter } from '../shared/format';
import { readStrings } from '../shared/strings';
import { themeOf } from '../shared/theme';
import { msdyn_workorder } from '../shared/schemaNames';
import { WbsGrid, type WbsGridProps } from './components/WbsGrid';
import type { SortState } from './components/TreeGrid';
import { GRID_STRING_KEYS, type GridStrings } from './gridStrings';
import { DATASET, DEFAULT_MAX_TASKS, DEFAULT_PAGE_SIZE, type IInputs, type IOutputs } from './manifest';
import { COLUMNS, type ColumnKey } from './model/columns';
import { ensureColumns, TaskRecordReader } from './platform/datasetAdapter';
import { PagingDriver } from './platform/pagingDriver';
import { createReadyToSyncPort, type ReadyToSyncPort } from './platform/readyToSync';
import { createRelatedDataLoader, type RelatedLoader } from './platform/relatedData';

type DataSet = ComponentFramework.PropertyTypes.DataSet;

export class WbsWorkOrderGrid implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private context!: ComponentFramework.Context<IInputs>;
  private strings!: GridStrings;
  private fmt!: Formatter;
  private loadRelated!: RelatedLoader;
  private readyToSync!: ReadyToSyncPort;
  private readonly reader = new TaskRecordReader();
  private readonly paging = new PagingDriver();

  /** Replaceable in tests (jsdom has no web resource to load). */
  static createReadyToSyncPort: (clientUrl: string) => ReadyToSyncPort = (clientUrl) => createReadyToSyncPort(clientUrl);

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.context = context;
    context.mode.trackContainerResize(true);
    this.strings = readStrings((id) => context.resources.getString(id), GRID_STRING_KEYS);
    this.fmt = createFormatter(localeOf(context.userSettings?.languageId));
    this.loadRelated = createRelatedDataLoader(context.webAPI, this.fmt);
    this.readyToSync = WbsWorkOrderGrid.createReadyToSyncPort(clientUrlOf(context as ComponentFramework.Context<unknown>));

    const dataset = context.parameters[DATASET];
    const pageSize = positive(context.parameters.pageSize?.raw, DEFAULT_PAGE_SIZE);
    const pageSizeChanged = dataset.paging.pageSize !== pageSize;
    if (pageSizeChanged) dataset.paging.setPageSize(pageSize);
    // The tree needs parent, project and summary whether or not the view shows them.
    if (ensureColumns(dataset) || pageSizeChanged) {
      this.paging.restart();
      dataset.refresh();
    }
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.context = context;
    const dataset = context.parameters[DATASET];
    const maxTasks = positive(context.parameters.maxTasks?.raw, DEFAULT_MAX_TASKS);
    const paging = this.paging.update(dataset, maxTasks);
    const size = allocatedSize(context.mode);
    const props: WbsGridProps = {
      tasks: this.reader.read(dataset),
      datasetLoading: dataset.loading,
      loadingMore: paging.loadingMore,
      limitReached: paging.limitReached,
      pagesReplaced: paging.pagesReplaced,
      datasetError: dataset.error ? dataset.errorMessage || this.strings.Error_Dataset : null,
      dataVersion: paging.dataVersion,
      sort: sortOf(dataset),
      sortable: this.sortable(dataset),
      selectedIds: dataset.getSelectedRecordIds(),
      loadRelated: this.loadRelated,
      readyToSync: this.readyToSync,
      strings: this.strings,
      fmt: this.fmt,
      theme: themeOf(context),
      width: size.width,
      height: size.height,
      onSort: this.onSort,
      onSelectionChange: this.onSelectionChange,
      onRefresh: this.onRefresh,
      onOpenTask: this.onOpenTask,
      onOpenWorkOrder: this.onOpenWorkOrder,
    };
    return React.createElement(WbsGrid, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: the platform unmounts the React tree; related reads stop with it.
  }

  /** The same set while the sortable columns stay the same (memoised components compare by identity). */
  private sortableKey = '';
  private sortableSet: ReadonlySet<ColumnKey> = new Set();
  private sortable(dataset: DataSet): ReadonlySet<ColumnKey> {
    const set = sortableOf(dataset);
    const key = [...set].join(',');
    if (key !== this.sortableKey) {
      this.sortableKey = key;
      this.sortableSet = set;
    }
    return this.sortableSet;
  }

  // Stable callbacks (the same functions every updateView, so memoised components do not re-render).

  private readonly onSort = (column: ColumnKey, descending: boolean): void => {
    const field = COLUMNS.find((c) => c.key === column)?.sortField;
    if (!field) return;
    const dataset = this.context.parameters[DATASET];
    // Sorting = change dataset.sorting, then refresh() (which reads from page 1 again).
    while (dataset.sorting.length > 0) dataset.sorting.pop();
    dataset.sorting.push({ name: field, sortDirection: descending ? 1 : 0 });
    this.paging.restart();
    dataset.refresh();
  };

  private readonly onSelectionChange = (ids: string[]): void => {
    this.context.parameters[DATASET].setSelectedRecordIds(ids);
  };

  private readonly onRefresh = (): void => {
    this.paging.restart();
    this.context.parameters[DATASET].refresh();
  };

  private readonly onOpenTask = (id: string): void => {
    const dataset = this.context.parameters[DATASET];
    const record = dataset.records[id] ?? Object.values(dataset.records).find((r) => r.getRecordId().toLowerCase() === id);
    if (record) dataset.openDatasetItem(record.getNamedReference());
    else void this.context.navigation.openForm({ entityName: dataset.getTargetEntityType(), entityId: id });
  };

  private readonly onOpenWorkOrder = (id: string): void => {
    void this.context.navigation.openForm({ entityName: msdyn_workorder.logicalName, entityId: id });
  };
}

function positive(value: number | null | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function sortOf(dataset: DataSet): SortState | null {
  const s = dataset.sorting[0];
  if (!s || s.sortDirection === -1) return null;
  const column = COLUMNS.find((c) => c.sortField === s.name);
  return column ? { column: column.key, descending: s.sortDirection === 1 } : null;
}

function sortableOf(dataset: DataSet): ReadonlySet<ColumnKey> {
  const keys = new Set<ColumnKey>();
  for (const c of COLUMNS) {
    if (!c.sortField) continue;
    const col = dataset.columns.find((x) => x.name === c.sortField);
    if (col && !col.disableSorting) keys.add(c.key);
  }
  return keys;
}
