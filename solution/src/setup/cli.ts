/**
 * `npm run setup -- --url <environment URL> [--bridge-url <bridge origin>] [--webhook-key <key>] [--mobility-url <url>]
 * [--token <bearer token>]`
 *
 * Secrets may come from the environment instead of the command line (and stay out of shell history):
 * DATAVERSE_TOKEN for --token, PFB_WEBHOOK_KEY for --webhook-key. Neither is ever printed.
 * Exit 0 when the environment is set up (warnings say what is still to do), 1 on a failure, 2 on a bad argument.
 */
import { parseArgs } from 'node:util';
import { runSetup, SetupError } from './setup';
import { createWebApi, serviceRootOf, WebApiError } from './webApi';

const USAGE = 'Usage: npm run setup -- --url <https://org.crm.dynamics.com> [--bridge-url <https://bridge>] [--webhook-key <key>] [--mobility-url <url>] [--token <token>]';

function badArgument(message: string): never {
  process.stderr.write(`setup: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** An absolute http(s) origin without query or fragment; http only for this machine. */
function checkOrigin(flag: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return badArgument(`--${flag} '${value}' is not an absolute URL.`);
  }
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) badArgument(`--${flag} must be https (http only for 127.0.0.1/localhost), not ${u.protocol}//${u.host}.`);
  if (u.search || u.hash) badArgument(`--${flag} must have no query or fragment: the key goes in --webhook-key.`);
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        'bridge-url': { type: 'string' },
        'webhook-key': { type: 'string' },
        'mobility-url': { type: 'string' },
        token: { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    badArgument((e as Error).message);
  }
  if (!values.url) badArgument('--url is required: the environment URL, e.g. https://contoso.crm.dynamics.com');
  let serviceRoot: string;
  try {
    serviceRoot = serviceRootOf(values.url);
  } catch (e) {
    badArgument(`--url '${values.url}': ${(e as Error).message}`);
  }
  const token = values.token ?? process.env['DATAVERSE_TOKEN'];
  if (!token) {
    badArgument(
      `no token: pass --token or set DATAVERSE_TOKEN (for example: DATAVERSE_TOKEN=$(az account get-access-token --resource ${new URL(serviceRoot).origin} --query accessToken -o tsv)).`,
    );
  }
  const webhookKey = values['webhook-key'] ?? process.env['PFB_WEBHOOK_KEY'];
  if (webhookKey !== undefined && (webhookKey.trim() === '' || /\s/.test(webhookKey))) badArgument('the webhook key is empty or contains spaces.');
  const bridgeUrl = values['bridge-url'] ? checkOrigin('bridge-url', values['bridge-url']) : undefined;
  const mobilityUrl = values['mobility-url'] ? checkOrigin('mobility-url', values['mobility-url']) : undefined;

  process.stdout.write(`Project Field Bridge setup for ${serviceRoot}\n`);
  try {
    const report = await runSetup(createWebApi(serviceRoot, token), { bridgeUrl, webhookKey, variables: { 'bridge-url': bridgeUrl, 'mobility-url': mobilityUrl } });
    for (const c of report.checks) process.stdout.write(`ok: ${c}\n`);
    for (const c of report.changes) process.stdout.write(`changed: ${c}\n`);
    for (const w of report.warnings) process.stdout.write(`to do: ${w}\n`);
    process.stdout.write(report.changes.length ? `Setup done: ${report.changes.length} change(s).\n` : 'Setup done: nothing needed changing.\n');
  } catch (e) {
    if (e instanceof SetupError) {
      process.stderr.write(`setup failed: ${e.reason}\nnext: ${e.next}\n`);
    } else if (e instanceof WebApiError) {
      process.stderr.write(`setup failed: ${e.message}\nnext: fix the cause Dataverse names above, then run setup again (it only changes what is still missing).\n`);
    } else {
      process.stderr.write(`setup failed: ${(e as Error).message}\n`);
    }
    process.exit(1);
  }
}

void main();
