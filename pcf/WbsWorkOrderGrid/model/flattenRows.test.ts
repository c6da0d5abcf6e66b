import { FieldStatus, SyncStatus } from '../../shared/schemaNames';
import { buildTree } from './buildTree';
import { NO_FILTER, NOT_SYNCED, type GridFilter } from './filter';
import { flattenRows, parentRowIndex, type GridRow } from './flattenRows';
import type { RelatedData, TaskRecord, TaskSyncInfo, WorkOrderInfo } from './types';

const task = (id: string, parentId: string | null, isSummary = false): TaskRecord => ({
  id,
  name: id.replace(/-/g, ' '),
  parentId,
  projectId: 'p1',
  projectName: 'P1',
  isSummary,
  start: '',
  finish: '',
  effortHours: 8,
  effort: '8',
});

const sync = (taskId: string, syncStatus: number, fieldStatus: number | null = null): TaskSyncInfo => ({
  id: `s-${taskId}`,
  taskId,
  syncStatus,
  syncStatusLabel: null,
  scenario: null,
  scenarioLabel: null,
  fieldStatus,
  fieldStatusLabel: null,
  lastError: null,
  plannedEffort: 8,
  actualEffort: null,
  effortVariance: null,
  effortVariancePct: null,
  percentComplete: null,
  plannedWorkOrders: null,
  workOrdersCompleted: null,
  workOrdersIncomplete: null,
});

const wo = (id: string, taskId: string, resources: string[] = []): WorkOrderInfo => ({
  id,
  taskId,
  name: id,
  systemStatus: null,
  systemStatusLabel: null,
  windowStart: null,
  windowEnd: null,
  plannedEffort: 4,
  slotIndex: 0,
  resources,
});

const TASKS = [
  task('prep', null, true),
  task('survey', 'prep'),
  task('civil-works', 'prep'),
  task('tower', null, true),
  task('antenna', 'tower'),
  task('sweep', 'tower'),
];
const RELATED: RelatedData = {
  syncs: new Map([
    ['survey', sync('survey', SyncStatus.Synced, FieldStatus.Completed)],
    ['civil-works', sync('civil-works', SyncStatus.Synced, FieldStatus.InProgress)],
    ['antenna', sync('antenna', SyncStatus.Failed)],
  ]),
  workOrders: new Map([['civil-works', [wo('WO-1', 'civil-works', ['Ava Chen']), wo('WO-2', 'civil-works', ['Ben Ortiz'])]]]),
  roles: new Map(),
};
const tree = buildTree(TASKS);
const ids = (rows: readonly GridRow[]): string[] => rows.map((r) => `${'  '.repeat(r.level - 1)}${r.id}`);
const filter = (f: Partial<GridFilter>): GridFilter => ({ ...NO_FILTER, ...f });

describe('flattenRows', () => {
  it('opens summaries and keeps work orders closed by default, with the treegrid facts of each row', () => {
    const { rows } = flattenRows(tree, RELATED, new Map(), NO_FILTER);
    expect(ids(rows)).toEqual(['prep', '  survey', '  civil-works', 'tower', '  antenna', '  sweep']);
    const civil = rows[2] as GridRow;
    expect(civil).toMatchObject({ level: 2, posInSet: 2, setSize: 2, hasChildren: true, expanded: false });
    expect(rows[1]).toMatchObject({ hasChildren: false, expanded: false });
    expect(rows[3]).toMatchObject({ level: 1, posInSet: 2, setSize: 2, hasChildren: true, expanded: true });
  });

  it('expands a leaf to its work orders and collapses a summary', () => {
    const { rows } = flattenRows(tree, RELATED, new Map([['civil-works', true], ['tower', false]]), NO_FILTER);
    expect(ids(rows)).toEqual(['prep', '  survey', '  civil-works', '    WO-1', '    WO-2', 'tower']);
    expect(rows[3]).toMatchObject({ kind: 'workorder', level: 3, posInSet: 1, setSize: 2 });
    expect(parentRowIndex(rows, 4)).toBe(2);
    expect(parentRowIndex(rows, 2)).toBe(0);
    expect(parentRowIndex(rows, 0)).toBe(-1);
  });

  it('applies Expand all / Collapse all to rows without an explicit choice', () => {
    expect(ids(flattenRows(tree, RELATED, new Map(), NO_FILTER, false).rows)).toEqual(['prep', 'tower']);
    expect(ids(flattenRows(tree, RELATED, new Map([['tower', true]]), NO_FILTER, false).rows)).toEqual(['prep', 'tower', '  antenna', '  sweep']);
    expect(ids(flattenRows(tree, RELATED, new Map(), NO_FILTER, true).rows)).toContain('    WO-2');
  });

  it('filters by sync status, keeping the WBS path as context and counting only matching tasks', () => {
    const { rows, matchingTasks } = flattenRows(tree, RELATED, new Map(), filter({ syncStatuses: new Set([SyncStatus.Failed, NOT_SYNCED]) }));
    expect(ids(rows)).toEqual(['tower', '  antenna', '  sweep']);
    expect(matchingTasks).toBe(2);
    expect(rows[0]).toMatchObject({ kind: 'task', contextOnly: true, posInSet: 1, setSize: 1 });
    expect(rows[1]).toMatchObject({ contextOnly: false });
  });

  it('filters by field status', () => {
    const { rows } = flattenRows(tree, RELATED, new Map(), filter({ fieldStatuses: new Set([FieldStatus.InProgress]) }));
    expect(ids(rows)).toEqual(['prep', '  civil-works']);
  });

  it('searches task names (a matching summary shows its branch) and work orders (their task opens to show them)', () => {
    expect(ids(flattenRows(tree, RELATED, new Map(), filter({ text: 'TOWER' })).rows)).toEqual(['tower', '  antenna', '  sweep']);
    const byTechnician = flattenRows(tree, RELATED, new Map(), filter({ text: 'ben ortiz' }));
    expect(ids(byTechnician.rows)).toEqual(['prep', '  civil-works', '    WO-1', '    WO-2']);
    expect(byTechnician.matchingTasks).toBe(1);
    expect(flattenRows(tree, RELATED, new Map(), filter({ text: 'nothing like this' })).rows).toEqual([]);
  });

  it('groups a program view by project: project rows on top with their task counts', () => {
    const program = buildTree([
      { ...task('a', null, true), projectId: 'p1', projectName: 'North' },
      { ...task('a1', 'a'), projectId: 'p1', projectName: 'North' },
      { ...task('b', null), projectId: 'p2', projectName: 'South' },
    ]);
    const { rows } = flattenRows(program, RELATED, new Map([['p2', false]]), NO_FILTER);
    expect(rows.map((r) => [r.kind, r.level, r.id])).toEqual([
      ['project', 1, 'p1'],
      ['task', 2, 'a'],
      ['task', 3, 'a1'],
      ['project', 1, 'p2'],
    ]);
    expect(rows[0]).toMatchObject({ name: 'North', taskCount: 2, expanded: true, setSize: 2 });
    expect(rows[3]).toMatchObject({ name: 'South', taskCount: 1, expanded: false });
  });

  it('combines search text and statuses', () => {
    const { rows } = flattenRows(tree, RELATED, new Map(), filter({ text: 'tower', syncStatuses: new Set([SyncStatus.Failed]) }));
    expect(ids(rows)).toEqual(['tower', '  antenna']);
  });
});
