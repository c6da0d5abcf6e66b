/**
 * The bridge's security role against the bridge's code: every table a service addresses through the Web API
 * (`<table>.entitySetName` in functions-bridge/src/services) has a grant, and the role stays least-privilege —
 * organization-wide (an application user works across business units), and never Delete, Assign or Share, which no
 * service does. A service that starts touching a new table fails this test until the role covers it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { schema } from '@pfb/domain';
import { BRIDGE_ROLE, COORDINATOR_ROLE } from '@pfb/solution';

const SERVICES = path.resolve(__dirname, '../../functions-bridge/src/services');
/**
 * Modules that run as another identity: the optional schedule write-back calls the Project schedule APIs, which
 * application users cannot call, so it signs in as a Project-licensed service user (its own Project roles).
 */
const OTHER_IDENTITY = new Set(['fieldEvents/scheduleWriteBack.ts']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    const own = e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'testSupport.ts' && !OTHER_IDENTITY.has(path.relative(SERVICES, full).split(path.sep).join('/'));
    return own ? [full] : [];
  });
}

/** Tables the services address by entity set. */
function addressedTables(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sources(SERVICES)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b([a-z][a-z0-9_]*)\.entitySetName\b/g)) {
      const table = schema.table(m[1] as string);
      if (table) out.set(table.logicalName, [...(out.get(table.logicalName) ?? []), path.relative(SERVICES, file)]);
    }
  }
  return out;
}

it('finds the tables the services address (the scan works)', () => {
  const tables = addressedTables();
  for (const t of ['pfb_tasksync', 'msdyn_workorder', 'bookableresourcebooking']) expect([...tables.keys()]).toContain(t);
});

it('every table a bridge service addresses is granted to the bridge role', () => {
  const granted = new Set(BRIDGE_ROLE.grants.map((g) => g.table.logicalName));
  const missing = [...addressedTables()].filter(([t]) => !granted.has(t)).map(([t, files]) => `${t} (${[...new Set(files)].join(', ')})`);
  expect(missing).toEqual([]);
});

it('the bridge role is organization-wide and never deletes, assigns or shares', () => {
  for (const g of BRIDGE_ROLE.grants) {
    expect([g.table.logicalName, g.level]).toEqual([g.table.logicalName, 'Global']);
    for (const right of ['Delete', 'Assign', 'Share']) expect(g.rights).not.toContain(right);
    expect(g.why.length).toBeGreaterThan(10);
  }
});

it('the coordinator role reads project data and writes only task sync rows', () => {
  const writes = COORDINATOR_ROLE.grants.filter((g) => g.rights.some((r) => r === 'Create' || r === 'Write' || r === 'Delete'));
  expect([...new Set(writes.map((g) => g.table.logicalName))]).toEqual(['pfb_tasksync']);
  for (const t of ['msdyn_project', 'msdyn_projecttask', 'msdyn_resourceassignment', 'msdyn_projectteam']) {
    expect(COORDINATOR_ROLE.grants.some((g) => g.table.logicalName === t && g.rights.includes('Read'))).toBe(true);
  }
});
