/**
 * Field stages → Field Service booking status (bookingstatus.msdyn_fieldservicestatus). Field Service reads its own
 * status, not ours: it drives the work order's system status, booking timestamps and journals (Travel, Working Hours),
 * so each stage maps to the Field Service status with the same meaning for time and billing:
 *
 * | stage        | Field Service status | completes work order | why |
 * |--------------|----------------------|----------------------|-----|
 * | Acknowledged | Scheduled            | –                    | accepted, not yet under way; Field Service has no "acknowledged" |
 * | Travel       | Traveling            | –                    | travel journal starts |
 * | Onsite       | In Progress          | –                    | arrival ends travel; Field Service's In Progress begins at arrival |
 * | InProgress   | In Progress          | –                    | working |
 * | Complete     | Completed            | yes                  | |
 * | Incomplete   | Completed            | **no**               | see below |
 *
 * Incomplete: Field Service has no such status. Canceled would be wrong: canceled bookings get no booking journals (so
 * the technician's hours would vanish from time entries and billing) and cancelling a work order's only booking sends
 * it back to Unscheduled as if nobody had been there. So Incomplete is its own booking status row whose Field Service
 * status is Completed (the visit ended; journals and time entries are created from its timestamps) with
 * `msdyn_statuscompletesworkorder = false` ("bookings with this status are included in determining whether the work
 * order is completed" is off), so the work order stays open for the dispatcher to rebook the rest. The row's and the
 * booking's `pfb_fieldstage` = Incomplete tells the two Completed rows apart. (dataverse-facts §3)
 */
import { BookingStatusStatus, BookingSystemStatus } from '../schema';
import { FIELD_STAGES, type FieldStageName } from '../lifecycle/fieldStage';
import { fieldStageChoice } from './fieldStageChoice';

const TO_SYSTEM_STATUS: Readonly<Record<FieldStageName, number>> = {
  Acknowledged: BookingSystemStatus.Scheduled,
  Travel: BookingSystemStatus.Traveling,
  Onsite: BookingSystemStatus.InProgress,
  InProgress: BookingSystemStatus.InProgress,
  Complete: BookingSystemStatus.Completed,
  Incomplete: BookingSystemStatus.Completed,
};

const LABEL: Readonly<Record<FieldStageName, string>> = {
  Acknowledged: 'Acknowledged',
  Travel: 'Travel',
  Onsite: 'Onsite',
  InProgress: 'In Progress',
  Complete: 'Complete',
  Incomplete: 'Incomplete',
};

/** The Field Service status (BookingSystemStatus value) a booking at this stage has. */
export function bookingSystemStatusOf(stage: FieldStageName): number {
  return TO_SYSTEM_STATUS[stage];
}

/** msdyn_statuscompletesworkorder of the stage's booking status: false only for Incomplete. */
export function stageCompletesWorkOrder(stage: FieldStageName): boolean {
  return stage !== 'Incomplete';
}

/** One bookingstatus row per field stage: the data the setup command upserts (found again by pfb_fieldstage). */
export interface FieldStageBookingStatusRow {
  readonly name: string;
  readonly status: number;
  readonly msdyn_fieldservicestatus: number;
  readonly msdyn_statuscompletesworkorder: boolean;
  readonly pfb_fieldstage: number;
}

export function fieldStageBookingStatusRows(): FieldStageBookingStatusRow[] {
  return FIELD_STAGES.map((stage) => ({
    name: `Field: ${LABEL[stage]}`,
    status: BookingStatusStatus.Committed,
    msdyn_fieldservicestatus: bookingSystemStatusOf(stage),
    msdyn_statuscompletesworkorder: stageCompletesWorkOrder(stage),
    pfb_fieldstage: fieldStageChoice(stage),
  }));
}
