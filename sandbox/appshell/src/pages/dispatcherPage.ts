/// <reference lib="dom" />
/**
 * The dispatcher's view (a stand-in for the schedule board): resource requirements of work orders that have no
 * booking yet, and a way to book one to a named technician. A booking is a real bookableresourcebooking row created
 * through the Web API — Resource, BookingStatus Scheduled, msdyn_workorder and msdyn_resourcerequirement bound — for
 * the requirement's window; the bridge's webhook step on the booking dispatches it to the mobility app.
 *
 * When the simulated technicians run, a booking can be kept for the technician page: the page generates the
 * booking's id (a create may set the primary key, as in Dataverse), tells the simulator that ticket is moved by hand,
 * then creates the booking, so the automatic technicians never pick it up.
 */
import { h, show } from '../dom';
import { header, section } from '../layout';
import {
  bindOf,
  BookingSystemStatus,
  bookableresource,
  bookableresourcebooking,
  bookingstatus,
  childrenOf,
  FORMATTED,
  msdyn_resourcerequirement,
  msdyn_workorder,
  navOf,
  valueOf,
} from '../names';
import { recordUrl, urlOf } from '../urls';
import { messageOf, text, type PageContext, type PageResult, type Row } from './context';
import { readSimulator, postJson } from './simulatorApi';

const R = msdyn_resourcerequirement.columns;
const W = msdyn_workorder.columns;
const B = bookableresourcebooking.columns;
/** Requirements shown at once (the oldest windows first). */
const PAGE = 250;

interface Requirement {
  readonly id: string;
  readonly name: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly fromText: string;
  readonly toText: string;
  readonly minutes: number;
  readonly workOrder: { readonly id: string; readonly name: string; readonly project: string; readonly task: string; readonly plannedEffort: number | null };
}

interface Technician {
  readonly id: string;
  readonly name: string;
}

function requirementsQuery(): string {
  const bookings = childrenOf(bookableresourcebooking.logicalName, B.msdyn_resourcerequirement.logicalName);
  const woSelect = [W.msdyn_name.logicalName, W.pfb_plannedeffort.logicalName, valueOf(W.pfb_project), valueOf(W.pfb_projecttask)].join(',');
  return [
    `$select=${[R.msdyn_name, R.msdyn_fromdate, R.msdyn_todate, R.msdyn_duration].map((c) => c.logicalName).join(',')},${valueOf(R.msdyn_workorder)}`,
    `$expand=${navOf(R.msdyn_workorder)}($select=${woSelect})`,
    // Open: a work order's requirement that nobody has booked yet.
    `$filter=${valueOf(R.msdyn_workorder)} ne null and not ${bookings}/any()`,
    `$orderby=${R.msdyn_fromdate.logicalName} asc,${R.msdyn_name.logicalName} asc`,
  ].join('&');
}

function toRequirement(row: Row): Requirement {
  const wo = (row[navOf(R.msdyn_workorder)] ?? {}) as Row;
  const from = (row[R.msdyn_fromdate.logicalName] as string | null) ?? null;
  const to = (row[R.msdyn_todate.logicalName] as string | null) ?? null;
  const planned = typeof wo[W.pfb_plannedeffort.logicalName] === 'number' ? (wo[W.pfb_plannedeffort.logicalName] as number) : null;
  const duration = row[R.msdyn_duration.logicalName];
  return {
    id: text(row, msdyn_resourcerequirement.primaryIdAttribute),
    name: text(row, R.msdyn_name.logicalName),
    from,
    to,
    fromText: text(row, `${R.msdyn_fromdate.logicalName}${FORMATTED}`) || (from ?? ''),
    toText: text(row, `${R.msdyn_todate.logicalName}${FORMATTED}`) || (to ?? ''),
    // The requirement's duration (minutes); else the work order's planned effort.
    minutes: typeof duration === 'number' && duration > 0 ? duration : Math.round((planned ?? 1) * 60),
    workOrder: {
      id: text(row, valueOf(R.msdyn_workorder)),
      name: text(wo, W.msdyn_name.logicalName),
      project: text(wo, `${valueOf(W.pfb_project)}${FORMATTED}`),
      task: text(wo, `${valueOf(W.pfb_projecttask)}${FORMATTED}`),
      plannedEffort: planned,
    },
  };
}

export async function dispatcherPage(ctx: PageContext): Promise<PageResult> {
  const { mounted, main } = ctx;
  const api = mounted.webApi;
  main.append(header('Field Service', 'Open resource requirements'));

  const [simulator, technicians, statuses] = await Promise.all([
    readSimulator(),
    api.retrieveMultipleRecords(
      bookableresource.logicalName,
      // Only technicians with a mobility app account receive dispatched bookings.
      `?$select=${bookableresource.columns.name.logicalName}&$filter=${bookableresource.columns.pfb_mobilityuserid.logicalName} ne null&$orderby=${bookableresource.columns.name.logicalName}`,
    ),
    api.retrieveMultipleRecords(
      bookingstatus.logicalName,
      // Field Service's own Scheduled status, not one of the field-stage statuses setup adds.
      `?$select=${bookingstatus.columns.name.logicalName}&$filter=${bookingstatus.columns.msdyn_fieldservicestatus.logicalName} eq ${BookingSystemStatus.Scheduled} and ${bookingstatus.columns.pfb_fieldstage.logicalName} eq null`,
    ),
  ]);
  const people: Technician[] = (technicians.entities as Row[]).map((r) => ({ id: text(r, bookableresource.primaryIdAttribute), name: text(r, bookableresource.columns.name.logicalName) }));
  const scheduled = text((statuses.entities[0] ?? {}) as Row, bookingstatus.primaryIdAttribute);
  if (!scheduled) throw new Error('No booking status with Field Service status Scheduled: run the setup (npm run setup) against this environment.');

  const byHand = h('input', { type: 'checkbox', id: 'by-hand', checked: !simulator.automatic, disabled: !simulator.automatic });
  const outcome = h('div', { class: 'outcome', role: 'status', 'aria-live': 'polite' });
  const listArea = h('div');
  main.append(
    section(
      'Book a technician',
      'book-heading',
      h(
        'p',
        {},
        'Requirements of work orders the bridge created that nobody has booked yet. Choose a technician and book the requirement’s window: ',
        'the bridge sends the booking to the mobility app over mutual TLS.',
      ),
      h(
        'p',
        { class: 'check' },
        byHand,
        h(
          'label',
          { for: 'by-hand' },
          simulator.automatic
            ? 'Move the bookings I make here by hand on the technician page (the simulated technicians leave them alone)'
            : 'Simulated technicians are off: every booking waits for you on the technician page',
        ),
      ),
      outcome,
      listArea,
    ),
  );

  const render = async (): Promise<Requirement[]> => {
    const page = await api.retrieveMultipleRecords(msdyn_resourcerequirement.logicalName, `?${requirementsQuery()}`, PAGE);
    const requirements = (page.entities as Row[]).map(toRequirement);
    if (requirements.length === 0) {
      show(listArea, h('p', { class: 'empty' }, 'No open requirements. Mark tasks Ready to Sync on a project: their work orders bring their requirements here.'));
      return requirements;
    }
    const rows = requirements.map((r) => {
      const label = `${r.workOrder.name} (${r.workOrder.task})`;
      const select = h(
        'select',
        { 'aria-label': `Technician for ${label}`, 'data-requirement': r.id },
        h('option', { value: '' }, 'Choose a technician…'),
        ...people.map((p) => h('option', { value: p.id }, p.name)),
      );
      const book = h('button', { type: 'button', class: 'sx-button sx-primary', 'aria-label': `Book ${label}` }, 'Book');
      book.addEventListener('click', () => {
        const person = people.find((p) => p.id === select.value);
        if (!person) {
          say('error', `Choose a technician for ${label} first.`);
          select.focus();
          return;
        }
        book.disabled = true;
        void bookIt(r, person)
          .catch((e: unknown) => say('error', `${label} was not booked: ${messageOf(e)}`))
          .finally(() => {
            book.disabled = false;
          });
      });
      return h(
        'tr',
        { 'data-requirement-row': r.id },
        h('th', { scope: 'row' }, h('a', { href: recordUrl('msdyn_workorder', r.workOrder.id) }, r.workOrder.name)),
        h('td', {}, r.workOrder.project, h('br'), h('span', { class: 'muted' }, r.workOrder.task)),
        h('td', {}, r.fromText, r.toText && r.toText !== r.fromText ? h('span', { class: 'muted' }, ` to ${r.toText}`) : null),
        h('td', { class: 'number' }, `${Math.round((r.minutes / 60) * 100) / 100} h`),
        h('td', {}, select),
        h('td', {}, book),
      );
    });
    show(
      listArea,
      h(
        'table',
        { class: 'data' },
        h('caption', {}, `${requirements.length}${page.nextLink ? '+' : ''} open requirement${requirements.length === 1 ? '' : 's'}`),
        h(
          'thead',
          {},
          h('tr', {}, ...['Work order', 'Project and task', 'Window', 'Duration', 'Technician'].map((c) => h('th', { scope: 'col' }, c)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Book'))),
        ),
        h('tbody', {}, ...rows),
      ),
    );
    return requirements;
  };

  function say(level: 'success' | 'error', ...content: (Node | string)[]): void {
    outcome.setAttribute('role', level === 'error' ? 'alert' : 'status');
    outcome.className = `outcome ${level}`;
    show(outcome, ...content);
  }

  async function bookIt(r: Requirement, person: Technician): Promise<void> {
    if (!r.from) throw new Error('the requirement has no From date; set its window first.');
    const bookingId = crypto.randomUUID();
    const handDriven = byHand.checked;
    if (handDriven && simulator.automatic) await postJson('/simulator/claim', { ticketId: bookingId });
    const start = Date.parse(r.from);
    await api.createRecord(bookableresourcebooking.logicalName, {
      [bookableresourcebooking.primaryIdAttribute]: bookingId,
      [B.name.logicalName]: `${r.workOrder.name} – ${person.name}`,
      [B.starttime.logicalName]: new Date(start).toISOString(),
      [B.endtime.logicalName]: new Date(start + r.minutes * 60_000).toISOString(),
      [B.duration.logicalName]: r.minutes,
      [bindOf(B.resource)]: `/${bookableresource.entitySetName}(${person.id})`,
      [bindOf(B.bookingstatus)]: `/${bookingstatus.entitySetName}(${scheduled})`,
      [bindOf(B.msdyn_workorder)]: `/${msdyn_workorder.entitySetName}(${r.workOrder.id})`,
      [bindOf(B.msdyn_resourcerequirement)]: `/${msdyn_resourcerequirement.entitySetName}(${r.id})`,
    });
    say(
      'success',
      `Booked ${r.workOrder.name} to ${person.name}. The bridge sends it to the mobility app; `,
      handDriven
        ? h('a', { href: urlOf({ page: 'technician', ticketId: bookingId }), 'data-booking-id': bookingId }, 'move it on the technician page')
        : h('span', { 'data-booking-id': bookingId }, 'the simulated technicians will work it'),
      '. ',
      h('a', { href: recordUrl('msdyn_workorder', r.workOrder.id) }, `Follow ${r.workOrder.name}`),
      '.',
    );
    await render();
  }

  const requirements = await render();
  return { handles: { requirements } };
}
