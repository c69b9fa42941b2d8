import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from './signature';

describe('webhook signatures', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const body = '{"a":1}';
    const expected = createHmac('sha256', 'shh-secret').update('1700000000.{"a":1}').digest('hex');
    expect(signatureHeader('shh-secret', 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies the body, the secret and the time', () => {
    const header = signatureHeader('shh-secret', 1700000000, 'body');
    expect(verifySignature('shh-secret', header, 'body', 1700000100)).toBe(true);
    expect(verifySignature('shh-secret', header, 'body!', 1700000100)).toBe(false);
    expect(verifySignature('other', header, 'body', 1700000100)).toBe(false);
    expect(verifySignature('shh-secret', header, 'body', 1700001000)).toBe(false);
    expect(verifySignature('shh-secret', 'garbage', 'body', 1700000000)).toBe(false);
  });
});
