import type { Locator, Page } from 'playwright-core'

/**
 * Counts what a journey costs a person: the pages shown (every main-frame navigation, by path), the
 * clicks and the fields typed into. Every action of a journey test goes through it.
 */
export function countJourney(page: Page) {
  const pages: string[] = []
  let clicks = 0
  let typed = 0
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) pages.push(new URL(frame.url()).pathname)
  })
  return {
    async click(locator: Locator) {
      clicks++
      await locator.click()
    },
    async fill(locator: Locator, value: string) {
      typed++
      await locator.fill(value)
    },
    async select(locator: Locator, label: string) {
      clicks++
      await locator.selectOption({ label })
    },
    summary: () => ({ pages: pages.length, distinctPages: new Set(pages).size, clicks, typed, path: pages }),
  }
}
