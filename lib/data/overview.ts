// The Overview's read model: the four DORA keys for the teams chosen (the whole organisation by default), in
// the 26 weeks before the portal launch and in the latest 26 full weeks (or the weeks chosen), each change
// with its 95% interval and verdict (weeks resampled); the weekly deployment trend with the milestones; how
// fresh the data is. Reads the rollups.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import { getLatestActivity } from '@/db/queries/health'
import { listMilestones } from '@/db/queries/milestones'
import { isOrganisationEmpty, listTeams } from '@/db/queries/organisation'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import type { WeekMarker, WeekPeriod } from '@/lib/charts/weekly-series'
import { addUtcDays, parseIsoDate, startOfUtcWeek, toIsoDate, type Interval } from '@/lib/dates'
import { deploymentsPerWeek, teamWeekMetric } from '@/lib/metrics/comparable'
import { compareWindows, confirmedChanges, type Outcome } from '@/lib/metrics/compare'
import { summarizeTeamWeeks, weekClusters, type TeamWeek, type TeamWeekAggregate } from '@/lib/metrics/team-weeks'
import { launchWindows, weeksIn, type LaunchWindows } from '@/lib/metrics/windows'
import { share } from '@/lib/metrics/adoption'
import { rateTiers, type TierRating } from '@/lib/metrics/tiers'
import { seedFrom } from '@/lib/stats/random'
import { chartMarkers, getChartSpan } from './chart-span'
import { tierInputs } from './delivery'
import { launchOf, milestoneLabel, visibleMilestones } from './milestones'
import { pageRead, type Freshness, type Question } from './read-cache'

export type DoraKey = 'deployment_frequency' | 'lead_time' | 'change_fail_rate' | 'recovery_time'

export interface DoraKeyFigures {
  key: DoraKey
  /** Which way is better. */
  better: 'higher' | 'lower'
  before: { value: number | null; sample: number }
  after: { value: number | null; sample: number } | null
  /** The change with its interval and verdict, or why there is not enough data; null without an "after". */
  change: Outcome | null
  /** The verdict holds among the four keys (5% family-wise, lib/metrics/compare.ts). */
  confirmed: boolean
}

export type Overview =
  | { state: 'empty' }
  | { state: 'no-launch' }
  | {
      state: 'ready'
      /** `teams`: the teams a launch for some teams only is limited to; empty for every team. */
      launch: { name: string; date: Date; teams: string[] }
      windows: { before: Interval; after: Interval | null }
      keys: DoraKeyFigures[]
      /**
       * Per week: the weeks compared with (before), the weeks between (or one gap marker, `omitted` weeks), the
       * weeks shown, and the week in progress at the data's end (lib/charts/weekly-series.ts chartWeeks).
       */
      weekly: {
        weekStart: string
        period: WeekPeriod
        omitted?: number
        deployments: number
        activeShare: number | null
      }[]
      /** The milestones in a week drawn, numbered by the charts in this order. */
      markers: WeekMarker[]
      /** The DORA performance level of each key now (or before, without an "after"), by the 2024 report. */
      tiers: TierRating
      /** The milestones of the teams shown (every one for every team); `label` names its kind and any teams it is limited to. */
      milestones: { name: string; label: string; weekStart: string }[]
      latest: { deployment: Date | null; pullRequest: Date | null; incident: Date | null }
    }

/** What the Overview is asked: the teams (every team when absent) and the weeks (lib/data/filters.ts aroundLaunch; the launch windows when absent). */
export interface OverviewScope {
  teamIds?: number[]
  windows?: LaunchWindows
}

export async function getOverview({
  db = getDb(),
  now = new Date(),
  replicates,
  scope = {},
}: { db?: Db; now?: Date; replicates?: number; scope?: OverviewScope } = {}): Promise<Overview> {
  const [milestones, teams] = await Promise.all([listMilestones(db), listTeams(db)])
  // The launch: the portal launch for every team, else the earliest one for some (lib/data/milestones.ts).
  const launch = launchOf(milestones)
  if (!launch) return (await isOrganisationEmpty(db)) ? { state: 'empty' } : { state: 'no-launch' }
  const launchDate = parseIsoDate(launch.occurredOn)
  const teamNames = new Map(teams.map((team) => [team.id, team.name]))
  const windows = scope.windows ?? launchWindows(launchDate, now)
  const { teamIds } = scope
  // the trend: the weeks compared with beside the weeks shown (the weeks before the launch alone until there are any after)
  const span = windows.after
    ? await getChartSpan(db, windows.after, windows.before)
    : await getChartSpan(db, windows.before, null)
  const spanned = {
    from: parseIsoDate(span.weeks[0]?.week ?? toIsoDate(windows.before.from)),
    to: addUtcDays(parseIsoDate(span.weeks.at(-1)?.week ?? toIsoDate(windows.before.from)), 7),
  }
  const none = Promise.resolve([] as TeamWeek[])
  // the Overview's keys use lead times and recovery times only
  const values = ['leadTimeHours', 'recoveryMinutes'] as const
  const [beforeRows, afterRows, trendRows, latest] = await Promise.all([
    listTeamWeeks(db, { ...windows.before, teamIds }, { values }),
    windows.after ? listTeamWeeks(db, { ...windows.after, teamIds }, { values }) : none,
    listTeamWeeks(db, { ...spanned, teamIds }, { values: false }),
    getLatestActivity(db),
  ])
  const markers = chartMarkers(span, milestones, teamNames, teamIds)
  const [before] = summarizeTeamWeeks(beforeRows, 'all')
  const [after] = summarizeTeamWeeks(afterRows, 'all')
  const weekly = new Map(summarizeTeamWeeks(trendRows, 'week').map((week) => [week.key, week]))
  const cells = { baseline: weekClusters(beforeRows), evaluation: weekClusters(afterRows) }
  const change = (key: DoraKey) =>
    windows.after
      ? compareWindows(
          key === 'deployment_frequency' ? deploymentsPerWeek : teamWeekMetric(key),
          cells,
          seedFrom(
            `overview:${key}:${launch.occurredOn}${teamIds || scope.windows ? `:${JSON.stringify(scope)}` : ''}`,
          ),
          replicates,
        ).outcome
      : null
  const figures = (aggregate: TeamWeekAggregate | undefined, window: Interval) => ({
    deployment_frequency: {
      value: (aggregate?.deployments ?? 0) / weeksIn(window),
      sample: aggregate?.deployments ?? 0,
    },
    lead_time: { value: aggregate?.leadTimeHours.median ?? null, sample: aggregate?.leadTimeHours.count ?? 0 },
    change_fail_rate: {
      value: aggregate?.deployments ? aggregate.changeFailures / aggregate.deployments : null,
      sample: aggregate?.deployments ?? 0,
    },
    recovery_time: { value: aggregate?.recoveryMinutes.median ?? null, sample: aggregate?.recoveryMinutes.count ?? 0 },
  })
  const beforeFigures = figures(before, windows.before)
  const afterFigures = windows.after ? figures(after, windows.after) : null
  const key = (name: DoraKey, better: 'higher' | 'lower'): Omit<DoraKeyFigures, 'confirmed'> => ({
    key: name,
    better,
    before: beforeFigures[name],
    after: afterFigures ? afterFigures[name] : null,
    change: change(name),
  })
  const four = [
    key('deployment_frequency', 'higher'),
    key('lead_time', 'lower'),
    key('change_fail_rate', 'lower'),
    key('recovery_time', 'lower'),
  ]
  const confirmed = confirmedChanges(four.flatMap((one) => (one.change ? [{ key: one.key, outcome: one.change }] : [])))
  return {
    state: 'ready',
    launch: {
      name: launch.name,
      date: launchDate,
      teams: launch.teamIds.map((id) => teamNames.get(id) ?? `team ${id}`).sort((a, b) => a.localeCompare(b)),
    },
    windows,
    keys: four.map((one) => ({ ...one, confirmed: confirmed.get(one.key) ?? false })),
    weekly: span.weeks.map(({ week, period, omitted }) => {
      const figures = omitted ? undefined : weekly.get(week)
      return {
        weekStart: week,
        period,
        ...(omitted ? { omitted } : {}),
        deployments: figures?.deployments ?? 0,
        activeShare: figures ? share(figures.portalUsers, figures.engineerWeeks) : null,
      }
    }),
    markers,
    tiers: rateTiers(tierInputs(windows.after ? after : before), 2024),
    milestones: visibleMilestones(milestones, teamIds).map((milestone) => ({
      name: milestone.name,
      label: milestoneLabel(milestone, teamNames),
      weekStart: startOfUtcWeek(parseIsoDate(milestone.occurredOn)).toISOString().slice(0, 10),
    })),
    latest,
  }
}

/** The Overview's question for `scope`; the unfiltered one is a standing answer, kept current by lib/data/standing.ts. */
export function overviewQuestion(scope: OverviewScope = {}, { db }: { db?: Db } = {}): Question<Overview> {
  const filtered = Boolean(scope.teamIds || scope.windows)
  return { name: 'overview', inputs: filtered ? scope : null, args: scope, compute: () => getOverview({ scope, db }) }
}

/**
 * getOverview, cached until the data changes or the day turns (lib/data/read-cache.ts): what the page calls.
 * The unfiltered Overview is a standing page: after a change it shows its last answer while the new one computes.
 */
export function readOverview(scope: OverviewScope = {}): Promise<Overview & { freshness?: Freshness }> {
  const question = overviewQuestion(scope)
  return pageRead(question, { standing: question.inputs === null })
}
