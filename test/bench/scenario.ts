/** How a scenario is asked to run. */
export interface BenchOptions {
  /** The small version for CI and quick checks: fewer and shorter runs, same workload shape. */
  quick: boolean
}

/** What a scenario measured. Figures are medians over `samples` (one sample per run). */
export interface BenchResult {
  figure: number
  unit: string
  /** The comparison measured in the same run (e.g. bare JSONata), in the same unit. */
  baseline?: number
  baselineLabel?: string
  /** figure ÷ baseline (median of per-run ratios when runs are paired). */
  ratio?: number
  targetMet?: boolean
  notes?: string
  samples: number[]
}

/** One benchmark: issue 8 lists them; each states its workload exactly so anyone can reproduce it. */
export interface BenchScenario {
  id: string
  title: string
  /** The exact workload: data, sizes, what is timed, how many runs. */
  workload: string
  /** The target in words, e.g. "Ferry ≥ 90 % of bare JSONata". */
  target: string
  /** Runs only with `--peers`: it compares with another product installed outside the repository on first use. */
  peer?: boolean
  run(options: BenchOptions): Promise<BenchResult>
}
