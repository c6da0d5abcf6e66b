/**
 * Deliveries already accepted, by `webhook-id` (Standard Webhooks: "use the message id to deduplicate"). A delivery
 * older than the signature tolerance is refused on its timestamp anyway, so an id only needs remembering for the
 * tolerance on both sides of now: memory stays bounded by the delivery rate × 10 minutes.
 *
 * This is per process. A replay that reaches another instance within the window is accepted there, and changes
 * nothing: each event is recorded once by its id (the alternate key on pfb_eventid).
 */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 2 * SIGNATURE_TOLERANCE_SECONDS * 1000,
    private readonly maxEntries = 1_000_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(id: string): boolean {
    const until = this.seen.get(id);
    return until !== undefined && until > this.now();
  }

  remember(id: string): void {
    const now = this.now();
    this.seen.set(id, now + this.windowMs);
    if (this.seen.size > this.maxEntries) this.prune(now);
  }

  private prune(now: number): void {
    // Map iteration is insertion order: the oldest first.
    for (const [id, until] of this.seen) {
      if (until > now && this.seen.size <= this.maxEntries) break;
      this.seen.delete(id);
    }
  }

  get size(): number {
    return this.seen.size;
  }
}
