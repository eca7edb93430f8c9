/**
 * Moves this process's clock (`Date.now()`, `new Date()`) to `to` while it keeps ticking; returns the
 * function that puts it back. PostgreSQL's clock is left alone, as it would be when a worker's host
 * clock runs ahead: tests of anything derived from the clock run with it moved decades ahead.
 */
export function shiftClock(to: Date | string): () => void {
  const RealDate = Date
  const offset = new RealDate(to).getTime() - RealDate.now()
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset)
      else super(...(args as [string | number | Date]))
    }
    static override now(): number {
      return RealDate.now() + offset
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor
  return () => {
    globalThis.Date = RealDate
  }
}
