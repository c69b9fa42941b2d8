import { isReservedAddress, WebhookPolicy } from './webhook-target';

describe('webhook targets', () => {
  const closed = new WebhookPolicy([]);

  it('accepts public http and https URLs', () => {
    expect(closed.urlProblem('https://erp.example.com/hooks')).toBeNull();
    expect(closed.urlProblem('http://93.184.216.34:8080/x')).toBeNull();
  });

  it('refuses other schemes, credentials and nonsense', () => {
    expect(closed.urlProblem('ftp://example.com/x')).toMatch(/http or https/);
    expect(closed.urlProblem('file:///etc/passwd')).toMatch(/http or https/);
    expect(closed.urlProblem('https://user:pw@example.com/')).toMatch(/credentials/);
    expect(closed.urlProblem('not a url')).toMatch(/absolute URL/);
    // a zone id is no part of a URL's host (WHATWG): not a way around the checks either
    expect(closed.urlProblem('http://[fe80::1%25eth0]/')).toMatch(/absolute URL/);
    expect(closed.urlProblem('http://./')).not.toBeNull();
  });

  it.each([
    'http://127.0.0.1/',
    'http://10.1.2.3/',
    'http://172.20.0.1/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost:3000/',
    'http://api.localhost/',
    // loopback in disguise
    'http://localhost.:3000/',
    'http://LOCALHOST../',
    'http://api.localhost./',
    'http://[::127.0.0.1]/',
    'http://[::]/',
    'http://[::ffff:7f00:1]/',
    'http://[::ffff:0:7f00:1]/',
    'http://[64:ff9b::127.0.0.1]/',
    'http://[64:ff9b:1::a00:1]/',
    'http://[2002:7f00:1::]/',
    'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://0/',
    'http://[0:0:0:0:0:0:0:1]/',
  ])('refuses the private or loopback target %s', (url) => {
    expect(closed.urlProblem(url)).toMatch(/loopback/);
  });

  it('allows listed hosts, addresses and CIDRs', () => {
    const open = new WebhookPolicy(['127.0.0.1', '10.0.0.0/8', 'erp.internal', '::1']);
    expect(open.urlProblem('http://127.0.0.1:9999/hook')).toBeNull();
    expect(open.urlProblem('http://10.200.0.7/hook')).toBeNull();
    expect(open.urlProblem('http://[::1]/hook')).toBeNull();
    expect(open.urlProblem('http://192.168.0.1/hook')).toMatch(/WEBHOOK_ALLOWLIST/);
    expect(open.addressProblem('erp.internal', '10.9.9.9')).toBeNull();
    expect(open.addressProblem('erp.internal', '192.168.9.9')).toBeNull();
    expect(open.addressProblem('other.example', '192.168.9.9')).toMatch(/private/);
    expect(open.addressProblem('public.example', '93.184.216.34')).toBeNull();
  });

  it('knows reserved ranges, including IPv4-mapped IPv6', () => {
    expect(isReservedAddress('8.8.8.8')).toBe(false);
    expect(isReservedAddress('2606:4700::1111')).toBe(false);
    expect(isReservedAddress('::ffff:192.168.0.1')).toBe(true);
    expect(isReservedAddress('::ffff:7f00:1')).toBe(true);
    expect(isReservedAddress('::ffff:808:808')).toBe(false);
    expect(isReservedAddress('172.32.0.1')).toBe(false);
    expect(isReservedAddress('172.31.255.255')).toBe(true);
    expect(isReservedAddress('::7f00:1')).toBe(true);
    expect(isReservedAddress('2002:808:808::1')).toBe(true);
  });

  it('matches an allow-listed name written with the trailing dot', () => {
    const open = new WebhookPolicy(['erp.internal']);
    expect(open.urlProblem('http://erp.internal./hook')).toBeNull();
    expect(open.addressProblem('erp.internal.', '10.0.0.1')).toBeNull();
  });
});
