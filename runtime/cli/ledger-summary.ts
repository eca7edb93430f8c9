/** One short line for a ledger event's data: the error message when there is one, else its scalar fields. */
export function ledgerSummary(data: Record<string, unknown>, maxLength = 100): string {
  const error = data.error as { message?: string; kind?: string } | undefined
  let text: string
  if (error && typeof error === 'object' && error.message)
    text = `${error.kind ? `${error.kind}: ` : ''}${error.message}`
  else
    text = Object.entries(data)
      .map(([k, v]) => {
        if (v === null || v === undefined) return undefined
        if (typeof v === 'object') return `${k}: {${Object.keys(v as object).length} fields}`
        return `${k}=${String(v)}`
      })
      .filter((p) => p !== undefined)
      .join(' ')
  text = text.replace(/\s+/g, ' ')
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text
}
