/**
 * Packing the unpacked source with build outputs of the web resource and PCF builds' shape (fixtures): what lands in
 * the zip and under which names, customizations.xml valid against the Dataverse schema, the same bytes every time
 * and in every time zone, and clear refusals when a build output is missing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Buffer } from 'node:buffer';
import { child, children, parseElementTree } from '../check/elementTree';
import { checkPackage } from '../check/checkPackage';
import { xmllint } from '../check/xmllint';
import { CONTROLS, DEFAULT_WEB_RESOURCES } from '../definition/clientComponents';
import { BuildOutputMissing, type BuildOutputLocations } from '../inputs/buildOutputs';
import { removeFixtures, writeBuildOutputFixtures } from '../testing/buildOutputFixtures';
import { buildPackages, type BuildResult } from './buildPackages';
import { packedWebResourceFileName } from './packSolution';
import { unzipFiles } from './zip';

let fixtures: BuildOutputLocations & { root: string };
let built: BuildResult;

beforeAll(() => {
  fixtures = writeBuildOutputFixtures();
  built = buildPackages({ mode: 'strict', source: 'committed', locations: fixtures });
});
afterAll(() => removeFixtures(fixtures));

const text = (files: ReadonlyMap<string, Uint8Array>, p: string): string => Buffer.from(files.get(p) ?? new Uint8Array()).toString('utf8');

describe('the packed zips', () => {
  it('hold the manifest, the customizations, web resources under their export names, controls and environment variables', () => {
    const names = [...built.unmanaged.files.keys()];
    expect(names.slice(0, 3)).toEqual(['[Content_Types].xml', 'solution.xml', 'customizations.xml']);
    for (const w of built.contents.webResources) expect(names).toContain(`WebResources/${packedWebResourceFileName(w.name, w.id)}`);
    expect(built.contents.webResources.map((w) => w.name)).toEqual(expect.arrayContaining(DEFAULT_WEB_RESOURCES.map((w) => w.name)));
    expect(packedWebResourceFileName('pfb_/scripts/commands.js', 'a53603cd-3f8f-55cb-b7a8-b9b8bf10dde5')).toBe('pfb_scriptscommandsjsA53603CD-3F8F-55CB-B7A8-B9B8BF10DDE5');
    for (const c of CONTROLS) {
      for (const f of ['ControlManifest.xml', 'bundle.js', `strings/${c.constructorName}.1033.resx`]) expect(names).toContain(`Controls/${c.name}/${f}`);
    }
    expect(names).toContain('environmentvariabledefinitions/pfb_BridgeUrl/environmentvariabledefinition.xml');
    expect(built.unmanaged.skipped).toEqual([]);
  });

  it('the zip on disk reads back to the same entries', () => {
    const back = unzipFiles(built.unmanaged.zip);
    expect([...back.keys()]).toEqual([...built.unmanaged.files.keys()]);
    for (const [p, bytes] of back) expect(Buffer.from(bytes).equals(Buffer.from(built.unmanaged.files.get(p) as Uint8Array))).toBe(true);
  });

  it.each([
    ['unmanaged', false],
    ['managed', true],
  ] as const)('%s: customizations.xml validates against CustomizationsSolution.xsd, ribbons included', (_label, managed) => {
    const files = managed ? built.managed.files : built.unmanaged.files;
    expect(xmllint(files.get('customizations.xml') as Uint8Array)).toEqual({ ok: true });
    const c = parseElementTree(text(files, 'customizations.xml'));
    const task = children(child(c, 'Entities'), 'Entity').find((e) => child(e, 'Name')?.text === 'msdyn_projecttask');
    expect(child(child(child(task, 'RibbonDiffXml'), 'CommandDefinitions'), 'CommandDefinition')?.attributes['Id']).toBe('pfb.msdyn_projecttask.ReadyToSync.Command');
    expect(child(child(parseElementTree(text(files, 'solution.xml')), 'SolutionManifest'), 'Managed')?.text).toBe(managed ? '1' : '0');
    expect(checkPackage({ contents: built.contents, files, managed }).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('the web resource entries point at files that hold the built bundles', () => {
    const c = parseElementTree(text(built.unmanaged.files, 'customizations.xml'));
    const scripts = children(child(c, 'WebResources'), 'WebResource').filter((w) => child(w, 'WebResourceType')?.text === '3');
    expect(scripts.length).toBeGreaterThan(1);
    for (const w of scripts) {
      const file = (child(w, 'FileName')?.text ?? '').slice(1);
      expect(text(built.unmanaged.files, file)).toContain(`// ${child(w, 'Name')?.text ?? ''}`);
    }
  });
});

describe('reproducible', () => {
  it('packing again gives the same bytes', () => {
    const again = buildPackages({ mode: 'strict', source: 'committed', locations: fixtures });
    expect(Buffer.from(again.unmanaged.zip).equals(Buffer.from(built.unmanaged.zip))).toBe(true);
    expect(Buffer.from(again.managed.zip).equals(Buffer.from(built.managed.zip))).toBe(true);
  });

  it('another time zone gives the same bytes (zip times are local; the packer fixes them)', () => {
    const script = `const { buildPackages } = require(${JSON.stringify(path.join(__dirname, 'buildPackages'))});
const b = buildPackages({ mode: 'strict', source: 'committed', locations: ${JSON.stringify(fixtures)} });
process.stdout.write(require('node:crypto').createHash('sha256').update(b.unmanaged.zip).digest('hex'));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, TZ: 'Pacific/Chatham', NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(createHash('sha256').update(built.unmanaged.zip).digest('hex'));
  });
});

describe('build outputs', () => {
  it('strict: refuses a missing bundle, ribbon or control, naming each file and the build to run', () => {
    const partial = writeBuildOutputFixtures({ omit: ['pfb_/scripts/forms.js', 'msdyn_project', 'BookingProgressPanel'] });
    try {
      let thrown: unknown;
      try {
        buildPackages({ mode: 'strict', source: 'committed', locations: partial });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(BuildOutputMissing);
      const message = (thrown as Error).message;
      expect(message).toMatch(/run npm run build/);
      expect(message).toContain('web resource pfb_/scripts/forms.js missing');
      expect(message).toContain('ribbon of msdyn_project missing');
      expect(message).toContain('control pfb_ProjectFieldBridge.BookingProgressPanel missing');
    } finally {
      removeFixtures(partial);
    }
  });

  it('available: leaves the missing components out of customizations.xml and of solution.xml, and the zip stays sound', () => {
    const partial = writeBuildOutputFixtures({ omit: ['pfb_/scripts/forms.js', 'BookingProgressPanel'] });
    try {
      const b = buildPackages({ mode: 'available', source: 'committed', locations: partial });
      expect(b.unmanaged.skipped).toEqual(['web resource pfb_/scripts/forms.js', 'control pfb_ProjectFieldBridge.BookingProgressPanel']);
      const solutionXml = text(b.unmanaged.files, 'solution.xml');
      expect(solutionXml).not.toContain('pfb_/scripts/forms.js');
      expect(solutionXml).not.toContain('BookingProgressPanel');
      expect(solutionXml).toContain('schemaName="pfb_/scripts/commands.js"');
      expect(checkPackage({ contents: b.contents, files: b.unmanaged.files, managed: false }).filter((p) => p.severity === 'error')).toEqual([]);
    } finally {
      removeFixtures(partial);
    }
  });

  it('reads the web resource map module when the web resource build provides one', () => {
    const mapped = writeBuildOutputFixtures({
      mapModule: "export const WEB_RESOURCES = [{ name: 'pfb_/scripts/commands.js', file: 'pfb_/scripts/commands.js' }, { name: 'pfb_/scripts/forms.js', file: 'pfb_/scripts/forms.js', displayName: 'Forms' }];\n",
    });
    try {
      const b = buildPackages({ mode: 'strict', source: 'generated', locations: mapped });
      expect(b.contents.webResources.map((w) => [w.name, w.displayName])).toEqual([
        ['pfb_/scripts/commands.js', 'Project Field Bridge: ribbon commands'],
        ['pfb_/scripts/forms.js', 'Forms'],
      ]);
    } finally {
      removeFixtures(mapped);
    }
  });

  it('the check fails a control built against a Fluent version the platform refuses', () => {
    const bad = writeBuildOutputFixtures({ fluent: '9.68.0' });
    try {
      const b = buildPackages({ mode: 'strict', source: 'committed', locations: bad });
      const problems = checkPackage({ contents: b.contents, files: b.unmanaged.files, managed: false }).map((p) => p.message);
      expect(problems).toContain('control pfb_ProjectFieldBridge.WbsWorkOrderGrid: platform library Fluent 9.68.0; the platform accepts 9.46.2');
    } finally {
      removeFixtures(bad);
    }
  });
});
