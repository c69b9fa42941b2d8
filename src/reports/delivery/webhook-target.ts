import { BlockList, isIP } from 'node:net';

/**
 * Which webhook targets are allowed. http and https only; a target that is, or resolves to, a
 * private, loopback, link-local, shared, multicast or otherwise reserved address is refused unless
 * its host name, its address, or a CIDR containing its address is on the allow-list
 * (WEBHOOK_ALLOWLIST). The check runs when a schedule is saved and again on every attempt, on the
 * address actually connected to (see http-post.ts), so DNS answers that change later are caught.
 */
const RESERVED_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;

const RESERVED_V6 = [
  // unspecified, loopback and the deprecated IPv4-compatible form ([::127.0.0.1] is [::7f00:1])
  ['::', 96],
  // IPv4-translated (RFC 2765); the mapped ::ffff:0:0/96 is judged as its IPv4 address (unmapped)
  ['::ffff:0:0:0', 96],
  // NAT64, well-known and local-use prefixes: the IPv4 address inside may be anything
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // Teredo and 6to4 tunnels carry an IPv4 address inside as well (6to4 is deprecated, RFC 7526)
  ['2001::', 32],
  ['2002::', 16],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const;

const reserved = new BlockList();
for (const [net, prefix] of RESERVED_V4) reserved.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of RESERVED_V6) reserved.addSubnet(net, prefix, 'ipv6');

/** ::ffff:10.0.0.1 (or ::ffff:a00:1) → 10.0.0.1, so a mapped address is judged as the IPv4 address it is. */
export function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export function isReservedAddress(address: string): boolean {
  const a = unmapped(address);
  const family = isIP(a);
  if (family === 0) return true;
  return reserved.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebhookPolicy {
  private readonly hosts = new Set<string>();
  private readonly allowed = new BlockList();

  /** entries as validated by the config: host names, IP addresses, CIDRs */
  constructor(allowlist: readonly string[]) {
    for (const entry of allowlist) {
      const [addr = '', prefix] = entry.split('/');
      const family = isIP(addr);
      if (family === 0) this.hosts.add(entry.toLowerCase());
      else {
        const type = family === 4 ? 'ipv4' : 'ipv6';
        this.allowed.addSubnet(addr, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), type);
      }
    }
  }

  /** The problem with a URL's form (scheme, credentials, host), or null. No DNS. */
  urlProblem(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'webhookUrl must be an absolute URL such as https://erp.example.com/hooks/harakah';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'webhookUrl must use http or https';
    if (url.username || url.password)
      return 'webhookUrl must not carry credentials; use the signature secret';
    const host = hostOf(url);
    if (host === '' || host === '.') return 'webhookUrl must name a host';
    if (this.hosts.has(host)) return null;
    if (isIP(host) !== 0) return this.addressProblem(host, host);
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return `webhookUrl host ${host} is a loopback name; add it to WEBHOOK_ALLOWLIST to allow it`;
    }
    return null;
  }

  /** The problem with connecting to `address` for host `host`, or null. */
  addressProblem(host: string, address: string): string | null {
    if (this.hosts.has(withoutRootDot(host.toLowerCase()))) return null;
    const a = unmapped(address);
    const family = isIP(a);
    if (family === 0) return `webhook target ${host} did not resolve to an IP address`;
    if (this.allowed.check(a, family === 4 ? 'ipv4' : 'ipv6')) return null;
    if (isReservedAddress(a)) {
      return `webhook target ${host} is a private or loopback address (${a}); add it to WEBHOOK_ALLOWLIST to allow it`;
    }
    return null;
  }
}

/**
 * The URL's host without IPv6 brackets or the root's trailing dot, lower case: `localhost.` is
 * localhost, and an allow-list entry matches its fully qualified spelling too.
 */
export function hostOf(url: URL): string {
  return withoutRootDot(url.hostname.replace(/^\[|\]$/g, '').toLowerCase());
}

/** `localhost.` → `localhost` (a name that is only dots stays as it is). */
function withoutRootDot(name: string): string {
  return name.replace(/(?<=[^.])\.+$/, '');
}
