import { EventOutcome, FieldStage } from '../../shared/schemaNames';
import { firstReached, stageNameOf, stageSteps } from './stages';

const ev = (stage: keyof typeof FieldStage, occurredOn: string, outcome: keyof typeof EventOutcome = 'Applied') => ({ stage: FieldStage[stage], occurredOn, outcome: EventOutcome[outcome] });
const id = (iso: string): string => iso;

describe('stage stepper', () => {
  it('maps choice values to stage names', () => {
    expect(stageNameOf(FieldStage.InProgress)).toBe('InProgress');
    expect(stageNameOf(123)).toBeNull();
  });

  it('takes the earliest counted event per stage: late (Stale) events count, duplicates and rejected ones do not', () => {
    const reached = firstReached([
      ev('Travel', '2027-04-05T22:10:00Z'),
      ev('Travel', '2027-04-05T22:05:00Z', 'Stale'),
      ev('Onsite', '2027-04-05T22:00:00Z', 'Duplicate'),
      ev('Onsite', '2027-04-05T22:50:00Z'),
      ev('InProgress', '2027-04-05T21:00:00Z', 'Rejected'),
    ]);
    expect(Object.fromEntries(reached)).toEqual({ Travel: '2027-04-05T22:05:00Z', Onsite: '2027-04-05T22:50:00Z' });
  });

  it('marks stages done, current, passed without a time, and upcoming, in lifecycle order', () => {
    const steps = stageSteps('InProgress', new Map([['Acknowledged', 'a'], ['InProgress', 'c']] as const), id);
    expect(steps.map((s) => [s.stage, s.state, s.at])).toEqual([
      ['Acknowledged', 'done', 'a'],
      ['Travel', 'passed', null],
      ['Onsite', 'passed', null],
      ['InProgress', 'current', 'c'],
      ['Complete', 'upcoming', null],
    ]);
    expect(steps[4]?.open).toBe(true);
  });

  it('ends on Incomplete when the booking ended so, with its time', () => {
    const steps = stageSteps('Incomplete', new Map([['Incomplete', 'z']] as const), id);
    expect(steps[4]).toEqual({ stage: 'Incomplete', state: 'current', at: 'z', open: false });
    expect(stageSteps(null, new Map(), id).every((s) => s.state === 'upcoming')).toBe(true);
  });
});
