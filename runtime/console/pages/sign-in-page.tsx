import type { View } from '../console-env.ts'
import { CSRF_FIELD } from '../csrf.ts'
import type { MessageKey } from '../i18n/messages-en.ts'
import { BareLayout } from '../layout.tsx'

/** The sign-in form: one password field for the tenant API key, and why the user is here. */
export function SignInPage(props: { view: View; next: string; message?: MessageKey; error?: boolean }) {
  const { view } = props
  return (
    <BareLayout view={view} title={view.t('signIn.title')}>
      <section class="card sign-in">
        <h1>{view.t('signIn.title')}</h1>
        {props.message ? (
          <p class={props.error ? 'error' : 'notice'} role={props.error ? 'alert' : 'status'}>
            {view.t(props.message)}
          </p>
        ) : null}
        <p>{view.t('signIn.intro')}</p>
        <form method="post" action="/console/sign-in">
          <input type="hidden" name={CSRF_FIELD} value={view.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label for="api-key">{view.t('signIn.key')}</label>
          <input
            id="api-key"
            name="key"
            type="password"
            autocomplete="off"
            required
            aria-invalid={props.error ? 'true' : undefined}
          />
          <button type="submit">{view.t('signIn.submit')}</button>
        </form>
      </section>
    </BareLayout>
  )
}
