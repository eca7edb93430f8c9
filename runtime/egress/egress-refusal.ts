import { isIP } from 'node:net'
import { addressKind, embeddedIpv4 } from './address-kind.ts'
import { type EgressPolicy, hostAllowed } from './egress-policy.ts'

/** Names that reach the machine itself or a cloud's instance metadata, whatever DNS says. */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
])

/** True for `localhost` and `*.localhost`, which resolve to loopback (RFC 6761). */
function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost')
}

/**
 * Why the policy refuses to send a request to `url`, or `undefined` when the URL may be tried (its
 * host's addresses are judged again when the connection is made: {@link addressRefusal}).
 * Rules: http or https only; https unless the host is loopback and the deployment allows loopback;
 * IP literals in any spelling (decimal, octal, hex, IPv4-mapped IPv6) judged by the address they are;
 * link-local, private, metadata and reserved addresses refused unless the allow-list names them.
 */
export function urlRefusal(policy: EgressPolicy, url: string | URL): string | undefined {
  let parsed: URL
  try {
    parsed = typeof url === 'string' ? new URL(url) : url
  } catch {
    return 'it is not a valid URL'
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return `the scheme ${parsed.protocol} is not allowed (only https)`
  if (parsed.username || parsed.password) return 'credentials in the URL are not allowed'
  // WHATWG URL parsing already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '')
  const literal = host.startsWith('[') ? host.slice(1, -1) : host
  const loopbackHost = isIP(literal) ? addressKind(literal) === 'loopback' : isLoopbackName(host)
  if (loopbackHost) {
    if (!policy.allowLoopback)
      return `${host} is this machine (loopback), which this deployment does not allow (FERRY_EGRESS_ALLOW_LOOPBACK_HTTP)`
    return undefined
  }
  if (parsed.protocol === 'http:') return `plain http is allowed only to loopback; use https://${parsed.host}`
  if (isIP(literal)) return addressRefusal(policy, host, literal)
  if (METADATA_HOSTS.has(host) && !hostAllowed(policy, host))
    return `${host} is a cloud metadata service, which is never a connection's endpoint`
  return undefined
}

/** Why the policy refuses to connect to `address` (a resolved address of `host`), or `undefined`. */
export function addressRefusal(policy: EgressPolicy, host: string, address: string): string | undefined {
  const kind = addressKind(address)
  if (kind === undefined) return `${address} is not an IP address`
  if (kind === 'public') return undefined
  if (kind === 'loopback' && policy.allowLoopback) return undefined
  const v4 = isIP(address) === 4 ? address : embeddedIpv4(address)
  const listed = v4 ? policy.allowAddresses.check(v4, 'ipv4') : policy.allowAddresses.check(address, 'ipv6')
  if (listed || hostAllowed(policy, host)) return undefined
  const where = host === address ? address : `${host} (${address})`
  return `${where} is a ${kind} address; an operator must name it in FERRY_EGRESS_ALLOW to allow it`
}
