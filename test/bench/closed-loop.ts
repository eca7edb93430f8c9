import { Agent, request } from 'node:http'

/** One request a closed-loop client sent. Times are `performance.now()`. */
export interface SentRequest {
  key: string
  sentAt: number
  answeredAt: number
  status: number
}

/** What {@link closedLoop} sends: a URL, headers and a body built for one unique key. */
export type RequestFor = (key: string) => { url: string; headers: Record<string, string>; body: string }

function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        response.resume()
        response.once('end', () => resolve(response.statusCode ?? 0))
        response.once('error', reject)
      },
    )
    req.once('error', reject)
    req.end(body)
  })
}

/**
 * `concurrency` clients, each sending its next request as soon as the previous one is answered (and
 * `settled`, when given), for
 * `seconds`; every request gets a fresh key (`<prefix>-<n>`). Plain node:http with a keep-alive agent,
 * so the clients cost little CPU next to what they measure. A failed request counts with status 0.
 */
export async function closedLoop(options: {
  concurrency: number
  seconds: number
  prefix: string
  requestFor: RequestFor
  /**
   * What else a request waits for before the client sends its next one (e.g. its record reaching the
   * sink), bounded by `settleMs`; without it, the answer alone.
   */
  settled?: (key: string) => Promise<unknown>
  settleMs?: number
}): Promise<SentRequest[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency })
  const sent: SentRequest[] = []
  const until = performance.now() + options.seconds * 1000
  let next = 0
  const client = async () => {
    while (performance.now() < until) {
      const key = `${options.prefix}-${next++}`
      const { url, headers, body } = options.requestFor(key)
      const sentAt = performance.now()
      const status = await post(agent, new URL(url), headers, body).catch(() => 0)
      sent.push({ key, sentAt, answeredAt: performance.now(), status })
      if (options.settled && status >= 200 && status < 300) {
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise((resolve) => {
          timer = setTimeout(resolve, options.settleMs ?? 60_000)
        })
        await Promise.race([options.settled(key), timeout])
        clearTimeout(timer)
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency }, client))
  } finally {
    agent.destroy()
  }
  return sent
}
