/**
 * Lifecycle tests: the real BookingProgressPanel class on work order, task sync, project task and project forms, with
 * a Web API holding the field side's rows. The refresh interval runs on Jest's fake clock.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { axe, toHaveNoViolations } from 'jest-axe';
import { bookableresourcebooking, pfb_fieldevent } from '../shared/schemaNames';
import { FakeWebApi } from '../testing/fakeWebApi';
import { booking, fieldEvent, guid, SMALL_WBS, smallProjectRelated, taskRows } from '../testing/fixtures';
import { mockContext, textProperty, wholeNumber } from '../testing/mockContext';
import { BookingProgressPanel } from './index';
import type { IInputs } from './manifest';
import '../testing/jsdom';
import { runControl, type RunningControl } from '../testing/runControl';

expect.extend(toHaveNoViolations);

const tasks = taskRows(SMALL_WBS);
const WO3 = guid('workorder', 3);

function fieldData(): FakeWebApi {
  const related = smallProjectRelated(tasks);
  const b3 = guid('booking', 3);
  return new FakeWebApi({
    ...related,
    [bookableresourcebooking.logicalName]: [
      ...(related[bookableresourcebooking.logicalName] ?? []),
      booking({ n: 5, workOrderId: WO3, workOrderName: 'WO-00003', technician: 'Eli Moss', status: 'inProgress', stage: 'Incomplete', actualEffort: 2, incompleteReason: 'Tower access road flooded' }),
    ],
    [pfb_fieldevent.logicalName]: [fieldEvent(1, b3, 'Acknowledged', '2027-03-03T21:00:00Z'), fieldEvent(2, b3, 'Onsite', '2027-03-03T22:40:00Z')],
  });
}

let documentState: DocumentVisibilityState = 'visible';
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => documentState });

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    await act(async () => {
      jest.advanceTimersByTime(0);
      await Promise.resolve();
    });
  }
}

async function advance(ms: number): Promise<void> {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
  await flush();
}

interface Panel {
  readonly running: RunningControl;
  readonly api: FakeWebApi;
  readonly ctx: ReturnType<typeof mockContext<IInputs>>;
}

async function mount(record: { entityName: string; entityId: string } | undefined, o: { refreshSeconds?: number; api?: FakeWebApi } = {}): Promise<Panel> {
  const api = o.api ?? fieldData();
  const ctx = mockContext<IInputs>({
    control: 'BookingProgressPanel',
    parameters: { anchor: textProperty('WO-00003'), refreshSeconds: wholeNumber(o.refreshSeconds ?? null), maxBookings: wholeNumber(null), maxEvents: wholeNumber(null) },
    webAPI: api,
    record,
  });
  const running = await runControl(new BookingProgressPanel(), ctx.context, [], flush);
  return { running, api, ctx };
}

beforeEach(() => {
  jest.useFakeTimers();
  documentState = 'visible';
});
afterEach(() => {
  jest.useRealTimers();
});

describe('BookingProgressPanel', () => {
  it('shows a work order: summary, each booking with technician, stages and times, the Incomplete reason, and recent events', async () => {
    const { running } = await mount({ entityName: 'msdyn_workorder', entityId: WO3 });
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Field progress · WO-00003');
    expect(screen.getByTestId('summary-completed').textContent).toContain('Bookings completed0 of 2');
    expect(screen.getByTestId('summary-status').textContent).toContain('In Progress');
    const cards = screen.getAllByTestId('booking-card');
    // Named by work order and technician (cancelled bookings too, but they do not count).
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual(['WO-00003 · Cleo Park', 'WO-00003 · Dan Cancelled', 'WO-00003 · Eli Moss']);
    const cleo = cards[0] as HTMLElement;
    expect(within(cleo).getByText('Visit WO-00003')).toBeTruthy();
    const stepper = within(cleo).getByRole('list', { name: 'Stages of WO-00003 · Cleo Park' });
    const steps = within(stepper).getAllByRole('listitem');
    expect(steps.map((s) => s.getAttribute('data-state'))).toEqual(['done', 'passed', 'current', 'upcoming', 'upcoming']);
    expect(steps[2]?.getAttribute('aria-current')).toBe('step');
    expect(steps[2]?.textContent).toContain('current stage since 3/3/27, 10:40 PM');
    expect(steps[4]?.textContent).toContain('Complete / Incomplete');
    const eli = cards[2] as HTMLElement;
    expect(within(eli).getByText('Incomplete: Tower access road flooded')).toBeTruthy();
    expect(within(eli).getAllByRole('listitem')[4]?.getAttribute('data-stage')).toBe('Incomplete');
    expect(within(eli).getByText('2 h of 8 h planned')).toBeTruthy();
    const events = within(screen.getByRole('table', { name: 'Recent field events' })).getAllByRole('row');
    expect(events).toHaveLength(3);
    jest.useRealTimers(); // axe schedules its own work
    expect(await axe(running.result.container)).toHaveNoViolations();
    running.destroy();
  });

  it('refreshes on its interval while visible, pauses while the form hides it or the tab is in the background', async () => {
    const { running, api, ctx } = await mount({ entityName: 'msdyn_workorder', entityId: WO3 }, { refreshSeconds: 10 });
    const reads = (): number => api.requests('msdyn_workorder').length;
    expect(reads()).toBe(1);
    await advance(10_000);
    expect(reads()).toBe(2);
    await advance(10_000);
    await advance(10_000);
    expect(reads()).toBe(4);

    // The form collapses the section: context.mode.isVisible false.
    ctx.setVisible(false);
    await running.update();
    await advance(60_000);
    expect(reads()).toBe(4);
    ctx.setVisible(true);
    await running.update();
    expect(reads()).toBe(5); // stale: reads at once

    // The browser tab goes to the background.
    documentState = 'hidden';
    await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
    await advance(60_000);
    expect(reads()).toBe(5);
    documentState = 'visible';
    await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
    await flush();
    expect(reads()).toBe(6);
    await advance(10_000);
    expect(reads()).toBe(7);
    running.destroy();
  });

  it('shows an error it can retry, and keeps the last figures when a later refresh fails', async () => {
    const api = fieldData();
    api.failWith = new Error('The user is not a member of the organization.');
    const { running } = await mount({ entityName: 'msdyn_workorder', entityId: WO3 }, { api, refreshSeconds: 10 });
    expect(screen.getByText('The field progress could not be read: The user is not a member of the organization.')).toBeTruthy();
    api.failWith = null;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await flush();
    expect(screen.getAllByTestId('booking-card')).toHaveLength(3);
    api.failWith = new Error('Number of requests exceeded the limit of 6000 over time window of 300 seconds.');
    await advance(10_000);
    expect(screen.getAllByTestId('booking-card')).toHaveLength(3);
    expect(screen.getByText(/the latest refresh failed \(Number of requests exceeded/)).toBeTruthy();
    running.destroy();
  });

  it('says when a task has not gone to the field, when the form is not supported, and when the record is new', async () => {
    const notSynced = await mount({ entityName: 'msdyn_projecttask', entityId: tasks[5]?.id as string });
    expect(screen.getByText(/has not been sent to the field yet/)).toBeTruthy();
    notSynced.running.destroy();
    const other = await mount({ entityName: 'account', entityId: guid('account', 1) });
    expect(screen.getByText('Add this panel to a work order, task sync, project task or project form.')).toBeTruthy();
    expect(other.api.calls).toHaveLength(0);
    other.running.destroy();
    const unsaved = await mount({ entityName: 'msdyn_workorder', entityId: '' });
    expect(screen.getByText('Save the record to see its field progress.')).toBeTruthy();
    unsaved.running.destroy();
  });

  it('shows a task sync with its roll-up and no bookings yet', async () => {
    const api = fieldData();
    api.set(bookableresourcebooking.logicalName, []);
    const { running } = await mount({ entityName: 'pfb_tasksync', entityId: guid('tasksync', 2) }, { api });
    expect(screen.getByTestId('summary-percent').textContent).toContain('50%');
    expect(screen.getByTestId('summary-completed').textContent).toContain('Work orders completed1 of 2');
    expect(screen.getByTestId('summary-variance').textContent).toContain('9 h under the estimate (56.3%)');
    expect(screen.getByText(/No bookings yet/)).toBeTruthy();
    jest.useRealTimers(); // axe schedules its own work
    expect(await axe(running.result.container)).toHaveNoViolations();
    running.destroy();
  });
});
