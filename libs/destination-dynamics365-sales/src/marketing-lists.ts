import {
  DataverseCodes,
  DataverseErrorKind,
  isDataverseError,
  type DataverseClient,
} from '@audience-sync/dataverse-client';

/** The columns of a marketing list the export reads. */
export interface MarketingList {
  listid: string;
  listname: string;
  /** 1 = account, 2 = contact, 4 = lead. */
  createdfromcode: number;
  /** true = dynamic. */
  type: boolean;
  /** 0 = active, 1 = inactive (read-only). */
  statecode: number;
  lockstatus: boolean;
  membercount: number | null;
  description: string | null;
}

export interface ListColumns {
  listname?: string;
  createdfromcode?: number;
  type?: boolean;
  source?: string;
  purpose?: string | null;
  description?: string;
}

const LIST_SELECT =
  'listid,listname,createdfromcode,type,statecode,lockstatus,membercount,description';

/** Contacts per lookup of which ids exist (one `$batch` GET; the URL inside may be 64 KB). */
export const LOOKUP_CHUNK = 1000;

/**
 * The marketing-list operations of the export, on the Dataverse client: reads, create/update,
 * the two member actions, member paging and the existence lookup of contacts.
 */
export class MarketingLists {
  constructor(
    private readonly client: DataverseClient,
    private readonly signal: AbortSignal,
  ) {}

  /** The list, or null when it does not exist (deleted in Sales). */
  async get(listId: string): Promise<MarketingList | null> {
    try {
      return await this.client.getJson<MarketingList>(`lists(${listId})?$select=${LIST_SELECT}`, {
        signal: this.signal,
      });
    } catch (error) {
      if (isDataverseError(error) && error.kind === DataverseErrorKind.NOT_FOUND) return null;
      throw error;
    }
  }

  /**
   * Creates the list with an id chosen here, so a retry after a dropped connection cannot make a
   * second list: Dataverse then answers "duplicate record", which means the first try landed.
   */
  async create(listId: string, columns: ListColumns): Promise<void> {
    try {
      await this.client.post(
        'lists',
        { listid: listId, ...columns },
        { signal: this.signal, idempotent: true },
      );
    } catch (error) {
      if (isDataverseError(error) && error.code === DataverseCodes.DUPLICATE_RECORD) return;
      throw error;
    }
  }

  async update(listId: string, columns: ListColumns): Promise<void> {
    await this.client.patch(`lists(${listId})`, columns, {
      signal: this.signal,
      headers: { 'If-Match': '*' },
    });
  }

  /** AddListMembersList: adding a member twice keeps one membership, so resending is safe. */
  async addMembers(listId: string, contactIds: readonly string[]): Promise<void> {
    await this.client.post('AddListMembersList', memberAction(listId, contactIds), {
      signal: this.signal,
      idempotent: true,
    });
  }

  /** RemoveListMembersList: removing a non-member does nothing, so resending is safe. */
  async removeMembers(listId: string, contactIds: readonly string[]): Promise<void> {
    await this.client.post('RemoveListMembersList', memberAction(listId, contactIds), {
      signal: this.signal,
      idempotent: true,
    });
  }

  /** The list's contact ids, a page (≤ 5,000) at a time: one request per page. */
  async *memberIds(listId: string): AsyncGenerator<string[]> {
    for await (const page of this.client.pages<{ contactid: string }>(
      `lists(${listId})/listcontact_association?$select=contactid`,
      { maxPageSize: 5000, signal: this.signal },
    )) {
      yield page.rows.map((row) => row.contactid.toLowerCase());
    }
  }

  /**
   * Which of `contactIds` (≤ {@link LOOKUP_CHUNK}, lower-case) exist: one `$batch` request
   * holding `contacts?$filter=Microsoft.Dynamics.CRM.In(…)`, whose URL is too long to send alone.
   */
  async existingContacts(contactIds: readonly string[]): Promise<Set<string>> {
    if (contactIds.length > LOOKUP_CHUNK) {
      throw new RangeError(`look up at most ${LOOKUP_CHUNK} contacts at once`);
    }
    const values = contactIds.map((id) => `'${id}'`).join(',');
    const filter = encodeURIComponent(
      `Microsoft.Dynamics.CRM.In(PropertyName='contactid',PropertyValues=[${values}])`,
    );
    const answers = await this.client.batch(
      [
        {
          method: 'GET',
          url: `contacts?$select=contactid&$filter=${filter}`,
          headers: { Accept: 'application/json', Prefer: 'odata.maxpagesize=5000' },
        },
      ],
      { signal: this.signal, idempotent: true },
    );
    const answer = answers.at(0);
    if (answer === undefined) throw new Error('the $batch answer holds no response');
    if (answer.error) throw answer.error;
    const page = JSON.parse(answer.body) as { value?: Array<{ contactid: string }> };
    return new Set((page.value ?? []).map((row) => row.contactid.toLowerCase()));
  }
}

function memberAction(listId: string, contactIds: readonly string[]): unknown {
  return {
    List: { listid: listId, '@odata.type': 'Microsoft.Dynamics.CRM.list' },
    Members: contactIds.map((id) => ({
      contactid: id,
      '@odata.type': 'Microsoft.Dynamics.CRM.contact',
    })),
  };
}
