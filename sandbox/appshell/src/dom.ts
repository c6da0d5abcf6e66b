/// <reference lib="dom" />
/** `h(tag, attributes, ...children)`: one element with attributes, properties, listeners and children. */

type Child = Node | string | number | null | undefined | false;
type Value = string | number | boolean | null | undefined | ((event: Event) => void);

/** Set as properties (their attributes only give the initial state). */
const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Readonly<Record<string, Value>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value);
    else if (PROPERTIES.has(name)) (node as unknown as Record<string, unknown>)[name] = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'number' ? String(child) : child);
  }
  return node;
}

/** Replaces an element's content. */
export function show(container: Element, ...children: Child[]): void {
  container.replaceChildren(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
}
