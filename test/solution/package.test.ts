/**
 * The packed zips against what Dataverse really exports (../shared/reference/dataverse-exports) and accepts
 * (../shared/reference/dataverse-xsd): customizations.xml validates with xmllint, and the zip's layout, names and
 * manifest have the shape of the real exports. And `npm run pack` gives the same bytes twice.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { child, childNames, children, parseElementTree, packageFileName, xmllint, type Element } from '@pfb/solution';
import { REFERENCE_EXPORTS } from '../../solution/src/check/checkPackage';
import { CUSTOMIZATIONS_XSD } from '../../solution/src/check/xmllint';
import { productPackages } from './support';

const reference = (rel: string): Element => parseElementTree(fs.readFileSync(path.join(REFERENCE_EXPORTS, rel)));
const entry = (managed: boolean, p: string): Element => {
  const pkg = managed ? productPackages().managed : productPackages().unmanaged;
  const bytes = pkg.files.get(p);
  if (!bytes) throw new Error(`no ${p} in the ${managed ? 'managed' : 'unmanaged'} zip`);
  return parseElementTree(bytes);
};
/** `expected`'s names, in order, are a subsequence of `actual`. */
const inOrder = (expected: readonly string[], actual: readonly string[]): boolean => {
  let i = 0;
  for (const n of actual) if (n === expected[i]) i += 1;
  return i === expected.length;
};

describe.each([
  ['unmanaged', false],
  ['managed', true],
] as const)('the %s zip', (_label, managed) => {
  const files = (): ReadonlyMap<string, Uint8Array> => (managed ? productPackages().managed : productPackages().unmanaged).files;

  it('customizations.xml passes xmllint against the reference CustomizationsSolution.xsd', () => {
    expect(fs.existsSync(CUSTOMIZATIONS_XSD)).toBe(true);
    expect(xmllint(files().get('customizations.xml') as Uint8Array)).toEqual({ ok: true });
  });

  it('has the root files of an export, spelled as exports spell them, each with the BOM exports begin with', () => {
    const exported = fs.readdirSync(path.join(REFERENCE_EXPORTS, 'pcf-control-solution')).filter((f) => f.endsWith('.xml') && !f.includes('fragment'));
    for (const f of exported) {
      expect([f, files().has(f)]).toEqual([f, true]);
      expect([f, (files().get(f) as Uint8Array).subarray(0, 3)]).toEqual([f, new Uint8Array([0xef, 0xbb, 0xbf])]);
    }
  });

  it('solution.xml: the manifest, publisher and address elements of an export, in their order; Managed says which zip it is', () => {
    const ref = child(reference('pcf-control-solution/solution.xml'), 'SolutionManifest');
    const ours = child(entry(managed, 'solution.xml'), 'SolutionManifest');
    expect(childNames(ours)).toEqual(childNames(ref));
    expect(childNames(child(ours, 'Publisher'))).toEqual(childNames(child(ref, 'Publisher')));
    expect(childNames(child(child(child(ours, 'Publisher'), 'Addresses'), 'Address'))).toEqual(childNames(child(child(child(ref, 'Publisher'), 'Addresses'), 'Address')));
    expect(child(ours, 'Managed')?.text).toBe(managed ? '1' : '0');
    const controls = children(child(ours, 'RootComponents'), 'RootComponent').filter((r) => r.attributes['type'] === '66');
    const refControl = children(child(ref, 'RootComponents'), 'RootComponent')[0] as Element;
    expect(controls.map((c) => Object.keys(c.attributes))).toEqual(controls.map(() => Object.keys(refControl.attributes)));
  });

  it('customizations.xml: its sections in the export\'s order; control entries as the export writes them', () => {
    const ref = reference('pcf-control-solution/customizations.xml');
    const ours = entry(managed, 'customizations.xml');
    expect(inOrder(childNames(ref).filter((n) => childNames(ours).includes(n)), childNames(ours))).toBe(true);
    const refControl = child(child(ref, 'CustomControls'), 'CustomControl') as Element;
    for (const c of children(child(ours, 'CustomControls'), 'CustomControl')) {
      expect(childNames(c)).toEqual(childNames(refControl));
      expect(child(c, 'FileName')?.text).toBe(`/Controls/${child(c, 'Name')?.text}/ControlManifest.xml`);
      expect(child(c, 'Name')?.text).toMatch(/^pfb_ProjectFieldBridge\.\w+$/); // <prefix>_<namespace>.<constructor>, as ktcs_ktcs.MultiSelectLookup
    }
  });

  it('web resources: the entry elements of an export in its order; files named <name without punctuation><ID> with no extension', () => {
    // The fullest entry of the export (the one with a Description).
    const refEntries = children(child(reference('webresource-solution-8.2/customizations.xml'), 'WebResources'), 'WebResource');
    const refEntry = [...refEntries].sort((a, b) => b.children.length - a.children.length)[0] as Element;
    const resources = children(child(entry(managed, 'customizations.xml'), 'WebResources'), 'WebResource');
    expect(resources.length).toBeGreaterThan(0);
    for (const w of resources) {
      // The export's elements in its order; a RESX adds LanguageCode, a script with strings DependencyXml (both in the XSD).
      expect(inOrder(childNames(refEntry), childNames(w))).toBe(true);
      for (const extra of childNames(w).filter((n) => !childNames(refEntry).includes(n))) expect(['LanguageCode', 'DependencyXml']).toContain(extra);
      const id = (child(w, 'WebResourceId')?.text ?? '').replace(/[{}]/g, '').toUpperCase();
      expect(child(w, 'FileName')?.text).toBe(`/WebResources/${(child(w, 'Name')?.text ?? '').replace(/[^A-Za-z0-9_-]/g, '')}${id}`);
    }
  });

  it('[Content_Types].xml: the export\'s Default for xml and an Override for each control manifest and each extension-less part', () => {
    const ref = reference('pcf-control-solution/[Content_Types].xml');
    const ours = entry(managed, '[Content_Types].xml');
    expect(ours.attributes['xmlns']).toBe(ref.attributes['xmlns']);
    const refXml = children(ref, 'Default').find((d) => d.attributes['Extension'] === 'xml');
    expect(children(ours, 'Default').find((d) => d.attributes['Extension'] === 'xml')?.attributes).toEqual(refXml?.attributes);
    const overrides = children(ours, 'Override').map((o) => o.attributes['PartName']);
    for (const p of files().keys()) {
      if (/^Controls\/[^/]+\/ControlManifest\.xml$/.test(p) || !path.basename(p).includes('.')) expect(overrides).toContain(`/${p}`);
    }
  });

  it('environment variable definitions have the export\'s elements, in its (alphabetical) order, in a folder named after the schema name', () => {
    const ref = reference('unpacked-solution-with-env-vars/unmanaged/environmentvariabledefinitions/kk_v_SiteUrl/environmentvariabledefinition.xml');
    for (const p of [...files().keys()].filter((k) => k.startsWith('environmentvariabledefinitions/'))) {
      const ours = parseElementTree(files().get(p) as Uint8Array);
      expect(ours.name).toBe(ref.name);
      expect(p).toBe(`environmentvariabledefinitions/${ours.attributes['schemaname']}/environmentvariabledefinition.xml`);
      const shared = childNames(ref).filter((n) => childNames(ours).includes(n));
      expect(shared).toEqual(['displayname', 'introducedversion', 'iscustomizable', 'isrequired', 'secretstore', 'type']);
      expect([...childNames(ours)].sort()).toEqual(childNames(ours));
      expect(childNames(child(ours, 'displayname'))).toEqual(childNames(child(ref, 'displayname')));
    }
  });

  it('controls: the folder of a packed PCF solution (manifest, bundle, strings)', () => {
    const refFolder = fs.readdirSync(path.join(REFERENCE_EXPORTS, 'pcf-control-solution/Controls'))[0] as string;
    expect(refFolder).toMatch(/^[a-z]+_[A-Za-z]+\.[A-Za-z]+$/);
    const folders = new Set([...files().keys()].filter((p) => p.startsWith('Controls/')).map((p) => p.split('/')[1]));
    expect([...folders].sort()).toEqual(['pfb_ProjectFieldBridge.BookingProgressPanel', 'pfb_ProjectFieldBridge.WbsWorkOrderGrid']);
    for (const f of folders) {
      expect(files().has(`Controls/${f}/ControlManifest.xml`)).toBe(true);
      expect(files().has(`Controls/${f}/bundle.js`)).toBe(true);
    }
  });
});

describe('npm run pack', () => {
  it('writes ProjectFieldBridge_<version>.zip and …_managed.zip, and the same bytes when run again', () => {
    const runs = [0, 1].map(() => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-pack-'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../solution/src/cli/pack.ts'), '--allow-missing', '--out', out], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect([run.status, run.stderr]).toEqual([0, '']);
      return out;
    });
    const manifest = productPackages().contents.manifest;
    for (const managed of [false, true]) {
      const name = packageFileName(manifest, managed);
      expect(name).toBe(`ProjectFieldBridge_${manifest.version.replace(/\./g, '_')}${managed ? '_managed' : ''}.zip`);
      const [a, b] = runs.map((dir) => fs.readFileSync(path.join(dir, name)));
      expect((a as Buffer).equals(b as Buffer)).toBe(true);
    }
    for (const dir of runs) fs.rmSync(dir, { recursive: true, force: true });
  });
});
