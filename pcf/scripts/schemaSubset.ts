/**
 * Renders pcf/shared/schemaNames.ts: the part of the one schema module (`@pfb/domain`, domain/src/schema) that the
 * controls use — logical names, entity set names, lookup properties and choice values — as plain constants.
 *
 * Why a generated subset and not an import: the schema's table definitions are calls (`defineTable(...)`) that webpack
 * cannot drop, so importing one table file pulls ~33 KB of column metadata into a bundle capped at 60 KB (DESIGN §7).
 * The values still come only from the schema: `npm run build -w @pfb/pcf` regenerates the file and a jest test fails
 * when the committed file differs from what the schema gives.
 */
import {
  bookableresourcebooking,
  bookingstatus,
  BookingSystemStatus,
  EventOutcome,
  FieldStage,
  FieldStatus,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  msdyn_workorder,
  navigationPropertyOf,
  pfb_fieldevent,
  pfb_projectprogress,
  pfb_tasksync,
  Scenario,
  SyncStatus,
  WorkOrderSystemStatus,
  type TableDef,
} from '@pfb/domain';

type ColumnsOf<T extends TableDef> = keyof T['columns'] & string;

interface TablePick {
  readonly table: TableDef;
  readonly columns: readonly string[];
}

/** Column names are checked against the table's literal column keys at the call. */
const pick = <T extends TableDef>(table: T, columns: readonly ColumnsOf<T>[]): TablePick => ({ table, columns });

/** Exactly the columns the controls read; a name that is not in the schema does not compile. */
const TABLES: readonly TablePick[] = [
  pick(msdyn_project, ['msdyn_subject']),
  pick(msdyn_projecttask, [
    'msdyn_subject',
    'msdyn_project',
    'msdyn_parenttask',
    'msdyn_outlinelevel',
    'msdyn_displaysequence',
    'msdyn_summary',
    'msdyn_scheduledstart',
    'msdyn_scheduledend',
    'msdyn_effort',
  ]),
  pick(msdyn_projectteam, ['msdyn_resourcecategory']),
  pick(msdyn_resourceassignment, ['msdyn_taskid', 'msdyn_projectteamid', 'msdyn_projectid']),
  pick(pfb_tasksync, [
    'pfb_name',
    'pfb_projecttask',
    'pfb_project',
    'pfb_syncstatus',
    'pfb_scenario',
    'pfb_fieldstatus',
    'pfb_lasterror',
    'pfb_plannedworkorders',
    'pfb_plannedeffort',
    'pfb_plannedstart',
    'pfb_plannedend',
    'pfb_actualstart',
    'pfb_actualend',
    'pfb_actualeffort',
    'pfb_effortvariance',
    'pfb_effortvariancepct',
    'pfb_percentcomplete',
    'pfb_workorderscompleted',
    'pfb_workordersincomplete',
  ]),
  pick(pfb_projectprogress, [
    'pfb_name',
    'pfb_project',
    'pfb_percentcomplete',
    'pfb_taskscompleted',
    'pfb_taskstotal',
    'pfb_actualstart',
    'pfb_actualend',
    'pfb_actualeffort',
    'pfb_estimatedeffort',
    'pfb_effortvariance',
    'pfb_lastfieldupdate',
  ]),
  pick(msdyn_workorder, [
    'msdyn_name',
    'msdyn_systemstatus',
    'msdyn_timefrompromised',
    'msdyn_timetopromised',
    'pfb_project',
    'pfb_projecttask',
    'pfb_tasksync',
    'pfb_slotindex',
    'pfb_plannedeffort',
  ]),
  pick(bookableresourcebooking, [
    'name',
    'starttime',
    'endtime',
    'duration',
    'resource',
    'bookingstatus',
    'msdyn_workorder',
    'pfb_fieldstage',
    'pfb_fieldstageon',
    'pfb_actualstart',
    'pfb_actualend',
    'pfb_actualeffort',
    'pfb_incompletereason',
  ]),
  pick(bookingstatus, ['name', 'msdyn_fieldservicestatus']),
  pick(pfb_fieldevent, ['pfb_eventid', 'pfb_booking', 'pfb_stage', 'pfb_occurredon', 'pfb_receivedon', 'pfb_sequence', 'pfb_outcome']),
];

const CHOICES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  SyncStatus,
  Scenario,
  FieldStatus,
  FieldStage,
  EventOutcome,
  WorkOrderSystemStatus,
  BookingSystemStatus,
};

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function renderTable({ table, columns }: TablePick): string {
  const lines: string[] = [];
  lines.push(`export const ${table.logicalName} = {`);
  lines.push(`  logicalName: ${q(table.logicalName)},`);
  lines.push(`  entitySetName: ${q(table.entitySetName)},`);
  lines.push(`  primaryIdAttribute: ${q(table.primaryIdAttribute)},`);
  lines.push(`  primaryNameAttribute: ${q(table.primaryNameAttribute)},`);
  lines.push('  columns: {');
  for (const name of columns) {
    if (!table.columns[name]) throw new Error(`${table.logicalName}.${name} is not in the schema`);
    lines.push(`    ${name}: ${q(name)},`);
  }
  lines.push('  },');
  const lookups = columns.map((n) => table.columns[n]).filter((c) => c?.targets && c.targets.length > 0);
  lines.push('  /** Lookups: the property a Web API read returns (`_x_value`) and the single-valued navigation property. */');
  lines.push('  lookups: {');
  for (const c of lookups) {
    if (!c) continue;
    lines.push(`    ${c.logicalName}: { valueProperty: ${q(`_${c.logicalName}_value`)}, navigationProperty: ${q(navigationPropertyOf(c))}, target: ${q(c.targets?.[0] ?? '')} },`);
  }
  lines.push('  },');
  lines.push('} as const;');
  return lines.join('\n');
}

function renderChoice(name: string, values: Readonly<Record<string, number>>): string {
  const body = Object.entries(values)
    .map(([k, v]) => `  ${k}: ${v},`)
    .join('\n');
  return `export const ${name} = {\n${body}\n} as const;\nexport type ${name}Value = (typeof ${name})[keyof typeof ${name}];`;
}

/** The whole file, deterministic (same schema → same text). */
export function renderSchemaSubset(): string {
  return [
    '/**',
    ' * GENERATED from the schema module (@pfb/domain, domain/src/schema) by pcf/scripts/generateSchemaNames.ts — do not',
    ' * edit. `npm run build -w @pfb/pcf` regenerates it; pcf/shared/schemaNames.test.ts fails when it is out of date.',
    ' */',
    '',
    ...TABLES.map(renderTable).flatMap((t) => [t, '']),
    ...Object.entries(CHOICES).flatMap(([n, v]) => [renderChoice(n, v), '']),
  ].join('\n');
}
