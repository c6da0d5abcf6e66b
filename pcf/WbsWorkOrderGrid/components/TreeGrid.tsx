/**
 * The tree grid: a header row and the rows, virtualised with react-window so only the rows in view (plus a few) are in
 * the DOM whatever the plan's size. Keyboard, after the ARIA treegrid pattern (rows focusable, one tab stop; the active
 * row is announced through aria-activedescendant):
 *   Up/Down: previous/next row · Home/End: first/last row · PageUp/PageDown: a screen up/down
 *   Right: expand, or go to the first child · Left: collapse, or go to the parent
 *   Space: select/unselect the task · Enter: open the task or work order · Ctrl+A: select every task shown
 */
import * as React from 'react';
import { Button, Checkbox, mergeClasses } from '@fluentui/react-components';
import { FixedSizeList } from 'react-window';
import { fill } from '../../shared/strings';
import type { Formatter } from '../../shared/format';
import type { GridStrings } from '../gridStrings';
import { COLUMNS, type ColumnKey } from '../model/columns';
import { parentRowIndex, type GridRow } from '../model/flattenRows';
import { RowView, rowDomId, type RowData } from './RowView';
import { HEADER_HEIGHT, ROW_HEIGHT, useGridStyles } from './styles';

export interface SortState {
  readonly column: ColumnKey;
  readonly descending: boolean;
}

export interface TreeGridProps {
  readonly gridId: string;
  readonly rows: readonly GridRow[];
  readonly selected: ReadonlySet<string>;
  readonly widths: ReadonlyMap<ColumnKey, number>;
  readonly totalWidth: number;
  readonly height: number;
  readonly strings: GridStrings;
  readonly fmt: Formatter;
  readonly sort: SortState | null;
  readonly sortable: ReadonlySet<ColumnKey>;
  readonly onSort: (column: ColumnKey) => void;
  readonly onSetExpanded: (row: GridRow, expanded: boolean) => void;
  readonly onToggleSelected: (id: string) => void;
  readonly onSelectAll: (select: boolean) => void;
  readonly onOpen: (row: GridRow) => void;
  /** Rendered when there are no rows. */
  readonly emptyContent?: React.ReactNode;
}

export const TreeGrid = React.memo(function TreeGrid(props: TreeGridProps): React.ReactElement {
  const styles = useGridStyles();
  const { rows, strings, widths, totalWidth } = props;
  const [activeIndex, setActiveIndex] = React.useState(0);
  // The active row is outlined only while the grid has the focus (as a focus indicator).
  const [focused, setFocused] = React.useState(false);
  const listRef = React.useRef<FixedSizeList<RowData>>(null);
  const gridRef = React.useRef<HTMLDivElement>(null);
  const active = Math.min(activeIndex, Math.max(0, rows.length - 1));

  const moveTo = React.useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(rows.length - 1, index));
      setActiveIndex(i);
      // Keep the row in view below the sticky header (react-window does not know the header is there).
      const scroller = gridRef.current;
      if (!scroller) return;
      const top = i * ROW_HEIGHT;
      const viewport = props.height;
      if (top < scroller.scrollTop) listRef.current?.scrollTo(top);
      else if (top + ROW_HEIGHT > scroller.scrollTop + viewport) listRef.current?.scrollTo(top + ROW_HEIGHT - viewport);
    },
    [rows.length, props.height],
  );

  const toggleAt = React.useCallback(
    (index: number) => {
      const row = rows[index];
      if (row?.hasChildren) props.onSetExpanded(row, !row.expanded);
    },
    [rows, props.onSetExpanded],
  );

  const pageRows = Math.max(1, Math.floor(props.height / ROW_HEIGHT) - 1);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== e.currentTarget || rows.length === 0) return;
    const row = rows[active] as GridRow;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(active + 1);
        break;
      case 'ArrowUp':
        moveTo(active - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'PageDown':
        moveTo(active + pageRows);
        break;
      case 'PageUp':
        moveTo(active - pageRows);
        break;
      case 'ArrowRight':
        if (row.hasChildren && !row.expanded) props.onSetExpanded(row, true);
        else if (row.hasChildren) moveTo(active + 1);
        break;
      case 'ArrowLeft':
        if (row.hasChildren && row.expanded) props.onSetExpanded(row, false);
        else {
          const parent = parentRowIndex(rows, active);
          if (parent >= 0) moveTo(parent);
        }
        break;
      case ' ':
        if (row.kind === 'task') props.onToggleSelected(row.id);
        else if (row.hasChildren) props.onSetExpanded(row, !row.expanded);
        break;
      case 'Enter':
        if (row.kind === 'project') props.onSetExpanded(row, !row.expanded);
        else props.onOpen(row);
        break;
      case 'a':
      case 'A':
        if (e.ctrlKey || e.metaKey) props.onSelectAll(true);
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  // Select all's state: only counted when something is selected (a scan of the rows shown).
  const allState = React.useMemo<boolean | 'mixed'>(() => {
    if (props.selected.size === 0) return false;
    let shown = 0;
    let selected = 0;
    for (const r of rows) {
      if (r.kind !== 'task') continue;
      shown += 1;
      if (props.selected.has(r.id)) selected += 1;
    }
    return selected === 0 ? false : selected === shown ? true : 'mixed';
  }, [rows, props.selected]);

  const itemData = React.useMemo<RowData>(
    () => ({
      rows,
      selected: props.selected,
      activeIndex: focused ? active : -1,
      gridId: props.gridId,
      widths,
      totalWidth,
      strings,
      fmt: props.fmt,
      onToggleExpanded: toggleAt,
      onToggleSelected: props.onToggleSelected,
      onActivate: (i: number) => {
        setActiveIndex(i);
        gridRef.current?.focus({ preventScroll: true });
      },
      onOpen: (i: number) => {
        const r = rows[i];
        if (r) props.onOpen(r);
      },
    }),
    [rows, props.selected, active, focused, props.gridId, widths, totalWidth, strings, props.fmt, toggleAt, props.onToggleSelected, props.onOpen],
  );

  const activeRow = rows[active];
  const header = (
    <div role="rowgroup" className={styles.headerViewport}>
        <div role="row" aria-rowindex={1} className={styles.headerRow} style={{ width: totalWidth }}>
          {COLUMNS.map((c) => {
            const sorted = props.sort?.column === c.key ? props.sort : null;
            const ariaSort = sorted ? (sorted.descending ? 'descending' : 'ascending') : props.sortable.has(c.key) ? 'none' : undefined;
            let content: React.ReactNode = c.label ? strings[c.label] : null;
            if (c.key === 'select') {
              content = (
                <Checkbox
                  checked={allState}
                  aria-label={strings.Select_All}
                  disabled={rows.length === 0}
                  onChange={() => props.onSelectAll(allState !== true)}
                />
              );
            } else if (props.sortable.has(c.key) && c.label) {
              const label = strings[c.label];
              const next = sorted && !sorted.descending ? strings.Sort_Descending : strings.Sort_Ascending;
              content = (
                <Button appearance="transparent" size="small" className={styles.sortButton} onClick={() => props.onSort(c.key)} title={fill(next, { column: label })}>
                  {label}
                  {sorted ? <span aria-hidden="true">{sorted.descending ? ' \u2193' : ' \u2191'}</span> : null}
                </Button>
              );
            }
            return (
              <div key={c.key} role="columnheader" aria-sort={ariaSort} className={mergeClasses(styles.headerCell)} style={{ width: widths.get(c.key), height: HEADER_HEIGHT }}>
                {content}
              </div>
            );
          })}
        </div>
    </div>
  );
  const chrome: GridChrome = {
    header,
    treegrid: {
      role: 'treegrid',
      'aria-label': strings.Grid_Label,
      'aria-multiselectable': true,
      'aria-rowcount': rows.length + 1,
      'aria-colcount': COLUMNS.length,
      'aria-activedescendant': activeRow ? rowDomId(props.gridId, activeRow) : undefined,
      tabIndex: 0,
      onKeyDown,
      onFocus: (e) => e.target === e.currentTarget && setFocused(true),
      onBlur: (e) => e.target === e.currentTarget && setFocused(false),
      'data-testid': 'wbs-treegrid',
    },
  };

  return (
    <div className={styles.grid}>
      <GridChromeContext.Provider value={chrome}>
        {rows.length === 0 ? (
          <div ref={gridRef} {...chrome.treegrid} className={styles.scroller} style={{ maxHeight: props.height + HEADER_HEIGHT }}>
            {header}
            <div role="rowgroup">
              <div role="row" aria-rowindex={2}>
                <div role="gridcell" aria-colspan={COLUMNS.length} className={styles.empty}>
                  {props.emptyContent}
                </div>
              </div>
            </div>
          </div>
        ) : (
          <FixedSizeList<RowData>
            ref={listRef}
            outerRef={gridRef}
            outerElementType={TreegridElement}
            innerElementType={RowsElement}
            className={styles.scroller}
            height={props.height + HEADER_HEIGHT}
            width="100%"
            itemCount={rows.length}
            itemSize={ROW_HEIGHT}
            itemData={itemData}
            itemKey={(i, d) => (d.rows[i] as GridRow).key}
            overscanCount={6}
          >
            {RowView}
          </FixedSizeList>
        )}
      </GridChromeContext.Provider>
    </div>
  );
});

/**
 * react-window draws the scroll container and the rows' container; here they become the treegrid itself (focusable,
 * keyboard, aria-activedescendant — so keyboard users reach and scroll it) and a container that starts with the
 * column headers, sticky at the top, followed by the row group. The rows keep react-window's absolute positions,
 * moved down by the header's height.
 */
interface GridChrome {
  readonly header: React.ReactNode;
  readonly treegrid: React.HTMLAttributes<HTMLDivElement> & Record<string, unknown>;
}

const GridChromeContext = React.createContext<GridChrome | null>(null);

const TreegridElement = React.forwardRef<HTMLDivElement, React.HTMLAttributes<HTMLDivElement>>(function TreegridElement(props, ref) {
  const chrome = React.useContext(GridChromeContext);
  return <div ref={ref} {...props} {...chrome?.treegrid} />;
});

const RowsElement = React.forwardRef<HTMLDivElement, React.HTMLAttributes<HTMLDivElement>>(function RowsElement({ children, style, ...rest }, ref) {
  const chrome = React.useContext(GridChromeContext);
  const height = typeof style?.height === 'number' ? style.height + HEADER_HEIGHT : style?.height;
  return (
    <div ref={ref} {...rest} style={{ ...style, height, position: 'relative' }}>
      <div style={{ position: 'sticky', top: 0, zIndex: 1 }}>{chrome?.header}</div>
      <div role="rowgroup" style={{ position: 'absolute', top: HEADER_HEIGHT, left: 0, right: 0 }}>
        {children}
      </div>
    </div>
  );
});
