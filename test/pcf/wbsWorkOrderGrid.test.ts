/**
 * WbsWorkOrderGrid in Debian chromium: the production bundle.js in the sandbox's PCF host on 127.0.0.1, its dataset
 * and context.webAPI backed by the local Dataverse (no mocks), with field data made by the real bridge (task sync,
 * work orders, bookings, signed field events). Ready to Sync runs through the grid's port: the web resource is loaded
 * from /WebResources/pfb_/scripts/commands.js (a stand-in with the command's entry point, see readyToSyncStandIn.ts)
 * and its rows go through the real bridge, whose work orders the grid then shows.
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import { bookableresource, msdyn_projecttask, msdyn_workorder, pfb_tasksync, SyncStatus } from '@pfb/domain';
import type { RunningOrigin } from '../../sandbox/origin/originServer';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import type { MobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { dayOf, deliver, syncAndBook, type SyncedTask } from '../bridge/fieldSupport';
import { acceptingMobility, eventually, registerBookingWebhooks, registerTaskSyncWebhook, startBridgeStack, type BridgeStack } from '../bridge/support';
import { launchChromium } from '../support/browser';
import { mountInPage, openHostPage, startPcfOrigin, unmountInPage } from './support/pcfPage';
import { readyToSyncStandInRoute } from './support/readyToSyncStandIn';

type Row = Record<string, unknown>;
const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');
const mobility: MobilityAdapter = acceptingMobility();

let stack: BridgeStack;
let origin: RunningOrigin;
let browser: Browser;
let page: Page;
let synced: SyncedTask[];
let projectId: string;
let projectTasks: Row[];
let technician: string;

async function rows(p: string): Promise<Row[]> {
  const res = await stack.api.get(p);
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
  return res.json<{ value: Row[] }>().value;
}

beforeAll(async () => {
  stack = await startBridgeStack({ compose: () => ({ factories: { mobility: () => mobility }, fieldEvent: { batchWindowMs: 50, rollupIntervalMs: 200 } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  await registerBookingWebhooks(stack.api, stack.host.url);
  synced = await syncAndBook(stack, 3);
  projectId = synced[0]?.projectId as string;
  // The first synced task is worked to the end in the field.
  const first = synced[0] as SyncedTask;
  const events = first.workOrders.flatMap((wo, i) => dayOf(wo.bookingId, `2027-04-0${5 + (i % 3)}T22:00:00Z`, { travel: 10, onsite: 55, inProgress: 60, end: 60 + 300 + 30 * i }));
  expect((await deliver(stack, events)).status).toBe(202);
  await eventually('the first task to be completed in the field', async () => {
    const t = (await stack.api.get(`${pfb_tasksync.entitySetName}(${first.taskSyncId})?$select=pfb_percentcomplete`)).json<Row>();
    return t['pfb_percentcomplete'] === 100 ? true : undefined;
  }, 30_000);
  projectTasks = await rows(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,msdyn_summary&$filter=_msdyn_project_value eq ${projectId}&$orderby=msdyn_displaysequence`);
  const booked = await rows(`${bookableresource.entitySetName}?$select=name&$filter=pfb_mobilityuserid ne null&$top=1`);
  technician = booked[0]?.['name'] as string;

  origin = await startPcfOrigin({ dataverseUrl: stack.dv.url, routes: readyToSyncStandInRoute() });
  browser = await launchChromium();
  page = (await openHostPage(browser, origin.url, { width: 1860, height: 860 })).page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  await stack?.stop();
});

const taskDataset = (): Record<string, unknown> => ({
  tasks: {
    entityName: msdyn_projecttask.logicalName,
    // The project form's task subgrid: a view with these columns, filtered to the project, in WBS order.
    columns: ['msdyn_subject', 'msdyn_scheduledstart', 'msdyn_scheduledend', 'msdyn_effort'],
    filter: `_msdyn_project_value eq ${projectId}`,
    sorting: [{ name: 'msdyn_displaysequence', sortDirection: 0 }],
    pageSize: 50,
  },
});

const grid = (): Locator => page.getByRole('treegrid');
const row = (name: string): Locator => grid().getByRole('row').filter({ hasText: name }).first();
const nameOf = (t: SyncedTask): string => projectTasks.find((x) => x['msdyn_projecttaskid'] === t.taskId)?.['msdyn_subject'] as string;

async function mountGrid(parameters: Record<string, unknown> = {}): Promise<void> {
  await mountInPage(page, { control: 'WbsWorkOrderGrid', width: 1820, height: 700, parameters, datasets: taskDataset() });
  await page.getByTestId('grid-status').filter({ hasText: `${projectTasks.length} tasks` }).waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=grid-status]')?.textContent?.includes('reading field data'));
}

describe('WbsWorkOrderGrid in the browser (production bundle, local Dataverse)', () => {
  afterEach(() => unmountInPage(page));

  it('shows the project WBS with each task’s sync status, work orders and field actuals from Dataverse', async () => {
    await mountGrid();
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(projectTasks.length + 1));
    for (const t of synced) {
      const r = row(nameOf(t));
      await r.getByText('Synced').waitFor();
      const wos = await rows(`${msdyn_workorder.entitySetName}?$select=msdyn_name&$filter=_pfb_tasksync_value eq ${t.taskSyncId}`);
      expect(wos.length).toBe(t.workOrders.length);
      expect(await r.locator('[role=gridcell]').nth(8).textContent()).toMatch(new RegExp(`^${wos.length} \\(\\d+ done\\)$`));
    }
    const done = row(nameOf(synced[0] as SyncedTask));
    await done.getByText('100%').waitFor();
    await done.getByText('Completed').waitFor();
    const ts = (await stack.api.get(`${pfb_tasksync.entitySetName}(${synced[0]?.taskSyncId})?$select=pfb_actualeffort,pfb_plannedeffort`)).json<Row>();
    expect(await done.locator('[role=gridcell]').nth(10).textContent()).toContain(`${Number(ts['pfb_actualeffort'])} of ${Number(ts['pfb_plannedeffort'])} h`);

    // Open the completed task to its work orders: number, status, window and the booked technician.
    await done.locator('[data-testid=chevron]').click();
    const woRows = grid().locator('[role=row][data-row-kind=workorder]');
    await expect(woRows.count()).resolves.toBe(synced[0]?.workOrders.length);
    await woRows.first().getByText(technician).waitFor();
    await woRows.first().getByText('Completed').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wbs-grid.png'), fullPage: true });
  });

  it('follows the treegrid keyboard model in the browser', async () => {
    await mountGrid();
    await grid().focus();
    const active = async (): Promise<string> => page.evaluate(() => {
      const g = document.querySelector('[role=treegrid]') as HTMLElement;
      const r = document.getElementById(g.getAttribute('aria-activedescendant') ?? '');
      return `${r?.getAttribute('aria-level')}|${r?.getAttribute('aria-expanded')}|${r?.textContent?.slice(0, 40)}`;
    });
    expect(await active()).toMatch(/^1\|true\|/);
    await page.keyboard.press('ArrowLeft');
    expect(await active()).toMatch(/^1\|false\|/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await active()).toMatch(/^2\|/);
    await page.keyboard.press('End');
    const last = projectTasks[projectTasks.length - 1]?.['msdyn_subject'] as string;
    expect(await active()).toContain(last.slice(0, 20));
    // The active row is scrolled into view by the virtualised list.
    await expect(row(last).isVisible()).resolves.toBe(true);
  });

  it('runs Ready to Sync from its toolbar: the shared command writes the rows, the bridge creates work orders, the grid follows', async () => {
    const invalid = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
    const done = new Set(synced.map((t) => t.taskId));
    const candidates = projectTasks.filter((t) => t['msdyn_summary'] === false && !done.has(t['msdyn_projecttaskid'] as string) && !invalid.has(t['msdyn_projecttaskid'] as string)).slice(0, 2);
    expect(candidates).toHaveLength(2);
    await mountGrid();
    for (const t of candidates) await row(t['msdyn_subject'] as string).getByRole('checkbox').check();
    // Enabled once the command's web resource has loaded.
    await page.locator('[data-testid=ready-to-sync]:not([aria-disabled=true])').waitFor();
    await page.getByRole('button', { name: 'Ready to Sync (2)' }).click();
    await page.getByText(/Ready to Sync ran for 2 task/).waitFor();
    const calls = await page.evaluate(() => (window as unknown as { __readyToSyncCalls: unknown[] }).__readyToSyncCalls);
    expect(calls).toEqual([{ taskIds: candidates.map((t) => t['msdyn_projecttaskid']), options: { projectId } }]);
    // The grid follows the tasks until the bridge has synced them, then shows their work orders.
    for (const t of candidates) await row(t['msdyn_subject'] as string).getByText('Synced').waitFor({ timeout: 30_000 });
    for (const t of candidates) {
      const ts = await rows(`${pfb_tasksync.entitySetName}?$select=pfb_syncstatus&$filter=_pfb_projecttask_value eq ${t['msdyn_projecttaskid'] as string}`);
      expect(ts[0]?.['pfb_syncstatus']).toBe(SyncStatus.Synced);
      const wos = await rows(`${msdyn_workorder.entitySetName}?$select=msdyn_name&$filter=_pfb_projecttask_value eq ${t['msdyn_projecttaskid'] as string}`);
      expect(wos.length).toBeGreaterThan(0);
      await row(t['msdyn_subject'] as string).getByText(`${wos.length} (0 done)`).waitFor();
    }
    await page.mouse.move(5, 840);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'wbs-grid-ready-to-sync.png'), fullPage: true });
  }, 90_000);

  it('reads the dataset page by page, appending, never two pages at once', async () => {
    await mountGrid({ pageSize: 4 });
    const stats = await page.evaluate(() => (window as unknown as { __mounted: { datasets: { tasks: { stats: unknown; sortedRecordIds: string[] } } } }).__mounted.datasets.tasks.stats);
    expect(stats).toMatchObject({ violations: 0, pagesLoaded: Math.ceil(projectTasks.length / 4) });
    expect(await grid().getAttribute('aria-rowcount')).toBe(String(projectTasks.length + 1));
  });

  it('filters by sync status and searches technicians', async () => {
    await mountGrid();
    await page.getByRole('button', { name: 'Sync status' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Synced', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('grid-status').filter({ hasText: /\d+ of \d+ tasks match/ }).waitFor();
    const shownTasks = await grid().locator('[role=row][data-row-kind=task]').count();
    expect(shownTasks).toBeGreaterThanOrEqual(synced.length);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('searchbox').fill(technician);
    await grid().locator('[role=row][data-row-kind=workorder]').first().waitFor();
    expect(await grid().locator('[role=row][data-row-kind=workorder]').first().textContent()).toContain(technician);
  });

  it('keeps the grid usable with Ready to Sync disabled when the command script cannot be loaded', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 860 } });
    // This organisation has no Project Field Bridge web resource.
    await context.route('**/WebResources/**', (r) => r.fulfill({ status: 404, body: 'Not found' }));
    const other = await context.newPage();
    await other.goto(`${origin.url}/pages/host.html`);
    const previous = page;
    page = other;
    try {
      await mountGrid();
      await row(nameOf(synced[1] as SyncedTask)).getByRole('checkbox').check();
      const button = page.getByRole('button', { name: 'Ready to Sync (1)' });
      await expect(button.getAttribute('aria-disabled')).resolves.toBe('true');
      await button.hover();
      await page.getByRole('tooltip').filter({ hasText: 'pfb_/scripts/commands.js could not be loaded' }).waitFor();
      expect(await row(nameOf(synced[1] as SyncedTask)).getAttribute('aria-selected')).toBe('true');
    } finally {
      page = previous;
      await context.close();
    }
  });

  it('has no accessibility violations (axe)', async () => {
    await mountGrid();
    await row(nameOf(synced[0] as SyncedTask)).locator('[data-testid=chevron]').click();
    const results = await new AxeBuilder({ page }).include('#root').exclude('[data-tabster-dummy]').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
