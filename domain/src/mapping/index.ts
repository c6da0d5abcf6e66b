export * from './fieldStageChoice';
export * from './bookingStatus';
export * from './workOrderStatus';
export * from './fieldStatus';
