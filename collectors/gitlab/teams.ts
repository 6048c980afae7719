// The configured groups, and the groups as teams with their direct members, for attributing a project's work to
// the team of its group (or the nearest enclosing one).
import type { Db } from '@/db/client'
import { ensurePeople, findTeamIdBySlug, reconcileMemberships, reconcileTeams } from '@/db/queries/organisation'
import { UpshotError } from '@/lib/errors'
import type { GitLabSource } from '@/collectors/config'
import type { RunContext } from '@/collectors/sync-run'
import type { GitLabGroup } from './api-types'
import type { GitLabClient } from './client'
import { isPerson, mapGroupTeam } from './mapper'

/** The configured groups and (when subgroups are teams) their descendants, each once. */
export async function readGroups(client: GitLabClient, config: GitLabSource): Promise<GitLabGroup[]> {
  const out = new Map<number, GitLabGroup>()
  for (const path of config.groups) {
    const group = await client.group(path)
    if (group.full_path !== path)
      throw new UpshotError('config', `GitLab: the group ${path} is now ${group.full_path}: update the sources file`)
    out.set(group.id, group)
    if (config.subgroups) for (const sub of await client.descendantGroups(group.id)) out.set(sub.id, sub)
  }
  return [...out.values()]
}

/**
 * The groups as teams, with their direct members: a person in several counts for the smallest (the most
 * specific), ties by path. Read whole every run (a few requests per group) and reconciled in one transaction.
 */
export async function syncTeams(context: RunContext, client: GitLabClient, groups: GitLabGroup[], today: string) {
  const members = new Map<number, string[]>()
  for (const group of groups)
    members.set(
      group.id,
      (await client.members(group.id)).filter((member) => isPerson(member)).map((member) => member.username),
    )
  await context.db.transaction(async (tx) => {
    const teams = await reconcileTeams(tx, groups.map(mapGroupTeam))
    context.count(teams)
    const personIds = await ensurePeople(tx, [...members.values()].flat())
    const bySize = [...groups].sort(
      (a, b) =>
        (members.get(a.id)?.length ?? 0) - (members.get(b.id)?.length ?? 0) || a.full_path.localeCompare(b.full_path),
    )
    const current = new Map<number, number>()
    for (const group of bySize) {
      const teamId = teams.ids.get(mapGroupTeam(group).externalId) as number
      for (const username of members.get(group.id) ?? []) {
        const personId = personIds.get(username) as number
        if (!current.has(personId)) current.set(personId, teamId)
      }
    }
    context.counts.updated += await reconcileMemberships(tx, { current, teamIds: [...teams.ids.values()], on: today })
  })
  context.progress(`teams: ${groups.length} groups, ${new Set([...members.values()].flat()).size} members`)
}

/** Each group's team id by the group's full path (by slug: the teams sync keeps it GitLab's; a roster's team of the same name otherwise). */
export async function teamIdsByPath(db: Db, groups: GitLabGroup[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const group of groups) {
    const id = await findTeamIdBySlug(db, { slug: mapGroupTeam(group).slug })
    if (id !== null) out.set(group.full_path, id)
  }
  return out
}

/** The team of a namespace: its own group's, else the nearest enclosing group's. */
export function teamOf(teamIds: Map<string, number>, namespace: string): number | null {
  for (let path = namespace; path; path = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '') {
    const id = teamIds.get(path)
    if (id !== undefined) return id
  }
  return null
}
