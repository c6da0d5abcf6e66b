/// <reference lib="dom" />
/// <reference types="powerapps-component-framework" />
/**
 * Mounts a built PCF control (its out/controls/<Control>/ folder: ControlManifest.xml, bundle.js, strings/*.resx) into
 * an element, the way model-driven apps run it: the bundle registers its constructor through
 * `ComponentFramework.registerControl`, the host calls `init(context, notifyOutputChanged, state, container)` and then
 * `updateView(context)` whenever data, size, visibility or parameters change; a virtual control's updateView returns a
 * React element which the host renders with the platform's ReactDOM. `destroy()` on unmount.
 */
import type * as ReactTypes from 'react';
import type { Vendor } from './vendor';
import { createClient, createDevice, createFormatting, createMode, createNavigation, createUserSettings, createUtility, type ModeState, type NavigationEvent, type RecordInfo } from './context';
import { HostDataset, type DatasetOptions } from './dataset';
import { parseManifest, parseResx, type ControlManifest, type ManifestProperty } from './manifest';
import { createHttp, createWebApi, type RequestLog } from './webApi';

export type { DatasetOptions, NavigationEvent, RecordInfo, RequestLog };

export interface RenderInfo {
  /** How many updateView calls so far, this one included. */
  readonly count: number;
  readonly reasons: readonly string[];
  /** Time in the control's updateView. */
  readonly updateViewMs: number;
  /** Time in ReactDOM.render of the returned element (virtual controls). */
  readonly renderMs: number;
  /** Records per dataset at this render. */
  readonly rows: Readonly<Record<string, number>>;
  /** performance.now() when updateView was called. */
  readonly startedAt: number;
}

export interface MountOptions {
  readonly element: HTMLElement;
  /** URL of the control's build folder, e.g. /controls/WbsWorkOrderGrid/ */
  readonly controlUrl: string;
  /** Web API root on the page's origin. */
  readonly apiRoot?: string;
  /** The form's record (field controls; contextInfo). */
  readonly record?: RecordInfo;
  /** Raw values of bound and input properties (inputs default to the manifest's default-value). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly datasets?: Readonly<Record<string, DatasetOptions>>;
  /** Fixed allocated size; otherwise the element's size is tracked. */
  readonly width?: number;
  readonly height?: number;
  readonly visible?: boolean;
  readonly disabled?: boolean;
  readonly theme?: 'light' | 'dark';
  readonly languageId?: number;
  readonly user?: { readonly id: string; readonly name: string };
  readonly label?: string;
  readonly onNavigate?: (e: NavigationEvent) => void;
  readonly onOutputs?: (outputs: Record<string, unknown>) => void;
  readonly onRender?: (info: RenderInfo) => void;
  readonly onRequest?: (entry: RequestLog) => void;
}

export interface MountedControl {
  readonly manifest: ControlManifest;
  readonly control: ComponentFramework.StandardControl<unknown, unknown>;
  readonly context: ComponentFramework.Context<Record<string, unknown>>;
  readonly datasets: Readonly<Record<string, HostDataset>>;
  readonly navigations: NavigationEvent[];
  readonly requests: RequestLog[];
  readonly outputs: Record<string, unknown>;
  renders(): number;
  setParameters(values: Readonly<Record<string, unknown>>): void;
  setVisible(visible: boolean): void;
  resize(width: number, height: number): void;
  /** Asks for an updateView (as the platform does on any change). */
  update(reason?: string): void;
  /** Resolves when no dataset read runs and no updateView is pending. */
  idle(): Promise<void>;
  unmount(): void;
}

type ControlCtor = new () => ComponentFramework.StandardControl<unknown, unknown> & { updateView(context: unknown): unknown };

interface PcfWindow {
  PfbPcfHostVendor?: Vendor;
  ComponentFramework?: { registerControl?: (name: string, ctor: ControlCtor) => void };
  __pfbPcfRegistry?: Map<string, ControlCtor>;
  __pfbPcfScripts?: Map<string, Promise<void>>;
}

const win = window as unknown as PcfWindow & Record<string, unknown>;

function vendor(): Vendor {
  const v = win.PfbPcfHostVendor;
  if (!v) throw new Error('The platform libraries are not on the page: load /pcfhost/vendor.js before /pcfhost/host.js');
  return v;
}

function registry(): Map<string, ControlCtor> {
  win.__pfbPcfRegistry ??= new Map();
  const reg = win.__pfbPcfRegistry;
  // The platform's registration entry point: a bundle built by pcf-scripts calls it when it exists.
  win.ComponentFramework ??= {};
  win.ComponentFramework.registerControl ??= (name, ctor) => void reg.set(name, ctor);
  return reg;
}

function loadScript(src: string): Promise<void> {
  win.__pfbPcfScripts ??= new Map();
  const scripts = win.__pfbPcfScripts;
  let p = scripts.get(src);
  if (!p) {
    p = new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`Could not load ${src}`));
      document.head.appendChild(s);
    });
    scripts.set(src, p);
  }
  return p;
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

function typeOf(p: ManifestProperty, manifest: ControlManifest): string {
  if (p.ofType) return p.ofType;
  return manifest.typeGroups[p.ofTypeGroup ?? '']?.[0] ?? 'SingleLine.Text';
}

function defaultRaw(p: ManifestProperty, type: string): unknown {
  if (p.defaultValue === null) return null;
  if (/^(Whole|Decimal|FP|Currency)/.test(type)) return Number(p.defaultValue);
  if (type === 'TwoOptions') return p.defaultValue === 'true' || p.defaultValue === '1';
  return p.defaultValue;
}

function property(name: string, type: string, raw: unknown): ComponentFramework.PropertyTypes.Property {
  return {
    raw: raw === undefined ? null : raw,
    formatted: raw === null || raw === undefined ? '' : String(raw),
    error: false,
    errorMessage: '',
    type,
    security: { editable: true, readable: true, secured: false },
    attributes: { DisplayName: name, LogicalName: name, RequiredLevel: 0, IsSecured: false, SourceType: 0, Description: '' },
  } as unknown as ComponentFramework.PropertyTypes.Property;
}

export async function mountControl(options: MountOptions): Promise<MountedControl> {
  const { ReactDOM, Fluent } = vendor();
  const base = options.controlUrl.endsWith('/') ? options.controlUrl : `${options.controlUrl}/`;
  const manifest = parseManifest(await fetchText(`${base}ControlManifest.xml`));
  const strings = manifest.resx.length ? parseResx(await fetchText(`${base}${manifest.resx[0]}`)) : new Map<string, string>();
  const reg = registry();
  const fullName = `${manifest.namespace}.${manifest.constructorName}`;
  await loadScript(`${base}bundle.js`);
  const ctor = reg.get(fullName) ?? ((win[manifest.namespace] as Record<string, ControlCtor> | undefined)?.[manifest.constructorName] as ControlCtor | undefined);
  if (!ctor) throw new Error(`${base}bundle.js registered no control ${fullName}`);

  const element = options.element;
  const navigations: NavigationEvent[] = [];
  const http = createHttp(options.apiRoot ?? '/api/data/v9.2', options.onRequest);
  const state: ModeState = {
    width: options.width ?? element.clientWidth,
    height: options.height ?? (element.clientHeight || -1),
    isVisible: options.visible ?? true,
    isControlDisabled: options.disabled ?? false,
    trackResize: false,
    fullScreen: false,
  };
  let observer: ResizeObserver | null = null;
  const measure = (): void => {
    const w = options.width ?? element.clientWidth;
    const h = options.height ?? (element.clientHeight || -1);
    if (w !== state.width || h !== state.height) {
      state.width = w;
      state.height = h;
      schedule('layout');
    }
  };
  const onNavigate = (e: NavigationEvent): void => {
    navigations.push(e);
    options.onNavigate?.(e);
  };

  const datasets: Record<string, HostDataset> = {};
  const parameters: Record<string, unknown> = {};
  const rawValues: Record<string, unknown> = { ...options.parameters };
  const propertyTypes = new Map<string, string>();
  for (const p of manifest.properties) {
    const type = typeOf(p, manifest);
    propertyTypes.set(p.name, type);
    const raw = p.name in rawValues ? rawValues[p.name] : defaultRaw(p, type);
    parameters[p.name] = property(p.name, type, raw);
  }
  for (const name of manifest.dataSets) {
    const ds = options.datasets?.[name];
    if (!ds) throw new Error(`${fullName} has a data-set "${name}": pass datasets.${name} to mountControl`);
    datasets[name] = new HostDataset(name, ds, http, (reason) => schedule(reason), (ref) => onNavigate({ kind: 'record', options: ref }));
    parameters[name] = datasets[name];
  }

  const languageId = options.languageId ?? 1033;
  const tokenTheme = options.theme === 'dark' ? Fluent.webDarkTheme : Fluent.webLightTheme;
  const context = {
    parameters,
    mode: createMode(state, options.label ?? manifest.constructorName, options.record, (track) => {
      if (track && !observer && typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(() => measure());
        observer.observe(element);
      }
      if (!track && observer) {
        observer.disconnect();
        observer = null;
      }
    }, () => schedule('fullscreen')),
    client: createClient(),
    device: createDevice(),
    factory: { requestRender: () => schedule('requestRender'), getPopupService: () => ({}) } as unknown as ComponentFramework.Factory,
    formatting: createFormatting('en-US'),
    navigation: createNavigation(onNavigate),
    resources: {
      getString: (id: string) => strings.get(id) ?? id,
      getResource: (id: string, success: (data: string) => void, failure: () => void) => {
        fetch(`${base}${id}`)
          .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(String(r.status)))))
          .then((buf) => success(btoa(String.fromCharCode(...new Uint8Array(buf)))))
          .catch(() => failure());
      },
    },
    userSettings: createUserSettings(options.user ?? { id: '00000000-0000-0000-0000-000000000001', name: 'Sandbox Admin' }, languageId),
    utils: createUtility(),
    webAPI: createWebApi(http),
    updatedProperties: [] as string[],
    events: {},
    fluentDesignLanguage: { tokenTheme, isDarkTheme: options.theme === 'dark' },
    // Model-driven apps also give controls the page (client URL, the form's record).
    page: {
      getClientUrl: () => window.location.origin,
      entityId: options.record?.entityId,
      entityTypeName: options.record?.entityName,
      appId: '00000000-0000-0000-0000-0000000000aa',
      isPageReadOnly: false,
    },
  } as unknown as ComponentFramework.Context<Record<string, unknown>>;

  const control = new ctor();
  const outputs: Record<string, unknown> = {};
  let renders = 0;
  let pending = new Set<string>();
  let scheduled = false;
  let alive = true;
  let initialised = false;

  function flush(): void {
    scheduled = false;
    if (!alive || !initialised) return;
    const reasons = [...pending];
    pending = new Set();
    context.updatedProperties = reasons;
    const startedAt = performance.now();
    const result = control.updateView(context);
    const t1 = performance.now();
    if (manifest.controlType === 'virtual') ReactDOM.render(result as unknown as ReactTypes.ReactElement, element);
    const t2 = performance.now();
    renders += 1;
    const rows: Record<string, number> = {};
    for (const [name, ds] of Object.entries(datasets)) rows[name] = ds.sortedRecordIds.length;
    options.onRender?.({ count: renders, reasons, updateViewMs: t1 - startedAt, renderMs: t2 - t1, rows, startedAt });
  }

  function schedule(reason: string): void {
    pending.add(reason);
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  }

  const notifyOutputChanged = (): void => {
    const out = (control.getOutputs?.() ?? {}) as Record<string, unknown>;
    Object.assign(outputs, out);
    for (const [name, value] of Object.entries(out)) {
      const type = propertyTypes.get(name);
      if (type) parameters[name] = property(name, type, value);
    }
    options.onOutputs?.(out);
  };

  control.init(context, notifyOutputChanged, {}, manifest.controlType === 'virtual' ? (undefined as unknown as HTMLDivElement) : (element as HTMLDivElement));
  initialised = true;
  for (const ds of Object.values(datasets)) ds.start();
  schedule('init');

  return {
    manifest,
    control,
    context,
    datasets,
    navigations,
    requests: http.log,
    outputs,
    renders: () => renders,
    setParameters(values) {
      for (const [name, value] of Object.entries(values)) {
        const type = propertyTypes.get(name);
        if (!type) throw new Error(`${fullName} has no property ${name}`);
        parameters[name] = property(name, type, value);
        schedule(name);
      }
    },
    setVisible(visible) {
      state.isVisible = visible;
      schedule('isVisible');
    },
    resize(width, height) {
      state.width = width;
      state.height = height;
      schedule('layout');
    },
    update(reason = 'parameters') {
      schedule(reason);
    },
    async idle() {
      for (;;) {
        await Promise.all(Object.values(datasets).map((d) => d.idle()));
        await new Promise((r) => setTimeout(r, 0));
        if (!scheduled && Object.values(datasets).every((d) => !d.loading)) return;
      }
    },
    unmount() {
      if (!alive) return;
      alive = false;
      observer?.disconnect();
      control.destroy();
      if (manifest.controlType === 'virtual') ReactDOM.unmountComponentAtNode(element);
    },
  };
}
