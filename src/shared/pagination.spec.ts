import { DomainError } from './errors';
import { decodeCursor, encodeCursor } from './pagination';

describe('decodeCursor', () => {
  it('returns the key a page handed out', () => {
    const key = ['2024-03-01', 42];
    expect(decodeCursor(encodeCursor(key), ['date', 'id'])).toEqual(key);
    const instant = ['2026-11-22T10:00:01.250Z', '0b6f1c2e-2a7b-4d7e-9a55-2f7f2f0f6a11'];
    expect(decodeCursor(encodeCursor(instant), ['timestamp', 'uuid'])).toEqual(instant);
    expect(decodeCursor(encodeCursor(['-Infinity', 'C1']), ['numeric', 'text'])).toEqual(['-Infinity', 'C1']);
    expect(decodeCursor(encodeCursor(['12.500000', 87, 'C1']), ['numeric', 'int', 'text'])).toEqual([
      '12.500000',
      87,
      'C1',
    ]);
  });

  it('is undefined when absent', () => {
    expect(decodeCursor(undefined, ['date', 'id'])).toBeUndefined();
    expect(decodeCursor('', 2)).toBeUndefined();
  });

  it.each([
    [
      ['x', 1],
      ['date', 'id'],
    ],
    [
      ['2024-02-30', 1],
      ['date', 'id'],
    ],
    [
      ['2024-01-01', 1.5],
      ['date', 'id'],
    ],
    [
      ['2024-01-01', '1'],
      ['date', 'id'],
    ],
    [
      ['2024-01-01T00:00:00Z', 'x'],
      ['timestamp', 'uuid'],
    ],
    [
      ['yesterday', '0b6f1c2e-2a7b-4d7e-9a55-2f7f2f0f6a11'],
      ['timestamp', 'uuid'],
    ],
    [
      ['1e5', 'C1'],
      ['numeric', 'text'],
    ],
    [
      [1, 'C1'],
      ['numeric', 'text'],
    ],
    [
      ['1', null],
      ['numeric', 'text'],
    ],
    [
      ['1', 'a\u0000b'],
      ['numeric', 'text'],
    ],
    [
      ['1', 1e12, 'C1'],
      ['numeric', 'int', 'text'],
    ],
    [
      ['1', 'C1'],
      ['numeric', 'int', 'text'],
    ],
  ] as const)('rejects %j as %j with a 400 on the cursor field', (key, parts) => {
    expect(() => decodeCursor(encodeCursor([...key]), parts)).toThrow(
      expect.objectContaining({ code: 'bad_request', details: { field: 'cursor' } }) as DomainError,
    );
  });

  it('rejects what is not a cursor at all', () => {
    for (const v of ['%%%', Buffer.from('{"a":1}').toString('base64url'), ['a'], 7]) {
      expect(() => decodeCursor(v, 2)).toThrow(DomainError);
    }
  });
});
