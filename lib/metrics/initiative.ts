// An initiative judged, from its rows: every comparable metric for the pilot and the control teams in the
// baseline and the evaluation window (difference-in-differences with its 95% interval), then the claims the
// page may state (lib/stats/claims.ts: primary metrics first, the family-wise error held at 5%), a placebo
// check that pilot and control moved alike before the launch, and for every metric not confirmed how much more
// data the observed effect would need. Pure: lib/data/initiative.ts fetches the rows, and the null simulation
// (lib/metrics/simulation.ts) feeds it organisations generated with known effects. The rows are sorted into cells
// by lib/metrics/initiative-cells.ts; the "more data" arithmetic is lib/metrics/still-needed.ts.
import { type Interval } from '@/lib/dates'
import type { TeamWeek } from '@/lib/domain'
import { controlClaims, type ClaimDecision, type ClaimRole, type Hypothesis } from '@/lib/stats/claims'
import type { DidCells } from '@/lib/stats/comparison'
import { seedFrom } from '@/lib/stats/random'
import type { Observation } from '@/lib/stats/survival'
import { comparableMetrics, type ComparableMetric, type MetricKey, type Scored } from './comparable'
import { claimP, compareDid, comparePairedDid, type CellFigure, type Outcome } from './compare'
import { respondents, type SurveyAnswer } from './experience'
import { cells, halves, mapCells, pairByWeek, splitWindow } from './initiative-cells'
import { daysToNthMerge, type Hire } from './onboarding'
import { more, stillNeeded, type SampleUnits, type StillNeeded } from './still-needed'

/** The metrics the one-pager states, in the order of the seed's use-case table. */
export const REPORT_METRICS: readonly MetricKey[] = [
  'days_to_first_merge',
  'deployment_frequency',
  'lead_time',
  'time_to_restore',
  'change_fail_rate',
  'dx_score',
  'docs_score',
  'service_setup_time',
]

export interface CatalogService {
  ownerTeamId: number | null
  origin: 'template' | 'manual' | 'unknown'
  requestedAt: Date | null
  createdAt: Date
}

export interface InitiativeRows {
  roles: ReadonlyMap<number, 'pilot' | 'control'>
  baseline: Interval
  evaluation: Interval
  weeks: readonly TeamWeek[]
  hires: readonly Hire[]
  answers: readonly SurveyAnswer[]
  /** When each survey wave opened. */
  waveOpens: ReadonlyMap<number, Date>
  services: readonly CatalogService[]
  /** Onboarding counts a hire who has not merged yet as "not yet, as of now". */
  now: Date
}

export interface JudgeOptions {
  /** The metrics the pilot is judged by, tested first. */
  primary: readonly MetricKey[]
  /** Every metric the pages state a verdict for; the rest are exploratory. */
  stated?: readonly MetricKey[]
  /** Judge only these (the simulation judges what the one-pager states). Default: every comparable metric. */
  only?: readonly MetricKey[]
  seedPrefix: string
  replicates?: number
  /**
   * Which stated metrics get the pre-launch check: all of them (the page shows each), or only those that would
   * otherwise be confirmed (the simulation: a failed check only withdraws a claim, so the claims come out the same).
   */
  preTrends?: 'stated' | 'claimable'
  /** The family-wise level of the claims (lib/stats/claims.ts pageBudget); default 5%. */
  alpha?: number
}

/** Did pilot and control move alike before the launch? A placebo difference-in-differences inside the baseline. */
export type PreTrend =
  | { state: 'parallel'; outcome: Extract<Outcome, { state: 'estimate' }> }
  | { state: 'diverged'; outcome: Extract<Outcome, { state: 'estimate' }> }
  | { state: 'unknown'; reason: string }

export interface JudgedMetric {
  key: MetricKey
  label: string
  unit: ComparableMetric['unit']
  better: ComparableMetric['better']
  scale: ComparableMetric['scale']
  role: ClaimRole
  figures: Record<keyof DidCells<unknown>, CellFigure>
  outcome: Outcome
  preTrend: PreTrend
  claim: ClaimDecision
  /** For a stated metric with an estimate that is not confirmed: what it would take. */
  stillNeeded: StillNeeded | null
}

type Compared = { figures: JudgedMetric['figures']; outcome: Outcome }

/** The comparison of one metric, and the same comparison inside the baseline (early half vs late half). */
interface MetricRun {
  metric: ComparableMetric
  compared: Compared
  placebo: (() => Compared) | null
  units: SampleUnits
}

export function judgeInitiative(rows: InitiativeRows, options: JudgeOptions): JudgedMetric[] {
  const { baseline, evaluation } = rows
  const role = (teamId: number | null) => (teamId === null ? null : (rows.roles.get(teamId) ?? null))
  const { early, late } = splitWindow(baseline)
  const weeks = pairByWeek(rows.weeks, role, baseline, evaluation)
  const placeboWeeks = halves(weeks.baseline)
  const hires = cells<Hire>(
    rows.hires,
    (hire) => role(hire.teamId),
    (hire) => hire.startDate,
    baseline,
    evaluation,
  )
  const placeboHires = cells<Hire>(
    rows.hires,
    (hire) => role(hire.teamId),
    (hire) => hire.startDate,
    early,
    late,
  )
  const people = respondents(rows.answers)
  const byWave = (r: { waveId: number }) => rows.waveOpens.get(r.waveId)
  const respondentCells = (b: Interval, e: Interval) => cells(people, (r) => role(r.teamId), byWave, b, e)
  const docsAnswers = rows.answers.filter((answer) => answer.question === 'find_docs')
  const docsCells = (b: Interval, e: Interval) => cells(docsAnswers, (answer) => role(answer.teamId), byWave, b, e)
  const services = rows.services.filter((service) => service.requestedAt && service.origin !== 'unknown')
  const serviceCells = (b: Interval, e: Interval) =>
    cells(
      services,
      (service) => role(service.ownerTeamId),
      (service) => service.createdAt,
      b,
      e,
    )
  const setupHours = (service: CatalogService) => ({
    value: (service.createdAt.getTime() - (service.requestedAt as Date).getTime()) / 3_600_000,
  })
  const counts = <C>(c: DidCells<C>) => ({
    baseline: [c.pilotBaseline.length, c.controlBaseline.length],
    evaluation: [c.pilotEvaluation.length, c.controlEvaluation.length],
  })

  const stated = new Set<MetricKey>([...options.primary, ...(options.stated ?? REPORT_METRICS)])
  const primary = new Set(options.primary)
  const wanted = options.only ? new Set(options.only) : null
  const runs: MetricRun[] = comparableMetrics
    .filter((metric) => !wanted || wanted.has(metric.key))
    .map((metric): MetricRun => {
      const seed = seedFrom(`${options.seedPrefix}:${metric.key}`)
      const placeboSeed = seedFrom(`${options.seedPrefix}:${metric.key}:placebo`)
      const check = stated.has(metric.key)
      const r = options.replicates
      if (metric.clusters === 'team-week') {
        return {
          metric,
          compared: comparePairedDid(metric, weeks, seed, r),
          placebo: check ? () => comparePairedDid(metric, placeboWeeks, placeboSeed, r) : null,
          units: {
            baseline: [weeks.baseline.length],
            evaluation: [weeks.evaluation.length],
            after: (n) => `about ${n} more week${n === 1 ? '' : 's'} after the launch`,
            overall: (n, factor) =>
              `about ${factor.toFixed(1)}× today’s data: ${n} more weeks before and after the launch together (a longer baseline), or more pilot and control teams`,
          },
        }
      }
      if (metric.clusters === 'hire') {
        const toObservation = (hire: Hire): Observation => daysToNthMerge(hire, metric.nth, rows.now)
        return {
          metric,
          compared: compareDid(metric, mapCells(hires, toObservation), seed, r),
          placebo: check ? () => compareDid(metric, mapCells(placeboHires, toObservation), placeboSeed, r) : null,
          units: { ...counts(hires), ...more('hire', 'hires', 'in pilot and control teams') },
        }
      }
      if (metric.clusters === 'respondent') {
        const source = (b: Interval, e: Interval): DidCells<Scored> =>
          metric.question
            ? mapCells(docsCells(b, e), (answer) => ({ value: answer.score }))
            : mapCells(respondentCells(b, e), (person) => ({ value: person.score }))
        const main = source(baseline, evaluation)
        return {
          metric,
          compared: compareDid(metric, main, seed, r),
          placebo: check ? () => compareDid(metric, source(early, late), placeboSeed, r) : null,
          units: { ...counts(main), ...more('survey answer', 'survey answers', 'from pilot and control teams') },
        }
      }
      const main = mapCells(serviceCells(baseline, evaluation), setupHours)
      return {
        metric,
        compared: compareDid(metric, main, seed, r),
        placebo: check
          ? () => compareDid(metric, mapCells(serviceCells(early, late), setupHours), placeboSeed, r)
          : null,
        units: { ...counts(main), ...more('new service', 'new services', 'in pilot and control teams') },
      }
    })

  const hypotheses: Hypothesis<MetricKey>[] = runs.map(({ metric, compared }) => {
    const estimate = compared.outcome.state === 'estimate' ? compared.outcome : null
    return {
      key: metric.key,
      role: primary.has(metric.key) ? 'primary' : stated.has(metric.key) ? 'secondary' : 'exploratory',
      p: estimate ? claimP(estimate.estimate) : null,
      excludesZero: estimate !== null && estimate.verdict !== 'no_clear_change',
      blocked: null,
    }
  })
  // A failed pre-launch check only withdraws a claim (and, for a primary metric, closes the gate), so the
  // claims made without any check are the only ones a check can matter for.
  const claimable = options.preTrends === 'claimable' ? controlClaims(hypotheses, options.alpha) : null
  const preTrends = new Map(
    runs.map((run) => {
      const skip = claimable !== null && claimable.get(run.metric.key)?.status !== 'confirmed'
      return [
        run.metric.key,
        run.placebo === null ? preTrendOf(null) : skip ? NOT_NEEDED : preTrendOf(run.placebo()),
      ] as const
    }),
  )
  for (const hypothesis of hypotheses) {
    if (preTrends.get(hypothesis.key)?.state === 'diverged') {
      hypothesis.blocked =
        'pilot and control teams already moved apart before the launch (see the pre-launch check), so the change cannot be put down to the pilot'
    }
  }
  const decisions = controlClaims(hypotheses, options.alpha)
  return runs.map(({ metric, compared, units }): JudgedMetric => {
    const claim = decisions.get(metric.key) as ClaimDecision
    const hypothesis = hypotheses.find((h) => h.key === metric.key) as Hypothesis<MetricKey>
    return {
      key: metric.key,
      label: metric.label,
      unit: metric.unit,
      better: metric.better,
      scale: metric.scale,
      role: hypothesis.role,
      figures: compared.figures,
      outcome: compared.outcome,
      preTrend: preTrends.get(metric.key) as PreTrend,
      claim,
      stillNeeded:
        claim.status === 'not_confirmed' && compared.outcome.state === 'estimate'
          ? stillNeeded(compared.outcome.estimate, claim, units)
          : null,
    }
  })
}

const NOT_NEEDED: PreTrend = { state: 'unknown', reason: 'not checked: no claim depends on it' }

function preTrendOf(placebo: Compared | null): PreTrend {
  if (!placebo) return { state: 'unknown', reason: 'not checked: the metric is exploratory' }
  if (placebo.outcome.state !== 'estimate')
    return { state: 'unknown', reason: `too little data before the launch to check (${placebo.outcome.reason})` }
  return { state: placebo.outcome.verdict === 'no_clear_change' ? 'parallel' : 'diverged', outcome: placebo.outcome }
}
