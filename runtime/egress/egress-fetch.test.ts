import { createServer as createHttpServer } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { egressFetch } from './egress-fetch.ts'
import { createEgressPolicy } from './egress-policy.ts'
import { networkFetch, type Resolve } from './network-fetch.ts'

/** As the runtime builds it: the network transport reads answers and keeps the total timeout itself. */
const complete = { complete: true }
const servers: Server[] = []
const sockets: Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A TCP server that accepts connections and never answers: the stalled host of the finding. */
async function silentServer(): Promise<number> {
  const server = createServer((socket) => sockets.push(socket))
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as { port: number }).port
}

/** An HTTP server that answers every request with `hello` and records what it got. */
async function helloServer(seen: { url?: string; headers?: Record<string, unknown> }[]): Promise<number> {
  const server = createHttpServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers })
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end()
      return
    }
    res.end('hello')
  })
  servers.push(server as unknown as Server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as { port: number }).port
}

/** A resolver that answers from a table, as a rebinding DNS server would. */
const resolver =
  (table: Record<string, string>): Resolve =>
  (hostname, _options, callback) => {
    const address = table[hostname]
    if (!address)
      return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), [])
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }])
  }

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError)
    return error as ConnectorError
  }
  throw new Error('expected the request to fail')
}

describe('egressFetch on the network transport', () => {
  it('gives up on a host that accepts TCP and never answers, with a transient error', async () => {
    const port = await silentServer()
    const policy = createEgressPolicy({ allowLoopback: true, totalTimeoutMs: 300 })
    const f = egressFetch(policy, networkFetch(policy), complete)
    const error = await failure(f(`http://127.0.0.1:${port}/v1/tokens`, { method: 'POST' }))
    expect(error.kind).toBe('transient')
    expect(error.message).toMatch(/did not answer completely within 300 ms/)
  })

  it('stops when the caller aborts (the job was cancelled)', async () => {
    const port = await silentServer()
    const policy = createEgressPolicy({ allowLoopback: true })
    const f = egressFetch(policy, networkFetch(policy), complete)
    const job = new AbortController()
    const pending = f(`http://127.0.0.1:${port}/`, { signal: job.signal })
    setTimeout(() => job.abort(), 50)
    const error = await failure(pending)
    expect(error.kind).toBe('transient')
    expect(error.message).toMatch(/cancelled/)
  })

  it('refuses a name whose DNS answer is a private address, checked when connecting', async () => {
    const seen: { url?: string }[] = []
    const port = await helloServer(seen)
    // The URL passes (https to a public-looking name); DNS then answers loopback — a rebinding attack.
    const policy = createEgressPolicy({ allowLoopback: false })
    const f = egressFetch(policy, networkFetch(policy, resolver({ 'rebind.example': '127.0.0.1' })), complete)
    const error = await failure(f(`https://rebind.example:${port}/`))
    expect(error.kind).toBe('config')
    expect(error.message).toMatch(/rebind\.example \(127\.0\.0\.1\) is a loopback address/)
    const metadata = egressFetch(
      policy,
      networkFetch(policy, resolver({ 'meta.example': '169.254.169.254' })),
      complete,
    )
    expect((await failure(metadata('https://meta.example/latest'))).message).toMatch(/link-local/)
    expect(seen).toHaveLength(0)
  })

  it('connects when the resolved address is allowed, and never follows a redirect', async () => {
    const seen: { url?: string }[] = []
    const port = await helloServer(seen)
    const policy = createEgressPolicy({ allowLoopback: true })
    const f = egressFetch(policy, networkFetch(policy, resolver({ 'api.localhost': '127.0.0.1' })), complete)
    const ok = await f(`http://api.localhost:${port}/x`)
    expect(await ok.text()).toBe('hello')
    const redirect = await f(`http://api.localhost:${port}/redirect`, { redirect: 'follow' })
    expect(redirect.status).toBe(302)
    expect(seen.map((s) => s.url)).toEqual(['/x', '/redirect'])
  })

  it('refuses by URL before any transport is used', async () => {
    const used: string[] = []
    const transport: typeof fetch = async (input) => {
      used.push(String(input))
      return new Response('')
    }
    const f = egressFetch(createEgressPolicy(), transport)
    for (const url of ['file:///etc/passwd', 'http://169.254.169.254/', 'https://[::ffff:a9fe:a9fe]/']) {
      expect((await failure(f(url))).kind).toBe('config')
    }
    expect(used).toEqual([])
  })
})
