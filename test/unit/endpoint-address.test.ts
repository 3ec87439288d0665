import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '#shared/subscriptions/endpoint-address';

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '52.56.0.1', '2a00:1450:4009:81a::200e', '::ffff:8.8.8.8'])(
    'accepts the public address %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it.each([
    ['loopback', '127.0.0.1'],
    ['private 10/8', '10.20.30.40'],
    ['private 172.16/12', '172.31.255.255'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local metadata', '169.254.169.254'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['unspecified', '0.0.0.0'],
    ['documentation', '203.0.113.9'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unique local (EC2 metadata)', 'fd00:ec2::254'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['NAT64 prefix', '64:ff9b::a00:1'],
    ['not an address', 'example.org'],
  ])('refuses %s (%s)', (_kind, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe('isPublicAddress and IPv4-compatible IPv6 (::/96)', () => {
  it.each(['::127.0.0.1', '::7f00:1', '::10.0.0.1', '::8.8.8.8'])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});
