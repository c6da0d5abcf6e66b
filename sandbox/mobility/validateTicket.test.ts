import { EXAMPLE_TICKET_ID, exampleTicket, validateCancel, validateTicket } from './index';

const pointers = (body: unknown, id = EXAMPLE_TICKET_ID): string[] => {
  const v = validateTicket(body, id);
  return v.ok ? [] : v.errors.map((e) => e.pointer);
};

describe('validateTicket', () => {
  it('accepts the bridge’s ticket shape, nulls and empty names included, and keeps only the contract’s members', () => {
    const ticket = {
      ...exampleTicket(),
      workOrder: { id: '0b1d2c3e-0000-4000-8000-000000000003', number: '00042' },
      project: { id: '0b1d2c3e-0000-4000-8000-000000000005', name: '' },
      technician: { resourceId: '0b1d2c3e-0000-4000-8000-000000000002', name: 'Alex Nguyen', email: null, mobilityUserId: null },
      site: { accountId: '0b1d2c3e-0000-4000-8000-000000000004', name: '', address: {}, latitude: null, longitude: null, timeZone: null },
      window: { start: '2027-03-01T22:00:00Z', end: '2027-03-02T05:30:15.250Z' },
      plannedEffortHours: 0,
      futureField: 'ignored',
    };
    const v = validateTicket(ticket, EXAMPLE_TICKET_ID.toUpperCase());
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const { futureField: _ignored, ...known } = ticket;
    expect(v.value).toEqual(known);
  });

  it('names every missing required member', () => {
    expect(pointers({})).toEqual([
      '/ticketId',
      '/sourceKey',
      '/workOrder',
      '/project',
      '/task',
      '/technician',
      '/site',
      '/window',
      '/plannedEffortHours',
      '/status',
    ]);
    expect(pointers({ ...exampleTicket(), site: { ...exampleTicket().site, address: undefined, accountId: '' } })).toEqual(['/site/address', '/site/accountId']);
  });

  it('refuses a body that is not an object', () => {
    const v = validateTicket([exampleTicket()], EXAMPLE_TICKET_ID);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.errors[0]?.detail).toMatch(/must be a JSON object/);
  });

  it.each([
    ['a non-UTC window', { window: { start: '2027-03-01T22:00:00+11:00', end: '2027-03-02T05:00:00Z' } }, '/window/start'],
    ['an impossible date', { window: { start: '2027-02-28T22:00:00Z', end: '2027-02-30T05:00:00Z' } }, '/window/end'],
    ['an end before the start', { window: { start: '2027-03-02T05:00:00Z', end: '2027-03-02T04:59:59Z' } }, '/window/end'],
    ['a negative effort', { plannedEffortHours: -1 }, '/plannedEffortHours'],
    ['an effort as text', { plannedEffortHours: '7' }, '/plannedEffortHours'],
    ['an unknown status', { status: 'Completed' }, '/status'],
    ['a ticket id that is not a GUID', { ticketId: 'booking-1' }, '/ticketId'],
    ['a work order id that is not a GUID', { workOrder: { id: '42', number: '00042' } }, '/workOrder/id'],
    ['a null summary (omit it instead)', { workOrder: { id: '0b1d2c3e-0000-4000-8000-000000000003', number: '00042', summary: null } }, '/workOrder/summary'],
  ] as const)('refuses %s', (_name, change, pointer) => {
    expect(pointers({ ...exampleTicket(), ...change })).toContain(pointer);
  });

  it('refuses an unknown time zone and out-of-range coordinates', () => {
    const site = { ...exampleTicket().site, timeZone: 'Australia/Gosford', latitude: 91, longitude: -181 };
    const v = validateTicket({ ...exampleTicket(), site }, EXAMPLE_TICKET_ID);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.map((e) => e.detail)).toEqual([
      "site.timeZone 'Australia/Gosford' is not an IANA time zone, e.g. Australia/Sydney.",
      'site.latitude 91 is out of range (-90 to 90 degrees).',
      'site.longitude -181 is out of range (-180 to 180 degrees).',
    ]);
  });
});

describe('validateCancel', () => {
  it('needs a non-empty reason of at most 2000 characters', () => {
    expect(validateCancel({ reason: 'Booking deleted in Dynamics 365' })).toEqual({ ok: true, value: { reason: 'Booking deleted in Dynamics 365' } });
    expect(validateCancel({ reason: ' ' }).ok).toBe(false);
    expect(validateCancel({ reason: 'x'.repeat(2001) }).ok).toBe(false);
    expect(validateCancel(null).ok).toBe(false);
  });
});
