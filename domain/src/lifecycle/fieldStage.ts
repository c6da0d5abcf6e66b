/**
 * The stages a technician moves a booking through in the mobility app (DESIGN §1 step 10, §4 "Booking lifecycle").
 * The names are the wire format of mobility events; mapping/ turns them into the schema's choice values.
 */

export type FieldStageName = 'Acknowledged' | 'Travel' | 'Onsite' | 'InProgress' | 'Complete' | 'Incomplete';
export type TerminalStageName = Extract<FieldStageName, 'Complete' | 'Incomplete'>;

/** In lifecycle order; the two terminal stages share the last rank. */
export const FIELD_STAGES: readonly FieldStageName[] = ['Acknowledged', 'Travel', 'Onsite', 'InProgress', 'Complete', 'Incomplete'];

const RANK: Readonly<Record<FieldStageName, number>> = {
  Acknowledged: 0,
  Travel: 1,
  Onsite: 2,
  InProgress: 3,
  Complete: 4,
  Incomplete: 4,
};

/** Position in the lifecycle; a booking never moves to a lower rank. Complete and Incomplete share the top rank. */
export function stageRank(stage: FieldStageName): number {
  return RANK[stage];
}

export function isTerminalStage(stage: FieldStageName): stage is TerminalStageName {
  return stage === 'Complete' || stage === 'Incomplete';
}

export function isFieldStageName(value: unknown): value is FieldStageName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RANK, value);
}
