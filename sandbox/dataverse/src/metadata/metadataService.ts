/**
 * Metadata changes, as Dataverse makes them when a solution is imported: create a table (with the platform's
 * columns, message filters and privileges), add columns and alternate keys to an existing table, update what a
 * solution created before. The live schema, the SQL tables and the record of what solutions changed (kept in the
 * database, so a file-backed organization restarts with its customizations) change together, inside the caller's
 * transaction.
 */
import { sdkmessage, sdkmessagefilter, type AlternateKeyDef, type ColumnDef, type TableDef } from '@pfb/domain';
import { privilege as privilegeTable } from '@pfb/solution';
import type { OperationContext } from '../pipeline/context';
import type { OrganizationService } from '../pipeline/organizationService';
import { DataverseError } from '../protocol/errors';
import { messageFilterRecords, privilegeRecords, SDK_MESSAGE_IDS } from '../seed/baseline';
import type { SeedRecord } from '../seed/types';
import type { Store } from '../store/store';
import type { LiveSchema } from './liveSchema';

/** A table a solution creates (the whole definition) or extends (columns and keys added to a table it does not own). */
export type TableChange =
  | { readonly kind: 'create'; readonly table: TableDef }
  | { readonly kind: 'extend'; readonly table: string; readonly columns: readonly ColumnDef[]; readonly keys: readonly AlternateKeyDef[] };

interface Extension {
  readonly columns: ColumnDef[];
  readonly keys: AlternateKeyDef[];
}

const REGISTRY_SQL = 'CREATE TABLE IF NOT EXISTS _customizations (name TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, json TEXT NOT NULL)';

export class MetadataService {
  constructor(
    private readonly store: Store,
    private readonly schema: LiveSchema,
  ) {
    store.db.exec(REGISTRY_SQL);
  }

  /** Tables created by solutions (not the platform's). */
  createdTables(): Set<string> {
    const rows = this.store.db.prepare("SELECT name FROM _customizations WHERE kind = 'table'").all() as { name: string }[];
    return new Set(rows.map((r) => r.name));
  }

  private extensions(): Map<string, Extension> {
    const rows = this.store.db.prepare("SELECT name, json FROM _customizations WHERE kind = 'extension'").all() as { name: string; json: string }[];
    return new Map(rows.map((r) => [r.name, JSON.parse(r.json) as Extension]));
  }

  /** On start: the organization's metadata is the platform's plus what solutions imported earlier changed. */
  restore(): void {
    const created = this.store.db.prepare("SELECT json FROM _customizations WHERE kind = 'table' ORDER BY rowid").all() as { json: string }[];
    if (created.length === 0 && this.extensions().size === 0) return;
    let tables = [...this.schema.tables];
    for (const { json } of created) {
      const t = JSON.parse(json) as TableDef;
      tables = tables.some((x) => x.logicalName === t.logicalName) ? tables.map((x) => (x.logicalName === t.logicalName ? t : x)) : [...tables, t];
    }
    for (const [name, ext] of this.extensions()) tables = tables.map((t) => (t.logicalName === name ? extend(t, ext.columns, ext.keys) : t));
    this.schema.replace(tables);
    this.store.applySchema();
  }

  /**
   * Applies the changes. Throws a DataverseError (and leaves the schema as it was; the caller's transaction rolls
   * the database back) when a table to extend is missing, a created table would replace a platform table, or the
   * result is inconsistent.
   */
  apply(changes: readonly TableChange[], svc: OrganizationService, ctx: OperationContext): { created: string[]; extended: string[] } {
    const before = this.schema.tables;
    const createdBefore = this.createdTables();
    const extensions = this.extensions();
    let tables = [...before];
    const created: string[] = [];
    const extended: string[] = [];

    for (const change of changes) {
      if (change.kind === 'create') {
        const existing = tables.find((t) => t.logicalName === change.table.logicalName);
        if (existing && !createdBefore.has(existing.logicalName)) {
          throw importError(`The table ${change.table.logicalName} already exists in this organization and was not created by a solution; a solution cannot create it again.`);
        }
        // An update keeps columns a newer version no longer lists: Dataverse does not drop data on an unmanaged import.
        const next = existing ? keepDropped(existing, change.table) : change.table;
        tables = existing ? tables.map((t) => (t.logicalName === next.logicalName ? next : t)) : [...tables, next];
        if (!existing) created.push(next.logicalName);
      }
    }
    for (const change of changes) {
      if (change.kind !== 'extend') continue;
      const existing = tables.find((t) => t.logicalName === change.table);
      if (!existing) {
        throw importError(
          `The solution adds columns to the table ${change.table}, which is not in this organization: install the application that provides it (Dynamics 365 Field Service or Project Operations), then import again.`,
        );
      }
      const own = extensions.get(change.table) ?? { columns: [], keys: [] };
      const columns = change.columns.filter((c) => !existing.columns[c.logicalName] || own.columns.some((o) => o.logicalName === c.logicalName));
      const merged: Extension = {
        columns: [...own.columns.filter((o) => !columns.some((c) => c.logicalName === o.logicalName)), ...columns],
        keys: [...own.keys.filter((o) => !change.keys.some((k) => k.schemaName === o.schemaName)), ...change.keys],
      };
      extensions.set(change.table, merged);
      tables = tables.map((t) => (t.logicalName === change.table ? extend(t, columns, change.keys) : t));
      extended.push(change.table);
    }

    try {
      this.schema.replace(tables);
    } catch (e) {
      throw importError(`The solution's tables do not fit this organization's metadata: ${(e as Error).message}`);
    }
    try {
      this.store.applySchema();
      const upsert = this.store.db.prepare('INSERT OR REPLACE INTO _customizations (name, kind, json) VALUES (?, ?, ?)');
      for (const c of changes) {
        if (c.kind === 'create') upsert.run(c.table.logicalName, 'table', JSON.stringify(this.schema.table(c.table.logicalName)));
      }
      for (const name of extended) upsert.run(name, 'extension', JSON.stringify(extensions.get(name)));
      for (const name of created) this.platformRowsFor(this.schema.table(name) as TableDef, svc, ctx);
    } catch (e) {
      this.schema.replace(before);
      throw e;
    }
    return { created, extended };
  }

  /** The message filters and privileges the platform creates with a new table (where the organization has those tables). */
  private platformRowsFor(table: TableDef, svc: OrganizationService, ctx: OperationContext): void {
    const records: SeedRecord[] = [];
    // Custom standard tables take the bulk messages (bulk-operations: "standard tables").
    if (this.schema.table(sdkmessagefilter.logicalName) && this.store.get(sdkmessage.logicalName, SDK_MESSAGE_IDS.Create)) {
      records.push(...messageFilterRecords(table.logicalName, true));
    }
    if (this.schema.table(privilegeTable.logicalName)) records.push(...privilegeRecords(table));
    for (const r of records) {
      const t = this.schema.table(r.table) as TableDef;
      const id = r.attributes[t.primaryIdAttribute] as string;
      if (!this.store.get(r.table, id)) svc.create(ctx, r.table, r.attributes);
    }
  }
}

function extend(t: TableDef, columns: readonly ColumnDef[], keys: readonly AlternateKeyDef[]): TableDef {
  const all: Record<string, ColumnDef> = { ...t.columns };
  for (const c of columns) all[c.logicalName] = c;
  const names = new Set(keys.map((k) => k.schemaName));
  return { ...t, columns: all, alternateKeys: [...t.alternateKeys.filter((k) => !names.has(k.schemaName)), ...keys] };
}

function keepDropped(before: TableDef, next: TableDef): TableDef {
  const kept = Object.values(before.columns).filter((c) => !next.columns[c.logicalName]);
  if (kept.length === 0) return next;
  return { ...next, columns: { ...next.columns, ...Object.fromEntries(kept.map((c) => [c.logicalName, c])) } };
}

/** Dataverse answers a failed import with the import's error; 0x80048033 is its "solution import failed" family. */
export function importError(message: string): DataverseError {
  return new DataverseError(400, '0x80048033', message);
}
