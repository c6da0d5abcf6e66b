/** What a seed produces: rows to insert, table by table, before any client connects. */
import type { Attributes } from '../store/types';

export interface SeedRecord {
  /** Table logical name. */
  readonly table: string;
  /** Column values by logical name, the primary id column included. */
  readonly attributes: Attributes;
}
