/** A valid ticket for tests and the contract's example; override any member. */
import type { Ticket } from './ticketContract';

export const EXAMPLE_TICKET_ID = '0b1d2c3e-0000-4000-8000-000000000001';

export function exampleTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    ticketId: EXAMPLE_TICKET_ID,
    sourceKey: '0b1d2c3e-0000-4000-8000-000000000006:0',
    workOrder: { id: '0b1d2c3e-0000-4000-8000-000000000003', number: '00042', summary: 'Swap the RRU on sector 2', instructions: 'Key at the gate box' },
    project: { id: '0b1d2c3e-0000-4000-8000-000000000005', name: '5G upgrade — Central Coast' },
    task: { id: '0b1d2c3e-0000-4000-8000-000000000006', name: 'Install antenna' },
    technician: { resourceId: '0b1d2c3e-0000-4000-8000-000000000002', name: 'Alex Nguyen', email: 'alex@contoso.example', mobilityUserId: 'tech-17' },
    site: {
      accountId: '0b1d2c3e-0000-4000-8000-000000000004',
      name: 'Gosford cell site',
      address: { line1: '1 Mann St', city: 'Gosford', stateOrProvince: 'NSW', postalCode: '2250', country: 'Australia' },
      latitude: -33.4245,
      longitude: 151.3418,
      timeZone: 'Australia/Sydney',
    },
    window: { start: '2027-03-01T22:00:00Z', end: '2027-03-02T05:00:00Z' },
    plannedEffortHours: 7,
    status: 'Scheduled',
    ...overrides,
  };
}
