/**
 * The Azure Functions entry point (package.json "main"): importing the function modules registers every function
 * with the host (Node.js v4 programming model). Inside the host the Bridge is composed at once, so the settings are
 * validated (and telemetry started) at start-up: a bad setting is logged then, by name, and every invocation answers
 * with the same sentence until it is fixed.
 */
import { SettingsError } from './config/settings';
import { functionsBridge, insideFunctionsHost } from './app/functionsHost';

export * from './functions';

if (insideFunctionsHost()) {
  functionsBridge().catch((e: unknown) => {
    console.error(`Bridge not configured: ${e instanceof SettingsError ? e.problems.join('; ') : e instanceof Error ? e.message : String(e)}`);
  });
}
