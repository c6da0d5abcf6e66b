/** Loads seed records through the organization service (so defaults and Field Service side effects apply). */
import type { LocalDataverse } from './dataverse';
import type { Caller } from './pipeline/context';
import type { SeedRecord } from './seed/types';

/** Creates the rows in one transaction; seeding is setup, not activity, so no webhook fires for it. */
export function loadRecords(dv: LocalDataverse, records: readonly SeedRecord[], caller: Caller, onCommit?: () => void): void {
  dv.atomic(() => {
    const ctx = dv.newOperationContext(caller, undefined, true);
    for (const r of records) {
      dv.service.create(ctx, r.table, r.attributes);
      ctx.events.length = 0;
    }
    onCommit?.();
  });
}

export function loadSeed(dv: LocalDataverse, records: readonly SeedRecord[], caller: Caller, kind: string): void {
  loadRecords(dv, records, caller, () => dv.store.markSeeded(kind));
}
