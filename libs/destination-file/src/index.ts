export * from './description';
export * from './export-folder';
export * from './file-destination';
export * from './file-name';
