import type { BenchScenario } from '../scenario.ts'
import { mappingStage } from './mapping-stage.ts'

/** Every benchmark `npm run bench` runs, in order. Add a scenario here only once it measures something real. */
export const scenarios: readonly BenchScenario[] = [mappingStage]
