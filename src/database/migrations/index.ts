import { AppSettings1764400000000 } from './1764400000000-app-settings';

/** Every migration, oldest first. A new migration is appended here. */
export const MIGRATIONS = [AppSettings1764400000000];
