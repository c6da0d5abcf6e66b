export { NO_EXTREME, extremeOf, replaceExtreme, type Extreme } from './extreme';
export { RescanRequiredError } from './rescan';
export * from './bookingRollup';
export * from './workOrderRollup';
export * from './taskRollup';
export * from './projectRollup';
export * from './columns';
export * from './rollupIndex';
