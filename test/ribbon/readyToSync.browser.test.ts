/**
 * The ribbon commands in a real browser, no mocks: Debian chromium (playwright-core) loads the sandbox app page; its
 * Xrm (sandbox/xrm) talks to the local Dataverse over the Web API on the page's origin; the command bar is built from
 * the generated RibbonDiffXml and loads the built web resources from /WebResources/, as a model-driven app does. The
 * local Dataverse runs with the real service protection limits and the bridge's webhook registered on pfb_tasksync,
 * so the rows the command writes go through the webhook, the queue and the bridge's worker to work orders.
 *
 * Requests are counted from the browser's side (every request the page sent) and by Dataverse (its per-user count).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { SyncStatus, formatValidationIssue, msdyn_projecttask, msdyn_workorder, pfb_tasksync, renderValidationMessage } from '@pfb/domain';
import { REAL_LIMITS, SANDBOX_USER_ID, startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import type { RunningOrigin } from '../../sandbox/origin/originServer';
import type { MobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { bridgeToken, eventually, registerTaskSyncWebhook, startBridgeStack, type BridgeStack } from '../bridge/support';
import { launchChromium } from '../support/browser';
import { client, type Client } from '../support/sandbox';
import { buildPageAssets, openApp, refreshForm, startAppOrigin, type AppPage } from './appPage';

type Row = Record<string, unknown>;
const READY_GRID = 'pfb.msdyn_projecttask.HomepageGrid.ReadyToSync.Button';
const CANCEL_GRID = 'pfb.msdyn_projecttask.HomepageGrid.CancelFieldWork.Button';
const INVALID = TELECOM_INVALID_TASKS;

const notUsed: MobilityAdapter = {
  upsertTicket: () => Promise.reject(new Error('not used here')),
  cancelTicket: () => Promise.reject(new Error('not used here')),
  health: () => Promise.resolve({ ok: true, detail: 'not used' }),
};

let assets: Awaited<ReturnType<typeof buildPageAssets>>;
let stack: BridgeStack;
let origin: RunningOrigin;
let browser: Browser;
/** Reads Dataverse as the bridge's application user, so checks never count as the coordinator's requests. */
let check: Client;
let leaves: { id: string; name: string; projectId: string }[];
const open: AppPage[] = [];

beforeAll(async () => {
  [assets, stack, browser] = await Promise.all([buildPageAssets(), startBridgeStack({ compose: () => ({ factories: { mobility: () => notUsed } }) }), launchChromium()]);
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  origin = await startAppOrigin(stack.dv.url, assets);
  check = client(stack.dv.url, bridgeToken());
  const res = await check.get(`${msdyn_projecttask.entitySetName}?$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false&$orderby=msdyn_displaysequence`);
  const invalid = new Set<string>(Object.values(INVALID).map((t) => t.id));
  leaves = res
    .json<{ value: Row[] }>()
    .value.filter((t) => !invalid.has(t['msdyn_projecttaskid'] as string))
    .map((t) => ({ id: t['msdyn_projecttaskid'] as string, name: t['msdyn_subject'] as string, projectId: t['_msdyn_project_value'] as string }));
}, 60_000);

afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  await stack?.stop();
  assets?.remove();
});

async function app(config: Parameters<typeof openApp>[2]): Promise<AppPage> {
  const page = await openApp(browser, origin.url, config);
  open.push(page);
  return page;
}

const userRequests = (dv: RunningDataverse): number => dv.server.stats.byUser.get(SANDBOX_USER_ID) ?? 0;

async function syncRows(): Promise<Row[]> {
  return (await check.get(`${pfb_tasksync.entitySetName}?$select=pfb_syncstatus,pfb_name,_pfb_projecttask_value,_pfb_requestedby_value`)).json<{ value: Row[] }>().value;
}
const rowOf = async (taskId: string): Promise<Row | undefined> => (await syncRows()).find((r) => r['_pfb_projecttask_value'] === taskId);
/** Tasks nobody has sent yet, from a given position in the grid's order. */
async function untouched(count: number, from = 0): Promise<typeof leaves> {
  const taken = new Set((await syncRows()).map((r) => r['_pfb_projecttask_value'] as string));
  return leaves.filter((t) => !taken.has(t.id)).slice(from, from + count);
}

async function select(a: AppPage, ids: readonly string[]): Promise<void> {
  for (const id of ids) await a.page.check(`[data-row-select="${id}"]`);
  await a.settled();
}

const dialogText = (a: AppPage, kind: string): Promise<string> => a.page.innerText(`[data-sandbox-dialog="${kind}"] .sx-text`);

describe('Ready to Sync on the project task home grid', () => {
  it('lists the tasks that cannot go with their fixes, queues the rest in ≤ 3 requests, and the bridge picks them up through its webhook', async () => {
    const a = await app({ page: 'grid' });
    const valid = await untouched(4);
    await select(a, [INVALID.noEffort.id, INVALID.noResource.id, ...valid.map((t) => t.id)]);
    expect((await a.buttons()).filter((b) => b.visible).map((b) => [b.label, b.enabled])).toEqual([
      ['Ready to Sync', true],
      ['Cancel field work', false],
    ]);

    const loadsBefore = await a.gridLoads();
    const counted = userRequests(stack.dv);
    a.track();
    await a.page.click(`[data-button-id="${READY_GRID}"]`);
    await a.page.waitForSelector('[data-sandbox-dialog="confirm"]');
    const text = await dialogText(a, 'confirm');
    expect(text).toContain('2 tasks can’t go to the field. Fix them, then mark them Ready to Sync again:');
    expect(text).toContain(`• ${formatValidationIssue({ code: 'missingEffort', params: { taskName: INVALID.noEffort.subject } })}`);
    expect(text).toContain(`• ${formatValidationIssue({ code: 'noGenericResource', params: { taskName: INVALID.noResource.subject } })}`);
    expect(await a.page.innerText('[data-sandbox-dialog="confirm"] [data-action="confirm"]')).toBe('Send the other 4 tasks');
    // The dialog is usable by everyone: no serious accessibility violation.
    const axe = await new AxeBuilder({ page: a.page }).include('[data-sandbox-dialog]').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    await a.page.click('[data-sandbox-dialog="confirm"] [data-action="confirm"]');
    await a.page.waitForSelector('[data-notification-id]');
    expect(await a.page.innerText('[data-notification-id] .sx-message')).toBe(
      '4 tasks marked Ready to Sync: their work orders will be created shortly. 2 tasks not sent: fix the problems shown and mark them again.',
    );
    await a.page.waitForFunction((n) => (globalThis as unknown as { app: { page: { grid: { loads: number } } } }).app.page.grid.loads > n, loadsBefore);
    await a.settled();

    // The read, the write, the grid's own refresh: three requests, counted by the browser and by Dataverse alike.
    expect(a.sent()).toEqual(['GET msdyn_projecttasks', 'POST $batch', 'GET msdyn_projecttasks']);
    expect(userRequests(stack.dv) - counted).toBe(a.sent().length);
    expect((await a.buttons()).find((b) => b.id === CANCEL_GRID)?.enabled).toBe(true);

    // The rows are the coordinator's, and each reaches the bridge: webhook → queue → worker → work orders.
    for (const t of valid) {
      const row = await eventually(`sync row of ${t.name}`, () => rowOf(t.id));
      expect(row['_pfb_requestedby_value']).toBe(SANDBOX_USER_ID);
      await eventually(`${t.name} Synced by the bridge`, async () => (await rowOf(t.id))?.['pfb_syncstatus'] === SyncStatus.Synced, 30_000);
      const rowId = (await check.get(`${pfb_tasksync.entitySetName}(pfb_projecttask=${t.id})?$select=pfb_tasksyncid`)).json()['pfb_tasksyncid'] as string;
      expect(stack.lines.some((l) => l.message.startsWith(`queued task sync ${rowId}`) && l['function'] === 'taskSyncWebhook')).toBe(true);
      const workOrders = (await check.get(`${msdyn_workorder.entitySetName}?$select=pfb_sourcekey&$filter=_pfb_projecttask_value eq ${t.id}`)).json<{ value: Row[] }>().value;
      expect(workOrders.length).toBeGreaterThan(0);
    }
    for (const t of [INVALID.noEffort, INVALID.noResource]) expect(await rowOf(t.id)).toBeUndefined();
  }, 60_000);

  it('cancelling at the dialog writes nothing: only the read went out', async () => {
    const a = await app({ page: 'grid' });
    const valid = await untouched(2);
    await select(a, [INVALID.endBeforeStart.id, ...valid.map((t) => t.id)]);
    const before = (await syncRows()).length;
    a.track();
    await a.page.click(`[data-button-id="${READY_GRID}"]`);
    await a.page.waitForSelector('[data-sandbox-dialog="confirm"]');
    expect(await dialogText(a, 'confirm')).toContain(`Task “${INVALID.endBeforeStart.subject}” is due on`);
    await a.page.click('[data-sandbox-dialog="confirm"] [data-action="cancel"]');
    await a.page.waitForSelector('[data-sandbox-dialog]', { state: 'detached' });
    await a.settled();
    expect(a.sent()).toEqual(['GET msdyn_projecttasks']);
    expect((await syncRows()).length).toBe(before);
    expect(await a.page.$('[data-notification-id]')).toBeNull();
  });

  it('a Dataverse refusal reads as what failed, for which task, why and what to do; nothing is written', async () => {
    const a = await app({ page: 'grid' });
    const [gone, other] = await untouched(2, 2);
    if (!gone || !other) throw new Error('the seed has too few tasks');
    await select(a, [INVALID.unmappedRole.id, gone.id, other.id]);
    await a.page.click(`[data-button-id="${READY_GRID}"]`);
    await a.page.waitForSelector('[data-sandbox-dialog="confirm"]');
    // Meanwhile the task is deleted (another user, another process): Dataverse refuses the change set.
    stack.dv.dataverse.store.delete(msdyn_projecttask.logicalName, gone.id);
    await a.page.click('[data-sandbox-dialog="confirm"] [data-action="confirm"]');
    await a.page.waitForSelector('[data-sandbox-dialog="alert"]');
    expect(await a.page.innerText('[data-sandbox-dialog="alert"] h2')).toBe('Ready to Sync failed');
    expect(await dialogText(a, 'alert')).toBe(
      [
        'Nothing was marked Ready to Sync: Dataverse refused the change, so none of the 2 tasks was queued.',
        `It concerns task “${gone.name}”.`,
        `Cause: msdyn_projecttask With Id = ${gone.id} Does Not Exist (error 0x80040217)`,
        'A record it needs was deleted or is no longer shared with you. Refresh the list, check the task still exists, then try again.',
      ].join('\n\n'),
    );
    await a.page.click('[data-sandbox-dialog="alert"] [data-action="confirm"]');
    expect(await rowOf(other.id)).toBeUndefined();
    // The progress indicator is gone: the page is usable again.
    expect(await a.page.$('[data-sandbox-progress]')).toBeNull();
  });

  it('hides the buttons from users who may not create task sync rows, and disables them without Write', async () => {
    const noCreate = await app({ page: 'grid', user: { privileges: ['prvReadmsdyn_projecttask', 'prvReadpfb_tasksync'] } });
    expect((await noCreate.buttons()).map((b) => [b.label, b.visible])).toEqual([
      ['Ready to Sync', false],
      ['Cancel field work', false],
    ]);
    const noWrite = await app({ page: 'grid', user: { privileges: ['prvReadmsdyn_projecttask', 'prvReadpfb_tasksync', 'prvCreatepfb_tasksync'] } });
    const [task] = await untouched(1, 5);
    await select(noWrite, [(task as { id: string }).id]);
    expect((await noWrite.buttons()).map((b) => [b.label, b.visible, b.enabled])).toEqual([
      ['Ready to Sync', true, false],
      ['Cancel field work', true, false],
    ]);
  });
});

describe('the task form and the project form', () => {
  it('task form: Ready to Sync with PrimaryControl, and the form script shows the status as the bridge moves it', async () => {
    const [task] = await untouched(1, 6);
    const t = task as { id: string; name: string };
    const a = await app({ page: 'form', entity: 'msdyn_projecttask', id: t.id });
    expect(await a.page.innerText('[data-form-notifications]')).toBe('');
    await a.settled();
    a.track();
    await a.page.click('[data-button-id="pfb.msdyn_projecttask.Form.ReadyToSync.Button"]');
    await a.page.waitForSelector('[data-form-notifications] [data-notification-id="pfb_syncstatus"]');
    expect(await a.page.innerText('[data-form-notifications] .sx-message')).toMatch(/^(Ready to Sync: queued for the field on .+|Syncing: .+|Synced: work orders in the field: \d+; .+)$/);
    await a.settled();
    // The command: read, write. Then the form's data reload, the form script's read of the new row, and the form
    // ribbon's state rule reading it afresh (a form's rules share only a read under way).
    expect(a.sent().slice(0, 3)).toEqual(['GET msdyn_projecttasks', 'POST $batch', `GET msdyn_projecttasks(${t.id})`]);
    expect(a.sent().slice(3)).toEqual(['GET pfb_tasksyncs', 'GET pfb_tasksyncs']);

    await eventually('the bridge syncs it', async () => (await rowOf(t.id))?.['pfb_syncstatus'] === SyncStatus.Synced, 30_000);
    await refreshForm(a);
    await a.settled();
    await a.page.waitForFunction(() => /^Synced: work orders in the field: \d+/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-form-notifications] .sx-message')?.textContent ?? ''));
    expect((await a.buttons()).map((b) => [b.label, b.enabled])).toEqual([
      ['Ready to Sync', true],
      ['Cancel field work', true],
    ]);
  }, 60_000);

  it('project form: Sync all ready tasks sends the project’s unsent tasks and names the ones that cannot go', async () => {
    const newEngland = (await check.get(`${msdyn_projecttask.entitySetName}(${INVALID.noEffort.id})?$select=_msdyn_project_value`)).json()['_msdyn_project_value'] as string;
    const before = new Set((await syncRows()).map((r) => r['_pfb_projecttask_value'] as string));
    const unsent = leaves.filter((t) => t.projectId === newEngland && !before.has(t.id));
    const a = await app({ page: 'form', entity: 'msdyn_project', id: newEngland });
    const button = (await a.buttons()).find((b) => b.label === 'Sync all ready tasks');
    expect(button?.enabled).toBe(true);
    a.track();
    await a.page.click('[data-button-id="pfb.msdyn_project.Form.SyncAllReadyTasks.Button"]');
    await a.page.waitForSelector('[data-sandbox-dialog="confirm"]');
    const text = await dialogText(a, 'confirm');
    expect(text.split('\n')[0]).toBe('4 tasks can’t go to the field. Fix them, then mark them Ready to Sync again:');
    for (const t of Object.values(INVALID)) expect(text).toContain(`Task “${t.subject}”`);
    expect(text).toContain(renderValidationMessage('roleWithoutWorkOrderType', { taskName: INVALID.unmappedRole.subject, roleName: 'Traffic Controller' }).message);
    await a.page.click('[data-sandbox-dialog="confirm"] [data-action="confirm"]');
    await a.page.waitForSelector('[data-notification-id]');
    expect(await a.page.innerText('[data-notification-id] .sx-message')).toMatch(new RegExp(`^${unsent.length} tasks marked Ready to Sync`));
    await a.settled();
    expect(a.sent().slice(0, 2)).toEqual(['GET msdyn_projecttasks', 'POST $batch']);
    expect(a.sent().length).toBeLessThanOrEqual(3);
    for (const t of unsent) expect(await rowOf(t.id)).toBeDefined();
  });

  it('the project’s task subgrid: Cancel field work for synced tasks, after a confirmation', async () => {
    const synced = (await syncRows()).filter((r) => r['pfb_syncstatus'] === SyncStatus.Synced);
    const target = leaves.find((t) => synced.some((r) => r['_pfb_projecttask_value'] === t.id)) as { id: string; name: string; projectId: string };
    const a = await app({ page: 'form', entity: 'msdyn_project', id: target.projectId });
    await select(a, [target.id]);
    const cancel = (await a.buttons()).find((b) => b.id === 'pfb.msdyn_projecttask.SubGrid.CancelFieldWork.Button');
    expect(cancel).toMatchObject({ visible: true, enabled: true });
    a.track();
    await a.page.click('[data-button-id="pfb.msdyn_projecttask.SubGrid.CancelFieldWork.Button"]');
    await a.page.waitForSelector('[data-sandbox-dialog="confirm"]');
    expect(await dialogText(a, 'confirm')).toBe(`Cancel the field work of task “${target.name}”? Its work orders that have not started are cancelled; work already started goes on.`);
    await a.page.click('[data-sandbox-dialog="confirm"] [data-action="confirm"]');
    await a.page.waitForSelector('[data-notification-id]');
    await a.settled();
    expect(a.sent()).toEqual(['GET msdyn_projecttasks', 'POST $batch', 'GET msdyn_projecttasks']);
    expect((await rowOf(target.id))?.['pfb_syncstatus']).toBe(SyncStatus.Cancelled);
  });
});

describe('250 selected tasks in the browser (scale seed, real service protection limits)', () => {
  let dv: RunningDataverse;
  let scaleOrigin: RunningOrigin;
  beforeAll(async () => {
    dv = await startDataverse({ seed: 'scale:250', limits: REAL_LIMITS });
    scaleOrigin = await startAppOrigin(dv.url, assets);
  }, 60_000);
  afterAll(async () => {
    await scaleOrigin?.close();
    await dv?.close();
  });

  it('select all, Ready to Sync: 250 rows in three requests (read, write, grid refresh)', async () => {
    const a = await openApp(browser, scaleOrigin.url, { page: 'grid' });
    open.push(a);
    await a.page.check('[data-select-all]');
    await a.settled();
    const counted = userRequests(dv);
    a.track();
    await a.page.click(`[data-button-id="${READY_GRID}"]`);
    await a.page.waitForSelector('[data-notification-id]', { timeout: 20_000 });
    expect(await a.page.innerText('[data-notification-id] .sx-message')).toBe('250 tasks marked Ready to Sync: their work orders will be created shortly.');
    await a.page.waitForFunction(() => (globalThis as unknown as { app: { page: { grid: { loads: number } } } }).app.page.grid.loads > 1);
    await a.settled();
    expect(a.sent()).toEqual(['GET msdyn_projecttasks', 'POST $batch', 'GET msdyn_projecttasks']);
    expect(dv.server.stats.byUser.get(SANDBOX_USER_ID)! - counted).toBe(3);
    const rows = (await client(dv.url, bridgeToken()).get(`${pfb_tasksync.entitySetName}?$select=pfb_syncstatus&$count=true`)).json<{ value: Row[] }>().value;
    expect(rows).toHaveLength(250);
    expect(rows.every((r) => r['pfb_syncstatus'] === SyncStatus.ReadyToSync)).toBe(true);
  }, 60_000);
});
