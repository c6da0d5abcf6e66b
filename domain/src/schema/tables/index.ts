export * from './pfb';
export * from './fieldservice';
export * from './projectoperations';
export * from './platform';
export * from './activities';
