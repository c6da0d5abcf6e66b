/**
 * Ready to Sync through the ribbon's functions, with xrm-mock's object model and the sandbox's real Web API client
 * against a real local Dataverse (HTTP, SQLite). Requests are counted twice by outcome: on the wire (counting fetch)
 * and by Dataverse itself (its per-user request counter, as the service protection limit counts them).
 */
import {
  SyncStatus,
  VALIDATION_MESSAGES,
  formatValidationIssue,
  msdyn_projecttask,
  pfb_tasksync,
} from '@pfb/domain';
import { REAL_LIMITS, SANDBOX_USER_ID } from '@pfb/sandbox';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { Commands } from '../src/commands/commands';
import { projectTaskOnLoad } from '../src/forms/formScripts';
import { UpsertMultipleRequest } from '../src/platform/requests';
import { reset, rows, startHarness, type Harness, type Row } from './support/xrmHarness';

const braced = (id: string): string => `{${id.toUpperCase()}}`;
const TASKS = msdyn_projecttask.entitySetName;
const SYNCS = pfb_tasksync.entitySetName;

async function leafTasks(h: Harness, filter = ''): Promise<{ id: string; name: string; projectId: string }[]> {
  return (await rows(h, TASKS, `$select=msdyn_subject,_msdyn_project_value&$filter=msdyn_summary eq false${filter}&$orderby=msdyn_displaysequence`)).map((t) => ({
    id: t['msdyn_projecttaskid'] as string,
    name: t['msdyn_subject'] as string,
    projectId: t['_msdyn_project_value'] as string,
  }));
}

const syncRows = (h: Harness): Promise<Row[]> =>
  rows(h, SYNCS, '$select=pfb_name,pfb_syncstatus,pfb_requestedon,_pfb_requestedby_value,_pfb_projecttask_value,_pfb_project_value,versionnumber');

describe('250 selected tasks (scale seed, real service protection limits)', () => {
  let h: Harness;
  let tasks: { id: string; name: string; projectId: string }[];
  beforeAll(async () => {
    h = await startHarness({ seed: 'scale:250', limits: REAL_LIMITS });
    tasks = await leafTasks(h);
  });
  afterAll(() => h?.close());
  beforeEach(() => reset(h));

  it('marks 250 tasks Ready to Sync in 2 HTTP requests: one read, one $batch with one change set', async () => {
    expect(tasks).toHaveLength(250);
    const grid = { refresh: jest.fn() };
    const started = Date.now();
    h.mark();

    const outcome = await Commands.readyToSyncFromGrid(tasks.map((t) => braced(t.id)), grid, msdyn_projecttask.logicalName, undefined);

    // What went over the wire, and what Dataverse counted for the user.
    expect(h.http.lines()).toEqual(['GET msdyn_projecttasks', 'POST $batch']);
    expect(h.counted()).toBe(2);
    expect(h.http.sent.length).toBeLessThanOrEqual(3);

    expect(outcome.status).toBe('completed');
    expect(outcome.queued).toHaveLength(250);
    expect(outcome.failed).toEqual([]);
    expect(outcome.skipped).toEqual([]);
    const written = await syncRows(h);
    expect(written).toHaveLength(250);
    const byTask = new Map(written.map((r) => [r['_pfb_projecttask_value'], r]));
    for (const t of tasks) {
      const row = byTask.get(t.id) as Row;
      expect(row['pfb_syncstatus']).toBe(SyncStatus.ReadyToSync);
      expect(row['pfb_name']).toBe(t.name);
      expect(row['_pfb_project_value']).toBe(t.projectId);
      expect(row['_pfb_requestedby_value']).toBe(SANDBOX_USER_ID);
      expect(Date.parse(row['pfb_requestedon'] as string)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    }
    // Nothing to ask: every task is valid. A progress indicator while reading and writing, then the outcome.
    expect(h.dialogs).toEqual([]);
    expect(h.progress).toEqual(['Reading 250 tasks…', '(closed)', 'Marking 250 tasks Ready to Sync…', '(closed)']);
    expect(h.notifications).toEqual([{ level: 1, message: '250 tasks marked Ready to Sync: their work orders will be created shortly.' }]);
    expect(grid.refresh).toHaveBeenCalledTimes(1);

    // The write is one change set holding one UpsertMultiple of 250 targets addressed by the alternate key.
    const batch = h.http.sent[1]?.body ?? '';
    expect(batch.match(/Content-Type: multipart\/mixed; boundary="changeset_/g)).toHaveLength(1);
    expect(batch.match(/^POST \/api\/data\/v9\.2\/pfb_tasksyncs\/Microsoft\.Dynamics\.CRM\.UpsertMultiple HTTP\/1\.1$/gm)).toHaveLength(1);
    const targets = (JSON.parse(batch.slice(batch.indexOf('{"Targets"'), batch.lastIndexOf('}') + 1)) as { Targets: Row[] }).Targets;
    expect(targets).toHaveLength(250);
    expect(targets[0]).toMatchObject({ '@odata.type': 'Microsoft.Dynamics.CRM.pfb_tasksync', '@odata.id': `pfb_tasksyncs(pfb_projecttask=${tasks[0]?.id})` });
  });

  it('hands executeMultiple what its documented syntax takes: [changeSet], request objects with getMetadata on the prototype', async () => {
    // The rows exist now; marking them again is skipped, so mark through the programmatic entry after making them Failed.
    await Promise.all(
      (await syncRows(h)).slice(0, 3).map((r) =>
        fetch(`${h.dv.url}/${SYNCS}(pfb_projecttask=${r['_pfb_projecttask_value']})`, { method: 'PATCH', headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json', 'If-Match': '*' }, body: JSON.stringify({ pfb_syncstatus: SyncStatus.Failed }) }),
      ),
    );
    const calls: unknown[][] = [];
    const real = h.webApi.online.executeMultiple.bind(h.webApi.online);
    (h.webApi.online as { executeMultiple: unknown }).executeMultiple = (requests: unknown[]) => {
      calls.push(requests);
      return real(requests);
    };
    try {
      const failedIds = (await syncRows(h)).filter((r) => r['pfb_syncstatus'] === SyncStatus.Failed).map((r) => r['_pfb_projecttask_value'] as string);
      const outcome = await Commands.readyToSyncFromGrid(failedIds.map(braced), undefined, msdyn_projecttask.logicalName, undefined);
      expect(outcome.queued).toHaveLength(3);
    } finally {
      (h.webApi.online as { executeMultiple: unknown }).executeMultiple = real;
    }
    // xrm-executemultiple-syntax-2-changeset.js: var changeSet = [req1, req2, req3]; var requests = [changeSet];
    expect(calls).toHaveLength(1);
    const [requests] = calls as [unknown[]];
    expect(requests).toHaveLength(1);
    const changeSet = requests[0] as unknown[];
    expect(Array.isArray(changeSet)).toBe(true);
    for (const request of changeSet) {
      expect(request).toBeInstanceOf(UpsertMultipleRequest);
      expect(Object.prototype.hasOwnProperty.call(request, 'getMetadata')).toBe(false);
      expect(typeof Object.getPrototypeOf(request).getMetadata).toBe('function');
      expect((request as UpsertMultipleRequest).getMetadata()).toEqual({
        boundParameter: 'entityset',
        parameterTypes: {
          entityset: { typeName: 'mscrm.pfb_tasksync', structuralProperty: 4 },
          Targets: { typeName: 'Collection(mscrm.crmbaseentity)', structuralProperty: 4 },
        },
        operationType: 0,
        operationName: 'UpsertMultiple',
      });
    }
  });

  it('marking the same 250 tasks again writes nothing: they are already queued (one read request)', async () => {
    const before = new Map((await syncRows(h)).map((r) => [r['_pfb_projecttask_value'], r['versionnumber']]));
    h.mark();
    const outcome = await Commands.readyToSyncFromGrid(tasks.map((t) => braced(t.id)), undefined, msdyn_projecttask.logicalName, undefined);
    expect(h.http.lines()).toEqual(['GET msdyn_projecttasks']);
    expect(h.counted()).toBe(1);
    expect(outcome.status).toBe('nothingToDo');
    expect(outcome.skipped).toHaveLength(250);
    expect(outcome.skipped[0]?.reason).toBe(`Task “${tasks[0]?.name}” is already queued for the field`);
    expect(h.dialogs).toEqual([expect.objectContaining({ kind: 'alert', text: expect.stringMatching(/^All 250 selected tasks are already queued for the field: nothing to do\./) })]);
    const after = new Map((await syncRows(h)).map((r) => [r['_pfb_projecttask_value'], r['versionnumber']]));
    expect(after).toEqual(before);
  });

  it('state enable rules: one request for a selection shared by both buttons, none when asked again', async () => {
    const ids = tasks.map((t) => braced(t.id));
    h.mark();
    const started = Date.now();
    await expect(Commands.canMarkSelection(ids)).resolves.toBe(false);
    await expect(Commands.canCancelSelection(ids)).resolves.toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(h.counted()).toBe(1);
    await expect(Commands.canMarkSelection([...ids].reverse())).resolves.toBe(false);
    expect(h.counted()).toBe(1);
  });
});

describe('validation, dialogs and errors (telecom seed)', () => {
  let h: Harness;
  const invalid = TELECOM_INVALID_TASKS;
  let valid: { id: string; name: string; projectId: string }[];
  beforeAll(async () => {
    h = await startHarness({ seed: 'telecom' });
    const bad = new Set<string>(Object.values(invalid).map((t) => t.id));
    valid = (await leafTasks(h)).filter((t) => !bad.has(t.id));
  });
  afterAll(() => h?.close());
  beforeEach(() => reset(h));

  const selection = (validCount: number, offset: number): string[] => [...Object.values(invalid).map((t) => t.id), ...valid.slice(offset, offset + validCount).map((t) => t.id)].map(braced);

  it('cancelling at the dialog writes nothing (one read request, no notification)', async () => {
    const before = (await syncRows(h)).length;
    h.answers = [false];
    h.mark();
    const outcome = await Commands.readyToSyncFromGrid(selection(3, 0), undefined, msdyn_projecttask.logicalName, undefined);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.queued).toEqual([]);
    expect(h.http.lines()).toEqual(['GET msdyn_projecttasks']);
    expect(h.counted()).toBe(1);
    expect((await syncRows(h)).length).toBe(before);
    expect(h.notifications).toEqual([]);
  });

  it('lists each refused task with its problem and fix in one dialog, then sends the others', async () => {
    h.mark();
    const outcome = await Commands.readyToSyncFromGrid(selection(3, 0), undefined, msdyn_projecttask.logicalName, undefined);
    expect(h.counted()).toBe(2);

    expect(h.dialogs).toHaveLength(1);
    const dialog = h.dialogs[0] as Harness['dialogs'][number];
    expect(dialog.kind).toBe('confirm');
    expect(dialog.title).toBe('Some tasks can’t go to the field');
    expect(dialog.confirmLabel).toBe('Send the other 3 tasks');
    expect(dialog.cancelLabel).toBe('Cancel');
    expect(dialog.text.startsWith('4 tasks can’t go to the field. Fix them, then mark them Ready to Sync again:\n')).toBe(true);
    // The exact sentence for one of them: the task, the problem, the fix.
    expect(dialog.text).toContain(`• Task “${invalid.noEffort.subject}” has no estimated effort — set Effort on the task to the hours of work it needs`);

    const codes = Object.fromEntries(outcome.failed.map((f) => [f.taskId, f.issues.filter((i) => i.severity === 'error').map((i) => i.code)]));
    expect(codes).toEqual({
      [invalid.noEffort.id]: ['missingEffort'],
      [invalid.unmappedRole.id]: ['roleWithoutWorkOrderType'],
      [invalid.noResource.id]: ['noGenericResource'],
      [invalid.endBeforeStart.id]: ['endBeforeStart'],
    });
    // Every error of every refused task is in the dialog as the domain words it (message and fix).
    for (const f of outcome.failed) {
      for (const issue of f.issues.filter((i) => i.severity === 'error')) {
        expect(dialog.text).toContain(`• ${formatValidationIssue(issue)}`);
        // The fix as the domain words it (its first letter in lower case mid-sentence).
        expect(dialog.text.toLowerCase()).toContain((VALIDATION_MESSAGES[1033].templates[issue.code].fix.split('{')[0] as string).toLowerCase());
      }
    }
    expect(outcome.queued.map((t) => t.taskId)).toEqual(valid.slice(0, 3).map((t) => t.id));
    const written = (await syncRows(h)).map((r) => r['_pfb_projecttask_value']);
    for (const t of valid.slice(0, 3)) expect(written).toContain(t.id);
    for (const t of Object.values(invalid)) expect(written).not.toContain(t.id);
    expect(h.notifications).toEqual([{ level: 3, message: '3 tasks marked Ready to Sync: their work orders will be created shortly. 4 tasks not sent: fix the problems shown and mark them again.' }]);
  });

  it('when no task can go, says why for each and writes nothing', async () => {
    h.mark();
    const outcome = await Commands.readyToSyncFromGrid(selection(0, 0), undefined, msdyn_projecttask.logicalName, undefined);
    expect(outcome.status).toBe('nothingToDo');
    expect(h.counted()).toBe(1);
    expect(h.dialogs).toEqual([expect.objectContaining({ kind: 'alert', title: 'No task can go to the field' })]);
    expect(h.dialogs[0]?.text).toContain(`Task “${invalid.noResource.subject}” has no generic resource (role) assigned`);
  });

  it('a Dataverse refusal of the write is shown readably (the task, the cause, the next step) and nothing is written', async () => {
    const [gone, ...others] = valid.slice(10, 13) as unknown as [{ id: string; name: string }, ...{ id: string; name: string }[]];
    // The task disappears while the user reads the dialog: the change set's binding to it fails in Dataverse.
    h.whileConfirmOpen = () => void h.dv.dataverse.store.delete(msdyn_projecttask.logicalName, gone.id);
    h.mark();
    const outcome = await Commands.readyToSyncFromGrid([gone, ...others].map((t) => braced(t.id)).concat(braced(invalid.noEffort.id)), undefined, msdyn_projecttask.logicalName, undefined);
    expect(outcome.status).toBe('failed');
    expect(outcome.queued).toEqual([]);
    expect(h.counted()).toBe(2);
    const alert = h.dialogs.find((d) => d.kind === 'alert');
    expect(alert?.title).toBe('Ready to Sync failed');
    expect(alert?.text).toBe(
      [
        'Nothing was marked Ready to Sync: Dataverse refused the change, so none of the 3 tasks was queued.',
        `It concerns task “${gone.name}”.`,
        `Cause: msdyn_projecttask With Id = ${gone.id} Does Not Exist (error 0x80040217)`,
        'A record it needs was deleted or is no longer shared with you. Refresh the list, check the task still exists, then try again.',
      ].join('\n\n'),
    );
    // Atomic: the other valid tasks were not queued either.
    const written = (await syncRows(h)).map((r) => r['_pfb_projecttask_value']);
    for (const t of others) expect(written).not.toContain(t.id);
    expect(h.notifications).toEqual([]);
    expect(h.progress[h.progress.length - 1]).toBe('(closed)');
  });

  it('the project form’s Sync all ready tasks sends every leaf task not yet in the field, and lists the ones that cannot go', async () => {
    const projectId = invalid.noEffort.id ? (await rows(h, TASKS, `$select=_msdyn_project_value&$filter=msdyn_projecttaskid eq ${invalid.noEffort.id}`))[0]?.['_msdyn_project_value'] as string : '';
    const projectTasks = await leafTasks(h, ` and _msdyn_project_value eq ${projectId}`);
    const already = new Set((await syncRows(h)).map((r) => r['_pfb_projecttask_value'] as string));
    const form = { data: { entity: { getId: () => braced(projectId), getEntityName: () => 'msdyn_project', getPrimaryAttributeValue: () => 'New England' }, refresh: jest.fn(async () => undefined) }, ui: { refreshRibbon: jest.fn() } };
    h.mark();
    await expect(Commands.canSyncProject(form)).resolves.toBe(true);
    const outcome = await Commands.syncAllReadyTasks(form);
    expect(h.counted()).toBe(3); // the enable rule's read, the command's read, the write
    expect(outcome.status).toBe('completed');
    expect(outcome.failed.map((f) => f.taskId).sort()).toEqual(Object.values(invalid).map((t) => t.id).sort());
    const expected = projectTasks.filter((t) => !already.has(t.id) && !Object.values(invalid).some((i) => i.id === t.id)).map((t) => t.id);
    expect(outcome.queued.map((t) => t.taskId).sort()).toEqual(expected.sort());
    expect(h.progress[0]).toBe('Reading the tasks of project “New England”…');
    expect(form.data.refresh).toHaveBeenCalledWith(false);
    // Nothing is left to send but the four that cannot go: the rule now says so without asking Dataverse again.
    h.mark();
    await expect(Commands.canSyncProject(form)).resolves.toBe(true);
    expect(h.counted()).toBe(0);
  });

  it('Cancel field work: cancels queued tasks, leaves the others, and writes nothing when the user keeps the work', async () => {
    const queued = (await syncRows(h)).filter((r) => r['pfb_syncstatus'] === SyncStatus.ReadyToSync).slice(0, 2).map((r) => r['_pfb_projecttask_value'] as string);
    const withRow = new Set((await syncRows(h)).map((r) => r['_pfb_projecttask_value'] as string));
    const never = valid.find((t) => !withRow.has(t.id) && t.id !== valid[10]?.id) as { id: string; name: string };
    expect(never).toBeDefined();

    h.answers = [false];
    h.mark();
    const kept = await Commands.cancelFieldWorkFromGrid([...queued, never.id].map(braced));
    expect(kept.status).toBe('cancelled');
    expect(h.http.lines()).toEqual(['GET msdyn_projecttasks']);

    h.mark();
    const grid = { refresh: jest.fn() };
    const outcome = await Commands.cancelFieldWorkFromGrid([...queued, never.id].map(braced), grid);
    expect(h.http.lines()).toEqual(['GET msdyn_projecttasks', 'POST $batch']);
    expect(outcome.cancelled.map((t) => t.taskId)).toEqual(queued);
    expect(outcome.skipped).toEqual([{ taskId: never.id, taskName: never.name, reason: `Task “${never.name}” was never sent to the field` }]);
    const confirm = h.dialogs.filter((d) => d.kind === 'confirm').pop();
    expect(confirm?.text).toBe(
      ['Cancel the field work of 2 tasks? Their work orders that have not started are cancelled; work already started goes on.', '', 'Left as they are:', `• Task “${never.name}” was never sent to the field`].join('\n'),
    );
    expect(confirm?.confirmLabel).toBe('Cancel field work');
    const statuses = new Map((await syncRows(h)).map((r) => [r['_pfb_projecttask_value'], r['pfb_syncstatus']]));
    for (const id of queued) expect(statuses.get(id)).toBe(SyncStatus.Cancelled);
    expect(grid.refresh).toHaveBeenCalledTimes(1);
  });

  it('the privilege rule: Create and Write on pfb_tasksync, read once per page', async () => {
    h.privileges = ['prvReadpfb_tasksync', 'prvCreatepfb_tasksync'];
    await expect(Commands.canRequestSync()).resolves.toBe(false);
    reset(h);
    h.privileges = ['prvCreatepfb_tasksync', 'prvWritepfb_tasksync', 'prvReadmsdyn_projecttask'];
    await expect(Commands.canRequestSync()).resolves.toBe(true);
    // Cached for the page: changing the user's roles needs a new page (or the sandbox's reset).
    h.privileges = [];
    await expect(Commands.canRequestSync()).resolves.toBe(true);
  });

  it('the task form: Ready to Sync from the form (PrimaryControl), and its form script shows the status', async () => {
    const withRow = new Set((await syncRows(h)).map((r) => r['_pfb_projecttask_value'] as string));
    const task = valid.filter((t) => !withRow.has(t.id) && t.id !== valid[10]?.id)[1] as { id: string; name: string };
    const notifications: { message: string; level: string; id: string }[] = [];
    const onLoad: (() => void)[] = [];
    const form = {
      data: {
        entity: { getId: () => braced(task.id), getEntityName: () => 'msdyn_projecttask' },
        refresh: jest.fn(async () => onLoad.forEach((f) => f())),
        addOnLoad: (f: () => void) => onLoad.push(f),
      },
      ui: {
        setFormNotification: (message: string, level: string, id: string) => notifications.push({ message, level, id }),
        clearFormNotification: (id: string) => {
          const i = notifications.findIndex((n) => n.id === id);
          if (i >= 0) notifications.splice(i, 1);
        },
        refreshRibbon: jest.fn(),
      },
    };
    await projectTaskOnLoad({ getFormContext: () => form } as unknown as Xrm.Events.EventContext);
    expect(notifications).toEqual([]);
    await expect(Commands.canMarkFormTask(form)).resolves.toBe(true);
    await expect(Commands.canCancelFormTask(form)).resolves.toBe(false);

    const outcome = await Commands.readyToSyncFromForm(form);
    expect(outcome.queued).toEqual([{ taskId: task.id, taskName: task.name }]);
    expect(form.data.refresh).toHaveBeenCalledWith(false);
    expect(form.ui.refreshRibbon).toHaveBeenCalled();
    // The form's data reload ran the script's handler, which read the new row.
    await new Promise((r) => setTimeout(r, 100));
    expect(notifications).toEqual([{ id: 'pfb_syncstatus', level: 'INFO', message: expect.stringMatching(/^Ready to Sync: queued for the field on .+\. Its work orders will be created shortly\.$/) }]);
    await expect(Commands.canMarkFormTask(form)).resolves.toBe(false);
    await expect(Commands.canCancelFormTask(form)).resolves.toBe(true);
  });
});

describe('service protection limits', () => {
  let h: Harness;
  // $metadata (at start) and the read pass; the write is the third request in the window and is refused.
  beforeAll(async () => {
    h = await startHarness({ seed: 'telecom', limits: { ...REAL_LIMITS, requests: 2 } });
  });
  afterAll(() => h?.close());
  beforeEach(() => reset(h));

  it('a 429 tells the coordinator how long to wait, and nothing is written', async () => {
    const [task] = (await leafTasks(h)).filter((t) => !Object.values(TELECOM_INVALID_TASKS).some((i) => i.id === t.id));
    const outcome = await Commands.readyToSyncFromGrid([braced((task as { id: string }).id)], undefined, msdyn_projecttask.logicalName, undefined);
    expect(outcome.status).toBe('failed');
    const alert = h.dialogs.find((d) => d.kind === 'alert');
    expect(alert?.text).toMatch(/Cause: Number of requests exceeded the limit of 2 over time window of 300 seconds\. \(error 0x80072322\)/);
    expect(alert?.text).toMatch(/Dataverse is limiting how many requests you can make right now\. Wait \d+ seconds, then try again\./);
    expect(h.dv.server.stats.throttled).toBe(1);
  });
});
