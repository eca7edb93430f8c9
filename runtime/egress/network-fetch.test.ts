import type { LookupAddress } from 'node:dns'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { egressFetch } from './egress-fetch.ts'
import { createEgressPolicy } from './egress-policy.ts'
import { networkFetch, type Resolve, ResponseTooLargeError } from './network-fetch.ts'

interface Seen {
  method?: string
  url?: string
  headers: IncomingHttpHeaders
  body: string
  port: number
}

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) s.closeAllConnections()
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A server that notes each request (and the client port it came from) and answers by path. */
async function server(seen: Seen[]): Promise<number> {
  const s = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
        port: req.socket.remotePort!,
      })
      if (req.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        res.end(gzipSync(JSON.stringify({ compressed: true })))
      } else if (req.url === '/bomb') {
        // 1 MiB of zeros, about 1 KB on the wire.
        res.writeHead(200, { 'content-encoding': 'gzip' })
        res.end(gzipSync(Buffer.alloc(1024 * 1024)))
      } else if (req.url === '/big') res.writeHead(200).end(Buffer.alloc(64 * 1024, 0x61))
      else if (req.url === '/empty') res.writeHead(204).end()
      else res.writeHead(201, { 'x-answer': 'yes', 'set-cookie': ['a=1', 'b=2'] }).end(`got ${body}`)
    })
  })
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return (s.address() as { port: number }).port
}

/** A resolver that answers `api.localhost` with loopback and counts how often it was asked. */
function countingResolver(asked: string[]): Resolve {
  return (hostname, _options, callback) => {
    asked.push(hostname)
    callback(null, [{ address: '127.0.0.1', family: 4 } as LookupAddress])
  }
}

const policy = createEgressPolicy({ allowLoopback: true })

describe('networkFetch (node:http keep-alive transport)', () => {
  it('resolves and judges a host once per connection, not per request', async () => {
    const seen: Seen[] = []
    const port = await server(seen)
    const asked: string[] = []
    const f = egressFetch(policy, networkFetch(policy, countingResolver(asked)), { complete: true })
    for (let i = 0; i < 5; i++) expect((await f(`http://api.localhost:${port}/n${i}`)).status).toBe(201)
    expect(asked).toEqual(['api.localhost'])
    expect(new Set(seen.map((s) => s.port)).size).toBe(1)
  })

  it('sends method, headers and body as fetch would, and gives back status, headers and body', async () => {
    const seen: Seen[] = []
    const port = await server(seen)
    const f = networkFetch(policy)
    const json = await f(`http://127.0.0.1:${port}/json?q=a%20b`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      body: JSON.stringify({ a: 1 }),
    })
    expect(json.status).toBe(201)
    expect(json.headers.get('x-answer')).toBe('yes')
    expect(json.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await json.text()).toBe('got {"a":1}')
    const form = await f(`http://127.0.0.1:${port}/token`, {
      method: 'POST',
      headers: new Headers({ accept: 'application/json' }),
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    expect(await form.text()).toBe('got grant_type=client_credentials')
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/json?q=a%20b', body: '{"a":1}' })
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer t' })
    expect(seen[1]!.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      accept: 'application/json',
      'content-length': '29',
    })
  })

  it('decodes a compressed answer and gives a bodiless status no body', async () => {
    const port = await server([])
    const f = networkFetch(policy)
    const zipped = await f(`http://127.0.0.1:${port}/gzip`)
    expect(await zipped.json()).toEqual({ compressed: true })
    expect(zipped.headers.get('content-encoding')).toBeNull()
    const empty = await f(`http://127.0.0.1:${port}/empty`, { method: 'DELETE' })
    expect(empty.status).toBe(204)
    expect(empty.body).toBeNull()
  })

  it('sends what node:http cannot (a Request, a Blob body) through the same checked lookup', async () => {
    const seen: Seen[] = []
    const port = await server(seen)
    const refusing = createEgressPolicy({ allowLoopback: false })
    const rebinding: Resolve = (_host, _options, callback) =>
      callback(null, [{ address: '127.0.0.1', family: 4 } as LookupAddress])
    const f = egressFetch(refusing, networkFetch(refusing, rebinding), { complete: true })
    await expect(f(new Request(`https://rebind.example:${port}/`))).rejects.toThrow(/loopback address/)
    await expect(
      f(`https://rebind.example:${port}/`, { method: 'POST', body: new Blob(['x']) }),
    ).rejects.toThrow(/loopback address/)
    const allowed = networkFetch(policy)
    const answer = await allowed(`http://127.0.0.1:${port}/blob`, {
      method: 'POST',
      body: new Blob(['blob']),
    })
    expect(await answer.text()).toBe('got blob')
    expect(seen.map((s) => s.url)).toEqual(['/blob'])
  })

  it('refuses an answer larger than the limit, as sent or as it inflates (a gzip bomb)', async () => {
    const port = await server([])
    const small = createEgressPolicy({ allowLoopback: true, maxResponseBytes: 16 * 1024 })
    const f = networkFetch(small)
    await expect(f(`http://127.0.0.1:${port}/big`)).rejects.toBeInstanceOf(ResponseTooLargeError)
    await expect(f(`http://127.0.0.1:${port}/bomb`)).rejects.toThrow(/decodes to more than 16384 bytes/)
    // Under the default limit the same answers arrive whole.
    const whole = networkFetch(policy)
    expect((await (await whole(`http://127.0.0.1:${port}/bomb`)).arrayBuffer()).byteLength).toBe(1024 * 1024)
  })
})
