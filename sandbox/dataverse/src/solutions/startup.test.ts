/**
 * The local Dataverse gets the product by importing the package when it starts, as a real organization does; a
 * database file keeps what was imported (metadata and rows) across restarts, imports a changed package again and
 * leaves an unchanged one alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pfb_tasksync, schema } from '@pfb/domain';
import { solutionPackage } from '@pfb/solution';
import { startDataverse } from '../start';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-startup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const headers = { Authorization: 'Bearer t', Accept: 'application/json' };

it('by default the organization offers exactly the schema module\'s tables, the pfb_ ones imported', async () => {
  const dv = await startDataverse({ limits: null });
  try {
    expect([...(dv.imported?.tablesCreated ?? [])].sort()).toEqual(schema.tables.filter((t) => t.origin === 'pfb').map((t) => t.logicalName).sort());
    expect(dv.dataverse.schema.tables.map((t) => t.entitySetName).sort()).toEqual(schema.tables.map((t) => t.entitySetName).sort());
    // No solution framework here: web resources are not served.
    const res = await fetch(`${dv.url.replace(/\/api\/data\/v9\.2$/, '')}/WebResources/pfb_/scripts/commands.js`);
    expect(res.status).toBe(404);
  } finally {
    await dv.close();
  }
});

it('a database file keeps the imported tables and rows across restarts, and an unchanged package is not imported again', async () => {
  const db = path.join(dir, 'org.db');
  const first = await startDataverse({ db, seed: 'telecom', limits: null, solution: 'package' });
  const count = first.dataverse.store.count('msdyn_projecttask', '', []);
  const created = await fetch(`${first.url}/${pfb_tasksync.entitySetName}`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      pfb_name: 'Survives',
      pfb_syncstatus: 724310000,
      'pfb_projecttask@odata.bind': `/msdyn_projecttasks(${first.dataverse.store.select('msdyn_projecttask', '', [], 'LIMIT 1')[0]?.['msdyn_projecttaskid'] as string})`,
    }),
  });
  expect(created.status).toBe(204);
  expect(first.imported).toBeDefined();
  await first.close();

  const second = await startDataverse({ db, seed: 'telecom', limits: null, solution: 'package' });
  try {
    expect(second.imported).toBeUndefined();
    expect(second.dataverse.store.count('msdyn_projecttask', '', [])).toBe(count);
    const rows = (await (await fetch(`${second.url}/${pfb_tasksync.entitySetName}?$select=pfb_name`, { headers })).json()) as { value: { pfb_name: string }[] };
    expect(rows.value.map((r) => r.pfb_name)).toEqual(['Survives']);
    expect(second.dataverse.schema.table('msdyn_workorder')?.columns['pfb_sourcekey']?.addedBySolution).toBe(true);
  } finally {
    await second.close();
  }

  // A changed package (here: with its webhook registration) is imported on the next start.
  const third = await startDataverse({ db, seed: 'telecom', limits: null, solution: solutionPackage('full') });
  try {
    expect(third.imported?.steps).toBe(5);
    expect(third.imported?.tablesCreated).toEqual([]);
    const steps = (await (await fetch(`${third.url}/sdkmessageprocessingsteps?$select=name&$filter=startswith(name,'Project Field Bridge')`, { headers })).json()) as { value: unknown[] };
    expect(steps.value).toHaveLength(5);
  } finally {
    await third.close();
  }
});

it('refuses to seed a program into an organization without the solution, and says what to do', async () => {
  await expect(startDataverse({ seed: 'telecom', limits: null, solution: 'none' })).rejects.toThrow(/fills pfb_ columns.*start with solution 'schema', 'package' or 'full'/);
});
