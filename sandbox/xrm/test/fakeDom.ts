/**
 * Just enough of a DOM for the command bar's logic in Node (the browser test runs the real one): elements with
 * attributes, children, listeners and text. The fake is structural, like the sandbox's own DOM types.
 */
import type { DomDocument, DomElement, DomEvent } from '../src/ui/dom';

export class FakeElement implements DomElement {
  readonly attributes = new Map<string, string>();
  readonly nodes: (FakeElement | string)[] = [];
  readonly listeners = new Map<string, ((e: DomEvent) => void)[]>();
  className = '';
  id = '';
  hidden = false;
  tabIndex = 0;
  title = '';
  disabled?: boolean;
  checked?: boolean;
  parentElement: FakeElement | null = null;

  constructor(readonly tag: string) {}

  get children(): FakeElement[] {
    return this.nodes.filter((n): n is FakeElement => typeof n !== 'string');
  }
  get textContent(): string {
    return this.nodes.map((n) => (typeof n === 'string' ? n : n.textContent)).join('');
  }
  set textContent(value: string | null) {
    this.nodes.splice(0, this.nodes.length, ...(value ? [value] : []));
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
    if (name === 'disabled') this.disabled = true;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  append(...nodes: (DomElement | string)[]): void {
    for (const n of nodes) {
      if (typeof n !== 'string') (n as FakeElement).parentElement = this;
      this.nodes.push(n as FakeElement | string);
    }
  }
  replaceChildren(...nodes: (DomElement | string)[]): void {
    this.nodes.splice(0);
    this.append(...nodes);
  }
  remove(): void {
    const p = this.parentElement;
    if (p) p.nodes.splice(p.nodes.indexOf(this), 1);
    this.parentElement = null;
  }
  addEventListener(type: string, listener: (event: DomEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  dispatch(type: string): void {
    for (const l of this.listeners.get(type) ?? []) l({ preventDefault: () => undefined, stopPropagation: () => undefined, target: this });
  }
  focus(): void {}
  /** `[attribute]` and `[attribute="value"]` only. */
  querySelectorAll(selector: string): FakeElement[] {
    const m = /^\[([\w-]+)(?:="([^"]*)")?\]$/.exec(selector);
    const all = (e: FakeElement): FakeElement[] => e.children.flatMap((c) => [c, ...all(c)]);
    return all(this).filter((e) => m && e.attributes.has(m[1] as string) && (m[2] === undefined || e.attributes.get(m[1] as string) === m[2]));
  }
  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
  contains(node: unknown): boolean {
    return node === this || this.children.some((c) => c.contains(node));
  }
}

export function fakeDocument(): DomDocument & { body: FakeElement; head: FakeElement } {
  const body = new FakeElement('body');
  const head = new FakeElement('head');
  return {
    body,
    head,
    activeElement: null,
    createElement: (tag: string) => new FakeElement(tag),
    getElementById: (id: string) => [...head.querySelectorAll('[id]'), ...body.querySelectorAll('[id]')].find((e) => e.getAttribute('id') === id || e.id === id) ?? null,
  };
}
