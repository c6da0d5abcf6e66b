export * from './odata';
export * from './format';
export * from './strings';
export * from './theme';
export * from './platform';
