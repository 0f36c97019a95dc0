import { AppSettings1764400000000 } from './1764400000000-app-settings';
import { SourcesAndCustomers1764400100000 } from './1764400100000-sources-and-customers';

/** Every migration, oldest first. A new migration is appended here (timestamps order them). */
export const MIGRATIONS = [AppSettings1764400000000, SourcesAndCustomers1764400100000];
