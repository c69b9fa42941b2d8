import { LookupAddress } from 'node:dns';
import { loadConfig } from '../../config/config';
import { ValidationFailed } from '../../shared/errors';
import { makeErpnextFactory, validateErpnextCredentials } from './index';
import { ErpnextUrlPolicy } from './url-policy';

/** A resolver with fixed answers, so no test depends on real DNS. */
const resolver = (answers: Record<string, string[]>) => (host: string) =>
  answers[host]
    ? Promise.resolve(
        answers[host].map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
      )
    : Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));

const dns = resolver({
  'erp.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'rebind.example.com': ['93.184.216.34', '10.1.2.3'],
  'erp.internal': ['10.20.0.5'],
});

const good = { url: 'https://erp.example.com', apiKey: 'a1b2c3d4e5f6g7h', apiSecret: 'z9y8x7w6v5u4t3s' };

describe('ERPNext URL policy', () => {
  const policy = new ErpnextUrlPolicy([], dns);

  it('accepts a public https or http server, by name or address', async () => {
    await expect(policy.problem('https://erp.example.com')).resolves.toBeNull();
    await expect(policy.problem('http://erp.example.com:8000/erp/')).resolves.toBeNull();
    await expect(policy.problem('https://93.184.216.34')).resolves.toBeNull();
  });

  it.each([
    ['http://127.0.0.1:8000', 'loopback'],
    ['http://127.8.9.10', 'loopback /8'],
    ['http://10.1.2.3', '10/8'],
    ['http://172.16.0.1', '172.16/12'],
    ['http://172.31.255.254', '172.16/12 (end)'],
    ['http://192.168.1.10', '192.168/16'],
    ['http://169.254.169.254', 'link-local (cloud metadata)'],
    ['http://100.64.0.1', 'CGNAT 100.64/10'],
    ['http://0.0.0.0', 'unspecified'],
    ['http://224.0.0.1', 'multicast'],
    ['http://[::1]', 'IPv6 loopback'],
    ['http://[fc00::1]', 'unique-local fc00::/7'],
    ['http://[fd12:3456::1]', 'unique-local fd00::/8'],
    ['http://[fe80::1]', 'link-local fe80::/10'],
    ['http://[::ffff:127.0.0.1]', 'IPv4-mapped loopback'],
    ['http://[::ffff:a00:1]', 'IPv4-mapped 10.0.0.1 in hex'],
    ['http://localhost:8000', 'loopback name'],
    ['http://erp.localhost', 'loopback name'],
    ['http://erp.internal', 'a name resolving to 10/8'],
    ['http://rebind.example.com', 'a name with one private address among public ones'],
  ])('refuses %s (%s)', async (url) => {
    await expect(policy.problem(url)).resolves.toMatch(/loopback|private|reserved/);
  });

  it('keeps public addresses next to reserved ranges', async () => {
    for (const url of [
      'http://172.32.0.1',
      'http://100.128.0.1',
      'http://11.0.0.1',
      'http://[2606:4700::1111]',
    ]) {
      await expect(policy.problem(url)).resolves.toBeNull();
    }
  });

  it('allows what ERPNEXT_ALLOWED_HOSTS names: an address, a CIDR or a host name', async () => {
    const allowed = new ErpnextUrlPolicy(
      loadConfig({ ERPNEXT_ALLOWED_HOSTS: '127.0.0.1, 10.20.0.0/16,ERP.internal' }).erpnextAllowedHosts,
      dns,
    );
    await expect(allowed.problem('http://127.0.0.1:8000')).resolves.toBeNull();
    await expect(allowed.problem('http://10.20.9.9')).resolves.toBeNull();
    await expect(allowed.problem('http://erp.internal')).resolves.toBeNull();
    await expect(allowed.problem('http://10.21.0.1')).resolves.toMatch(/ERPNEXT_ALLOWED_HOSTS/);
    await expect(allowed.problem('http://127.0.0.2')).resolves.toMatch(/loopback/);
  });

  it('stops the boot on a bad ERPNEXT_ALLOWED_HOSTS entry', () => {
    expect(() => loadConfig({ ERPNEXT_ALLOWED_HOSTS: '10.0.0.0/33' })).toThrow(
      /ERPNEXT_ALLOWED_HOSTS entries must be/,
    );
    expect(loadConfig({}).erpnextAllowedHosts).toEqual([]);
  });

  it('refuses a host that does not resolve', async () => {
    await expect(policy.problem('https://nowhere.example.com')).resolves.toMatch(/could not be resolved/);
  });

  it('refuses at connect time, through lookup, a name that now resolves to a private address', async () => {
    const call = (host: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) =>
        policy.lookup(host, { all }, (err, address) => (err ? reject(err) : resolve(address))),
      );
    await expect(call('rebind.example.com', true)).rejects.toMatchObject({ code: 'EREFUSED' });
    await expect(call('erp.example.com', false)).resolves.toBe('93.184.216.34');
    await expect(call('erp.example.com', true)).resolves.toHaveLength(2);
  });
});

describe('ERPNext credentials', () => {
  it('accepts {url, apiKey, apiSecret}', () => {
    expect(validateErpnextCredentials(good)).toEqual([]);
  });

  it.each([
    [{ ...good, url: 'ftp://erp.example.com' }, 'credentials.url', /https:\/\/ or http:\/\//],
    [{ ...good, url: 'erp.example.com' }, 'credentials.url', /absolute URL/],
    [{ ...good, url: 'https://user:pw@erp.example.com' }, 'credentials.url', /user name or password/],
    [{ ...good, url: 'https://erp.example.com/?x=1' }, 'credentials.url', /query/],
    [{ ...good, url: 'https://erp.example.com/#top' }, 'credentials.url', /fragment/],
    [{ ...good, url: 42 }, 'credentials.url', /must be a string/],
    [{ ...good, apiKey: '' }, 'credentials.apiKey', /is required/],
    [{ ...good, apiKey: 'a:b' }, 'credentials.apiKey', /":"/],
    [{ ...good, apiSecret: 'has space' }, 'credentials.apiSecret', /without spaces/],
    [{ url: good.url, apiKey: good.apiKey }, 'credentials.apiSecret', /is required/],
    [{ ...good, password: 'x' }, 'credentials.password', /not a known field/],
    ['https://erp.example.com', 'credentials', /must be an object/],
  ])('refuses %j naming %s', (input, field, message) => {
    const errors = validateErpnextCredentials(input);
    expect(errors).toContainEqual({ field, message: expect.stringMatching(message) as string });
  });

  it('keeps the key and secret secret, and refuses a private URL when the adapter is created', async () => {
    const factory = makeErpnextFactory({ resolver: dns });
    expect(factory.secretFields).toEqual(['apiKey', 'apiSecret']);
    const config = { qoyodApiUrl: 'https://api.qoyod.com/2.0', erpnextAllowedHosts: [] };
    const refused = factory.create({ ...good, url: 'http://erp.internal' }, config);
    await expect(refused).rejects.toBeInstanceOf(ValidationFailed);
    await expect(refused).rejects.toMatchObject({ errors: [{ field: 'credentials.url' }] });
    const adapter = await factory.create({ ...good, url: 'https://erp.example.com/' }, config);
    expect(adapter.baseUrl).toBe('https://erp.example.com');
    expect(adapter.headers.Authorization).toBe(`token ${good.apiKey}:${good.apiSecret}`);
    expect(adapter.streams.map((s) => [s.name, s.deletion])).toEqual([
      ['customers', 'keep'],
      ['products', 'keep'],
      ['invoices', 'void'],
      ['credit-notes', 'void'],
      ['payments', 'remove'],
      ['inventory', 'keep'],
    ]);
    expect(typeof adapter.lookup).toBe('function');
  });
});
