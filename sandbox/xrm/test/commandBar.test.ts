/**
 * The sandbox command bar runs RibbonDiffXml as Unified Interface does: display rules hide, enable rules disable, a
 * CustomRule's Promise is awaited (and counts as false after the timeout), InvertResult and OrRule apply, and a click
 * calls the JavaScriptFunction with its CrmParameter values in order.
 */
import { userPrivileges } from '../src/context/privileges';
import { GridControl } from '../src/controls/gridControl';
import { CommandBar } from '../src/ribbon/commandBar';
import { readRibbonDiff } from '../src/ribbon/ribbonModel';
import { FakeElement, fakeDocument } from './fakeDom';

const ROWS = ['e0000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000002'].map((id, i) => ({ id, name: `Task ${i + 1}`, attributes: {} }));

const RIBBON = `<RibbonDiffXml>
  <CustomActions>
    <CustomAction Id="t.Go.CustomAction" Location="Mscrm.HomepageGrid.msdyn_projecttask.MainTab.Management.Controls._children" Sequence="20">
      <CommandUIDefinition><Button Id="t.Go" Command="t.Go.Command" LabelText="$LocLabels:t.Go.Label" Sequence="20" /></CommandUIDefinition>
    </CustomAction>
    <CustomAction Id="t.Hidden.CustomAction" Location="Mscrm.HomepageGrid.msdyn_projecttask.MainTab.Management.Controls._children" Sequence="10">
      <CommandUIDefinition><Button Id="t.Hidden" Command="t.Hidden.Command" LabelText="Hidden" Sequence="10" /></CommandUIDefinition>
    </CustomAction>
    <CustomAction Id="t.Slow.CustomAction" Location="Mscrm.HomepageGrid.msdyn_projecttask.MainTab.Management.Controls._children" Sequence="30">
      <CommandUIDefinition><Button Id="t.Slow" Command="t.Slow.Command" LabelText="Slow" Sequence="30" /></CommandUIDefinition>
    </CustomAction>
    <CustomAction Id="t.Form.CustomAction" Location="Mscrm.Form.msdyn_projecttask.MainTab.Save.Controls._children" Sequence="10">
      <CommandUIDefinition><Button Id="t.Form" Command="t.Go.Command" LabelText="On the form" Sequence="10" /></CommandUIDefinition>
    </CustomAction>
  </CustomActions>
  <CommandDefinitions>
    <CommandDefinition Id="t.Go.Command">
      <EnableRules><EnableRule Id="t.One" /><EnableRule Id="t.Custom" /></EnableRules>
      <DisplayRules><DisplayRule Id="t.MayWrite" /></DisplayRules>
      <Actions>
        <JavaScriptFunction Library="$webresource:t.js" FunctionName="T.go">
          <CrmParameter Value="SelectedControlSelectedItemIds" />
          <StringParameter Value="hello" />
          <CrmParameter Value="SelectedControl" />
          <CrmParameter Value="PrimaryEntityTypeName" />
          <IntParameter Value="7" />
          <CrmParameter Value="SelectedControlSelectedItemCount" />
        </JavaScriptFunction>
      </Actions>
    </CommandDefinition>
    <CommandDefinition Id="t.Hidden.Command">
      <EnableRules />
      <DisplayRules><DisplayRule Id="t.MayDelete" /></DisplayRules>
      <Actions />
    </CommandDefinition>
    <CommandDefinition Id="t.Slow.Command">
      <EnableRules><EnableRule Id="t.NeverAnswers" /></EnableRules>
      <DisplayRules />
      <Actions />
    </CommandDefinition>
  </CommandDefinitions>
  <RuleDefinitions>
    <TabDisplayRules />
    <DisplayRules>
      <DisplayRule Id="t.MayWrite"><EntityPrivilegeRule EntityName="pfb_tasksync" PrivilegeType="Write" PrivilegeDepth="Basic" /></DisplayRule>
      <DisplayRule Id="t.MayDelete"><EntityPrivilegeRule EntityName="pfb_tasksync" PrivilegeType="Delete" PrivilegeDepth="Basic" /></DisplayRule>
    </DisplayRules>
    <EnableRules>
      <EnableRule Id="t.One">
        <OrRule>
          <Or><SelectionCountRule AppliesTo="SelectedEntity" Minimum="1" Maximum="1" /></Or>
          <Or><SelectionCountRule AppliesTo="SelectedEntity" Minimum="3" /></Or>
        </OrRule>
      </EnableRule>
      <EnableRule Id="t.Custom"><CustomRule Library="$webresource:t.js" FunctionName="T.allowed" InvertResult="true"><CrmParameter Value="SelectedControlSelectedItemIds" /></CustomRule></EnableRule>
      <EnableRule Id="t.NeverAnswers"><CustomRule Library="$webresource:t.js" FunctionName="T.never" /></EnableRule>
    </EnableRules>
  </RuleDefinitions>
  <LocLabels>
    <LocLabel Id="t.Go.Label"><Titles><Title description="Go" languagecode="1033" /><Title description="Los" languagecode="1031" /></Titles></LocLabel>
  </LocLabels>
</RibbonDiffXml>`;

describe('CommandBar', () => {
  const calls: unknown[][] = [];
  const ruleCalls: unknown[][] = [];
  let deny = false;
  beforeAll(() => {
    (globalThis as Record<string, unknown>)['T'] = {
      go: (...args: unknown[]) => {
        calls.push(args);
        return Promise.resolve('done');
      },
      // Async, as Unified Interface allows: resolves after a tick.
      allowed: (ids: unknown) => {
        ruleCalls.push([ids]);
        return new Promise((r) => setTimeout(() => r(deny), 5));
      },
      never: () => new Promise(() => undefined),
    };
  });
  afterAll(() => delete (globalThis as Record<string, unknown>)['T']);

  async function bar(lcid = 1033) {
    const doc = fakeDocument();
    const grid = new GridControl({ name: 'tasks', entityName: 'msdyn_projecttask', load: async () => ROWS });
    await grid.refresh();
    const container = new FakeElement('div');
    const libraries: string[] = [];
    const commandBar = new CommandBar({
      document: doc,
      container,
      ribbons: [readRibbonDiff(RIBBON, lcid)],
      context: { entityName: 'msdyn_projecttask', surface: 'HomepageGrid', selectedControl: grid },
      privileges: userPrivileges(['prvWritepfb_tasksync'], 'bu', () => []),
      userLcid: lcid,
      orgLcid: 1033,
      orgName: 'org',
      loadLibrary: async (name) => void libraries.push(name),
      ruleTimeoutMs: 50,
    });
    return { grid, container, commandBar, libraries };
  }

  it('shows the buttons of its location in Sequence order, hiding those whose display rule fails, labels in the user’s language', async () => {
    const { commandBar, container } = await bar(1031);
    await commandBar.refresh();
    expect(commandBar.buttonStates().map((s) => [s.id, s.label, s.visible])).toEqual([
      ['t.Hidden', 'Hidden', false],
      ['t.Go', 'Los', true],
      ['t.Slow', 'Slow', true],
    ]);
    expect(container.querySelectorAll('[data-button-id]').map((b) => b.getAttribute('data-button-id'))).toEqual(['t.Go', 't.Slow']);
  });

  it('enables only when every enable rule holds: OrRule of selection counts, an async CustomRule with InvertResult', async () => {
    const { commandBar, grid } = await bar();
    const enabled = async (): Promise<boolean> => {
      await commandBar.refresh();
      return commandBar.buttonStates().find((s) => s.id === 't.Go')?.enabled ?? false;
    };
    expect(await enabled()).toBe(false); // nothing selected
    grid.setSelected([ROWS[0]?.id as string]);
    expect(await enabled()).toBe(true);
    grid.setSelected(ROWS.map((r) => r.id));
    expect(await enabled()).toBe(false); // two: neither 1 nor ≥ 3
    grid.setSelected([ROWS[1]?.id as string]);
    deny = true; // the custom rule answers true, inverted
    expect(await enabled()).toBe(false);
    deny = false;
    expect(ruleCalls[ruleCalls.length - 1]).toEqual([[`{${(ROWS[1]?.id as string).toUpperCase()}}`]]);
  });

  it('a CustomRule that never resolves counts as false once its time is up', async () => {
    const { commandBar } = await bar();
    const started = Date.now();
    await commandBar.refresh();
    expect(commandBar.buttonStates().find((s) => s.id === 't.Slow')?.enabled).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a click loads the library and calls the function with every parameter, in order', async () => {
    const { commandBar, grid, libraries } = await bar();
    grid.setSelected([ROWS[0]?.id as string]);
    await expect(commandBar.click('t.Go')).resolves.toBe('done');
    expect(libraries).toContain('$webresource:t.js');
    const [args] = calls.slice(-1) as [unknown[]];
    expect(args).toEqual([[`{${(ROWS[0]?.id as string).toUpperCase()}}`], 'hello', grid, 'msdyn_projecttask', 7, 1]);
    expect(commandBar.results[commandBar.results.length - 1]).toEqual({ buttonId: 't.Go', result: 'done' });
    await commandBar.settled();
  });
});
