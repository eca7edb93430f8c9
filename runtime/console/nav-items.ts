import type { MessageKey } from './i18n/messages-en.ts'

/** One entry of the console's main navigation. */
export interface NavItem {
  /** Path under /console (the page's route). */
  path: string
  label: MessageKey
}

/** The main navigation, in the order a finance team works: a page appears here once it exists. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/console/overview', label: 'nav.overview' },
  { path: '/console/integrations', label: 'nav.integrations' },
  { path: '/console/recipes', label: 'nav.recipes' },
  { path: '/console/masters', label: 'nav.masters' },
  { path: '/console/go-live', label: 'nav.goLive' },
  { path: '/console/activity', label: 'nav.activity' },
  { path: '/console/exceptions', label: 'nav.exceptions' },
  { path: '/console/diagnostics', label: 'nav.diagnostics' },
]
