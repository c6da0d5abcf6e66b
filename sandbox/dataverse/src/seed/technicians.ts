/**
 * Named technicians: a bookable resource per person (backed by a user, or by a contact at a subcontractor), the
 * roles they can fill (bookableresourcecategoryassn) and the tickets they hold (bookableresourcecharacteristic):
 * those their roles require plus any extras. Dispatchers book these people to the work orders the bridge creates.
 */
import {
  ResourceType,
  account,
  bookableresource,
  bookableresourcecategory,
  bookableresourcecategoryassn,
  bookableresourcecharacteristic,
  characteristic,
  contact,
  systemuser,
} from '@pfb/domain';
import { ref, row } from './build';
import { seedId } from './ids';
import { contactRow, userRow, type PersonSpec } from './parties';
import { ROLE_MAPPING, type CharacteristicName, type ReferenceIds, type RoleName } from './referenceData';
import type { SeedRecord } from './types';

/** Dataverse time zone codes: 255 (GMT+10:00) Canberra, Melbourne, Sydney; 85 (GMT) Dublin, Edinburgh, Lisbon, London. */
export const TZ_CODE_SYDNEY = 255;
export const TZ_CODE_LONDON = 85;

export interface TechnicianSpec extends PersonSpec {
  readonly key: string;
  /** user: an employee with a Dataverse user; contact: a subcontractor's person. */
  readonly kind: 'user' | 'contact';
  readonly roles: readonly RoleName[];
  /** Tickets beyond the ones their roles require. */
  readonly extra?: readonly CharacteristicName[];
  readonly timeZoneCode: number;
  readonly mobilityUserId: string;
}

export interface Subcontractor {
  readonly accountId: string;
  readonly emailDomain: string;
}

export const technicianResourceId = (ns: string, key: string): string => seedId(`${ns}:bookableresource:${key}`);
export const technicianUserId = (ns: string, key: string): string => seedId(`${ns}:systemuser:${key}`);
const technicianContactId = (ns: string, key: string): string => seedId(`${ns}:contact:${key}`);

export function technicianRecords(ns: string, refs: ReferenceIds, technicians: readonly TechnicianSpec[], subcontractor?: Subcontractor): SeedRecord[] {
  const records: SeedRecord[] = [];
  technicians.forEach((t, i) => {
    const name = `${t.first} ${t.last}`;
    const resourceId = technicianResourceId(ns, t.key);
    if (t.kind === 'user') {
      records.push(userRow(technicianUserId(ns, t.key), t, seedId(`${ns}:entra:${t.key}`)));
    } else {
      if (!subcontractor) throw new Error(`Technician ${t.key} is a contact but no subcontractor account was given`);
      const mobile = `+61 4${String(12000000 + i * 3571)}`;
      records.push(contactRow(technicianContactId(ns, t.key), { ...t, title: t.roles[0] }, subcontractor.accountId, subcontractor.emailDomain, mobile));
    }
    records.push(
      row(bookableresource, resourceId, {
        name,
        resourcetype: t.kind === 'user' ? ResourceType.User : ResourceType.Contact,
        userid: t.kind === 'user' ? ref(systemuser, technicianUserId(ns, t.key)) : null,
        contactid: t.kind === 'contact' ? ref(contact, technicianContactId(ns, t.key)) : null,
        accountid: t.kind === 'contact' && subcontractor ? ref(account, subcontractor.accountId) : null,
        timezone: t.timeZoneCode,
        pfb_mobilityuserid: t.mobilityUserId,
      }),
    );
    for (const role of t.roles) {
      records.push(
        row(bookableresourcecategoryassn, seedId(`${ns}:bookableresourcecategoryassn:${t.key}:${role}`), {
          name: `${name} – ${role}`,
          resource: ref(bookableresource, resourceId),
          resourcecategory: ref(bookableresourcecategory, refs.roles[role]),
        }),
      );
    }
    const tickets = new Set<CharacteristicName>();
    for (const role of t.roles) {
      const c = ROLE_MAPPING[role].characteristic;
      if (c) tickets.add(c);
    }
    for (const c of t.extra ?? []) tickets.add(c);
    for (const c of tickets) {
      records.push(
        row(bookableresourcecharacteristic, seedId(`${ns}:bookableresourcecharacteristic:${t.key}:${c}`), {
          name: `${name} – ${c}`,
          resource: ref(bookableresource, resourceId),
          characteristic: ref(characteristic, refs.characteristics[c]),
        }),
      );
    }
  });
  return records;
}
