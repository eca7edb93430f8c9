import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A local HTTP endpoint that takes POSTed JSON and notes when each record arrived. */
export interface HttpSink {
  /** `http://127.0.0.1:<port>`; records go to `${url}/invoices`. */
  url: string
  /** `performance.now()` at arrival, by the record's `number` field; the first arrival counts. */
  received: Map<string, number>
  /** Every POST, repeats included. */
  posts(): number
  /** Resolves when the record `number` has arrived (at once if it has). */
  arrival(number: string): Promise<number>
  close(): Promise<void>
}

/**
 * Starts the sink both sides of the n8n comparison deliver to, in the benchmark's own process so that
 * its arrival times share a clock with the clients' send times. Answers 201 with `{ id: number }`.
 */
export async function startHttpSink(): Promise<HttpSink> {
  const received = new Map<string, number>()
  const waiting = new Map<string, (at: number) => void>()
  let posts = 0
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const at = performance.now()
      posts++
      let number: unknown
      try {
        number = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { number?: unknown }).number
      } catch {
        number = undefined
      }
      if (request.method !== 'POST' || request.url !== '/invoices' || typeof number !== 'string') {
        response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"expected { number }"}')
        return
      }
      if (!received.has(number)) {
        received.set(number, at)
        waiting.get(number)?.(at)
        waiting.delete(number)
      }
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: number }))
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    posts: () => posts,
    arrival: (number) => {
      const at = received.get(number)
      if (at !== undefined) return Promise.resolve(at)
      return new Promise((resolve) => waiting.set(number, resolve))
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
