/**
 * Builders for the schema module. A table is declared once with `defineTable`; the platform's own columns
 * (created/modified on/by, owner, state/status, version number) are added according to its ownership, as
 * Dataverse adds them to every table.
 */
import type {
  AlternateKeyDef,
  ColumnDef,
  ColumnType,
  DateTimeBehavior,
  OptionDef,
  OptionSetDef,
  Ownership,
  RequiredLevel,
  TableDef,
} from './types';

interface ColumnOptions {
  readonly required?: RequiredLevel;
  readonly description?: string;
  readonly readOnly?: boolean;
  readonly createOnly?: boolean;
  readonly addedBySolution?: boolean;
}

export type Col<N extends string> = ColumnDef & { readonly logicalName: N };

function column<N extends string>(logicalName: N, type: ColumnType, displayName: string, opts: ColumnOptions & Partial<ColumnDef> = {}): Col<N> {
  return {
    schemaName: opts.schemaName ?? logicalName,
    type,
    displayName,
    required: opts.required ?? 'none',
    ...opts,
    logicalName,
  };
}

export const col = {
  id: <N extends string>(logicalName: N, displayName: string): Col<N> =>
    column(logicalName, 'uniqueidentifier', displayName, { required: 'system', createOnly: true }),
  text: <N extends string>(logicalName: N, displayName: string, maxLength = 100, opts: ColumnOptions = {}): Col<N> =>
    column(logicalName, 'string', displayName, { maxLength, ...opts }),
  memo: <N extends string>(logicalName: N, displayName: string, maxLength = 4000, opts: ColumnOptions = {}): Col<N> =>
    column(logicalName, 'memo', displayName, { maxLength, ...opts }),
  int: <N extends string>(logicalName: N, displayName: string, opts: ColumnOptions & { min?: number; max?: number } = {}): Col<N> =>
    column(logicalName, 'integer', displayName, { minValue: opts.min ?? -2147483648, maxValue: opts.max ?? 2147483647, ...opts }),
  bigint: <N extends string>(logicalName: N, displayName: string, opts: ColumnOptions = {}): Col<N> =>
    column(logicalName, 'bigint', displayName, opts),
  decimal: <N extends string>(logicalName: N, displayName: string, opts: ColumnOptions & { min?: number; max?: number; precision?: number } = {}): Col<N> =>
    column(logicalName, 'decimal', displayName, {
      minValue: opts.min ?? -100000000000,
      maxValue: opts.max ?? 100000000000,
      precision: opts.precision ?? 2,
      ...opts,
    }),
  double: <N extends string>(logicalName: N, displayName: string, opts: ColumnOptions & { min?: number; max?: number; precision?: number } = {}): Col<N> =>
    column(logicalName, 'double', displayName, { minValue: opts.min ?? -100000000000, maxValue: opts.max ?? 100000000000, precision: opts.precision ?? 2, ...opts }),
  money: <N extends string>(logicalName: N, displayName: string, opts: ColumnOptions = {}): Col<N> =>
    column(logicalName, 'money', displayName, { precision: 4, ...opts }),
  bool: <N extends string>(logicalName: N, displayName: string, opts: ColumnOptions = {}): Col<N> =>
    column(logicalName, 'boolean', displayName, opts),
  dateTime: <N extends string>(logicalName: N, displayName: string, behavior: DateTimeBehavior = 'UserLocal', opts: ColumnOptions = {}): Col<N> =>
    column(logicalName, 'datetime', displayName, { dateTimeBehavior: behavior, ...opts }),
  choice: <N extends string>(logicalName: N, displayName: string, optionSet: OptionSetDef, opts: ColumnOptions = {}): Col<N> =>
    column(logicalName, 'picklist', displayName, { optionSet, ...opts }),
  lookup: <N extends string>(
    logicalName: N,
    displayName: string,
    targets: string | readonly string[],
    opts: ColumnOptions & {
      schemaName?: string;
      navigationProperty?: string;
      relationshipName?: string;
      referencedNavigationProperty?: string;
      cascadeDelete?: 'Cascade' | 'RemoveLink' | 'Restrict';
    } = {},
  ): Col<N> => {
    const list = typeof targets === 'string' ? [targets] : targets;
    return column(logicalName, list.length > 1 ? 'customer' : 'lookup', displayName, { targets: list, ...opts });
  },
};

/** A local (table-scoped) or global choice. Values for our own choices start at 724,310,000 (publisher prefix). */
export function optionSet(name: string, options: readonly OptionDef[], global = false): OptionSetDef {
  return { name, global, options };
}

/** Labels in order, numbered from `first` (our publisher's option value prefix 72431 gives 724310000). */
export function sequentialOptions(labels: readonly string[], first = 724310000): OptionDef[] {
  return labels.map((label, i) => ({ value: first + i, label }));
}

export interface TableInput {
  logicalName: string;
  schemaName?: string;
  entitySetName: string;
  displayName: string;
  displayCollectionName: string;
  description?: string;
  primaryIdAttribute?: string;
  primaryNameAttribute: string;
  ownership: Ownership;
  objectTypeCode: number;
  origin: TableDef['origin'];
  scheduling?: TableDef['scheduling'];
  /** statecode/statuscode labels; defaults to Active/Inactive. */
  states?: { state: readonly OptionDef[]; status: readonly (OptionDef & { state: number })[] };
  columns: readonly ColumnDef[];
  alternateKeys?: readonly AlternateKeyDef[];
}

function systemColumns(t: TableInput): ColumnDef[] {
  const ro = { readOnly: true } as const;
  const cols: ColumnDef[] = [
    col.id(t.primaryIdAttribute ?? `${t.logicalName}id`, t.displayName),
    col.dateTime('createdon', 'Created On', 'UserLocal', ro),
    col.dateTime('modifiedon', 'Modified On', 'UserLocal', ro),
    col.lookup('createdby', 'Created By', 'systemuser', {
      ...ro,
      relationshipName: `lk_${t.logicalName}_createdby`,
    }),
    col.lookup('modifiedby', 'Modified By', 'systemuser', {
      ...ro,
      relationshipName: `lk_${t.logicalName}_modifiedby`,
    }),
    col.bigint('versionnumber', 'Version Number', ro),
    col.dateTime('overriddencreatedon', 'Record Created On', 'UserLocal', { createOnly: true }),
  ];
  if (t.ownership === 'UserOwned') {
    cols.push(
      {
        ...col.lookup('ownerid', 'Owner', ['systemuser', 'team'], {
          relationshipName: `owner_${t.logicalName}`,
          navigationProperty: 'ownerid',
        }),
        type: 'owner',
      },
      col.lookup('owningbusinessunit', 'Owning Business Unit', 'businessunit', {
        ...ro,
        relationshipName: `business_unit_${t.logicalName}`,
      }),
    );
  }
  if (t.ownership !== 'None') {
    const states = t.states ?? {
      state: [
        { value: 0, label: 'Active' },
        { value: 1, label: 'Inactive' },
      ],
      status: [
        { value: 1, label: 'Active', state: 0 },
        { value: 2, label: 'Inactive', state: 1 },
      ],
    };
    cols.push(
      {
        ...column('statecode', 'state', 'Status', { required: 'system' }),
        optionSet: optionSet(`${t.logicalName}_statecode`, states.state),
      },
      {
        ...column('statuscode', 'status', 'Status Reason'),
        optionSet: optionSet(`${t.logicalName}_statuscode`, states.status),
      },
    );
  }
  return cols;
}

/**
 * Declares a table. `C` keeps the column logical names as a literal type so callers get
 * `table.columns.pfb_sourcekey` checked at compile time.
 */
export function defineTable<const C extends readonly ColumnDef[]>(
  t: TableInput & { columns: C },
): TableDef & { columns: Record<C[number]['logicalName'], ColumnDef> } {
  const all = [...systemColumns(t), ...t.columns];
  const columns: Record<string, ColumnDef> = {};
  for (const c of all) {
    if (columns[c.logicalName]) throw new Error(`Schema: ${t.logicalName}.${c.logicalName} is declared twice`);
    columns[c.logicalName] = c;
  }
  const primaryIdAttribute = t.primaryIdAttribute ?? `${t.logicalName}id`;
  if (!columns[t.primaryNameAttribute]) {
    throw new Error(`Schema: ${t.logicalName} primary name ${t.primaryNameAttribute} is not a column`);
  }
  for (const key of t.alternateKeys ?? []) {
    for (const k of key.columns) {
      if (!columns[k]) throw new Error(`Schema: key ${key.schemaName} on ${t.logicalName} names unknown column ${k}`);
    }
  }
  return {
    logicalName: t.logicalName,
    schemaName: t.schemaName ?? t.logicalName,
    entitySetName: t.entitySetName,
    displayName: t.displayName,
    displayCollectionName: t.displayCollectionName,
    description: t.description,
    primaryIdAttribute,
    primaryNameAttribute: t.primaryNameAttribute,
    ownership: t.ownership,
    objectTypeCode: t.objectTypeCode,
    origin: t.origin,
    scheduling: t.scheduling,
    columns: columns as Record<C[number]['logicalName'], ColumnDef>,
    alternateKeys: t.alternateKeys ?? [],
  };
}
