import { BlockList, isIPv4 } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * True when `address` (a socket's `remoteAddress`) is on this machine's loopback interface: 127.0.0.0/8, `::1`,
 * or an IPv4 loopback address in IPv6-mapped form, as a dual-stack socket reports it.
 * @example isLoopbackAddress('::ffff:127.0.0.1') // true
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const v4 = mapped ?? address;
  return isIPv4(v4) ? loopback.check(v4, 'ipv4') : loopback.check(address, 'ipv6');
}
