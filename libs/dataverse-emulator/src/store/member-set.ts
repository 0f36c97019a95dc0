import { GrowableUint32, Uint32Map } from './int-arrays';

const HOLE = 0xffffffff;

/**
 * The members of one list: contact row indexes in the order they were added. Membership is a
 * hash map (index → sequence number); the order is two parallel arrays sorted by sequence, with
 * holes for removed members (compacted when they outnumber the members), so a page of members
 * resumes after a sequence number by binary search instead of walking from the start. All of it
 * lives in typed arrays (see int-arrays.ts).
 */
export class MemberSet {
  private readonly seqOf = new Uint32Map();
  private slots = new GrowableUint32();
  private slotSeq = new GrowableUint32();
  private nextSeq = 1;
  private holes = 0;

  get size(): number {
    return this.seqOf.size;
  }

  has(contact: number): boolean {
    return this.seqOf.has(contact);
  }

  /** Adds a member; false when it was one already. */
  add(contact: number): boolean {
    if (this.seqOf.has(contact)) return false;
    const seq = this.nextSeq;
    this.nextSeq += 1;
    this.seqOf.set(contact, seq);
    this.slots.push(contact);
    this.slotSeq.push(seq);
    return true;
  }

  /** Removes a member; false when it was not one. */
  remove(contact: number): boolean {
    const seq = this.seqOf.get(contact);
    if (seq === undefined) return false;
    this.seqOf.delete(contact);
    this.slots.set(this.slotOf(seq), HOLE);
    this.holes += 1;
    if (this.holes > 1024 && this.holes * 2 > this.slots.length) this.compact();
    return true;
  }

  /** Members after sequence `afterSeq`, in order. */
  *after(afterSeq: number): Generator<{ contact: number; seq: number }> {
    for (let slot = this.slotOf(afterSeq + 1); slot < this.slots.length; slot += 1) {
      const contact = this.slots.get(slot);
      if (contact !== HOLE) yield { contact, seq: this.slotSeq.get(slot) };
    }
  }

  /**
   * The members after sequence `afterSeq`, one call at a time: `next()` gives the next contact
   * (-1 at the end), `seq()` the sequence of the one it gave last. No object per member, for
   * pages of thousands.
   */
  cursorAfter(afterSeq: number): { next(): number; seq(): number } {
    let slot = this.slotOf(afterSeq + 1) - 1;
    let seq = afterSeq;
    return {
      next: () => {
        for (slot += 1; slot < this.slots.length; slot += 1) {
          const contact = this.slots.get(slot);
          if (contact !== HOLE) {
            seq = this.slotSeq.get(slot);
            return contact;
          }
        }
        return -1;
      },
      seq: () => seq,
    };
  }

  *[Symbol.iterator](): Generator<number> {
    for (let slot = 0; slot < this.slots.length; slot += 1) {
      const contact = this.slots.get(slot);
      if (contact !== HOLE) yield contact;
    }
  }

  /** First slot whose sequence is ≥ seq. */
  private slotOf(seq: number): number {
    let lo = 0;
    let hi = this.slotSeq.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.slotSeq.get(mid) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    const slots = new GrowableUint32(Math.max(1024, this.size));
    const seqs = new GrowableUint32(Math.max(1024, this.size));
    for (let i = 0; i < this.slots.length; i += 1) {
      const contact = this.slots.get(i);
      if (contact !== HOLE) {
        slots.push(contact);
        seqs.push(this.slotSeq.get(i));
      }
    }
    this.slots = slots;
    this.slotSeq = seqs;
    this.holes = 0;
  }

  toJSON(): number[] {
    return [...this];
  }
}
