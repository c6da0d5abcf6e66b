/**
 * Field Service behaviour the bridge depends on (scheduling-requirement-types, work-order-status-booking-status):
 * a resource requirement per work order, and the booking status driving the work order's system status.
 */
import { WorkOrderSystemStatus } from '@pfb/domain';
import { BOOKING_STATUS_IDS, type RunningDataverse } from '@pfb/sandbox';
import { client, startTestDataverse, type Client } from '../support/sandbox';

let dv: RunningDataverse;
let api: Client;
const ACCOUNT = '5b7c2f10-0000-4000-8000-000000000001';
const RESOURCE = '5b7c2f10-0000-4000-8000-000000000002';
const RESOURCE_2 = '5b7c2f10-0000-4000-8000-000000000003';

beforeAll(async () => {
  dv = await startTestDataverse();
  api = client(dv.url);
  expect((await api.post('accounts', { accountid: ACCOUNT, name: 'Cell site NSW-0042' })).status).toBe(204);
  expect((await api.post('bookableresources', { bookableresourceid: RESOURCE, name: 'Alex Nguyen', resourcetype: 3 })).status).toBe(204);
  expect((await api.post('bookableresources', { bookableresourceid: RESOURCE_2, name: 'Sam Patel', resourcetype: 3 })).status).toBe(204);
});
afterAll(() => dv.close());

async function createWorkOrder(sourceKey: string): Promise<string> {
  const res = await api.post(
    'msdyn_workorders',
    {
      pfb_sourcekey: sourceKey,
      'msdyn_serviceaccount@odata.bind': `/accounts(${ACCOUNT})`,
      msdyn_timefrompromised: '2027-03-01T22:00:00Z',
      msdyn_timetopromised: '2027-03-02T07:00:00Z',
      pfb_plannedeffort: 8,
    },
    { Prefer: 'return=representation' },
  );
  expect(res.status).toBe(201);
  return res.json()['msdyn_workorderid'] as string;
}

async function book(workOrderId: string, resource: string, status: keyof typeof BOOKING_STATUS_IDS): Promise<string> {
  const req = (await api.get(`msdyn_resourcerequirements?$filter=_msdyn_workorder_value eq ${workOrderId}&$select=msdyn_name`)).json()['value'] as Record<string, string>[];
  const res = await api.post(
    'bookableresourcebookings',
    {
      starttime: '2027-03-01T22:00:00Z',
      endtime: '2027-03-02T07:00:00Z',
      'Resource@odata.bind': `/bookableresources(${resource})`,
      'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS[status]})`,
      'msdyn_resourcerequirement@odata.bind': `/msdyn_resourcerequirements(${req[0]?.['msdyn_resourcerequirementid']})`,
    },
    { Prefer: 'return=representation' },
  );
  expect(res.status).toBe(201);
  return res.json()['bookableresourcebookingid'] as string;
}

async function setStatus(bookingId: string, status: keyof typeof BOOKING_STATUS_IDS): Promise<void> {
  const res = await api.patch(`bookableresourcebookings(${bookingId})`, { 'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS[status]})` }, { 'If-Match': '*' });
  expect(res.status).toBe(204);
}

async function workOrderStatus(id: string): Promise<number> {
  return (await api.get(`msdyn_workorders(${id})?$select=msdyn_systemstatus`)).json()['msdyn_systemstatus'] as number;
}

describe('work orders', () => {
  it('get a number, Unscheduled, the service account as billing account, and exactly one resource requirement with the promised window', async () => {
    const id = await createWorkOrder('fs-1');
    const wo = (await api.get(`msdyn_workorders(${id})?$select=msdyn_name,msdyn_systemstatus,_msdyn_billingaccount_value`)).json();
    expect(wo['msdyn_name']).toMatch(/^\d{5}$/);
    expect(wo['msdyn_systemstatus']).toBe(WorkOrderSystemStatus.Unscheduled);
    expect(wo['_msdyn_billingaccount_value']).toBe(ACCOUNT);
    const reqs = (await api.get(`msdyn_resourcerequirements?$filter=_msdyn_workorder_value eq ${id}`)).json()['value'] as Record<string, unknown>[];
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatchObject({ msdyn_name: wo['msdyn_name'], msdyn_fromdate: '2027-03-01T22:00:00Z', msdyn_todate: '2027-03-02T07:00:00Z', msdyn_duration: 480 });
  });

  it('moving the promised window moves the requirement', async () => {
    const id = await createWorkOrder('fs-2');
    await api.patch(`msdyn_workorders(${id})`, { msdyn_timefrompromised: '2027-03-03T22:00:00Z' }, { 'If-Match': '*' });
    const reqs = (await api.get(`msdyn_resourcerequirements?$filter=_msdyn_workorder_value eq ${id}`)).json()['value'] as Record<string, unknown>[];
    expect(reqs[0]?.['msdyn_fromdate']).toBe('2027-03-03T22:00:00Z');
  });
});

describe('booking status drives the work order system status', () => {
  it('Scheduled → Scheduled, Traveling/In Progress/On Break → In Progress, Completed → Completed', async () => {
    const wo = await createWorkOrder('fs-3');
    const b = await book(wo, RESOURCE, 'Scheduled');
    expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.Scheduled);
    for (const s of ['Traveling', 'In Progress', 'On Break'] as const) {
      await setStatus(b, s);
      expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.InProgress);
    }
    await setStatus(b, 'Completed');
    expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.Completed);
    const booking = (await api.get(`bookableresourcebookings(${b})?$select=msdyn_actualarrivaltime,_msdyn_workorder_value`)).json();
    expect(booking['_msdyn_workorder_value']).toBe(wo);
    expect(booking['msdyn_actualarrivaltime']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('with two bookings the work order completes only when both are Completed', async () => {
    const wo = await createWorkOrder('fs-4');
    const a = await book(wo, RESOURCE, 'Scheduled');
    const b = await book(wo, RESOURCE_2, 'Scheduled');
    await setStatus(a, 'Completed');
    expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.InProgress);
    await setStatus(b, 'Completed');
    expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.Completed);
  });

  it('cancelling the only booking reverts the work order to Unscheduled', async () => {
    const wo = await createWorkOrder('fs-5');
    const b = await book(wo, RESOURCE, 'Scheduled');
    await setStatus(b, 'Canceled');
    expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.Unscheduled);
  });

  it('a work order with a booking in progress cannot be cancelled (invalid status transition), and nothing changes', async () => {
    const wo = await createWorkOrder('fs-6');
    const b = await book(wo, RESOURCE, 'In Progress');
    const res = await api.patch(`msdyn_workorders(${wo})`, { msdyn_systemstatus: WorkOrderSystemStatus.Canceled }, { 'If-Match': '*' });
    expect(res.status).toBe(400);
    expect((res.json()['error'] as { message: string }).message).toMatch(/Invalid status transition.*in progress/i);
    expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.InProgress);
    await setStatus(b, 'Completed');
  });

  it('cancelling a scheduled work order cancels its scheduled bookings', async () => {
    const wo = await createWorkOrder('fs-7');
    const b = await book(wo, RESOURCE, 'Scheduled');
    expect((await api.patch(`msdyn_workorders(${wo})`, { msdyn_systemstatus: WorkOrderSystemStatus.Canceled }, { 'If-Match': '*' })).status).toBe(204);
    const booking = (await api.get(`bookableresourcebookings(${b})?$select=_bookingstatus_value`)).json();
    expect(booking['_bookingstatus_value']).toBe(BOOKING_STATUS_IDS.Canceled);
    expect(await workOrderStatus(wo)).toBe(WorkOrderSystemStatus.Canceled);
  });
});
