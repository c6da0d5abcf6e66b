/**
 * Display names and descriptions (language 1033) of our global choices. The schema module defines each choice's
 * name, values and option labels; a global choice in a solution also carries its own display name, which the
 * runtime never needs. The checks refuse a `pfb_` global choice missing here, so a new choice cannot ship unnamed.
 */
export interface OptionSetLabel {
  readonly displayName: string;
  readonly description: string;
}

export const OPTION_SET_LABELS: Readonly<Record<string, OptionSetLabel>> = {
  pfb_syncstatus: { displayName: 'Sync Status', description: 'Where a project task is on its way to the field: Ready to Sync, Syncing, Synced, Failed, Out of Date, Cancelled.' },
  pfb_scenario: { displayName: 'Planning Scenario', description: 'Which of the four planning scenarios a task falls in (single or multiple days, single or multiple resources).' },
  pfb_fieldstatus: { displayName: 'Field Status', description: 'Progress of a task in the field, rolled up from its work orders.' },
  pfb_fieldstage: { displayName: 'Field Stage', description: 'Stage of a booking in the mobility app: Acknowledged, Travel, Onsite, In Progress, Complete, Incomplete.' },
  pfb_eventoutcome: { displayName: 'Field Event Outcome', description: 'What the bridge did with an inbound mobility event: Applied, Duplicate, Stale, Rejected.' },
  pfb_dispatchstatus: { displayName: 'Dispatch Status', description: 'Whether a booking has reached the mobility app: Pending, Sent, Failed.' },
};
