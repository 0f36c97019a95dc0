import { PackedBatchBuilder, PackedBatchReader, transferList } from './packed-batch';

describe('packed batches', () => {
  it('round-trips values, including non-ASCII text and a missing last-modified time', () => {
    const builder = new PackedBatchBuilder(16); // small, so the buffer has to grow
    builder.add('k1', '{"name":"Zoë ✓ 😀"}', '{}', '2024-05-01T10:00:00.000Z', 2);
    builder.add('k2', '{}', '{"Notes":"line\\nbreak"}', null, 4);
    builder.add('k3', `{"long":"${'x'.repeat(5000)}"}`, '{}', null, 5);
    expect(builder.size).toBe(3);
    const batch = builder.take();
    expect(builder.size).toBe(0);
    expect(batch.keys).toEqual(['k1', 'k2', 'k3']);
    expect([...batch.lines]).toEqual([2, 4, 5]);
    expect(batch.maybeSeen).toEqual([]);
    const reader = new PackedBatchReader(batch);
    expect(reader.value(0, 0)).toBe('{"name":"Zoë ✓ 😀"}');
    expect(reader.value(0, 2)).toBe('2024-05-01T10:00:00.000Z');
    expect(reader.value(1, 1)).toBe('{"Notes":"line\\nbreak"}');
    expect(reader.value(1, 2)).toBe('');
    expect(reader.value(2, 0)).toHaveLength(5011);
    const bytes = reader.bytes(0, 0);
    expect(bytes.toString('utf8')).toBe('{"name":"Zoë ✓ 😀"}');
    expect(bytes.buffer).toBe(batch.bytes.buffer); // a view, not a copy
    expect(reader.bytes(0, 0).byteOffset).toBe(batch.bytes.byteOffset);
    expect(reader.bytes(1, 2)).toHaveLength(0);
  });

  it('hands over buffers of its own that can be transferred', () => {
    const builder = new PackedBatchBuilder();
    builder.add('k', '{}', '{}', null, 2);
    const batch = builder.take();
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(batch, transferList(batch));
    expect(batch.bytes.byteLength).toBe(0); // detached: moved, not copied
    port1.close();
    port2.close();
  });
});
