/** RESX strings, privileges and table metadata as the sandbox's Xrm reads them. */
import { parseResx, ResourceStrings } from '../src/context/resources';
import { privilegeIdOf, userPrivileges } from '../src/context/privileges';
import { parseCsdl } from '../src/webApi/metadata';
import { useTestDataverse } from '../../../test/support/sandbox';

describe('RESX and getResourceString', () => {
  const resx = `<?xml version="1.0" encoding="utf-8"?><root>
    <data name="greeting" xml:space="preserve"><value>Task “{taskName}” &amp; co &lt;ok&gt;</value></data>
    <data name="empty" xml:space="preserve"><value /></data>
  </root>`;

  it('reads the data values, entities decoded', () => {
    expect(parseResx(resx)).toEqual(new Map([['greeting', 'Task “{taskName}” & co <ok>'], ['empty', '']]));
  });

  it('uses the user’s language, then the base language; null for a missing key; throws for an unknown resource', () => {
    const strings = new ResourceStrings(1031, 1033);
    strings.add('pfb_/strings/ribbon', 1033, new Map([['a', 'English A'], ['b', 'English B']]));
    strings.add('pfb_/strings/ribbon', 1031, new Map([['a', 'Deutsch A']]));
    expect(strings.getResourceString('pfb_/strings/ribbon', 'a')).toBe('Deutsch A');
    expect(strings.getResourceString('pfb_/strings/ribbon', 'b')).toBe('English B');
    expect(strings.getResourceString('pfb_/strings/ribbon', 'c')).toBeNull();
    expect(() => strings.getResourceString('pfb_/strings/other', 'a')).toThrow('pfb_/strings/other does not exist.');
  });
});

describe('privileges', () => {
  it('holds what it is given, at its depth; case-insensitive names; stable ids', () => {
    const p = userPrivileges([{ name: 'prvCreatepfb_tasksync', depth: 'Local' }, 'prvReadmsdyn_projecttask'], 'bu-1', () => []);
    expect(p.has('prvcreatePFB_tasksync', 'Basic')).toBe(true);
    expect(p.has('prvCreatepfb_tasksync', 'Global')).toBe(false);
    expect(p.has('prvWritepfb_tasksync')).toBe(false);
    const info = Object.values(p.info());
    expect(info).toEqual([
      { id: privilegeIdOf('prvCreatepfb_tasksync'), businessUnitId: 'bu-1', privilegeName: 'prvCreatepfb_tasksync', depth: 1 },
      { id: privilegeIdOf('prvReadmsdyn_projecttask'), businessUnitId: 'bu-1', privilegeName: 'prvReadmsdyn_projecttask', depth: 3 },
    ]);
    expect(privilegeIdOf('prvCreatepfb_tasksync')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p.ids()).toEqual(info.map((i) => i.id));
  });

  it("'all' is a System Administrator: every right on every table", () => {
    const p = userPrivileges('all', 'bu', () => ['account', 'pfb_tasksync']);
    expect(p.has('prvDeleteAnything', 'Global')).toBe(true);
    expect(Object.values(p.info()).map((i) => i.privilegeName)).toContain('prvAppendTopfb_tasksync');
  });
});

describe('$metadata', () => {
  const ctx = useTestDataverse();
  it('gives entity sets and keys of the service’s tables', async () => {
    const csdl = await (await fetch(`${ctx.dv.url}/$metadata`, { headers: { Authorization: 'Bearer t' } })).text();
    const index = parseCsdl(csdl);
    expect(index.entitySetOf('pfb_tasksync')).toBe('pfb_tasksyncs');
    expect(index.entitySetOf('msdyn_projecttask')).toBe('msdyn_projecttasks');
    expect(index.primaryKeyOf('msdyn_projecttask')).toBe('msdyn_projecttaskid');
    expect(index.logicalNameOfSet('bookableresourcecategories')).toBe('bookableresourcecategory');
    expect(index.entitySetOf('nosuchtable')).toBeUndefined();
    expect(index.logicalNames()).toEqual(expect.arrayContaining(['account', 'pfb_tasksync', 'systemuser']));
  });
});
