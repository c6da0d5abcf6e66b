/**
 * The package's webhook registration against the bridge it posts to: the endpoints' paths are the bridge functions'
 * routes (under Azure Functions' default `api/` prefix: host.json sets no routePrefix), the booking Update step
 * filters on exactly the columns the bridge's loop-safety rule names, the images carry what the bridge reads, and the
 * steps cover the messages each function accepts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bookableresourcebooking, pfb_tasksync } from '@pfb/domain';
import { BOOKINGS_ENDPOINT, BOOKING_FILTERING_ATTRIBUTES, STEPS, TASK_SYNC_ENDPOINT } from '@pfb/solution';
import { bookingWebhookFunction } from '../../functions-bridge/src/functions/bookingWebhook';
import { taskSyncWebhookFunction } from '../../functions-bridge/src/functions/taskSyncWebhook';
import { BOOKING_DISPATCH_FILTERING_ATTRIBUTES, BOOKING_DISPATCH_WRITTEN_COLUMNS } from '../../functions-bridge/src/services/bookingDispatch/dispatchBooking';

it('the host keeps the default api/ route prefix', () => {
  const host = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../functions-bridge/host.json'), 'utf8')) as { extensions?: { http?: { routePrefix?: string } } };
  expect(host.extensions?.http?.routePrefix ?? 'api').toBe('api');
});

it('each endpoint posts to its bridge function\'s route', () => {
  expect(TASK_SYNC_ENDPOINT.path).toBe(`/api/${taskSyncWebhookFunction.route}`);
  expect(BOOKINGS_ENDPOINT.path).toBe(`/api/${bookingWebhookFunction.route}`);
});

it('the booking Update step filters on the columns the bridge dispatches on, none of which the bridge writes', () => {
  expect([...BOOKING_FILTERING_ATTRIBUTES]).toEqual([...BOOKING_DISPATCH_FILTERING_ATTRIBUTES]);
  const update = STEPS.find((s) => s.table === bookableresourcebooking && s.message === 'Update');
  expect(update?.filteringAttributes).toEqual([...BOOKING_DISPATCH_FILTERING_ATTRIBUTES]);
  for (const c of BOOKING_DISPATCH_WRITTEN_COLUMNS) expect(update?.filteringAttributes).not.toContain(c);
});

it('task sync: Create, and Update only when the sync status changes (the bridge\'s own outcome writes post too, and are answered 200)', () => {
  const steps = STEPS.filter((s) => s.endpoint === TASK_SYNC_ENDPOINT);
  expect(steps.map((s) => [s.table.logicalName, s.message, s.filteringAttributes.join(',')])).toEqual([
    [pfb_tasksync.logicalName, 'Create', ''],
    [pfb_tasksync.logicalName, 'Update', pfb_tasksync.columns.pfb_syncstatus.logicalName],
  ]);
});

it('bookings: Create and Update carry versionnumber in a post image; Delete carries what cancelling the ticket needs in a pre-image', () => {
  const steps = STEPS.filter((s) => s.endpoint === BOOKINGS_ENDPOINT);
  expect(steps.map((s) => s.message)).toEqual(['Create', 'Update', 'Delete']);
  const image = (message: string): { type: number; attributes: readonly string[] } | undefined => steps.find((s) => s.message === message)?.images[0];
  expect(image('Create')).toMatchObject({ type: 1, attributes: ['versionnumber'] });
  expect(image('Update')).toMatchObject({ type: 1, attributes: ['versionnumber'] });
  expect(image('Delete')?.type).toBe(0);
  expect(image('Delete')?.attributes).toEqual(expect.arrayContaining([bookableresourcebooking.columns.pfb_mobilityref.logicalName, bookableresourcebooking.columns.msdyn_workorder.logicalName]));
  for (const s of STEPS) expect([s.name, s.mode, s.stage]).toEqual([s.name, 1, 40]);
});
