import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Browser, chromium, type Page } from 'playwright-core'
import { expect } from 'vitest'

/** The Chromium binary: CHROMIUM_PATH, else the Debian package's `chromium` on PATH. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim()
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium (or set CHROMIUM_PATH)')
  }
}

/** Launches headless Chromium (no sandbox: CI runs as root in a container). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'], headless: true })
}

/**
 * A new page in its own context (its own cookies) that records what the browser refused or failed:
 * CSP violations, script errors and console errors. `problems()` lists them; a page that works has none.
 */
export async function openPage(browser: Browser, options: { locale?: string } = {}) {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-GB',
    viewport: { width: 1280, height: 900 },
  })
  const page = await context.newPage()
  page.setDefaultTimeout(30_000)
  page.setDefaultNavigationTimeout(60_000)
  const seen: string[] = []
  page.on('console', (m) => {
    // A form answered 4xx on purpose logs "Failed to load resource"; failed subresources are caught below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      seen.push(`console: ${m.text()}`)
  })
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document')
      seen.push(`${r.request().resourceType()} ${r.url()} → ${r.status()}`)
  })
  page.on('requestfailed', (r) => seen.push(`failed: ${r.url()} (${r.failure()?.errorText})`))
  page.on('pageerror', (e) => seen.push(`script: ${e.message}`))
  return { page, context, problems: () => [...seen] }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** One accessibility violation as axe reports it, trimmed to what a failure message needs. */
interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

/**
 * Runs axe-core on the page (WCAG 2.1 A and AA rules) and fails on any serious or critical
 * violation, naming the rule and the elements. axe is evaluated through the DevTools protocol, so
 * the page's CSP (no inline scripts) stays in force.
 */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  await page.evaluate(axeSource)
  const violations: Violation[] = await page.evaluate(async () => {
    const axe = (globalThis as any).axe
    const result = await axe.run((globalThis as any).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    })
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')),
    }))
  })
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious, `accessibility of ${label}`).toEqual([])
}
