import { BlockList, isIP } from 'node:net'

/**
 * Where Ferry may send a connection's requests, and how long it waits. Built once per process from
 * the environment ({@link egressPolicyFromEnv}); see docs/security.md, "Egress policy".
 */
export interface EgressPolicy {
  /** Plain http — and any request — to loopback addresses (`127.0.0.0/8`, `::1`, `localhost`). */
  allowLoopback: boolean
  /** Host names (exact, or `*.suffix`) the operator lets resolve to non-public addresses. */
  allowHosts: readonly string[]
  /** Address ranges the operator lets Ferry reach although they are not public. */
  allowAddresses: BlockList
  /** How long establishing a connection (DNS, TCP, TLS) may take. */
  connectTimeoutMs: number
  /** How long one request may take from sending it to its last body byte. */
  totalTimeoutMs: number
  /** Largest answer body, as received and as decoded (a gzip bomb is refused while it inflates). */
  maxResponseBytes: number
}

/** Defaults: connecting may take 10 s, a whole request 2 minutes (BC `$batch` writes are slow). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_TOTAL_TIMEOUT_MS = 120_000
/** 128 MiB: far above any page BC, Basware or MISA sends, far below what would exhaust a worker. */
export const DEFAULT_MAX_RESPONSE_BYTES = 128 * 1024 * 1024

/** Options of {@link createEgressPolicy}; everything not given is refused or defaulted. */
export interface EgressPolicyOptions {
  allowLoopback?: boolean
  /** Host names, `*.suffix` patterns, IP addresses or CIDR ranges. */
  allow?: readonly string[]
  connectTimeoutMs?: number
  totalTimeoutMs?: number
  maxResponseBytes?: number
}

/** Builds a policy; throws on an allow-list entry it cannot read (a typo must not widen or vanish). */
export function createEgressPolicy(options: EgressPolicyOptions = {}): EgressPolicy {
  const allowHosts: string[] = []
  const allowAddresses = new BlockList()
  for (const raw of options.allow ?? []) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    const [address, prefixText] = entry.split('/') as [string, string | undefined]
    const family = isIP(address)
    if (family !== 0) {
      const max = family === 4 ? 32 : 128
      const prefix = prefixText === undefined ? max : Number(prefixText)
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
        throw new Error(`egress allow-list entry "${raw}" has an invalid prefix length`)
      allowAddresses.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
    } else if (/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/.test(entry) && prefixText === undefined) {
      allowHosts.push(entry.replace(/\.$/, ''))
    } else {
      throw new Error(`egress allow-list entry "${raw}" is neither a host name, an address nor a CIDR range`)
    }
  }
  return {
    allowLoopback: options.allowLoopback ?? false,
    allowHosts,
    allowAddresses,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    totalTimeoutMs: options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  }
}

function positiveMs(env: Record<string, string | undefined>, name: string): number | undefined {
  const text = env[name]
  if (text === undefined || text === '') return undefined
  const ms = Number(text)
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000)
    throw new Error(`${name} must be a whole number of milliseconds between 1 and 3600000`)
  return ms
}

/**
 * The policy the environment sets: `FERRY_EGRESS_ALLOW_LOOPBACK_HTTP=1` (the demo and the tests),
 * `FERRY_EGRESS_ALLOW` (comma-separated hosts, `*.suffix`, addresses, CIDRs),
 * `FERRY_EGRESS_CONNECT_TIMEOUT_MS`, `FERRY_EGRESS_TIMEOUT_MS`.
 */
export function egressPolicyFromEnv(env: Record<string, string | undefined> = process.env): EgressPolicy {
  return createEgressPolicy({
    allowLoopback: ['1', 'true', 'yes'].includes((env.FERRY_EGRESS_ALLOW_LOOPBACK_HTTP ?? '').toLowerCase()),
    allow: (env.FERRY_EGRESS_ALLOW ?? '').split(','),
    connectTimeoutMs: positiveMs(env, 'FERRY_EGRESS_CONNECT_TIMEOUT_MS'),
    totalTimeoutMs: positiveMs(env, 'FERRY_EGRESS_TIMEOUT_MS'),
  })
}

/** True when the operator's allow-list names this host. */
export function hostAllowed(policy: EgressPolicy, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return policy.allowHosts.some((entry) =>
    entry.startsWith('*.') ? name.endsWith(entry.slice(1)) : name === entry,
  )
}
