export * from './fieldStage';
export * from './eventTime';
export * from './fieldEvent';
export * from './bookingLifecycle';
