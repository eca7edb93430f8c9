import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Connector } from '../../core/connector/connector.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'

/** A sandbox served on a loopback port. */
export interface ServedSandbox {
  connectorId: string
  baseUrl: string
  sandbox: Sandbox
  close(): Promise<void>
}

/** Starts every connector's sandbox on its own loopback port, so the demo talks real HTTP to them. */
export async function serveSandboxes(registry: Record<string, Connector>): Promise<ServedSandbox[]> {
  const served: ServedSandbox[] = []
  for (const [connectorId, connector] of Object.entries(registry)) {
    if (!connector.sandbox) continue
    let sandbox: Sandbox | undefined
    const server = serve({ fetch: (request) => sandbox!.fetch(request), hostname: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    sandbox = await connector.sandbox({ baseUrl, seed: 'demo' })
    served.push({
      connectorId,
      baseUrl,
      sandbox,
      async close() {
        await sandbox!.close()
        await new Promise((r) => server.close(r))
      },
    })
  }
  return served
}
