import {
  DataverseCodes,
  DataverseErrorKind,
  isDataverseError,
} from '@audience-sync/dataverse-client';
import {
  DestinationError,
  DestinationErrorCode,
  type MemberOutcome,
} from '@audience-sync/exporter-contract';
import { groupKeys } from './contact-ids';
import type { MarketingLists } from './marketing-lists';

/** Times a chunk is resent after contacts vanished between the lookup and the resend. */
const MAX_ISOLATION_ROUNDS = 3;

/**
 * Applies one chunk (≤ 1,000 members) of adds or removes to a list and answers each member's
 * outcome. When Dataverse refuses the chunk because some contacts do not exist, one lookup finds
 * which ones exist and the chunk is resent without the others: the rest still lands, at two extra
 * requests per affected chunk, never one request per member.
 */
export class MemberWriter {
  constructor(
    private readonly lists: MarketingLists,
    private readonly listId: string,
  ) {}

  add(keys: readonly string[]): Promise<MemberOutcome[]> {
    return this.apply('add', keys);
  }

  remove(keys: readonly string[]): Promise<MemberOutcome[]> {
    return this.apply('remove', keys);
  }

  private async apply(kind: 'add' | 'remove', keys: readonly string[]): Promise<MemberOutcome[]> {
    const { byId, invalid } = groupKeys(keys);
    const outcomes: MemberOutcome[] = invalid.map((key) => ({
      key,
      outcome: 'skipped',
      reason: 'invalid-key',
      message: `"${key}" is not a contact id (a GUID).`,
    }));
    let pending = [...byId.keys()];
    const missing: string[] = [];
    for (let round = 0; pending.length > 0; round += 1) {
      try {
        if (kind === 'add') await this.lists.addMembers(this.listId, pending);
        else await this.lists.removeMembers(this.listId, pending);
        break;
      } catch (error) {
        if (!mayBeMissingContacts(error) || round >= MAX_ISOLATION_ROUNDS) throw error;
        const existing = await this.lists.existingContacts(pending);
        if (existing.size === pending.length) {
          // Every contact exists, so the list itself is what is missing.
          throw new DestinationError(
            DestinationErrorCode.NOT_FOUND,
            `The marketing list ${this.listId} was deleted in Sales during the export; it is created again at the next export.`,
            true,
            { cause: error },
          );
        }
        missing.push(...pending.filter((id) => !existing.has(id)));
        pending = pending.filter((id) => existing.has(id));
      }
    }
    const missingSet = new Set(missing);
    for (const [id, group] of byId) {
      for (const key of group) {
        if (!missingSet.has(id)) {
          outcomes.push({ key, outcome: kind === 'add' ? 'exported' : 'removed' });
        } else if (kind === 'add') {
          outcomes.push({
            key,
            outcome: 'skipped',
            reason: 'not-found',
            message: `Contact ${id} does not exist in Sales.`,
          });
        } else {
          // A deleted contact has left every list: it is no longer a member.
          outcomes.push({ key, outcome: 'removed' });
        }
      }
    }
    return outcomes;
  }
}

function mayBeMissingContacts(error: unknown): boolean {
  return (
    isDataverseError(error) &&
    (error.code === DataverseCodes.NOT_FOUND ||
      (error.kind === DataverseErrorKind.NOT_FOUND && error.code === undefined))
  );
}
