/**
 * Dataset → plain task records. Values the platform formats (dates, effort) are taken formatted, so they follow the
 * user's settings; lookups give the parent task and project. Records are converted once and reused while the dataset
 * keeps handing in the same record objects, so an appended page costs only its own rows.
 */
import { msdyn_projecttask } from '../../shared/schemaNames';
import { normaliseGuid } from '../../shared/odata';
import type { TaskRecord } from '../model/types';

type DataSet = ComponentFramework.PropertyTypes.DataSet;
type EntityRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;

const C = msdyn_projecttask.columns;

/** Columns the tree needs whether or not the view shows them (added with dataset.addColumn). */
export const REQUIRED_COLUMNS: readonly string[] = [
  C.msdyn_subject,
  C.msdyn_parenttask,
  C.msdyn_project,
  C.msdyn_summary,
  C.msdyn_outlinelevel,
  C.msdyn_displaysequence,
  C.msdyn_scheduledstart,
  C.msdyn_scheduledend,
  C.msdyn_effort,
];

/** Adds the required columns the view lacks; true when any was added (the dataset must then be refreshed). */
export function ensureColumns(dataset: DataSet): boolean {
  if (!dataset.addColumn) return false;
  const have = new Set(dataset.columns.map((c) => c.name));
  let added = false;
  for (const name of REQUIRED_COLUMNS) {
    if (!have.has(name)) {
      dataset.addColumn(name);
      added = true;
    }
  }
  return added;
}

function refId(value: unknown): string | null {
  if (value && typeof value === 'object') {
    const v = value as { id?: { guid?: unknown } | string };
    return guidOf(typeof v.id === 'string' ? v.id : v.id?.guid);
  }
  return null;
}

/** GUIDs from the platform are already well formed; only other shapes take the slower check. */
function guidOf(value: unknown): string | null {
  if (typeof value === 'string' && value.length === 36 && value.charCodeAt(8) === 45) return value.toLowerCase();
  return normaliseGuid(value);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/**
 * A task read from a dataset record. The tree needs id, parent, project and summary of every task at once; names,
 * dates and effort are read when a row is drawn (or searched), so a 25,000-task plan costs four reads per record
 * up front (id, parent, project), not nine.
 */
class DatasetTask implements TaskRecord {
  readonly parentId: string | null;
  readonly projectId: string | null;
  private cache: { name?: string; projectName?: string; start?: string; finish?: string; effortHours?: number | null; effort?: string; isSummary?: boolean } = {};

  constructor(
    readonly id: string,
    private readonly record: EntityRecord,
  ) {
    this.parentId = refId(record.getValue(C.msdyn_parenttask));
    this.projectId = refId(record.getValue(C.msdyn_project));
  }

  get isSummary(): boolean {
    if (this.cache.isSummary === undefined) {
      const summary = this.record.getValue(C.msdyn_summary) as unknown;
      this.cache.isSummary = summary === true || summary === 1 || summary === '1' || summary === 'true';
    }
    return this.cache.isSummary;
  }

  get name(): string {
    return (this.cache.name ??= String(this.record.getFormattedValue(C.msdyn_subject) || this.record.getValue(C.msdyn_subject) || ''));
  }
  get projectName(): string {
    if (this.cache.projectName === undefined) {
      const ref = this.record.getValue(C.msdyn_project) as { name?: unknown } | null;
      this.cache.projectName = (ref && typeof ref.name === 'string' && ref.name) || this.record.getFormattedValue(C.msdyn_project) || '';
    }
    return this.cache.projectName;
  }
  get start(): string {
    return (this.cache.start ??= this.record.getFormattedValue(C.msdyn_scheduledstart) ?? '');
  }
  get finish(): string {
    return (this.cache.finish ??= this.record.getFormattedValue(C.msdyn_scheduledend) ?? '');
  }
  get effortHours(): number | null {
    if (this.cache.effortHours === undefined) this.cache.effortHours = num(this.record.getValue(C.msdyn_effort));
    return this.cache.effortHours;
  }
  get effort(): string {
    return (this.cache.effort ??= this.record.getFormattedValue(C.msdyn_effort) || (this.effortHours !== null ? String(this.effortHours) : ''));
  }
}

export function taskFromRecord(record: EntityRecord): TaskRecord | null {
  const id = guidOf(record.getRecordId());
  return id ? new DatasetTask(id, record) : null;
}

/** Reads the dataset's records in order, reusing conversions of record objects seen before. */
export class TaskRecordReader {
  private cache = new WeakMap<EntityRecord, TaskRecord | null>();
  private lastIds: readonly string[] | null = null;
  private lastLength = -1;
  private lastRecords: DataSet['records'] | null = null;
  private last: readonly TaskRecord[] = [];

  read(dataset: DataSet): readonly TaskRecord[] {
    const ids = dataset.sortedRecordIds;
    if (ids === this.lastIds && ids.length === this.lastLength && dataset.records === this.lastRecords) return this.last;
    const out: TaskRecord[] = [];
    for (const id of ids) {
      const record = dataset.records[id];
      if (!record) continue;
      let task = this.cache.get(record);
      if (task === undefined) {
        task = taskFromRecord(record);
        this.cache.set(record, task);
      }
      if (task) out.push(task);
    }
    this.lastIds = ids;
    this.lastLength = ids.length;
    this.lastRecords = dataset.records;
    this.last = out;
    return out;
  }
}
