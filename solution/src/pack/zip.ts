/**
 * Deterministic zip: entries in the order given, one fixed modification time, one compression level. fflate writes
 * the DOS time from the Date's local fields, so the fixed time is built from local fields too: the bytes are the
 * same in every time zone.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** 2000-01-01 00:00:00 in whatever zone the machine is in (DOS times have no zone). */
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

export function zipFiles(entries: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data] of entries) {
    if (name in zippable) throw new Error(`zip: ${name} twice`);
    zippable[name] = [data, { level: 6, mtime: FIXED_MTIME }];
  }
  return zipSync(zippable, { level: 6, mtime: FIXED_MTIME });
}

/** Entry name → bytes, in the zip's order. */
export function unzipFiles(zip: Uint8Array): Map<string, Uint8Array> {
  const out = unzipSync(zip);
  return new Map(Object.entries(out));
}
