import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';
import { hostOf, isReservedAddress, unmapped } from '../../reports/delivery/webhook-target';

/**
 * Where an ERPNext connector may connect. The URL is the customer's own server, typed by a tenant,
 * so it must not become a way into our network: http or https with a host, no credentials in the
 * URL, no query or fragment, and a host that is not — and does not resolve to — a loopback,
 * private, link-local, shared (CGNAT), multicast, unique-local or otherwise reserved address (the
 * webhook code's isReservedAddress decides which), unless ERPNEXT_ALLOWED_HOSTS names the host, the
 * address or a CIDR containing it. The check runs when the connector is saved (create) and again at
 * connect time through `lookup`, on the address actually connected to, so a DNS answer that changes
 * later (rebinding) is refused too.
 */
export const ALLOW_SETTING = 'ERPNEXT_ALLOWED_HOSTS';

export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, family: 0 }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

export class ErpnextUrlPolicy {
  private readonly hosts = new Set<string>();
  private readonly allowed = new BlockList();

  /** entries as parsed by the config (parseAllowlist): host names, IP addresses, CIDRs */
  constructor(
    allowedHosts: readonly string[],
    private readonly resolver: Resolver = systemResolver,
  ) {
    for (const entry of allowedHosts) {
      const [addr = '', prefix] = entry.split('/');
      const family = isIP(addr);
      if (family === 0) this.hosts.add(entry.toLowerCase());
      else {
        const type = family === 4 ? 'ipv4' : 'ipv6';
        this.allowed.addSubnet(addr, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), type);
      }
    }
  }

  /** The problem with the URL's form, or null. No DNS. */
  static formProblem(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'must be an absolute URL such as https://erp.example.com';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use https:// or http://';
    if (url.username || url.password)
      return 'must not carry a user name or password; use apiKey and apiSecret';
    if (url.search || raw.includes('?')) return 'must not have a query (?…)';
    if (url.hash || raw.includes('#')) return 'must not have a fragment (#…)';
    const host = hostOf(url);
    if (host === '' || host === '.') return 'must name a host';
    return null;
  }

  /** The problem with connecting to `address` for `host`, or null. */
  addressProblem(host: string, address: string): string | null {
    const name = host.toLowerCase().replace(/(?<=[^.])\.+$/, '');
    if (this.hosts.has(name)) return null;
    const a = unmapped(address);
    const family = isIP(a);
    if (family === 0) return `host ${host} did not resolve to an IP address`;
    if (this.allowed.check(a, family === 4 ? 'ipv4' : 'ipv6')) return null;
    if (isReservedAddress(a)) {
      return `host ${host} is a loopback, private or reserved address (${a}); the server must be reachable on the internet, or ${ALLOW_SETTING} must name it`;
    }
    return null;
  }

  /** Form, then the host's addresses (A and AAAA): the problem, or null when every address is allowed. */
  async problem(raw: string): Promise<string | null> {
    const form = ErpnextUrlPolicy.formProblem(raw);
    if (form) return form;
    const url = new URL(raw);
    const host = hostOf(url);
    if (this.hosts.has(host)) return null;
    if (isIP(host) !== 0) return this.addressProblem(host, host);
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return `host ${host} is a loopback name; ${ALLOW_SETTING} must name it to allow it`;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolver(host);
    } catch {
      return `host ${host} could not be resolved`;
    }
    if (addresses.length === 0) return `host ${host} could not be resolved`;
    for (const a of addresses) {
      const p = this.addressProblem(host, a.address);
      if (p) return p;
    }
    return null;
  }

  /** node's `lookup` for the HTTP client: resolves, then refuses when any address is not allowed. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const cb = callback;
    this.resolver(hostname).then(
      (addresses) => {
        const refused = addresses
          .map((a) => this.addressProblem(hostname, a.address))
          .find((p) => p !== null);
        if (refused) return cb(Object.assign(new Error(refused), { code: 'EREFUSED' }), '', 4);
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses;
        if (wanted.length === 0)
          return cb(
            Object.assign(new Error(`host ${hostname} has no address`), { code: 'ENOTFOUND' }),
            '',
            4,
          );
        if (options.all) return cb(null, wanted);
        cb(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, '', 4),
    );
  };
}
