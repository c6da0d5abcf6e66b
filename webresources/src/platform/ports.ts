/**
 * The boundary between the commands and the platform. The commands are written against these small ports; the
 * entry points build them from the global `Xrm` (platform/xrmPorts.ts), tests and the benchmark from whatever they
 * drive. Nothing behind a port decides anything: it moves data and shows what it is given.
 */
import type { Strings } from '../strings/localize';
import type { ExecuteRequest } from './requests';

export type Row = Record<string, unknown>;

export interface RetrieveMultipleResult {
  readonly entities: Row[];
  /** Present when there are more rows than one page: the next call passes its query part as `options`. */
  readonly nextLink?: string;
}

/** The subset of `Xrm.WebApi` the commands use. Every call is one HTTP request. */
export interface WebApiPort {
  retrieveMultipleRecords(entityLogicalName: string, options: string): PromiseLike<RetrieveMultipleResult>;
  /** One `$batch`; an inner array is one change set (atomic). */
  executeMultiple(requests: readonly (ExecuteRequest | readonly ExecuteRequest[])[]): PromiseLike<readonly { readonly ok: boolean; readonly status: number }[]>;
}

export interface DialogPort {
  alert(dialog: { readonly title: string; readonly text: string; readonly confirmLabel: string }): Promise<void>;
  /** Resolves true when the user chose the confirm button. */
  confirm(dialog: { readonly title: string; readonly text: string; readonly confirmLabel: string; readonly cancelLabel: string }): Promise<boolean>;
}

export interface ProgressPort {
  show(message: string): void;
  close(): void;
}

export type NotificationLevel = 'success' | 'error' | 'warning' | 'info';

export interface NotifyPort {
  notify(level: NotificationLevel, message: string): void;
}

export interface UserPort {
  /** systemuserid, bare lower case. */
  readonly id: string;
  readonly lcid: number;
}

export interface CommandPorts {
  readonly webApi: WebApiPort;
  readonly dialogs: DialogPort;
  readonly progress: ProgressPort;
  readonly notifications: NotifyPort;
  readonly user: UserPort;
  readonly strings: Strings;
  now(): Date;
}

/** All rows of a query, following `nextLink` page by page (one request per page; 5,000 rows per page at most). */
export async function retrieveAll(webApi: WebApiPort, entityLogicalName: string, options: string): Promise<Row[]> {
  const rows: Row[] = [];
  let next: string | undefined = options;
  while (next !== undefined) {
    const page: RetrieveMultipleResult = await webApi.retrieveMultipleRecords(entityLogicalName, next);
    rows.push(...page.entities);
    const link = page.nextLink;
    // retrievemultiplerecords.md: "use the query part of the value of the nextLink property as the options parameter".
    next = link ? `?${link.slice(link.indexOf('?') + 1)}` : undefined;
  }
  return rows;
}
