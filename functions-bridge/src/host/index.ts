/** The bridge's local host (Functions host semantics over node:http and Azurite) and its Azurite helper. */
export { startLocalHost } from './localHost';
export type { LocalHost, LocalHostOptions } from './localHost';
export { startAzurite, azuriteConnectionString } from './azurite';
export type { AzuriteOptions, RunningAzurite } from './azurite';
export { QueuePoller } from './queuePoller';
export type { QueuePollerOptions, ReceivedMessage } from './queuePoller';
export { serveHttpFunctions, PortInUseError, MAX_REQUEST_BYTES } from './httpServer';
export type { HttpServerOptions, RunningHttpServer } from './httpServer';
export { readHostJson, queueSettingsMismatch } from './hostJson';
export type { QueueHostSettings } from './hostJson';
export { startFromCli, parseArgs, parseEnvFile, describeStartFailure } from './cli';
export type { CliIo, CliOptions, RunningCli } from './cli';
