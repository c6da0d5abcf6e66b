/** The local Dataverse, for the sandbox, tests and benchmarks. */
export { startDataverse, SANDBOX_ADMIN } from './start';
export { applicationToken } from './auth';
export type { RunningDataverse, StartOptions, StartSolution } from './start';
export type { ImportResult } from './solutions/importSolution';
export { LiveSchema } from './metadata/liveSchema';
export { platformBaseline } from './metadata/platformBaseline';
export { LocalDataverse } from './dataverse';
export { REAL_LIMITS } from './limits/serviceProtection';
export type { LimitSettings } from './limits/serviceProtection';
export { InjectedFaults } from './limits/injectedFaults';
export type { FailureBurst, RetryAfterViolation, ThrottleStorm } from './limits/injectedFaults';
export { DataverseError } from './protocol/errors';
export type { Attributes, EntityReference } from './store/types';
export { BOOKING_STATUS_IDS, BRIDGE_APP_ID, BRIDGE_APP_USER_ID, SANDBOX_USER_ID, SDK_MESSAGE_IDS, sdkMessageFilterId } from './seed/baseline';
export { seedRecords, isSeedKind } from './seed';
export type { SeedKind } from './seed';
/** Mutual TLS on 127.0.0.1: the test PKI, the mobility app simulator and the Key Vault stand-in. */
export * from '../../pki';
export * from '../../mobility';
export * from '../../keyvault';
