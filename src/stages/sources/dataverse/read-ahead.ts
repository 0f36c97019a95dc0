/**
 * Iterates `source` one item ahead: the next item is asked for as soon as the current one is
 * handed out, so the next page downloads while the current one is written. An early stop leaves
 * the request in flight to finish on its own (its failure, if any, is ignored).
 */
export async function* readAhead<T>(source: AsyncIterator<T>): AsyncGenerator<T> {
  let next = source.next();
  for (;;) {
    const item = await next;
    if (item.done === true) return;
    next = source.next();
    next.catch(() => undefined);
    yield item.value;
  }
}
