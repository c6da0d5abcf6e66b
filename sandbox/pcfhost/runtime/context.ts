/// <reference lib="dom" />
/// <reference types="powerapps-component-framework" />
/**
 * The parts of a PCF `context` besides data: mode (allocated size, visibility, contextInfo of the form's record),
 * user settings, formatting, navigation, resources, utility, factory, client and device — what model-driven apps give
 * a control, with the sandbox's values (en-US, the browser's time zone, the sandbox user).
 */
import { columnOf, tableOf } from './schemaInfo';

export interface NavigationEvent {
  readonly kind: 'form' | 'url' | 'alert' | 'confirm' | 'error' | 'webresource' | 'record';
  readonly options: unknown;
}

export interface RecordInfo {
  readonly entityName: string;
  /** Empty for a new, unsaved record. */
  readonly entityId: string;
  readonly recordName?: string;
}

export interface ModeState {
  width: number;
  height: number;
  isVisible: boolean;
  isControlDisabled: boolean;
  trackResize: boolean;
  fullScreen: boolean;
}

export function createMode(state: ModeState, label: string, record: RecordInfo | undefined, onTrack: (track: boolean) => void, onFullScreen: (v: boolean) => void): ComponentFramework.Mode {
  const mode = {
    get allocatedWidth() {
      return state.trackResize ? state.width : -1;
    },
    get allocatedHeight() {
      return state.trackResize ? state.height : -1;
    },
    get isControlDisabled() {
      return state.isControlDisabled;
    },
    get isVisible() {
      return state.isVisible;
    },
    label,
    setControlState: () => true,
    setFullScreen: (v: boolean) => {
      state.fullScreen = v;
      onFullScreen(v);
    },
    trackContainerResize: (v: boolean) => {
      state.trackResize = v;
      onTrack(v);
    },
    // Model-driven apps put the form's record here (not in the typings).
    contextInfo: record ? { entityId: record.entityId, entityTypeName: record.entityName, entityRecordName: record.recordName ?? '' } : undefined,
  };
  return mode as unknown as ComponentFramework.Mode;
}

export function createFormatting(locale: string): ComponentFramework.Formatting {
  const dateShort = new Intl.DateTimeFormat(locale, { dateStyle: 'short' });
  const dateTimeShort = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const dateLong = new Intl.DateTimeFormat(locale, { dateStyle: 'full' });
  const dateLongAbbr = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const yearMonth = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const f = {
    formatCurrency: (value: number, precision?: number, symbol?: string) =>
      `${symbol ?? '$'}${value.toLocaleString(locale, { minimumFractionDigits: precision ?? 2, maximumFractionDigits: precision ?? 2 })}`,
    formatDecimal: (value: number, precision?: number) => value.toLocaleString(locale, { minimumFractionDigits: precision ?? 2, maximumFractionDigits: precision ?? 2 }),
    formatInteger: (value: number) => Math.round(value).toLocaleString(locale),
    formatLanguage: (value: number) => String(value),
    formatDateYearMonth: (value: Date) => yearMonth.format(value),
    formatDateAsFilterStringInUTC: (value: Date) => value.toISOString(),
    formatDateLong: (value: Date) => dateLong.format(value),
    formatDateLongAbbreviated: (value: Date) => dateLongAbbr.format(value),
    formatDateShort: (value: Date, includeTime?: boolean) => (includeTime ? dateTimeShort : dateShort).format(value),
    formatTime: (value: Date) => time.format(value),
    formatUserDateTimeToUTC: (value: Date) => value.toISOString(),
    formatUTCDateTimeToUserDate: (value: Date) => new Date(value),
    parseDateFromInput: (value: string) => new Date(value),
    getWeekOfYear: (value: Date) => {
      const d = new Date(Date.UTC(value.getFullYear(), value.getMonth(), value.getDate()));
      const day = d.getUTCDay() || 7;
      d.setUTCDate(d.getUTCDate() + 4 - day);
      const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
      return Math.ceil(((d.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
    },
  };
  return f as unknown as ComponentFramework.Formatting;
}

export function createUserSettings(user: { id: string; name: string }, languageId: number): ComponentFramework.UserSettings {
  const offset = -new Date().getTimezoneOffset();
  return {
    dateFormattingInfo: {
      amDesignator: 'AM',
      pmDesignator: 'PM',
      firstDayOfWeek: 0,
      shortDatePattern: 'M/d/yyyy',
      shortTimePattern: 'h:mm tt',
      longDatePattern: 'dddd, MMMM d, yyyy',
      longTimePattern: 'h:mm:ss tt',
      fullDateTimePattern: 'dddd, MMMM d, yyyy h:mm:ss tt',
      dateSeparator: '/',
      timeSeparator: ':',
      abbreviatedDayNames: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
      dayNames: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
      abbreviatedMonthNames: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', ''],
      monthNames: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', ''],
    } as unknown as ComponentFramework.UserSettingApi.DateFormattingInfo,
    isRTL: false,
    languageId,
    numberFormattingInfo: { numberDecimalSeparator: '.', numberGroupSeparator: ',', numberDecimalDigits: 2 } as unknown as ComponentFramework.UserSettingApi.NumberFormattingInfo,
    securityRoles: [],
    userId: `{${user.id.toUpperCase()}}`,
    userName: user.name,
    getTimeZoneOffsetMinutes: () => offset,
  } as unknown as ComponentFramework.UserSettings;
}

export function createNavigation(onNavigate: (e: NavigationEvent) => void): ComponentFramework.Navigation {
  const nav = {
    openAlertDialog: (options: unknown) => {
      onNavigate({ kind: 'alert', options });
      return Promise.resolve();
    },
    openConfirmDialog: (options: unknown) => {
      onNavigate({ kind: 'confirm', options });
      return Promise.resolve({ confirmed: true });
    },
    openErrorDialog: (options: unknown) => {
      onNavigate({ kind: 'error', options });
      return Promise.resolve();
    },
    openFile: () => Promise.resolve(),
    openForm: (options: unknown) => {
      onNavigate({ kind: 'form', options });
      return Promise.resolve({ savedEntityReference: [] });
    },
    openUrl: (url: string) => onNavigate({ kind: 'url', options: { url } }),
    openWebResource: (name: string) => onNavigate({ kind: 'webresource', options: { name } }),
  };
  return nav as unknown as ComponentFramework.Navigation;
}

export function createUtility(): ComponentFramework.Utility {
  const util = {
    getEntityMetadata: (entityName: string, attributes?: string[]) => {
      const t = tableOf(entityName);
      const attrs = (attributes ?? []).map((a) => columnOf(t, a)).filter((c) => !!c);
      return Promise.resolve({
        LogicalName: t.logicalName,
        EntitySetName: t.entitySetName,
        PrimaryIdAttribute: t.primaryIdAttribute,
        PrimaryNameAttribute: t.primaryNameAttribute,
        DisplayName: t.displayName,
        DisplayCollectionName: t.displayCollectionName,
        ObjectTypeCode: t.objectTypeCode,
        Attributes: attrs.map((c) => ({ LogicalName: c?.logicalName, DisplayName: c?.displayName, AttributeType: c?.type, OptionSet: c?.optionSet?.options.map((o) => ({ Value: o.value, Label: o.label })) })),
      });
    },
    hasEntityPrivilege: () => true,
    lookupObjects: () => Promise.reject(new Error('The sandbox PCF host has no lookup dialog')),
  };
  return util as unknown as ComponentFramework.Utility;
}

export function createClient(): ComponentFramework.Client {
  return { disableScroll: false, getFormFactor: () => 1, getClient: () => 'Web', isOffline: () => false, isNetworkAvailable: () => true } as ComponentFramework.Client;
}

export function createDevice(): ComponentFramework.Device {
  const unsupported = () => Promise.reject(new Error('Not available in the sandbox PCF host'));
  return {
    captureAudio: unsupported,
    captureImage: unsupported,
    captureVideo: unsupported,
    getBarcodeValue: unsupported,
    getCurrentPosition: unsupported,
    pickFile: unsupported,
  } as unknown as ComponentFramework.Device;
}
