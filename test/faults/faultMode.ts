/**
 * The fault and load tests (DESIGN §7, reliability) run in a reduced form in `npm test` and in full with
 * `npm run test:faults` (PFB_FAULTS=full). Every one is bounded in count and time and stops by itself; everything
 * listens on 127.0.0.1 only.
 */
export const FULL = process.env['PFB_FAULTS'] === 'full';

/** The reduced figure in `npm test`, the full one in `npm run test:faults`. */
export const sized = <T>(reduced: T, full: T): T => (FULL ? full : reduced);
