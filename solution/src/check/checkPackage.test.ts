/**
 * The checks can fail: each test breaks one thing in a sound package the way a packer bug or a hand edit would, and
 * expects the problem in words.
 */
import { Buffer } from 'node:buffer';
import { buildPackages, type BuildResult } from '../pack/buildPackages';
import { removeFixtures, writeBuildOutputFixtures } from '../testing/buildOutputFixtures';
import { checkPackage, type Problem } from './checkPackage';
import { xmllint } from './xmllint';

let built: BuildResult;

beforeAll(() => {
  const fixtures = writeBuildOutputFixtures();
  try {
    built = buildPackages({ mode: 'strict', source: 'committed', locations: fixtures });
  } finally {
    removeFixtures(fixtures);
  }
});

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const textOf = (files: ReadonlyMap<string, Uint8Array>, p: string): string => Buffer.from(files.get(p) as Uint8Array).toString('utf8');

/** The unmanaged package with `change` applied to a copy of its files. */
function errorsAfter(change: (files: Map<string, Uint8Array>) => void): string[] {
  const files = new Map(built.unmanaged.files);
  change(files);
  return checkPackage({ contents: built.contents, files, managed: false })
    .filter((p: Problem) => p.severity === 'error')
    .map((p) => p.message);
}

const edit = (files: Map<string, Uint8Array>, p: string, fn: (text: string) => string): void => void files.set(p, utf8(fn(textOf(files, p))));

it('a sound package has no errors', () => {
  expect(errorsAfter(() => undefined)).toEqual([]);
});

it('a file customizations.xml names but the zip lacks', () => {
  const file = [...built.unmanaged.files.keys()].find((p) => p.startsWith('WebResources/')) as string;
  expect(errorsAfter((f) => f.delete(file))).toContain(`customizations.xml names /${file}, which is not in the zip`);
});

it('a file in the zip that nothing names', () => {
  expect(errorsAfter((f) => f.set('WebResources/stray', utf8('x')))).toContain('WebResources/stray is in the zip but customizations.xml does not name it');
});

it('customizations.xml with an element the Dataverse schema does not know', () => {
  const errors = errorsAfter((f) => edit(f, 'customizations.xml', (t) => t.replace('<IsCustomField>1</IsCustomField>', '<IsCustomField>1</IsCustomField><IsSearchable>1</IsSearchable>')));
  expect(errors.some((e) => /IsSearchable/.test(e) && /customizations\.xml/.test(e))).toBe(true);
  expect(xmllint('<ImportExportXml><Nonsense /></ImportExportXml>').ok).toBe(false);
});

it('a ribbon calling a web resource the package does not carry', () => {
  const errors = errorsAfter((f) => edit(f, 'customizations.xml', (t) => t.replace('$webresource:pfb_/scripts/commands.js', '$webresource:pfb_/scripts/missing.js')));
  expect(errors.some((e) => /calls \$webresource:pfb_\/scripts\/missing\.js, which is not a web resource of the package/.test(e))).toBe(true);
});

it('an environment variable whose folder and schemaname differ, or whose elements are out of order', () => {
  const p = 'environmentvariabledefinitions/pfb_BridgeUrl/environmentvariabledefinition.xml';
  expect(errorsAfter((f) => edit(f, p, (t) => t.replace('schemaname="pfb_BridgeUrl"', 'schemaname="pfb_Other"')))).toContain(`${p}: schemaname 'pfb_Other' must equal its folder name 'pfb_BridgeUrl'`);
  expect(errorsAfter((f) => edit(f, p, (t) => t.replace(/(<type>[^<]*<\/type>)/, '').replace('<description', '<type>100000000</type><description')))).toContain(
    `${p}: elements must be in alphabetical order, as exports write them`,
  );
});

it('solution.xml missing what exports carry', () => {
  const errors = errorsAfter((f) => edit(f, 'solution.xml', (t) => t.replace(/<CustomizationOptionValuePrefix>\d+<\/CustomizationOptionValuePrefix>/, '')));
  expect(errors).toContain('solution.xml <Publisher> lacks CustomizationOptionValuePrefix that Dataverse exports have');
});

it('a part without a content type', () => {
  expect(errorsAfter((f) => edit(f, '[Content_Types].xml', (t) => t.replace(/<Override PartName="\/WebResources\/[^"]+" ContentType="application\/octet-stream" \/>/, '')))).toEqual(
    expect.arrayContaining([expect.stringMatching(/^\[Content_Types\]\.xml gives no content type for WebResources\//)]),
  );
});

it('the managed zip must say Managed 1', () => {
  const problems = checkPackage({ contents: built.contents, files: built.unmanaged.files, managed: true }).map((p) => p.message);
  expect(problems).toContain('solution.xml says Managed 0; the managed zip must say 1');
});
