import { BlockList, isIP } from 'node:net';

/**
 * Addresses a notification must never be sent to: private, loopback, link-local (the EC2/Lambda metadata
 * service sits at 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, documentation, multicast and reserved
 * ranges, so a Subscription cannot turn the delivery worker against the ICB's own network.
 */
const notPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  notPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // IPv4-compatible IPv6 (deprecated, RFC 4291): `::127.0.0.1` reaches 127.0.0.1 on some stacks. Covers `::` and `::1`.
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  notPublic.addSubnet(network, prefix, 'ipv6');
}

/**
 * True when `address` (an IPv4 or IPv6 literal) is a public unicast address. IPv4-mapped IPv6 addresses are
 * judged by the IPv4 address inside them.
 * @example isPublicAddress('10.1.2.3') // false
 */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 4) return !notPublic.check(address, 'ipv4');
  if (family === 6) return !/^::ffff:/i.test(address) && !notPublic.check(address, 'ipv6');
  return false;
}
