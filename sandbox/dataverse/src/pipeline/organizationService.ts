/**
 * The organization service: Create, Update, Delete and Retrieve with the platform's pipeline around them —
 * validation, system columns (owner, created/modified, version), plug-in side effects (Field Service, Project
 * Operations scheduling rules) and post-operation events for registered webhook steps. Every call runs inside the
 * caller's transaction (Store.atomic), so a failing side effect rolls the whole operation back.
 */
import { randomUUID } from 'node:crypto';
import type { SchemaModel, TableDef } from '@pfb/domain';
import { errors } from '../protocol/errors';
import type { Store } from '../store/store';
import type { Attributes, EntityReference } from '../store/types';
import type { OperationContext } from './context';
import { checkRequired, checkStateStatus, defaultStatusFor, validateAttributes } from './validateAttributes';

/** Side effects that run inside the transaction, like synchronous plug-ins registered by a first-party solution. */
export interface Plugin {
  /** Pre-operation: may change the attributes about to be written. */
  preCreate?(svc: OrganizationService, ctx: OperationContext, table: TableDef, attributes: Attributes): void;
  postCreate?(svc: OrganizationService, ctx: OperationContext, table: TableDef, row: Attributes): void;
  preUpdate?(svc: OrganizationService, ctx: OperationContext, table: TableDef, changes: Attributes, before: Attributes): void;
  postUpdate?(svc: OrganizationService, ctx: OperationContext, table: TableDef, changes: Attributes, before: Attributes, after: Attributes): void;
  preDelete?(svc: OrganizationService, ctx: OperationContext, table: TableDef, before: Attributes): void;
  postDelete?(svc: OrganizationService, ctx: OperationContext, table: TableDef, before: Attributes): void;
}

export interface WriteOptions {
  /** `If-Match` value: `*` (must exist) or a weak etag `W/"<version>"` (optimistic concurrency). */
  ifMatch?: string;
}

export const etagOf = (row: Attributes): string => `W/"${String(row['versionnumber'] ?? 0)}"`;

export class OrganizationService {
  constructor(
    readonly store: Store,
    readonly schema: SchemaModel,
    private readonly plugins: readonly Plugin[],
    readonly now: () => Date = () => new Date(),
  ) {}

  table(logicalName: string): TableDef {
    const t = this.schema.table(logicalName);
    if (!t) throw errors.badRequest(`The entity with a name = '${logicalName}' was not found in the MetadataCache.`, '0x80041102');
    return t;
  }

  retrieve(logicalName: string, id: string): Attributes | undefined {
    return this.store.get(logicalName, id);
  }

  private stamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  create(ctx: OperationContext, logicalName: string, input: Attributes): string {
    const t = this.table(logicalName);
    if (t.scheduling && !t.scheduling.plainCreateAllowed && !ctx.trusted) throw errors.schedulingEntity(t.logicalName, 'Create');
    const attributes = validateAttributes(t, input, 'create');
    const id = (attributes[t.primaryIdAttribute] as string | null | undefined) ?? randomUUID();
    attributes[t.primaryIdAttribute] = id;
    if (this.store.get(t.logicalName, id)) throw errors.duplicateRecord(t.logicalName, id);

    for (const p of this.plugins) p.preCreate?.(this, ctx, t, attributes);

    const now = this.stamp();
    const user: EntityReference = { logicalName: 'systemuser', id: ctx.caller.userId };
    const row: Attributes = { ...attributes };
    row['createdon'] = (input['overriddencreatedon'] as string | undefined) ?? now;
    row['modifiedon'] = now;
    row['createdby'] = user;
    row['modifiedby'] = user;
    row['versionnumber'] = this.store.nextVersion();
    if (t.ownership === 'UserOwned') {
      row['ownerid'] ??= user;
      row['owningbusinessunit'] = { logicalName: 'businessunit', id: ctx.caller.businessUnitId };
    }
    if (t.columns['statecode']) {
      row['statecode'] ??= 0;
      row['statuscode'] ??= defaultStatusFor(t, row['statecode'] as number) ?? null;
      checkStateStatus(t, row);
    }
    this.checkAlternateKeys(t, row, id);
    checkRequired(t, row);
    this.checkLookupTargets(t, attributes);
    this.store.insert(t.logicalName, row);

    const stored = this.store.get(t.logicalName, id) as Attributes;
    this.sideEffects(ctx, (p) => p.postCreate?.(this, ctx, t, stored));
    ctx.events.push({
      messageName: 'Create',
      table: t.logicalName,
      id,
      target: { ...attributes, ...pick(stored, ['createdon', 'modifiedon', 'createdby', 'modifiedby', 'ownerid', 'owningbusinessunit', 'statecode', 'statuscode']) },
      postImage: this.store.get(t.logicalName, id),
      depth: ctx.depth,
      correlationId: ctx.correlationId,
      operationCreatedOn: this.now(),
      outputId: id,
    });
    return id;
  }

  update(ctx: OperationContext, logicalName: string, id: string, input: Attributes, options: WriteOptions = {}): void {
    const t = this.table(logicalName);
    if (t.scheduling && !ctx.trusted) throw errors.schedulingEntity(t.logicalName, 'Update');
    const before = this.store.get(t.logicalName, id);
    if (!before) throw errors.notFound(t.logicalName, id);
    this.checkEtag(before, options.ifMatch);
    const changes = validateAttributes(t, input, 'update');
    delete changes[t.primaryIdAttribute];
    const callerKeys = Object.keys(changes);

    for (const p of this.plugins) p.preUpdate?.(this, ctx, t, changes, before);

    // Setting statecode alone moves statuscode to that state's default reason, as SetState does.
    if (changes['statecode'] !== undefined && changes['statuscode'] === undefined && changes['statecode'] !== before['statecode']) {
      changes['statuscode'] = defaultStatusFor(t, changes['statecode'] as number) ?? null;
    }
    const after: Attributes = { ...before, ...changes };
    if (t.columns['statecode']) checkStateStatus(t, after);
    this.checkAlternateKeys(t, after, id);
    checkRequired(t, after);
    this.checkLookupTargets(t, changes);
    changes['modifiedon'] = this.stamp();
    changes['modifiedby'] = { logicalName: 'systemuser', id: ctx.caller.userId };
    changes['versionnumber'] = this.store.nextVersion();
    this.store.update(t.logicalName, id, changes);

    const stored = this.store.get(t.logicalName, id) as Attributes;
    this.sideEffects(ctx, (p) => p.postUpdate?.(this, ctx, t, changes, before, stored));
    ctx.events.push({
      messageName: 'Update',
      table: t.logicalName,
      id,
      target: updateTarget(t, id, callerKeys, changes),
      preImage: before,
      postImage: this.store.get(t.logicalName, id),
      depth: ctx.depth,
      correlationId: ctx.correlationId,
      operationCreatedOn: this.now(),
    });
  }

  delete(ctx: OperationContext, logicalName: string, id: string, options: WriteOptions = {}): void {
    const t = this.table(logicalName);
    if (t.scheduling && !ctx.trusted) throw errors.schedulingEntity(t.logicalName, 'Delete');
    const before = this.store.get(t.logicalName, id);
    if (!before) throw errors.notFound(t.logicalName, id);
    this.checkEtag(before, options.ifMatch);
    for (const p of this.plugins) p.preDelete?.(this, ctx, t, before);
    this.cascade(ctx, t, id);
    this.store.delete(t.logicalName, id);
    this.sideEffects(ctx, (p) => p.postDelete?.(this, ctx, t, before));
    ctx.events.push({
      messageName: 'Delete',
      table: t.logicalName,
      id,
      target: { logicalName: t.logicalName, id },
      preImage: before,
      depth: ctx.depth,
      correlationId: ctx.correlationId,
      operationCreatedOn: this.now(),
    });
  }

  /** Applies the cascade behaviour of every relationship where this table is the parent. */
  private cascade(ctx: OperationContext, t: TableDef, id: string): void {
    for (const r of this.schema.oneToManyOf(t.logicalName)) {
      const children = this.store.select(r.referencingEntity, `t0."${r.referencingAttribute}" = ?`, [id.toLowerCase()]);
      if (children.length === 0) continue;
      const child = this.table(r.referencingEntity);
      if (r.cascadeDelete === 'Restrict') {
        throw errors.badRequest(
          `The ${t.logicalName} record cannot be deleted because it is referenced by ${children.length} ${child.logicalName} record(s) (relationship ${r.schemaName}).`,
          '0x80040227',
        );
      }
      for (const c of children) {
        const childId = c[child.primaryIdAttribute] as string;
        if (r.cascadeDelete === 'Cascade') {
          this.delete({ ...ctx, trusted: true, depth: ctx.depth + 1 } as OperationContext, child.logicalName, childId);
        } else {
          this.store.update(child.logicalName, childId, { [r.referencingAttribute]: null, versionnumber: this.store.nextVersion() });
        }
      }
    }
  }

  /** Runs the plug-ins' post-operation side effects one level deeper, as Dataverse counts Depth. */
  private sideEffects(ctx: OperationContext, run: (p: Plugin) => void): void {
    ctx.depth += 1;
    try {
      for (const p of this.plugins) run(p);
    } finally {
      ctx.depth -= 1;
    }
  }

  /** A lookup must point to a row that exists (Dataverse answers "<table> With Id = … Does Not Exist"). */
  private checkLookupTargets(t: TableDef, attributes: Attributes): void {
    for (const [name, value] of Object.entries(attributes)) {
      if (!value || typeof value !== 'object') continue;
      const c = t.columns[name];
      if (!c?.targets || !this.schema.table(value.logicalName)) continue;
      if (!this.store.get(value.logicalName, value.id)) throw errors.notFound(value.logicalName, value.id);
    }
  }

  private checkEtag(row: Attributes, ifMatch: string | undefined): void {
    if (!ifMatch || ifMatch === '*') return;
    if (ifMatch !== etagOf(row)) throw errors.concurrencyVersionMismatch();
  }

  private checkAlternateKeys(t: TableDef, row: Attributes, id: string): void {
    for (const key of t.alternateKeys) {
      const values: Record<string, string | number> = {};
      let complete = true;
      for (const k of key.columns) {
        const v = row[k];
        if (v === null || v === undefined) complete = false;
        else values[k] = typeof v === 'object' ? v.id.toLowerCase() : typeof v === 'boolean' ? Number(v) : v;
      }
      if (!complete) continue;
      const existing = this.store.findBy(t.logicalName, values);
      if (existing && existing[t.primaryIdAttribute] !== id.toLowerCase()) {
        throw errors.duplicateKey(key.schemaName, key.columns.map((k) => `${k}=${String(values[k])}`).join(', '));
      }
    }
  }
}

/**
 * The Update message's Target as Dataverse passes it on: the caller's columns, the primary key, then what the
 * platform added (computed columns, modifiedon/modifiedby) — as in the published webhook sample.
 */
function updateTarget(t: TableDef, id: string, callerKeys: readonly string[], changes: Attributes): Attributes {
  const target: Attributes = {};
  for (const k of callerKeys) if (k in changes) target[k] = changes[k] as Attributes[string];
  target[t.primaryIdAttribute] = id;
  for (const [k, v] of Object.entries(changes)) if (!(k in target) && k !== 'versionnumber') target[k] = v;
  return target;
}

function pick(row: Attributes, names: readonly string[]): Attributes {
  const out: Attributes = {};
  for (const n of names) if (row[n] !== undefined) out[n] = row[n] as Attributes[string];
  return out;
}
