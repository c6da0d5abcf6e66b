/**
 * Checks of a packed solution, each problem in words with what to do about it:
 * - customizations.xml validates against CustomizationsSolution.xsd (xmllint);
 * - solution.xml, [Content_Types].xml, environment variable definitions and compiled control manifests have the
 *   shape of the real exports in ../shared/reference/dataverse-exports (no schema exists for those);
 * - the zip's structure: every file customizations.xml names is in the zip and every file in the zip is named;
 * - the contents make sense for Dataverse: names carry the publisher prefix, choice values the option value prefix,
 *   organization-owned tables get organization-level privileges, step columns exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SchemaModel } from '@pfb/domain';
import type { SolutionContents } from '../unpacked/generateSource';
import { PUBLISHER_PREFIX } from '../definition/tables';
import { REPO_ROOT } from '../inputs/buildOutputs';
import { OPTION_SET_LABELS } from '../schema/optionSetLabels';
import { privilegeRightsOf } from '../schema/platformNames';
import { child, childNames, children, descendants, parseElementTree, type Element } from './elementTree';
import { xmllint } from './xmllint';

export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export const REFERENCE_EXPORTS = path.resolve(REPO_ROOT, '../shared/reference/dataverse-exports');

const error = (message: string): Problem => ({ severity: 'error', message });
const warning = (message: string): Problem => ({ severity: 'warning', message });

function readReference(rel: string): Element | undefined {
  const file = path.join(REFERENCE_EXPORTS, rel);
  return fs.existsSync(file) ? parseElementTree(fs.readFileSync(file)) : undefined;
}

/** `actual` keeps `expected`'s order for the names both have, and has every name `expected` has. */
function sameSequence(label: string, expected: readonly string[], actual: readonly string[], out: Problem[]): void {
  const missing = expected.filter((n) => !actual.includes(n));
  if (missing.length) out.push(error(`${label} lacks ${missing.join(', ')} that Dataverse exports have`));
  const common = actual.filter((n) => expected.includes(n));
  const order = expected.filter((n) => common.includes(n));
  if (common.join() !== order.join()) out.push(error(`${label} has its elements in the order ${common.join(', ')}; exports have ${order.join(', ')}`));
}

function checkSolutionXml(xml: Uint8Array | undefined, managed: boolean, out: Problem[]): void {
  if (!xml) return void out.push(error('the zip has no solution.xml'));
  const root = parseElementTree(xml);
  const ref = readReference('pcf-control-solution/solution.xml');
  if (root.name !== 'ImportExportXml') out.push(error(`solution.xml's root is <${root.name}>, not <ImportExportXml>`));
  for (const a of ['version', 'SolutionPackageVersion', 'languagecode', 'generatedBy']) {
    if (!root.attributes[a]) out.push(error(`solution.xml's <ImportExportXml> has no ${a} attribute (exports have it)`));
  }
  const m = child(root, 'SolutionManifest');
  if (!m) return void out.push(error('solution.xml has no <SolutionManifest>'));
  if (ref) {
    const refManifest = child(ref, 'SolutionManifest');
    sameSequence('solution.xml <SolutionManifest>', childNames(refManifest), childNames(m), out);
    sameSequence('solution.xml <Publisher>', childNames(child(refManifest, 'Publisher')), childNames(child(m, 'Publisher')), out);
    const refAddress = child(child(child(refManifest, 'Publisher'), 'Addresses'), 'Address');
    for (const a of children(child(child(m, 'Publisher'), 'Addresses'), 'Address')) sameSequence('solution.xml publisher <Address>', childNames(refAddress), childNames(a), out);
  }
  if (child(m, 'Managed')?.text !== (managed ? '1' : '0')) out.push(error(`solution.xml says Managed ${child(m, 'Managed')?.text ?? '(none)'}; the ${managed ? 'managed' : 'unmanaged'} zip must say ${managed ? 1 : 0}`));
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(child(m, 'Version')?.text ?? '')) out.push(error(`solution.xml version '${child(m, 'Version')?.text ?? ''}' is not major.minor.build.revision`));
  const prefix = child(child(m, 'Publisher'), 'CustomizationPrefix')?.text;
  if (`${prefix}_` !== PUBLISHER_PREFIX) out.push(error(`the publisher prefix is '${prefix ?? ''}', not '${PUBLISHER_PREFIX.slice(0, -1)}'`));
  for (const rc of children(child(m, 'RootComponents'), 'RootComponent')) {
    const { type, schemaName, id, behavior } = rc.attributes;
    if (!type || !behavior || (!schemaName && !id)) out.push(error(`solution.xml has a RootComponent without type, behavior and schemaName or id: ${JSON.stringify(rc.attributes)}`));
  }
}

function checkContentTypes(files: ReadonlyMap<string, Uint8Array>, out: Problem[]): void {
  const ct = files.get('[Content_Types].xml');
  if (!ct) return void out.push(error('the zip has no [Content_Types].xml'));
  const root = parseElementTree(ct);
  const ref = readReference('pcf-control-solution/[Content_Types].xml');
  if (root.name !== 'Types' || root.attributes['xmlns'] !== ref?.attributes['xmlns']) out.push(error('[Content_Types].xml is not an OPC <Types> document in the package content-types namespace'));
  const defaults = new Set(children(root, 'Default').map((d) => d.attributes['Extension']?.toLowerCase()));
  const overrides = new Set(children(root, 'Override').map((o) => o.attributes['PartName']));
  for (const p of files.keys()) {
    if (p === '[Content_Types].xml') continue;
    const base = p.slice(p.lastIndexOf('/') + 1);
    const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : undefined;
    if (!(ext && defaults.has(ext)) && !overrides.has(`/${p}`)) out.push(error(`[Content_Types].xml gives no content type for ${p}`));
  }
}

/** Elements an environment variable definition may have: the export's, plus defaultvalue and description. */
const ENV_VAR_ELEMENTS = ['apiid', 'defaultvalue', 'description', 'displayname', 'introducedversion', 'iscustomizable', 'isrequired', 'parameterkey', 'parentdefinitionid', 'secretstore', 'type'];

function checkEnvironmentVariables(files: ReadonlyMap<string, Uint8Array>, out: Problem[]): void {
  const ref = readReference('unpacked-solution-with-env-vars/unmanaged/environmentvariabledefinitions/kk_v_SiteUrl/environmentvariabledefinition.xml');
  for (const [p, bytes] of files) {
    const m = /^environmentvariabledefinitions\/([^/]+)\/environmentvariabledefinition\.xml$/.exec(p);
    if (!m) {
      if (p.startsWith('environmentvariabledefinitions/')) out.push(error(`${p} is not environmentvariabledefinitions/<schemaname>/environmentvariabledefinition.xml`));
      continue;
    }
    const root = parseElementTree(bytes);
    if (root.name !== ref?.name) out.push(error(`${p}: root <${root.name}>, exports use <environmentvariabledefinition>`));
    if (root.attributes['schemaname'] !== m[1]) out.push(error(`${p}: schemaname '${root.attributes['schemaname'] ?? ''}' must equal its folder name '${m[1]}'`));
    const names = childNames(root);
    const unknown = names.filter((n) => !ENV_VAR_ELEMENTS.includes(n));
    if (unknown.length) out.push(error(`${p}: elements ${unknown.join(', ')} are not in any export`));
    if ([...names].sort().join() !== names.join()) out.push(error(`${p}: elements must be in alphabetical order, as exports write them`));
    for (const required of ['displayname', 'type', 'introducedversion', 'iscustomizable', 'isrequired']) {
      if (!names.includes(required)) out.push(error(`${p}: no <${required}> (the export has it)`));
    }
    const label = child(child(root, 'displayname'), 'label');
    if (!child(root, 'displayname')?.attributes['default'] || !label?.attributes['languagecode']) out.push(error(`${p}: <displayname> needs default="…" and a <label … languagecode="1033" />`));
    if (!/^10000000[0-5]$/.test(child(root, 'type')?.text ?? '')) out.push(error(`${p}: <type> must be 100000000–100000005`));
  }
}

/** React and Fluent as platform libraries, at the versions the platform accepts (platform-notes, PCF). */
const PLATFORM_LIBRARIES: Readonly<Record<string, string>> = { React: '16.14.0', Fluent: '9.46.2' };

function checkControls(contents: SolutionContents, files: ReadonlyMap<string, Uint8Array>, customizations: Element | undefined, out: Problem[]): void {
  const ref = readReference('pcf-control-solution/Controls/ktcs_ktcs.MultiSelectLookup/ControlManifest.xml');
  const refControl = child(ref, 'control');
  for (const cc of children(child(customizations, 'CustomControls'), 'CustomControl')) {
    const name = child(cc, 'Name')?.text ?? '';
    const fileName = child(cc, 'FileName')?.text ?? '';
    const def = contents.controls.find((c) => c.name === name);
    if (!def) out.push(error(`customizations.xml lists control ${name}, which the solution does not define`));
    if (fileName !== `/Controls/${name}/ControlManifest.xml`) out.push(error(`control ${name}: FileName ${fileName} must be /Controls/${name}/ControlManifest.xml`));
    const manifestBytes = files.get(fileName.slice(1));
    if (!manifestBytes) continue;
    const manifest = parseElementTree(manifestBytes);
    const control = child(manifest, 'control');
    if (manifest.name !== 'manifest' || !control) {
      out.push(error(`control ${name}: ControlManifest.xml is not <manifest><control …>`));
      continue;
    }
    for (const a of Object.keys(refControl?.attributes ?? {})) {
      if (!(a in control.attributes)) out.push(error(`control ${name}: <control> has no ${a} attribute (compiled manifests have it)`));
    }
    if (def && (control.attributes['namespace'] !== def.namespace || control.attributes['constructor'] !== def.constructorName)) {
      out.push(error(`control ${name}: the manifest says ${control.attributes['namespace'] ?? '?'}.${control.attributes['constructor'] ?? '?'}, the solution expects ${def.namespace}.${def.constructorName}`));
    }
    const resources = child(control, 'resources');
    const code = child(resources, 'code');
    if (!code?.attributes['path']) out.push(error(`control ${name}: <resources> has no <code path="…">`));
    for (const r of resources?.children ?? []) {
      const p = r.attributes['path'];
      if (p && !files.has(`Controls/${name}/${p}`)) out.push(error(`control ${name}: the manifest names ${p}, which is not in the package (npm run build -w @pfb/pcf)`));
    }
    if (control.attributes['control-type'] === 'virtual') {
      for (const [lib, version] of Object.entries(PLATFORM_LIBRARIES)) {
        const decl = children(resources, 'platform-library').find((l) => l.attributes['name'] === lib);
        if (!decl) out.push(error(`control ${name}: a virtual control must declare <platform-library name="${lib}" version="${version}" />`));
        else if (decl.attributes['version'] !== version) out.push(error(`control ${name}: platform library ${lib} ${decl.attributes['version'] ?? '?'}; the platform accepts ${version}`));
      }
    }
  }
}

function checkStructure(files: ReadonlyMap<string, Uint8Array>, customizations: Element | undefined, out: Problem[]): void {
  for (const required of ['[Content_Types].xml', 'solution.xml', 'customizations.xml']) if (!files.has(required)) out.push(error(`the zip has no ${required} at its root`));
  const named = new Set<string>();
  for (const f of descendants(customizations ?? { name: '', attributes: {}, children: [], text: '' }, 'FileName')) {
    const p = f.text.replace(/^\//, '');
    named.add(p);
    if (!files.has(p)) out.push(error(`customizations.xml names ${f.text}, which is not in the zip`));
  }
  for (const p of files.keys()) {
    if (['[Content_Types].xml', 'solution.xml', 'customizations.xml'].includes(p) || p.startsWith('environmentvariabledefinitions/')) continue;
    if (p.startsWith('Controls/')) {
      const dir = p.split('/').slice(0, 2).join('/');
      if (![...named].some((n) => n.startsWith(`${dir}/`))) out.push(error(`${p} is in the zip but no control in customizations.xml lives in ${dir}`));
      continue;
    }
    if (!named.has(p)) out.push(error(`${p} is in the zip but customizations.xml does not name it`));
    if (p.startsWith('WebResources/') && p.includes('.')) out.push(error(`${p}: web resource files are stored without extension (<name without punctuation><ID>)`));
  }
}

/** Every `$webresource:<name>` a ribbon refers to is a web resource of the package (else the command fails at run time). */
function checkRibbonReferences(customizations: Element | undefined, out: Problem[]): void {
  if (!customizations) return;
  const resources = children(child(customizations, 'WebResources'), 'WebResource');
  const names = new Set(resources.map((w) => child(w, 'Name')?.text.toLowerCase()));
  for (const w of resources) {
    const deps = child(w, 'DependencyXml')?.text;
    if (!deps) continue;
    for (const lib of descendants(parseElementTree(deps), 'Library')) {
      const name = lib.attributes['name'] ?? '';
      if (!names.has(name.toLowerCase())) out.push(error(`web resource ${child(w, 'Name')?.text ?? '?'} depends on ${name}, which is not a web resource of the package`));
    }
  }
  for (const entity of children(child(customizations, 'Entities'), 'Entity')) {
    const ribbon = child(entity, 'RibbonDiffXml');
    if (!ribbon) continue;
    const walk = (e: Element): void => {
      for (const value of Object.values(e.attributes)) {
        const m = /^\$webresource:(.+)$/.exec(value);
        if (m && !names.has((m[1] as string).toLowerCase())) {
          out.push(error(`the ribbon of ${child(entity, 'Name')?.text ?? '?'} calls $webresource:${m[1]}, which is not a web resource of the package`));
        }
      }
      for (const c of e.children) walk(c);
    };
    walk(ribbon);
  }
}

function checkContents(c: SolutionContents, out: Problem[]): void {
  const optionPrefix = c.manifest.publisher.optionValuePrefix * 10000;
  for (const os of c.optionSets) {
    if (!OPTION_SET_LABELS[os.name]) out.push(error(`global choice ${os.name} has no display name: add it to solution/src/schema/optionSetLabels.ts`));
    for (const o of os.options) {
      if (o.value < optionPrefix || o.value >= optionPrefix + 10000) out.push(error(`choice ${os.name} option ${o.label} = ${o.value}: our values run from ${optionPrefix} (option value prefix ${c.manifest.publisher.optionValuePrefix})`));
    }
  }
  for (const t of c.tables) {
    if (t.owned && !t.table.logicalName.startsWith(PUBLISHER_PREFIX)) out.push(error(`table ${t.table.logicalName} is ours but lacks the ${PUBLISHER_PREFIX} prefix`));
    for (const col of t.columns) {
      if (!t.owned && !col.logicalName.startsWith(PUBLISHER_PREFIX)) out.push(error(`${t.table.logicalName}.${col.logicalName} is added by the solution but lacks the ${PUBLISHER_PREFIX} prefix`));
    }
    for (const k of t.keys) if (!k.schemaName.startsWith(PUBLISHER_PREFIX)) out.push(error(`key ${k.schemaName} on ${t.table.logicalName} lacks the ${PUBLISHER_PREFIX} prefix`));
    for (const r of t.relationships) {
      const ours = r.referencingAttribute.startsWith(PUBLISHER_PREFIX);
      if (ours && !r.schemaName.startsWith(PUBLISHER_PREFIX)) {
        out.push(
          warning(
            `relationship ${r.schemaName} (${r.referencingEntity}.${r.referencingAttribute} → ${r.referencedEntity}) lacks the ${PUBLISHER_PREFIX} prefix; Dataverse requires a custom relationship's name to start with the publisher's prefix — set relationshipName in the schema module (domain/src/schema)`,
          ),
        );
      }
    }
  }
  for (const role of c.roles) {
    for (const g of role.grants) {
      if (g.table.ownership !== 'UserOwned' && g.level !== 'Global') out.push(error(`role ${role.name}: ${g.table.logicalName} is organization-owned, so its privileges can only be Global (not ${g.level})`));
      for (const right of g.rights) if (!privilegeRightsOf(g.table).includes(right)) out.push(error(`role ${role.name}: ${g.table.logicalName} has no ${right} privilege`));
    }
  }
  for (const s of c.steps) {
    for (const a of [...s.filteringAttributes, ...s.images.flatMap((i) => i.attributes)]) {
      if (!s.table.columns[a]) out.push(error(`step ${s.name}: ${s.table.logicalName} has no column ${a}`));
    }
  }
}

export interface CheckTarget {
  readonly contents: SolutionContents;
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly managed: boolean;
  readonly schema?: SchemaModel;
}

/** Every problem of one packed zip; empty when it is sound. */
export function checkPackage(target: CheckTarget): Problem[] {
  const out: Problem[] = [];
  const label = target.managed ? 'managed' : 'unmanaged';
  const customizationsBytes = target.files.get('customizations.xml');
  let customizations: Element | undefined;
  if (customizationsBytes) {
    const lint = xmllint(customizationsBytes, undefined, `customizations.xml (${label})`);
    if (!lint.ok) for (const e of lint.errors) out.push(error(e));
    customizations = parseElementTree(customizationsBytes);
    const ref = readReference('pcf-control-solution/customizations.xml');
    sameSequence('customizations.xml', childNames(ref).filter((n) => childNames(customizations).includes(n)), childNames(customizations), out);
  }
  checkSolutionXml(target.files.get('solution.xml'), target.managed, out);
  checkContentTypes(target.files, out);
  checkEnvironmentVariables(target.files, out);
  checkControls(target.contents, target.files, customizations, out);
  checkStructure(target.files, customizations, out);
  checkRibbonReferences(customizations, out);
  checkContents(target.contents, out);
  return out;
}

