/** Probes the contract suite uses: answers no remote system should give, and small polling/collecting steps. */
import { expect } from 'vitest'
import type { Connector, ConnectorContext, WriteOutcome } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'

/**
 * Answers a remote system should never give, each fed to every call of the connector: whatever a
 * connector makes of them, it may only throw ConnectorErrors (the runtime's retry policy reads
 * nothing else; any other error is treated as a bug and retried blindly).
 */
export const MALFORMED_ANSWERS: [string, () => Promise<Response>][] = [
  [
    'an HTML page with 200',
    async () =>
      new Response('<html><body>Gateway</body></html>', { headers: { 'content-type': 'text/html' } }),
  ],
  ['an HTML page with 502', async () => new Response('<html>Bad gateway</html>', { status: 502 })],
  ['JSON of another shape', async () => Response.json({ value: 'x', data: 7, items: {}, errors: 'no' })],
  ['a JSON array of scalars', async () => Response.json([1, 'two', null])],
  ['JSON null', async () => new Response('null', { headers: { 'content-type': 'application/json' } })],
  ['an empty 200', async () => new Response('')],
  [
    'a reset connection',
    async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      })
    },
  ],
]

/** Awaits `promise`; returns what is wrong when it rejects with anything but a ConnectorError. */
export async function thrownOtherThanConnectorError(
  what: string,
  promise: () => Promise<unknown>,
): Promise<string | undefined> {
  try {
    await promise()
    return undefined
  } catch (error) {
    if (isConnectorError(error) && /^[a-z_]+$/.test(error.kind)) return undefined
    return `${what} threw ${String(error)}`
  }
}

/** Polls until the outcome of `correlationId` is no longer pending (at most `tries` times). */
export async function pollUntilDecided(
  connector: Connector<any>,
  ctx: ConnectorContext<any>,
  correlationId: string,
  since: string,
  tries = 20,
): Promise<WriteOutcome> {
  let outcome: WriteOutcome | undefined
  for (let i = 0; i < tries; i++) {
    const outcomes = await connector.outcomes!.poll(ctx, [{ correlationId, since }])
    expect(outcomes.map((o) => o.correlationId)).toEqual([correlationId])
    outcome = outcomes[0]!
    if (outcome.status !== 'pending') return outcome
    await new Promise((r) => setTimeout(r, 50 * (i + 1)))
  }
  return outcome!
}

/** Collects at most `maxPages` pages of a read. */
export async function collect(
  iter: AsyncIterable<{ records: unknown[]; cursor: string | null }>,
  maxPages: number,
) {
  const pages: { records: unknown[]; cursor: string | null }[] = []
  for await (const page of iter) {
    pages.push(page)
    if (pages.length >= maxPages) break
  }
  return pages
}
