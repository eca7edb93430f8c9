import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Socket } from 'node:net'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { Agent as UndiciAgent } from 'undici'
import type { EgressPolicy } from './egress-policy.ts'
import { addressRefusal } from './egress-refusal.ts'

/** The error a connection attempt fails with when the policy refuses every address a host resolved to. */
export class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError'
  readonly code = 'FERRY_EGRESS_REFUSED'
}

/** The error a request fails with when its connection was not established within the connect timeout. */
export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError'
  readonly code = 'FERRY_CONNECT_TIMEOUT'
}

/** The error a request fails with when its whole exchange took longer than the total timeout. */
export class TotalTimeoutError extends Error {
  override readonly name = 'TotalTimeoutError'
  readonly code = 'FERRY_TOTAL_TIMEOUT'
}

/** The error a request fails with when the answer's body, as sent or as decoded, exceeds the policy's limit. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError'
  readonly code = 'FERRY_RESPONSE_TOO_LARGE'
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void

/** The part of `dns.lookup` the check uses (tests pass a resolver that answers what they need). */
export type Resolve = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void

/**
 * A DNS lookup that judges each resolved address before the socket connects, so a name that
 * resolves (or re-resolves: DNS rebinding) to a private or metadata address is refused even though
 * its URL passed. A host with any refused address is refused whole. It runs once per new connection,
 * not per request: a kept-alive connection stays with the address judged when it was opened.
 */
function checkedLookup(policy: EgressPolicy, resolve: Resolve) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, [])
      for (const { address } of addresses) {
        const refusal = addressRefusal(policy, hostname, address)
        if (refusal) return callback(new EgressRefusedError(refusal), [])
      }
      if (options.all) return callback(null, addresses)
      const first = addresses[0]
      if (!first)
        return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), [])
      callback(null, first.address, first.family)
    })
  }
}

/** A request body node:http can send as it is, with the content type fetch would have given it. */
function bodyOf(body: RequestInit['body']): { data?: string | Uint8Array; type?: string } | undefined {
  if (body === undefined || body === null) return {}
  if (typeof body === 'string') return { data: body, type: 'text/plain;charset=UTF-8' }
  if (body instanceof Uint8Array) return { data: body }
  if (body instanceof ArrayBuffer) return { data: new Uint8Array(body) }
  if (body instanceof URLSearchParams)
    return { data: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' }
  return undefined // a stream, Blob or FormData: fetch's own encoding (see networkFetch)
}

/** The caller's headers as node:http takes them, names lower-cased, with fetch's defaults added. */
function headersOf(init: RequestInit['headers'], contentType: string | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {}
  if (init instanceof Headers || Array.isArray(init)) {
    for (const [name, value] of init as Iterable<[string, string]>) headers[name.toLowerCase()] = value
  } else if (init) {
    for (const name of Object.keys(init)) headers[name.toLowerCase()] = (init as Record<string, string>)[name]
  }
  headers.accept ??= '*/*'
  headers['user-agent'] ??= 'node'
  headers['accept-encoding'] ??= 'gzip, deflate, br'
  if (contentType && headers['content-type'] === undefined) headers['content-type'] = contentType
  return headers
}

/**
 * The body as the server sent it, decoded the way fetch decodes a `content-encoding`, never past
 * `maxBytes` (zlib stops inflating there, so a small compressed answer cannot fill the heap).
 */
function decoded(body: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const limit = { maxOutputLength: maxBytes }
  try {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, limit)
      case 'deflate':
        return inflateSync(body, limit)
      case 'br':
        return brotliDecompressSync(body, limit)
      default:
        return body
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ResponseTooLargeError(`the answer decodes to more than ${maxBytes} bytes`)
    throw error
  }
}

/** A complete answer as a platform Response; statuses that carry no body get none. */
function responseOf(res: IncomingMessage, body: Buffer, maxBytes: number): Response {
  const headers = new Headers()
  const raw = res.rawHeaders
  const encoded = res.headers['content-encoding']
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    // The body handed on is decoded: its encoding and length headers would describe another body.
    if (encoded && /^content-(encoding|length)$/i.test(name)) continue
    headers.append(name, raw[i + 1]!)
  }
  const status = res.statusCode ?? 0
  const empty = status === 204 || status === 205 || status === 304 || body.length === 0
  return new Response(empty ? null : decoded(body, encoded, maxBytes), {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  })
}

/**
 * The platform fetch on an undici Agent with the same checked lookup and connect timeout: for what
 * node:http cannot send as it is (a `Request` input, a streamed, Blob or FormData body).
 */
function platformFetch(policy: EgressPolicy, lookup: ReturnType<typeof checkedLookup>): typeof fetch {
  let agent: UndiciAgent | undefined
  return async (input, init) => {
    agent ??= new UndiciAgent({ connect: { timeout: policy.connectTimeoutMs, lookup: lookup as never } })
    const timeout = AbortSignal.timeout(policy.totalTimeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    try {
      const response = await fetch(input, { ...init, signal, dispatcher: agent } as RequestInit)
      const body = await response.arrayBuffer()
      const empty = response.status === 204 || response.status === 205 || response.status === 304
      const { status, statusText, headers } = response
      return new Response(empty ? null : body, { status, statusText, headers })
    } catch (error) {
      if (timeout.aborted && !init?.signal?.aborted)
        throw new TotalTimeoutError(`no complete answer within ${policy.totalTimeoutMs} ms`)
      throw error
    }
  }
}

/**
 * The network transport of connection requests: node:http(s) on keep-alive agents, whose new
 * connections resolve through {@link checkedLookup} and must be established within the policy's
 * connect timeout (IP-literal hosts skip DNS; `urlRefusal` has judged them already). Redirects are
 * never followed. The returned Response is complete — its body read; a request ends when `init.signal`
 * aborts, and fails with a {@link TotalTimeoutError} when connect, headers and body together take
 * longer than the policy's total timeout. (The platform fetch did the same at twice the CPU per request.)
 */
export function networkFetch(policy: EgressPolicy, resolve: Resolve = dnsLookup): typeof fetch {
  const lookup = checkedLookup(policy, resolve)
  // Idle connections close after 4 s (or sooner when the server's Keep-Alive says so), as undici's did.
  const agentOptions = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' as const, lookup }
  const agents = { 'http:': new HttpAgent(agentOptions), 'https:': new HttpsAgent(agentOptions) }
  const fallback = platformFetch(policy, lookup)
  return (input, init = {}) => {
    const body = bodyOf(init.body)
    if (typeof input !== 'string' && !(input instanceof URL)) return fallback(input, init)
    if (!body) return fallback(input, init)
    const url = typeof input === 'string' ? new URL(input) : input
    const protocol = url.protocol as keyof typeof agents
    const signal = init.signal ?? undefined
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const send = protocol === 'https:' ? httpsRequest : httpRequest
      const req = send(url, {
        agent: agents[protocol],
        method: init.method ?? 'GET',
        headers: headersOf(init.headers, body.type),
      })
      const abort = () => req.destroy(signal!.reason)
      signal?.addEventListener('abort', abort, { once: true })
      const timer = setTimeout(
        () => req.destroy(new TotalTimeoutError(`no complete answer within ${policy.totalTimeoutMs} ms`)),
        policy.totalTimeoutMs,
      )
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', abort)
      }
      req.once('socket', (socket: Socket) => {
        if (!socket.connecting) return
        const timer = setTimeout(
          () => req.destroy(new ConnectTimeoutError(`no connection within ${policy.connectTimeoutMs} ms`)),
          policy.connectTimeoutMs,
        )
        socket.once('connect', () => clearTimeout(timer))
        socket.once('close', () => clearTimeout(timer))
      })
      req.once('error', (error) => {
        done()
        reject(signal?.aborted ? signal.reason : error)
      })
      req.once('response', (res) => {
        const chunks: Buffer[] = []
        let received = 0
        res.on('data', (chunk: Buffer) => {
          received += chunk.length
          if (received > policy.maxResponseBytes)
            return req.destroy(
              new ResponseTooLargeError(`the answer is larger than ${policy.maxResponseBytes} bytes`),
            )
          chunks.push(chunk)
        })
        res.once('end', () => {
          done()
          try {
            const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
            resolve(responseOf(res, raw, policy.maxResponseBytes))
          } catch (error) {
            reject(error)
          }
        })
        res.once('error', (error) => {
          done()
          reject(signal?.aborted ? signal.reason : error)
        })
        res.once('close', () => {
          done()
          if (!res.complete)
            reject(signal?.aborted ? signal.reason : new Error('the connection closed mid-answer'))
        })
      })
      req.end(body.data)
    })
  }
}
