/**
 * Message bars: `Xrm.App.addGlobalNotification` / `clearGlobalNotification` (levels 1 success, 2 error, 3 warning,
 * 4 information; addglobalnotification.md) and a form's `ui.setFormNotification(message, "ERROR" | "WARNING" |
 * "INFO", uniqueId)`. Errors are announced assertively (role alert), the rest politely (role status).
 */
import { el, type DomDocument, type DomElement } from './dom';
import { ensureStyles } from './styles';

export type Level = 'success' | 'error' | 'warning' | 'info';

export interface ShownNotification {
  readonly id: string;
  readonly level: Level;
  readonly message: string;
}

const APP_LEVELS: Readonly<Record<number, Level>> = { 1: 'success', 2: 'error', 3: 'warning', 4: 'info' };
const FORM_LEVELS: Readonly<Record<string, Level>> = { ERROR: 'error', WARNING: 'warning', INFO: 'info' };

export class MessageBars {
  private readonly items = new Map<string, { readonly node: DomElement; readonly shown: ShownNotification }>();
  private counter = 0;

  constructor(
    private readonly doc: DomDocument,
    private readonly area: DomElement,
    private readonly label: string,
  ) {
    ensureStyles(doc);
    area.className = `${area.className} sx-notifications`.trim();
    area.setAttribute('aria-label', label);
    if (!area.getAttribute('role')) area.setAttribute('role', 'region');
  }

  show(level: Level, message: string, id?: string, closable = true): string {
    const key = id ?? `notification-${(this.counter += 1)}`;
    this.clear(key);
    const shown: ShownNotification = { id: key, level, message };
    const node = el(
      this.doc,
      'div',
      { class: `sx-notification sx-${level}`, role: level === 'error' ? 'alert' : 'status', 'data-level': level, 'data-notification-id': key },
      el(this.doc, 'span', { class: 'sx-message' }, message),
      closable ? el(this.doc, 'button', { type: 'button', class: 'sx-button', 'aria-label': `Dismiss: ${message.slice(0, 60)}`, onclick: () => this.clear(key) }, '×') : null,
    );
    this.area.append(node);
    this.items.set(key, { node, shown });
    return key;
  }

  clear(id: string): boolean {
    const item = this.items.get(id);
    if (!item) return false;
    item.node.remove();
    this.items.delete(id);
    return true;
  }

  list(): ShownNotification[] {
    return [...this.items.values()].map((i) => i.shown);
  }

  /** Xrm.App.addGlobalNotification. */
  addGlobalNotification(notification: { readonly level?: number; readonly message?: string; readonly showCloseButton?: boolean }): Promise<string> {
    return Promise.resolve(this.show(APP_LEVELS[notification.level ?? 4] ?? 'info', notification.message ?? '', undefined, notification.showCloseButton !== false));
  }

  /** formContext.ui.setFormNotification. */
  setFormNotification(message: string, level: string, uniqueId: string): boolean {
    this.show(FORM_LEVELS[level] ?? 'info', message, uniqueId, false);
    return true;
  }
}

export function notificationArea(doc: DomDocument, container: DomElement | undefined, label: string): MessageBars {
  const area = container ?? el(doc, 'div');
  if (!container) doc.body.append(area);
  return new MessageBars(doc, area, label);
}
