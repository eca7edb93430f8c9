import { createServer } from 'node:net'
import { serve } from '@hono/node-server'
import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'

/** What the sandbox child prints once its sandboxes listen: base URL and connection config per connector. */
export interface SandboxEndpoint {
  baseUrl: string
  config: Record<string, unknown>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

// Child-process entry: `tsx test/bench/sandbox-server.ts business-central basware`. Sandboxes run here
// so that their CPU never counts as the engine's; the parent reads one JSON line from stdout.
const ids = process.argv.slice(2) as (keyof typeof connectors)[]
const endpoints: Record<string, SandboxEndpoint> = {}
const sandboxes: Sandbox[] = []
for (const id of ids) {
  const connector = connectors[id]
  if (!connector?.sandbox) throw new Error(`no sandbox for ${id}`)
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const seed = process.env.BENCH_SANDBOX_SEED === 'empty' ? 'empty' : 'demo'
  const sandbox = await connector.sandbox({ baseUrl, seed })
  sandboxes.push(sandbox)
  serve({ fetch: sandbox.fetch, port, hostname: '127.0.0.1' })
  endpoints[id] = { baseUrl, config: sandbox.connectionConfig() }
}
process.stdout.write(`${JSON.stringify(endpoints)}\n`)
// Nothing to keep: the sandboxes' state dies with the benchmark, so stop at once (closing timers could wait).
process.on('SIGTERM', () => process.exit(0))
