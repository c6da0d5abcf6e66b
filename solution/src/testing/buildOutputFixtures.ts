/**
 * Small build outputs of the same shape the web resource and PCF builds produce (issues 6 and 7), written to a
 * temporary folder, so the packer's tests do not depend on those builds: a file for every web resource the
 * repository's web resource map names (scripts, RESX), a RibbonDiffXml per ribbon table calling the commands bundle,
 * and two compiled virtual controls with bundle.js and a RESX. The map itself is the repository's (it is source,
 * not build output), unless a test brings its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTROLS } from '../definition/clientComponents';
import { RIBBON_TABLES } from '../definition/tables';
import { LOCATIONS, webResourceInputs, type BuildOutputLocations } from '../inputs/buildOutputs';
import { WebResourceType } from '../schema/platformTables';

export function ribbonFixture(table: string, library = 'pfb_/scripts/commands.js'): string {
  const id = `pfb.${table}.ReadyToSync`;
  return `<?xml version="1.0" encoding="utf-8"?>
<RibbonDiffXml>
  <CustomActions>
    <CustomAction Id="${id}.CustomAction" Location="Mscrm.SubGrid.${table}.MainTab.Actions.Controls._children" Sequence="100">
      <CommandUIDefinition>
        <Button Id="${id}.Button" Command="${id}.Command" LabelText="$LocLabels:${id}.Label" Alt="$LocLabels:${id}.Label" TemplateAlias="o1" Sequence="100" />
      </CommandUIDefinition>
    </CustomAction>
  </CustomActions>
  <Templates>
    <RibbonTemplates Id="Mscrm.Templates" />
  </Templates>
  <CommandDefinitions>
    <CommandDefinition Id="${id}.Command">
      <EnableRules />
      <DisplayRules />
      <Actions>
        <JavaScriptFunction Library="$webresource:${library}" FunctionName="pfb.commands.readyToSync">
          <CrmParameter Value="SelectedControl" />
          <CrmParameter Value="SelectedControlSelectedItemIds" />
        </JavaScriptFunction>
      </Actions>
    </CommandDefinition>
  </CommandDefinitions>
  <RuleDefinitions>
    <TabDisplayRules />
    <DisplayRules />
    <EnableRules />
  </RuleDefinitions>
  <LocLabels>
    <LocLabel Id="${id}.Label">
      <Titles>
        <Title description="Ready to Sync" languagecode="1033" />
      </Titles>
    </LocLabel>
  </LocLabels>
</RibbonDiffXml>
`;
}

export function controlManifestFixture(namespace: string, ctor: string, options: { fluent?: string } = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<manifest>
  <control namespace="${namespace}" constructor="${ctor}" version="1.0.0" display-name-key="${ctor}" description-key="${ctor} description" control-type="virtual" api-version="1.3.11">
    <external-service-usage enabled="false" />
    <data-set name="records" display-name-key="Records" />
    <resources>
      <code path="bundle.js" order="1" />
      <platform-library name="React" version="16.14.0" />
      <platform-library name="Fluent" version="${options.fluent ?? '9.46.2'}" />
      <resx path="strings/${ctor}.1033.resx" version="1.0.0" />
    </resources>
    <feature-usage>
      <uses-feature name="WebAPI" required="true" />
    </feature-usage>
  </control>
</manifest>
`;
}

const resx = (ctor: string): string => `<?xml version="1.0" encoding="utf-8"?>
<root>
  <data name="${ctor}" xml:space="preserve"><value>${ctor}</value></data>
</root>
`;

export interface FixtureOptions {
  /** Leave these out (web resource names, table names, control constructors). */
  readonly omit?: readonly string[];
  /** Fluent version in the control manifests (to make a broken one). */
  readonly fluent?: string;
  /** Write a web resource map module with this content (TypeScript source). */
  readonly mapModule?: string;
}

/** Writes the fixture outputs under a new temporary folder and returns where the packer should look. */
export function writeBuildOutputFixtures(options: FixtureOptions = {}): BuildOutputLocations & { readonly root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-build-outputs-'));
  const omit = new Set(options.omit ?? []);
  const write = (rel: string, text: string): void => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  };
  const mapModule = options.mapModule !== undefined ? path.join(root, 'webresources/src/webResources.ts') : LOCATIONS.webResourceMapModule;
  const dist = path.join(root, 'webresources/dist');
  for (const { definition, file } of webResourceInputs({ ...LOCATIONS, webResourcesDist: dist, webResourceMapModule: options.mapModule !== undefined ? '' : mapModule })) {
    if (omit.has(definition.name)) continue;
    const content =
      definition.type === WebResourceType.JScript
        ? `"use strict";var pfb=pfb||{};pfb.commands={readyToSync:function(){return Promise.resolve();}};// ${definition.name}\n`
        : definition.type === WebResourceType.Resx
          ? resx('ReadyToSync')
          : `${definition.name}\n`;
    write(path.relative(root, file), content);
  }
  for (const table of RIBBON_TABLES) if (!omit.has(table)) write(`webresources/ribbon/${table}.RibbonDiff.xml`, ribbonFixture(table));
  for (const c of CONTROLS) {
    if (omit.has(c.constructorName)) continue;
    write(`pcf/out/controls/${c.constructorName}/ControlManifest.xml`, controlManifestFixture(c.namespace, c.constructorName, options));
    write(`pcf/out/controls/${c.constructorName}/bundle.js`, `var ${c.constructorName}=function(){};\n`);
    write(`pcf/out/controls/${c.constructorName}/strings/${c.constructorName}.1033.resx`, resx(c.constructorName));
  }
  if (options.mapModule !== undefined) write('webresources/src/webResources.ts', options.mapModule);
  return {
    root,
    webResourcesDist: dist,
    webResourceMapModule: mapModule,
    ribbonDir: path.join(root, 'webresources/ribbon'),
    controlsDir: path.join(root, 'pcf/out/controls'),
  };
}

export function removeFixtures(locations: { readonly root: string }): void {
  fs.rmSync(locations.root, { recursive: true, force: true });
}
