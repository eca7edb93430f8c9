import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts'

// The chaos suite's network fault: the request reaches the server and does its work, and the answer
// is cut off halfway with a reset. It must really be that, or the suite proves nothing about
// find-before-write.
describe('the chaos proxy', () => {
  let server: http.Server
  let proxy: TcpProxy
  let handled = 0
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      handled++
      res.end(JSON.stringify({ handled, padding: 'x'.repeat(2_000) }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    proxy = await startTcpProxy((server.address() as AddressInfo).port)
  })
  afterAll(async () => {
    await proxy.close()
    await new Promise((r) => server.close(r))
  })
  const call = () =>
    fetch(`http://127.0.0.1:${proxy.port}/`, { headers: { connection: 'close' } }).then((r) => r.json())

  it('forwards, resets one answer mid-response after the server handled it, then forwards again', async () => {
    expect(await call()).toMatchObject({ handled: 1 })
    proxy.resetMidResponse(1)
    await expect(call()).rejects.toThrow()
    expect(handled).toBe(2)
    expect(proxy.resets).toBe(1)
    expect(await call()).toMatchObject({ handled: 3 })
  })

  it('refuses connections while it has no target (the server is down), and forwards once it has one', async () => {
    const port = proxy.target
    const before = handled
    proxy.target = undefined
    await expect(call()).rejects.toThrow()
    expect(handled).toBe(before)
    proxy.target = port
    expect(await call()).toMatchObject({ handled: before + 1 })
  })
})
