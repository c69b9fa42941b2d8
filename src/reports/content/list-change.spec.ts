import { listChange } from './list-change';

describe('change since the last run', () => {
  it('names who is new on the list and who left it, in list order', () => {
    const before = [
      { id: 'A', name: 'Alpha' },
      { id: 'B', name: 'Beta' },
    ];
    const now = [
      { id: 'C', name: 'Gamma' },
      { id: 'A', name: 'Alpha' },
      { id: 'D', name: 'Delta' },
    ];
    expect(listChange(before, now)).toEqual({
      newOnList: [
        { id: 'C', name: 'Gamma' },
        { id: 'D', name: 'Delta' },
      ],
      leftList: [{ id: 'B', name: 'Beta' }],
    });
    expect(listChange(now, now)).toEqual({ newOnList: [], leftList: [] });
  });
});
