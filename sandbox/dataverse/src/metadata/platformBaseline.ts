/**
 * What a fresh organization offers before our solution is imported: Microsoft's tables as the platform, Project
 * Operations and Field Service install them (the schema module's non-`pfb` tables, without the `pfb_` columns and
 * keys our solution adds), optionally with the solution framework (solutions, web resources, controls, environment
 * variables, roles, import jobs). Our tables and columns then arrive by ImportSolution, never from the schema module
 * directly.
 */
import { schema as domainSchema, type TableDef } from '@pfb/domain';
import { solutionFrameworkTables } from '@pfb/solution';

export interface BaselineOptions {
  /** Include the solution-framework tables an ImportSolution of a full package writes to. */
  readonly solutionFramework: boolean;
}

/** A Microsoft table without what a solution added to it. */
export function withoutSolutionAdditions(t: TableDef): TableDef {
  const columns = Object.fromEntries(Object.entries(t.columns).filter(([, c]) => c.addedBySolution !== true));
  const keys = t.alternateKeys.filter((k) => k.columns.every((c) => c in columns));
  return { ...t, columns, alternateKeys: keys };
}

export function platformBaseline(options: BaselineOptions): TableDef[] {
  const microsoft = domainSchema.tables.filter((t) => t.origin !== 'pfb').map(withoutSolutionAdditions);
  return options.solutionFramework ? [...microsoft, ...solutionFrameworkTables] : microsoft;
}
