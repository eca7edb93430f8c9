/** One HTTP request as the sandbox's front door saw it (ms since the epoch; `cost` = budget units). */
export interface LoggedRequest {
  start: number
  end: number
  status: number
  path: string
  cost: number
  /** The client's TCP port, which tells apart the processes that called. */
  clientPort?: number
}

/** JSON `$batch` bodies cost one unit per inner request, as the BC sandbox counts them by default. */
async function costOf(request: Request): Promise<number> {
  if (!new URL(request.url).pathname.endsWith('/$batch')) return 1
  try {
    const body = (await request.clone().json()) as { requests?: unknown[] }
    return Math.max(1, body.requests?.length ?? 1)
  } catch {
    return 1
  }
}

/**
 * Wraps a sandbox's fetch so that every request is logged with its arrival, its answer time and
 * its status: the evidence a budget test reads (sliding-window counts, requests in flight, 429s).
 */
export function logRequests(fetch: (request: Request) => Promise<Response>) {
  const entries: LoggedRequest[] = []
  return {
    entries,
    async fetch(request: Request, clientPort?: number): Promise<Response> {
      const start = Date.now()
      const cost = await costOf(request)
      const response = await fetch(request)
      const path = new URL(request.url).pathname
      entries.push({ start, end: Date.now(), status: response.status, path, cost, clientPort })
      return response
    },
  }
}

/** The largest budget spent in any sliding window of `windowMs` by requests that were not refused. */
export function maxInWindow(entries: readonly LoggedRequest[], windowMs: number): number {
  const accepted = entries.filter((e) => e.status !== 429).sort((a, b) => a.start - b.start)
  let max = 0
  let sum = 0
  for (let head = 0, tail = 0; head < accepted.length; head++) {
    sum += accepted[head]!.cost
    // Same rule as the sandbox: a request older than the window (start ≤ now − window) no longer counts.
    while (accepted[tail]!.start <= accepted[head]!.start - windowMs) sum -= accepted[tail++]!.cost
    max = Math.max(max, sum)
  }
  return max
}

/** The most requests being answered at one moment (a request ends when its answer was produced). */
export function maxInFlight(entries: readonly LoggedRequest[]): number {
  const edges = entries.flatMap((e) => [
    { at: e.start, delta: 1 },
    { at: e.end, delta: -1 },
  ])
  // At equal times the end comes first: a slot freed and taken in the same millisecond is not an overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta)
  let current = 0
  let max = 0
  for (const edge of edges) {
    current += edge.delta
    max = Math.max(max, current)
  }
  return max
}
