/**
 * The demo program: "5G Site Upgrade Program – Northern Region" for a mobile carrier. Four projects, one per site
 * cluster (three in northern New South Wales on Australia/Sydney time, one in North East England on Europe/London
 * time), each a three-level WBS (site upgrade → phase → field task) with generic resources by role, plus the
 * carrier, the sites, the people and twenty named technicians with their roles and tickets.
 *
 * Dates are in 2027 and chosen to cross daylight-saving changes: the UK project spans the clocks going forward
 * (28 March 2027) and the New England project the Sydney clocks going back (4 April 2027).
 *
 * Deliberately invalid tasks, all in the New England project, so validation before sync has something to refuse
 * (see TELECOM_INVALID_TASKS):
 * - "Landlord liaison visit": effort 0 h (missing estimate);
 * - "Traffic management for crane lift": only a Traffic Controller is assigned, a role with no work order type
 *   or characteristic mapping;
 * - "Remove decommissioned 3G equipment": no generic resource assigned, so no role;
 * - "Structural engineer sign-off": due date before its start date.
 */
import { CustomerType } from '@pfb/domain';
import { seedId } from './ids';
import { accountRow, contactRow, userRow, type AccountSpec, type PersonSpec } from './parties';
import { buildProject, type LeafTaskSpec, type SummaryTaskSpec, type TaskSpec } from './projectPlan';
import { referenceDataSeed, referenceIds, type Currency } from './referenceData';
import { TZ_CODE_LONDON, TZ_CODE_SYDNEY, technicianRecords, type TechnicianSpec } from './technicians';
import type { SeedRecord } from './types';

export const TELECOM_PROGRAM = '5G Site Upgrade Program – Northern Region';
const NS = 'telecom';
const ids = referenceIds(NS);

// ---- organisations, sites and people ---------------------------------------------------------------------------

interface KeyedAccount extends AccountSpec {
  readonly key: string;
  readonly parent?: string;
}

const accountId = (key: string): string => seedId(`${NS}:account:${key}`);

const ORGANISATIONS: readonly KeyedAccount[] = [
  {
    key: 'carrier',
    name: 'Aurora Mobile Networks Pty Ltd',
    number: 'AMN-0001',
    street: 'Level 12, 1 Market Street',
    city: 'Sydney',
    state: 'NSW',
    postcode: '2000',
    country: 'Australia',
    lat: -33.8708,
    lon: 151.2073,
    currency: 'AUD',
    type: CustomerType.Customer,
    phone: '+61 2 9000 4100',
    email: 'network.delivery@auroramobile.example',
  },
  {
    key: 'carrier-uk',
    name: 'Aurora Mobile Networks UK Ltd',
    number: 'AMN-0002',
    street: 'Quayside House, 110 Quayside',
    city: 'Newcastle upon Tyne',
    state: 'Tyne and Wear',
    postcode: 'NE1 3DX',
    country: 'United Kingdom',
    lat: 54.9695,
    lon: -1.6029,
    currency: 'GBP',
    type: CustomerType.Customer,
    parent: 'carrier',
    phone: '+44 191 496 0210',
    email: 'uk.delivery@auroramobile.example',
  },
  {
    key: 'summit',
    name: 'Summit Tower Services Pty Ltd',
    number: 'SUP-0417',
    street: '24 Industrial Drive',
    city: 'Mayfield',
    state: 'NSW',
    postcode: '2304',
    country: 'Australia',
    lat: -32.896,
    lon: 151.736,
    currency: 'AUD',
    type: CustomerType.Vendor,
    phone: '+61 2 4900 7720',
    email: 'dispatch@summittower.example',
  },
];

/** Cell sites: the service account of each cluster project (its address and time zone go on the work orders). */
const SITES: readonly KeyedAccount[] = [
  {
    key: 'site-hun-0412',
    name: 'Site HUN-0412 Maitland Hill',
    number: 'HUN-0412',
    street: '3 Mount Pleasant Street',
    city: 'East Maitland',
    state: 'NSW',
    postcode: '2323',
    country: 'Australia',
    lat: -32.7496,
    lon: 151.592,
    currency: 'AUD',
    type: CustomerType.Customer,
    parent: 'carrier',
  },
  {
    key: 'site-cco-0218',
    name: 'Site CCO-0218 Kariong Ridge',
    number: 'CCO-0218',
    street: '81 Dandaloo Street',
    city: 'Kariong',
    state: 'NSW',
    postcode: '2250',
    country: 'Australia',
    lat: -33.4389,
    lon: 151.2936,
    currency: 'AUD',
    type: CustomerType.Customer,
    parent: 'carrier',
  },
  {
    key: 'site-nen-0107',
    name: 'Site NEN-0107 Armidale North',
    number: 'NEN-0107',
    street: '140 Kellys Plains Road',
    city: 'Armidale',
    state: 'NSW',
    postcode: '2350',
    country: 'Australia',
    lat: -30.515,
    lon: 151.665,
    currency: 'AUD',
    type: CustomerType.Customer,
    parent: 'carrier',
  },
  {
    key: 'site-nee-0031',
    name: 'Site NEE-0031 Gateshead Fell',
    number: 'NEE-0031',
    street: 'Beacon Lough Road',
    city: 'Gateshead',
    state: 'Tyne and Wear',
    postcode: 'NE9 6TQ',
    country: 'United Kingdom',
    lat: 54.931,
    lon: -1.587,
    currency: 'GBP',
    type: CustomerType.Customer,
    parent: 'carrier-uk',
  },
];

const toAccountRow = (a: KeyedAccount): SeedRecord =>
  accountRow(accountId(a.key), { ...a, parentId: a.parent ? accountId(a.parent) : undefined }, ids);

interface KeyedPerson extends PersonSpec {
  readonly key: string;
  readonly org: string;
}

const CONTACTS: readonly KeyedPerson[] = [
  { key: 'rebecca-lawson', first: 'Rebecca', last: 'Lawson', title: 'Program Manager, 5G Rollout', org: 'carrier' },
  { key: 'tom-nguyen', first: 'Tom', last: 'Nguyen', title: 'Site Access Coordinator', org: 'carrier' },
  { key: 'gareth-price', first: 'Gareth', last: 'Price', title: 'Network Delivery Lead', org: 'carrier-uk' },
];

const contactId = (key: string): string => seedId(`${NS}:contact:${key}`);
const userId = (key: string): string => seedId(`${NS}:systemuser:${key}`);
const toUserRow = (key: string, p: PersonSpec): SeedRecord => userRow(userId(key), p, seedId(`${NS}:entra:${key}`));

const MANAGERS = {
  au: { key: 'hannah-brooks', first: 'Hannah', last: 'Brooks' },
  uk: { key: 'james-whitfield', first: 'James', last: 'Whitfield' },
} as const;

// ---- named technicians ------------------------------------------------------------------------------------------

type Person = Omit<TechnicianSpec, 'timeZoneCode' | 'mobilityUserId'> & { readonly uk?: boolean };

const PEOPLE: readonly Person[] = [
  { key: 'liam-oconnor', first: 'Liam', last: "O'Connor", kind: 'user', roles: ['Tower Rigger'], extra: ['First Aid'] },
  { key: 'jack-thompson', first: 'Jack', last: 'Thompson', kind: 'user', roles: ['Tower Rigger'] },
  { key: 'ben-carter', first: 'Ben', last: 'Carter', kind: 'user', roles: ['Tower Rigger', 'Site Supervisor'] },
  { key: 'priya-nair', first: 'Priya', last: 'Nair', kind: 'user', roles: ['RF Technician'] },
  { key: 'mei-chen', first: 'Mei', last: 'Chen', kind: 'user', roles: ['RF Technician'], extra: ['Working at Heights'] },
  { key: 'tom-walsh', first: 'Tom', last: 'Walsh', kind: 'user', roles: ['Civil Crew'] },
  { key: 'sam-rossi', first: 'Sam', last: 'Rossi', kind: 'user', roles: ['Civil Crew'], extra: ['First Aid'] },
  { key: 'aroha-ngata', first: 'Aroha', last: 'Ngata', kind: 'user', roles: ['Fibre Splicer'] },
  { key: 'daniel-kim', first: 'Daniel', last: 'Kim', kind: 'user', roles: ['Fibre Splicer'] },
  { key: 'grace-mitchell', first: 'Grace', last: 'Mitchell', kind: 'user', roles: ['Site Supervisor'] },
  { key: 'matt-dawson', first: 'Matt', last: 'Dawson', kind: 'contact', roles: ['Tower Rigger'] },
  { key: 'josh-reid', first: 'Josh', last: 'Reid', kind: 'contact', roles: ['Tower Rigger'], extra: ['First Aid'] },
  { key: 'nick-papadopoulos', first: 'Nick', last: 'Papadopoulos', kind: 'contact', roles: ['Civil Crew'] },
  { key: 'chloe-evans', first: 'Chloe', last: 'Evans', kind: 'contact', roles: ['Traffic Controller', 'Civil Crew'] },
  { key: 'oliver-hughes', first: 'Oliver', last: 'Hughes', kind: 'user', roles: ['Tower Rigger'], uk: true },
  { key: 'ethan-wright', first: 'Ethan', last: 'Wright', kind: 'user', roles: ['Tower Rigger'], uk: true },
  { key: 'amelia-clarke', first: 'Amelia', last: 'Clarke', kind: 'user', roles: ['RF Technician'], uk: true },
  { key: 'harry-robson', first: 'Harry', last: 'Robson', kind: 'user', roles: ['Fibre Splicer', 'Civil Crew'], uk: true },
  { key: 'callum-fraser', first: 'Callum', last: 'Fraser', kind: 'user', roles: ['Civil Crew'], uk: true },
  { key: 'sophie-turner', first: 'Sophie', last: 'Turner', kind: 'user', roles: ['Site Supervisor'], uk: true, extra: ['Working at Heights'] },
];

/** Twenty technicians: employees in NSW and North East England, and Summit Tower Services subcontractors. */
export const TELECOM_TECHNICIANS: readonly TechnicianSpec[] = PEOPLE.map(({ uk, ...p }, i) => ({
  ...p,
  timeZoneCode: uk ? TZ_CODE_LONDON : TZ_CODE_SYDNEY,
  mobilityUserId: `MOB-${uk ? 'UK' : 'AU'}-${String(i + 1).padStart(4, '0')}`,
}));

// ---- the WBS ----------------------------------------------------------------------------------------------------

const leaf = (key: string, subject: string, days: number, roles: LeafTaskSpec['roles'], more: Partial<LeafTaskSpec> = {}): LeafTaskSpec => ({
  key,
  subject,
  days,
  roles,
  ...more,
});
const summary = (key: string, subject: string, children: readonly TaskSpec[]): SummaryTaskSpec => ({ key, subject, children });

/**
 * One site upgrade: four phases, ten field tasks covering the four planning scenarios (single/multiple days ×
 * single/multiple resources). `extras` adds leaves to a phase by its key.
 */
function siteUpgradeWbs(site: string, extras: Readonly<Record<string, readonly LeafTaskSpec[]>> = {}): TaskSpec[] {
  const phase = (key: string, subject: string, tasks: readonly LeafTaskSpec[]): SummaryTaskSpec => summary(key, subject, [...tasks, ...(extras[key] ?? [])]);
  return [
    summary('upgrade', `${site} 5G upgrade`, [
      phase('prep', 'Site preparation', [
        leaf('survey', 'Site access survey & permits', 1, [{ role: 'Site Supervisor', count: 1 }]),
        leaf('civil', 'Civil works – cable trench & equipment pad', 3, [{ role: 'Civil Crew', count: 2 }]),
        leaf('power', 'Power upgrade – cabinet & metering', 2, [{ role: 'Civil Crew', count: 1 }]),
      ]),
      phase('tower', 'Tower & RF installation', [
        leaf('mounts', 'Tower reinforcement & antenna mounts', 2, [{ role: 'Tower Rigger', count: 2 }]),
        leaf('aau', 'Install 5G AAU & RRU', 2, [
          { role: 'Tower Rigger', count: 2 },
          { role: 'RF Technician', count: 1 },
        ]),
        leaf('sweep', 'RF cabling & sweep test', 1, [{ role: 'RF Technician', count: 1 }]),
      ]),
      phase('tx', 'Transmission', [leaf('fibre', 'Fibre backhaul splice & OTDR test', 1, [{ role: 'Fibre Splicer', count: 2 }])]),
      phase('commission', 'Commissioning & handover', [
        leaf('optimise', 'Integration & RF optimisation drive test', 2, [{ role: 'RF Technician', count: 1 }]),
        leaf('acceptance', 'Site acceptance inspection', 1, [{ role: 'Site Supervisor', count: 1 }]),
        leaf('handover', 'As-built documentation & handover', 1, [{ role: 'Site Supervisor', count: 1 }], {
          description: 'Red-line drawings, test results and photos uploaded to the carrier portal.',
        }),
      ]),
    ]),
  ];
}

interface ClusterSpec {
  readonly key: string;
  readonly cluster: string;
  readonly site: KeyedAccount;
  readonly customer: string;
  readonly manager: keyof typeof MANAGERS;
  readonly currency: Currency;
  readonly timeZone: string;
  readonly start: string;
  readonly extras?: Readonly<Record<string, readonly LeafTaskSpec[]>>;
}

/** The deliberately invalid tasks (New England project), by the validation rule each one breaks. */
const INVALID = {
  noEffort: leaf('landlord', 'Landlord liaison visit', 1, [{ role: 'Site Supervisor', count: 1 }], { effortHours: 0 }),
  unmappedRole: leaf('traffic', 'Traffic management for crane lift', 1, [{ role: 'Traffic Controller', count: 1 }]),
  noResource: leaf('decommission', 'Remove decommissioned 3G equipment', 2, []),
  endBeforeStart: leaf('structural', 'Structural engineer sign-off', 1, [{ role: 'Site Supervisor', count: 1 }], { endBeforeStart: true }),
} as const;

const CLUSTERS: readonly ClusterSpec[] = [
  { key: 'hunter', cluster: 'Hunter Valley', site: SITES[0] as KeyedAccount, customer: 'carrier', manager: 'au', currency: 'AUD', timeZone: 'Australia/Sydney', start: '2027-02-01' },
  { key: 'central-coast', cluster: 'Central Coast', site: SITES[1] as KeyedAccount, customer: 'carrier', manager: 'au', currency: 'AUD', timeZone: 'Australia/Sydney', start: '2027-03-01' },
  {
    key: 'new-england',
    cluster: 'New England',
    site: SITES[2] as KeyedAccount,
    customer: 'carrier',
    manager: 'au',
    currency: 'AUD',
    timeZone: 'Australia/Sydney',
    start: '2027-03-29',
    extras: { prep: [INVALID.noEffort, INVALID.noResource], tower: [INVALID.unmappedRole, INVALID.endBeforeStart] },
  },
  { key: 'north-east-england', cluster: 'North East England', site: SITES[3] as KeyedAccount, customer: 'carrier-uk', manager: 'uk', currency: 'GBP', timeZone: 'Europe/London', start: '2027-03-15' },
];

const projectKey = (c: ClusterSpec): string => `${NS}:${c.key}`;

export const TELECOM_PROJECT_IDS: Readonly<Record<string, string>> = Object.fromEntries(
  CLUSTERS.map((c) => [c.key, seedId(`${projectKey(c)}:project`)]),
);

export interface InvalidTask {
  readonly id: string;
  readonly subject: string;
  readonly problem: string;
}

const NEW_ENGLAND = CLUSTERS[2] as ClusterSpec;
const invalidTask = (t: LeafTaskSpec, problem: string): InvalidTask => ({ id: seedId(`${projectKey(NEW_ENGLAND)}:task:${t.key}`), subject: t.subject, problem });

export const TELECOM_INVALID_TASKS = {
  noEffort: invalidTask(INVALID.noEffort, 'no estimated effort'),
  unmappedRole: invalidTask(INVALID.unmappedRole, 'role Traffic Controller has no work order type mapping'),
  noResource: invalidTask(INVALID.noResource, 'no generic resource (role) assigned'),
  endBeforeStart: invalidTask(INVALID.endBeforeStart, 'due date is before the start date'),
} as const;

// ---- the seed ---------------------------------------------------------------------------------------------------

export function telecomSeed(): SeedRecord[] {
  const records: SeedRecord[] = [...referenceDataSeed(ids, 'Aurora 5G Field Rates')];
  // Parents before children: the carrier before its UK arm, both before the sites and the people.
  for (const a of ORGANISATIONS) records.push(toAccountRow(a));
  for (const a of SITES) records.push(toAccountRow(a));
  CONTACTS.forEach((p, i) => records.push(contactRow(contactId(p.key), p, accountId(p.org), 'auroramobile.example', `+61 2 9000 41${10 + i}`)));
  for (const m of Object.values(MANAGERS)) records.push(toUserRow(m.key, m));
  records.push(...technicianRecords(NS, ids, TELECOM_TECHNICIANS, { accountId: accountId('summit'), emailDomain: 'summittower.example' }));

  for (const c of CLUSTERS) {
    const built = buildProject({
      key: projectKey(c),
      subject: `5G NR – ${c.cluster} cluster (${c.site.number})`,
      description: `${TELECOM_PROGRAM}: 5G NR upgrade of ${c.site.name}, ${c.site.city}.`,
      customerId: accountId(c.customer),
      managerId: userId(MANAGERS[c.manager].key),
      serviceAccountId: accountId(c.site.key),
      priceListId: ids.priceLists[c.currency],
      timeZone: c.timeZone,
      start: c.start,
      roleIds: ids.roles,
      wbs: siteUpgradeWbs(c.site.number, c.extras),
    });
    records.push(...built.records);
  }
  return records;
}
