/**
 * Which data a fresh local Dataverse starts with: the baseline every environment has, plus an optional program
 * (`telecom` for demos, `scale:<N>` for benchmarks with N leaf tasks).
 */
import type { SchemaModel } from '@pfb/domain';
import { baselineSeed } from './baseline';
import { scaleSeed } from './scale';
import { telecomSeed } from './telecom';
import type { SeedRecord } from './types';

export type SeedKind = 'empty' | 'telecom' | `scale:${number}`;
export type { SeedRecord } from './types';

const SCALE = /^scale:(\d+)$/;

export function isSeedKind(value: string): value is SeedKind {
  return value === 'empty' || value === 'telecom' || (SCALE.test(value) && Number(SCALE.exec(value)?.[1]) > 0);
}

/** Baseline first, then the program, each row after the rows it points to. */
export function seedRecords(kind: SeedKind, schema: SchemaModel): SeedRecord[] {
  // Concatenate without spreading: a large scale seed has more rows than a call may take as arguments.
  return baselineSeed(schema).concat(programRecords(kind));
}

/**
 * The program's rows alone (none for `empty`). The local Dataverse loads them after the baseline and after our
 * solution is imported: they fill `pfb_` columns that only exist once the package has created them.
 */
export function programRecords(kind: SeedKind): SeedRecord[] {
  if (kind === 'empty') return [];
  if (kind === 'telecom') return telecomSeed();
  const m = SCALE.exec(kind);
  const count = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(count) || count <= 0) {
    throw new Error(`Unknown seed kind '${String(kind)}': use 'empty', 'telecom' or 'scale:<N>' with N a positive whole number of tasks.`);
  }
  return scaleSeed(count);
}
