/**
 * What every environment has before anyone customizes it: the root business unit and its default team, the
 * signed-in admin (who WhoAmI returns), the bridge's application user, the base currency, the SDK messages and
 * message filters that steps register on and that clients query for bulk-message availability, and the Field
 * Service default booking statuses.
 */
import {
  BookingStatusStatus,
  BookingSystemStatus,
  TeamType,
  account,
  bookableresourcebooking,
  bookingstatus,
  businessunit,
  contact,
  msdyn_resourcerequirement,
  msdyn_workorder,
  sdkmessage,
  sdkmessagefilter,
  systemuser,
  team,
  transactioncurrency,
  type SchemaModel,
  type TableDef,
} from '@pfb/domain';
import { PRIVILEGE_RIGHTS, privilege, privilegeName, privilegeRightsOf } from '@pfb/solution';
import { ref, row } from './build';
import { seedId } from './ids';
import type { SeedRecord } from './types';

/** The root business unit: every seeded user and team belongs to it. */
export const SANDBOX_BUSINESS_UNIT_ID = seedId('baseline:businessunit:root');
export const DEFAULT_TEAM_ID = seedId('baseline:team:default');
/** The organization's admin: the caller WhoAmI reports when a request carries no other identity. */
export const SANDBOX_USER_ID = seedId('baseline:systemuser:admin');
/** The bridge's application user (S2S); it cannot call the Project schedule APIs. */
export const BRIDGE_APP_USER_ID = seedId('baseline:systemuser:field-bridge-app');
/** The Entra application (client) id of the bridge, stored in the application user's applicationid. */
export const BRIDGE_APP_ID = seedId('baseline:application:field-bridge');
export const BASE_CURRENCY_ID = seedId('baseline:transactioncurrency:USD');
const ORGANIZATION = 'pfbsandbox';

export const SDK_MESSAGES = [
  'Create',
  'Update',
  'Delete',
  'Retrieve',
  'RetrieveMultiple',
  'Associate',
  'Disassociate',
  'SetState',
  'Assign',
  'Upsert',
  'CreateMultiple',
  'UpdateMultiple',
  'UpsertMultiple',
] as const;
export type SdkMessageName = (typeof SDK_MESSAGES)[number];

export const SDK_MESSAGE_IDS: Readonly<Record<SdkMessageName, string>> = Object.fromEntries(
  SDK_MESSAGES.map((m) => [m, seedId(`baseline:sdkmessage:${m}`)]),
) as Record<SdkMessageName, string>;

/** Messages available on every table. */
export const PER_TABLE_MESSAGES: readonly SdkMessageName[] = ['Create', 'Update', 'Delete', 'Upsert', 'Retrieve', 'RetrieveMultiple'];
export const BULK_MESSAGES: readonly SdkMessageName[] = ['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple'];
/**
 * Platform and first-party tables that accept bulk messages here, besides our own. The Project scheduling tables are
 * left out on purpose: they refuse plain writes, so a client probing sdkmessagefilters must not find bulk there.
 */
const BULK_TABLES = [msdyn_workorder, msdyn_resourcerequirement, bookableresourcebooking, account, contact].map((t) => t.logicalName);

export function sdkMessageFilterId(message: SdkMessageName, table: string): string {
  return seedId(`baseline:sdkmessagefilter:${message}:${table}`);
}

/** bookingstatus rows as Field Service installs them: name, status (Proposed/Committed/Canceled), field service status. */
const BOOKING_STATUSES = [
  { name: 'Proposed', status: BookingStatusStatus.Proposed, fs: null },
  { name: 'Scheduled', status: BookingStatusStatus.Committed, fs: BookingSystemStatus.Scheduled },
  { name: 'Traveling', status: BookingStatusStatus.Committed, fs: BookingSystemStatus.Traveling },
  { name: 'In Progress', status: BookingStatusStatus.Committed, fs: BookingSystemStatus.InProgress },
  { name: 'On Break', status: BookingStatusStatus.Committed, fs: BookingSystemStatus.OnBreak },
  { name: 'Completed', status: BookingStatusStatus.Committed, fs: BookingSystemStatus.Completed },
  { name: 'Canceled', status: BookingStatusStatus.Canceled, fs: BookingSystemStatus.Canceled },
] as const;
export type DefaultBookingStatus = (typeof BOOKING_STATUSES)[number]['name'];

export const BOOKING_STATUS_IDS: Readonly<Record<DefaultBookingStatus, string>> = Object.fromEntries(
  BOOKING_STATUSES.map((s) => [s.name, seedId(`baseline:bookingstatus:${s.name}`)]),
) as Record<DefaultBookingStatus, string>;

/** The message filters the platform gives a table: CRUD messages always, bulk messages where the table takes them. */
export function messageFilterRecords(tableName: string, bulk: boolean): SeedRecord[] {
  const filter = (m: SdkMessageName): SeedRecord =>
    row(sdkmessagefilter, sdkMessageFilterId(m, tableName), {
      name: null,
      sdkmessageid: ref(sdkmessage, SDK_MESSAGE_IDS[m]),
      primaryobjecttypecode: tableName,
      secondaryobjecttypecode: 'none',
      iscustomprocessingstepallowed: true,
      isvisible: true,
      availability: 0,
    });
  return [...PER_TABLE_MESSAGES.map(filter), ...(bulk ? BULK_MESSAGES.map(filter) : [])];
}

export const privilegeId = (name: string): string => seedId(`baseline:privilege:${name.toLowerCase()}`);

/** The privileges the platform creates with a table (prvCreate<Table>, prvRead<Table>…); organization-owned tables only at Global depth. */
export function privilegeRecords(table: TableDef): SeedRecord[] {
  const userOwned = table.ownership === 'UserOwned';
  return privilegeRightsOf(table).map((right) => {
    const name = privilegeName(right, table);
    return row(privilege, privilegeId(name), {
      name,
      accessright: PRIVILEGE_RIGHTS[right],
      canbebasic: userOwned,
      canbelocal: userOwned,
      canbedeep: userOwned,
      canbeglobal: true,
    });
  });
}

export function baselineSeed(schema: SchemaModel): SeedRecord[] {
  const bu = ref(businessunit, SANDBOX_BUSINESS_UNIT_ID);
  const records: SeedRecord[] = [
    row(businessunit, SANDBOX_BUSINESS_UNIT_ID, { name: ORGANIZATION, parentbusinessunitid: null, isdisabled: false }),
    row(systemuser, SANDBOX_USER_ID, {
      firstname: 'Sandbox',
      lastname: 'Admin',
      fullname: 'Sandbox Admin',
      domainname: 'admin@pfbsandbox.onmicrosoft.com',
      internalemailaddress: 'admin@pfbsandbox.onmicrosoft.com',
      azureactivedirectoryobjectid: seedId('baseline:entra:admin'),
      applicationid: null,
      isdisabled: false,
      businessunitid: bu,
    }),
    row(systemuser, BRIDGE_APP_USER_ID, {
      firstname: null,
      lastname: 'Field Bridge (app)',
      fullname: 'Field Bridge (app)',
      // Application users get a generated UPN; there is no mailbox behind it.
      domainname: `${BRIDGE_APP_ID}@pfbsandbox.onmicrosoft.com`,
      internalemailaddress: `${BRIDGE_APP_ID}@pfbsandbox.onmicrosoft.com`,
      azureactivedirectoryobjectid: seedId('baseline:entra:field-bridge-app'),
      applicationid: BRIDGE_APP_ID,
      isdisabled: false,
      businessunitid: bu,
    }),
    row(team, DEFAULT_TEAM_ID, {
      name: ORGANIZATION,
      businessunitid: bu,
      administratorid: ref(systemuser, SANDBOX_USER_ID),
      teamtype: TeamType.Owner,
      isdefault: true,
    }),
    row(transactioncurrency, BASE_CURRENCY_ID, {
      isocurrencycode: 'USD',
      currencyname: 'US Dollar',
      currencysymbol: '$',
      exchangerate: 1,
      currencyprecision: 2,
    }),
  ];

  for (const m of SDK_MESSAGES) {
    records.push(
      row(sdkmessage, SDK_MESSAGE_IDS[m], {
        name: m,
        categoryname: m.endsWith('Multiple') && m !== 'RetrieveMultiple' ? 'Bulk' : m,
        isprivate: false,
        isactive: true,
        isvalidforexecuteasync: true,
        availability: 0,
      }),
    );
  }

  const bulkTables = new Set([...schema.tables.filter((t) => t.origin === 'pfb').map((t) => t.logicalName), ...BULK_TABLES]);
  for (const t of schema.tables) records.push(...messageFilterRecords(t.logicalName, bulkTables.has(t.logicalName)));
  // Privileges exist where the organization has the privilege table (the solution framework): roles refer to them.
  if (schema.table(privilege.logicalName)) for (const t of schema.tables) records.push(...privilegeRecords(t));

  for (const s of BOOKING_STATUSES) {
    records.push(
      row(bookingstatus, BOOKING_STATUS_IDS[s.name], {
        name: s.name,
        status: s.status,
        msdyn_fieldservicestatus: s.fs,
        // The platform default: bookings in any status count when deciding whether the work order is complete.
        msdyn_statuscompletesworkorder: true,
        description: null,
      }),
    );
  }
  return records;
}
