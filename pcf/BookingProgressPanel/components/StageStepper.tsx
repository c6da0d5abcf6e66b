/** A booking's stages as an ordered list: each step says its stage, whether and when it was reached. */
import * as React from 'react';
import { mergeClasses } from '@fluentui/react-components';
import { fill } from '../../shared/strings';
import type { PanelStrings } from '../panelStrings';
import type { StageStep } from '../model/types';
import { usePanelStyles } from './styles';

export const StageStepper = React.memo(function StageStepper(props: { steps: readonly StageStep[]; bookingName: string; strings: PanelStrings }): React.ReactElement {
  const styles = usePanelStyles();
  const { strings } = props;
  return (
    <ol className={styles.stepper} aria-label={fill(strings.Stepper_Label, { name: props.bookingName })}>
      {props.steps.map((step) => {
        const name = step.open ? strings.Stage_Ending : strings[`Stage_${step.stage}`];
        const reached = step.state === 'done' || step.state === 'current' || step.state === 'passed';
        const state =
          step.state === 'current'
            ? step.at
              ? fill(strings.Step_Current, { time: step.at })
              : strings.Step_CurrentNoTime
            : step.state === 'done'
              ? fill(strings.Step_Done, { time: step.at ?? '' })
              : step.state === 'passed'
                ? strings.Step_Passed
                : strings.Step_Upcoming;
        const bar = mergeClasses(
          styles.stepBar,
          reached && styles.stepBarDone,
          reached && step.stage === 'Complete' && styles.stepBarComplete,
          reached && step.stage === 'Incomplete' && styles.stepBarIncomplete,
        );
        return (
          <li key={step.stage} className={styles.step} aria-current={step.state === 'current' ? 'step' : undefined} data-stage={step.stage} data-state={step.state}>
            <span className={bar} aria-hidden="true" />
            <span className={mergeClasses(styles.stepName, !reached && styles.stepNameUpcoming)}>{name}</span>
            <span className={styles.stepTime} aria-hidden="true">
              {step.at ?? (reached ? strings.NoValue : '')}
            </span>
            <span className={styles.visuallyHidden}>{state}</span>
          </li>
        );
      })}
    </ol>
  );
});
