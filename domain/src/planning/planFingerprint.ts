/**
 * `pfb_planfingerprint`: a short, stable hash of the normalised inputs that shape a plan, so the bridge can tell a
 * changed task from an unchanged one without reading its work orders. 64-bit FNV-1a over the UTF-8 of a canonical
 * JSON array: not a security hash, only a change detector. Pure (no Node crypto), so the domain also runs in a
 * browser bundle. The version prefix changes whenever the planning rules change, which marks every plan stale.
 */

export const PLAN_FINGERPRINT_VERSION = 'v1';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

/** The normalised inputs: callers pass values already rounded, sorted and filtered, so equal plans hash equal. */
export interface FingerprintParts {
  readonly taskId: string;
  readonly policy: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly effortCentiHours: number;
  readonly timeZone: string;
  readonly workingWeekdays: readonly number[];
  readonly workingStartMinutes: number;
  readonly workingEndMinutes: number;
  /** Holidays inside the task's local date span only: a holiday elsewhere does not change the plan. */
  readonly nonWorkingDates: readonly string[];
  /** Sorted by roleId; names are left out (they label slots, they don't shape them). */
  readonly roles: readonly { readonly roleId: string; readonly count: number; readonly centiHours: number | null }[];
}

export function planFingerprint(p: FingerprintParts): string {
  const canonical = JSON.stringify([
    PLAN_FINGERPRINT_VERSION,
    p.taskId,
    p.policy,
    p.startSeconds,
    p.endSeconds,
    p.effortCentiHours,
    p.timeZone,
    p.workingWeekdays,
    p.workingStartMinutes,
    p.workingEndMinutes,
    p.nonWorkingDates,
    p.roles.map((r) => [r.roleId, r.count, r.centiHours]),
  ]);
  return `${PLAN_FINGERPRINT_VERSION}-${fnv1a64(canonical)}`;
}
