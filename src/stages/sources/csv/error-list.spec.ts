import { ErrorList } from './error-list';

describe('ErrorList', () => {
  it('keeps the errors with the smallest lines, whatever the order they come in', () => {
    const list = new ErrorList(3);
    for (const line of [50, 7, 30, 2, 90, 8, 1, 60]) list.add(line, `e${line}`);
    expect(list.list()).toEqual([
      { line: 1, message: 'e1' },
      { line: 2, message: 'e2' },
      { line: 7, message: 'e7' },
    ]);
  });

  it('keeps the first errors of a file read in order and merges other lists', () => {
    const list = new ErrorList(100);
    for (let line = 2; line < 1000; line++) list.add(line, 'x');
    list.addAll([{ line: 1, message: 'header-adjacent' }]);
    const kept = list.list();
    expect(kept).toHaveLength(100);
    expect(kept[0]).toEqual({ line: 1, message: 'header-adjacent' });
    expect(kept[99].line).toBe(100);
  });
});
