/**
 * BookingProgressPanel in Debian chromium: the production bundle.js in the sandbox's PCF host on 127.0.0.1, its
 * context.webAPI backed by the local Dataverse (no mocks), on work order, task sync, project task and project records
 * whose field data the real bridge made from signed mobility events. The panel refreshes on its own while visible and
 * stops while hidden; what it shows is checked against the rows in Dataverse.
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { bookableresourcebooking, msdyn_workorder, pfb_projectprogress, pfb_tasksync, fieldStageChoice } from '@pfb/domain';
import type { RunningOrigin } from '../../sandbox/origin/originServer';
import type { MobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { dayOf, deliver, syncAndBook, type SyncedTask } from '../bridge/fieldSupport';
import { acceptingMobility, eventually, registerBookingWebhooks, registerTaskSyncWebhook, startBridgeStack, type BridgeStack } from '../bridge/support';
import { launchChromium } from '../support/browser';
import { mountInPage, openHostPage, startPcfOrigin, unmountInPage } from './support/pcfPage';

type Row = Record<string, unknown>;
const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');
const mobility: MobilityAdapter = acceptingMobility();

let stack: BridgeStack;
let origin: RunningOrigin;
let browser: Browser;
let page: Page;
let task: SyncedTask;
let others: SyncedTask[];

const get = async (p: string): Promise<Row> => {
  const res = await stack.api.get(p);
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.text}`);
  return res.json<Row>();
};

beforeAll(async () => {
  stack = await startBridgeStack({ compose: () => ({ factories: { mobility: () => mobility }, fieldEvent: { batchWindowMs: 50, rollupIntervalMs: 200 } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  await registerBookingWebhooks(stack.api, stack.host.url);
  const synced = await syncAndBook(stack, 4);
  // The task with the most work orders: one visit Complete, one Incomplete, the rest still on their way.
  task = [...synced].sort((a, b) => b.workOrders.length - a.workOrders.length)[0] as SyncedTask;
  others = synced.filter((t) => t !== task);
  expect(task.workOrders.length).toBeGreaterThanOrEqual(2);
  const [a, b] = task.workOrders;
  const events = [
    ...dayOf(a!.bookingId, '2027-04-05T22:00:00Z', { travel: 15, onsite: 50, inProgress: 60, end: 330 }),
    ...dayOf(b!.bookingId, '2027-04-05T22:00:00Z', { travel: 5, onsite: 40, inProgress: 45, end: 165 }, 'Incomplete'),
  ];
  expect((await deliver(stack, events)).status).toBe(202);
  await eventually('both visits to have ended', async () => {
    const t = await get(`${pfb_tasksync.entitySetName}(${task.taskSyncId})?$select=pfb_workorderscompleted,pfb_workordersincomplete`);
    return t['pfb_workorderscompleted'] === 1 && t['pfb_workordersincomplete'] === 1 ? true : undefined;
  }, 30_000);
  origin = await startPcfOrigin({ dataverseUrl: stack.dv.url });
  browser = await launchChromium();
  page = (await openHostPage(browser, origin.url, { width: 1100, height: 1200 })).page;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  await stack?.stop();
});

afterEach(() => unmountInPage(page));

async function mountPanel(entityName: string, entityId: string, refreshSeconds = 5): Promise<void> {
  await mountInPage(page, {
    control: 'BookingProgressPanel',
    width: 1040,
    height: 1100,
    record: { entityName, entityId },
    parameters: { anchor: 'x', refreshSeconds },
  });
  await page.getByTestId('progress-updated').filter({ hasText: /^Updated / }).waitFor();
}

const requestsSoFar = (): Promise<number> => page.evaluate(() => (window as unknown as { __requests: unknown[] }).__requests.length);

describe('BookingProgressPanel in the browser (production bundle, local Dataverse)', () => {
  it('shows a task sync: roll-up from Dataverse, each booking’s stages with times and technician, the Incomplete reason, recent events', async () => {
    await mountPanel(pfb_tasksync.logicalName, task.taskSyncId);
    const ts = await get(`${pfb_tasksync.entitySetName}(${task.taskSyncId})?$select=pfb_percentcomplete,pfb_plannedworkorders,pfb_workorderscompleted,pfb_actualeffort,pfb_plannedeffort`);
    expect(await page.getByTestId('summary-percent').textContent()).toContain(`${Math.round(ts['pfb_percentcomplete'] as number)}%`);
    expect(await page.getByTestId('summary-completed').textContent()).toContain(`${ts['pfb_workorderscompleted']} of ${ts['pfb_plannedworkorders']}`);
    expect(await page.getByTestId('summary-effort').textContent()).toContain(`${Number(ts['pfb_actualeffort'])} h of ${Number(ts['pfb_plannedeffort'])} h`);

    const cards = page.getByTestId('booking-card');
    await expect(cards.count()).resolves.toBe(task.workOrders.length);
    const [a, b] = task.workOrders;
    const complete = page.locator(`[data-booking-id="${a!.bookingId}"]`);
    expect(await complete.locator('li[data-stage]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-stage')}:${e.getAttribute('data-state')}`))).toEqual([
      'Acknowledged:done',
      'Travel:done',
      'Onsite:done',
      'InProgress:done',
      'Complete:current',
    ]);
    const booking = await get(`${bookableresourcebooking.entitySetName}(${a!.bookingId})?$select=pfb_actualeffort,duration,_resource_value&$expand=Resource($select=name)`);
    expect(await complete.textContent()).toContain((booking['Resource'] as Row)['name'] as string);
    expect(await complete.textContent()).toContain(`${Number(booking['pfb_actualeffort'])} h of ${Number(booking['duration']) / 60} h planned`);
    const incomplete = page.locator(`[data-booking-id="${b!.bookingId}"]`);
    await incomplete.getByText('Incomplete: Tower access road flooded').waitFor();
    expect(await incomplete.locator('li[data-stage]').last().getAttribute('data-stage')).toBe('Incomplete');
    const events = page.getByRole('table', { name: 'Recent field events' }).getByRole('row');
    await expect(events.count()).resolves.toBe(11); // header + the 10 most recent
    await page.screenshot({ path: path.join(SCREENSHOTS, 'booking-progress-panel.png'), fullPage: true });
  });

  it('refreshes by itself while visible: a new field event shows up without reloading', async () => {
    const next = task.workOrders[2] ?? others[0]?.workOrders[0];
    expect(next).toBeDefined();
    const wo = (await get(`${bookableresourcebooking.entitySetName}(${next!.bookingId})?$select=_msdyn_workorder_value`))['_msdyn_workorder_value'] as string;
    await mountPanel(msdyn_workorder.logicalName, wo, 5);
    const card = page.locator(`[data-booking-id="${next!.bookingId}"]`);
    expect(await card.locator('li[aria-current=step]').count()).toBe(0);
    const onTheWay = dayOf(next!.bookingId, '2027-04-07T22:00:00Z', { travel: 20, onsite: 70, inProgress: 80, end: 300 }).slice(0, 2);
    expect((await deliver(stack, onTheWay)).status).toBe(202);
    await eventually('the booking to be Travel', async () => {
      const bk = await get(`${bookableresourcebooking.entitySetName}(${next!.bookingId})?$select=pfb_fieldstage`);
      return bk['pfb_fieldstage'] === fieldStageChoice('Travel') ? true : undefined;
    });
    await card.locator('li[aria-current=step][data-stage=Travel]').waitFor({ timeout: 15_000 });
  });

  it('stops reading while hidden and reads at once when shown again', async () => {
    await mountPanel(msdyn_workorder.logicalName, (await get(`${bookableresourcebooking.entitySetName}(${task.workOrders[0]!.bookingId})?$select=_msdyn_workorder_value`))['_msdyn_workorder_value'] as string, 5);
    await page.evaluate(() => (window as unknown as { __mounted: { setVisible(v: boolean): void } }).__mounted.setVisible(false));
    await page.waitForTimeout(300);
    const before = await requestsSoFar();
    await page.waitForTimeout(7_000);
    expect(await requestsSoFar()).toBe(before);
    await page.evaluate(() => (window as unknown as { __mounted: { setVisible(v: boolean): void } }).__mounted.setVisible(true));
    await page.waitForFunction((n) => (window as unknown as { __requests: unknown[] }).__requests.length > n, before, { timeout: 5_000 });
  });

  it('shows the project roll-up on the project form, and a project task’s progress on the task form', async () => {
    await mountPanel('msdyn_project', task.projectId);
    const progress = (await stack.api.get(`${pfb_projectprogress.entitySetName}?$filter=_pfb_project_value eq ${task.projectId}`)).json<{ value: Row[] }>().value[0] as Row;
    expect(await page.getByTestId('summary-completed').textContent()).toContain(`Tasks completed${progress['pfb_taskscompleted']} of ${progress['pfb_taskstotal']}`);
    expect(await page.getByTestId('summary-percent').textContent()).toContain(`${Math.round(progress['pfb_percentcomplete'] as number)}%`);
    expect(await page.getByTestId('booking-card').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'booking-progress-panel-project.png'), fullPage: true });
    await unmountInPage(page);
    await mountPanel('msdyn_projecttask', task.taskId);
    expect(await page.getByTestId('summary-completed').textContent()).toContain('Work orders completed1 of');
  });

  it('has no accessibility violations (axe)', async () => {
    await mountPanel(pfb_tasksync.logicalName, task.taskSyncId);
    const results = await new AxeBuilder({ page }).include('#root').exclude('[data-tabster-dummy]').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
