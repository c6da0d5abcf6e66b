/**
 * A field scenario on the bridge stack: tasks synced by the real task-sync worker (so work orders, requirements and
 * task sync rows have their real shape), one booking per work order as a dispatcher books them, and signed deliveries
 * of stage events to the bridge's inbound endpoint, as the mobility app sends them.
 */
import { bookableresource, bookableresourcebooking, msdyn_projecttask, msdyn_resourcerequirement, msdyn_workorder, pfb_tasksync, SyncStatus, type FieldStageName } from '@pfb/domain';
import { BOOKING_STATUS_IDS } from '@pfb/sandbox';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { TELECOM_INVALID_TASKS } from '../../sandbox/dataverse/src/seed/telecom';
import { eventually, SIGNING_SECRET, type BridgeStack } from './support';

type Row = Record<string, unknown>;
const S = pfb_tasksync.columns;

export interface SyncedTask {
  readonly taskSyncId: string;
  readonly taskId: string;
  readonly projectId: string;
  readonly estimateHours: number;
  readonly workOrders: Array<{ id: string; plannedEffortHours: number; bookingId: string }>;
}

async function rows(stack: BridgeStack, path: string): Promise<Row[]> {
  const res = await stack.api.get(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.json<{ value: Row[] }>().value;
}

/** Syncs `count` valid leaf tasks of one project and books every work order to one technician. */
export async function syncAndBook(stack: BridgeStack, count: number, projectIndex = 0): Promise<SyncedTask[]> {
  const invalid = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
  const projects = await rows(stack, 'msdyn_projects?$select=msdyn_subject&$orderby=msdyn_subject');
  const projectId = projects[projectIndex]?.['msdyn_projectid'] as string;
  const leaves = (await rows(stack, `${msdyn_projecttask.entitySetName}?$select=msdyn_subject&$filter=msdyn_summary eq false and _msdyn_project_value eq ${projectId}&$orderby=msdyn_displaysequence`))
    .filter((t) => !invalid.has(t['msdyn_projecttaskid'] as string))
    .slice(0, count);
  const technician = (await rows(stack, `${bookableresource.entitySetName}?$select=name&$filter=pfb_mobilityuserid ne null&$top=1`))[0] as Row;
  const out: SyncedTask[] = [];
  for (const task of leaves) {
    const res = await stack.api.post(pfb_tasksync.entitySetName, {
      [S.pfb_name.logicalName]: task['msdyn_subject'],
      [`${S.pfb_projecttask.logicalName}@odata.bind`]: `/${msdyn_projecttask.entitySetName}(${task['msdyn_projecttaskid'] as string})`,
      [`${S.pfb_project.logicalName}@odata.bind`]: `/msdyn_projects(${projectId})`,
      [S.pfb_syncstatus.logicalName]: SyncStatus.ReadyToSync,
    });
    if (res.status !== 204) throw new Error(`POST pfb_tasksyncs: ${res.status} ${res.text}`);
    const taskSyncId = /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1] as string;
    const synced = await eventually(`task sync ${taskSyncId} Synced`, async () => {
      const r = (await stack.api.get(`${pfb_tasksync.entitySetName}(${taskSyncId})?$select=pfb_syncstatus,pfb_plannedeffort`)).json<Row>();
      return r['pfb_syncstatus'] === SyncStatus.Synced ? r : undefined;
    });
    const workOrders = await rows(stack, `${msdyn_workorder.entitySetName}?$select=pfb_plannedeffort,pfb_sourcekey&$filter=_pfb_tasksync_value eq ${taskSyncId}&$orderby=pfb_sourcekey`);
    const booked: SyncedTask['workOrders'] = [];
    for (const wo of workOrders) {
      const workOrderId = wo['msdyn_workorderid'] as string;
      const requirement = (await rows(stack, `${msdyn_resourcerequirement.entitySetName}?$select=msdyn_name&$filter=_msdyn_workorder_value eq ${workOrderId}`))[0] as Row;
      const created = await stack.api.post(
        bookableresourcebooking.entitySetName,
        {
          name: `Visit ${wo['pfb_sourcekey'] as string}`,
          starttime: '2027-04-05T22:00:00Z',
          endtime: '2027-04-06T06:00:00Z',
          'Resource@odata.bind': `/${bookableresource.entitySetName}(${technician['bookableresourceid'] as string})`,
          'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Scheduled})`,
          'msdyn_workorder@odata.bind': `/${msdyn_workorder.entitySetName}(${workOrderId})`,
          'msdyn_resourcerequirement@odata.bind': `/${msdyn_resourcerequirement.entitySetName}(${requirement['msdyn_resourcerequirementid'] as string})`,
        },
        { Prefer: 'return=representation' },
      );
      if (created.status !== 201) throw new Error(`POST bookings: ${created.status} ${created.text}`);
      booked.push({ id: workOrderId, plannedEffortHours: wo['pfb_plannedeffort'] as number, bookingId: created.json<Row>()['bookableresourcebookingid'] as string });
    }
    out.push({ taskSyncId, taskId: task['msdyn_projecttaskid'] as string, projectId, estimateHours: synced['pfb_plannedeffort'] as number, workOrders: booked });
  }
  return out;
}

export interface StageEvent {
  eventId: string;
  bookingId: string;
  stage: FieldStageName;
  occurredAt: string;
  sequence: number;
  reason?: string;
  remainingEffortHours?: number;
}

/**
 * A technician's day on one booking: Acknowledged, Travel, Onsite, InProgress, then Complete (or Incomplete), at
 * `start` + the offsets in minutes; effort = end − in-progress.
 */
export function dayOf(bookingId: string, start: string, minutes: { travel: number; onsite: number; inProgress: number; end: number }, ending: 'Complete' | 'Incomplete' = 'Complete'): StageEvent[] {
  const at = (m: number): string => new Date(Date.parse(start) + m * 60_000).toISOString().replace(/\.000Z$/, 'Z');
  const stages: Array<[FieldStageName, number]> = [
    ['Acknowledged', 0],
    ['Travel', minutes.travel],
    ['Onsite', minutes.onsite],
    ['InProgress', minutes.inProgress],
    [ending, minutes.end],
  ];
  return stages.map(([stage, m], sequence) => ({
    eventId: randomUUID(),
    bookingId,
    stage,
    occurredAt: at(m),
    sequence,
    ...(stage === 'Incomplete' ? { reason: 'Tower access road flooded', remainingEffortHours: 2 } : {}),
  }));
}

export interface Delivery {
  readonly id?: string;
  readonly timestamp?: Date;
  readonly secret?: string;
  /** Replace the body after signing (a tampered delivery). */
  readonly tamper?: (body: string) => string;
  readonly headers?: Record<string, string>;
}

/** POSTs events to the bridge as the mobility app does: Standard Webhooks signed. */
export async function deliver(stack: BridgeStack, events: unknown, options: Delivery = {}): Promise<{ status: number; body: Row; id: string }> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const body = typeof events === 'string' ? events : JSON.stringify(events);
  const signature = new Webhook(options.secret ?? SIGNING_SECRET).sign(id, options.timestamp ?? new Date(), body);
  const res = await fetch(`${stack.host.url}/api/mobility/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor((options.timestamp ?? new Date()).getTime() / 1000)),
      'webhook-signature': signature,
      ...options.headers,
    },
    body: options.tamper ? options.tamper(body) : body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Row) : {}, id };
}
