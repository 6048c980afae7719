import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { env } from '@/lib/env'
import { signInProviders } from '@/lib/auth/server'
import { currentAccessMode, readCaller } from '@/lib/auth/viewer'
import { safeNextPath } from '@/lib/auth/next-path'
import { signInAction } from './actions'

export const dynamic = 'force-dynamic'
export const metadata = { title: 'Sign in' }

/** Fixed messages per error code: the page never repeats text from its address (someone could write it). */
function errorMessage(code: string): string {
  const config = env()
  const where = config.UPSHOT_GITHUB_TEAM
    ? `the ${config.UPSHOT_GITHUB_ORG}/${config.UPSHOT_GITHUB_TEAM} team`
    : `the ${config.UPSHOT_GITHUB_ORG ?? ''} organisation`
  switch (code) {
    case 'not_a_member':
      return `That GitHub account is not an active member of ${where}. Ask an owner to add you, or accept a pending invitation, then try again.`
    case 'account_not_linked':
      return 'Someone with that e-mail address already signs in with another provider. Sign in the way you did before; Upshot never merges accounts by e-mail.'
    case 'unknown_provider':
      return 'That sign-in provider is not configured here.'
    case 'provider_unavailable':
      return 'The sign-in provider could not be reached. Try again in a minute; if it keeps failing, tell whoever runs Upshot.'
    case 'state_mismatch':
    case 'please_restart_the_process':
      return 'The sign-in took too long or was started in another tab. Start again.'
    default:
      return 'The sign-in did not complete. Try again; if it keeps failing, tell whoever runs Upshot.'
  }
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  if (currentAccessMode().mode !== 'sign-in') redirect('/')
  const params = await searchParams
  const next = safeNextPath(typeof params.next === 'string' ? params.next : '/')
  if ((await readCaller(await headers())).ok) redirect(next)
  const error = typeof params.error === 'string' ? params.error.slice(0, 60) : null
  const providers = signInProviders()
  return (
    <main className="sign-in">
      <h1>Upshot</h1>
      <p>Sign in to see your organisation’s delivery, onboarding and portal metrics.</p>
      {error ? (
        <p className="notice" role="alert" data-testid="sign-in-error">
          {errorMessage(error)}
        </p>
      ) : null}
      <ul className="sign-in-providers">
        {providers.map((provider) => (
          <li key={provider.id}>
            <form action={signInAction}>
              <input type="hidden" name="provider" value={provider.id} />
              <input type="hidden" name="next" value={next} />
              <button type="submit" className="button">
                Sign in with {provider.name}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </main>
  )
}
