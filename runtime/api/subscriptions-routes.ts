import { redactSecrets } from '../../core/connector/connector-error.ts'
import { NotFoundError } from '../engine/flow-control.ts'
import { getSubscription, listSubscriptions } from '../store/subscriptions-queries.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { ApiProblem, notFound } from './problem.ts'

/** Tenant routes: webhook subscriptions at remote systems (their signing secrets never leave the store). */
export function subscriptionsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/subscriptions',
      operationId: 'listSubscriptions',
      summary: 'List webhook subscriptions, soonest to expire first',
      tag: 'subscriptions',
      access: 'tenant',
      responses: { 200: { description: 'Subscriptions', schema: 'SubscriptionList' } },
      handle: async (c, { tenantId }) => c.json({ items: await listSubscriptions(deps.db, tenantId) }),
    },
    {
      method: 'post',
      path: '/v1/subscriptions/:subscriptionId/renew',
      operationId: 'renewSubscription',
      summary: 'Renew a subscription at the remote system now',
      tag: 'subscriptions',
      access: 'tenant',
      responses: {
        200: { description: 'The subscription after renewal', schema: 'Subscription' },
        502: { description: 'The remote system refused; its reason', schema: 'Problem' },
      },
      handle: async (c, { tenantId, params }) => {
        const sub = await getSubscription(deps.db, tenantId, params.subscriptionId!)
        if (!sub) throw notFound('subscription', params.subscriptionId!)
        try {
          await deps.flowControl.renewSubscription(tenantId, sub.id)
        } catch (error) {
          // The remote refused (or could not be reached): its reason, not a 500, and the row keeps it.
          if (error instanceof NotFoundError) throw error
          const reason = redactSecrets(error instanceof Error ? error.message : String(error))
          throw new ApiProblem(
            502,
            'renew-failed',
            `the remote system did not renew the subscription: ${reason}`,
          )
        }
        return c.json(await getSubscription(deps.db, tenantId, sub.id))
      },
    },
  ]
}
