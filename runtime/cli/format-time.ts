/** An instant as `2026-05-01 10:00:03Z`: sortable, unambiguous, the same on every machine. */
export function formatTime(at: string | Date): string {
  return new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
}
