/**
 * The Project schedule APIs (schedule-api-preview): scheduling tables (tasks, assignments, buckets, team members,
 * dependencies) change only through operation sets. msdyn_CreateOperationSetV1 opens a set (10 open per user);
 * msdyn_PssCreateV1 / UpdateV1 / DeleteV1 stage operations (200 per set) and return `OperationSetResponse` as a JSON
 * *string*; msdyn_ExecuteOperationSetV1 hands the set to the scheduling service, which applies it later in one
 * transaction and marks the set Completed, or rolls back and marks it Failed with a PSS error log. Application
 * users cannot call these APIs ("Only Users with Microsoft Project License can use the Project Schedule APIs").
 */
import { randomUUID } from 'node:crypto';
import { OperationSetStatus, OperationType, type TableDef } from '@pfb/domain';
import type { LocalDataverse } from '../dataverse';
import type { Caller, OperationContext } from '../pipeline/context';
import { DataverseError, errors } from '../protocol/errors';
import type { Attributes } from '../store/types';
import { parseEntityBody } from '../web/entityJson';
import { parseJsonBody, type HandlerContext } from '../web/handlers/handlerContext';
import { json } from '../web/response';
import type { ApiResponse } from '../web/types';
import { rollUpProject } from './summaryRollup';

export const MAX_OPERATIONS_PER_SET = 200;
export const MAX_OPEN_SETS_PER_USER = 10;

const SET = 'msdyn_operationset';
const DETAIL = 'msdyn_operationsetdetail';

interface StagedOperation {
  operationType: 'Create' | 'Update' | 'Delete';
  entity: string;
  recordId: string;
  payload?: Record<string, unknown>;
}

export interface ScheduleApiOptions {
  /** How long the scheduling service takes to pick up an executed set (real: seconds to minutes). */
  readonly applyDelayMs?: number;
}

export class ScheduleApi {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly dataverse: LocalDataverse,
    private readonly options: ScheduleApiOptions = {},
  ) {}

  register(): void {
    const ops: Record<string, (h: HandlerContext) => ApiResponse> = {
      msdyn_CreateProjectV1: (h) => this.createProject(h),
      msdyn_CreateTeamMemberV1: (h) => this.createTeamMember(h),
      msdyn_CreateOperationSetV1: (h) => this.createOperationSet(h),
      msdyn_PssCreateV1: (h) => this.stage(h, 'Create'),
      msdyn_PssUpdateV1: (h) => this.stage(h, 'Update'),
      msdyn_PssDeleteV1: (h) => this.stage(h, 'Delete'),
      msdyn_ExecuteOperationSetV1: (h) => this.execute(h),
      msdyn_AbandonOperationSetV1: (h) => this.abandon(h),
    };
    for (const [name, fn] of Object.entries(ops)) {
      this.dataverse.unbound.set(name, (h) => {
        if (h.request.method !== 'POST') throw errors.methodNotAllowed(h.request.method, name);
        if (h.op.caller.isApplicationUser) {
          throw new DataverseError(
            403,
            '0x80040220',
            `${name}: only users with a Microsoft Project license can use the Project schedule APIs; application users, system users and integration users can't.`,
          );
        }
        return fn(h);
      });
    }
  }

  private trusted(h: HandlerContext): OperationContext {
    return { ...h.op, trusted: true };
  }

  private table(name: string): TableDef {
    const t = this.dataverse.schema.table(name);
    if (!t) throw errors.badRequest(`The entity '${name}' is not a Project scheduling entity.`, '0x80040203');
    return t;
  }

  private entityParam(h: HandlerContext, body: Record<string, unknown>, param: string): { t: TableDef; raw: Record<string, unknown> } {
    const raw = body[param];
    if (typeof raw !== 'object' || raw === null) throw errors.badRequest(`The parameter '${param}' is missing or is not an entity.`, '0x80040203');
    const type = (raw as Record<string, unknown>)['@odata.type'];
    if (typeof type !== 'string' || !type.startsWith('Microsoft.Dynamics.CRM.')) {
      throw errors.badRequest(`The parameter '${param}' needs '@odata.type' (e.g. Microsoft.Dynamics.CRM.msdyn_projecttask).`, '0x80040203');
    }
    return { t: this.table(type.slice('Microsoft.Dynamics.CRM.'.length)), raw: raw as Record<string, unknown> };
  }

  private createProject(h: HandlerContext): ApiResponse {
    const { t, raw } = this.entityParam(h, parseJsonBody(h.request.body), 'Project');
    if (t.logicalName !== 'msdyn_project') throw errors.badRequest('msdyn_CreateProjectV1 needs a msdyn_project entity.', '0x80040203');
    const ctx = this.trusted(h);
    const id = h.service.create(ctx, 'msdyn_project', parseEntityBody(t, raw, h.schema, h.store));
    // "msdyn_CreateProjectV1 creates the project and its default bucket" (named "Bucket 1" in the sample).
    h.service.create(ctx, 'msdyn_projectbucket', { msdyn_name: 'Bucket 1', msdyn_project: { logicalName: 'msdyn_project', id } });
    return json(200, { '@odata.context': `${h.serviceRoot}$metadata#Microsoft.Dynamics.CRM.msdyn_CreateProjectV1Response`, ProjectId: id });
  }

  private createTeamMember(h: HandlerContext): ApiResponse {
    const { t, raw } = this.entityParam(h, parseJsonBody(h.request.body), 'TeamMember');
    if (t.logicalName !== 'msdyn_projectteam') throw errors.badRequest('msdyn_CreateTeamMemberV1 needs a msdyn_projectteam entity.', '0x80040203');
    const id = h.service.create(this.trusted(h), 'msdyn_projectteam', parseEntityBody(t, raw, h.schema, h.store));
    return json(200, { '@odata.context': `${h.serviceRoot}$metadata#Microsoft.Dynamics.CRM.msdyn_CreateTeamMemberV1Response`, TeamMemberId: id });
  }

  private createOperationSet(h: HandlerContext): ApiResponse {
    const body = parseJsonBody(h.request.body);
    const projectId = String(body['ProjectId'] ?? '').toLowerCase();
    if (!h.store.get('msdyn_project', projectId)) throw errors.notFound('msdyn_project', projectId || '(empty ProjectId)');
    const open = h.store.count(SET, 't0."ownerid" = ? AND t0."msdyn_status" = ?', [h.op.caller.userId, OperationSetStatus.Open]);
    if (open >= MAX_OPEN_SETS_PER_USER) {
      throw errors.badRequest(
        `You already have ${open} open operation sets; each user can only have up to ${MAX_OPEN_SETS_PER_USER} open OperationSets. Execute or abandon one first.`,
        '0x80040203',
      );
    }
    const id = h.service.create(this.trusted(h), SET, {
      msdyn_description: String(body['Description'] ?? '').slice(0, 200),
      msdyn_project: { logicalName: 'msdyn_project', id: projectId },
      msdyn_status: OperationSetStatus.Open,
      msdyn_correlationid: h.op.correlationId,
    });
    return json(200, { '@odata.context': `${h.serviceRoot}$metadata#Microsoft.Dynamics.CRM.msdyn_CreateOperationSetV1Response`, OperationSetId: id });
  }

  private openSet(h: HandlerContext, rawId: unknown): Attributes {
    const id = String(rawId ?? '').toLowerCase();
    const set = h.store.get(SET, id);
    if (!set) throw errors.notFound(SET, id || '(empty OperationSetId)');
    const owner = set['ownerid'];
    if (owner && typeof owner === 'object' && owner.id !== h.op.caller.userId) {
      throw errors.badRequest(`Operation set ${id} belongs to another user.`, '0x80040203');
    }
    if (set['msdyn_status'] !== OperationSetStatus.Open) {
      throw errors.badRequest(`Operation set ${id} is not open (status ${String(set['msdyn_status'])}); create a new operation set.`, '0x80040203');
    }
    return set;
  }

  private response(h: HandlerContext, name: string, r: { operationSetId: string; operationSetDetailId: string; operationType: string; recordId: string }): ApiResponse {
    return json(200, {
      '@odata.context': `${h.serviceRoot}$metadata#Microsoft.Dynamics.CRM.${name}Response`,
      // The output parameter is a JSON string the caller parses a second time (schedule-api-preview).
      OperationSetResponse: JSON.stringify({ ...r, correlationId: h.op.correlationId }),
    });
  }

  private stage(h: HandlerContext, operationType: 'Create' | 'Update' | 'Delete'): ApiResponse {
    const body = parseJsonBody(h.request.body);
    const set = this.openSet(h, body['OperationSetId']);
    const setId = set['msdyn_operationsetid'] as string;
    const count = h.store.count(DETAIL, 't0."msdyn_operationset" = ?', [setId]);
    if (count >= MAX_OPERATIONS_PER_SET) {
      throw errors.badRequest(`Operation set ${setId} already has ${count} operations; each OperationSet can only have up to ${MAX_OPERATIONS_PER_SET} operations.`, '0x80040203');
    }
    let staged: StagedOperation;
    if (operationType === 'Delete') {
      const entity = String(body['EntityLogicalName'] ?? '');
      const t = this.table(entity);
      if (!t.scheduling) throw errors.badRequest(`${entity} is not a Project scheduling entity; delete it with the Web API.`, '0x80040203');
      staged = { operationType, entity, recordId: String(body['RecordId'] ?? '').toLowerCase() };
    } else {
      const { t, raw } = this.entityParam(h, body, 'Entity');
      if (!t.scheduling && t.logicalName !== 'msdyn_project') throw errors.badRequest(`${t.logicalName} is not a Project scheduling entity.`, '0x80040203');
      checkSupported(t, raw, operationType);
      // Validate the payload now (unknown columns, bad binds) so the caller hears about it at once.
      parseEntityBody(t, raw, h.schema, h.store);
      const recordId = String(raw[t.primaryIdAttribute] ?? (operationType === 'Create' ? randomUUID() : '')).toLowerCase();
      if (!recordId) throw errors.badRequest(`msdyn_PssUpdateV1 needs ${t.primaryIdAttribute} in the entity.`, '0x80040203');
      staged = { operationType, entity: t.logicalName, recordId, payload: { ...raw, [t.primaryIdAttribute]: recordId } };
    }
    const detailId = h.service.create(this.trusted(h), DETAIL, {
      msdyn_entityname: staged.entity,
      msdyn_operationset: { logicalName: SET, id: setId },
      msdyn_operationtype: OperationType[operationType],
      msdyn_recordid: staged.recordId,
      msdyn_cdspayload: JSON.stringify(staged.payload ?? null),
      msdyn_requestnumber: String(count + 1),
    });
    return this.response(h, `msdyn_Pss${operationType}V1`, { operationSetId: setId, operationSetDetailId: detailId, operationType, recordId: staged.recordId });
  }

  private execute(h: HandlerContext): ApiResponse {
    const body = parseJsonBody(h.request.body);
    const set = this.openSet(h, body['OperationSetId']);
    const setId = set['msdyn_operationsetid'] as string;
    h.service.update(this.trusted(h), SET, setId, { msdyn_status: OperationSetStatus.Pending, msdyn_executedon: new Date().toISOString() });
    const caller = h.op.caller;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = Promise.resolve().then(() => this.apply(setId, caller));
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }, this.options.applyDelayMs ?? 1000);
    timer.unref();
    this.timers.add(timer);
    return this.response(h, 'msdyn_ExecuteOperationSetV1', { operationSetId: setId, operationSetDetailId: '00000000-0000-0000-0000-000000000000', operationType: 'Execute', recordId: setId });
  }

  private abandon(h: HandlerContext): ApiResponse {
    const body = parseJsonBody(h.request.body);
    const set = this.openSet(h, body['OperationSetId']);
    const setId = set['msdyn_operationsetid'] as string;
    h.service.update(this.trusted(h), SET, setId, { msdyn_status: OperationSetStatus.Abandoned });
    return this.response(h, 'msdyn_AbandonOperationSetV1', { operationSetId: setId, operationSetDetailId: '00000000-0000-0000-0000-000000000000', operationType: 'Abandon', recordId: setId });
  }

  /** The scheduling service: applies every staged operation in one transaction, or none. */
  apply(setId: string, caller: Caller): void {
    const dv = this.dataverse;
    const ctx = (): OperationContext => ({ ...dv.newOperationContext(caller), trusted: true });
    const set = dv.store.get(SET, setId);
    if (!set || set['msdyn_status'] !== OperationSetStatus.Pending) return;
    try {
      dv.atomic(() => {
        dv.service.update(ctx(), SET, setId, { msdyn_status: OperationSetStatus.Processing });
        const details = dv.store.select(DETAIL, 't0."msdyn_operationset" = ?', [setId], 'ORDER BY t0."versionnumber"');
        const projects = new Set<string>();
        const project = set['msdyn_project'];
        if (project && typeof project === 'object') projects.add(project.id);
        for (const d of details) {
          const entity = d['msdyn_entityname'] as string;
          const recordId = d['msdyn_recordid'] as string;
          const t = this.table(entity);
          if (d['msdyn_operationtype'] === OperationType.Delete) {
            dv.service.delete(ctx(), entity, recordId);
            continue;
          }
          const payload = JSON.parse(String(d['msdyn_cdspayload'])) as Record<string, unknown>;
          const attributes = parseEntityBody(t, payload, dv.schema, dv.store);
          if (d['msdyn_operationtype'] === OperationType.Create) dv.service.create(ctx(), entity, attributes);
          else {
            delete attributes[t.primaryIdAttribute];
            dv.service.update(ctx(), entity, recordId, attributes);
          }
          const p = attributes['msdyn_project'] ?? attributes['msdyn_projectid'];
          if (p && typeof p === 'object') projects.add(p.id);
        }
        for (const p of projects) rollUpProject(dv, ctx(), p);
        dv.service.update(ctx(), SET, setId, { msdyn_status: OperationSetStatus.Completed, msdyn_completedon: new Date().toISOString() });
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      dv.atomic(() => {
        const logId = dv.service.create(ctx(), 'msdyn_psserrorlog', {
          msdyn_errorcode: e instanceof DataverseError ? e.code : '',
          msdyn_log: `Operation set ${setId} failed and was rolled back: ${message}`,
          msdyn_correlationid: (set['msdyn_correlationid'] as string | null) ?? null,
          msdyn_project: set['msdyn_project'] ?? null,
        });
        dv.service.update(ctx(), SET, setId, {
          msdyn_status: OperationSetStatus.Failed,
          msdyn_completedon: new Date().toISOString(),
          msdyn_psserrorlog: { logicalName: 'msdyn_psserrorlog', id: logId },
        });
      });
    }
  }

  /** Resolves when every executed set has been applied (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timers.size || this.running.size) {
      await new Promise((r) => setTimeout(r, 20));
      await Promise.all([...this.running]);
    }
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** Operations the schedule APIs refuse (schedule-api-preview "Supported operations"; update-progress-of-a-task). */
function checkSupported(t: TableDef, raw: Record<string, unknown>, op: 'Create' | 'Update'): void {
  const has = (k: string): boolean => k in raw;
  if (t.logicalName === 'msdyn_resourceassignment' && op === 'Update') {
    throw errors.badRequest('Resource assignment records aren\'t updated through the schedule APIs: delete the old assignment and create a new one.', '0x80040203');
  }
  if (t.logicalName === 'msdyn_projecttaskdependency' && op === 'Update') {
    throw errors.badRequest('Task dependencies can\'t be updated: delete and re-create the dependency.', '0x80040203');
  }
  if (t.logicalName === 'msdyn_projecttask') {
    for (const k of ['msdyn_effortcompleted', 'msdyn_effortremaining']) {
      if (has(k)) throw errors.badRequest(`${k} can't be edited in Project Operations.`, '0x80040203');
    }
    if (has('msdyn_progress')) {
      if (op === 'Create') throw errors.badRequest('msdyn_progress can only be modified during an update operation.', '0x80040203');
      const p = raw['msdyn_progress'];
      if (typeof p !== 'number' || p < 0 || p > 1) throw errors.badRequest('msdyn_progress must be a value between 0 and 1.', '0x80040203');
    }
    if (op === 'Create') {
      for (const k of ['msdyn_project@odata.bind', 'msdyn_subject', 'msdyn_projectbucket@odata.bind']) {
        if (!has(k)) throw errors.badRequest(`A new project task needs ${k.replace('@odata.bind', '')}.`, '0x80040203');
      }
    }
  }
}
