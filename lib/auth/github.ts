// Who someone is on GitHub, and whether they may sign in: a member of UPSHOT_GITHUB_ORG (and of
// UPSHOT_GITHUB_TEAM in it, when set), asked of GitHub with the token they just granted (scope read:org).
import 'server-only'
import { z } from 'zod'

const userSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  avatar_url: z.string().nullish(),
})
const emailsSchema = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }))
const membershipSchema = z.object({ state: z.string() })

export interface GitHubIdentity {
  [key: string]: unknown
  id: string
  login: string
  name: string
  email: string
  emailVerified: boolean
  image?: string
  /** Why they may not sign in, or null when they may. */
  refusal: string | null
}

export interface GitHubSignInRule {
  apiUrl: string
  org: string
  team?: string | undefined
}

async function getJson(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'upshot',
    },
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  let body: unknown = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    body = null
  }
  return { status: response.status, body }
}

/** The signed-in GitHub user, with `refusal` set when they are outside the organisation or team. */
export async function githubIdentity(token: string, rule: GitHubSignInRule): Promise<GitHubIdentity | null> {
  const api = rule.apiUrl.replace(/\/+$/, '')
  const me = await getJson(`${api}/user`, token)
  const user = userSchema.safeParse(me.body)
  if (me.status !== 200 || !user.success) return null
  const { id, login } = user.data

  const emails = await getJson(`${api}/user/emails`, token)
  const listed = emailsSchema.safeParse(emails.body)
  const primary = listed.success ? listed.data.find((entry) => entry.primary && entry.verified) : undefined
  // GitHub's own no-reply address when no verified e-mail is visible: unique per account, never someone else's
  const email = primary?.email ?? `${id}+${login}@users.noreply.github.com`

  const membershipUrl = rule.team
    ? `${api}/orgs/${encodeURIComponent(rule.org)}/teams/${encodeURIComponent(rule.team)}/memberships/${encodeURIComponent(login)}`
    : `${api}/user/memberships/orgs/${encodeURIComponent(rule.org)}`
  const membership = await getJson(membershipUrl, token)
  const state = membershipSchema.safeParse(membership.body)
  const where = rule.team ? `the ${rule.org}/${rule.team} team` : `the ${rule.org} organisation`
  const refusal =
    membership.status === 200 && state.success && state.data.state === 'active'
      ? null
      : `${login} is not an active member of ${where} on GitHub`

  return {
    id: String(id),
    login,
    name: user.data.name || login,
    email,
    emailVerified: Boolean(primary),
    ...(user.data.avatar_url ? { image: user.data.avatar_url } : {}),
    refusal,
  }
}
