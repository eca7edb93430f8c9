import { BlockList, isIP } from 'node:net'

/** What an IP address reaches: the public internet, or something on this host or network. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved'

/** Ranges that are not the public internet, by kind (IANA special-purpose registries). */
const RANGES: [Exclude<AddressKind, 'public'>, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  // Carrier-grade NAT space is inside someone's network, as the private ranges are.
  ['private', '100.64.0.0', 10, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['reserved', '224.0.0.0', 3, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'fec0::', 10, 'ipv6'],
  ['reserved', 'ff00::', 8, 'ipv6'],
  ['reserved', '2001:db8::', 32, 'ipv6'],
  ['reserved', '100::', 64, 'ipv6'],
]

const lists = new Map<AddressKind, BlockList>()
for (const [kind, network, prefix, family] of RANGES) {
  const list = lists.get(kind) ?? new BlockList()
  lists.set(kind, list)
  list.addSubnet(network, prefix, family)
}

/**
 * The IPv4 address an IPv6 address carries (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`,
 * NAT64 `64:ff9b::a.b.c.d`), so that `[::ffff:169.254.169.254]` is judged as 169.254.169.254.
 */
export function embeddedIpv4(address: string): string | undefined {
  const words = expandIpv6(address)
  if (!words) return undefined
  const head = words.slice(0, 6)
  const mapped = head.slice(0, 5).every((w) => w === 0) && head[5] === 0xffff
  const compatible = head.every((w) => w === 0) && (words[6]! !== 0 || words[7]! > 1)
  const nat64 = words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)
  if (!mapped && !compatible && !nat64) return undefined
  const [hi, lo] = [words[6]!, words[7]!]
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`
}

/** The eight 16-bit words of an IPv6 address, or undefined when it is not one. */
function expandIpv6(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined
  let text = address.split('%')[0]!
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [left, right] = text.split('::') as [string, string | undefined]
  const head = left ? left.split(':') : []
  const tail = right ? right.split(':') : []
  const fill = right === undefined ? [] : Array(8 - head.length - tail.length).fill('0')
  return [...head, ...fill, ...tail].map((w) => Number.parseInt(w, 16))
}

/** Classifies an IP address (v4 or v6, brackets allowed); `undefined` when the text is not an address. */
export function addressKind(text: string): AddressKind | undefined {
  const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  const family = isIP(address)
  if (family === 0) return undefined
  const v4 = family === 4 ? address : embeddedIpv4(address)
  for (const [kind, list] of lists) {
    if (v4 ? list.check(v4, 'ipv4') : list.check(address, 'ipv6')) return kind
  }
  return 'public'
}
