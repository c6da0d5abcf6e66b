/**
 * The setup command's failures, each naming the cause and the next step, against a stand-in for an environment that
 * lacks something (the success path and idempotency run against the local Dataverse in test/solution/setup.test.ts).
 */
import { runSetup, SetupError } from './setup';
import { createWebApi, serviceRootOf } from './webApi';

const TOKEN = 'token-that-must-never-be-printed';

/** A fetch answering like Dataverse: JSON bodies, the error body, 404 "Resource not found for the segment" for missing tables. */
function environment(answer: (path: string) => { status: number; body?: unknown } | undefined): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/data\/v9\.2\//, '') + url.search);
    const a = answer(path) ?? { status: 200, body: { value: [] } };
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
}

const missingTable = (segment: string): { status: number; body: unknown } => ({ status: 404, body: { error: { code: '0x8006088a', message: `Resource not found for the segment '${segment}'.` } } });

async function failure(f: typeof fetch): Promise<SetupError> {
  try {
    await runSetup(createWebApi('https://contoso.crm.dynamics.com', TOKEN, f), { webhookKey: 'a-webhook-key-1234567' });
  } catch (e) {
    if (e instanceof SetupError) {
      expect(`${e.message}${e.reason}${e.next}`).not.toContain(TOKEN);
      expect(`${e.message}`).not.toContain('a-webhook-key-1234567');
      return e;
    }
    throw e;
  }
  throw new Error('setup did not fail');
}

it('builds the service root from an environment URL or takes one as given', () => {
  expect(serviceRootOf('https://contoso.crm.dynamics.com')).toBe('https://contoso.crm.dynamics.com/api/data/v9.2');
  expect(serviceRootOf('https://contoso.crm.dynamics.com/api/data/v9.1/')).toBe('https://contoso.crm.dynamics.com/api/data/v9.1');
});

it('a refused token: says so and how to get one, without printing it', async () => {
  const e = await failure(environment(() => ({ status: 401, body: { error: { code: '', message: 'unauthorized' } } })));
  expect(e.reason).toMatch(/refused the token \(HTTP 401\)/);
  expect(e.next).toMatch(/az account get-access-token --resource https:\/\/contoso\.crm\.dynamics\.com/);
});

it('an unreachable environment: says which URL to check', async () => {
  const down = (async () => {
    throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND contoso.crm.dynamics.com' } });
  }) as unknown as typeof fetch;
  const e = await failure(down);
  expect(e.reason).toMatch(/cannot reach https:\/\/contoso\.crm\.dynamics\.com\/api\/data\/v9\.2/);
  expect(e.next).toMatch(/check --url/);
});

it('no Project Operations: names it and how to install it', async () => {
  const e = await failure(environment((p) => (p.startsWith('msdyn_projecttasks') ? missingTable('msdyn_projecttasks') : undefined)));
  expect(e.reason).toMatch(/Project Operations is not installed/);
  expect(e.next).toMatch(/install Project Operations from the Power Platform admin center/);
});

it('no Field Service (booking statuses lack the Field Service status): names it', async () => {
  const e = await failure(
    environment((p) =>
      p.startsWith('bookingstatuses?$select=msdyn_fieldservicestatus')
        ? { status: 400, body: { error: { code: '0x80060888', message: "Could not find a property named 'msdyn_fieldservicestatus' on type 'Microsoft.Dynamics.CRM.bookingstatus'." } } }
        : undefined,
    ),
  );
  expect(e.reason).toMatch(/Field Service is not installed/);
});

it('the solution not imported yet: says which zip to import', async () => {
  const e = await failure(environment(() => undefined));
  expect(e.reason).toBe('The ProjectFieldBridge solution is not imported in this environment.');
  expect(e.next).toMatch(/import solution\/dist\/ProjectFieldBridge_\d+_\d+_\d+_\d+_managed\.zip/);
});
