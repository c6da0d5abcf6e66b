/**
 * A program of any size for benchmarks: `taskCount` leaf tasks spread over projects that stay inside the Project
 * for the web limit of 500 tasks each (450 leaves under 30 summaries = 480 tasks), with a fixed rotation of the four
 * planning scenarios, generic team members and assignments, one cell site per project (every fourth one in the UK,
 * on Europe/London time), and a small pool of named technicians per role to book.
 */
import { CustomerType } from '@pfb/domain';
import { addWorkingDays, dayOf, isoDate } from './calendar';
import { seedId } from './ids';
import { accountRow, userRow, type AccountSpec } from './parties';
import { buildProject, type LeafTaskSpec, type RoleNeed, type SummaryTaskSpec } from './projectPlan';
import { ROLES, ROLE_MAPPING, referenceDataSeed, referenceIds } from './referenceData';
import { TZ_CODE_LONDON, TZ_CODE_SYDNEY, technicianRecords, type TechnicianSpec } from './technicians';
import type { SeedRecord } from './types';

/** Project for the web: at most 500 tasks per project (summaries included). */
export const MAX_TASKS_PER_PROJECT = 500;
const LEAVES_PER_SUMMARY = 15;
export const LEAVES_PER_PROJECT = 450;

const NS = 'scale';
const ids = referenceIds(NS);
const accountId = (key: string): string => seedId(`${NS}:account:${key}`);
const MANAGER_ID = seedId(`${NS}:systemuser:coordinator`);

/** The rotation of leaf shapes: every scenario, one to three resources, one to five days. */
const SHAPES: readonly { readonly days: number; readonly roles: readonly RoleNeed[]; readonly subject: string }[] = [
  { days: 1, roles: [{ role: 'Site Supervisor', count: 1 }], subject: 'Site inspection' },
  { days: 1, roles: [{ role: 'Fibre Splicer', count: 2 }], subject: 'Fibre splice & OTDR test' },
  { days: 3, roles: [{ role: 'Civil Crew', count: 1 }], subject: 'Cabinet & power works' },
  { days: 2, roles: [{ role: 'Tower Rigger', count: 2 }, { role: 'RF Technician', count: 1 }], subject: 'Install AAU & RRU' },
  { days: 1, roles: [{ role: 'RF Technician', count: 1 }], subject: 'RF sweep test' },
  { days: 5, roles: [{ role: 'Civil Crew', count: 3 }], subject: 'Trench & equipment pad' },
  { days: 2, roles: [{ role: 'Tower Rigger', count: 2 }], subject: 'Antenna mounts' },
];

const TOWNS_AU = [
  { city: 'Newcastle', postcode: '2300', lat: -32.9283, lon: 151.7817 },
  { city: 'Tamworth', postcode: '2340', lat: -31.0927, lon: 150.932 },
  { city: 'Port Macquarie', postcode: '2444', lat: -31.4308, lon: 152.9089 },
  { city: 'Coffs Harbour', postcode: '2450', lat: -30.2963, lon: 153.1135 },
  { city: 'Lismore', postcode: '2480', lat: -28.8135, lon: 153.2773 },
  { city: 'Dubbo', postcode: '2830', lat: -32.2569, lon: 148.6011 },
] as const;
const TOWNS_UK = [
  { city: 'Durham', postcode: 'DH1 3HP', lat: 54.7761, lon: -1.5733 },
  { city: 'Sunderland', postcode: 'SR1 3SD', lat: 54.9069, lon: -1.3838 },
  { city: 'Middlesbrough', postcode: 'TS1 2AZ', lat: 54.5742, lon: -1.235 },
] as const;

function site(p: number): { key: string; spec: AccountSpec; uk: boolean } {
  const uk = p % 4 === 3;
  const towns = uk ? TOWNS_UK : TOWNS_AU;
  const town = towns[p % towns.length] as (typeof towns)[number];
  // Spread sites of the same town a few hundred metres apart so map views do not stack them.
  const jitter = ((p * 37) % 100) / 10000;
  const number = `SCL-${String(p + 1).padStart(4, '0')}`;
  return {
    key: `site-${p + 1}`,
    uk,
    spec: {
      name: `Site ${number} ${town.city}`,
      number,
      street: `${10 + (p % 90)} Tower Road`,
      city: town.city,
      state: uk ? 'England' : 'NSW',
      postcode: town.postcode,
      country: uk ? 'United Kingdom' : 'Australia',
      lat: town.lat + jitter,
      lon: town.lon - jitter,
      currency: uk ? 'GBP' : 'AUD',
      type: CustomerType.Customer,
      parentId: accountId('carrier'),
    },
  };
}

function leaves(p: number, count: number, firstIndex: number): SummaryTaskSpec[] {
  const groups: SummaryTaskSpec[] = [];
  for (let g = 0; g * LEAVES_PER_SUMMARY < count; g += 1) {
    const children: LeafTaskSpec[] = [];
    for (let i = g * LEAVES_PER_SUMMARY; i < Math.min(count, (g + 1) * LEAVES_PER_SUMMARY); i += 1) {
      const shape = SHAPES[(firstIndex + i) % SHAPES.length] as (typeof SHAPES)[number];
      children.push({
        key: `t${i + 1}`,
        subject: `${shape.subject} #${i + 1}`,
        days: shape.days,
        roles: shape.roles,
        // Work packages overlap: each starts a week after the previous one; tasks inside run back to back.
        ...(i % LEAVES_PER_SUMMARY === 0 ? { startOffset: g * 5 } : {}),
      });
    }
    groups.push({ key: `wp${g + 1}`, subject: `Work package ${g + 1} (project ${p + 1})`, children });
  }
  return groups;
}

/** Four named technicians per mapped role, half in each country. */
function technicians(): TechnicianSpec[] {
  const out: TechnicianSpec[] = [];
  for (const role of ROLES.filter((r) => ROLE_MAPPING[r].workOrderType)) {
    for (let i = 1; i <= 4; i += 1) {
      const uk = i > 2;
      const key = `${role.toLowerCase().replace(/\s+/g, '-')}-${i}`;
      out.push({
        key,
        first: role.split(' ')[0] as string,
        last: `Tech ${i}`,
        kind: 'user',
        roles: [role],
        timeZoneCode: uk ? TZ_CODE_LONDON : TZ_CODE_SYDNEY,
        mobilityUserId: `MOB-SCALE-${key}`,
      });
    }
  }
  return out;
}

export function scaleSeed(taskCount: number): SeedRecord[] {
  if (!Number.isInteger(taskCount) || taskCount < 0) throw new Error(`scaleSeed needs a whole number of tasks, not ${taskCount}`);
  const records: SeedRecord[] = [...referenceDataSeed(ids, 'Scale Field Rates')];
  records.push(
    accountRow(
      accountId('carrier'),
      {
        name: 'Scale Test Carrier Pty Ltd',
        number: 'STC-0001',
        street: '1 Test Street',
        city: 'Sydney',
        state: 'NSW',
        postcode: '2000',
        country: 'Australia',
        lat: -33.8688,
        lon: 151.2093,
        currency: 'AUD',
        type: CustomerType.Customer,
      },
      ids,
    ),
    userRow(MANAGER_ID, { first: 'Scale', last: 'Coordinator' }, seedId(`${NS}:entra:coordinator`)),
  );
  records.push(...technicianRecords(NS, ids, technicians()));

  const projects = Math.ceil(taskCount / LEAVES_PER_PROJECT);
  const firstDay = dayOf('2027-01-04');
  for (let p = 0; p < projects; p += 1) {
    const s = site(p);
    records.push(accountRow(accountId(s.key), s.spec, ids));
    const count = Math.min(LEAVES_PER_PROJECT, taskCount - p * LEAVES_PER_PROJECT);
    const built = buildProject({
      key: `${NS}:project-${p + 1}`,
      subject: `Scale project ${p + 1} – ${s.spec.name}`,
      description: `Generated: ${count} field tasks.`,
      customerId: accountId('carrier'),
      managerId: MANAGER_ID,
      serviceAccountId: accountId(s.key),
      priceListId: ids.priceLists[s.spec.currency],
      timeZone: s.uk ? 'Europe/London' : 'Australia/Sydney',
      // Staggered starts over the year, so dates cross both hemispheres' daylight-saving changes.
      start: isoDate(addWorkingDays(firstDay, (p % 26) * 10)),
      roleIds: ids.roles,
      wbs: leaves(p, count, p * LEAVES_PER_PROJECT),
    });
    records.push(...built.records);
  }
  return records;
}
