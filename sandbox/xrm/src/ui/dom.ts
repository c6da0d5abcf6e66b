/**
 * The few DOM members the sandbox UI uses, typed structurally: this code is type-checked with the repository's
 * Node-only configuration (no DOM library), and runs in a browser page. `el` builds an element with attributes,
 * listeners and children.
 */
export interface DomEvent {
  readonly key?: string;
  readonly shiftKey?: boolean;
  readonly target?: unknown;
  preventDefault(): void;
  stopPropagation(): void;
}

export interface DomElement {
  textContent: string | null;
  className: string;
  id: string;
  hidden: boolean;
  tabIndex: number;
  title: string;
  disabled?: boolean;
  checked?: boolean;
  indeterminate?: boolean;
  type?: string;
  src?: string;
  readonly children: ArrayLike<DomElement>;
  readonly parentElement?: DomElement | null;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  append(...nodes: (DomElement | string)[]): void;
  replaceChildren(...nodes: (DomElement | string)[]): void;
  remove(): void;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
  focus(): void;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  contains(node: unknown): boolean;
}

export interface DomDocument {
  readonly body: DomElement;
  readonly head: DomElement;
  readonly activeElement: DomElement | null;
  createElement(tag: string): DomElement;
  getElementById(id: string): DomElement | null;
}

export function currentDocument(doc?: DomDocument): DomDocument {
  const d = doc ?? (globalThis as unknown as { document?: DomDocument }).document;
  if (!d) throw new Error('The sandbox Xrm UI needs a DOM document (a browser page).');
  return d;
}

export type Child = DomElement | string | null | undefined | false;

export interface Props {
  readonly [attribute: string]: string | number | boolean | null | undefined | ((event: DomEvent) => void);
}

/** `el(doc, 'button', { class: 'x', 'aria-label': 'Close', onclick: fn }, 'Close')`. */
export function el(doc: DomDocument, tag: string, props: Props = {}, ...children: Child[]): DomElement {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'class') node.className = String(value);
    else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((c): c is DomElement | string => c !== null && c !== undefined && c !== false));
  return node;
}

let counter = 0;
/** Ids for aria-labelledby / aria-describedby. */
export const uniqueId = (prefix: string): string => `${prefix}-${(counter += 1)}`;
