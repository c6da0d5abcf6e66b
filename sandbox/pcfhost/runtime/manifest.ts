/// <reference lib="dom" />
/**
 * Reads a compiled ControlManifest.xml (pcf-scripts' out/controls/<Control>/ControlManifest.xml) the way the platform
 * does when it loads a control: its identity, type, properties, data-sets and resources.
 */

export interface ManifestProperty {
  readonly name: string;
  readonly usage: 'bound' | 'input' | 'output';
  readonly ofType: string | null;
  readonly ofTypeGroup: string | null;
  readonly defaultValue: string | null;
  readonly required: boolean;
}

export interface ControlManifest {
  readonly namespace: string;
  readonly constructorName: string;
  readonly version: string;
  readonly controlType: 'standard' | 'virtual';
  readonly properties: readonly ManifestProperty[];
  readonly dataSets: readonly string[];
  readonly typeGroups: Readonly<Record<string, readonly string[]>>;
  readonly code: string;
  readonly resx: readonly string[];
  readonly platformLibraries: readonly { name: string; version: string }[];
  readonly features: readonly string[];
}

export function parseManifest(xml: string): ControlManifest {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const control = doc.querySelector('manifest > control');
  if (!control) throw new Error('ControlManifest.xml has no <control> element');
  const attr = (el: Element, name: string): string | null => el.getAttribute(name);
  const typeGroups: Record<string, string[]> = {};
  control.querySelectorAll(':scope > type-group').forEach((g) => {
    typeGroups[attr(g, 'name') ?? ''] = Array.from(g.querySelectorAll('type')).map((t) => t.textContent ?? '');
  });
  return {
    namespace: attr(control, 'namespace') ?? '',
    constructorName: attr(control, 'constructor') ?? '',
    version: attr(control, 'version') ?? '',
    controlType: attr(control, 'control-type') === 'virtual' ? 'virtual' : 'standard',
    properties: Array.from(control.querySelectorAll(':scope > property')).map((p) => ({
      name: attr(p, 'name') ?? '',
      usage: (attr(p, 'usage') ?? 'input') as ManifestProperty['usage'],
      ofType: attr(p, 'of-type'),
      ofTypeGroup: attr(p, 'of-type-group'),
      defaultValue: attr(p, 'default-value'),
      required: attr(p, 'required') === 'true',
    })),
    dataSets: Array.from(control.querySelectorAll(':scope > data-set')).map((d) => attr(d, 'name') ?? ''),
    typeGroups,
    code: control.querySelector('resources > code')?.getAttribute('path') ?? 'bundle.js',
    resx: Array.from(control.querySelectorAll('resources > resx')).map((r) => attr(r, 'path') ?? ''),
    platformLibraries: Array.from(control.querySelectorAll('resources > platform-library')).map((l) => ({ name: attr(l, 'name') ?? '', version: attr(l, 'version') ?? '' })),
    features: Array.from(control.querySelectorAll('feature-usage > uses-feature')).map((f) => attr(f, 'name') ?? ''),
  };
}

/** `<data name="k"><value>v</value></data>` entries of a RESX file. */
export function parseResx(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const out = new Map<string, string>();
  doc.querySelectorAll('root > data').forEach((d) => {
    const name = d.getAttribute('name');
    const value = d.querySelector('value')?.textContent;
    if (name && value !== undefined && value !== null) out.set(name, value);
  });
  return out;
}
