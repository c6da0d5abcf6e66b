/**
 * The sync status of a selection's tasks, read once per selection and shared by every rule that asks (the platform
 * evaluates each button's rules on every selection change and ribbon refresh; Ready to Sync and Cancel field work ask
 * about the same selection). Entries live `ttlMs` (0: only while the read is under way): the bridge moves rows on its own (Ready → Syncing → Synced), and a
 * rule may be that much behind. After a command writes, it tells the cache what it wrote, so the ribbon refresh that
 * follows costs no request.
 */
export type Statuses = ReadonlyMap<string, number | null>;

interface Entry {
  readonly at: number;
  statuses: Promise<Map<string, number | null>>;
}

export class StateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Reads the statuses of these tasks: every id gets a value, null for a task without a row. */
    private readonly load: (ids: readonly string[]) => Promise<Map<string, number | null>>,
    private readonly ttlMs = 30_000,
    private readonly clock: () => number = Date.now,
    private readonly maxEntries = 50,
  ) {}

  statuses(ids: readonly string[]): Promise<Statuses> {
    const key = [...ids].sort().join(',');
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && (this.ttlMs <= 0 || now - hit.at < this.ttlMs)) return hit.statuses;
    const entry: Entry = { at: now, statuses: this.load(ids) };
    // A failed read is not remembered: the next evaluation tries again. With no time to live, an entry only serves
    // the evaluations that ask while its read is under way.
    const drop = (): void => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    entry.statuses.then(() => this.ttlMs <= 0 && drop(), drop);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return entry.statuses;
  }

  /** What a command just wrote: every cached entry holding these tasks sees the new statuses (no request). */
  remember(written: ReadonlyMap<string, number>): void {
    for (const entry of this.entries.values()) {
      entry.statuses = entry.statuses.then((current) => {
        const next = new Map(current);
        for (const [id, status] of written) if (next.has(id)) next.set(id, status);
        return next;
      });
    }
  }

  forget(): void {
    this.entries.clear();
  }
}
