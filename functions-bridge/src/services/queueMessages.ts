/**
 * The queues between the webhook receivers and the workers, and the messages on them. Messages carry ids and the
 * triggering context only — workers re-read current state from Dataverse, so a retried or late message never
 * writes stale data. Storage queue messages are limited to 64 KiB.
 */
import { isFieldStageName, validateFieldEvent, type FieldStageName } from '@pfb/domain';
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

/**
 * One mobility event as the edge accepted it (domain/src/lifecycle/fieldEvent.ts), checked again by the domain's own
 * validation when the worker reads it, so a hand-edited or re-driven message cannot carry an invalid event.
 */
export const fieldEventSchema = z
  .object({
    eventId: z.string().min(1).max(100),
    bookingId: guid,
    stage: z.custom<FieldStageName>(isFieldStageName, 'not a field stage'),
    occurredAt: z.string(),
    sequence: z.number().int().min(0),
    reason: z.string().optional(),
    remainingEffortHours: z.number().optional(),
  })
  .superRefine((event, ctx) => {
    for (const problem of validateFieldEvent(event)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

/** A delivery from the mobility app (one signed POST, up to 100 events), accepted at the edge. */
export const fieldEventMessageSchema = z.object({
  kind: z.literal('fieldEvents'),
  /** The delivery's webhook-id. */
  deliveryId: z.string().min(1).max(100),
  events: z.array(fieldEventSchema).min(1).max(100),
  receivedOn: z.string(),
});
export type FieldEventMessage = z.infer<typeof fieldEventMessageSchema>;

export type BridgeMessage = TaskSyncMessage | BookingDispatchMessage | FieldEventMessage;
