import { ContactStore } from '../store/contact-store';
import { ListStore } from '../store/list-store';
import { VersionClock } from '../store/version-clock';
import { PrivilegeSettings } from './privileges';

/** The Dataverse organization: its tables and the settings the Web API handlers read. */
export class Org {
  readonly clock = new VersionClock();
  readonly contacts: ContactStore;
  readonly lists: ListStore;
  readonly privileges = new PrivilegeSettings();
  /** Delta tokens older than this version are refused as expired (the delta-token fault). */
  deltaTokenFloor = 0;

  constructor(
    readonly seed: number,
    private readonly origin: () => string,
    readonly ids: { organizationId: string; businessUnitId: string },
  ) {
    this.contacts = new ContactStore(seed, this.clock);
    this.lists = new ListStore(seed, this.clock);
    this.contacts.onDelete = (index) => {
      this.lists.dropContact(index);
    };
  }

  get orgUrl(): string {
    return this.origin();
  }

  /** `https://host/api/data/v9.2`. */
  apiBase(version: string): string {
    return `${this.origin()}/api/data/${version}`;
  }
}
