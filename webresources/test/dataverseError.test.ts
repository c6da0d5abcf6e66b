/** Dataverse failures as the client API reports them → what a coordinator reads (record, cause, next step). */
import { readDataverseError } from '../src/platform/dataverseError';
import { describeFailure } from '../src/platform/failureText';
import { createStrings } from '../src/strings/localize';

const strings = createStrings(1033);
const TASK = '0eda7bbc-09ee-54f4-99f1-5aea0f13a66d';

describe('readDataverseError', () => {
  it('reads the client API error object: errorCode as a positive decimal of the hex code (execute.md)', () => {
    const f = readDataverseError({ errorCode: 2147746327, message: `msdyn_projecttask With Id = ${TASK.toUpperCase()} Does Not Exist` });
    expect(f).toMatchObject({ kind: 'notFound', code: '0x80040217', recordIds: [TASK] });
  });

  it('reads negative codes, hex strings and the raw error body', () => {
    expect(readDataverseError({ errorCode: -2147220969, message: 'x' }).code).toBe('0x80040217');
    expect(readDataverseError({ message: 'x', code: '0x80040220' }).kind).toBe('privilege');
    const raw = readDataverseError({ raw: JSON.stringify({ error: { code: '0x80060882', message: 'The version of the existing record doesn\'t match the RowVersion property provided.' } }) });
    expect(raw).toMatchObject({ kind: 'conflict', code: '0x80060882', message: 'The version of the existing record doesn\'t match the RowVersion property provided.' });
  });

  it('tells the service protection limits apart, with Retry-After in whole seconds', () => {
    for (const code of [0x80072322, 0x80072321, 0x80072326]) expect(readDataverseError({ errorCode: code, message: 'limit' }).kind).toBe('throttled');
    expect(readDataverseError({ errorCode: 0, httpStatusCode: 429, retryAfterSeconds: 12.2, message: 'Too many requests' })).toMatchObject({ kind: 'throttled', retryAfterSeconds: 13 });
  });

  it('classifies by HTTP status when there is no code, and a failed fetch as a network problem', () => {
    expect(readDataverseError({ httpStatusCode: 403, message: 'Forbidden' }).kind).toBe('privilege');
    expect(readDataverseError({ httpStatusCode: 412, message: 'Precondition Failed' }).kind).toBe('conflict');
    expect(readDataverseError({ httpStatusCode: 400, message: 'Bad Request' }).kind).toBe('invalid');
    expect(readDataverseError(new TypeError('Failed to fetch')).kind).toBe('network');
    expect(readDataverseError({ httpStatusCode: 0, message: 'Dataverse could not be reached' }).kind).toBe('network');
    expect(readDataverseError({ httpStatusCode: 500, message: 'Generic SQL error.' }).kind).toBe('unknown');
    expect(readDataverseError('odd').message).toBe('odd');
  });
});

describe('describeFailure', () => {
  it('names the task Dataverse names, quotes the cause with its code, and gives the next step', () => {
    const text = describeFailure(readDataverseError({ errorCode: 0x80040217, message: `msdyn_projecttask With Id = ${TASK} Does Not Exist` }), strings, {
      action: 'readyToSync',
      count: 12,
      taskNames: new Map([[TASK, 'Install 5G AAU & RRU']]),
    });
    expect(text.split('\n\n')).toEqual([
      'Nothing was marked Ready to Sync: Dataverse refused the change, so none of the 12 tasks was queued.',
      'It concerns task “Install 5G AAU & RRU”.',
      `Cause: msdyn_projecttask With Id = ${TASK} Does Not Exist (error 0x80040217)`,
      'A record it needs was deleted or is no longer shared with you. Refresh the list, check the task still exists, then try again.',
    ]);
  });

  it.each([
    [{ errorCode: 0x80040220, message: 'Principal user is missing prvCreatepfb_tasksync privilege' }, 'Ask your administrator for the Project Field Bridge Coordinator role'],
    [{ httpStatusCode: 429, errorCode: 0x80072322, retryAfterSeconds: 37, message: 'Number of requests exceeded the limit' }, 'Wait 37 seconds, then try again.'],
    [{ httpStatusCode: 429, errorCode: 0x80072326, message: 'Number of concurrent requests exceeded the limit' }, 'Wait a minute, then try again.'],
    [new TypeError('Failed to fetch'), 'Check your connection, then try again.'],
    [{ errorCode: 0x80060882, message: 'version mismatch' }, 'Refresh the list, then try again.'],
    [{ errorCode: 0x80044331, message: 'A validation error occurred.' }, 'Correct the task named above, then try again.'],
    [{ httpStatusCode: 500, message: 'Something broke' }, 'If it keeps failing, send this message to your administrator.'],
  ])('next step for %j', (error, next) => {
    const text = describeFailure(readDataverseError(error), strings, { action: 'cancel', count: 2, taskNames: new Map() });
    expect(text.startsWith('No field work was cancelled: Dataverse refused the change, so none of the 2 tasks changed.')).toBe(true);
    expect(text).toContain(next);
    expect(text).not.toContain('It concerns task');
  });
});
