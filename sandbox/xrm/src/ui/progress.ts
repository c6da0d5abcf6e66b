/**
 * `Xrm.Utility.showProgressIndicator(message)` / `closeProgressIndicator()`: a blocking overlay with a spinner and
 * the message, announced politely to screen readers. Showing it again replaces the message.
 */
import { el, type DomDocument, type DomElement } from './dom';
import { ensureStyles } from './styles';

export class ProgressIndicator {
  private overlay: DomElement | undefined;
  private text: DomElement | undefined;
  /** Every message shown, in order (the page can display a log; tests read it). */
  readonly shown: string[] = [];

  constructor(private readonly doc: DomDocument) {}

  show(message: string): void {
    this.shown.push(message);
    ensureStyles(this.doc);
    if (this.overlay && this.text) {
      this.text.textContent = message;
      return;
    }
    this.text = el(this.doc, 'span', { class: 'sx-progress-text' }, message);
    this.overlay = el(
      this.doc,
      'div',
      { class: 'sx-overlay', 'data-sandbox-progress': '' },
      el(this.doc, 'div', { class: 'sx-progress', role: 'status', 'aria-live': 'polite', 'aria-busy': 'true' }, el(this.doc, 'span', { class: 'sx-spinner', 'aria-hidden': 'true' }), this.text),
    );
    this.doc.body.append(this.overlay);
  }

  close(): void {
    this.overlay?.remove();
    this.overlay = undefined;
    this.text = undefined;
  }

  get visible(): boolean {
    return this.overlay !== undefined;
  }
}
