/**
 * Lifecycle tests: the real WbsWorkOrderGrid class driven through init/updateView with a typed dataset, the control's
 * RESX strings and a Web API holding the field side's rows. Outcomes only: what the user sees and what reaches the
 * platform (dataset calls, navigation, the Ready to Sync command).
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { axe, toHaveNoViolations } from 'jest-axe';
import { msdyn_projecttask as T, pfb_tasksync } from '../shared/schemaNames';
import { FakeWebApi } from '../testing/fakeWebApi';
import { largeWbs, projectIdOf, SMALL_WBS, smallProjectRelated, taskRows } from '../testing/fixtures';
import { mockContext, wholeNumber } from '../testing/mockContext';
import { MockDataset, type MockRow } from '../testing/mockDataset';
import '../testing/jsdom';
import { runControl, type RunningControl } from '../testing/runControl';
import { WbsWorkOrderGrid } from './index';
import type { IInputs } from './manifest';
import type { ReadyToSyncPort, ReadyToSyncRun } from './platform/readyToSync';

expect.extend(toHaveNoViolations);

const VIEW_COLUMNS = [T.columns.msdyn_subject, T.columns.msdyn_scheduledstart, T.columns.msdyn_scheduledend, T.columns.msdyn_effort];
const originalPort = WbsWorkOrderGrid.createReadyToSyncPort;

function setPort(run: ReadyToSyncRun | null): void {
  WbsWorkOrderGrid.createReadyToSyncPort = (): ReadyToSyncPort => ({ resolve: () => Promise.resolve(run) });
}

interface Setup {
  readonly running: RunningControl;
  readonly ds: MockDataset;
  readonly api: FakeWebApi;
  readonly opened: unknown[];
}

async function setup(rows: readonly MockRow[], o: { pageSize?: number; related?: Record<string, Record<string, unknown>[]>; height?: number; maxTasks?: number } = {}): Promise<Setup> {
  const ds = new MockDataset(rows, { entityName: T.logicalName, columns: VIEW_COLUMNS, pageSize: 25, autoDeliver: true });
  ds.loadFirstPage();
  const api = new FakeWebApi(o.related ?? {});
  const { context, opened } = mockContext<IInputs>({
    control: 'WbsWorkOrderGrid',
    parameters: { tasks: ds, pageSize: wholeNumber(o.pageSize ?? null), maxTasks: wholeNumber(o.maxTasks ?? null) },
    webAPI: api,
    height: o.height ?? 600,
  });
  const running = await runControl(new WbsWorkOrderGrid(), context, [ds]);
  await waitFor(() => expect(ds.loading).toBe(false));
  await running.settle();
  return { running, ds, api, opened };
}

const grid = (): HTMLElement => screen.getByRole('treegrid');
const dataRows = (): HTMLElement[] => within(grid()).getAllByRole('row').filter((r) => r.getAttribute('aria-rowindex') !== '1');
const rowNamed = (name: string): HTMLElement => {
  const row = dataRows().find((r) => within(r).queryByText(name));
  if (!row) throw new Error(`no row ${name}: ${dataRows().map((r) => r.textContent).join(' | ')}`);
  return row;
};
const activeRow = (): HTMLElement => document.getElementById(grid().getAttribute('aria-activedescendant') ?? '') as HTMLElement;
const key = async (k: string, init: Partial<KeyboardEventInit> = {}): Promise<void> => {
  fireEvent.keyDown(grid(), { key: k, ...init });
  await act(async () => undefined);
};

afterEach(() => {
  WbsWorkOrderGrid.createReadyToSyncPort = originalPort;
});

describe('WbsWorkOrderGrid', () => {
  beforeEach(() => setPort(null));

  it('asks the dataset for the WBS columns the view lacks and its page size, then shows the tree with the field data', async () => {
    const tasks = taskRows(SMALL_WBS);
    const { running, ds, api } = await setup(tasks, { related: smallProjectRelated(tasks) });
    expect(ds.calls.addColumn).toEqual(expect.arrayContaining([T.columns.msdyn_parenttask, T.columns.msdyn_project, T.columns.msdyn_summary]));
    expect(ds.calls.setPageSize).toEqual([500]);
    expect(ds.calls.refresh).toBe(1);

    await waitFor(() => expect(within(rowNamed('Site survey')).getByText('Synced')).toBeTruthy());
    expect(dataRows().map((r) => r.getAttribute('aria-level'))).toEqual(['1', '2', '2', '1', '2', '2']);
    const survey = rowNamed('Site survey');
    expect(within(survey).getByText('Completed')).toBeTruthy();
    expect(within(survey).getByText('9 of 8 h')).toBeTruthy();
    // Over the estimate: red, and said in words.
    expect(within(survey).getByLabelText('1 hours over the estimate (12.5%)').textContent).toBe('+1 (+12.5%)');
    expect(within(survey).getByText('100%')).toBeTruthy();
    const civil = rowNamed('Civil works');
    expect(within(civil).getByText('Civil Crew ×2')).toBeTruthy();
    expect(within(civil).getByText('2 (1 done)')).toBeTruthy();
    expect(within(civil).getByText('7 of 16 h')).toBeTruthy();
    expect(within(civil).getByLabelText('9 hours under the estimate (56.3%)')).toBeTruthy();
    expect(within(rowNamed('Install antenna')).getByText('Failed').closest('[role=gridcell]')?.getAttribute('title')).toMatch(/Last error: Role Tower Rigger/);
    expect(within(rowNamed('RF sweep test')).queryByText('Synced')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('6 tasks');
    expect(api.requests()).toHaveLength(4);
    running.destroy();
  });

  it('reads the pages one after another, appending, until the whole WBS is there', async () => {
    const rows = largeWbs(130, 12);
    const { running, ds } = await setup(rows, { pageSize: 40 });
    await waitFor(() => expect(ds.sortedRecordIds).toHaveLength(130));
    await running.settle();
    expect(ds.calls.loadNextPage).toBe(3);
    expect(ds.violations).toBe(0);
    expect(screen.getByRole('status').textContent).toContain('130 tasks');
    expect(grid().getAttribute('aria-rowcount')).toBe('131');
    running.destroy();
  });

  it('stops at the task limit and says so', async () => {
    const { running, ds } = await setup(largeWbs(130, 12), { pageSize: 40, maxTasks: 80 });
    await running.settle();
    expect(ds.sortedRecordIds).toHaveLength(80);
    expect(screen.getByRole('status').textContent).toMatch(/first 80 tasks/);
    running.destroy();
  });

  it('moves, expands and collapses with the keyboard (treegrid model) and opens records with Enter', async () => {
    const tasks = taskRows(SMALL_WBS);
    const { running, ds, opened } = await setup(tasks, { related: smallProjectRelated(tasks) });
    await waitFor(() => expect(within(rowNamed('Civil works')).getByText('2 (1 done)')).toBeTruthy());
    grid().focus();
    expect(activeRow().textContent).toContain('Site preparation');
    await key('ArrowLeft'); // collapse the summary
    expect(dataRows()).toHaveLength(4);
    expect(activeRow().getAttribute('aria-expanded')).toBe('false');
    await key('ArrowRight'); // expand it again
    expect(dataRows()).toHaveLength(6);
    await key('ArrowRight'); // expanded: go to its first child
    expect(activeRow().textContent).toContain('Site survey');
    await key('ArrowDown');
    expect(activeRow().textContent).toContain('Civil works');
    expect(activeRow().getAttribute('aria-expanded')).toBe('false');
    await key('ArrowRight'); // a leaf with work orders opens to them
    expect(activeRow().getAttribute('aria-expanded')).toBe('true');
    await key('ArrowDown');
    expect(activeRow().getAttribute('aria-label')).toBe('Work order WO-00002');
    expect(activeRow().getAttribute('aria-level')).toBe('3');
    expect(activeRow().textContent).toContain('Ben Ortiz');
    await key('Enter');
    expect(opened).toEqual([{ entityName: 'msdyn_workorder', entityId: expect.stringMatching(/-000000000002$/) }]);
    await key('ArrowLeft'); // a row without children: go to its parent
    expect(activeRow().textContent).toContain('Civil works');
    await key('Enter');
    expect(ds.opened.map((r) => r.id.guid)).toEqual([tasks[2]?.id]);
    await key('End');
    expect(activeRow().textContent).toContain('RF sweep test');
    await key('Home');
    expect(activeRow().textContent).toContain('Site preparation');
    running.destroy();
  });

  it('selects tasks with the checkbox, Space and Select all, and gives the selection to the dataset', async () => {
    const tasks = taskRows(SMALL_WBS);
    const { running, ds } = await setup(tasks);
    fireEvent.click(within(rowNamed('Site survey')).getByRole('checkbox', { name: 'Select Site survey' }));
    expect(ds.getSelectedRecordIds()).toEqual([tasks[1]?.id]);
    expect(rowNamed('Site survey').getAttribute('aria-selected')).toBe('true');
    grid().focus();
    await key('End');
    await key(' ');
    expect(ds.getSelectedRecordIds()).toEqual([tasks[1]?.id, tasks[5]?.id]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all tasks shown' }));
    expect(ds.getSelectedRecordIds()).toHaveLength(6);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all tasks shown' }));
    expect(ds.getSelectedRecordIds()).toEqual([]);
    running.destroy();
  });

  it('filters by sync status and field status, and searches work orders and technicians', async () => {
    const tasks = taskRows(SMALL_WBS);
    const { running } = await setup(tasks, { related: smallProjectRelated(tasks) });
    await waitFor(() => expect(within(rowNamed('Install antenna')).getByText('Failed')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Sync status' }));
    fireEvent.click(await screen.findByRole('menuitemcheckbox', { name: 'Failed' }));
    await running.settle();
    expect(dataRows().map((r) => r.textContent?.includes('Tower work') || r.textContent?.includes('Install antenna'))).toEqual([true, true]);
    expect(screen.getByRole('status').textContent).toContain('1 of 6 tasks match');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await running.settle();
    expect(dataRows()).toHaveLength(6);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search tasks, work orders and technicians' }), { target: { value: 'cleo' } });
    await waitFor(() => expect(dataRows()).toHaveLength(4));
    expect(dataRows().map((r) => r.getAttribute('aria-label') ?? r.textContent?.slice(0, 20))).toEqual([
      expect.stringContaining('Site preparation'),
      expect.stringContaining('Civil works'),
      'Work order WO-00002',
      'Work order WO-00003',
    ]);
    running.destroy();
  });

  it('keeps 5,000 rows virtualised: only the rows in view are in the DOM, also while scrolling', async () => {
    const { running } = await setup(largeWbs(5000), { pageSize: 5000, height: 640 });
    expect(grid().getAttribute('aria-rowcount')).toBe('5001');
    const before = dataRows();
    expect(before.length).toBeGreaterThan(5);
    expect(before.length).toBeLessThan(40);
    // The treegrid is the scroll container (keyboard users reach and scroll it).
    const scroller = grid();
    // jsdom does no layout: give the scroll container the sizes a browser would.
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: 490 });
    Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: 5000 * 40 });
    await act(async () => {
      scroller.scrollTop = 40 * 3000;
      fireEvent.scroll(scroller);
    });
    const after = dataRows();
    expect(after.length).toBeLessThan(40);
    const indexes = after.map((r) => Number(r.getAttribute('aria-rowindex')));
    expect(Math.min(...indexes)).toBeGreaterThan(2900);
    expect(Math.max(...indexes)).toBeLessThan(3100);
    running.destroy();
  });

  it('sorts through the dataset: changes dataset.sorting and refreshes', async () => {
    const { running, ds } = await setup(taskRows(SMALL_WBS));
    const refreshes = ds.calls.refresh;
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(ds.sorting).toEqual([{ name: T.columns.msdyn_scheduledstart, sortDirection: 0 }]);
    expect(ds.calls.refresh).toBe(refreshes + 1);
    await running.settle();
    expect(screen.getByRole('columnheader', { name: /Start/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /Start/ }));
    expect(ds.sorting).toEqual([{ name: T.columns.msdyn_scheduledstart, sortDirection: 1 }]);
    await running.settle();
    expect(screen.getByRole('columnheader', { name: /Start/ }).getAttribute('aria-sort')).toBe('descending');
    // Field columns come from the Web API: not sortable on the server.
    expect(within(screen.getByRole('columnheader', { name: 'Sync status' })).queryByRole('button')).toBeNull();
    running.destroy();
  });

  it('runs the shared Ready to Sync command for the selection, then refreshes the tasks and their field data', async () => {
    const run = jest.fn<Promise<unknown>, Parameters<ReadyToSyncRun>>().mockResolvedValue({});
    setPort(run);
    const tasks = taskRows(SMALL_WBS);
    const { running, ds, api } = await setup(tasks, { related: smallProjectRelated(tasks) });
    const button = await screen.findByRole('button', { name: 'Ready to Sync' });
    expect(button.getAttribute('aria-disabled')).toBe('true'); // nothing selected
    fireEvent.click(within(rowNamed('RF sweep test')).getByRole('checkbox'));
    fireEvent.click(within(rowNamed('Install antenna')).getByRole('checkbox'));
    const refreshes = ds.calls.refresh;
    const reads = api.requests(pfb_tasksync.logicalName).length;
    fireEvent.click(screen.getByRole('button', { name: 'Ready to Sync (2)' }));
    await running.settle();
    expect(run).toHaveBeenCalledWith([tasks[5]?.id, tasks[4]?.id], { projectId: projectIdOf('A') });
    expect(ds.calls.refresh).toBe(refreshes + 1);
    await waitFor(() => expect(api.requests(pfb_tasksync.logicalName).length).toBeGreaterThan(reads));
    expect(screen.getByText(/Ready to Sync ran for 2 task/)).toBeTruthy();
    running.destroy();
  });

  it('does not refresh when the user cancels at the command’s dialog, and reports what the command queued', async () => {
    const run = jest.fn<Promise<unknown>, Parameters<ReadyToSyncRun>>().mockResolvedValueOnce({ status: 'cancelled', queued: [], skipped: [], failed: [], warnings: [] });
    setPort(run);
    const tasks = taskRows(SMALL_WBS);
    const { running, ds } = await setup(tasks);
    fireEvent.click(within(rowNamed('Site survey')).getByRole('checkbox'));
    fireEvent.click(within(rowNamed('Civil works')).getByRole('checkbox'));
    const refreshes = ds.calls.refresh;
    fireEvent.click(await screen.findByRole('button', { name: 'Ready to Sync (2)' }));
    await running.settle();
    expect(ds.calls.refresh).toBe(refreshes);
    expect(screen.queryByText(/Ready to Sync ran/)).toBeNull();
    run.mockResolvedValueOnce({ status: 'completed', queued: [{ taskId: tasks[1]?.id, taskName: 'Site survey' }], skipped: [{ taskId: tasks[2]?.id, taskName: 'Civil works', reason: 'already synced' }], failed: [], warnings: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Ready to Sync (2)' }));
    await running.settle();
    expect(ds.calls.refresh).toBe(refreshes + 1);
    expect(screen.getByText(/Ready to Sync ran for 1 task/)).toBeTruthy();
    running.destroy();
  });

  it('shows the command failure, and keeps the button disabled with its reason when the command cannot be loaded', async () => {
    setPort(() => Promise.reject(new Error('Task Landlord liaison visit has no estimated effort')));
    const tasks = taskRows(SMALL_WBS);
    const first = await setup(tasks);
    fireEvent.click(within(rowNamed('Site survey')).getByRole('checkbox'));
    fireEvent.click(await screen.findByRole('button', { name: 'Ready to Sync (1)' }));
    await first.running.settle();
    expect(screen.getByText('Ready to Sync did not finish: Task Landlord liaison visit has no estimated effort')).toBeTruthy();
    first.running.destroy();

    setPort(null);
    const second = await setup(tasks);
    fireEvent.click(within(rowNamed('Site survey')).getByRole('checkbox'));
    const button = screen.getByRole('button', { name: 'Ready to Sync (1)' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    fireEvent.pointerEnter(button);
    fireEvent.focus(button);
    expect((await screen.findByRole('tooltip')).textContent).toMatch(/pfb_\/scripts\/commands\.js could not be loaded/);
    second.running.destroy();
  });

  it('has no accessibility violations, with work orders open and a filter menu', async () => {
    const tasks = taskRows(SMALL_WBS);
    const { running } = await setup(tasks, { related: smallProjectRelated(tasks) });
    await waitFor(() => expect(within(rowNamed('Civil works')).getByText('2 (1 done)')).toBeTruthy());
    grid().focus();
    await key('ArrowDown');
    await key('ArrowDown');
    await key('ArrowRight');
    expect(dataRows()).toHaveLength(8);
    expect(await axe(running.result.container)).toHaveNoViolations();
    running.destroy();
  });
});
