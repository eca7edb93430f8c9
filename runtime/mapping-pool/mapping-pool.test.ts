import { afterAll, describe, expect, it } from 'vitest'
import { isMappingError } from '../../core/mapping/mapping-error.ts'
import { MappingPool } from './mapping-pool.ts'

const pool = new MappingPool({ size: 2, maxHeapMb: 128, maxOutputBytes: 100_000, graceMs: 1000 })
afterAll(() => pool.close())

async function failure(pending: Promise<unknown>) {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isMappingError(error)) throw new Error(`expected a MappingError, got ${String(error)}`)
  return error
}

/** Runs `work` while measuring how late a 10 ms timer fires on this event loop (the API's, in production). */
async function withLagProbe<T>(work: () => Promise<T>): Promise<{ result: T; lags: number[] }> {
  const lags: number[] = []
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    lags.push(now - last - 10)
    last = now
  }, 10)
  try {
    return { result: await work(), lags }
  } finally {
    clearInterval(timer)
  }
}

describe('MappingPool', () => {
  it('evaluates a mapping in a child process, answering $lookupTable from this process', async () => {
    const value = await pool.evaluate({
      source: "{ 'vendor': $lookupTable('vendorNo', mst), 'n': $count(lines) }",
      input: { mst: '0100047516', lines: [1, 2, 3] },
      env: {
        lookup: async (table, key) =>
          table === 'vendorNo' ? { '0100047516': 'V0010' }[String(key)] : undefined,
      },
    })
    expect(value).toEqual({ vendor: 'V0010', n: 3 })
  }, 60_000)

  it('evaluates a batch in one hop: lookups of many records travel together, errors stay per record', async () => {
    const asked: string[] = []
    const outcomes = await pool.evaluateMany({
      expressions: [{ source: "{ 'vendor': $lookupTable('vendorNo', mst) }" }, { source: 'n * 2' }],
      items: [
        ...Array.from({ length: 40 }, (_, i) => ({
          expr: 0,
          input: { mst: `M${i % 4}` },
          recordKey: `R${i}`,
        })),
        { expr: 1, input: { n: 21 } },
        { expr: 0, input: { mst: 'unknown' }, recordKey: 'R-missing' },
      ],
      lookup: (table, key) => {
        asked.push(String(key))
        return table === 'vendorNo' && String(key).startsWith('M') ? `V-${String(key)}` : undefined
      },
    })
    expect(outcomes.slice(0, 4)).toEqual(
      [0, 1, 2, 3].map((i) => ({ ok: true, value: { vendor: `V-M${i}` } })),
    )
    expect(outcomes[40]).toEqual({ ok: true, value: 42 })
    const missing = outcomes[41]!
    expect(missing.ok ? undefined : [missing.error.code, missing.error.recordKey]).toEqual([
      'lookup_missing',
      'R-missing',
    ])
    // The same key asked by several records of the batch is asked once.
    expect(asked.sort()).toEqual(['M0', 'M1', 'M2', 'M3', 'unknown'])
  }, 60_000)

  it("answers found keys in the child from a table's rows, sent with the first answer; misses are still asked", async () => {
    const vendors = new Map([
      ['M1', 'V1'],
      ['M2', 'V2'],
    ])
    const asked: string[] = []
    const lookup = Object.assign(
      (_: string, key: unknown) => {
        asked.push(String(key))
        return vendors.get(String(key))
      },
      { rows: async () => vendors },
    )
    const batch = (keys: string[]) =>
      pool.evaluateMany({
        expressions: [{ source: "$lookupTable('vendorNo', mst, 'none')" }],
        items: keys.map((mst) => ({ expr: 0, input: { mst } })),
        lookup,
      })
    // The child maps four records at a time: the first four ask for M1 (once, bringing the rows); the
    // records after them find M2 in the rows; M3 is not there, so it is asked.
    const first = await batch(['M1', 'M1', 'M1', 'M1', 'M2', 'M2', 'M3'])
    expect(first.map((o) => (o.ok ? o.value : o.error.code))).toEqual([
      'V1',
      'V1',
      'V1',
      'V1',
      'V2',
      'V2',
      'none',
    ])
    expect(asked).toEqual(['M1', 'M3'])
    // Rows that changed are a new Map: sent anew, and used.
    const changed = new Map([
      ['M1', 'V1'],
      ['M2', 'V2-changed'],
    ])
    lookup.rows = async () => changed
    const again = await batch(['M1', 'M1', 'M1', 'M1', 'M2'])
    expect(again.at(-1)).toEqual({ ok: true, value: 'V2-changed' })
  }, 60_000)

  it('sends the tables a mapping used with its next batches: a complete table answers every key in the child', async () => {
    const rates = new Map([['VAT10', 'V10']])
    const asked: string[] = []
    const lookup = Object.assign(
      (_: string, key: unknown) => {
        asked.push(String(key))
        return rates.get(String(key))
      },
      { rows: async () => rates, complete: () => true, describe: () => 'add it to the rates table' },
    )
    const batch = (keys: string[]) =>
      pool.evaluateMany({
        expressions: [{ source: "$lookupTable('rates', code, 'none') & '/' & $string(n)" }],
        items: keys.map((code, n) => ({ expr: 0, input: { code, n } })),
        lookup,
      })
    // The first batch asks (and learns which table the mapping uses); the next ones bring its rows along.
    await batch(['VAT10'])
    asked.length = 0
    const outcomes = await batch(['VAT10', 'VAT8'])
    expect(outcomes.map((o) => (o.ok ? o.value : o.error.code))).toEqual(['V10/0', 'none/1'])
    expect(asked).toEqual([])
    // A miss without a default fails in the child with the resolver's words for where the key belongs.
    const [missing] = await pool.evaluateMany({
      expressions: [{ source: "$lookupTable('rates', code)" }],
      items: [{ expr: 0, input: { code: 'VAT0' } }],
      lookup,
    })
    const [again] = await pool.evaluateMany({
      expressions: [{ source: "$lookupTable('rates', code)" }],
      items: [{ expr: 0, input: { code: 'VAT0' } }],
      lookup,
    })
    for (const outcome of [missing!, again!])
      expect(outcome.ok ? undefined : outcome.error.message).toContain('add it to the rates table')
    expect(asked).toEqual(['VAT0'])
  }, 60_000)

  it("filters a batch's items by `when` in the same hop: falsy skips, an error fails only its item", async () => {
    const outcomes = await pool.evaluateMany({
      expressions: [{ source: 'n * 10' }, { source: "n > 1 and $string(n) != '5' and $number(s) > 0" }],
      items: [{ n: 1 }, { n: 2, s: '1' }, { n: 3, s: 'x' }, { n: 4, s: '1' }].map((input) => ({
        expr: 0,
        when: 1,
        input,
      })),
    })
    expect(outcomes[0]).toEqual({ ok: true, value: null, skipped: true })
    expect(outcomes[1]).toEqual({ ok: true, value: 20 })
    expect(outcomes[2]!.ok ? undefined : outcomes[2]!.error.code).toBe('D3030')
    expect(outcomes[3]).toEqual({ ok: true, value: 40 })
  }, 60_000)

  it("fails only the record that hit a limit when a batch's child is killed; the rest are mapped", async () => {
    const outcomes = await pool.evaluateMany({
      expressions: [
        { source: 'a + 1' },
        { source: "$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a+)+$/)" },
      ],
      items: [
        { expr: 0, input: { a: 1 } },
        { expr: 1, input: {}, recordKey: 'attack' },
        { expr: 0, input: { a: 2 } },
      ],
    })
    expect(outcomes[0]).toEqual({ ok: true, value: 2 })
    expect(outcomes[2]).toEqual({ ok: true, value: 3 })
    const attack = outcomes[1]!
    expect(attack.ok ? undefined : [attack.error.code, attack.error.recordKey]).toEqual([
      'wall_time_limit',
      'attack',
    ])
  }, 120_000)

  it('runs a lone item again on a fresh child when its child dies under it; fails it only when that dies too', async () => {
    // A child can die of its heap because of what an earlier hop left behind, not of the item it was
    // running then: the item gets one more try, and only an item that kills its second child fails.
    const lone = new MappingPool({ size: 1, maxHeapMb: 128, graceMs: 60_000 })
    const slots = (
      lone as unknown as { slots: { busy?: unknown; child: import('node:child_process').ChildProcess }[] }
    ).slots
    const killBusy = async (times: number) => {
      for (let killed = 0; killed < times; ) {
        const busy = slots.find((s) => s.busy && s.child.exitCode === null && s.child.signalCode === null)
        if (busy) {
          busy.child.kill('SIGKILL')
          killed++
          while (slots.includes(busy)) await new Promise((r) => setTimeout(r, 5))
        } else await new Promise((r) => setTimeout(r, 5))
      }
    }
    const slow = { source: '$sum($map([1..400000], function($v) { $v % 7 }))', input: {}, timeoutMs: 60_000 }
    try {
      const once = lone.evaluate(slow)
      await killBusy(1)
      await expect(once).resolves.toBeTypeOf('number')
      const twice = failure(lone.evaluate(slow))
      await killBusy(2)
      expect((await twice).code).toBe('mapping_failed')
    } finally {
      await lone.close()
    }
  }, 120_000)

  it('keeps JSONata and Ferry errors with their codes', async () => {
    const error = await failure(
      pool.evaluate({ source: "$lookupTable('t', k)", input: { k: 'x' }, env: { recordKey: 'R1' } }),
    )
    expect(error.code).toBe('lookup_missing')
    expect(error.recordKey).toBe('R1')
    expect((await failure(pool.evaluate({ source: "'a' + 1", input: {} }))).code).toBe('T2001')
  }, 60_000)

  // The three attacks of issue 13, finding 3. Each used to run inside the API process and freeze it.
  it.each([
    ['a huge $pad', "$length($pad('', 1e8))", ['wall_time_limit', 'memory_limit']],
    ['a backtracking regex', "$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a+)+$/)", ['wall_time_limit']],
    // The bare ten-million range can fit a child's heap and time on a quiet machine; ten million
    // objects built from it never do (a hundred million is JSONata's own D2014, not a resource limit).
    [
      'a ten-million range mapped to objects',
      "$count($map([1..1e7], function($v) { {'v': $v} }))",
      ['wall_time_limit', 'memory_limit', 'D1012'],
    ],
  ])(
    'stops %s with a limit error, while this event loop stays responsive and its memory does not grow',
    async (_, source, codes) => {
      const rssBefore = process.memoryUsage().rss
      const { result: error, lags } = await withLagProbe(() => failure(pool.evaluate({ source, input: {} })))
      expect(codes).toContain(error.code)
      expect(error.message).toMatch(/limit/)
      // Generous for a loaded machine: a blocked loop would show the whole attack (seconds) as one lag.
      expect(Math.max(...lags)).toBeLessThan(1000)
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024)
      // The killed child was replaced: the pool still maps.
      await expect(pool.evaluate({ source: '1 + 1', input: {} })).resolves.toBe(2)
    },
    120_000,
  )

  it('fails a result over the output limit with output_limit, for good', async () => {
    const error = await failure(pool.evaluate({ source: "$pad('', 200000, 'x')", input: {} }))
    expect(error.code).toBe('output_limit')
    expect(error.message).toContain('100000-byte output limit')
  }, 60_000)

  it('fails an evaluation that exhausts its heap with memory_limit', async () => {
    const small = new MappingPool({ size: 1, maxHeapMb: 64, graceMs: 60_000 })
    try {
      const error = await failure(
        small.evaluate({ source: "[1..3e6].{ 'n': $, 's': $string($) }", input: {}, timeoutMs: 60_000 }),
      )
      expect(error.code).toBe('memory_limit')
      expect(error.message).toContain('64 MB')
    } finally {
      await small.close()
    }
  }, 120_000)
})
