import Link from 'next/link'
import { Section } from '@/app/_components/section'
import { guardPage } from '@/lib/auth/guard'
import { getSubscriptionsPage, type SubscriptionView } from '@/lib/data/subscriptions'
import { formatDate } from '@/lib/format'
import { startDeliveryWorker } from '@/lib/publish/worker'
import { deleteSubscriptionAction, pauseSubscriptionAction, sendNowAction } from './actions'
import { SmtpForm } from './smtp-form'
import { SubscriptionForm } from './subscription-form'

export const metadata = { title: 'Subscriptions' }

const when = (at: Date) => `${formatDate(at)} ${at.toISOString().slice(11, 16)} UTC`

export default async function SubscriptionsPage() {
  await guardPage('admin')
  // the page that sets deliveries up makes sure this server works them
  void startDeliveryWorker()
  const page = await getSubscriptionsPage()
  return (
    <>
      <header className="page-header">
        <h1>Subscriptions</h1>
        <p>
          The one-pager, sent weekly or monthly by e-mail (PDF attached) or to Slack, with its headline sentences and
          any goal met or at risk. Every one sent is kept on the <Link href="/snapshots">Snapshots</Link> page. A failed
          delivery is tried again with growing waits; each attempt is listed below.
        </p>
        {page.keyProblem ? (
          <p className="notice" role="alert" data-testid="key-problem">
            {page.keyProblem}
          </p>
        ) : null}
      </header>
      <Section title="Subscriptions" testId="subscriptions">
        {page.subscriptions.length === 0 ? (
          <p>None yet: add one below.</p>
        ) : (
          page.subscriptions.map((subscription) => (
            <SubscriptionCard key={subscription.id} subscription={subscription} />
          ))
        )}
      </Section>
      <Section title="Add a subscription" testId="add-subscription">
        <SubscriptionForm initiatives={page.initiatives} />
      </Section>
      <Section
        title="SMTP server"
        testId="smtp"
        lede={
          page.smtp
            ? `E-mail goes through ${page.smtp.host}:${page.smtp.port}${page.smtp.username ? ` as ${page.smtp.username}` : ''}${page.smtp.hasPassword ? ' (password saved, encrypted)' : ''}.`
            : page.smtpFromEnvironment
              ? 'E-mail goes through the server UPSHOT_SMTP_URL names; one saved here takes its place.'
              : 'No SMTP server yet: e-mail subscriptions fail until one is saved here or UPSHOT_SMTP_URL is set.'
        }
      >
        <SmtpForm
          hasPassword={page.smtp?.hasPassword ?? false}
          initial={{
            host: page.smtp?.host ?? '',
            port: page.smtp ? String(page.smtp.port) : '',
            secure: page.smtp?.secure ?? false,
            username: page.smtp?.username ?? '',
            from: page.smtp?.from ?? '',
          }}
        />
      </Section>
    </>
  )
}

function SubscriptionCard({ subscription }: { subscription: SubscriptionView }) {
  return (
    <article className="card" data-testid={`subscription-${subscription.id}`}>
      <h3>{subscription.name}</h3>
      <p>
        {subscription.initiative ?? 'The organisation’s one-pager'} · {subscription.cadence} ·{' '}
        <span data-testid={`destination-${subscription.id}`}>{subscription.destination}</span> ·{' '}
        {subscription.paused ? <strong>paused</strong> : <>next {when(subscription.nextDueAt)}</>}
      </p>
      <div className="form-actions">
        <form action={sendNowAction}>
          <input type="hidden" name="id" value={subscription.id} />
          <button type="submit">Send now</button>
        </form>
        <form action={pauseSubscriptionAction}>
          <input type="hidden" name="id" value={subscription.id} />
          <input type="hidden" name="paused" value={subscription.paused ? '0' : '1'} />
          <button type="submit">{subscription.paused ? 'Resume' : 'Pause'}</button>
        </form>
        <form action={deleteSubscriptionAction}>
          <input type="hidden" name="id" value={subscription.id} />
          <button type="submit" className="danger">
            Delete
          </button>
        </form>
      </div>
      {subscription.deliveries.length === 0 ? (
        <p>Nothing sent yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid={`deliveries-${subscription.id}`}>
            <caption>Latest deliveries</caption>
            <thead>
              <tr>
                <th scope="col">For</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Snapshot</th>
              </tr>
            </thead>
            <tbody>
              {subscription.deliveries.map((delivery) => (
                <tr key={delivery.id} data-testid={`delivery-${delivery.id}`}>
                  <td>{delivery.period}</td>
                  <td data-testid={`delivery-status-${delivery.id}`}>
                    {delivery.status === 'sent' && delivery.sentAt
                      ? `sent ${when(delivery.sentAt)}`
                      : delivery.status === 'failed'
                        ? 'failed, given up'
                        : delivery.attempts > 0
                          ? 'failed, will retry'
                          : 'sending'}
                  </td>
                  <td>
                    <ol className="attempts" data-testid={`attempts-${delivery.id}`}>
                      {delivery.attemptLog.map((attempt) => (
                        <li key={attempt.id}>
                          {when(attempt.at)}: {attempt.ok ? 'sent' : `failed – ${attempt.error ?? 'no reason given'}`}
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td>{delivery.snapshotId ? <Link href={`/snapshots/${delivery.snapshotId}`}>open</Link> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  )
}
