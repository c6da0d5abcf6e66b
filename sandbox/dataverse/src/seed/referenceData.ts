/**
 * Field reference data a program needs before any task can become a work order: currencies and price lists,
 * work order types, characteristics, and the roles (bookable resource categories) mapped to both by our
 * solution's pfb_workordertype / pfb_characteristic. Shared by the telecom and scale seeds; `ns` keeps their ids apart.
 */
import {
  CharacteristicType,
  bookableresourcecategory,
  characteristic,
  msdyn_workordertype,
  pricelevel,
  transactioncurrency,
} from '@pfb/domain';
import { ref, row } from './build';
import { seedId } from './ids';
import type { SeedRecord } from './types';

export const ROLES = ['Tower Rigger', 'RF Technician', 'Civil Crew', 'Fibre Splicer', 'Site Supervisor', 'Traffic Controller'] as const;
export type RoleName = (typeof ROLES)[number];

export const WORK_ORDER_TYPES = ['Tower Work', 'RF Optimisation', 'Civil Works', 'Fibre Splicing', 'Site Inspection'] as const;
export type WorkOrderTypeName = (typeof WORK_ORDER_TYPES)[number];

export const CHARACTERISTICS = ['Working at Heights', 'RF Certified', 'Fibre Splicing Certified', 'Confined Space', 'First Aid'] as const;
export type CharacteristicName = (typeof CHARACTERISTICS)[number];

/**
 * Role → work order type and required characteristic. Traffic Controller is deliberately unmapped: validation
 * must refuse to sync a task that only it is assigned to ("role without a matching work order type").
 */
export const ROLE_MAPPING: Readonly<Record<RoleName, { workOrderType: WorkOrderTypeName | null; characteristic: CharacteristicName | null }>> = {
  'Tower Rigger': { workOrderType: 'Tower Work', characteristic: 'Working at Heights' },
  'RF Technician': { workOrderType: 'RF Optimisation', characteristic: 'RF Certified' },
  'Civil Crew': { workOrderType: 'Civil Works', characteristic: 'Confined Space' },
  'Fibre Splicer': { workOrderType: 'Fibre Splicing', characteristic: 'Fibre Splicing Certified' },
  'Site Supervisor': { workOrderType: 'Site Inspection', characteristic: 'First Aid' },
  'Traffic Controller': { workOrderType: null, characteristic: null },
};

const ROLE_DESCRIPTIONS: Readonly<Record<RoleName, string>> = {
  'Tower Rigger': 'Climbs and rigs on towers and monopoles: mounts, antennas, radio units.',
  'RF Technician': 'Radio frequency installation, sweep testing, integration and optimisation.',
  'Civil Crew': 'Trenching, footings, equipment pads, cabinets and power works.',
  'Fibre Splicer': 'Fibre backhaul splicing and OTDR testing.',
  'Site Supervisor': 'Site access, safety, inspections and acceptance.',
  'Traffic Controller': 'Traffic management for crane lifts and road-side works.',
};

export type Currency = 'AUD' | 'GBP';

const CURRENCIES: Readonly<Record<Currency, { name: string; symbol: string; rate: number }>> = {
  // Rates against the USD base currency (baseline); fixed so the seed is reproducible.
  AUD: { name: 'Australian Dollar', symbol: 'A$', rate: 1.52 },
  GBP: { name: 'Pound Sterling', symbol: '£', rate: 0.79 },
};

export interface ReferenceIds {
  readonly currencies: Readonly<Record<Currency, string>>;
  readonly priceLists: Readonly<Record<Currency, string>>;
  readonly roles: Readonly<Record<RoleName, string>>;
  readonly workOrderTypes: Readonly<Record<WorkOrderTypeName, string>>;
  readonly characteristics: Readonly<Record<CharacteristicName, string>>;
}

function idsByName<K extends string>(ns: string, kind: string, names: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const n of names) out[n] = seedId(`${ns}:${kind}:${n}`);
  return out;
}

export function referenceIds(ns: string): ReferenceIds {
  const currencies: readonly Currency[] = ['AUD', 'GBP'];
  return {
    currencies: idsByName(ns, 'transactioncurrency', currencies),
    priceLists: idsByName(ns, 'pricelevel', currencies),
    roles: idsByName(ns, 'bookableresourcecategory', ROLES),
    workOrderTypes: idsByName(ns, 'msdyn_workordertype', WORK_ORDER_TYPES),
    characteristics: idsByName(ns, 'characteristic', CHARACTERISTICS),
  };
}

/** The reference rows, each after the rows it points to. */
export function referenceDataSeed(ids: ReferenceIds, priceListName: string): SeedRecord[] {
  const records: SeedRecord[] = [];
  for (const code of ['AUD', 'GBP'] as const) {
    const c = CURRENCIES[code];
    records.push(
      row(transactioncurrency, ids.currencies[code], {
        isocurrencycode: code,
        currencyname: c.name,
        currencysymbol: c.symbol,
        exchangerate: c.rate,
        currencyprecision: 2,
      }),
    );
  }
  for (const code of ['AUD', 'GBP'] as const) {
    records.push(
      row(pricelevel, ids.priceLists[code], {
        name: `${priceListName} (${code})`,
        transactioncurrencyid: ref(transactioncurrency, ids.currencies[code]),
        begindate: '2027-01-01T00:00:00Z',
        enddate: '2029-12-31T00:00:00Z',
        description: `Field labour and travel rates in ${CURRENCIES[code].name}.`,
      }),
    );
  }
  for (const name of WORK_ORDER_TYPES) {
    records.push(
      row(msdyn_workordertype, ids.workOrderTypes[name], {
        msdyn_name: name,
        msdyn_pricelist: ref(pricelevel, ids.priceLists.AUD),
        msdyn_incidentrequired: false,
        msdyn_taxable: false,
      }),
    );
  }
  for (const name of CHARACTERISTICS) {
    records.push(
      row(characteristic, ids.characteristics[name], {
        name,
        characteristictype: CharacteristicType.Certification,
        description: `${name} ticket, current and verified.`,
      }),
    );
  }
  for (const role of ROLES) {
    const m = ROLE_MAPPING[role];
    records.push(
      row(bookableresourcecategory, ids.roles[role], {
        name: role,
        description: ROLE_DESCRIPTIONS[role],
        pfb_workordertype: m.workOrderType ? ref(msdyn_workordertype, ids.workOrderTypes[m.workOrderType]) : null,
        pfb_characteristic: m.characteristic ? ref(characteristic, ids.characteristics[m.characteristic]) : null,
      }),
    );
  }
  return records;
}
