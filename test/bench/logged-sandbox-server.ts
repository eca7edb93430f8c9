import { createServer } from 'node:net'
import { type HttpBindings, serve } from '@hono/node-server'
import { connectors } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { logRequests } from './request-log.ts'
import type { SandboxEndpoint } from './sandbox-server.ts'

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

// Child-process entry, like sandbox-server.ts, but each sandbox logs every request at its front door:
// `GET /__requests` answers the log (LoggedRequest[]), `POST /__requests/reset` clears it.
const ids = process.argv.slice(2) as (keyof typeof connectors)[]
const endpoints: Record<string, SandboxEndpoint> = {}
for (const id of ids) {
  const connector = connectors[id]
  if (!connector?.sandbox) throw new Error(`no sandbox for ${id}`)
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  let sandbox: Sandbox | undefined
  const log = logRequests((request) => sandbox!.fetch(request))
  sandbox = await connector.sandbox({ baseUrl, seed: 'demo' })
  serve({
    fetch: (request, env) => {
      const path = new URL(request.url).pathname
      if (path === '/__requests') return Response.json(log.entries)
      if (path === '/__requests/reset') return Response.json({ cleared: log.entries.splice(0).length })
      return log.fetch(request, (env as HttpBindings).incoming.socket.remotePort)
    },
    port,
    hostname: '127.0.0.1',
  })
  endpoints[id] = { baseUrl, config: sandbox.connectionConfig() }
}
process.stdout.write(`${JSON.stringify(endpoints)}\n`)
process.on('SIGTERM', () => process.exit(0))
