/**
 * `Xrm.Navigation.openAlertDialog` / `openConfirmDialog` / `openErrorDialog` as real dialogs in the page: modal
 * (role dialog / alertdialog, aria-modal, labelled by the title, described by the text), focus on the primary button,
 * Tab kept inside, Escape closes (a confirm dialog then answers `confirmed: false`, as its cancel button does), focus
 * given back to where it was. Text is shown as text with its line breaks.
 */
import { el, uniqueId, type DomDocument, type DomElement, type DomEvent } from './dom';
import { ensureStyles } from './styles';

export interface AlertStrings {
  readonly text: string;
  readonly title?: string;
  readonly confirmButtonLabel?: string;
}

export interface ConfirmStrings {
  readonly text: string;
  readonly title?: string;
  readonly subtitle?: string;
  readonly confirmButtonLabel?: string;
  readonly cancelButtonLabel?: string;
}

interface DialogSpec {
  readonly role: 'dialog' | 'alertdialog';
  readonly kind: string;
  readonly title?: string;
  readonly subtitle?: string;
  readonly text: string;
  readonly buttons: readonly { readonly label: string; readonly action: string; readonly primary?: boolean }[];
  /** The action Escape stands for. */
  readonly escape: string;
}

export class Dialogs {
  constructor(private readonly doc: DomDocument) {}

  private open(spec: DialogSpec): Promise<string> {
    ensureStyles(this.doc);
    const previous = this.doc.activeElement;
    const titleId = uniqueId('sx-dialog-title');
    const textId = uniqueId('sx-dialog-text');
    return new Promise<string>((resolve) => {
      // Built first (empty) so the buttons can close it; the dialog goes in below.
      const overlay = el(this.doc, 'div', { class: 'sx-overlay' });
      const close = (action: string): void => {
        overlay.remove();
        previous?.focus?.();
        resolve(action);
      };
      const buttons = spec.buttons.map((b) =>
        el(this.doc, 'button', { type: 'button', class: b.primary ? 'sx-button sx-primary' : 'sx-button', 'data-action': b.action, onclick: () => close(b.action) }, b.label),
      );
      const dialog = el(
        this.doc,
        'div',
        { class: 'sx-dialog', role: spec.role, 'aria-modal': 'true', 'aria-labelledby': spec.title ? titleId : undefined, 'aria-label': spec.title ? undefined : spec.kind, 'aria-describedby': textId, 'data-sandbox-dialog': spec.kind },
        spec.title ? el(this.doc, 'h2', { id: titleId }, spec.title) : null,
        spec.subtitle ? el(this.doc, 'p', { class: 'sx-subtitle' }, spec.subtitle) : null,
        el(this.doc, 'div', { id: textId, class: 'sx-text', tabindex: '0' }, spec.text),
        el(this.doc, 'div', { class: 'sx-buttons' }, ...buttons),
      );
      overlay.addEventListener('keydown', (e: DomEvent) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close(spec.escape);
        } else if (e.key === 'Tab') {
          // Keep focus inside the dialog: from the last control back to the first, and the other way round.
          const focusable = [dialog.querySelector('.sx-text'), ...buttons].filter((x): x is DomElement => !!x);
          const first = focusable[0];
          const last = focusable[focusable.length - 1];
          if (e.shiftKey && this.doc.activeElement === first) {
            e.preventDefault();
            last?.focus();
          } else if (!e.shiftKey && this.doc.activeElement === last) {
            e.preventDefault();
            first?.focus();
          }
        }
      });
      overlay.append(dialog);
      this.doc.body.append(overlay);
      (buttons.find((_b, i) => spec.buttons[i]?.primary) ?? buttons[0])?.focus();
    });
  }

  async openAlertDialog(strings: AlertStrings): Promise<void> {
    await this.open({ role: 'alertdialog', kind: 'alert', title: strings.title, text: strings.text, buttons: [{ label: strings.confirmButtonLabel ?? 'OK', action: 'confirm', primary: true }], escape: 'confirm' });
  }

  async openConfirmDialog(strings: ConfirmStrings): Promise<{ confirmed: boolean }> {
    const action = await this.open({
      role: 'dialog',
      kind: 'confirm',
      title: strings.title,
      subtitle: strings.subtitle,
      text: strings.text,
      buttons: [
        { label: strings.confirmButtonLabel ?? 'OK', action: 'confirm', primary: true },
        { label: strings.cancelButtonLabel ?? 'Cancel', action: 'cancel' },
      ],
      escape: 'cancel',
    });
    return { confirmed: action === 'confirm' };
  }

  async openErrorDialog(options: { readonly message?: string; readonly details?: string; readonly errorCode?: number }): Promise<void> {
    const code = options.errorCode ? ` (0x${(options.errorCode >>> 0).toString(16)})` : '';
    await this.open({
      role: 'alertdialog',
      kind: 'error',
      title: 'Error',
      text: [`${options.message ?? 'An error occurred.'}${code}`, options.details].filter(Boolean).join('\n\n'),
      buttons: [{ label: 'OK', action: 'confirm', primary: true }],
      escape: 'confirm',
    });
  }
}
