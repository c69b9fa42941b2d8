import type { Request, Response } from 'express';
import { csrfMatches } from '../tenancy/auth.guard';
import { clearSessionCookie, sessionToken, setSessionCookie } from './cookies';

const req = (cookie: string | undefined, secure = false) =>
  ({ headers: { cookie }, secure }) as unknown as Request;

function response() {
  const headers: string[] = [];
  return { res: { append: (_n: string, v: string) => headers.push(v) } as unknown as Response, headers };
}

describe('the session cookie', () => {
  const token = 'A'.repeat(43);

  it('finds the token among other cookies, and nothing when it is absent or not one of ours', () => {
    expect(sessionToken(req(`theme=dark; harakah_session=${token}; lang=ar`))).toBe(token);
    expect(sessionToken(req(`harakah_session=${token}`))).toBe(token);
    expect(sessionToken(req('theme=dark'))).toBeUndefined();
    expect(sessionToken(req(undefined))).toBeUndefined();
    expect(sessionToken(req('harakah_session='))).toBeUndefined();
    expect(sessionToken(req("harakah_session=' OR 1=1 --"))).toBeUndefined();
    expect(sessionToken(req(`xharakah_session=${token}`))).toBeUndefined();
  });

  it('is HttpOnly, SameSite=Lax, Path=/ and Secure only over HTTPS; clearing it expires it', () => {
    const plain = response();
    setSessionCookie(req(undefined), plain.res, token);
    expect(plain.headers).toEqual([`harakah_session=${token}; HttpOnly; SameSite=Lax; Path=/`]);
    const secure = response();
    setSessionCookie(req(undefined, true), secure.res, token);
    expect(secure.headers).toEqual([`harakah_session=${token}; HttpOnly; SameSite=Lax; Path=/; Secure`]);
    const cleared = response();
    clearSessionCookie(req(undefined, true), cleared.res);
    expect(cleared.headers).toEqual(['harakah_session=; HttpOnly; SameSite=Lax; Path=/; Secure; Max-Age=0']);
  });
});

describe('the CSRF check', () => {
  it('takes only the exact token', () => {
    expect(csrfMatches('abc123', 'abc123')).toBe(true);
    expect(csrfMatches('abc124', 'abc123')).toBe(false);
    expect(csrfMatches('abc1234', 'abc123')).toBe(false);
    expect(csrfMatches('', 'abc123')).toBe(false);
    expect(csrfMatches(undefined, 'abc123')).toBe(false);
    expect(csrfMatches(['abc123'], 'abc123')).toBe(false);
  });
});
