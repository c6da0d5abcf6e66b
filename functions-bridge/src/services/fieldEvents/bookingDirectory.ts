/**
 * Which bookings exist, for the inbound endpoint: an event for a booking Dataverse does not have is refused at the
 * edge (4xx), before it is queued. Known bookings are cached for the process's life (a booking deleted later is
 * handled by the worker); the misses of concurrent requests within a few milliseconds are looked up together, one
 * `In` query each, so a burst of deliveries for new bookings costs one Dataverse request, not one per booking.
 * Unknown ids are not cached: the booking may be created a moment later.
 */
import { bookableresourcebooking } from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { chunk, ID_CHUNK, inFilter, primaryKey } from '../taskSync/names';

const BOOKING_ID = primaryKey(bookableresourcebooking).logicalName;

export class BookingDirectory {
  private readonly known = new Set<string>();
  private pending = new Map<string, Array<(exists: boolean | Error) => void>>();
  private timer: NodeJS.Timeout | undefined;
  /** Lookups sent (Dataverse requests). */
  lookups = 0;

  constructor(
    private readonly client: DataverseClient,
    private readonly windowMs = 5,
  ) {}

  /** Remembers bookings known to exist (e.g. the dispatch worker just sent them). */
  remember(ids: Iterable<string>): void {
    for (const id of ids) this.known.add(id.toLowerCase());
  }

  /** The ids among `ids` that Dataverse does not have. */
  async unknown(ids: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => !this.known.has(id));
    if (wanted.length === 0) return [];
    const answers = await Promise.all(wanted.map((id) => this.ask(id).then((exists) => [id, exists] as const)));
    return answers.filter(([, exists]) => !exists).map(([id]) => id);
  }

  private ask(id: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const waiters = this.pending.get(id) ?? [];
      waiters.push((r) => (r instanceof Error ? reject(r) : resolve(r)));
      this.pending.set(id, waiters);
      this.timer ??= setTimeout(() => void this.lookup(), this.windowMs);
    });
  }

  private async lookup(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.timer = undefined;
    const ids = [...batch.keys()];
    try {
      for (const part of chunk(ids, ID_CHUNK)) {
        this.lookups += 1;
        const rows = await this.client.retrieveAll(bookableresourcebooking.entitySetName, { select: [BOOKING_ID], filter: inFilter(BOOKING_ID, part) });
        for (const r of rows) this.known.add(String(r[BOOKING_ID]).toLowerCase());
      }
      for (const [id, waiters] of batch) for (const w of waiters) w(this.known.has(id));
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      for (const waiters of batch.values()) for (const w of waiters) w(error);
    }
  }
}
