/**
 * The local Dataverse's own capacity, so later benchmarks can tell the bridge's cost from the emulator's:
 * seeding, single-record writes, bulk and batch writes, and a 5,000-row page. Limits are off here (these are
 * raw-capacity figures); request counts are as Dataverse counts them ($batch and bulk = 1).
 */
import { startDataverse, type RunningDataverse } from '@pfb/sandbox';
import type { Results } from './results';

const auth = { Authorization: 'Bearer bench', 'Content-Type': 'application/json', Accept: 'application/json' };

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const result = await fn();
  return [result, performance.now() - t];
}

export async function benchLocalDataverse(quick: boolean): Promise<Results> {
  const results: Results = {};
  const scaleTasks = quick ? 5000 : 50_000;
  const [scaled, seedMs] = await timed(() => startDataverse({ seed: `scale:${scaleTasks}`, limits: null }));
  const taskCount = scaled.dataverse.store.count('msdyn_projecttask', '', []);
  results['dataverse.seedScaleSeconds'] = {
    value: round(seedMs / 1000, 2),
    unit: 's',
    notes: `start + seed scale:${scaleTasks} (${taskCount} tasks incl. summaries) into SQLite in memory`,
  };
  await scaled.close();

  const dv: RunningDataverse = await startDataverse({ seed: 'empty', limits: null });
  try {
    const n = quick ? 300 : 2000;
    const [, singleMs] = await timed(async () => {
      for (let i = 0; i < n; i += 1) {
        const res = await fetch(`${dv.url}/msdyn_workorders`, { method: 'POST', headers: auth, body: JSON.stringify({ pfb_sourcekey: `single:${i}`, msdyn_name: `WO ${i}` }) });
        if (res.status !== 204) throw new Error(`create failed: ${res.status}`);
      }
    });
    results['dataverse.singleCreatesPerSecond'] = {
      value: Math.round(n / (singleMs / 1000)),
      unit: 'creates/s',
      notes: `${n} sequential POST msdyn_workorders over HTTP (each also creates its resource requirement), limits off`,
    };

    const bulk = 1000;
    const targets = Array.from({ length: bulk }, (_, i) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_workorder', '@odata.id': `msdyn_workorders(pfb_sourcekey='bulk:${i}')`, msdyn_name: `Bulk ${i}` }));
    dv.server.resetStats();
    const [, bulkMs] = await timed(async () => {
      const res = await fetch(`${dv.url}/msdyn_workorders/Microsoft.Dynamics.CRM.UpsertMultiple`, { method: 'POST', headers: auth, body: JSON.stringify({ Targets: targets }) });
      if (res.status !== 204) throw new Error(`UpsertMultiple failed: ${res.status} ${await res.text()}`);
    });
    results['dataverse.upsertMultiple1000Ms'] = {
      value: Math.round(bulkMs),
      unit: 'ms',
      notes: `UpsertMultiple of ${bulk} work orders by alternate key in one request (${dv.server.stats.total} Dataverse request)`,
    };

    const [page, pageMs] = await timed(async () => {
      const res = await fetch(`${dv.url}/msdyn_workorders?$select=msdyn_name,pfb_sourcekey`, { headers: { ...auth, Prefer: 'odata.maxpagesize=5000' } });
      return (await res.json()) as { value: unknown[] };
    });
    results['dataverse.retrievePageMs'] = {
      value: Math.round(pageMs),
      unit: 'ms',
      notes: `one page of ${page.value.length} work orders with $select`,
    };
  } finally {
    await dv.close();
  }
  return results;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
