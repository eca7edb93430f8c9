import { describe, expect, it } from 'vitest'
import { compileMapping } from '../compile-mapping.ts'

const call = (fn: string, ...args: unknown[]) =>
  compileMapping(`$${fn}(${args.map((_, i) => `$a${i}`).join(', ')})`).evaluate(
    {},
    { vars: Object.fromEntries(args.map((arg, i) => [`a${i}`, arg])) },
  )

describe('date functions', () => {
  it.each([
    ['bcDate', ['2026-04-15'], '2026-04-15'],
    ['bcDate', ['2024-05-02T00:00:00'], '2024-05-02'],
    ['bcDate', ['2026-04-15T23:30:00Z'], '2026-04-15'],
    ['bcDate', ['2024-11-06T10:59:06.1571577+07:00'], '2024-11-06'],
    ['bcDate', ['2026-03-05 09:00:00'], '2026-03-05'],
    ['bcDate', ['05/03/2026'], '2026-03-05'],
    ['bcDate', ['0001-01-01'], '0001-01-01'],
    ['bcDate', ['2024-02-29'], '2024-02-29'],
    ['bcDate', [Date.UTC(2026, 3, 15, 12)], '2026-04-15'],
    ['vnDate', ['2026-04-05'], '05/04/2026'],
    ['vnDate', ['2026-04-05T00:00:00'], '05/04/2026'],
    ['isoDateTime', ['2026-04-15T10:00:00+07:00'], '2026-04-15T03:00:00Z'],
    ['isoDateTime', ['2026-04-15T10:00:00'], '2026-04-15T10:00:00Z'],
    ['isoDateTime', ['2026-03-05 09:00:00', '+07:00'], '2026-03-05T02:00:00Z'],
    ['isoDateTime', ['2026-01-01T00:30:00.5+07:00'], '2025-12-31T17:30:00.500Z'],
    ['isoDateTime', ['2024-11-06T10:59:06.1571577+07:00'], '2024-11-06T03:59:06.157Z'],
    ['vietnamTime', ['2026-04-15T20:00:00Z'], '2026-04-16T03:00:00+07:00'],
    ['vietnamTime', ['2026-04-15T10:00:00+07:00'], '2026-04-15T10:00:00+07:00'],
    ['vietnamTime', ['2026-03-05 09:00:00'], '2026-03-05T09:00:00+07:00'],
    ['vietnamTime', ['2026-03-05T02:00:00', 'Z'], '2026-03-05T09:00:00+07:00'],
    ['parseDate', ['15/04/2026', 'dd/MM/yyyy'], '2026-04-15'],
    ['parseDate', ['5/4/2026', 'd/M/yyyy'], '2026-04-05'],
    ['parseDate', ['20260415', 'yyyyMMdd'], '2026-04-15'],
    ['parseDate', ['15.04.2026 14:05', 'dd.MM.yyyy HH:mm'], '2026-04-15T14:05:00'],
    ['parseDate', ['2026-03-05 09:00:00', 'yyyy-MM-dd HH:mm:ss'], '2026-03-05T09:00:00'],
  ])('$%s(%j) = %s', async (fn, args, expected) => {
    expect(await call(fn, ...args)).toBe(expected)
  })

  it.each(['bcDate', 'vnDate', 'isoDateTime', 'vietnamTime'])(
    '$%s leaves missing and empty dates missing',
    async (fn) => {
      expect(await call(fn, null)).toBeNull()
      expect(await call(fn, '')).toBeNull()
    },
  )

  it.each([
    ['bcDate', ['2026-02-30']],
    ['bcDate', ['2025-02-29']],
    ['bcDate', ['2026-13-01']],
    ['bcDate', ['2026-04-15T24:00:00']],
    ['bcDate', ['15 April 2026']],
    ['vnDate', ['31/04/2026']],
    ['isoDateTime', ['2026-04-15T10:00:00+15:00']],
    ['parseDate', ['2026-04-15', 'dd/MM/yyyy']],
    ['parseDate', ['31/02/2026', 'dd/MM/yyyy']],
  ])('$%s(%j) fails with invalid_date naming the value', async (fn, args) => {
    const failure = call(fn, ...args)
    await expect(failure).rejects.toMatchObject({ code: 'invalid_date' })
    await expect(failure).rejects.toThrow(JSON.stringify(args[0]))
  })

  it.each([
    ['isoDateTime', ['2026-04-15', 'ICT']],
    ['parseDate', ['2026-04-15', '']],
  ])('$%s(%j) fails with invalid_argument', async (fn, args) => {
    await expect(call(fn, ...args)).rejects.toMatchObject({ code: 'invalid_argument' })
  })
})
