// An initiative's rows sorted into the cells a difference-in-differences compares: pilot and control, baseline
// and evaluation, as calendar weeks of team-weeks or as independent units; and the baseline split in two for the
// pre-launch (placebo) check.
import type { Interval } from '@/lib/dates'
import type { TeamWeek } from '@/lib/domain'
import type { DidCells, PairedWeek } from '@/lib/stats/comparison'

const inside = (at: Date, window: Interval) => at >= window.from && at < window.to

/** Splits clusters into the four cells by group and by when they happened. */
export function cells<C>(
  items: readonly C[],
  group: (item: C) => 'pilot' | 'control' | null,
  when: (item: C) => Date | undefined,
  baseline: Interval,
  evaluation: Interval,
): DidCells<C> {
  const out = {
    pilotBaseline: [] as C[],
    pilotEvaluation: [] as C[],
    controlBaseline: [] as C[],
    controlEvaluation: [] as C[],
  }
  for (const item of items) {
    const role = group(item)
    const at = when(item)
    if (!role || !at) continue
    if (inside(at, baseline)) (role === 'pilot' ? out.pilotBaseline : out.controlBaseline).push(item)
    else if (inside(at, evaluation)) (role === 'pilot' ? out.pilotEvaluation : out.controlEvaluation).push(item)
  }
  return out
}

/** Each calendar week, oldest first, with the pilot teams' and the control teams' team-weeks of it. */
export function weeksByGroup(
  weeks: readonly TeamWeek[],
  role: (teamId: number | null) => 'pilot' | 'control' | null,
): [string, PairedWeek<TeamWeek>][] {
  const byWeek = new Map<string, { pilot: TeamWeek[]; control: TeamWeek[] }>()
  for (const week of weeks) {
    const side = role(week.teamId)
    if (!side) continue
    const entry = byWeek.get(week.weekStart) ?? { pilot: [], control: [] }
    entry[side].push(week)
    byWeek.set(week.weekStart, entry)
  }
  return [...byWeek.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
}

/** Each calendar week of the baseline and of the evaluation window, pilot and control side by side. */
export function pairByWeek(
  weeks: readonly TeamWeek[],
  role: (teamId: number | null) => 'pilot' | 'control' | null,
  baseline: Interval,
  evaluation: Interval,
) {
  const sorted = weeksByGroup(weeks, role)
  const windowOf = (window: Interval) =>
    sorted.filter(([key]) => inside(new Date(`${key}T00:00:00Z`), window)).map(([, entry]) => entry)
  return { baseline: windowOf(baseline), evaluation: windowOf(evaluation) }
}

export function mapCells<A, B>(source: DidCells<A>, map: (item: A) => B): DidCells<B> {
  return {
    pilotBaseline: source.pilotBaseline.map(map),
    pilotEvaluation: source.pilotEvaluation.map(map),
    controlBaseline: source.controlBaseline.map(map),
    controlEvaluation: source.controlEvaluation.map(map),
  }
}

/** The first and the second half of a list (the baseline's earlier and later weeks, or units by date). */
export function halves<T>(items: readonly T[]): { baseline: T[]; evaluation: T[] } {
  const middle = Math.floor(items.length / 2)
  return { baseline: items.slice(0, middle), evaluation: items.slice(middle) }
}

/** The baseline window split at its middle day, for the placebo comparison. */
export function splitWindow(window: Interval): { early: Interval; late: Interval } {
  const middle = new Date(
    window.from.getTime() + Math.floor((window.to.getTime() - window.from.getTime()) / 2 / 86_400_000) * 86_400_000,
  )
  return { early: { from: window.from, to: middle }, late: { from: middle, to: window.to } }
}
