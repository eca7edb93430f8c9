import type { Locator, Page } from 'playwright-core'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An action the journey takes on purpose although a person would not need it (a wrong secret first). */
interface Detour {
  /** Why the journey takes it, e.g. "wrong secret". */
  detour?: string
  /** The action submits a form, so it also costs a page load. */
  submits?: boolean
}

/** What a journey cost a person, as walked and without its detours. */
export interface JourneyCost {
  /** Main-frame page loads (a form that redirects counts once), and the distinct pages among them. */
  pages: number
  distinctPages: number
  clicks: number
  typed: number
  /** Typed values that were GUIDs (the aim: none). */
  guids: number
  /** The same without the detours. */
  needed: { pages: number; clicks: number; typed: number; guids: number }
  detours: string[]
  path: string[]
}

/**
 * Counts what a journey costs a person: the pages shown (every main-frame navigation, by path), the
 * clicks and the fields typed into. Every action of a journey test goes through it; actions taken
 * only to show a failure are marked as detours, so the report can say what the journey needs.
 */
export function countJourney(page: Page) {
  const pages: string[] = []
  let clicks = 0
  let typed = 0
  let guids = 0
  const skipped = { pages: 0, clicks: 0, typed: 0, guids: 0 }
  const detours = new Set<string>()
  const note = (options: Detour, kind: 'clicks' | 'typed') => {
    if (!options.detour) return
    detours.add(options.detour)
    skipped[kind]++
    if (options.submits) skipped.pages++
  }
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) pages.push(new URL(frame.url()).pathname)
  })
  return {
    async click(locator: Locator, options: Detour = {}) {
      clicks++
      note(options, 'clicks')
      await locator.click()
    },
    async fill(locator: Locator, value: string, options: Detour = {}) {
      typed++
      const guid = GUID.test(value.trim())
      if (guid) guids++
      if (guid && options.detour) skipped.guids++
      note(options, 'typed')
      await locator.fill(value)
    },
    async select(locator: Locator, label: string, options: Detour = {}) {
      clicks++
      note(options, 'clicks')
      await locator.selectOption({ label })
    },
    /** The figures so far. */
    summary: (): JourneyCost => ({
      pages: pages.length,
      distinctPages: new Set(pages).size,
      clicks,
      typed,
      guids,
      needed: {
        pages: pages.length - skipped.pages,
        clicks: clicks - skipped.clicks,
        typed: typed - skipped.typed,
        guids: guids - skipped.guids,
      },
      detours: [...detours],
      path: [...pages],
    }),
    /** The figures as one sentence (what the closing note and the README quote). */
    report(label: string): string {
      const s = this.summary()
      return (
        `${label}: ${s.pages} page loads (${s.distinctPages} distinct pages), ${s.clicks} clicks, ` +
        `${s.typed} typed fields (${s.guids} of them GUIDs) as walked; without the detours (${s.detours.join(', ') || 'none'}): ` +
        `${s.needed.pages} page loads, ${s.needed.clicks} clicks, ${s.needed.typed} typed fields (${s.needed.guids} GUIDs)`
      )
    },
  }
}
