import type { View } from '../console-env.ts'
import type { MessageKey } from '../i18n/messages-en.ts'

const TONES: Record<string, string> = {
  delivered: 'ok',
  failed: 'bad',
  awaiting: 'warn',
  delivering: 'warn',
  queued: 'idle',
  skipped: 'idle',
}

/** The record states, in the order a record passes through them. */
export const RECORD_STATES = ['queued', 'delivering', 'awaiting', 'delivered', 'skipped', 'failed'] as const

/** A record state's label in the page's language. */
export function stateLabel(view: View, state: string): string {
  return (RECORD_STATES as readonly string[]).includes(state) ? view.t(`state.${state}` as MessageKey) : state
}

/** A record state as a coloured badge with its name in the page's language. */
export function RecordState(props: { view: View; state: string }) {
  return (
    <span class={`state state-${TONES[props.state] ?? 'idle'}`}>{stateLabel(props.view, props.state)}</span>
  )
}
