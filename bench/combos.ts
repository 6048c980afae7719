// The distinct filter combinations a cold page is requested under (teams, pilot or control teams, other
// weeks), seeded so that every scale gets the same pattern.
import { addUtcDays, startOfUtcWeek, toIsoDate } from '@/lib/dates'
import { seededDraw } from '@/lib/stats/random'
import type { Running } from './targets'

/** A filter combination of a page: its query string, and what the page must show if it honoured it. */
export interface Combo {
  query: string
  /** Move the data version first: the unfiltered view (or a page without filters) is otherwise a URL seen before. */
  bump: boolean
  /** The scope the page states ("All teams", "Pilot teams of …", team names); null: not stated on this page. */
  scope: string | null
  /** The first week shown, as the filter bar's date field holds it; null when the defaults apply. */
  from: string | null
}

const WINDOW_WEEKS = [4, 8, 13, 26, 39, 52]

/**
 * `count` distinct filter combinations for a page at `target`: the unfiltered view first (after a version
 * bump), then teams subsets, the pilot and control teams, other week windows, and mixes of them. The same
 * seed gives the same pattern at every scale (the team ids come from each database).
 */
export function combosFor(
  target: Pick<Running, 'teams' | 'initiative' | 'cohorts'>,
  count: number,
  seed: number,
  now: Date,
): Combo[] {
  const draw = seededDraw(seed)
  const pick = (n: number) => Math.floor(draw() * n)
  const monday = startOfUtcWeek(now)
  const window = (): { from: string; to: string } => {
    const weeks = WINDOW_WEEKS[pick(WINDOW_WEEKS.length)] ?? 26
    const to = addUtcDays(monday, -7 * pick(53))
    return { from: toIsoDate(addUtcDays(to, -7 * weeks)), to: toIsoDate(to) }
  }
  const someTeams = (): { id: number; name: string }[] => {
    const chosen = new Map<number, { id: number; name: string }>()
    const size = 1 + pick(Math.min(5, target.teams.length))
    while (chosen.size < size) {
      const team = target.teams[pick(target.teams.length)]
      if (team) chosen.set(team.id, team)
    }
    return [...chosen.values()]
  }
  const cohortScope = (group: 'pilot' | 'control') =>
    `${group === 'pilot' ? 'Pilot teams' : 'Control teams'} of ${target.initiative.name}`
  const combos: Combo[] = [{ query: '', bump: true, scope: 'All teams', from: null }]
  const seen = new Set([''])
  for (let attempt = 0; combos.length < count && attempt < count * 50; attempt++) {
    const params = new URLSearchParams()
    let scope = 'All teams'
    let from: string | null = null
    const kind = combos.length % 5
    if (kind === 1 || kind === 0) {
      const teams = someTeams()
      params.set('teams', teams.map((team) => team.id).join(','))
      scope = teams.map((team) => team.name).join(', ')
    } else if (kind === 2 || kind === 3) {
      const group = kind === 2 ? 'pilot' : 'control'
      if (target.cohorts[group] > 0) {
        params.set('group', group)
        scope = cohortScope(group)
      }
    }
    if (kind !== 1) {
      const weeks = window()
      params.set('from', weeks.from)
      params.set('to', weeks.to)
      from = weeks.from
    }
    const query = params.toString()
    if (seen.has(query)) continue
    seen.add(query)
    combos.push({ query, bump: false, scope, from })
  }
  return combos
}
