/**
 * The README's walkthrough, in Debian chromium against the sandbox as `npm start` runs it (its own data folder, free
 * ports, the simulated technicians running): a coordinator opens a project, selects tasks in the WBS grid and presses
 * Ready to Sync on the command bar; the bridge creates the work orders, which appear in the grid; a dispatcher books
 * one to a named technician, keeping it for the technician page; the technician moves it through every stage; the
 * progress panel shows the booking, the task and the project figures, and they are the ones the stage times give.
 *
 * Everything is real: the production PCF bundles in the sandbox's PCF host, the ribbon web resource served by the
 * local Dataverse from the imported solution, the bridge's webhook steps, queues and workers, mutual TLS to the
 * mobility simulator, signed events back. One screenshot per step goes to docs/screenshots/walkthrough-<n>-<step>.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  bookableresource,
  bookableresourcebooking,
  fieldStageChoice,
  msdyn_projecttask,
  msdyn_resourcerequirement,
  msdyn_workorder,
  pfb_projectprogress,
  pfb_tasksync,
} from '@pfb/domain';
import { BOOKING_STATUS_IDS } from '@pfb/sandbox';
import { ensurePcfBuilt } from '../../pcf/scripts/ensureBuilt';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { buildAppShell } from '../../sandbox/appshell/build';
import { hoursBetween, localInputValue, zonedIso } from '../../sandbox/appshell/src/time';
import { appShellRoots, appShellRoutes, ensureProjectBuilt } from '../../sandbox/start/appShell';
import { startSandbox, type RunningSandbox } from '../../sandbox/start/sandbox';
import { launchChromium } from '../support/browser';
import { client, type Client } from '../support/sandbox';
import { eventually } from '../support/eventually';

type Row = Record<string, unknown>;
const SHOTS = path.resolve(__dirname, '../../docs/screenshots');
const VIEWPORT = { width: 1920, height: 1080 };
const READY_TO_SYNC = 'pfb.msdyn_projecttask.SubGrid.ReadyToSync.Button';

let dir: string;
let sandbox: RunningSandbox;
let api: Client;
let browser: Browser;
let context: BrowserContext;
const pageErrors: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-walkthrough-'));
  // As npm start: build what is missing or stale, the shell's scripts, then every part with the technicians on. The
  // controls first through their own locked build, which the browser tests of test/pcf share when run beside this.
  await ensurePcfBuilt();
  ensureProjectBuilt(path.join(dir, 'data'));
  await buildAppShell(path.join(dir, 'shell'));
  [sandbox, browser] = await Promise.all([
    startSandbox({
      dir: path.join(dir, 'data'),
      port: 0,
      dataversePort: 0,
      bridgePort: 0,
      technicians: true,
      incompleteRate: 0,
      appShell: { staticRoots: appShellRoots(path.join(dir, 'shell')), routes: appShellRoutes },
    }),
    launchChromium(),
  ]);
  api = client(sandbox.dataverse.url);
  context = await browser.newContext({ viewport: VIEWPORT });
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
}, 300_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sandbox?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function rows(p: string): Promise<Row[]> {
  const res = await api.get(p);
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
  return res.json<{ value: Row[] }>().value;
}


/** Waits for the shell to say the page is ready (or why it is not). */
async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { shell?: { ready: boolean }; shellError?: string };
    return w.shell?.ready === true || w.shellError !== undefined;
  }, null, { timeout: 30_000 });
  const failure = await page.evaluate(() => (window as unknown as { shellError?: string }).shellError);
  if (failure) throw new Error(`The page did not open: ${failure}`);
}

const shot = (page: Page, n: number, step: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `walkthrough-${n}-${step}.png`), fullPage: true });

/** Violations of the shell's own markup (the controls are checked in test/pcf). */
async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('#app').exclude('.pcf-grid').exclude('.pcf-panel').exclude('[data-tabster-dummy]').analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const hours = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** A percentage from whole numbers, rounded to 2 decimals (the columns' precision). */
const pct = (part: number, total: number): number => Math.round((part / total) * 10_000) / 100;
const seconds = (h: number): number => Math.round(h * 3600);

it('plan → Ready to Sync → work orders in the grid → booking → technician stages → booking, task and project figures', async () => {
  // The coordinator's project and two of its field tasks (a day's work each), as the seed has them.
  const invalid = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
  const leaves = (await rows(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,msdyn_effort,_msdyn_project_value&$filter=msdyn_summary eq false&$orderby=msdyn_displaysequence`)).filter(
    (t) => !invalid.has(t['msdyn_projecttaskid'] as string),
  );
  const projectId = leaves[0]?.['_msdyn_project_value'] as string;
  const [taskA, taskB] = leaves.filter((t) => t['_msdyn_project_value'] === projectId && Number(t['msdyn_effort']) <= 8) as [Row, Row];
  const nameA = taskA['msdyn_subject'] as string;
  const nameB = taskB['msdyn_subject'] as string;
  const projectName = ((await api.get(`msdyn_projects(${projectId})?$select=msdyn_subject`)).json<Row>())['msdyn_subject'] as string;

  // 1. The app: the program's projects in the site map; open the project.
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/`);
  await ready(page);
  await page.getByRole('navigation', { name: 'Site map' }).getByRole('link', { name: projectName }).click();
  await ready(page);
  const grid = page.getByRole('treegrid');
  const row = (name: string): ReturnType<Page['locator']> => grid.getByRole('row').filter({ hasText: name }).first();
  await row(nameA).waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(projectName);
  await shot(page, 1, 'project');

  // 2. Select two tasks in the WBS grid: the subgrid's command bar (RibbonDiffXml) enables Ready to Sync.
  await row(nameA).getByRole('checkbox').check();
  await row(nameB).getByRole('checkbox').check();
  await page.locator(`[data-button-id="${READY_TO_SYNC}"]:not([disabled])`).waitFor({ timeout: 15_000 });
  await shot(page, 2, 'select-tasks');

  // 3. Ready to Sync: the real command validates, writes the pfb_tasksync rows and says so.
  await page.click(`[data-button-id="${READY_TO_SYNC}"]`);
  const told = page.locator('[data-notification-id]').first();
  const asked = page.locator('[data-sandbox-dialog="confirm"]');
  await Promise.race([told.waitFor(), asked.waitFor()]);
  if (await asked.isVisible()) await asked.locator('[data-action="confirm"]').click();
  await told.waitFor();
  expect(await told.innerText()).toContain('2 tasks marked Ready to Sync');
  await shot(page, 3, 'ready-to-sync');

  // 4. The bridge creates the work orders; the grid follows the tasks until they are Synced and shows them.
  const syncOf = async (taskId: string): Promise<Row> =>
    (await rows(`${pfb_tasksync.entitySetName}?$select=pfb_syncstatus,pfb_plannedeffort,pfb_plannedworkorders&$filter=_pfb_projecttask_value eq ${taskId}`))[0] as Row;
  for (const name of [nameA, nameB]) await row(name).getByText('Synced').waitFor({ timeout: 30_000 });
  const workOrdersOf = (taskId: string): Promise<Row[]> =>
    rows(`${msdyn_workorder.entitySetName}?$select=msdyn_name,pfb_plannedeffort&$filter=_pfb_projecttask_value eq ${taskId}&$orderby=pfb_slotindex`);
  const [wosA, wosB] = await Promise.all([workOrdersOf(taskA['msdyn_projecttaskid'] as string), workOrdersOf(taskB['msdyn_projecttaskid'] as string)]);
  expect(wosA.length).toBeGreaterThan(0);
  expect(wosB.length).toBeGreaterThan(0);
  await row(nameA).getByText(`${wosA.length} (0 done)`).waitFor({ timeout: 15_000 });
  await row(nameB).getByText(`${wosB.length} (0 done)`).waitFor({ timeout: 15_000 });
  await row(nameA).locator('[data-testid=chevron]').click();
  const woRows = grid.locator('[role=row][data-row-kind=workorder]');
  await woRows.first().waitFor();
  expect(await woRows.count()).toBe(wosA.length);
  expect(await woRows.first().textContent()).toContain(wosA[0]?.['msdyn_name'] as string);
  expect(await axe(page)).toEqual([]);
  await shot(page, 4, 'work-orders');

  // 5. The dispatcher books the first work order of task A to a named technician, kept for the technician page.
  const wo = wosA[0] as Row;
  const woName = wo['msdyn_name'] as string;
  const technician = (await rows(`${bookableresource.entitySetName}?$select=name&$filter=pfb_mobilityuserid ne null&$orderby=name&$top=1`))[0] as Row;
  const requirement = (await rows(`${msdyn_resourcerequirement.entitySetName}?$select=msdyn_name&$filter=_msdyn_workorder_value eq ${wo['msdyn_workorderid'] as string}`))[0] as Row;
  await page.getByRole('navigation', { name: 'Site map' }).getByRole('link', { name: 'Dispatcher: open requirements' }).click();
  await ready(page);
  const choose = page.getByLabel(`Technician for ${woName} (${nameA})`);
  await choose.waitFor();
  await page.getByLabel(/Move the bookings I make here by hand/).check();
  await choose.selectOption({ label: technician['name'] as string });
  expect(await axe(page)).toEqual([]);
  await page.getByRole('button', { name: `Book ${woName} (${nameA})` }).click();
  const handOver = page.getByRole('link', { name: 'move it on the technician page' });
  await handOver.waitFor();
  const bookingId = (await handOver.getAttribute('data-booking-id')) as string;
  await page.locator(`[data-requirement-row="${requirement['msdyn_resourcerequirementid'] as string}"]`).waitFor({ state: 'detached' });
  await shot(page, 5, 'dispatcher');
  const booking = (await api.get(`${bookableresourcebooking.entitySetName}(${bookingId})?$select=_resource_value,_bookingstatus_value,_msdyn_workorder_value,_msdyn_resourcerequirement_value,duration`)).json<Row>();
  expect(booking).toMatchObject({
    _resource_value: technician['bookableresourceid'],
    _bookingstatus_value: BOOKING_STATUS_IDS.Scheduled,
    _msdyn_workorder_value: wo['msdyn_workorderid'],
    _msdyn_resourcerequirement_value: requirement['msdyn_resourcerequirementid'],
  });

  // The project page in a second tab, to see its progress panel update by itself.
  const projectTab = await context.newPage();
  await projectTab.goto(`${sandbox.url}/?pagetype=entityrecord&etn=msdyn_project&id=${projectId}`);
  await ready(projectTab);

  // 6. The technician page: the bridge dispatched the booking (mutual TLS); move it through every stage.
  await handOver.click();
  await ready(page);
  await page.getByLabel('Stage', { exact: true }).waitFor({ timeout: 30_000 });
  const ticket = sandbox.mobility.ticket(bookingId);
  if (!ticket) throw new Error(`booking ${bookingId} was not dispatched`);
  const zone = ticket.site.timeZone ?? 'UTC';
  const start = Date.parse(ticket.window.start);
  const at = (minutes: number): string => localInputValue(start + minutes * 60_000, zone);
  const plan: [string, string][] = [
    ['Acknowledged', at(-50)],
    ['Travel', at(-30)],
    ['Onsite', at(5)],
    ['InProgress', at(20)],
    ['Complete', at(20 + 375)],
  ];
  for (const [stage, when] of plan) {
    await page.getByLabel('Stage', { exact: true }).selectOption(stage);
    await page.getByLabel(/^When \(site time/).fill(when);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator(`ol.stages li[data-stage="${stage}"][data-done="true"]`).waitFor();
    if (stage === 'InProgress') {
      expect(await axe(page)).toEqual([]);
      await shot(page, 6, 'technician');
    }
  }
  await page.getByText('This visit has ended').waitFor();
  // The effort is the in-progress time up to Complete (DESIGN §4), in the site's time.
  const effort = hoursBetween(zonedIso(at(20), zone), zonedIso(at(395), zone));
  expect(effort).toBe(6.25);

  // What the figures must be, from the planned efforts and the stage times.
  const [syncA, syncB] = await Promise.all([syncOf(taskA['msdyn_projecttaskid'] as string), syncOf(taskB['msdyn_projecttaskid'] as string)]);
  const estimateA = Number(syncA['pfb_plannedeffort']);
  const estimateB = Number(syncB['pfb_plannedeffort']);
  const plannedA = wosA.reduce((n, w) => n + seconds(Number(w['pfb_plannedeffort'])), 0);
  const taskPercent = pct(seconds(Number(wo['pfb_plannedeffort'])), plannedA);
  const taskDone = wosA.length === 1;
  const earnedA = Math.round((seconds(estimateA) * seconds(Number(wo['pfb_plannedeffort']))) / plannedA);
  const projectPercent = pct(earnedA, seconds(estimateA) + seconds(estimateB));
  const figures = await eventually('the roll-ups of the completed booking', async () => {
    const b = (await api.get(`${bookableresourcebooking.entitySetName}(${bookingId})?$select=pfb_fieldstage,pfb_actualeffort`)).json<Row>();
    const t = (await api.get(`${pfb_tasksync.entitySetName}(${syncA['pfb_tasksyncid'] as string})?$select=pfb_actualeffort,pfb_percentcomplete,pfb_effortvariance,pfb_workorderscompleted`)).json<Row>();
    const p = (await rows(`${pfb_projectprogress.entitySetName}?$select=pfb_percentcomplete,pfb_taskscompleted,pfb_taskstotal,pfb_actualeffort,pfb_estimatedeffort,pfb_effortvariance&$filter=_pfb_project_value eq ${projectId}`))[0];
    return b['pfb_fieldstage'] === fieldStageChoice('Complete') && t['pfb_actualeffort'] === effort && p?.['pfb_actualeffort'] === effort ? { b, t, p } : undefined;
  });
  expect(figures.b['pfb_actualeffort']).toBe(effort);
  expect(figures.t).toMatchObject({ pfb_actualeffort: effort, pfb_percentcomplete: taskPercent, pfb_effortvariance: Math.round((effort - estimateA) * 100) / 100, pfb_workorderscompleted: 1 });
  expect(figures.p).toMatchObject({
    pfb_percentcomplete: projectPercent,
    pfb_taskscompleted: taskDone ? 1 : 0,
    pfb_taskstotal: 2,
    pfb_actualeffort: effort,
    pfb_estimatedeffort: estimateA + estimateB,
    pfb_effortvariance: Math.round((effort - estimateA - estimateB) * 100) / 100,
  });

  // 7. The work order's progress panel: the booking worked through every stage, its effort against the plan.
  await page.getByRole('link', { name: `Follow ${woName}: booking, task and project figures` }).click();
  await ready(page);
  await page.getByTestId('progress-updated').filter({ hasText: /^Updated / }).waitFor();
  const card = page.locator(`[data-booking-id="${bookingId}"]`);
  expect(await card.locator('li[data-stage]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-stage')}:${e.getAttribute('data-state')}`))).toEqual([
    'Acknowledged:done',
    'Travel:done',
    'Onsite:done',
    'InProgress:done',
    'Complete:current',
  ]);
  expect(await card.textContent()).toContain(`${hours.format(effort)} h of ${hours.format(Number(booking['duration']) / 60)} h planned`);
  expect(await page.getByTestId('summary-completed').textContent()).toBe('Bookings completed1 of 1');
  expect(await page.getByTestId('summary-effort').textContent()).toBe(`Actual vs estimated effort${hours.format(effort)} h of ${hours.format(Number(wo['pfb_plannedeffort']))} h`);
  await shot(page, 7, 'work-order');

  // 8. The task's progress panel: its share of planned effort done, its actual effort against the estimate.
  await page.getByRole('navigation', { name: 'Related records' }).getByRole('link', { name: `Task: ${nameA}` }).click();
  await ready(page);
  await page.getByTestId('progress-updated').filter({ hasText: /^Updated / }).waitFor();
  expect(await page.getByTestId('summary-percent').textContent()).toContain(`${whole.format(taskPercent)}%`);
  expect(await page.getByTestId('summary-completed').textContent()).toBe(`Work orders completed1 of ${wosA.length}`);
  expect(await page.getByTestId('summary-effort').textContent()).toBe(`Actual vs estimated effort${hours.format(effort)} h of ${hours.format(estimateA)} h`);
  await shot(page, 8, 'task');

  // 9. The project tab, never reloaded: its panel has read the new figures on its own.
  const projectEffort = `Actual vs estimated effort${hours.format(effort)} h of ${hours.format(estimateA + estimateB)} h`;
  await projectTab.getByTestId('summary-effort').filter({ hasText: projectEffort }).waitFor({ timeout: 30_000 });
  expect(await projectTab.getByTestId('summary-percent').textContent()).toContain(`${whole.format(projectPercent)}%`);
  expect(await projectTab.getByTestId('summary-completed').textContent()).toBe(`Tasks completed${taskDone ? 1 : 0} of 2`);
  expect(await projectTab.locator(`[data-booking-id="${bookingId}"]`).count()).toBe(1);
  // A subgrid reads again when asked (as in a model-driven app): the task's row has its actuals too.
  await projectTab.locator('.pcf-grid').getByRole('button', { name: 'Refresh', exact: true }).click();
  const tabRow = projectTab.getByRole('treegrid').getByRole('row').filter({ hasText: nameA }).first();
  await tabRow.getByText(`${wosA.length} (1 done)`).waitFor({ timeout: 15_000 });
  expect(await tabRow.textContent()).toContain(`${hours.format(effort)} of ${hours.format(estimateA)} h`);
  await shot(projectTab, 9, 'project-progress');

  // The automatic technicians left the hand-driven booking alone; no page threw.
  expect(sandbox.technicians.stats.ticketsWorked).toBe(0);
  expect(pageErrors).toEqual([]);
}, 110_000);
