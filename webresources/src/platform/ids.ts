/**
 * Record ids as the client API hands them over and as the Web API wants them. The ribbon's
 * `SelectedControlSelectedItemIds` and `formContext.data.entity.getId()` give `{GUID}` in upper case; the Web API
 * answers bare lower-case GUIDs. Everything inside the commands uses the bare lower-case form.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `{8A3E…}` → `8a3e…`; null when the text is not a GUID. */
export function normalizeId(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  const bare = id.trim().replace(/^\{|\}$/g, '').toLowerCase();
  return GUID.test(bare) ? bare : null;
}

/** Distinct ids in first-seen order; what is not a GUID is returned apart so it can be reported, not dropped silently. */
export function normalizeIds(ids: readonly unknown[]): { ids: string[]; invalid: string[] } {
  const seen = new Set<string>();
  const out: string[] = [];
  const invalid: string[] = [];
  for (const raw of ids) {
    const id = normalizeId(raw);
    if (!id) {
      invalid.push(String(raw));
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return { ids: out, invalid };
}
