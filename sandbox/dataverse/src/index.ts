/** The local Dataverse, for the sandbox, tests and benchmarks. */
export { startDataverse, SANDBOX_ADMIN } from './start';
export type { RunningDataverse, StartOptions } from './start';
export { LocalDataverse } from './dataverse';
export { REAL_LIMITS } from './limits/serviceProtection';
export type { LimitSettings } from './limits/serviceProtection';
export { DataverseError } from './protocol/errors';
export type { Attributes, EntityReference } from './store/types';
