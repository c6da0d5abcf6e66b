/**
 * A typed PCF context for jsdom tests: parameters, mode (size, visibility, contextInfo of the form's record), the
 * control's real RESX strings, a Web API, navigation that records what was opened, user settings and the Fluent theme.
 */
import fs from 'node:fs';
import path from 'node:path';
import { webLightTheme } from '@fluentui/react-components';
import { FakeWebApi } from './fakeWebApi';

export interface MockContextOptions<TInputs> {
  readonly control: 'WbsWorkOrderGrid' | 'BookingProgressPanel';
  readonly parameters: TInputs;
  readonly webAPI?: ComponentFramework.WebApi;
  readonly width?: number;
  readonly height?: number;
  readonly isVisible?: boolean;
  readonly record?: { entityName: string; entityId: string; recordName?: string };
}

export interface MockContext<TInputs> {
  readonly context: ComponentFramework.Context<TInputs>;
  readonly opened: unknown[];
  readonly trackResize: boolean[];
  setVisible(v: boolean): void;
  setSize(width: number, height: number): void;
}

/** The strings of a control's 1033 RESX, as context.resources.getString returns them. */
export function resxStrings(control: string): Map<string, string> {
  const file = path.join(__dirname, '..', control, 'strings', `${control}.1033.resx`);
  const xml = fs.readFileSync(file, 'utf8');
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const out = new Map<string, string>();
  doc.querySelectorAll('root > data').forEach((d) => out.set(d.getAttribute('name') ?? '', d.querySelector('value')?.textContent ?? ''));
  return out;
}

export function mockContext<TInputs>(o: MockContextOptions<TInputs>): MockContext<TInputs> {
  const strings = resxStrings(o.control);
  const opened: unknown[] = [];
  const trackResize: boolean[] = [];
  const state = { visible: o.isVisible ?? true, width: o.width ?? 1200, height: o.height ?? 600 };
  const mode = {
    get allocatedWidth() {
      return state.width;
    },
    get allocatedHeight() {
      return state.height;
    },
    isControlDisabled: false,
    get isVisible() {
      return state.visible;
    },
    label: o.control,
    setControlState: () => true,
    setFullScreen: () => undefined,
    trackContainerResize: (v: boolean) => void trackResize.push(v),
    contextInfo: o.record ? { entityId: o.record.entityId, entityTypeName: o.record.entityName, entityRecordName: o.record.recordName ?? '' } : undefined,
  };
  const context = {
    parameters: o.parameters,
    mode,
    client: { disableScroll: false, getFormFactor: () => 1, getClient: () => 'Web', isOffline: () => false, isNetworkAvailable: () => true },
    device: {},
    factory: { requestRender: () => undefined, getPopupService: () => ({}) },
    formatting: {},
    navigation: {
      openForm: (options: unknown) => {
        opened.push(options);
        return Promise.resolve({ savedEntityReference: [] });
      },
      openUrl: () => undefined,
      openAlertDialog: () => Promise.resolve(),
      openConfirmDialog: () => Promise.resolve({ confirmed: true }),
      openErrorDialog: () => Promise.resolve(),
      openFile: () => Promise.resolve(),
      openWebResource: () => undefined,
    },
    resources: { getString: (id: string) => strings.get(id) ?? '', getResource: () => undefined },
    userSettings: { languageId: 1033, userId: '{00000000-0000-0000-0000-000000000001}', userName: 'Test User', isRTL: false, securityRoles: [] },
    utils: {},
    webAPI: o.webAPI ?? new FakeWebApi(),
    updatedProperties: [],
    events: {},
    fluentDesignLanguage: { tokenTheme: webLightTheme, brand: {}, isDarkTheme: false },
    page: { getClientUrl: () => 'https://org.example.crm.dynamics.com' },
  } as unknown as ComponentFramework.Context<TInputs>;
  return {
    context,
    opened,
    trackResize,
    setVisible: (v) => {
      state.visible = v;
    },
    setSize: (w, h) => {
      state.width = w;
      state.height = h;
    },
  };
}

/** A whole-number input property as the platform passes it. */
export function wholeNumber(raw: number | null): ComponentFramework.PropertyTypes.WholeNumberProperty {
  return { raw, formatted: raw === null ? '' : String(raw), error: false, errorMessage: '', type: 'Whole.None', attributes: undefined } as unknown as ComponentFramework.PropertyTypes.WholeNumberProperty;
}

export function textProperty(raw: string | null): ComponentFramework.PropertyTypes.StringProperty {
  return { raw, formatted: raw ?? '', error: false, errorMessage: '', type: 'SingleLine.Text' } as unknown as ComponentFramework.PropertyTypes.StringProperty;
}
