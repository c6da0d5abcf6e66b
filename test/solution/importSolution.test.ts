/**
 * ImportSolution into an empty local Dataverse — an organization with Microsoft's tables and no product — over HTTP
 * as a client (or pac) sends it: the schema it creates is the schema module's, to the column; every component lands
 * as the row Dataverse keeps it in; importing again changes nothing; bad files and conflicts are refused with nothing
 * imported. Then the bridge's task sync runs on the imported schema.
 */
import { randomUUID } from 'node:crypto';
import {
  SyncStatus,
  WorkOrderSystemStatus,
  bookableresourcebooking,
  msdyn_workorder,
  pfb_tasksync,
  schema,
  sdkmessageprocessingstep,
  sdkmessageprocessingstepimage,
  serviceendpoint,
} from '@pfb/domain';
import { LocalDataverse, platformBaseline, type RunningDataverse } from '@pfb/sandbox';
import { BRIDGE_ROLE, COORDINATOR_ROLE, PLACEHOLDER_BRIDGE_ORIGIN, STEPS, endpointUrl, SERVICE_ENDPOINTS, zipFiles, unzipFiles } from '@pfb/solution';
import { rolePrivileges } from '../../solution/src/render/componentXml';
import { importSolution as importInProcess } from '../../sandbox/dataverse/src/solutions/importSolution';
import { SANDBOX_ADMIN } from '../../sandbox/dataverse/src/start';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { syncTasks } from '../../functions-bridge/src/services/taskSync/syncTasks';
import { clientFor, expectedPlan, leafTaskIds, markReadyToSync, workOrdersOfTask } from '../../functions-bridge/src/services/taskSync/testSupport';
import { client, startTestDataverse, type Client } from '../support/sandbox';
import { importSolution, productPackages, relationshipsOf, tableContract } from './support';

let dv: RunningDataverse;
let api: Client;
const JOB = randomUUID();

beforeAll(async () => {
  dv = await startTestDataverse({ solution: 'none' });
  api = client(dv.url);
});
afterAll(() => dv.close());

const rows = async (path: string): Promise<Record<string, unknown>[]> => {
  const r = await api.get(path);
  expect([path, r.status]).toEqual([path, 200]);
  return r.json<{ value: Record<string, unknown>[] }>().value;
};
const count = async (set: string): Promise<number> => (await rows(`${set}?$select=createdon`)).length;

describe('an organization without the product', () => {
  it('has no pfb_ tables and no pfb_ columns on Microsoft\'s tables', async () => {
    expect((await api.get(`${pfb_tasksync.entitySetName}?$top=1`)).status).toBe(404);
    expect((await api.get(`${msdyn_workorder.entitySetName}?$select=pfb_sourcekey&$top=1`)).status).toBe(400);
    expect(dv.dataverse.schema.table(bookableresourcebooking.logicalName)?.columns['pfb_fieldstage']).toBeUndefined();
  });
});

describe('ImportSolution of the product package', () => {
  beforeAll(async () => {
    const r = await importSolution(api, productPackages().unmanaged.zip, JOB);
    expect([r.status, r.text]).toEqual([204, '']);
  });

  it('creates our tables and adds our columns and keys exactly as the schema module declares them', () => {
    for (const t of schema.tables) {
      const live = dv.dataverse.schema.table(t.logicalName);
      expect(live ? tableContract(live) : `missing ${t.logicalName}`).toEqual(tableContract(t));
    }
  });

  it('gives every lookup its relationship and navigation properties exactly as the schema module derives them', () => {
    const ours = new Set(schema.tables.map((t) => t.logicalName));
    const live = relationshipsOf(dv.dataverse.schema).filter((r) => ours.has(r.split('|')[1] as string) && ours.has(r.split('|')[3] as string));
    expect(live).toEqual(relationshipsOf(schema));
  });

  it('serves the new tables: $metadata declares them, queries and alternate keys answer', async () => {
    const metadata = await api.get('$metadata', { Accept: 'application/xml' });
    expect(metadata.text).toContain(`<EntitySet Name="${pfb_tasksync.entitySetName}" EntityType="Microsoft.Dynamics.CRM.pfb_tasksync"`);
    expect(metadata.text).toContain('<Property Name="pfb_sourcekey" Type="Edm.String"');
    expect((await api.get(`${pfb_tasksync.entitySetName}?$select=pfb_name,pfb_syncstatus&$top=1`)).status).toBe(200);
    expect((await api.get(`${msdyn_workorder.entitySetName}(pfb_sourcekey='no-such-key')?$select=pfb_sourcekey`)).status).toBe(404);
  });

  it('records the solution, its publisher, its components and the import job', async () => {
    const [solution] = await rows(`solutions?$select=uniquename,version,ismanaged&$filter=uniquename eq 'ProjectFieldBridge'&$expand=publisherid($select=customizationprefix,customizationoptionvalueprefix)`);
    expect(solution).toMatchObject({ uniquename: 'ProjectFieldBridge', version: productPackages().contents.manifest.version, ismanaged: false });
    expect(solution?.['publisherid']).toMatchObject({ customizationprefix: 'pfb', customizationoptionvalueprefix: 72431 });
    const job = (await api.get(`importjobs(${JOB})?$select=solutionname,progress,completedon,data`)).json();
    expect(job).toMatchObject({ solutionname: 'ProjectFieldBridge', progress: 100 });
    expect(String(job['data'])).toMatch(/<result result="success"/);
    expect(await count('solutioncomponents')).toBeGreaterThan(20);
  });

  it('creates the web resources with their content, and the organization serves them at /WebResources/<name>', async () => {
    const origin = dv.url.replace(/\/api\/data\/v9\.2$/, '');
    const [commands] = await rows(`webresourceset?$select=name,webresourcetype,content&$filter=name eq 'pfb_/scripts/commands.js'`);
    expect(commands?.['webresourcetype']).toBe(3);
    const served = await fetch(`${origin}/WebResources/pfb_/scripts/commands.js`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^text\/javascript/);
    const body = await served.text();
    expect(body).toBe(Buffer.from(String(commands?.['content']), 'base64').toString('utf8'));
    expect(body).toContain('pfb.commands');
    expect((await fetch(`${origin}/%7B639000000000000000%7D/WebResources/PFB_/scripts/forms.js`)).status).toBe(200);
    expect((await fetch(`${origin}/WebResources/pfb_/scripts/none.js`)).status).toBe(404);
  });

  it('creates the code components, their bundle and strings as cc_ web resources', async () => {
    const controls = await rows('customcontrols?$select=name,version,manifest');
    expect(controls.map((c) => c['name']).sort()).toEqual(['pfb_ProjectFieldBridge.BookingProgressPanel', 'pfb_ProjectFieldBridge.WbsWorkOrderGrid']);
    expect(String(controls[0]?.['manifest'])).toMatch(/<platform-library name="React" version="16.14.0" \/>/);
    const resources = (await rows(`webresourceset?$select=name&$filter=startswith(name,'cc_')`)).map((r) => r['name']).sort();
    expect(resources).toContain('cc_pfb_ProjectFieldBridge.WbsWorkOrderGrid/bundle.js');
    expect(resources).toContain('cc_pfb_ProjectFieldBridge.WbsWorkOrderGrid/strings/WbsWorkOrderGrid.1033.resx');
  });

  it('creates the environment variable definitions, with no values (setup sets them)', async () => {
    const defs = await rows('environmentvariabledefinitions?$select=schemaname,type,isrequired');
    expect(defs.map((d) => [d['schemaname'], d['type'], d['isrequired']]).sort()).toEqual([
      ['pfb_BridgeUrl', 100000000, true],
      ['pfb_MobilityAppUrl', 100000000, false],
    ]);
    expect(await rows('environmentvariablevalues?$select=value')).toEqual([]);
  });

  it('creates the webhook endpoints (placeholder URL, no key) and their asynchronous post-operation steps and images', async () => {
    for (const e of SERVICE_ENDPOINTS) {
      const row = (await api.get(`${serviceendpoint.entitySetName}(${e.id})?$select=name,contract,authtype,url`)).json();
      expect(row).toMatchObject({ name: e.name, contract: 8, authtype: 4, url: endpointUrl(PLACEHOLDER_BRIDGE_ORIGIN, e) });
    }
    for (const s of STEPS) {
      const step = (
        await api.get(`${sdkmessageprocessingstep.entitySetName}(${s.id})?$select=name,stage,mode,filteringattributes,asyncautodelete,statecode&$expand=sdkmessageid($select=name),sdkmessagefilterid($select=primaryobjecttypecode)`)
      ).json();
      expect(step).toMatchObject({ stage: 40, mode: 1, asyncautodelete: true, statecode: 0, filteringattributes: s.filteringAttributes.join(',') || null });
      expect(step['sdkmessageid']).toMatchObject({ name: s.message });
      expect(step['sdkmessagefilterid']).toMatchObject({ primaryobjecttypecode: s.table.logicalName });
      const images = await rows(`${sdkmessageprocessingstepimage.entitySetName}?$select=entityalias,imagetype,attributes&$filter=_sdkmessageprocessingstepid_value eq ${s.id}`);
      expect(images.map((i) => [i['entityalias'], i['imagetype'], i['attributes']])).toEqual(s.images.map((i) => [i.alias, i.type, i.attributes.join(',')]));
    }
  });

  it('creates both security roles with exactly their privileges and depths', async () => {
    for (const role of [COORDINATOR_ROLE, BRIDGE_ROLE]) {
      const granted = await rows(`roleprivilegescollection?$select=privilegedepthmask&$filter=_roleid_value eq ${role.id}&$expand=privilegeid($select=name)`);
      const depth: Record<string, number> = { Basic: 1, Local: 2, Deep: 4, Global: 8 };
      expect(granted.map((g) => `${String((g['privilegeid'] as { name: string }).name)}:${String(g['privilegedepthmask'])}`).sort()).toEqual(
        rolePrivileges(role).map((p) => `${p.name}:${depth[p.level] as number}`).sort(),
      );
    }
  });

  it('importing the same package again updates in place: no second table, component or row', async () => {
    const sets = ['webresourceset', 'customcontrols', 'environmentvariabledefinitions', 'serviceendpoints', 'sdkmessageprocessingsteps', 'sdkmessageprocessingstepimages', 'roles', 'roleprivilegescollection', 'solutions', 'solutioncomponents', 'sdkmessagefilters', 'privileges'];
    const before = await Promise.all(sets.map(count));
    const r = await importSolution(api, productPackages().unmanaged.zip);
    expect(r.status).toBe(204);
    expect(await Promise.all(sets.map(count))).toEqual(before);
    expect(await count('importjobs')).toBe(2);
    for (const t of schema.tables) expect(tableContract(dv.dataverse.schema.table(t.logicalName) as never)).toEqual(tableContract(t));
  });

  it('refuses the managed package over the unmanaged solution, and imports nothing', async () => {
    const r = await importSolution(api, productPackages().managed.zip);
    expect(r.status).toBe(400);
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(/already installed on this system as an unmanaged solution and the package you are trying to install is managed/);
    expect((await rows(`solutions?$select=ismanaged&$filter=uniquename eq 'ProjectFieldBridge'`))[0]?.['ismanaged']).toBe(false);
  });

  it('the bridge syncs the telecom program on the imported schema: work orders as planned, invalid tasks Failed', async () => {
    dv.loadProgram('telecom');
    const bridge = clientFor(dv);
    const rowOf = await markReadyToSync(bridge, dv, leafTaskIds(dv));
    const outcomes = await syncTasks([...rowOf.values()], { dataverse: bridge, settings: { PLANNING_POLICY: 'perDay' } });
    expect(outcomes.size).toBe(rowOf.size);
    const invalid = new Set(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
    let workOrders = 0;
    for (const [taskId, rowId] of rowOf) {
      const row = dv.dataverse.store.get(pfb_tasksync.logicalName, rowId);
      if (invalid.has(taskId)) {
        expect(row?.['pfb_syncstatus']).toBe(SyncStatus.Failed);
        continue;
      }
      const plan = expectedPlan(dv, taskId);
      const created = workOrdersOfTask(dv, taskId);
      expect(created.map((w) => w['pfb_sourcekey'])).toEqual(plan.slots.map((s) => s.key));
      expect(created.every((w) => w['msdyn_systemstatus'] === WorkOrderSystemStatus.Unscheduled)).toBe(true);
      expect(row?.['pfb_syncstatus']).toBe(SyncStatus.Synced);
      workOrders += created.length;
    }
    expect(workOrders).toBeGreaterThan(40);
  });
});

describe('refusals', () => {
  let empty: RunningDataverse;
  let emptyApi: Client;
  beforeAll(async () => {
    empty = await startTestDataverse({ solution: 'none' });
    emptyApi = client(empty.url);
  });
  afterAll(() => empty.close());

  const message = async (r: Promise<{ status: number; json<T>(): T }>): Promise<[number, string]> => {
    const res = await r;
    return [res.status, res.json<{ error: { message: string } }>().error.message];
  };

  it('missing parameters, a file that is not base64, a zip that is not a solution', async () => {
    const zip = productPackages().unmanaged.zip;
    const body = { CustomizationFile: Buffer.from(zip).toString('base64'), OverwriteUnmanagedCustomizations: true, PublishWorkflows: false, ImportJobId: randomUUID() };
    expect(await message(emptyApi.post('ImportSolution', { ...body, CustomizationFile: undefined }))).toEqual([
      400,
      "The parameter 'CustomizationFile' of type 'Edm.Binary' is required for the action 'ImportSolution' and was not provided.",
    ]);
    expect((await message(emptyApi.post('ImportSolution', { ...body, ImportJobId: undefined })))[1]).toMatch(/'ImportJobId' of type 'Edm.Guid' is required/);
    expect((await message(emptyApi.post('ImportSolution', { ...body, CustomizationFile: 'not base64 at all!' })))[1]).toMatch(/Edm.Binary/);
    const notSolution = zipFiles([['readme.txt', new Uint8Array(Buffer.from('hello'))]]);
    expect((await message(emptyApi.post('ImportSolution', { ...body, CustomizationFile: Buffer.from(notSolution).toString('base64') })))[1]).toMatch(
      /^The solution file is invalid\. The compressed file must contain the following files at its root: solution\.xml, customizations\.xml, and \[Content_Types\]\.xml\./,
    );
    expect((await emptyApi.get(`${pfb_tasksync.entitySetName}?$top=1`)).status).toBe(404);
  });

  it('a role naming a privilege the organization lacks fails the import and leaves no trace: no table, no column, no solution', async () => {
    const files = unzipFiles(productPackages().unmanaged.zip);
    const customizations = Buffer.from(files.get('customizations.xml') as Uint8Array).toString('utf8').replace('<RolePrivileges>', '<RolePrivileges><RolePrivilege name="prvReadnot_a_table" level="Global" />');
    files.set('customizations.xml', new Uint8Array(Buffer.from(customizations)));
    const [status, text] = await message(importSolution(emptyApi, zipFiles([...files.entries()])));
    expect(status).toBe(400);
    expect(text).toMatch(/the privilege prvReadnot_a_table does not exist in this organization/);
    expect((await emptyApi.get(`${pfb_tasksync.entitySetName}?$top=1`)).status).toBe(404);
    expect(empty.dataverse.schema.table(msdyn_workorder.logicalName)?.columns['pfb_sourcekey']).toBeUndefined();
    expect((await emptyApi.get(`solutions?$select=uniquename`)).json<{ value: unknown[] }>().value).toEqual([]);
    // The same organization still takes the sound package afterwards.
    expect((await importSolution(emptyApi, productPackages().unmanaged.zip)).status).toBe(204);
  });

  const tampered = (file: string, change: (text: string) => string): Uint8Array => {
    const files = unzipFiles(productPackages().unmanaged.zip);
    files.set(file, new Uint8Array(Buffer.from(change(Buffer.from(files.get(file) as Uint8Array).toString('utf8')))));
    return zipFiles([...files.entries()]);
  };

  it('custom names must carry the publisher\'s prefix, and choice values its option value range', async () => {
    const otherPrefix = tampered('solution.xml', (t) => t.replace('<CustomizationPrefix>pfb</CustomizationPrefix>', '<CustomizationPrefix>abc</CustomizationPrefix>'));
    expect(await message(importSolution(emptyApi, otherPrefix))).toEqual([400, expect.stringMatching(/does not start with the publisher's customization prefix abc_\./)]);
    const otherRange = tampered('solution.xml', (t) => t.replace(/<CustomizationOptionValuePrefix>\d+</, '<CustomizationOptionValuePrefix>10000<'));
    expect(await message(importSolution(emptyApi, otherRange))).toEqual([400, expect.stringMatching(/outside the publisher's option value range 100000000–100009999/)]);
    // Nothing of either attempt stayed: the publisher is as the sound import left it.
    expect((await emptyApi.get('publishers?$select=customizationprefix,customizationoptionvalueprefix')).json<{ value: unknown[] }>().value).toEqual([
      expect.objectContaining({ customizationprefix: 'pfb', customizationoptionvalueprefix: 72431 }),
    ]);
  });

  it('$metadata declares the action with its parameters', async () => {
    const metadata = (await emptyApi.get('$metadata', { Accept: 'application/xml' })).text;
    expect(metadata).toContain('<ActionImport Name="ImportSolution" Action="Microsoft.Dynamics.CRM.ImportSolution"');
    expect(metadata).toMatch(/<Action Name="ImportSolution">\s*<Parameter Name="OverwriteUnmanagedCustomizations" Type="Edm.Boolean" Nullable="false"/);
  });

  it('an organization without Field Service: the import names the missing dependency', () => {
    const withoutFieldService = platformBaseline({ solutionFramework: true }).filter((t) => t.origin !== 'fieldservice');
    const org = new LocalDataverse({ db: ':memory:', schema: { tables: withoutFieldService } as never });
    try {
      expect(() =>
        org.atomic(() => importInProcess(org, org.metadata, productPackages().unmanaged.zip, { overwriteUnmanagedCustomizations: true, publishWorkflows: false }, org.newOperationContext(SANDBOX_ADMIN, undefined, true))),
      ).toThrow(/msdyn_workorder.*(not in this organization|does not have)/);
      expect(org.schema.table(pfb_tasksync.logicalName)).toBeUndefined();
    } finally {
      org.close();
    }
  });
});
