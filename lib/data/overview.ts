// The Overview's read model: the four DORA keys for the whole organisation, before the portal launch and
// now, plus the weekly deployment trend and how fresh the data is. Server-only.
import 'server-only'
import { getDb, type Db } from '../../db/client'
import { summarizeDora, type DoraSummary } from '../../db/queries/dora'
import { getLatestActivity } from '../../db/queries/health'
import { listMilestones } from '../../db/queries/milestones'
import { isOrganisationEmpty } from '../../db/queries/organisation'
import { listWeeklyTotals, type WeekTotals } from '../../db/queries/rollups'
import { addUtcDays, parseIsoDate, startOfUtcWeek, type Interval } from '../dates'
import { launchWindows } from '../metrics/windows'

export type DoraKey = 'deployment_frequency' | 'lead_time' | 'change_fail_rate' | 'recovery_time'

export interface DoraKeyFigures {
  key: DoraKey
  /** Which way is better. */
  better: 'higher' | 'lower'
  before: { value: number | null; sample: number }
  after: { value: number | null; sample: number } | null
}

export type Overview =
  | { state: 'empty' }
  | { state: 'no-launch' }
  | {
      state: 'ready'
      launch: { name: string; date: Date }
      windows: { before: Interval; after: Interval | null }
      keys: DoraKeyFigures[]
      weekly: WeekTotals[]
      milestones: { name: string; weekStart: string }[]
      latest: { deployment: Date | null; pullRequest: Date | null; incident: Date | null }
    }

/** Weeks of deployment trend on the Overview. */
const TREND_WEEKS = 78

export async function getOverview({ db = getDb(), now = new Date() }: { db?: Db; now?: Date } = {}): Promise<Overview> {
  const milestones = await listMilestones(db)
  // The launch: the first portal_launch milestone (when anybody could first use the portal).
  const launch = milestones.find((milestone) => milestone.kind === 'portal_launch')
  if (!launch) return (await isOrganisationEmpty(db)) ? { state: 'empty' } : { state: 'no-launch' }
  const launchDate = parseIsoDate(launch.occurredOn)
  const windows = launchWindows(launchDate, now)
  const trendTo = startOfUtcWeek(now)
  const [before, after, weekly, latest] = await Promise.all([
    summarizeDora(db, windows.before),
    windows.after ? summarizeDora(db, windows.after) : Promise.resolve(null),
    listWeeklyTotals(db, { from: addUtcDays(trendTo, -7 * TREND_WEEKS), to: trendTo }),
    getLatestActivity(db),
  ])
  return {
    state: 'ready',
    launch: { name: launch.name, date: launchDate },
    windows,
    keys: doraKeys(before, after),
    weekly,
    milestones: milestones.map((milestone) => ({
      name: milestone.name,
      weekStart: startOfUtcWeek(parseIsoDate(milestone.occurredOn)).toISOString().slice(0, 10),
    })),
    latest,
  }
}

function doraKeys(before: DoraSummary, after: DoraSummary | null): DoraKeyFigures[] {
  const pick = (summary: DoraSummary | null, value: (s: DoraSummary) => number | null, sample: (s: DoraSummary) => number) =>
    summary ? { value: value(summary), sample: sample(summary) } : null
  const figures = (value: (s: DoraSummary) => number | null, sample: (s: DoraSummary) => number) => ({
    before: pick(before, value, sample) as { value: number | null; sample: number },
    after: pick(after, value, sample),
  })
  return [
    { key: 'deployment_frequency', better: 'higher', ...figures((s) => s.deploymentsPerWeek, (s) => s.deployments) },
    { key: 'lead_time', better: 'lower', ...figures((s) => s.leadTimeMedianHours, (s) => s.leadTimeChanges) },
    { key: 'change_fail_rate', better: 'lower', ...figures((s) => s.changeFailRate, (s) => s.deployments) },
    { key: 'recovery_time', better: 'lower', ...figures((s) => s.recoveryMedianMinutes, (s) => s.recoveries) },
  ]
}
