/** Loads seed records through the organization service (so defaults and Field Service side effects apply). */
import type { LocalDataverse } from './dataverse';
import type { Caller } from './pipeline/context';
import type { SeedRecord } from './seed/types';

export function loadSeed(dv: LocalDataverse, records: readonly SeedRecord[], caller: Caller, kind: string): void {
  dv.atomic(() => {
    const ctx = dv.newOperationContext(caller, undefined, true);
    for (const r of records) {
      dv.service.create(ctx, r.table, r.attributes);
      // Seeding is setup, not activity: no webhook should fire for it.
      ctx.events.length = 0;
    }
    dv.store.markSeeded(kind);
  });
}
