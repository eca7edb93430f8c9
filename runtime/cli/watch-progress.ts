import { type ProgressState, renderProgress, renderSummary } from './render-progress.ts'

/** Where a progress display draws: a TTY redraws one line in place, anything else gets one line per poll. */
export interface ProgressScreen {
  out(line: string): void
  /** Raw output, for the in-place redraw (used only when `tty`). */
  write?(text: string): void
  tty: boolean
  columns?: number
}

/**
 * Polls `poll` every `intervalMs` and draws each state until one is `done`, then prints the summary.
 * Returns the last state, so the command can choose its exit code.
 */
export async function watchProgress(
  poll: () => Promise<ProgressState>,
  screen: ProgressScreen,
  options: { intervalMs: number; replayHint: string; sleep?: (ms: number) => Promise<void> },
): Promise<ProgressState> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const inPlace = screen.tty && screen.write !== undefined
  let drawn = false
  try {
    for (;;) {
      const state = await poll()
      const line = renderProgress(state, { tty: inPlace, columns: screen.columns })
      if (inPlace) screen.write!(`\r\x1b[2K${line}`)
      else screen.out(line)
      drawn = true
      if (state.done) {
        if (inPlace) screen.write!('\n')
        for (const summary of renderSummary(state, options.replayHint)) screen.out(summary)
        return state
      }
      await sleep(options.intervalMs)
    }
  } catch (error) {
    // An error mid-watch must not glue its message to the half-drawn progress line.
    if (inPlace && drawn) screen.write!('\n')
    throw error
  }
}
