/**
 * Server-side checks Dataverse applies to every write, whatever the client: types, lengths, ranges, choice
 * values, SystemRequired columns, status reasons consistent with the state. ApplicationRequired is a form rule
 * and is NOT enforced server-side (entity-attribute-metadata, "Column requirement level").
 */
import type { ColumnDef, TableDef } from '@pfb/domain';
import { DataverseError, errors } from '../protocol/errors';
import { normalizeDateTime } from '../store/sql';
import { isEntityReference, type AttributeValue, type Attributes } from '../store/types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

function typeError(t: TableDef, c: ColumnDef, value: unknown, expected: string): DataverseError {
  return errors.badRequest(
    `Cannot convert the literal '${String(value)}' to the expected type '${expected}' for ${t.logicalName}.${c.logicalName}.`,
    '0x80048d19',
  );
}

export function coerceValue(t: TableDef, c: ColumnDef, value: AttributeValue): AttributeValue {
  if (value === null) return null;
  switch (c.type) {
    case 'string':
    case 'memo': {
      if (typeof value !== 'string') throw typeError(t, c, value, 'Edm.String');
      if (c.maxLength !== undefined && value.length > c.maxLength) {
        throw errors.badRequest(
          `A validation error occurred.  The length of the '${c.logicalName}' attribute of the '${t.logicalName}' entity exceeded the maximum allowed length of '${c.maxLength}'.`,
          '0x80044331',
        );
      }
      return value;
    }
    case 'uniqueidentifier':
      if (typeof value !== 'string' || !isGuid(value)) throw typeError(t, c, value, 'Edm.Guid');
      return value.toLowerCase();
    case 'integer':
    case 'bigint':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(t, c, value, c.type === 'bigint' ? 'Edm.Int64' : 'Edm.Int32');
      return checkRange(t, c, value);
    case 'decimal':
    case 'double':
    case 'money':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(t, c, value, 'Edm.Decimal');
      return checkRange(t, c, value);
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(t, c, value, 'Edm.Boolean');
      return value;
    case 'datetime': {
      if (typeof value !== 'string') throw typeError(t, c, value, 'Edm.DateTimeOffset');
      const dateOnly = c.dateTimeBehavior === 'DateOnly';
      const normalized = normalizeDateTime(value, dateOnly);
      if (!normalized) throw typeError(t, c, value, dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset');
      // Dataverse's range for date-times: 1/1/1753 to 12/31/9999.
      if (normalized < '1753-01-01' || normalized > '9999-12-31T23:59:59Z') {
        throw errors.valueOutOfRange(c.logicalName, 'is outside the range 1/1/1753 to 12/31/9999.');
      }
      return normalized;
    }
    case 'picklist':
    case 'state':
    case 'status': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(t, c, value, 'Edm.Int32');
      if (c.optionSet && !c.optionSet.options.some((o) => o.value === value)) throw errors.invalidOptionValue(t.logicalName, c.logicalName, value);
      return value;
    }
    case 'lookup':
    case 'owner':
    case 'customer':
      if (!isEntityReference(value)) throw typeError(t, c, value, 'Microsoft.Dynamics.CRM.EntityReference');
      if (c.targets && !c.targets.includes(value.logicalName)) {
        throw errors.badRequest(
          `The lookup ${t.logicalName}.${c.logicalName} cannot point to a ${value.logicalName} record; it accepts ${c.targets.join(', ')}.`,
          '0x80040203',
        );
      }
      return { logicalName: value.logicalName, id: value.id.toLowerCase() };
  }
}

function checkRange(t: TableDef, c: ColumnDef, value: number): number {
  if ((c.minValue !== undefined && value < c.minValue) || (c.maxValue !== undefined && value > c.maxValue)) {
    throw errors.valueOutOfRange(
      c.logicalName,
      `is outside the valid range (${c.minValue} to ${c.maxValue}) for ${t.logicalName}.${c.logicalName}.`,
    );
  }
  return value;
}

/**
 * Validates and normalises the attributes of a write. Read-only columns are dropped silently, as Dataverse
 * ignores values "not valid for that operation".
 */
export function validateAttributes(t: TableDef, attributes: Attributes, operation: 'create' | 'update'): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    const c = t.columns[name];
    if (!c) throw errors.propertyNotFound(name, t.logicalName);
    if (c.readOnly) continue;
    if (c.createOnly && operation === 'update' && name !== t.primaryIdAttribute) continue;
    out[name] = coerceValue(t, c, value);
  }
  return out;
}

/** SystemRequired columns must have a value after the write. */
export function checkRequired(t: TableDef, row: Attributes): void {
  for (const c of Object.values(t.columns)) {
    if (c.required === 'system' && !c.readOnly && c.type !== 'state' && c.type !== 'status' && (row[c.logicalName] === null || row[c.logicalName] === undefined)) {
      if (c.logicalName === t.primaryIdAttribute) continue;
      throw errors.requiredFieldMissing(t.logicalName, c.logicalName);
    }
  }
}

/** statuscode must belong to statecode (the status reason transition rules of the table). */
export function checkStateStatus(t: TableDef, row: Attributes): void {
  const status = t.columns['statuscode'];
  if (!status?.optionSet) return;
  const option = status.optionSet.options.find((o) => o.value === row['statuscode']) as { value: number; state?: number } | undefined;
  if (option && option.state !== undefined && row['statecode'] !== null && row['statecode'] !== undefined && option.state !== row['statecode']) {
    throw errors.invalidStatusTransition(
      t.logicalName,
      `status reason ${option.value} does not belong to state ${String(row['statecode'])}. Set a status reason of that state or change statecode too.`,
    );
  }
}

/** The default status reason of a state (the first one listed for it). */
export function defaultStatusFor(t: TableDef, state: number): number | undefined {
  const status = t.columns['statuscode'];
  const option = status?.optionSet?.options.find((o) => (o as { state?: number }).state === state);
  return option?.value;
}
