/**
 * Reads everything a ticket needs in ONE Dataverse request: the booking with nested single-valued `$expand`s —
 * resource (and its user or contact for the e-mail), booking status, work order, and through the work order its
 * service account, project and project task. (Single-valued navigation properties may be nested in `$expand`;
 * only `$select`/`$filter` are allowed inside them, which is all this uses — Web API "join tables".)
 * Names come from the schema module; the row is turned into plain data (`BookingSnapshot`) for the pure mapping.
 */
import {
  account,
  bookableresource,
  bookableresourcebooking,
  bookingstatus,
  contact,
  msdyn_project,
  msdyn_projecttask,
  msdyn_workorder,
  navigationPropertyOf,
  systemuser,
  type TableDef,
} from '@pfb/domain';
import type { Expand } from 'dynamics-web-api';
import type { DataverseClient } from '../dataverse/dataverseClient';

export interface AddressSnapshot {
  readonly line1: string | null;
  readonly city: string | null;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export interface BookingSnapshot {
  readonly id: string;
  readonly name: string | null;
  /** The row's `@odata.etag` when read. */
  readonly etag: string | null;
  readonly versionNumber: string | null;
  readonly start: string;
  readonly end: string;
  readonly durationMinutes: number | null;
  readonly dispatchStatus: number | null;
  readonly mobilityRef: string | null;
  readonly status: { readonly id: string; readonly name: string | null; readonly status: number | null; readonly fieldServiceStatus: number | null } | null;
  readonly resource: { readonly id: string; readonly name: string; readonly mobilityUserId: string | null; readonly email: string | null } | null;
  readonly workOrder: {
    readonly id: string;
    readonly number: string | null;
    readonly summary: string | null;
    readonly instructions: string | null;
    readonly sourceKey: string | null;
    readonly plannedEffortHours: number | null;
    readonly address: AddressSnapshot;
    readonly serviceAccount: { readonly id: string; readonly name: string | null; readonly address: AddressSnapshot } | null;
    readonly project: { readonly id: string; readonly name: string | null; readonly timeZone: string | null } | null;
    readonly task: { readonly id: string; readonly name: string | null } | null;
  } | null;
}

type Row = Record<string, unknown>;

/** A column's logical name from the schema module; a name the schema does not know fails when this module loads. */
function column(table: TableDef, key: string): string {
  const c = table.columns[key];
  if (!c) throw new Error(`Schema: ${table.logicalName} has no column ${key}`);
  return c.logicalName;
}

/** The primary id and the given columns, for $select. */
function names(table: TableDef, keys: readonly string[]): string[] {
  return [table.primaryIdAttribute, ...keys.map((k) => column(table, k))];
}

const VERSION_NUMBER = column(bookableresourcebooking, 'versionnumber');

const B = bookableresourcebooking.columns;
const R = bookableresource.columns;
const W = msdyn_workorder.columns;

const WORK_ORDER_ADDRESS = ['msdyn_address1', 'msdyn_city', 'msdyn_stateorprovince', 'msdyn_postalcode', 'msdyn_country', 'msdyn_latitude', 'msdyn_longitude'] as const;
const ACCOUNT_ADDRESS = ['address1_line1', 'address1_city', 'address1_stateorprovince', 'address1_postalcode', 'address1_country', 'address1_latitude', 'address1_longitude'] as const;

export const BOOKING_SELECT = names(bookableresourcebooking, ['name', 'starttime', 'endtime', 'duration', 'versionnumber', 'pfb_dispatchstatus', 'pfb_mobilityref']);

export const BOOKING_EXPAND: Expand[] = [
  {
    property: navigationPropertyOf(B.resource),
    select: names(bookableresource, ['name', 'pfb_mobilityuserid']),
    expand: [
      { property: navigationPropertyOf(R.userid), select: names(systemuser, ['internalemailaddress']) },
      { property: navigationPropertyOf(R.contactid), select: names(contact, ['emailaddress1']) },
    ],
  },
  { property: navigationPropertyOf(B.bookingstatus), select: names(bookingstatus, ['name', 'status', 'msdyn_fieldservicestatus']) },
  {
    property: navigationPropertyOf(B.msdyn_workorder),
    select: names(msdyn_workorder, ['msdyn_name', 'msdyn_workordersummary', 'msdyn_instructions', 'pfb_sourcekey', 'pfb_plannedeffort', ...WORK_ORDER_ADDRESS]),
    expand: [
      { property: navigationPropertyOf(W.msdyn_serviceaccount), select: names(account, ['name', ...ACCOUNT_ADDRESS]) },
      { property: navigationPropertyOf(W.pfb_project), select: names(msdyn_project, ['msdyn_subject', 'pfb_timezone']) },
      { property: navigationPropertyOf(W.pfb_projecttask), select: names(msdyn_projecttask, ['msdyn_subject']) },
    ],
  },
];

const str = (row: Row, name: string): string | null => (typeof row[name] === 'string' && row[name] !== '' ? (row[name] as string) : null);
/** dynamics-web-api turns ISO date strings into Date objects; the ticket wants ISO 8601 UTC text as Dataverse sends it. */
const instant = (row: Row, name: string): string | null => {
  const v = row[name];
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().replace('.000Z', 'Z');
  return str(row, name);
};
const num = (row: Row, name: string): number | null => (typeof row[name] === 'number' ? (row[name] as number) : null);
const nested = (row: Row, nav: string): Row | null => (row[nav] && typeof row[nav] === 'object' ? (row[nav] as Row) : null);

function addressOf(row: Row, cols: readonly string[]): AddressSnapshot {
  const [line1, city, state, postal, country, lat, lng] = cols as [string, string, string, string, string, string, string];
  return {
    line1: str(row, line1),
    city: str(row, city),
    stateOrProvince: str(row, state),
    postalCode: str(row, postal),
    country: str(row, country),
    latitude: num(row, lat),
    longitude: num(row, lng),
  };
}

/** The retrieved row (with the expansions above) as plain data. */
export function bookingSnapshotFromRow(row: Row): BookingSnapshot {
  const resource = nested(row, navigationPropertyOf(B.resource));
  const status = nested(row, navigationPropertyOf(B.bookingstatus));
  const wo = nested(row, navigationPropertyOf(B.msdyn_workorder));
  const user = resource && nested(resource, navigationPropertyOf(R.userid));
  const person = resource && nested(resource, navigationPropertyOf(R.contactid));
  const site = wo && nested(wo, navigationPropertyOf(W.msdyn_serviceaccount));
  const project = wo && nested(wo, navigationPropertyOf(W.pfb_project));
  const task = wo && nested(wo, navigationPropertyOf(W.pfb_projecttask));
  const version = row[VERSION_NUMBER];
  return {
    id: str(row, bookableresourcebooking.primaryIdAttribute) ?? '',
    name: str(row, B.name.logicalName),
    etag: str(row, '@odata.etag'),
    versionNumber: version === undefined || version === null ? null : String(version),
    start: instant(row, B.starttime.logicalName) ?? '',
    end: instant(row, B.endtime.logicalName) ?? '',
    durationMinutes: num(row, B.duration.logicalName),
    dispatchStatus: num(row, B.pfb_dispatchstatus.logicalName),
    mobilityRef: str(row, B.pfb_mobilityref.logicalName),
    status: status && {
      id: str(status, bookingstatus.primaryIdAttribute) ?? '',
      name: str(status, bookingstatus.columns.name.logicalName),
      status: num(status, bookingstatus.columns.status.logicalName),
      fieldServiceStatus: num(status, bookingstatus.columns.msdyn_fieldservicestatus.logicalName),
    },
    resource: resource && {
      id: str(resource, bookableresource.primaryIdAttribute) ?? '',
      name: str(resource, R.name.logicalName) ?? '',
      mobilityUserId: str(resource, R.pfb_mobilityuserid.logicalName),
      email: (user && str(user, systemuser.columns.internalemailaddress.logicalName)) ?? (person && str(person, contact.columns.emailaddress1.logicalName)) ?? null,
    },
    workOrder: wo && {
      id: str(wo, msdyn_workorder.primaryIdAttribute) ?? '',
      number: str(wo, W.msdyn_name.logicalName),
      summary: str(wo, W.msdyn_workordersummary.logicalName),
      instructions: str(wo, W.msdyn_instructions.logicalName),
      sourceKey: str(wo, W.pfb_sourcekey.logicalName),
      plannedEffortHours: num(wo, W.pfb_plannedeffort.logicalName),
      address: addressOf(wo, WORK_ORDER_ADDRESS.map((k) => W[k].logicalName)),
      serviceAccount: site && {
        id: str(site, account.primaryIdAttribute) ?? '',
        name: str(site, account.columns.name.logicalName),
        address: addressOf(site, ACCOUNT_ADDRESS.map((k) => account.columns[k].logicalName)),
      },
      project: project && {
        id: str(project, msdyn_project.primaryIdAttribute) ?? '',
        name: str(project, msdyn_project.columns.msdyn_subject.logicalName),
        timeZone: str(project, msdyn_project.columns.pfb_timezone.logicalName),
      },
      task: task && { id: str(task, msdyn_projecttask.primaryIdAttribute) ?? '', name: str(task, msdyn_projecttask.columns.msdyn_subject.logicalName) },
    },
  };
}

/** The booking as a snapshot, or null when it no longer exists. One Dataverse request. */
export async function readBookingForDispatch(dataverse: DataverseClient, bookingId: string): Promise<BookingSnapshot | null> {
  const entitySet = bookableresourcebooking.entitySetName;
  const row = await dataverse.execute(`retrieve ${entitySet}(${bookingId}) for dispatch`, async (api) => {
    try {
      return (await api.retrieve({ collection: entitySet, key: bookingId, select: BOOKING_SELECT, expand: BOOKING_EXPAND })) as Row;
    } catch (e) {
      if ((e as { status?: number }).status === 404) return null;
      throw e;
    }
  });
  return row ? bookingSnapshotFromRow(row) : null;
}
