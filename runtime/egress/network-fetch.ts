import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { Agent } from 'undici'
import type { EgressPolicy } from './egress-policy.ts'
import { addressRefusal } from './egress-refusal.ts'

/** The error a connection attempt fails with when the policy refuses every address a host resolved to. */
export class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError'
  readonly code = 'FERRY_EGRESS_REFUSED'
}

type LookupCallback = (error: Error | null, addresses: LookupAddress[]) => void

/** The part of `dns.lookup` the check uses (tests pass a resolver that answers what they need). */
export type Resolve = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void

/**
 * A DNS lookup that judges each resolved address before the socket connects, so a name that
 * resolves (or re-resolves: DNS rebinding) to a private or metadata address is refused even though
 * its URL passed. A host with any refused address is refused whole.
 */
function checkedLookup(policy: EgressPolicy, resolve: Resolve) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, [])
      for (const { address } of addresses) {
        const refusal = addressRefusal(policy, hostname, address)
        if (refusal) return callback(new EgressRefusedError(refusal), [])
      }
      callback(null, addresses)
    })
  }
}

/**
 * The network transport of connection requests: the platform fetch on an undici Agent whose
 * connections resolve through {@link checkedLookup} and must be established within the policy's
 * connect timeout. (IP-literal hosts skip DNS; {@link urlRefusal} has judged them already.)
 */
export function networkFetch(policy: EgressPolicy, resolve: Resolve = dnsLookup): typeof fetch {
  const agent = new Agent({
    connect: { timeout: policy.connectTimeoutMs, lookup: checkedLookup(policy, resolve) as never },
    headersTimeout: policy.totalTimeoutMs,
    bodyTimeout: policy.totalTimeoutMs,
  })
  return (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit)
}
