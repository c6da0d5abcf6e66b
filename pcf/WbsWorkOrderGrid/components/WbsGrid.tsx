/**
 * The WBS-to-work-order grid: toolbar, tree grid and status line. Knows nothing of PCF: the control's index.ts hands
 * it plain tasks, the dataset's sort and selection, and functions for the Web API reads and the Ready to Sync command.
 */
import * as React from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, Spinner, Text, useId, type Theme } from '@fluentui/react-components';
import { ThemedRoot } from '../../shared/theme';
import { fill } from '../../shared/strings';
import type { Formatter } from '../../shared/format';
import type { GridStrings } from '../gridStrings';
import { buildTree } from '../model/buildTree';
import { columnWidths, TOTAL_WIDTH, type ColumnKey } from '../model/columns';
import { isFilterActive, type GridFilter } from '../model/filter';
import { flattenRows, type GridRow } from '../model/flattenRows';
import type { TaskRecord } from '../model/types';
import type { RelatedLoader } from '../platform/relatedData';
import { readOutcome, type ReadyToSyncPort, type ReadyToSyncRun } from '../platform/readyToSync';
import { GridToolbar, type CommandState } from './GridToolbar';
import { TreeGrid, type SortState } from './TreeGrid';
import { useGridStyles, ROW_HEIGHT } from './styles';
import { useRelatedData } from './useRelatedData';

export interface WbsGridProps {
  readonly tasks: readonly TaskRecord[];
  /** The dataset is reading its first page. */
  readonly datasetLoading: boolean;
  /** A further page is on its way. */
  readonly loadingMore: boolean;
  /** Paging stopped at the control's task limit. */
  readonly limitReached: boolean;
  /** The host replaces pages instead of appending them (canvas apps): only the current page is shown. */
  readonly pagesReplaced: boolean;
  readonly datasetError: string | null;
  /** Goes up each time the dataset reads from its first page again; field data is then read again too. */
  readonly dataVersion: number;
  readonly sort: SortState | null;
  readonly sortable: ReadonlySet<ColumnKey>;
  readonly selectedIds: readonly string[];
  readonly loadRelated: RelatedLoader;
  readonly readyToSync: ReadyToSyncPort;
  readonly strings: GridStrings;
  readonly fmt: Formatter;
  readonly theme?: Theme;
  readonly width: number | null;
  readonly height: number | null;
  readonly onSort: (column: ColumnKey, descending: boolean) => void;
  readonly onSelectionChange: (ids: string[]) => void;
  readonly onRefresh: () => void;
  readonly onOpenTask: (id: string) => void;
  readonly onOpenWorkOrder: (id: string) => void;
  /** How often tasks on their way to the field are read again (ms). */
  readonly followMs?: number;
}

type Notice = { intent: 'success' | 'error'; text: string } | null;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = React.useState(value);
  React.useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const sameIds = (a: ReadonlySet<string>, b: readonly string[]): boolean => a.size === b.length && b.every((id) => a.has(id));

export function WbsGrid(props: WbsGridProps): React.ReactElement {
  const styles = useGridStyles();
  const { strings, fmt, tasks } = props;
  const gridId = useId('wbs');

  // ---- filter -----------------------------------------------------------------------------------------------------
  const [searchText, setSearchText] = React.useState('');
  const [syncStatuses, setSyncStatuses] = React.useState<ReadonlySet<number>>(new Set());
  const [fieldStatuses, setFieldStatuses] = React.useState<ReadonlySet<number>>(new Set());
  const text = useDebounced(searchText, tasks.length > 5000 ? 250 : 120);
  const filter = React.useMemo<GridFilter>(() => ({ text, syncStatuses, fieldStatuses }), [text, syncStatuses, fieldStatuses]);

  // ---- expansion (a new filter starts from the defaults, so its matches show) ---------------------------------------
  const [expansion, setExpansion] = React.useState<ReadonlyMap<string, boolean>>(new Map());
  const [all, setAll] = React.useState<boolean | null>(null);
  React.useEffect(() => {
    setExpansion(new Map());
    setAll(null);
  }, [filter]);
  const onSetExpanded = React.useCallback((row: GridRow, expanded: boolean) => {
    setExpansion((m) => new Map(m).set(row.id, expanded));
  }, []);
  const onExpandAll = React.useCallback((expanded: boolean) => {
    setExpansion(new Map());
    setAll(expanded);
  }, []);

  // ---- data -------------------------------------------------------------------------------------------------------
  const tree = React.useMemo(() => buildTree(tasks), [tasks]);
  const related = useRelatedData(props.loadRelated, tasks, props.dataVersion, { followMs: props.followMs });
  const { rows, matchingTasks } = React.useMemo(() => flattenRows(tree, related.data, expansion, filter, all), [tree, related.data, expansion, filter, all]);

  // ---- selection (mirrored to the dataset, where the app's command bar reads it) ------------------------------------
  const [selected, setSelected] = React.useState<ReadonlySet<string>>(() => new Set(props.selectedIds));
  React.useEffect(() => {
    setSelected((current) => (sameIds(current, props.selectedIds) ? current : new Set(props.selectedIds)));
  }, [props.selectedIds]);
  const { onSelectionChange } = props;
  const changeSelection = React.useCallback(
    (next: ReadonlySet<string>) => {
      setSelected(next);
      onSelectionChange([...next]);
    },
    [onSelectionChange],
  );
  const selectedRef = React.useRef(selected);
  selectedRef.current = selected;
  const onToggleSelected = React.useCallback(
    (id: string) => {
      const next = new Set(selectedRef.current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      changeSelection(next);
    },
    [changeSelection],
  );
  const rowsRef = React.useRef(rows);
  rowsRef.current = rows;
  const onSelectAll = React.useCallback(
    (select: boolean) => {
      const next = new Set(selectedRef.current);
      for (const r of rowsRef.current) {
        if (r.kind !== 'task') continue;
        if (select) next.add(r.id);
        else next.delete(r.id);
      }
      changeSelection(next);
    },
    [changeSelection],
  );

  // ---- Ready to Sync (the ribbon's command, shared) -------------------------------------------------------------------
  const [command, setCommand] = React.useState<CommandState>({ kind: 'loading' });
  const runRef = React.useRef<ReadyToSyncRun | null>(null);
  const [notice, setNotice] = React.useState<Notice>(null);
  React.useEffect(() => {
    let live = true;
    props.readyToSync.resolve().then(
      (run) => {
        if (!live) return;
        runRef.current = run;
        setCommand(run ? { kind: 'ready' } : { kind: 'unavailable' });
      },
      () => live && setCommand({ kind: 'unavailable' }),
    );
    return () => {
      live = false;
    };
  }, [props.readyToSync]);

  const { onRefresh } = props;
  const onReadyToSync = React.useCallback(async () => {
    const run = runRef.current;
    const ids = [...selectedRef.current].filter((id) => tree.task(id) !== undefined);
    if (!run || ids.length === 0) return;
    const projects = new Set(ids.map((id) => tree.task(id)?.task.projectId ?? null));
    const projectId = projects.size === 1 ? [...projects][0] : null;
    setCommand({ kind: 'running', count: ids.length });
    setNotice(null);
    try {
      const result = readOutcome(await run(ids, projectId ? { projectId } : undefined));
      // Cancelled at the command's dialog: nothing was written. Otherwise statuses may have changed.
      if (result.status !== 'cancelled') {
        if (result.status === 'completed' || result.status === 'unknown') setNotice({ intent: 'success', text: fill(strings.ReadyToSync_Done, { count: result.queued ?? ids.length }) });
        onRefresh();
        related.reload();
      }
    } catch (e) {
      setNotice({ intent: 'error', text: fill(strings.ReadyToSync_Failed, { message: e instanceof Error ? e.message : String(e) }) });
    } finally {
      setCommand({ kind: 'ready' });
    }
  }, [tree, strings, onRefresh, related.reload]);

  const refresh = React.useCallback(() => {
    onRefresh();
    related.reload();
  }, [onRefresh, related.reload]);

  // ---- opening records ------------------------------------------------------------------------------------------------
  const { onOpenTask, onOpenWorkOrder } = props;
  const onOpen = React.useCallback(
    (row: GridRow) => {
      if (row.kind === 'task') onOpenTask(row.id);
      else if (row.kind === 'workorder') onOpenWorkOrder(row.id);
    },
    [onOpenTask, onOpenWorkOrder],
  );
  const onSort = React.useCallback(
    (column: ColumnKey) => props.onSort(column, props.sort?.column === column ? !props.sort.descending : false),
    [props.onSort, props.sort],
  );

  // ---- layout --------------------------------------------------------------------------------------------------------
  const widths = React.useMemo(() => columnWidths(props.width !== null ? props.width - 2 : null), [props.width]);
  const totalWidth = React.useMemo(() => [...widths.values()].reduce((a, b) => a + b, 0), [widths]);
  const bodyHeight = props.height !== null ? Math.max(4 * ROW_HEIGHT, props.height - 150) : Math.min(14 * ROW_HEIGHT, Math.max(6 * ROW_HEIGHT, rows.length * ROW_HEIGHT));

  const filtering = isFilterActive(filter);
  const statusParts: string[] = [];
  if (props.datasetLoading && tasks.length === 0) statusParts.push(strings.Status_Loading);
  else statusParts.push(filtering ? fill(strings.Status_Filtered, { shown: matchingTasks, total: tasks.length }) : fill(strings.Status_Tasks, { count: tasks.length }));
  if (props.loadingMore) statusParts.push(fill(strings.Status_LoadingMore, { count: tasks.length }));
  if (related.loading) statusParts.push(strings.Status_LoadingRelated);
  if (props.limitReached) statusParts.push(fill(strings.Status_Limit, { count: tasks.length }));
  if (props.pagesReplaced) statusParts.push(strings.Status_PagesReplaced);

  const empty = props.datasetLoading ? <Spinner size="small" label={strings.Status_Loading} /> : <Text>{filtering ? strings.Empty_NoMatch : strings.Empty_NoTasks}</Text>;

  return (
    <ThemedRoot theme={props.theme}>
      <div className={styles.root} style={{ width: props.width ?? undefined, maxWidth: '100%' }} data-testid="wbs-grid" data-total-width={TOTAL_WIDTH}>
        <GridToolbar
          strings={strings}
          selectedCount={selected.size}
          command={command}
          searchText={searchText}
          syncStatuses={syncStatuses}
          fieldStatuses={fieldStatuses}
          onReadyToSync={() => void onReadyToSync()}
          onRefresh={refresh}
          onExpandAll={onExpandAll}
          onSearch={setSearchText}
          onSyncStatuses={setSyncStatuses}
          onFieldStatuses={setFieldStatuses}
        />
        {props.datasetError ? (
          <MessageBar intent="error">
            <MessageBarBody>{fill(strings.Error_Dataset, { message: props.datasetError })}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={refresh}>{strings.Retry}</Button>
            </MessageBarActions>
          </MessageBar>
        ) : null}
        {related.error ? (
          <MessageBar intent="warning">
            <MessageBarBody>{fill(strings.Error_Related, { message: related.error })}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={related.reload}>{strings.Retry}</Button>
            </MessageBarActions>
          </MessageBar>
        ) : null}
        {notice ? (
          <MessageBar intent={notice.intent}>
            <MessageBarBody>{notice.text}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => setNotice(null)}>{strings.Dismiss}</Button>
            </MessageBarActions>
          </MessageBar>
        ) : null}
        <TreeGrid
          gridId={gridId}
          rows={rows}
          selected={selected}
          widths={widths}
          totalWidth={totalWidth}
          height={bodyHeight}
          strings={strings}
          fmt={fmt}
          sort={props.sort}
          sortable={props.sortable}
          onSort={onSort}
          onSetExpanded={onSetExpanded}
          onToggleSelected={onToggleSelected}
          onSelectAll={onSelectAll}
          onOpen={onOpen}
          emptyContent={empty}
        />
        <div className={styles.status} role="status" aria-live="polite" data-testid="grid-status">
          {statusParts.join(' · ')}
        </div>
      </div>
    </ThemedRoot>
  );
}
