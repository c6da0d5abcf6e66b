/**
 * What the client API needs to know about tables to build URLs: the entity set and primary key of each entity type.
 * Read from the service's own CSDL (`$metadata`), as a model-driven app reads its metadata: <EntityType Name="x"> with
 * its <Key><PropertyRef Name="xid"/></Key>, and <EntitySet Name="xs" EntityType="Microsoft.Dynamics.CRM.x"/>. The
 * document is machine-written, so reading the few attributes needed with patterns is enough (no DOM in Node).
 */
export interface EntityMetadataIndex {
  /** `account` → `accounts`; undefined for a table the service does not have. */
  entitySetOf(logicalName: string): string | undefined;
  primaryKeyOf(logicalName: string): string | undefined;
  logicalNameOfSet(entitySetName: string): string | undefined;
  /** Every table the service has. */
  logicalNames(): string[];
}

const attribute = (text: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(text)?.[1];

export function parseCsdl(csdl: string): EntityMetadataIndex {
  const sets = new Map<string, string>();
  const logical = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const m of csdl.matchAll(/<EntitySet\b([^>]*)>/g)) {
    const name = attribute(m[1] as string, 'Name');
    const type = attribute(m[1] as string, 'EntityType')?.replace(/^.*\./, '');
    if (name && type) {
      sets.set(type, name);
      logical.set(name, type);
    }
  }
  for (const m of csdl.matchAll(/<EntityType\b([^>]*)>\s*<Key>\s*<PropertyRef\b([^>]*)\/?>/g)) {
    const type = attribute(m[1] as string, 'Name');
    const key = attribute(m[2] as string, 'Name');
    if (type && key) keys.set(type, key);
  }
  return {
    entitySetOf: (n) => sets.get(n),
    primaryKeyOf: (n) => keys.get(n),
    logicalNameOfSet: (s) => logical.get(s),
    logicalNames: () => [...sets.keys()],
  };
}
