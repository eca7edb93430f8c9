import { describe, expect, it } from 'vitest'
import {
  assertRecordTransition,
  canTransition,
  IllegalTransitionError,
  REPLAYABLE_STATES,
} from './record-state.ts'
import { assertRunTransition } from './run-state.ts'

describe('record state transitions', () => {
  it.each([
    ['queued', 'delivering', true],
    ['delivering', 'delivered', true],
    ['delivering', 'awaiting', true],
    ['awaiting', 'delivered', true],
    ['failed', 'queued', true],
    // A batch upsert settles straight from queued (no `delivering` mark before its write).
    ['queued', 'delivered', true],
    ['queued', 'awaiting', true],
    ['queued', 'failed', false],
    ['delivered', 'failed', false],
    ['skipped', 'delivered', false],
    ['awaiting', 'skipped', false],
    ['delivering', 'shadowed', true],
    ['shadowed', 'queued', true],
    ['shadowed', 'delivered', false],
    ['queued', 'shadowed', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed)
    if (allowed) expect(() => assertRecordTransition(from, to)).not.toThrow()
    else expect(() => assertRecordTransition(from, to)).toThrow(IllegalTransitionError)
  })

  it('lets every settled or waiting state be replayed, but not a record in flight', () => {
    expect([...REPLAYABLE_STATES].sort()).toEqual([
      'awaiting',
      'delivered',
      'delivering',
      'failed',
      'shadowed',
      'skipped',
    ])
  })

  it('never leaves a finished run', () => {
    expect(() => assertRunTransition('succeeded', 'running')).toThrow(/succeeded to running/)
    expect(() => assertRunTransition('running', 'failed')).not.toThrow()
  })
})
