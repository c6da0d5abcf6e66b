/**
 * Localised strings come from the control's RESX (`context.resources.getString`, 1033 shipped). Components receive a
 * plain record of strings; `{name}` placeholders are filled with `fill`.
 */
export type Strings<K extends string> = Readonly<Record<K, string>>;

/** Reads every key once. A key missing from the RESX shows as the key itself, so it is visible in tests and QA. */
export function readStrings<K extends string>(getString: (id: string) => string, keys: readonly K[]): Strings<K> {
  const out = {} as Record<K, string>;
  for (const k of keys) {
    const v = getString(k);
    out[k] = typeof v === 'string' && v !== '' ? v : k;
  }
  return out;
}

/** Replaces `{name}` with values[name]. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}
