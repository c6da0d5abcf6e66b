/// <reference lib="dom" />
/**
 * The technician's phone (the mobility simulator's side): the tickets the bridge dispatched, and for one ticket the
 * stages so far and a form to report the next — Acknowledged, Travel, Onsite, In Progress, then Complete or
 * Incomplete with a reason. Times are the site's wall clock. The server signs and delivers each stage to the bridge
 * (the secret never reaches the page); the booking, its work order, the task and the project follow.
 */
import { h, show } from '../dom';
import { header, section } from '../layout';
import { bookableresourcebooking, DispatchStatus } from '../names';
import { formatInZone, localInputValue, zonedIso } from '../time';
import { recordUrl, urlOf } from '../urls';
import { messageOf, type PageContext, type PageResult } from './context';
import { postJson, readSimulator, type SimulatorState, type TicketView } from './simulatorApi';

const STAGES = ['Acknowledged', 'Travel', 'Onsite', 'InProgress', 'Complete', 'Incomplete'] as const;
type Stage = (typeof STAGES)[number];
const LABEL: Readonly<Record<Stage, string>> = { Acknowledged: 'Acknowledged', Travel: 'Travel', Onsite: 'Onsite', InProgress: 'In Progress', Complete: 'Complete', Incomplete: 'Incomplete' };
const rank = (s: string): number => Math.min(STAGES.indexOf(s as Stage), 4);
/** How often the list looks for new tickets (ms): dispatch takes a second or two after a booking. */
const POLL_MS = 2000;

const zoneOf = (t: TicketView): string => t.site.timeZone ?? 'UTC';
const currentOf = (t: TicketView): string | null => t.events.reduce<string | null>((top, e) => (top === null || rank(e.stage) > rank(top) ? e.stage : top), null);
const ended = (t: TicketView): boolean => {
  const c = currentOf(t);
  return c !== null && rank(c) === 4;
};

/** When a stage probably happened: around the visit's window, never before the last stage reported. */
export function suggestTime(t: TicketView, stage: Stage): number {
  const start = Date.parse(t.window.start);
  const minute = 60_000;
  const planned = t.plannedEffortHours * 60 * minute;
  const inProgress = t.events.find((e) => e.stage === 'InProgress');
  const working = inProgress ? Date.parse(inProgress.occurredAt) : start + 15 * minute;
  const guess: Record<Stage, number> = {
    Acknowledged: start - 60 * minute,
    Travel: start - 30 * minute,
    Onsite: start,
    InProgress: start + 15 * minute,
    Complete: working + planned,
    Incomplete: working + planned / 2,
  };
  const last = Math.max(...t.events.map((e) => Date.parse(e.occurredAt)), -Infinity);
  return guess[stage] > last ? guess[stage] : last + 15 * minute;
}

export async function technicianPage(ctx: PageContext, ticketId: string | null): Promise<PageResult> {
  const { main, mounted } = ctx;
  main.append(header('Mobility app (simulator)', 'Technician'));
  const mode = h('p');
  const listArea = h('div');
  const detailArea = h('div');
  main.append(
    section(
      'Tickets',
      'tickets-heading',
      h('p', {}, 'Bookings the bridge dispatched to the mobility app. Open one to move it through its stages as the technician on site would.'),
      mode,
      listArea,
    ),
    detailArea,
  );

  let state: SimulatorState = await readSimulator();
  let shownList = '';
  let shownDetail = '';
  let outcome: { level: 'success' | 'error'; text: string } | null = null;
  /** Why a ticket the page waits for has not arrived, when the booking says so. */
  let waitingNote = 'Waiting for the bridge to dispatch this booking to the mobility app…';

  const renderList = (): void => {
    const key = JSON.stringify(state);
    if (key === shownList) return;
    shownList = key;
    show(
      mode,
      state.automatic
        ? 'The simulated technicians work every ticket that is not moved here. Sending a stage takes a ticket over: the stages they have not played yet are dropped.'
        : 'The simulated technicians are off: every ticket waits for you here.',
    );
    if (state.tickets.length === 0) {
      show(listArea, h('p', { class: 'empty' }, 'No tickets yet. Book a requirement on the dispatcher page; the bridge sends it here within seconds.'));
      return;
    }
    const rows = state.tickets.map((t) => {
      const current = currentOf(t);
      return h(
        'tr',
        { 'data-ticket-row': t.ticketId, class: t.ticketId === ticketId ? 'selected' : undefined },
        h('th', { scope: 'row' }, h('a', { href: urlOf({ page: 'technician', ticketId: t.ticketId }), 'aria-current': t.ticketId === ticketId ? 'true' : undefined }, t.workOrder.number)),
        h('td', {}, t.task.name, h('br'), h('span', { class: 'muted' }, t.project.name)),
        h('td', {}, t.technician),
        h('td', {}, formatInZone(t.window.start, zoneOf(t)), h('br'), h('span', { class: 'muted' }, `${t.site.name} (${zoneOf(t)})`)),
        h('td', {}, t.status === 'Cancelled' ? 'Cancelled' : current ? LABEL[current as Stage] : 'Not started'),
        h('td', {}, t.byHand ? 'You' : 'Simulated technician'),
      );
    });
    show(
      listArea,
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'visually-hidden' }, 'Tickets in the mobility app'),
        h('thead', {}, h('tr', {}, ...['Work order', 'Task', 'Technician', 'Visit (site time)', 'Stage', 'Moved by'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...rows),
      ),
    );
  };

  const renderDetail = (force = false): void => {
    if (!ticketId) return;
    const t = state.tickets.find((x) => x.ticketId === ticketId);
    const key = JSON.stringify(t ?? null);
    if (!force && key === shownDetail) return;
    shownDetail = key;
    if (!t) {
      show(detailArea, section('Ticket', 'ticket-heading', h('p', { role: 'status' }, waitingNote)));
      return;
    }
    const zone = zoneOf(t);
    const current = currentOf(t);
    const steps = STAGES.filter((s) => s !== (t.events.some((e) => e.stage === 'Incomplete') ? 'Complete' : 'Incomplete')).map((s) => {
      const event = t.events.find((e) => e.stage === s);
      return h(
        'li',
        { 'data-stage': s, 'data-done': event ? 'true' : 'false', 'aria-current': current === s ? 'step' : undefined },
        h('span', { class: 'stage-name' }, LABEL[s]),
        h('span', { class: 'stage-time' }, event ? formatInZone(event.occurredAt, zone) : '—'),
        event?.reason ? h('span', { class: 'muted' }, ` ${event.reason}`) : null,
      );
    });

    const next = STAGES.filter((s) => current === null || rank(s) > rank(current));
    let form: HTMLElement | null = null;
    if (t.status !== 'Scheduled') form = h('p', {}, 'This ticket was cancelled: there is nothing to report.');
    else if (ended(t)) form = h('p', {}, 'This visit has ended. The booking, the work order, the task and the project have its figures.');
    else {
      const stage = h('select', { id: 'next-stage' }, ...next.map((s) => h('option', { value: s }, LABEL[s])));
      const when = h('input', { type: 'datetime-local', id: 'stage-time', required: true, step: 60 });
      const reason = h('textarea', { id: 'stage-reason', rows: 2 });
      const remaining = h('input', { type: 'number', id: 'stage-remaining', min: 0, step: 0.5 });
      const incompleteFields = h(
        'div',
        { class: 'incomplete-fields', hidden: true },
        h('p', { class: 'field' }, h('label', { for: 'stage-reason' }, 'Why the work could not be finished'), reason),
        h('p', { class: 'field' }, h('label', { for: 'stage-remaining' }, 'Hours of work left (optional)'), remaining),
      );
      const suggest = (): void => {
        when.value = localInputValue(suggestTime(t, stage.value as Stage), zone);
        incompleteFields.hidden = stage.value !== 'Incomplete';
        reason.required = stage.value === 'Incomplete';
      };
      stage.addEventListener('change', suggest);
      suggest();
      const send = h('button', { type: 'submit', class: 'sx-button sx-primary' }, 'Send');
      form = h(
        'form',
        { 'aria-labelledby': 'report-heading', novalidate: true },
        h('h3', { id: 'report-heading' }, 'Report the next stage'),
        h('p', { class: 'field' }, h('label', { for: 'next-stage' }, 'Stage'), stage),
        h('p', { class: 'field' }, h('label', { for: 'stage-time' }, `When (site time, ${zone})`), when),
        incompleteFields,
        h('p', {}, send),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const chosen = stage.value as Stage;
        if (!when.value) return tell('error', 'Say when the stage happened.', when);
        if (chosen === 'Incomplete' && !reason.value.trim()) return tell('error', 'Say why the work could not be finished.', reason);
        send.disabled = true;
        let occurredAt: string;
        try {
          occurredAt = zonedIso(when.value, zone);
        } catch (err) {
          send.disabled = false;
          return tell('error', messageOf(err), when);
        }
        postJson('/simulator/report', {
          ticketId: t.ticketId,
          stage: chosen,
          occurredAt,
          ...(chosen === 'Incomplete' ? { reason: reason.value.trim() } : {}),
          ...(chosen === 'Incomplete' && remaining.value !== '' ? { remainingEffortHours: Number(remaining.value) } : {}),
        })
          .then(async () => {
            outcome = {
              level: 'success',
              text: `${LABEL[chosen]} sent (${formatInZone(occurredAt, zone)} site time). The bridge took it: the booking, the task and the project update in a moment.`,
            };
            state = await readSimulator();
            renderList();
            renderDetail(true);
            document.getElementById('next-stage')?.focus();
          })
          .catch((err: unknown) => {
            send.disabled = false;
            tell('error', `${LABEL[chosen]} was not sent: ${messageOf(err)}`, stage);
          });
      });
    }

    const status = h('div', { class: `outcome ${outcome?.level ?? ''}`, id: 'report-outcome', role: outcome?.level === 'error' ? 'alert' : 'status' }, outcome?.text ?? '');
    show(
      detailArea,
      section(
        `${t.workOrder.number} · ${t.task.name}`,
        'ticket-heading',
        h(
          'dl',
          { class: 'sx-fields' },
          h('dt', {}, 'Technician'),
          h('dd', {}, t.technician),
          h('dt', {}, 'Site'),
          h('dd', {}, `${t.site.name} (${zone})`),
          h('dt', {}, 'Visit'),
          h('dd', {}, `${formatInZone(t.window.start, zone)} to ${formatInZone(t.window.end, zone)}`),
          h('dt', {}, 'Planned effort'),
          h('dd', {}, `${t.plannedEffortHours} h`),
        ),
        h('ol', { class: 'stages', 'aria-label': 'Stages' }, ...steps),
        form,
        status,
        h('p', {}, h('a', { href: recordUrl('msdyn_workorder', t.workOrder.id) }, `Follow ${t.workOrder.number}: booking, task and project figures`)),
      ),
    );

    function tell(level: 'success' | 'error', message: string, focus?: HTMLElement): void {
      outcome = { level, text: message };
      status.className = `outcome ${level}`;
      status.setAttribute('role', level === 'error' ? 'alert' : 'status');
      status.textContent = message;
      focus?.focus();
    }
  };

  renderList();
  renderDetail();
  /** The booking's dispatch status, while its ticket has not arrived: a failed dispatch never will. */
  const checkDispatch = async (): Promise<void> => {
    if (!ticketId || state.tickets.some((t) => t.ticketId === ticketId)) return;
    const B = bookableresourcebooking.columns;
    try {
      const row = (await mounted.webApi.retrieveRecord(bookableresourcebooking.logicalName, ticketId, `?$select=${B.pfb_dispatchstatus.logicalName}`)) as Record<string, unknown>;
      if (row[B.pfb_dispatchstatus.logicalName] === DispatchStatus.Failed) {
        waitingNote = 'The bridge could not send this booking to the mobility app (its dispatch status is Failed): the bridge’s log, .sandbox/bridge.log, says why.';
        shownDetail = '';
      }
    } catch (e) {
      waitingNote = `No booking ${ticketId}: ${messageOf(e)}`;
      shownDetail = '';
    }
  };

  // Tickets arrive and move (the automatic technicians) while the page is open.
  const timer = window.setInterval(() => {
    readSimulator()
      .then(async (s) => {
        state = s;
        await checkDispatch();
        renderList();
        // The form is left alone while the user fills it; it is drawn again when the ticket first arrives.
        if (shownDetail === 'null' || !document.querySelector('#next-stage')) renderDetail();
      })
      .catch(() => undefined);
  }, POLL_MS);
  window.addEventListener('pagehide', () => window.clearInterval(timer));
  return {};
}
