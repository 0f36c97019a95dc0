export { CONFIG_SCHEMA, DESCRIPTION, DYNAMICS_SALES_TYPE } from './description';
export { DynamicsSalesDestination, type DynamicsSalesOptions } from './dynamics-sales-destination';
export { listDescription, listName, truncate } from './list-text';
export { MEMBERS_PER_REQUEST } from './segment-exporter';
