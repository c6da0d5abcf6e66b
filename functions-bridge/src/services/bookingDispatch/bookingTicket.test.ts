/**
 * Booking → ticket mapping, from a row shaped as the Web API returns the dispatch read (the fixture spells out the
 * wire format: navigation properties Resource, BookingStatus, msdyn_workorder… with their $select'ed columns).
 */
import { BookingStatusStatus, BookingSystemStatus, DispatchStatus } from '@pfb/domain';
import { validateTicket } from '@pfb/sandbox/mobility';
import { isBookingCancelled, ticketFromBooking } from './bookingTicket';
import { bookingSnapshotFromRow, type BookingSnapshot } from './readBooking';

const BOOKING = '0b1d2c3e-0000-4000-8000-000000000001';
const RESOURCE = '0b1d2c3e-0000-4000-8000-000000000002';
const WORK_ORDER = '0b1d2c3e-0000-4000-8000-000000000003';
const ACCOUNT = '0b1d2c3e-0000-4000-8000-000000000004';
const PROJECT = '0b1d2c3e-0000-4000-8000-000000000005';
const TASK = '0b1d2c3e-0000-4000-8000-000000000006';

type Row = Record<string, unknown>;

function row(overrides: { booking?: Row; resource?: Row | null; status?: Row; workOrder?: Row | null; account?: Row | null; project?: Row | null; task?: Row | null } = {}): Row {
  const workOrder =
    overrides.workOrder === null
      ? null
      : {
          msdyn_workorderid: WORK_ORDER,
          msdyn_name: '00042',
          msdyn_workordersummary: 'Swap the RRU on sector 2',
          msdyn_instructions: 'Key at the gate box',
          pfb_sourcekey: `${TASK}:0`,
          pfb_plannedeffort: 6.5,
          msdyn_address1: null,
          msdyn_city: null,
          msdyn_stateorprovince: null,
          msdyn_postalcode: null,
          msdyn_country: null,
          msdyn_latitude: null,
          msdyn_longitude: null,
          msdyn_serviceaccount:
            overrides.account === null
              ? null
              : {
                  accountid: ACCOUNT,
                  name: 'Cell site NSW-0042',
                  address1_line1: '1 Tower Rd',
                  address1_city: 'Gosford',
                  address1_stateorprovince: 'NSW',
                  address1_postalcode: '2250',
                  address1_country: 'Australia',
                  address1_latitude: -33.42,
                  address1_longitude: 151.34,
                  ...overrides.account,
                },
          pfb_project: overrides.project === null ? null : { msdyn_projectid: PROJECT, msdyn_subject: '5G upgrade — Central Coast', pfb_timezone: 'Australia/Sydney', ...overrides.project },
          pfb_projecttask: overrides.task === null ? null : { msdyn_projecttaskid: TASK, msdyn_subject: 'Install antenna', ...overrides.task },
          ...overrides.workOrder,
        };
  return {
    '@odata.etag': 'W/"1042"',
    bookableresourcebookingid: BOOKING,
    name: 'Install antenna — day 1',
    starttime: '2027-03-01T22:00:00Z',
    endtime: '2027-03-02T05:00:00Z',
    duration: 420,
    versionnumber: 1042,
    pfb_dispatchstatus: DispatchStatus.Pending,
    pfb_mobilityref: null,
    Resource:
      overrides.resource === null
        ? null
        : { bookableresourceid: RESOURCE, name: 'Alex Nguyen', pfb_mobilityuserid: 'tech-17', UserId: { systemuserid: 'u1', internalemailaddress: 'alex@contoso.example' }, ContactId: null, ...overrides.resource },
    BookingStatus: { bookingstatusid: 's1', name: 'Scheduled', status: BookingStatusStatus.Committed, msdyn_fieldservicestatus: BookingSystemStatus.Scheduled, ...overrides.status },
    msdyn_workorder: workOrder,
    ...overrides.booking,
  };
}

const snapshot = (overrides?: Parameters<typeof row>[0]): BookingSnapshot => bookingSnapshotFromRow(row(overrides));

it('maps a booking of a bridge work order to a scheduled ticket', () => {
  const mapped = ticketFromBooking(snapshot());
  expect(mapped).toEqual({
    ok: true,
    ticket: {
      ticketId: BOOKING,
      sourceKey: `${TASK}:0`,
      workOrder: { id: WORK_ORDER, number: '00042', summary: 'Swap the RRU on sector 2', instructions: 'Key at the gate box' },
      project: { id: PROJECT, name: '5G upgrade — Central Coast' },
      task: { id: TASK, name: 'Install antenna' },
      technician: { resourceId: RESOURCE, name: 'Alex Nguyen', email: 'alex@contoso.example', mobilityUserId: 'tech-17' },
      site: {
        accountId: ACCOUNT,
        name: 'Cell site NSW-0042',
        address: { line1: '1 Tower Rd', city: 'Gosford', stateOrProvince: 'NSW', postalCode: '2250', country: 'Australia' },
        latitude: -33.42,
        longitude: 151.34,
        timeZone: 'Australia/Sydney',
      },
      window: { start: '2027-03-01T22:00:00Z', end: '2027-03-02T05:00:00Z' },
      plannedEffortHours: 6.5,
      status: 'Scheduled',
    },
  });
});

it('reads the row version and etag for the idempotency key and the record', () => {
  const s = snapshot();
  expect(s.versionNumber).toBe('1042');
  expect(s.etag).toBe('W/"1042"');
  expect(s.dispatchStatus).toBe(DispatchStatus.Pending);
});

it.each([
  ['status Canceled', { status: BookingStatusStatus.Canceled, msdyn_fieldservicestatus: BookingSystemStatus.Canceled }],
  ['a custom status whose Field Service status is Canceled', { name: 'No access', status: BookingStatusStatus.Committed, msdyn_fieldservicestatus: BookingSystemStatus.Canceled }],
  ['a Canceled status without a Field Service status', { status: BookingStatusStatus.Canceled, msdyn_fieldservicestatus: null }],
])('a booking with %s gives a cancelled ticket', (_, status) => {
  const s = snapshot({ status });
  expect(isBookingCancelled(s)).toBe(true);
  const mapped = ticketFromBooking(s);
  expect(mapped.ok && mapped.ticket.status).toBe('Cancelled');
});

it.each([
  ['Traveling', BookingSystemStatus.Traveling],
  ['Completed', BookingSystemStatus.Completed],
])('a booking %s is not cancelled', (_, fs) => {
  expect(isBookingCancelled(snapshot({ status: { msdyn_fieldservicestatus: fs } }))).toBe(false);
});

it("uses the work order's own address and coordinates when it has them", () => {
  const mapped = ticketFromBooking(
    snapshot({ workOrder: { msdyn_address1: '7 Ridge Lane', msdyn_city: 'Kariong', msdyn_postalcode: '2250', msdyn_latitude: -33.44, msdyn_longitude: 151.29 } }),
  );
  expect(mapped.ok && mapped.ticket.site).toMatchObject({ address: { line1: '7 Ridge Lane', city: 'Kariong', postalCode: '2250' }, latitude: -33.44, longitude: 151.29 });
  expect(mapped.ok && mapped.ticket.site.address).not.toHaveProperty('country');
});

it('sends null coordinates, time zone, e-mail and mobility user when unknown, and omits empty text', () => {
  const mapped = ticketFromBooking(
    snapshot({
      account: { address1_latitude: null, address1_longitude: null, address1_line1: null },
      project: { pfb_timezone: null },
      resource: { pfb_mobilityuserid: null, UserId: null, ContactId: null },
      workOrder: { msdyn_workordersummary: null, msdyn_instructions: '' },
    }),
  );
  expect(mapped.ok).toBe(true);
  if (!mapped.ok) return;
  expect(mapped.ticket.site).toMatchObject({ latitude: null, longitude: null, timeZone: null });
  expect(mapped.ticket.site.address).not.toHaveProperty('line1');
  expect(mapped.ticket.technician).toEqual({ resourceId: RESOURCE, name: 'Alex Nguyen', email: null, mobilityUserId: null });
  expect(mapped.ticket.workOrder).toEqual({ id: WORK_ORDER, number: '00042' });
});

it("takes a contact technician's e-mail from the contact", () => {
  const mapped = ticketFromBooking(snapshot({ resource: { UserId: null, ContactId: { contactid: 'c1', emailaddress1: 'sub@partner.example' } } }));
  expect(mapped.ok && mapped.ticket.technician.email).toBe('sub@partner.example');
});

it("falls back to the booking's duration when the work order has no planned effort", () => {
  expect(ticketFromBooking(snapshot({ workOrder: { pfb_plannedeffort: null } }))).toMatchObject({ ok: true, ticket: { plannedEffortHours: 7 } });
  expect(ticketFromBooking(snapshot({ workOrder: { pfb_plannedeffort: null }, booking: { duration: 100 } }))).toMatchObject({ ok: true, ticket: { plannedEffortHours: 1.67 } });
});

it('skips bookings that are not of a bridge work order', () => {
  expect(ticketFromBooking(snapshot({ workOrder: null }))).toMatchObject({ ok: false, kind: 'skip', reason: expect.stringMatching(/has no work order/) });
  expect(ticketFromBooking(snapshot({ workOrder: { pfb_sourcekey: null } }))).toMatchObject({ ok: false, kind: 'skip', reason: expect.stringMatching(/work order 00042, which the bridge did not create/) });
  expect(ticketFromBooking(snapshot({ task: null }))).toMatchObject({ ok: false, kind: 'skip' });
});

it('refuses, naming the fix, a bridge booking whose work order has no service account', () => {
  expect(ticketFromBooking(snapshot({ account: null }))).toEqual({
    ok: false,
    kind: 'invalid',
    reason: `Work order 00042 of Booking “Install antenna — day 1” (${BOOKING}) has no service account — set Service Account on the work order`,
  });
});

it('writes the window as ISO 8601 UTC also when the client library hands back Date objects', () => {
  const mapped = ticketFromBooking(snapshot({ booking: { starttime: new Date('2027-03-01T22:00:00Z'), endtime: new Date('2027-03-02T05:30:15.250Z') } }));
  expect(mapped.ok && mapped.ticket.window).toEqual({ start: '2027-03-01T22:00:00Z', end: '2027-03-02T05:30:15.250Z' });
});

it('produces tickets the mobility contract accepts (checked by the simulator\'s independent validator)', () => {
  // The bridge and the simulator implement functions-bridge/contracts/mobility-api.yaml separately on purpose; this
  // pins the two readings of the contract to each other without sharing code.
  const cases = [
    snapshot(),
    snapshot({
      account: { address1_latitude: null, address1_longitude: null, address1_line1: null },
      project: { pfb_timezone: null },
      resource: { pfb_mobilityuserid: null, UserId: null, ContactId: null },
      workOrder: { msdyn_workordersummary: null, msdyn_instructions: '', pfb_plannedeffort: null },
    }),
  ];
  for (const c of cases) {
    const mapped = ticketFromBooking(c);
    if (!mapped.ok) throw new Error(mapped.reason);
    const checked = validateTicket(JSON.parse(JSON.stringify(mapped.ticket)), mapped.ticket.ticketId);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
  }
});
