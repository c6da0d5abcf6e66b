/** The manifest constants the controls use match their ControlManifest.Input.xml, and every RESX key they read exists. */
import fs from 'node:fs';
import path from 'node:path';
import * as grid from '../WbsWorkOrderGrid/manifest';
import * as panel from '../BookingProgressPanel/manifest';
import { GRID_STRING_KEYS } from '../WbsWorkOrderGrid/gridStrings';
import { PANEL_STRING_KEYS } from '../BookingProgressPanel/panelStrings';
import { PCF_CONTROLS } from '../controls';

const read = (control: string, file: string): Document => new DOMParser().parseFromString(fs.readFileSync(path.join(__dirname, '..', control, file), 'utf8'), 'application/xml');

describe.each([
  ['WbsWorkOrderGrid', grid.NAMESPACE, grid.CONSTRUCTOR, Object.values(grid.PROPERTIES), [grid.DATASET], GRID_STRING_KEYS as readonly string[]],
  ['BookingProgressPanel', panel.NAMESPACE, panel.CONSTRUCTOR, Object.values(panel.PROPERTIES), [], PANEL_STRING_KEYS as readonly string[]],
])('%s manifest', (folder, namespace, ctor, properties, datasets, stringKeys) => {
  const manifest = read(folder, 'ControlManifest.Input.xml');
  const control = manifest.querySelector('manifest > control') as Element;

  it('declares the namespace, constructor, properties and data-sets the code reads', () => {
    expect(control.getAttribute('namespace')).toBe(namespace);
    expect(control.getAttribute('constructor')).toBe(ctor);
    expect(control.getAttribute('control-type')).toBe('virtual');
    expect([...control.querySelectorAll(':scope > property')].map((p) => p.getAttribute('name')).sort()).toEqual([...properties].sort());
    expect([...control.querySelectorAll(':scope > data-set')].map((d) => d.getAttribute('name'))).toEqual(datasets);
    expect(PCF_CONTROLS.some((c) => c.name === ctor && c.namespace === namespace)).toBe(true);
  });

  it('uses the platform libraries React 16.14.0 and Fluent 9.46.2 and the Web API feature', () => {
    const libs = [...control.querySelectorAll('resources > platform-library')].map((l) => `${l.getAttribute('name')} ${l.getAttribute('version')}`);
    expect(libs).toEqual(['React 16.14.0', 'Fluent 9.46.2']);
    expect([...control.querySelectorAll('feature-usage > uses-feature')].map((f) => f.getAttribute('name'))).toContain('WebAPI');
  });

  it('has every display key and every string the components read in its 1033 RESX', () => {
    const resxPath = control.querySelector('resources > resx')?.getAttribute('path') as string;
    const resx = read(folder, resxPath);
    const keys = new Set([...resx.querySelectorAll('root > data')].map((d) => d.getAttribute('name')));
    const manifestKeys = [...manifest.querySelectorAll('[display-name-key],[description-key]')].flatMap((e) => [e.getAttribute('display-name-key'), e.getAttribute('description-key')]).filter((k): k is string => !!k);
    for (const k of [...manifestKeys, ...stringKeys]) expect(keys.has(k) ? k : `missing ${k}`).toBe(k);
  });
});
