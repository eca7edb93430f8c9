import type { MappingFunction } from '../mapping-context.ts'
import { dateFunctions } from './dates.ts'
import { lookupFunctions, lookupSignatures } from './lookup.ts'
import { moneyFunctions } from './money.ts'
import { stringFunctions } from './strings.ts'
import { vietnamFunctions } from './vietnam.ts'
import { vndFunctions } from './vnd.ts'

/**
 * Every function Ferry adds to JSONata, by name (`$roundMoney` → `roundMoney`). Registered once per
 * compiled expression; per-evaluation data (the lookup resolver, the deadline) reaches them through the
 * evaluation context, never through re-registration.
 */
export const mappingFunctions: Readonly<Record<string, MappingFunction>> = {
  ...lookupFunctions,
  ...moneyFunctions,
  ...vndFunctions,
  ...dateFunctions,
  ...stringFunctions,
  ...vietnamFunctions,
}

/** JSONata signatures (`<sjj?:j>`…) of the functions that declare one; JSONata type-checks their arguments. */
export const mappingSignatures: Readonly<Record<string, string>> = { ...lookupSignatures }
