/**
 * The stage stepper of one booking. Stage order is the domain's (DESIGN §4, domain/src/lifecycle/fieldStage): a stage
 * never moves backwards, Complete and Incomplete share the last place. The booking's current stage is what the bridge
 * stored (pfb_fieldstage); each stage's time is its earliest event that counted (Applied or Stale — a late event still
 * contributes its timestamp; Duplicate and Rejected do not), so the stepper agrees with the booking's actuals.
 */
import { FIELD_STAGES, stageRank, type FieldStageName } from '@pfb/domain/src/lifecycle/fieldStage';
import { EventOutcome, FieldStage } from '../../shared/schemaNames';
import type { StageStep } from './types';

const NAMES = FIELD_STAGES;

export function stageNameOf(value: number | null): FieldStageName | null {
  if (value === null) return null;
  const key = (Object.keys(FieldStage) as FieldStageName[]).find((k) => FieldStage[k] === value);
  return key && NAMES.includes(key) ? key : null;
}

export interface StageEventInput {
  readonly stage: number | null;
  readonly occurredOn: string | null;
  readonly outcome: number | null;
}

/** Earliest counted occurrence per stage (ISO strings compare in time order when they are UTC). */
export function firstReached(events: readonly StageEventInput[]): Map<FieldStageName, string> {
  const first = new Map<FieldStageName, string>();
  for (const e of events) {
    if (e.outcome === EventOutcome.Duplicate || e.outcome === EventOutcome.Rejected) continue;
    const name = stageNameOf(e.stage);
    if (!name || !e.occurredOn) continue;
    const t = Date.parse(e.occurredOn);
    if (Number.isNaN(t)) continue;
    const prev = first.get(name);
    if (prev === undefined || t < Date.parse(prev)) first.set(name, e.occurredOn);
  }
  return first;
}

/** Acknowledged → Travel → Onsite → In Progress → Complete | Incomplete, with the state and time of each. */
export function stageSteps(current: FieldStageName | null, reached: ReadonlyMap<FieldStageName, string>, format: (iso: string) => string): StageStep[] {
  const rank = current ? stageRank(current) : -1;
  const linear: FieldStageName[] = NAMES.filter((n) => n !== 'Complete' && n !== 'Incomplete');
  const steps: StageStep[] = linear.map((stage) => {
    const r = stageRank(stage);
    const at = reached.get(stage);
    const state = current === stage ? 'current' : r < rank ? (at ? 'done' : 'passed') : 'upcoming';
    return { stage, state, at: at ? format(at) : null, open: false };
  });
  const terminal: FieldStageName = current === 'Incomplete' ? 'Incomplete' : 'Complete';
  const ended = current === 'Complete' || current === 'Incomplete';
  const at = ended ? reached.get(terminal) : undefined;
  steps.push({ stage: terminal, state: ended ? 'current' : 'upcoming', at: at ? format(at) : null, open: !ended });
  return steps;
}
