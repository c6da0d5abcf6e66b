/**
 * The solution's identity: unique name, version, publisher. The customization option value prefix 72431 is why our
 * choice values start at 724,310,000 (DESIGN §3): Dataverse numbers a publisher's options prefix × 10,000 + n.
 */
import packageJson from '../../package.json';

export interface PublisherDefinition {
  readonly uniqueName: string;
  readonly displayName: string;
  readonly description: string;
  readonly prefix: string;
  readonly optionValuePrefix: number;
}

export interface SolutionManifest {
  readonly uniqueName: string;
  readonly displayName: string;
  readonly description: string;
  /** Dataverse's four-part version (major.minor.build.revision). */
  readonly version: string;
  readonly publisher: PublisherDefinition;
}

/** npm's `major.minor.patch` (pre-release tags dropped) as Dataverse's four-part version. */
export function solutionVersionOf(npmVersion: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(npmVersion);
  if (!m) throw new Error(`solution/package.json version '${npmVersion}' is not major.minor.patch`);
  return `${m[1]}.${m[2]}.${m[3]}.0`;
}

export const PUBLISHER: PublisherDefinition = {
  uniqueName: 'ProjectFieldBridge',
  displayName: 'Project Field Bridge',
  description: 'Publisher of the Project Field Bridge solution.',
  prefix: 'pfb',
  optionValuePrefix: 72431,
};

export const MANIFEST: SolutionManifest = {
  uniqueName: 'ProjectFieldBridge',
  displayName: 'Project Field Bridge',
  description:
    'Connects Dynamics 365 Project Operations plans to Field Service execution and a field mobility app: task sync, work order and booking tracking, field progress roll-ups.',
  version: solutionVersionOf(packageJson.version),
  publisher: PUBLISHER,
};

/** The zip file names Dataverse gives an export: ProjectFieldBridge_0_1_0_0.zip and …_managed.zip. */
export function packageFileName(manifest: SolutionManifest, managed: boolean): string {
  return `${manifest.uniqueName}_${manifest.version.replace(/\./g, '_')}${managed ? '_managed' : ''}.zip`;
}
