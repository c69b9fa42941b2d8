import { DomainError } from './errors';
import { optionalText } from './query-params';

describe('optionalText', () => {
  it('is the trimmed value, or null when absent or blank', () => {
    expect(optionalText(' C1 ', 'customerId')).toBe('C1');
    expect(optionalText(undefined, 'customerId')).toBeNull();
    expect(optionalText('  ', 'customerId')).toBeNull();
  });

  it('rejects a parameter sent twice with a 400 naming it', () => {
    expect(() => optionalText(['C1', 'C2'], 'customerId')).toThrow(
      expect.objectContaining({ code: 'bad_request', details: { field: 'customerId' } }) as DomainError,
    );
    expect(() => optionalText({ a: '1' }, 'status')).toThrow(DomainError);
  });
});
