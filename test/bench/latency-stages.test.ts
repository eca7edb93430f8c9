import { describe, expect, it } from 'vitest'
import { invoiceLatency } from './latency-stages.ts'

const at = (ms: number) => new Date(Date.UTC(2026, 10, 21, 9, 0, 0, ms))

// Persisted at 52 after 2 ms of mapping and 10 ms of claim: mapping started at 40.
const events = [
  { type: 'attempt', at: at(52), durationMs: null },
  { type: 'mapped', at: at(52), durationMs: 2 },
  { type: 'claimed', at: at(52), durationMs: 10 },
  { type: 'written', at: at(80), durationMs: 20 },
  { type: 'action', at: at(80), durationMs: 5 },
  { type: 'acknowledged', at: at(80), durationMs: 4 },
]

describe('invoiceLatency', () => {
  it('splits inbox → response into stages that add up to the total, queue hops from the job rows', () => {
    const latency = invoiceLatency({
      invoiceId: 'a1',
      receivedAt: at(0),
      webhookJobStartedAt: at(3),
      runJobCreatedAt: at(5),
      runJobStartedAt: at(9),
      recordCreatedAt: at(30),
      deliverJobStartedAt: at(34),
      events,
      respondedAt: at(90),
    })
    expect(latency.total).toBe(90)
    expect(latency.stages).toEqual({
      webhookPickup: 3,
      webhookJob: 2,
      runPickup: 4,
      runToRecord: 21,
      recordToDeliver: 4,
      deliverSetup: 6,
      mapAndClaim: 12,
      bcCalls: 25,
      transferResponse: 4,
      deliverRest: 9,
    })
    expect(Object.values(latency.stages).reduce((a, b) => a + b, 0)).toBe(latency.total)
  })

  it('gives a hop the invoice did not take 0 ms and its time to the stage after it', () => {
    const latency = invoiceLatency({
      invoiceId: 'a1',
      receivedAt: at(0),
      webhookJobStartedAt: at(3),
      recordCreatedAt: at(30),
      events,
      respondedAt: at(90),
    })
    expect(latency.stages).toMatchObject({
      webhookJob: 0,
      runPickup: 0,
      runToRecord: 27,
      recordToDeliver: 0,
      deliverSetup: 10,
    })
    expect(Object.values(latency.stages).reduce((a, b) => a + b, 0)).toBe(latency.total)
  })
})
