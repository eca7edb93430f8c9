import net from 'node:net'

/** A loopback TCP forwarder that can cut connections: the network between Ferry and what it talks to. */
export interface TcpProxy {
  port: number
  /** Where new connections go; undefined refuses them (the server is down). */
  target: number | undefined
  /** The next `count` connections that carry a response are reset (RST) after its first bytes. */
  resetMidResponse(count: number): void
  /** Connections reset so far. */
  resets: number
  close(): Promise<void>
}

/** Starts a proxy on a free loopback port that forwards to `target` on 127.0.0.1. */
export async function startTcpProxy(target: number | undefined): Promise<TcpProxy> {
  let pendingResets = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => undefined)
    if (proxy.target === undefined) {
      client.resetAndDestroy()
      return
    }
    const upstream = net.connect(proxy.target, '127.0.0.1')
    sockets.add(upstream)
    upstream.on('close', () => {
      sockets.delete(upstream)
      client.destroy()
    })
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    client.on('data', (chunk) => upstream.write(chunk))
    upstream.on('data', (chunk) => {
      if (pendingResets > 0 && chunk.length > 1) {
        pendingResets--
        proxy.resets++
        // Part of the answer arrives, then the connection is reset: the request may well have done
        // its work on the server (a write committed) while the client sees only an error.
        client.write(chunk.subarray(0, Math.ceil(chunk.length / 2)), () => client.resetAndDestroy())
        upstream.destroy()
        return
      }
      client.write(chunk)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const proxy: TcpProxy = {
    port: (server.address() as net.AddressInfo).port,
    target,
    resets: 0,
    resetMidResponse(count) {
      pendingResets += count
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((r) => server.close(r))
    },
  }
  return proxy
}
