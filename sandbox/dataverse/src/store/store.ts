/**
 * The persistence layer: a real SQLite database (better-sqlite3, synchronous, with real transactions). A file
 * path persists between runs; ':memory:' does not. All writes of one Web API request (or one change set) run in
 * one transaction, so a failure leaves no trace.
 */
import Database from 'better-sqlite3';
import type { SchemaModel, TableDef } from '@pfb/domain';
import { createTableSql, fromSql, isLookup, quoteIdent, toSql, type SqlValue } from './sql';
import type { Attributes } from './types';

export class Store {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private version: number;

  constructor(
    readonly file: string,
    readonly schema: SchemaModel,
  ) {
    this.db = new Database(file);
    // WAL keeps readers and the single writer apart and survives a crash without corrupting the file.
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = OFF');
    this.db.exec('CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY NOT NULL, value TEXT)');
    this.applySchema();
    const row = this.db.prepare("SELECT value FROM _meta WHERE key = 'version'").get() as { value: string } | undefined;
    this.version = row ? Number(row.value) : 1000;
  }

  /**
   * Makes the database match the schema: tables, key and lookup indexes created when missing, columns added in place
   * (Dataverse adds columns to a live table too). Idempotent; run again after the schema changes (an import).
   */
  applySchema(): void {
    const statements = this.schema.tables.map((t) => createTableSql(t));
    // Tables first, then the columns a table created earlier lacks, then the indexes over them.
    for (const [table] of statements) if (table) this.db.exec(table);
    this.addMissingColumns();
    for (const [, ...indexes] of statements) for (const stmt of indexes) this.db.exec(stmt);
  }

  /** A file created by an older schema gains the columns added since (Dataverse adds columns in place, too). */
  private addMissingColumns(): void {
    for (const t of this.schema.tables) {
      const have = new Set((this.db.prepare(`PRAGMA table_info(${quoteIdent(t.logicalName)})`).all() as { name: string }[]).map((r) => r.name));
      const want: string[] = [];
      for (const c of Object.values(t.columns)) {
        want.push(c.logicalName);
        if (isLookup(c)) want.push(`${c.logicalName}__target`);
      }
      for (const name of want) {
        if (!have.has(name)) this.db.exec(`ALTER TABLE ${quoteIdent(t.logicalName)} ADD COLUMN ${quoteIdent(name)}`);
      }
    }
  }

  get isEmpty(): boolean {
    return !this.db.prepare("SELECT 1 FROM _meta WHERE key = 'seeded'").get();
  }

  markSeeded(kind: string): void {
    this.db.prepare("INSERT OR REPLACE INTO _meta (key, value) VALUES ('seeded', ?)").run(kind);
  }

  /** A value the sandbox keeps about itself (seed state, installed package hashes), not a Dataverse row. */
  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM _meta WHERE key = ?').get(key) as { value: string | null } | undefined;
    return row?.value ?? undefined;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO _meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** Runs fn in a transaction (a savepoint when nested); throwing rolls back everything fn wrote. */
  atomic<T>(fn: () => T): T {
    let result!: T;
    this.db.transaction(() => {
      result = fn();
    })();
    return result;
  }

  /** Monotonic row version, the source of etags (`W/"<versionnumber>"`). */
  nextVersion(): number {
    this.version += 1;
    this.prepare("INSERT OR REPLACE INTO _meta (key, value) VALUES ('version', ?)").run(String(this.version));
    return this.version;
  }

  prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private table(logicalName: string): TableDef {
    const t = this.schema.table(logicalName);
    if (!t) throw new Error(`Store: unknown table ${logicalName}`);
    return t;
  }

  insert(logicalName: string, attributes: Attributes): void {
    const t = this.table(logicalName);
    const row: Record<string, SqlValue> = {};
    for (const [k, v] of Object.entries(attributes)) {
      const c = t.columns[k];
      if (c) toSql(c, v, row);
    }
    const cols = Object.keys(row);
    this.prepare(`INSERT INTO ${quoteIdent(t.logicalName)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...cols.map((c) => row[c] ?? null),
    );
  }

  update(logicalName: string, id: string, attributes: Attributes): void {
    const t = this.table(logicalName);
    const row: Record<string, SqlValue> = {};
    for (const [k, v] of Object.entries(attributes)) {
      const c = t.columns[k];
      if (c && k !== t.primaryIdAttribute) toSql(c, v, row);
    }
    const cols = Object.keys(row);
    if (cols.length === 0) return;
    this.prepare(
      `UPDATE ${quoteIdent(t.logicalName)} SET ${cols.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE ${quoteIdent(t.primaryIdAttribute)} = ?`,
    ).run(...cols.map((c) => row[c] ?? null), id.toLowerCase());
  }

  delete(logicalName: string, id: string): boolean {
    const t = this.table(logicalName);
    return this.prepare(`DELETE FROM ${quoteIdent(t.logicalName)} WHERE ${quoteIdent(t.primaryIdAttribute)} = ?`).run(id.toLowerCase()).changes > 0;
  }

  get(logicalName: string, id: string): Attributes | undefined {
    const t = this.table(logicalName);
    const row = this.prepare(`SELECT * FROM ${quoteIdent(t.logicalName)} WHERE ${quoteIdent(t.primaryIdAttribute)} = ?`).get(id.toLowerCase()) as
      | Record<string, SqlValue>
      | undefined;
    return row ? fromSql(t, row) : undefined;
  }

  /** Finds a row by column values (an alternate key); values already in stored form. */
  findBy(logicalName: string, values: Record<string, SqlValue>): Attributes | undefined {
    const t = this.table(logicalName);
    const cols = Object.keys(values);
    const row = this.prepare(
      `SELECT * FROM ${quoteIdent(t.logicalName)} WHERE ${cols.map((c) => `${quoteIdent(c)} = ?`).join(' AND ')} LIMIT 1`,
    ).get(...cols.map((c) => values[c] ?? null)) as Record<string, SqlValue> | undefined;
    return row ? fromSql(t, row) : undefined;
  }

  /** Runs a read query and returns typed rows of `logicalName`. */
  select(logicalName: string, whereSql: string, params: readonly SqlValue[], tail = ''): Attributes[] {
    const t = this.table(logicalName);
    const where = whereSql ? ` WHERE ${whereSql}` : '';
    const rows = this.db.prepare(`SELECT * FROM ${quoteIdent(t.logicalName)} AS t0${where} ${tail}`).all(...params) as Record<string, SqlValue>[];
    return rows.map((r) => fromSql(t, r));
  }

  /**
   * Like select, also returning the values of `keyExprs` (SQL expressions over alias t0) for each row, e.g. the
   * ordering keys a paging cookie remembers.
   */
  selectKeyed(logicalName: string, keyExprs: readonly string[], whereSql: string, params: readonly SqlValue[], tail = ''): { row: Attributes; keys: SqlValue[] }[] {
    const t = this.table(logicalName);
    const where = whereSql ? ` WHERE ${whereSql}` : '';
    const extra = keyExprs.map((e, i) => `, (${e}) AS "__k${i}"`).join('');
    const rows = this.db.prepare(`SELECT t0.*${extra} FROM ${quoteIdent(t.logicalName)} AS t0${where} ${tail}`).all(...params) as Record<string, SqlValue>[];
    return rows.map((r) => ({ row: fromSql(t, r), keys: keyExprs.map((_, i) => r[`__k${i}`] ?? null) }));
  }

  count(logicalName: string, whereSql: string, params: readonly SqlValue[]): number {
    const t = this.table(logicalName);
    const where = whereSql ? ` WHERE ${whereSql}` : '';
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM ${quoteIdent(t.logicalName)} AS t0${where}`).get(...params) as { n: number };
    return row.n;
  }

  close(): void {
    this.db.close();
  }
}
