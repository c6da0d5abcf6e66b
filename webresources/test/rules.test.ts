/** Enable rules: answers well within the platform's 10 s, one read per selection, caches told what commands wrote. */
import { SyncStatus } from '@pfb/domain';
import type { WebApiPort } from '../src/platform/ports';
import { withDeadline } from '../src/rules/deadline';
import { createEnableRules, REQUIRED_PRIVILEGES } from '../src/rules/enableRules';
import { StateCache } from '../src/rules/stateCache';

const A = 'c0000000-0000-4000-8000-000000000001';
const B = 'c0000000-0000-4000-8000-000000000002';

/** A Web API that answers pfb_tasksync reads from a table of task → status, counting calls. */
function fakeWebApi(statuses: Record<string, number>, delayMs = 0): WebApiPort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    retrieveMultipleRecords: async (entity, options) => {
      calls.push(`${entity}${options}`);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const ids = [...options.matchAll(/"([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
      return { entities: ids.filter((id) => statuses[id] !== undefined).map((id) => ({ pfb_tasksyncid: id.replace('c', 'd'), pfb_syncstatus: statuses[id], _pfb_projecttask_value: id })) };
    },
    executeMultiple: async () => [],
  };
}

describe('withDeadline', () => {
  it('gives the work’s answer in time, the fallback when late or failed', async () => {
    await expect(withDeadline(Promise.resolve(false), 50, true)).resolves.toBe(false);
    await expect(withDeadline(new Promise((r) => setTimeout(() => r(false), 200)), 20, true)).resolves.toBe(true);
    await expect(withDeadline(Promise.reject(new Error('boom')), 50, true)).resolves.toBe(true);
  });
});

describe('StateCache', () => {
  it('reads a selection once (any order), again after its time to live, and not at all after remember()', async () => {
    let now = 0;
    const loads: string[][] = [];
    const cache = new StateCache(async (ids) => {
      loads.push([...ids]);
      return new Map(ids.map((id) => [id, null]));
    }, 1000, () => now);
    await cache.statuses([A, B]);
    await cache.statuses([B, A]);
    expect(loads).toHaveLength(1);
    cache.remember(new Map([[A, SyncStatus.ReadyToSync]]));
    expect((await cache.statuses([A, B])).get(A)).toBe(SyncStatus.ReadyToSync);
    expect(loads).toHaveLength(1);
    now = 1500;
    await cache.statuses([A, B]);
    expect(loads).toHaveLength(2);
  });

  it('does not remember a failed read', async () => {
    let fail = true;
    const cache = new StateCache(async (ids) => {
      if (fail) throw new Error('offline');
      return new Map(ids.map((id) => [id, null]));
    });
    await expect(cache.statuses([A])).rejects.toThrow('offline');
    fail = false;
    await expect(cache.statuses([A])).resolves.toEqual(new Map([[A, null]]));
  });
});

describe('createEnableRules', () => {
  it('state rules over the sync rows, with ids in any form the client API hands over', async () => {
    const api = fakeWebApi({ [A]: SyncStatus.ReadyToSync });
    const rules = createEnableRules({ webApi: api, privileges: async () => null });
    await expect(rules.canMarkTasks([`{${A.toUpperCase()}}`])).resolves.toBe(false);
    await expect(rules.canCancelTasks([A])).resolves.toBe(true);
    await expect(rules.canMarkTasks([A, B])).resolves.toBe(true);
    await expect(rules.canCancelTasks([B])).resolves.toBe(false);
    await expect(rules.canMarkTasks([])).resolves.toBe(false);
    expect(api.calls).toHaveLength(3);
  });

  it('answers true before the deadline when Dataverse is slow (the command then explains for itself)', async () => {
    const rules = createEnableRules({ webApi: fakeWebApi({}, 500), privileges: () => new Promise(() => undefined), deadlineMs: 30 });
    const started = Date.now();
    await expect(rules.canMarkTasks([A])).resolves.toBe(true);
    await expect(rules.canRequestSync()).resolves.toBe(true);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('the privilege rule needs Create and Write on pfb_tasksync (any case), and trusts the platform when it cannot tell', async () => {
    expect(REQUIRED_PRIVILEGES).toEqual(['prvCreatepfb_tasksync', 'prvWritepfb_tasksync']);
    const held = (names: string[] | null) => createEnableRules({ webApi: fakeWebApi({}), privileges: async () => (names ? new Set(names) : null) }).canRequestSync();
    await expect(held(['prvCreatepfb_tasksync'])).resolves.toBe(false);
    await expect(held(['prvCreatePFB_TaskSync', 'prvWritepfb_tasksync'])).resolves.toBe(true);
    await expect(held([])).resolves.toBe(false);
    await expect(held(null)).resolves.toBe(true);
  });
});

describe('form rules', () => {
  it('share the read under way between the form’s buttons, and read afresh on the next evaluation', async () => {
    const api = fakeWebApi({ [A]: SyncStatus.Synced }, 20);
    const rules = createEnableRules({ webApi: api, privileges: async () => null });
    await expect(Promise.all([rules.canMarkFormTask(`{${A.toUpperCase()}}`), rules.canCancelFormTask(A)])).resolves.toEqual([true, true]);
    expect(api.calls).toHaveLength(1);
    await rules.canMarkFormTask(A);
    expect(api.calls).toHaveLength(2);
    await expect(rules.canMarkFormTask('')).resolves.toBe(false);
  });
});
