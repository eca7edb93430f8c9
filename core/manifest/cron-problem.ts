/** Checks 5-field cron expressions (minute hour day-of-month month day-of-week), the form schedules use. */

const fields = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const

/** What is wrong with a cron expression, or undefined when it is a valid 5-field expression. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== 5) {
    return `it has ${parts.length} field${parts.length === 1 ? '' : 's'}; cron needs 5 (minute hour day-of-month month day-of-week)`
  }
  for (const [i, part] of parts.entries()) {
    const field = fields[i]!
    for (const item of part.split(',')) {
      const problem = itemProblem(item, field)
      if (problem) return `in the ${field.name} field, ${problem}`
    }
  }
  return undefined
}

function itemProblem(item: string, field: (typeof fields)[number]): string | undefined {
  const [range, step, extra] = item.split('/')
  if (extra !== undefined || range === undefined || range === '')
    return `"${item}" is not a value, range or step`
  if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) return `step "${step}" must be a positive number`
  if (range === '*') return undefined
  const bounds = range.split('-')
  if (bounds.length > 2) return `"${range}" is not a value or range`
  const values = bounds.map((b) => fieldValue(b, field))
  for (const [j, value] of values.entries()) {
    if (value === undefined) return `"${bounds[j]}" is not a number${'names' in field ? ' or name' : ''}`
    if (value < field.min || value > field.max) return `${value} is outside ${field.min}-${field.max}`
  }
  if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" runs backwards`
  return undefined
}

function fieldValue(text: string, field: (typeof fields)[number]): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text)
  const index = 'names' in field ? (field.names as readonly string[]).indexOf(text.toUpperCase()) : -1
  if (index < 0) return undefined
  return field.name === 'month' ? index + 1 : index
}
