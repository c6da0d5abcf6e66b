/** The one global both bundles extend: `ProjectFieldBridge` (merged, never replaced, whichever script loads first). */
export const NAMESPACE = 'ProjectFieldBridge';

export function registerNamespace(members: Record<string, unknown>): void {
  const g = globalThis as Record<string, unknown>;
  const existing = g[NAMESPACE];
  const root = (existing && typeof existing === 'object' ? existing : {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(members)) {
    const current = root[name];
    root[name] = current && typeof current === 'object' && value && typeof value === 'object' ? { ...current, ...value } : value;
  }
  g[NAMESPACE] = root;
}
