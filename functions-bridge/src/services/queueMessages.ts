/**
 * The queues between the webhook receivers and the workers, and the messages on them. Messages carry ids and the
 * triggering context only — workers re-read current state from Dataverse, so a retried or late message never
 * writes stale data. Storage queue messages are limited to 64 KiB.
 */
import { z } from 'zod';

export const QUEUES = {
  taskSync: 'task-sync',
  bookingDispatch: 'booking-dispatch',
  fieldEvent: 'field-event',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** The poison queue the Functions host moves a message to after maxDequeueCount attempts. */
export const poisonQueueOf = (queue: QueueName): string => `${queue}-poison`;

const guid = z.string().uuid();

/** A pfb_tasksync row changed (status Ready to Sync, or Cancelled): sync or cancel its task's work orders. */
export const taskSyncMessageSchema = z.object({
  kind: z.literal('taskSync'),
  taskSyncId: guid,
  /** The Dataverse message that triggered it (Create, Update). */
  trigger: z.string(),
  correlationId: z.string(),
  receivedOn: z.string(),
});
export type TaskSyncMessage = z.infer<typeof taskSyncMessageSchema>;

/** A booking was created, changed (start, end, resource, status) or deleted: send it to the mobility app. */
export const bookingDispatchMessageSchema = z.object({
  kind: z.literal('bookingDispatch'),
  bookingId: guid,
  trigger: z.enum(['Create', 'Update', 'Delete']),
  /** The booking's row version when the webhook fired (idempotency key per booking version). */
  versionNumber: z.string().nullable(),
  /** For Delete: what the app needs to cancel the ticket, from the pre-image (the row is gone). */
  deleted: z
    .object({ mobilityRef: z.string().nullable(), workOrderId: z.string().nullable() })
    .nullable()
    .default(null),
  correlationId: z.string(),
  receivedOn: z.string(),
});
export type BookingDispatchMessage = z.infer<typeof bookingDispatchMessageSchema>;

export type BridgeMessage = TaskSyncMessage | BookingDispatchMessage;
