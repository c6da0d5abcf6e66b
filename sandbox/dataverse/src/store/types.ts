/** In-memory form of a Dataverse row, shared by the store, the pipeline, webhooks and the seed. */

export interface EntityReference {
  readonly logicalName: string;
  readonly id: string;
  readonly name?: string | null;
}

/**
 * A column value: text, whole/decimal numbers, booleans, choices (numbers), date-times as ISO 8601 UTC strings
 * (`2026-01-02T08:00:00Z`; DateOnly columns as `2026-01-02`), lookups as entity references, or null.
 */
export type AttributeValue = string | number | boolean | null | EntityReference;

export type Attributes = Record<string, AttributeValue>;

export function isEntityReference(v: unknown): v is EntityReference {
  return typeof v === 'object' && v !== null && 'logicalName' in v && 'id' in v;
}
