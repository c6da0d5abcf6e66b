/**
 * One row of the tree grid (a project group, a WBS task or one of its work orders), drawn by react-window with the
 * ARIA treegrid facts: aria-level, aria-posinset, aria-setsize, aria-expanded (rows that have children), aria-selected
 * (task rows) and aria-rowindex. Interactive children are not in the tab order: the grid keeps one tab stop and moves
 * the active row with the keyboard (see TreeGrid).
 */
import * as React from 'react';
import { Checkbox, Link, mergeClasses } from '@fluentui/react-components';
import type { ListChildComponentProps } from 'react-window';
import { fill } from '../../shared/strings';
import type { Formatter } from '../../shared/format';
import type { GridStrings } from '../gridStrings';
import type { ColumnKey } from '../model/columns';
import { COLUMNS } from '../model/columns';
import type { GridRow, TaskRow, WorkOrderRow } from '../model/flattenRows';
import { ActualVsEstimate, PercentComplete, StatusBadge } from './cells';
import { INDENT, useGridStyles } from './styles';

export interface RowData {
  readonly rows: readonly GridRow[];
  readonly selected: ReadonlySet<string>;
  readonly activeIndex: number;
  readonly gridId: string;
  readonly widths: ReadonlyMap<ColumnKey, number>;
  readonly totalWidth: number;
  readonly strings: GridStrings;
  readonly fmt: Formatter;
  readonly onToggleExpanded: (index: number) => void;
  readonly onToggleSelected: (id: string) => void;
  readonly onActivate: (index: number) => void;
  readonly onOpen: (index: number) => void;
}

export const rowDomId = (gridId: string, row: GridRow): string => `${gridId}-${row.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export const RowView = React.memo(function RowView({ index, style, data }: ListChildComponentProps<RowData>): React.ReactElement | null {
  const styles = useGridStyles();
  const row = data.rows[index];
  if (!row) return null;
  const { strings, fmt, widths } = data;
  const selected = row.kind === 'task' && data.selected.has(row.id);
  const active = index === data.activeIndex;

  const cell = (key: ColumnKey, content: React.ReactNode, numeric = false, title?: string): React.ReactElement => (
    <div key={key} role="gridcell" className={mergeClasses(styles.cell, numeric && styles.numeric)} style={{ width: widths.get(key) }} title={title}>
      {content}
    </div>
  );

  const chevron = row.hasChildren ? (
    <span
      className={styles.chevron}
      aria-hidden="true"
      data-testid="chevron"
      onClick={(e) => {
        e.stopPropagation();
        data.onActivate(index);
        data.onToggleExpanded(index);
      }}
    >
      {row.expanded ? '\u25BE' : '\u25B8'}
    </span>
  ) : (
    <span className={styles.chevronSpacer} aria-hidden="true" />
  );
  const indent = <span aria-hidden="true" style={{ display: 'inline-block', width: (row.level - 1) * INDENT, flexShrink: 0 }} />;

  let cells: React.ReactElement[];
  let className: string;
  let label: string | undefined;
  if (row.kind === 'project') {
    className = mergeClasses(styles.row, styles.rowProject);
    cells = COLUMNS.map((c) =>
      c.key === 'task'
        ? cell(
            'task',
            <>
              {indent}
              {chevron}
              <span className={styles.ellipsis}>{row.name}</span>
            </>,
          )
        : c.key === 'workorders'
          ? cell('workorders', null)
          : cell(c.key, null),
    );
    label = fill(strings.Row_Project, { name: row.name });
  } else if (row.kind === 'task') {
    className = mergeClasses(styles.row, row.task.isSummary && styles.rowSummary, row.contextOnly && styles.rowContext, selected && styles.rowSelected);
    cells = taskCells(row, index, data, cell, indent, chevron, styles);
  } else {
    className = mergeClasses(styles.row, styles.rowWorkOrder);
    cells = workOrderCells(row, strings, fmt, cell, indent, chevron, styles);
    label = fill(strings.Row_WorkOrder, { name: row.workOrder.name });
  }

  return (
    <div
      id={rowDomId(data.gridId, row)}
      role="row"
      aria-rowindex={index + 2}
      aria-level={row.level}
      aria-posinset={row.posInSet}
      aria-setsize={row.setSize}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={row.kind === 'task' ? selected : undefined}
      aria-label={label}
      data-row-kind={row.kind}
      data-row-id={row.id}
      className={mergeClasses(className, active && styles.rowActive)}
      style={{ ...style, width: data.totalWidth }}
      onClick={() => data.onActivate(index)}
      onDoubleClick={() => data.onOpen(index)}
    >
      {cells}
    </div>
  );
});

type CellFn = (key: ColumnKey, content: React.ReactNode, numeric?: boolean, title?: string) => React.ReactElement;
type Styles = ReturnType<typeof useGridStyles>;

function taskCells(row: TaskRow, index: number, data: RowData, cell: CellFn, indent: React.ReactNode, chevron: React.ReactNode, styles: Styles): React.ReactElement[] {
  const { strings, fmt } = data;
  const t = row.task;
  const sync = row.sync;
  const selected = data.selected.has(row.id);
  const wos = row.workOrders;
  const completed = sync?.workOrdersCompleted ?? 0;
  const roles = row.roles.map((r) => (r.count > 1 ? fill(strings.Role_Count, { role: r.role, count: r.count }) : r.role)).join(', ');
  return [
    cell(
      'select',
      <Checkbox
        checked={selected}
        aria-label={fill(strings.Select_Row, { name: t.name })}
        input={{ tabIndex: -1 }}
        onChange={() => data.onToggleSelected(row.id)}
        onClick={(e) => e.stopPropagation()}
      />,
    ),
    cell(
      'task',
      <>
        {indent}
        {chevron}
        <Link
          appearance="subtle"
          tabIndex={-1}
          className={styles.taskLink}
          onClick={(e) => {
            e.stopPropagation();
            data.onOpen(index);
          }}
        >
          {t.name}
        </Link>
      </>,
      false,
      t.name,
    ),
    cell('start', t.start),
    cell('finish', t.finish),
    cell('effort', t.effort, true),
    cell('roles', <span className={styles.ellipsis}>{roles}</span>, false, roles || undefined),
    cell(
      'sync',
      <StatusBadge kind="sync" value={sync?.syncStatus ?? null} label={sync?.syncStatusLabel ?? null} />,
      false,
      sync?.lastError ? fill(strings.LastError, { message: sync.lastError }) : undefined,
    ),
    cell('scenario', <span className={styles.ellipsis}>{sync?.scenarioLabel ?? ''}</span>, false, sync?.scenarioLabel ?? undefined),
    cell('workorders', wos.length > 0 ? fill(strings.WorkOrders_Summary, { count: wos.length, completed }) : '', true),
    cell('field', <StatusBadge kind="field" value={sync?.fieldStatus ?? null} label={sync?.fieldStatusLabel ?? null} />),
    cell('actual', <ActualVsEstimate sync={sync} estimate={t.effortHours} strings={strings} fmt={fmt} />),
    cell('percent', <PercentComplete value={sync?.percentComplete ?? null} strings={strings} fmt={fmt} />, true),
  ];
}

function workOrderCells(row: WorkOrderRow, strings: GridStrings, fmt: Formatter, cell: CellFn, indent: React.ReactNode, chevron: React.ReactNode, styles: Styles): React.ReactElement[] {
  const wo = row.workOrder;
  const resources = wo.resources.join(', ');
  return [
    cell('select', null),
    cell(
      'task',
      <>
        {indent}
        {chevron}
        <span className={styles.ellipsis}>{wo.name}</span>
      </>,
      false,
      wo.name,
    ),
    cell('start', wo.windowStart ?? strings.NoValue),
    cell('finish', wo.windowEnd ?? strings.NoValue),
    cell('effort', wo.plannedEffort !== null ? fmt.hours(wo.plannedEffort) : '', true),
    cell('roles', <span className={styles.ellipsis}>{resources}</span>, false, resources || undefined),
    cell('sync', null),
    cell('scenario', null),
    cell('workorders', null),
    cell('field', <StatusBadge kind="workorder" value={wo.systemStatus} label={wo.systemStatusLabel} />),
    cell('actual', null),
    cell('percent', null),
  ];
}
