import { describe, expect, it } from 'vitest'
import { invoiceLatency } from './latency-stages.ts'

const at = (ms: number) => new Date(Date.UTC(2026, 10, 21, 9, 0, 0, ms))

describe('invoiceLatency', () => {
  it('splits inbox → response into stages that add up to the total', () => {
    const latency = invoiceLatency({
      invoiceId: 'a1',
      receivedAt: at(0),
      recordCreatedAt: at(30),
      // Persisted at 52 after 2 ms of mapping and 10 ms of claim: the deliver job started at 40.
      events: [
        { type: 'attempt', at: at(52), durationMs: null },
        { type: 'mapped', at: at(52), durationMs: 2 },
        { type: 'claimed', at: at(52), durationMs: 10 },
        { type: 'written', at: at(80), durationMs: 20 },
        { type: 'action', at: at(80), durationMs: 5 },
        { type: 'acknowledged', at: at(80), durationMs: 4 },
      ],
      respondedAt: at(90),
    })
    expect(latency.total).toBe(90)
    expect(latency.stages).toEqual({
      inboxToRecord: 30,
      recordToDeliver: 10,
      mapAndClaim: 12,
      bcCalls: 25,
      transferResponse: 4,
      other: 9,
    })
  })
})
