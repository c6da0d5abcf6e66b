/**
 * The booking status rows the field stages map to (domain/src/mapping/bookingStatus.ts). They are data, not
 * customizations (DESIGN §3): the setup command creates them, and the worker makes sure they exist before its first
 * write — found by `pfb_fieldstage`, created when missing, so either order works and running twice changes nothing.
 */
import {
  bookingstatus,
  FIELD_STAGES,
  fieldStageBookingStatusRows,
  fieldStageChoice,
  type FieldStageName,
} from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { BOOKING_STATUS, platformColumn, primaryKey } from '../taskSync/names';

export interface FieldStageStatuses {
  /** The bookingstatus row of a stage. */
  idOf(stage: FieldStageName): string;
  /** msdyn_fieldservicestatus of any booking status row (null when unknown). */
  fieldServiceStatusOf(bookingStatusId: string | null): number | null;
}

type Row = Record<string, unknown>;

export async function ensureFieldStageStatuses(client: DataverseClient, log?: (message: string) => void): Promise<FieldStageStatuses> {
  const ID = primaryKey(bookingstatus).logicalName;
  const CREATED_ON = platformColumn(bookingstatus, 'createdon').logicalName;
  const select = [ID, BOOKING_STATUS.name.logicalName, BOOKING_STATUS.msdyn_fieldservicestatus.logicalName, BOOKING_STATUS.pfb_fieldstage.logicalName];
  const read = (): Promise<Row[]> => client.retrieveAll(bookingstatus.entitySetName, { select, orderBy: [`${CREATED_ON} asc`] });
  let rows = await read();
  const stageOf = (r: Row): unknown => r[BOOKING_STATUS.pfb_fieldstage.logicalName];
  const missing = fieldStageBookingStatusRows().filter((wanted) => !rows.some((r) => stageOf(r) === wanted.pfb_fieldstage));
  if (missing.length > 0) {
    for (const row of missing) await client.create(bookingstatus.entitySetName, { ...row });
    log?.(`created the booking status rows for the field stages ${missing.map((m) => m.name).join(', ')}`);
    rows = await read();
  }
  const byStage = new Map<number, string>();
  for (const r of rows) {
    const stage = stageOf(r);
    // The oldest row wins if two instances created one at the same time.
    if (typeof stage === 'number' && !byStage.has(stage)) byStage.set(stage, String(r[ID]).toLowerCase());
  }
  const fsStatus = new Map(rows.map((r) => [String(r[ID]).toLowerCase(), r[BOOKING_STATUS.msdyn_fieldservicestatus.logicalName]]));
  for (const stage of FIELD_STAGES) {
    if (!byStage.has(fieldStageChoice(stage))) throw new Error(`The booking status for field stage ${stage} could not be created; run npm run setup against this environment.`);
  }
  return {
    idOf: (stage) => byStage.get(fieldStageChoice(stage)) as string,
    fieldServiceStatusOf: (id) => {
      const v = id ? fsStatus.get(id.toLowerCase()) : undefined;
      return typeof v === 'number' ? v : null;
    },
  };
}
