/**
 * Test support for the solution: the packages built from this repository with build outputs of the right shape
 * (fixtures, so these tests do not wait for the web resource and PCF builds), ImportSolution over HTTP as a client
 * sends it, and the contract of a table — what the bridge, the ribbon and the controls depend on — to compare an
 * imported table with the schema module's.
 */
import { randomUUID } from 'node:crypto';
import type { ColumnDef, RelationshipDef, SchemaModel, TableDef } from '@pfb/domain';
import { buildPackages, type BuildResult } from '../../solution/src/pack/buildPackages';
import { removeFixtures, writeBuildOutputFixtures } from '../../solution/src/testing/buildOutputFixtures';
import type { Client, HttpResult } from '../support/sandbox';

let cached: BuildResult | undefined;

/** The product's unmanaged and managed packages, packed from the committed source with fixture build outputs. */
export function productPackages(): BuildResult {
  if (cached) return cached;
  const fixtures = writeBuildOutputFixtures();
  try {
    cached = buildPackages({ mode: 'strict', source: 'committed', locations: fixtures });
  } finally {
    removeFixtures(fixtures);
  }
  return cached;
}

export function importBody(zip: Uint8Array, importJobId: string = randomUUID()): Record<string, unknown> {
  return { CustomizationFile: Buffer.from(zip).toString('base64'), OverwriteUnmanagedCustomizations: true, PublishWorkflows: false, ImportJobId: importJobId };
}

export function importSolution(api: Client, zip: Uint8Array, importJobId?: string): Promise<HttpResult> {
  return api.post('ImportSolution', importBody(zip, importJobId));
}

/** A column as the product depends on it (navigation and relationship names are compared as relationships). */
export function columnContract(c: ColumnDef): Record<string, unknown> {
  return {
    logicalName: c.logicalName,
    schemaName: c.schemaName,
    type: c.type,
    displayName: c.displayName,
    description: c.description ?? null,
    required: c.required,
    readOnly: c.readOnly === true,
    createOnly: c.createOnly === true,
    notReadable: c.notReadable === true,
    addedBySolution: c.addedBySolution === true,
    maxLength: c.maxLength ?? null,
    minValue: c.minValue ?? null,
    maxValue: c.maxValue ?? null,
    precision: c.type === 'integer' || c.type === 'bigint' ? null : (c.precision ?? null),
    dateTimeBehavior: c.dateTimeBehavior ?? null,
    optionSet: c.optionSet ? { name: c.optionSet.name, global: c.optionSet.global, options: c.optionSet.options.map((o) => ({ value: o.value, label: o.label })) } : null,
    targets: c.targets ? [...c.targets] : null,
  };
}

export function tableContract(t: TableDef): Record<string, unknown> {
  return {
    logicalName: t.logicalName,
    schemaName: t.schemaName,
    entitySetName: t.entitySetName,
    displayName: t.displayName,
    displayCollectionName: t.displayCollectionName,
    description: t.description ?? null,
    primaryIdAttribute: t.primaryIdAttribute,
    primaryNameAttribute: t.primaryNameAttribute,
    ownership: t.ownership,
    columns: Object.values(t.columns).map(columnContract),
    alternateKeys: t.alternateKeys.map((k) => ({ schemaName: k.schemaName, displayName: k.displayName, columns: [...k.columns] })),
  };
}

export function relationshipContract(r: RelationshipDef): string {
  return [r.schemaName, r.referencingEntity, r.referencingAttribute, r.referencedEntity, r.referencedAttribute, r.referencingNavigationProperty, r.referencedNavigationProperty, r.cascadeDelete].join('|');
}

export const relationshipsOf = (s: SchemaModel): string[] => s.relationships.map(relationshipContract).sort();
