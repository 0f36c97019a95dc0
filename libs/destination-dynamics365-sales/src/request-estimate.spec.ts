import type { SegmentExportPlan } from '@audience-sync/exporter-contract';
import { estimateRequests } from './request-estimate';

function plan(p: Partial<SegmentExportPlan>): SegmentExportPlan {
  return {
    destination: { id: 'd', displayName: 'Sales', config: {} },
    segment: { id: 's', name: 'Buyers', description: null },
    syncMode: 'mirror',
    state: {},
    toAdd: 0,
    toRemove: 0,
    listSize: 0,
    members: 0,
    ...p,
  };
}

describe('estimateRequests', () => {
  const listed = { listId: 'l', listConfirmed: true, segmentName: 'Buyers' };

  it('a first export creates the list and adds 1,000 members per request', () => {
    expect(estimateRequests(plan({ toAdd: 2100 }))).toBe(4);
  });

  it('a later export reads the list, sends the chunks and updates the description', () => {
    expect(estimateRequests(plan({ state: listed, toAdd: 150, toRemove: 100 }))).toBe(4);
    expect(estimateRequests(plan({ state: listed, toRemove: 1001 }))).toBe(4);
  });

  it('an unchanged export only reads the list, unless the segment was renamed', () => {
    expect(estimateRequests(plan({ state: listed }))).toBe(1);
    expect(estimateRequests(plan({ state: { ...listed, segmentName: 'Old name' } }))).toBe(2);
  });
});
