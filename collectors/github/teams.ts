// An organisation's teams and their members, for attributing work to the team a person was in at the time.
// Unchanged lists answer 304 (free); a changed one is read in full and reconciled in one transaction.
import type { ZodType } from 'zod'
import { ensurePeople, reconcileMemberships, reconcileTeams } from '@/db/queries/organisation'
import { completeSyncScope, getSyncState } from '@/db/queries/sync'
import { toIsoDate } from '@/lib/dates'
import type { GitHubSource } from '@/collectors/config'
import type { RunContext } from '@/collectors/sync-run'
import { membersSchema, teamsSchema } from './api-types'
import { REST_PAGE, requireOk, type GitHubClient } from './client'

export async function syncTeams(
  context: RunContext,
  { client, config, today = toIsoDate(new Date()) }: { client: GitHubClient; config: GitHubSource; today?: string },
): Promise<void> {
  const scope = `${config.organisation}:teams`
  const state = await getSyncState(context.db, { source: context.source, scope })
  const org = config.organisation
  // Unchanged when the team list and every known team's member list answer 304, and no team named in the
  // sources file is new there (its members were never read).
  if (state.etags.teams) {
    const configured = Array.isArray(config.teams) ? config.teams : []
    let changed = configured.some((slug) => !(`members:${slug}` in state.etags))
    if (!changed)
      changed =
        (
          await client.rest('GET /orgs/{org}/teams', { org, per_page: REST_PAGE }, teamsSchema, {
            etag: state.etags.teams,
          })
        ).status === 'ok'
    for (const [key, etag] of Object.entries(state.etags)) {
      if (changed) break
      if (!key.startsWith('members:')) continue
      const result = await client.rest(
        'GET /orgs/{org}/teams/{team_slug}/members',
        { org, team_slug: key.slice(8), per_page: REST_PAGE },
        membersSchema,
        { etag },
      )
      changed = result.status === 'ok'
    }
    if (!changed) {
      context.progress('teams: unchanged')
      await completeSyncScope(context.db, { source: context.source, scope, watermark: context.startedAt })
      return
    }
  }
  const etags: Record<string, string> = {}
  const all = await listAll(client, 'GET /orgs/{org}/teams', { org }, teamsSchema, (etag) => (etags.teams = etag))
  const wanted = Array.isArray(config.teams)
    ? all.filter((team) => (config.teams as string[]).includes(team.slug))
    : all
  if (Array.isArray(config.teams)) {
    const missing = config.teams.filter((slug) => !all.some((team) => team.slug === slug))
    if (missing.length) context.fail(`teams ${missing.join(', ')}`, new Error('not found in the organisation'))
  }
  const members = new Map<string, string[]>()
  for (const team of wanted) {
    const list = await listAll(
      client,
      'GET /orgs/{org}/teams/{team_slug}/members',
      { org, team_slug: team.slug },
      membersSchema,
      (etag) => (etags[`members:${team.slug}`] = etag),
    )
    members.set(
      team.slug,
      list.map((member) => member.login),
    )
  }
  await context.db.transaction(async (tx) => {
    const teams = await reconcileTeams(
      tx,
      wanted.map((team) => ({ externalId: team.node_id, slug: team.slug, name: team.name })),
    )
    context.count(teams)
    const personIds = await ensurePeople(tx, [...members.values()].flat())
    // a person in several teams counts for the smallest (the most specific), ties by slug
    const bySize = [...wanted].sort(
      (a, b) => (members.get(a.slug)?.length ?? 0) - (members.get(b.slug)?.length ?? 0) || a.slug.localeCompare(b.slug),
    )
    const current = new Map<number, number>()
    for (const team of bySize) {
      const teamId = teams.ids.get(team.node_id) as number
      for (const login of members.get(team.slug) ?? []) {
        const personId = personIds.get(login) as number
        if (!current.has(personId)) current.set(personId, teamId)
      }
    }
    context.counts.updated += await reconcileMemberships(tx, { current, teamIds: [...teams.ids.values()], on: today })
    await completeSyncScope(tx, { source: context.source, scope, watermark: context.startedAt, etags })
  })
  context.progress(`teams: ${wanted.length} teams, ${new Set([...members.values()].flat()).size} members`)
}

/** Every page of a REST listing; `onEtag` gets the first page's ETag. */
async function listAll<T>(
  client: GitHubClient,
  route: string,
  params: Record<string, unknown>,
  schema: ZodType<T[]>,
  onEtag: (etag: string) => void,
): Promise<T[]> {
  const out: T[] = []
  let result = await client.rest(route, { ...params, per_page: REST_PAGE }, schema)
  if (result.status === 'ok' && result.etag) onEtag(result.etag)
  for (;;) {
    out.push(...requireOk(result, route))
    if (result.status !== 'ok' || !result.next) return out
    result = await client.rest(`GET ${result.next}`, {}, schema)
  }
}
