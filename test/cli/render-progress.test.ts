import { describe, expect, it } from 'vitest'
import { formatDuration } from '../../runtime/cli/format-duration.ts'
import { formatTable } from '../../runtime/cli/format-table.ts'
import {
  formatCounts,
  type ProgressState,
  renderProgress,
  renderSummary,
} from '../../runtime/cli/render-progress.ts'
import { watchProgress } from '../../runtime/cli/watch-progress.ts'

const state = (over: Partial<ProgressState> = {}): ProgressState => ({
  label: 'run r1 invoices',
  counts: { delivered: 30, queued: 60, failed: 10 },
  total: 100,
  settled: 40,
  ratePerSecond: 12.345,
  etaSeconds: 5,
  done: false,
  ...over,
})

describe('renderProgress: one frame of the display', () => {
  it.each([
    {
      name: 'plain output: ASCII bar, percent, counts in state order, rate and ETA',
      input: state(),
      tty: false,
      expected:
        'run r1 invoices  [##########--------------]  40% 40/100  queued 60 · delivered 30 · failed 10  12.3 rec/s  ETA 5s',
    },
    {
      name: 'a TTY gets block characters',
      input: state({ settled: 50, counts: { delivered: 50, queued: 50 } }),
      tty: true,
      expected:
        'run r1 invoices  [████████████░░░░░░░░░░░░]  50% 50/100  queued 50 · delivered 50  12.3 rec/s  ETA 5s',
    },
    {
      name: 'done replaces the ETA and hides the phase note',
      input: state({
        settled: 100,
        counts: { delivered: 100 },
        done: true,
        etaSeconds: null,
        note: 'succeeded',
      }),
      tty: false,
      expected: 'run r1 invoices  [########################] 100% 100/100  delivered 100  12.3 rec/s  done',
    },
    {
      name: 'nothing read yet: an empty bar, "no records" and what the run is doing',
      input: state({
        counts: {},
        total: 0,
        settled: 0,
        ratePerSecond: 0,
        etaSeconds: null,
        note: 'reading: page 0',
      }),
      tty: false,
      expected:
        'run r1 invoices  [------------------------]   0% 0/0  no records  0.0 rec/s  reading: page 0',
    },
  ])('$name', ({ input, tty, expected }) => {
    expect(renderProgress(input, { tty })).toBe(expected)
  })

  it('cuts a TTY line to the terminal width so the in-place redraw never wraps', () => {
    const line = renderProgress(state(), { tty: true, columns: 40 })
    expect(line).toHaveLength(39)
    expect(line.endsWith('…')).toBe(true)
    expect(renderProgress(state(), { tty: false, columns: 40 }).length).toBeGreaterThan(40)
  })

  it('lists unknown states after the known ones instead of dropping them', () => {
    expect(formatCounts({ weird: 2, failed: 1 })).toBe('failed 1 · weird 2')
  })
})

describe('renderSummary', () => {
  it('says how many settled and how; with failures, how to look at them and replay', () => {
    const lines = renderSummary(
      state({ counts: { delivered: 7, failed: 3 }, total: 10, settled: 10, done: true }),
      'replay them with `ferry replay --flow invoices --state failed`',
    )
    expect(lines).toEqual([
      'run r1 invoices: 10 of 10 settled (7 delivered, 3 failed)',
      '3 failed: see them with `ferry records --state failed`; replay them with `ferry replay --flow invoices --state failed`',
    ])
  })
})

describe('watchProgress', () => {
  const frames = [
    state({ settled: 0, counts: { queued: 2 }, total: 2 }),
    state({ settled: 2, counts: { delivered: 2 }, total: 2, done: true }),
  ]
  const noSleep = async () => {}

  it('redraws in place on a TTY and ends the line before the summary', async () => {
    const writes: string[] = []
    const lines: string[] = []
    let i = 0
    const last = await watchProgress(
      async () => frames[i++]!,
      { out: (l) => lines.push(l), write: (t) => writes.push(t), tty: true },
      { intervalMs: 0, replayHint: '', sleep: noSleep },
    )
    expect(last.done).toBe(true)
    expect(writes).toHaveLength(3)
    const redraw = '\r\u001b[2K'
    expect(writes[0]!.startsWith(redraw) && writes[0]!.includes(' 0/2 ')).toBe(true)
    expect(writes[1]!.startsWith(redraw) && writes[1]!.includes(' 2/2 ') && writes[1]!.endsWith('done')).toBe(
      true,
    )
    expect(writes[2]).toBe('\n')
    expect(lines).toEqual(['run r1 invoices: 2 of 2 settled (2 delivered)'])
  })

  it('prints one plain line per poll when not a TTY', async () => {
    const lines: string[] = []
    let i = 0
    await watchProgress(
      async () => frames[i++]!,
      { out: (l) => lines.push(l), write: () => expect.fail('no raw writes off a TTY'), tty: false },
      { intervalMs: 0, replayHint: '', sleep: noSleep },
    )
    expect(lines).toHaveLength(3)
    expect(lines[0]).toContain('[------------------------]   0% 0/2')
    expect(lines[1]).toContain('100% 2/2')
  })

  it('ends a half-drawn TTY line when polling fails, then lets the error through', async () => {
    const writes: string[] = []
    let i = 0
    const poll = async () => {
      if (i++ === 0) return frames[0]!
      throw new Error('API gone')
    }
    await expect(
      watchProgress(
        poll,
        { out: () => {}, write: (t) => writes.push(t), tty: true },
        {
          intervalMs: 0,
          replayHint: '',
          sleep: noSleep,
        },
      ),
    ).rejects.toThrow('API gone')
    expect(writes.at(-1)).toBe('\n')
  })
})

describe('formatDuration and formatTable', () => {
  it.each([
    [0.25, '250ms'],
    [42, '42s'],
    [185, '3m 05s'],
    [7620, '2h 07m'],
  ])('%s seconds is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text)
  })

  it('aligns columns and does not pad the last one', () => {
    expect(
      formatTable(
        ['ID', 'STATE', 'NOTE'],
        [
          ['a', 'delivered', 'x'],
          ['bbbb', 'failed', ''],
        ],
      ),
    ).toEqual(['ID    STATE      NOTE', 'a     delivered  x', 'bbbb  failed'])
    expect(formatTable(['ID'], [])).toEqual(['(none)'])
  })
})
