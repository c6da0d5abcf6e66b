/**
 * Reads a solution zip (the CustomizationFile of ImportSolution) into plain data: the manifest of solution.xml, the
 * components of customizations.xml, the files it points to (web resources, control folders) and the environment
 * variable definitions. Shapes: CustomizationsSolution.xsd and Dataverse's exports. Anything that makes the file
 * unusable is refused with the message Dataverse gives.
 */
import { child, childNames, children, parseElementTree, unbraced, unzipFiles, type Element } from '@pfb/solution';
import { DataverseError } from '../protocol/errors';

export interface Labelled {
  readonly displayName: string;
  readonly description: string;
}

export interface PackageManifest extends Labelled {
  readonly uniqueName: string;
  readonly version: string;
  readonly managed: boolean;
  readonly publisher: Labelled & { readonly uniqueName: string; readonly prefix: string; readonly optionValuePrefix: number };
}

export interface RootComponentEntry {
  readonly type: number;
  readonly schemaName?: string;
  readonly id?: string;
  readonly behavior: number;
}

export interface PackageWebResource extends Labelled {
  readonly id: string;
  readonly name: string;
  readonly type: number;
  readonly content: Buffer;
  readonly languageCode?: number;
  /** The DependencyXml text (the libraries loaded with it). */
  readonly dependencyXml?: string;
}

export interface PackageControl {
  readonly name: string;
  readonly manifest: string;
  /** Files of the control folder, by path relative to it. */
  readonly files: ReadonlyMap<string, Buffer>;
}

export interface PackageEnvironmentVariable extends Labelled {
  readonly schemaName: string;
  readonly type: number;
  readonly isRequired: boolean;
  readonly defaultValue?: string;
  readonly introducedVersion?: string;
}

export interface PackageRole {
  readonly id: string;
  readonly name: string;
  readonly privileges: ReadonlyArray<{ readonly name: string; readonly level: string }>;
}

export interface SolutionPackageFile {
  readonly manifest: PackageManifest;
  readonly rootComponents: readonly RootComponentEntry[];
  /** customizations.xml's root. */
  readonly customizations: Element;
  readonly webResources: readonly PackageWebResource[];
  readonly controls: readonly PackageControl[];
  readonly environmentVariables: readonly PackageEnvironmentVariable[];
  readonly roles: readonly PackageRole[];
  readonly languages: readonly number[];
}

/** Dataverse's words for a file that is not a solution. */
export const INVALID_SOLUTION_FILE =
  'The solution file is invalid. The compressed file must contain the following files at its root: solution.xml, customizations.xml, and [Content_Types].xml. Customization files exported from previous versions of Microsoft Dynamics 365 are also supported.';

export function invalidSolution(detail?: string): DataverseError {
  return new DataverseError(400, '0x80048060', detail ? `${INVALID_SOLUTION_FILE} (${detail})` : INVALID_SOLUTION_FILE);
}

/** The 1033 label of a `<container><item description languagecode /></container>` list (or the first one). */
export function labelOf(e: Element | undefined): string {
  const items = e?.children ?? [];
  const label = items.find((i) => i.attributes['languagecode'] === '1033') ?? items[0];
  return label?.attributes['description'] ?? '';
}

export const textOf = (e: Element | undefined, name: string): string | undefined => child(e, name)?.text;

function parseManifest(solutionXml: Element): { manifest: PackageManifest; roots: RootComponentEntry[] } {
  const m = child(solutionXml, 'SolutionManifest');
  if (!m) throw invalidSolution('solution.xml has no SolutionManifest');
  const p = child(m, 'Publisher');
  const uniqueName = textOf(m, 'UniqueName');
  const version = textOf(m, 'Version');
  if (!uniqueName || !version || !p) throw invalidSolution('solution.xml needs UniqueName, Version and Publisher');
  const managedFlag = textOf(m, 'Managed');
  if (managedFlag !== '0' && managedFlag !== '1') {
    throw new DataverseError(400, '0x80048060', `solution.xml says Managed ${managedFlag ?? '(none)'}: an importable package is unmanaged (0) or managed (1); pack the unpacked source first.`);
  }
  const manifest: PackageManifest = {
    uniqueName,
    version,
    managed: managedFlag === '1',
    displayName: labelOf(child(m, 'LocalizedNames')) || uniqueName,
    description: labelOf(child(m, 'Descriptions')),
    publisher: {
      uniqueName: textOf(p, 'UniqueName') ?? '',
      displayName: labelOf(child(p, 'LocalizedNames')),
      description: labelOf(child(p, 'Descriptions')),
      prefix: textOf(p, 'CustomizationPrefix') ?? '',
      optionValuePrefix: Number(textOf(p, 'CustomizationOptionValuePrefix') ?? NaN),
    },
  };
  if (!manifest.publisher.uniqueName || !/^[a-z][a-z0-9]{1,7}$/i.test(manifest.publisher.prefix)) throw invalidSolution('the publisher needs a unique name and a customization prefix of 2 to 8 letters and digits');
  const roots = children(child(m, 'RootComponents'), 'RootComponent').map((r) => ({
    type: Number(r.attributes['type']),
    schemaName: r.attributes['schemaName'],
    id: unbraced(r.attributes['id']),
    behavior: Number(r.attributes['behavior'] ?? 0),
  }));
  return { manifest, roots };
}

function parseEnvironmentVariable(path: string, xml: Buffer): PackageEnvironmentVariable {
  const root = parseElementTree(xml);
  const schemaName = root.attributes['schemaname'];
  if (root.name !== 'environmentvariabledefinition' || !schemaName) throw invalidSolution(`${path} is not an environment variable definition`);
  const defaultValue = child(root, 'defaultvalue');
  return {
    schemaName,
    displayName: child(root, 'displayname')?.attributes['default'] || labelOf(child(root, 'displayname')) || schemaName,
    description: child(root, 'description')?.attributes['default'] || labelOf(child(root, 'description')),
    type: Number(textOf(root, 'type') ?? 100000000),
    isRequired: textOf(root, 'isrequired') === '1',
    defaultValue: defaultValue ? defaultValue.text : undefined,
    introducedVersion: textOf(root, 'introducedversion'),
  };
}

export function readSolutionPackage(zip: Uint8Array): SolutionPackageFile {
  let files: Map<string, Uint8Array>;
  try {
    files = unzipFiles(zip);
  } catch (e) {
    throw invalidSolution(`not a zip file: ${(e as Error).message}`);
  }
  const get = (p: string): Buffer | undefined => {
    const bytes = files.get(p);
    return bytes ? Buffer.from(bytes) : undefined;
  };
  const solutionXml = get('solution.xml');
  const customizationsXml = get('customizations.xml');
  if (!solutionXml || !customizationsXml || !files.has('[Content_Types].xml')) throw invalidSolution();
  let solutionRoot: Element;
  let customizations: Element;
  try {
    solutionRoot = parseElementTree(solutionXml);
    customizations = parseElementTree(customizationsXml);
  } catch (e) {
    throw invalidSolution(`solution.xml or customizations.xml is not well-formed XML: ${(e as Error).message}`);
  }
  if (customizations.name !== 'ImportExportXml') throw invalidSolution('customizations.xml is not an ImportExportXml document');
  const { manifest, roots } = parseManifest(solutionRoot);

  const webResources: PackageWebResource[] = children(child(customizations, 'WebResources'), 'WebResource').map((w) => {
    const name = textOf(w, 'Name') ?? '';
    const id = unbraced(textOf(w, 'WebResourceId'));
    const fileName = (textOf(w, 'FileName') ?? '').replace(/^\//, '');
    const content = get(fileName);
    if (!name || !id) throw invalidSolution('a WebResource has no Name or WebResourceId');
    if (!content) throw invalidSolution(`web resource ${name}: its file ${fileName} is not in the zip`);
    const language = textOf(w, 'LanguageCode');
    return {
      id,
      name,
      type: Number(textOf(w, 'WebResourceType') ?? 0),
      displayName: textOf(w, 'DisplayName') ?? '',
      description: textOf(w, 'Description') ?? '',
      content,
      languageCode: language ? Number(language) : undefined,
      dependencyXml: textOf(w, 'DependencyXml') || undefined,
    };
  });

  const controls: PackageControl[] = children(child(customizations, 'CustomControls'), 'CustomControl').map((c) => {
    const name = textOf(c, 'Name') ?? '';
    const fileName = (textOf(c, 'FileName') ?? '').replace(/^\//, '');
    const manifestXml = get(fileName);
    if (!manifestXml) throw invalidSolution(`control ${name}: its manifest ${fileName} is not in the zip`);
    const dir = fileName.slice(0, fileName.lastIndexOf('/') + 1);
    const controlFiles = new Map<string, Buffer>();
    for (const [p, bytes] of files) if (p.startsWith(dir) && p !== fileName) controlFiles.set(p.slice(dir.length), Buffer.from(bytes));
    return { name, manifest: manifestXml.toString('utf8'), files: controlFiles };
  });

  const environmentVariables: PackageEnvironmentVariable[] = [];
  for (const [p, bytes] of files) {
    if (/^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/i.test(p)) environmentVariables.push(parseEnvironmentVariable(p, Buffer.from(bytes)));
  }

  const roles: PackageRole[] = children(child(customizations, 'Roles'), 'Role').map((r) => {
    const id = unbraced(r.attributes['id']);
    if (!id || !r.attributes['name']) throw invalidSolution('a Role has no name or id');
    return {
      id,
      name: r.attributes['name'],
      privileges: children(child(r, 'RolePrivileges'), 'RolePrivilege').map((p) => ({ name: p.attributes['name'] ?? '', level: p.attributes['level'] ?? '' })),
    };
  });

  const languages = children(child(customizations, 'Languages'), 'Language').map((l) => Number(l.text));
  if (!childNames(customizations).includes('Languages') || languages.length === 0) throw invalidSolution('customizations.xml lists no Languages');
  return { manifest, rootComponents: roots, customizations, webResources, controls, environmentVariables, roles, languages };
}
