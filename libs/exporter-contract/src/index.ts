export * from './config-schema';
export * from './description';
export * from './errors';
export * from './members';
export * from './plugin';
