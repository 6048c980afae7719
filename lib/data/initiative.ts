// An initiative (a pilot) judged on every metric: the pilot and control teams, each in the baseline and the
// evaluation window, and the difference-in-differences with its 95% interval and verdict. Server-only.
import 'server-only'
import { getDb, type Db } from '../../db/client'
import { listCatalog } from '../../db/queries/adoption'
import { listAnswers, listWaves } from '../../db/queries/experience'
import { getInitiativeWithTeams, listInitiatives } from '../../db/queries/initiatives'
import { listHires } from '../../db/queries/onboarding'
import { listTeamWeeks } from '../../db/queries/rollups'
import { parseIsoDate, type Interval } from '../dates'
import type { TeamWeek, UseCase } from '../domain'
import { comparableMetrics, metricsByUseCase, type ComparableMetric, type Scored } from '../metrics/comparable'
import { compareDid, comparePairedDid, type CellFigure, type Outcome } from '../metrics/compare'
import { respondents } from '../metrics/experience'
import { daysToNthMerge, type Hire } from '../metrics/onboarding'
import type { DidCells, PairedWeek } from '../stats/comparison'
import { seedFrom } from '../stats/random'
import type { Observation } from '../stats/survival'
import { cachedRead } from './read-cache'

export interface InitiativeMetric {
  key: ComparableMetric['key']
  label: string
  unit: ComparableMetric['unit']
  better: ComparableMetric['better']
  scale: ComparableMetric['scale']
  /** One of the metrics the initiative is judged by (named on its form; else its use case's default). */
  primary: boolean
  figures: Record<keyof DidCells<unknown>, CellFigure>
  outcome: Outcome
  /**
   * The change may be stated as a finding: its interval excludes no change after the family-wise control over
   * every metric stated (lib/stats/claims.ts) and pilot and control moved alike before the launch. Money counts
   * only confirmed effects at their estimate (lib/roi/model.ts).
   */
  confirmed: boolean
}

export interface InitiativeView {
  id: number
  slug: string
  name: string
  useCase: UseCase
  description: string | null
  launchDate: Date
  baseline: Interval
  evaluation: Interval
  teams: { teamId: number; name: string; role: 'pilot' | 'control' }[]
  /** Onboarding counts a hire who has not merged yet as "not yet, as of this date". */
  asOf: Date
  metrics: InitiativeMetric[]
}

export async function getInitiativeList({ db = getDb() }: { db?: Db } = {}) {
  return listInitiatives(db)
}

const inside = (at: Date, window: Interval) => at >= window.from && at < window.to

/** Splits clusters into the four cells by group and by when they happened. */
function cells<C>(items: readonly C[], group: (item: C) => 'pilot' | 'control' | null, when: (item: C) => Date, baseline: Interval, evaluation: Interval): DidCells<C> {
  const out = { pilotBaseline: [] as C[], pilotEvaluation: [] as C[], controlBaseline: [] as C[], controlEvaluation: [] as C[] }
  for (const item of items) {
    const role = group(item)
    if (!role) continue
    const at = when(item)
    if (inside(at, baseline)) (role === 'pilot' ? out.pilotBaseline : out.controlBaseline).push(item)
    else if (inside(at, evaluation)) (role === 'pilot' ? out.pilotEvaluation : out.controlEvaluation).push(item)
  }
  return out
}

/** Each calendar week of a window, with the pilot teams' and the control teams' team-weeks of it. */
function pairByWeek(
  weeks: readonly TeamWeek[],
  role: (teamId: number | null) => 'pilot' | 'control' | null,
  baseline: Interval,
  evaluation: Interval,
): { baseline: PairedWeek<TeamWeek>[]; evaluation: PairedWeek<TeamWeek>[] } {
  const byWeek = new Map<string, { pilot: TeamWeek[]; control: TeamWeek[] }>()
  for (const week of weeks) {
    const side = role(week.teamId)
    if (!side) continue
    const entry = byWeek.get(week.weekStart) ?? { pilot: [], control: [] }
    entry[side].push(week)
    byWeek.set(week.weekStart, entry)
  }
  const windowOf = (start: string) => [...byWeek.entries()].filter(([key]) => inside(new Date(`${key}T00:00:00Z`), start === 'baseline' ? baseline : evaluation)).map(([, entry]) => entry)
  return { baseline: windowOf('baseline'), evaluation: windowOf('evaluation') }
}

function mapCells<A, B>(source: DidCells<A>, map: (item: A) => B): DidCells<B> {
  return {
    pilotBaseline: source.pilotBaseline.map(map),
    pilotEvaluation: source.pilotEvaluation.map(map),
    controlBaseline: source.controlBaseline.map(map),
    controlEvaluation: source.controlEvaluation.map(map),
  }
}

export async function getInitiative(
  id: number,
  { db = getDb(), now = new Date(), replicates }: { db?: Db; now?: Date; replicates?: number } = {},
): Promise<InitiativeView | null> {
  const initiative = await getInitiativeWithTeams(db, id)
  if (!initiative) return null
  const baseline = { from: parseIsoDate(initiative.baselineStart), to: parseIsoDate(initiative.baselineEnd) }
  const evaluation = { from: parseIsoDate(initiative.evaluationStart), to: parseIsoDate(initiative.evaluationEnd) }
  const roles = new Map(initiative.teams.map((team) => [team.teamId, team.role]))
  const teamIds = [...roles.keys()]
  const span = { from: baseline.from, to: evaluation.to, teamIds }
  const role = (teamId: number | null) => (teamId === null ? null : (roles.get(teamId) ?? null))

  const [weeks, hires, waves, catalog] = await Promise.all([
    listTeamWeeks(db, span),
    listHires(db, span),
    listWaves(db, span),
    listCatalog(db, { teamIds }),
  ])
  const answers = await listAnswers(db, { waveIds: waves.map((wave) => wave.id), teamIds })
  const waveOpens = new Map(waves.map((wave) => [wave.id, parseIsoDate(wave.opensOn)]))

  const pairedWeeks = pairByWeek(weeks, role, baseline, evaluation)
  const hireCells = cells<Hire>(hires, (hire) => role(hire.teamId), (hire) => hire.startDate, baseline, evaluation)
  const respondentCells = cells(respondents(answers), (r) => role(r.teamId), (r) => waveOpens.get(r.waveId) as Date, baseline, evaluation)
  const docsCells = cells(
    answers.filter((answer) => answer.question === 'find_docs'),
    (answer) => role(answer.teamId),
    (answer) => waveOpens.get(answer.waveId) as Date,
    baseline,
    evaluation,
  )
  const serviceCells = cells(
    catalog.filter((service) => service.requestedAt && service.origin !== 'unknown'),
    (service) => role(service.ownerTeamId),
    (service) => service.createdAt,
    baseline,
    evaluation,
  )

  const primary = new Set(metricsByUseCase[initiative.useCase])
  const results = comparableMetrics.map((metric): InitiativeMetric => {
    const seed = seedFrom(`initiative:${initiative.id}:${metric.key}`)
    let compared: { figures: InitiativeMetric['figures']; outcome: Outcome }
    if (metric.clusters === 'team-week') compared = comparePairedDid(metric, pairedWeeks, seed, replicates)
    else if (metric.clusters === 'hire') {
      compared = compareDid(metric, mapCells<Hire, Observation>(hireCells, (hire) => daysToNthMerge(hire, metric.nth, now)), seed, replicates)
    } else if (metric.clusters === 'respondent') {
      const source: DidCells<Scored> = metric.question
        ? mapCells(docsCells, (answer) => ({ value: answer.score }))
        : mapCells(respondentCells, (respondent) => ({ value: respondent.score }))
      compared = compareDid(metric, source, seed, replicates)
    } else {
      compared = compareDid(
        metric,
        mapCells(serviceCells, (service) => ({ value: (service.createdAt.getTime() - (service.requestedAt as Date).getTime()) / 3_600_000 })),
        seed,
        replicates,
      )
    }
    return {
      key: metric.key,
      label: metric.label,
      unit: metric.unit,
      better: metric.better,
      scale: metric.scale,
      primary: primary.has(metric.key),
      figures: compared.figures,
      outcome: compared.outcome,
      confirmed: compared.outcome.state === 'estimate' && compared.outcome.verdict !== 'no_clear_change',
    }
  })
  return {
    id: initiative.id,
    slug: initiative.slug,
    name: initiative.name,
    useCase: initiative.useCase,
    description: initiative.description,
    launchDate: parseIsoDate(initiative.launchDate),
    baseline,
    evaluation,
    teams: initiative.teams,
    asOf: now,
    metrics: [...results.filter((metric) => metric.primary), ...results.filter((metric) => !metric.primary)],
  }
}

/** getInitiative, cached until the data changes or the day turns (lib/data/read-cache.ts): what the page calls. */
export function readInitiative(id: number): Promise<InitiativeView | null> {
  return cachedRead('initiative', id, () => getInitiative(id))
}
