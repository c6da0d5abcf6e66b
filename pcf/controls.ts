/**
 * The PCF controls of this project and where `npm run build -w @pfb/pcf` puts them (pcf-scripts' out/controls layout):
 * the solution packer and the sandbox's PCF host read them from here.
 */
import path from 'node:path';

export const PCF_ROOT = __dirname;
export const PCF_OUT_DIR = path.join(__dirname, 'out', 'controls');
export const PCF_NAMESPACE = 'ProjectFieldBridge';
export const PUBLISHER_PREFIX = 'pfb';

export interface PcfControl {
  /** Constructor and folder name, e.g. WbsWorkOrderGrid. */
  readonly name: string;
  readonly namespace: string;
  /** `<namespace>.<constructor>`: the CustomControl name in a solution (with the publisher prefix: pfb_ProjectFieldBridge.X). */
  readonly fullName: string;
  /** Source folder (ControlManifest.Input.xml, index.ts, strings/). */
  readonly sourceDir: string;
  /** Build output folder: bundle.js, ControlManifest.xml, strings/<name>.1033.resx. */
  readonly outDir: string;
  readonly bundle: string;
  readonly manifest: string;
  /** RESX files, relative to outDir. */
  readonly resx: readonly string[];
  readonly kind: 'dataset' | 'field';
}

function control(name: string, kind: PcfControl['kind']): PcfControl {
  const outDir = path.join(PCF_OUT_DIR, name);
  return {
    name,
    namespace: PCF_NAMESPACE,
    fullName: `${PCF_NAMESPACE}.${name}`,
    sourceDir: path.join(__dirname, name),
    outDir,
    bundle: path.join(outDir, 'bundle.js'),
    manifest: path.join(outDir, 'ControlManifest.xml'),
    resx: [`strings/${name}.1033.resx`],
    kind,
  };
}

export const PCF_CONTROLS: readonly PcfControl[] = [control('WbsWorkOrderGrid', 'dataset'), control('BookingProgressPanel', 'field')];

/** Production bundle budget per control (DESIGN §7). */
export const MAX_BUNDLE_BYTES = 60 * 1024;
