/** Field stage names (mobility wire format) ↔ the pfb_fieldstage choice values (schema: FieldStage). */
import { FieldStage } from '../schema';
import { FIELD_STAGES, type FieldStageName } from '../lifecycle/fieldStage';

const TO_CHOICE: Readonly<Record<FieldStageName, number>> = {
  Acknowledged: FieldStage.Acknowledged,
  Travel: FieldStage.Travel,
  Onsite: FieldStage.Onsite,
  InProgress: FieldStage.InProgress,
  Complete: FieldStage.Complete,
  Incomplete: FieldStage.Incomplete,
};

const FROM_CHOICE: ReadonlyMap<number, FieldStageName> = new Map(FIELD_STAGES.map((s) => [TO_CHOICE[s], s]));

/** The pfb_fieldstage value of a stage (on bookableresourcebooking, bookingstatus and pfb_fieldevent). */
export function fieldStageChoice(stage: FieldStageName): number {
  return TO_CHOICE[stage];
}

/** The stage a pfb_fieldstage value stands for; undefined for a value that is not a field stage. */
export function fieldStageFromChoice(value: number): FieldStageName | undefined {
  return FROM_CHOICE.get(value);
}
