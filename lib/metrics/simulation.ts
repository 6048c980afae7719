// Organisations with known effects, generated in memory, to measure how often the one-pager states a change
// that does not exist (the false-claim rate) and how often it finds one that does (power). Each organisation
// is judged by the same code as a real one (judgeInitiative, the claims the one-pager states), only without
// the database. Deliberately unlike the demo generator: its own parameters, drawn afresh per organisation
// (team count and sizes, window lengths, team-level differences, shocks every team shares, skewed durations,
// censored hires, discrete survey answers), so the check does not pass by matching one generator. Pure.
import { addUtcDays, DAY_MS, type Interval } from '@/lib/dates'
import type { TeamWeek, UseCase } from '@/lib/domain'
import { useCases } from '@/lib/domain'
import { seededDraw, type Draw } from '@/lib/stats/random'
import { defaultPrimaryMetrics, type MetricKey } from './comparable'
import type { SurveyAnswer } from './experience'
import {
  judgeInitiative,
  REPORT_METRICS,
  type CatalogService,
  type InitiativeRows,
  type JudgedMetric,
} from './initiative'
import type { Hire } from './onboarding'
import { emptyTeamWeek } from './team-weeks'

/** True effects for the pilot teams after the launch; zero everywhere is the null organisation. */
export interface TrueEffects {
  /** Relative change in deployments per service (0.3: 30% more). */
  deploymentFrequency: number
  /** Relative change in change lead time. */
  leadTime: number
  /** Absolute change in the change fail rate (a share). */
  changeFailRate: number
  /** Absolute change in mean minutes to restore. */
  restoreMinutes: number
  /** Relative change in days to the first merged PR. */
  daysToFirstMerge: number
  /** Absolute change in the DX score (points of 10). */
  dxScore: number
  /** Absolute change in the find-docs answer. */
  docsScore: number
  /** Relative change in new-service setup time. */
  setupTime: number
}

export const NO_EFFECTS: TrueEffects = {
  deploymentFrequency: 0,
  leadTime: 0,
  changeFailRate: 0,
  restoreMinutes: 0,
  daysToFirstMerge: 0,
  dxScore: 0,
  docsScore: 0,
  setupTime: 0,
}

/**
 * Effects of the size platform teams report (the product brief), for the power run. The change fail rate is
 * left alone: the metric where any claim is false.
 */
export const TYPICAL_EFFECTS: TrueEffects = {
  deploymentFrequency: 0.3,
  leadTime: -0.25,
  changeFailRate: 0,
  restoreMinutes: -35,
  daysToFirstMerge: -0.6,
  dxScore: 1.2,
  docsScore: 1.0,
  setupTime: -0.6,
}

/** Which true effect each stated metric carries. */
const EFFECT_OF: Record<string, keyof TrueEffects> = {
  deployment_frequency: 'deploymentFrequency',
  lead_time: 'leadTime',
  change_fail_rate: 'changeFailRate',
  time_to_restore: 'restoreMinutes',
  days_to_first_merge: 'daysToFirstMerge',
  dx_score: 'dxScore',
  docs_score: 'docsScore',
  service_setup_time: 'setupTime',
}

const normal = (draw: Draw) => {
  let u = draw()
  while (u <= Number.EPSILON) u = draw()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * draw())
}
const poisson = (draw: Draw, mean: number) => {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(draw)))
  const limit = Math.exp(-mean)
  let k = 0
  let p = draw()
  while (p > limit) {
    k++
    p *= draw()
  }
  return k
}
const between = (draw: Draw, low: number, high: number) => low + Math.floor(draw() * (high - low + 1))
const logNormal = (draw: Draw, median: number, sigma: number) => median * Math.exp(sigma * normal(draw))

export interface SimulatedOrganisation {
  rows: InitiativeRows
  useCase: UseCase
  primary: MetricKey[]
}

/** One organisation: its pilot and control teams, their windows, and every row the stated metrics read. */
export function simulateOrganisation(seed: number, effects: TrueEffects, useCase?: UseCase): SimulatedOrganisation {
  const draw = seededDraw(seed)
  const pilotCount = between(draw, 2, 6)
  const controlCount = between(draw, 2, 6)
  const baselineWeeks = between(draw, 16, 30)
  const gapWeeks = between(draw, 0, 3)
  const evaluationWeeks = between(draw, 12, 30)
  const start = new Date(Date.UTC(2025, 0, 6 + 7 * between(draw, 0, 20)))
  const launch = addUtcDays(start, 7 * baselineWeeks)
  const baseline: Interval = { from: start, to: launch }
  const evaluation: Interval = {
    from: addUtcDays(launch, 7 * gapWeeks),
    to: addUtcDays(launch, 7 * (gapWeeks + evaluationWeeks)),
  }
  const now = addUtcDays(evaluation.to, between(draw, 0, 21))
  const totalWeeks = baselineWeeks + gapWeeks + evaluationWeeks
  const chosen = useCase ?? (useCases[between(draw, 0, useCases.length - 1)] as UseCase)

  const roles = new Map<number, 'pilot' | 'control'>()
  const weeks: TeamWeek[] = []
  const hires: Hire[] = []
  const answers: SurveyAnswer[] = []
  const services: CatalogService[] = []
  // what every team lives through: busy and quiet weeks, a holiday dip
  const shock = Array.from({ length: totalWeeks }, () => Math.exp(0.15 * normal(draw)) * (draw() < 0.06 ? 0.4 : 1))
  const durationShock = Array.from({ length: totalWeeks }, () => Math.exp(0.1 * normal(draw)))
  const waveEvery = between(draw, 8, 13)
  const waves: number[] = []
  for (let w = between(draw, 0, waveEvery - 1); w < totalWeeks; w += waveEvery) waves.push(w)
  const waveOpens = new Map(waves.map((w, i) => [i + 1, addUtcDays(start, 7 * w)]))
  let personId = 0

  for (let t = 0; t < pilotCount + controlCount; t++) {
    const teamId = t + 1
    const pilot = t < pilotCount
    roles.set(teamId, pilot ? 'pilot' : 'control')
    const engineers = between(draw, 4, 12)
    const streams = between(draw, 1, 6)
    const deployRate = logNormal(draw, 1.2, 0.5)
    const leadMedian = logNormal(draw, 30, 0.4)
    const failRate = Math.min(0.4, Math.max(0.01, 0.12 + 0.05 * normal(draw)))
    const restoreMean = logNormal(draw, 80, 0.3)
    const rampMedian = logNormal(draw, 14, 0.3)
    const teamScore = 6.4 + 0.6 * normal(draw)
    const after = (at: Date) => pilot && at >= launch
    for (let w = 0; w < totalWeeks; w++) {
      const weekStart = addUtcDays(start, 7 * w)
      const treated = after(weekStart)
      const rate = deployRate * streams * (shock[w] as number) * (treated ? 1 + effects.deploymentFrequency : 1)
      const deployments = poisson(draw, rate)
      const p = Math.min(0.95, Math.max(0, failRate + (treated ? effects.changeFailRate : 0)))
      let changeFailures = 0
      for (let d = 0; d < deployments; d++) if (draw() < p) changeFailures++
      const leadTimeHours: number[] = []
      for (let d = 0; d < deployments; d++) {
        const changes = between(draw, 1, 3)
        for (let c = 0; c < changes; c++)
          leadTimeHours.push(
            logNormal(draw, leadMedian * (durationShock[w] as number) * (treated ? 1 + effects.leadTime : 1), 0.9),
          )
      }
      const restoreMinutes: number[] = []
      const incidents = poisson(draw, 0.35 * (engineers / 8))
      for (let i = 0; i < incidents; i++) {
        const mean = Math.max(5, restoreMean + (treated ? effects.restoreMinutes : 0))
        // log-normal with this mean: median = mean / e^(σ²/2), σ = 0.8
        restoreMinutes.push(logNormal(draw, mean / Math.exp(0.32), 0.8))
      }
      weeks.push({
        ...emptyTeamWeek(teamId, weekStart.toISOString().slice(0, 10)),
        engineers,
        liveServices: streams,
        deployments,
        changeFailures,
        leadTimeHours: leadTimeHours.sort((a, b) => a - b),
        incidents,
        restoreMinutes: restoreMinutes.sort((a, b) => a - b),
      })
      // hires: about one a month per team; a tenth never merge within the data
      for (let h = poisson(draw, 0.25 * (engineers / 8)); h > 0; h--) {
        const startDate = addUtcDays(weekStart, between(draw, 0, 6))
        const days = logNormal(draw, rampMedian * (after(startDate) ? 1 + effects.daysToFirstMerge : 1), 0.55)
        const merged = new Date(startDate.getTime() + days * DAY_MS)
        hires.push({ personId: ++personId, teamId, startDate, mergedAt: draw() < 0.1 ? [] : [merged] })
      }
      for (let s = poisson(draw, 0.2); s > 0; s--) {
        const createdAt = addUtcDays(weekStart, between(draw, 0, 6))
        // the portal's effect on setup: more services start from a template, and each is set up faster
        const treated = after(createdAt) && effects.setupTime !== 0
        const template = draw() < (treated ? 0.8 : 0.3)
        const hours = logNormal(draw, template ? 20 : 300, 1.0) * (treated ? 1 + effects.setupTime : 1)
        services.push({
          ownerTeamId: teamId,
          origin: template ? 'template' : 'manual',
          requestedAt: new Date(createdAt.getTime() - hours * 3_600_000),
          createdAt,
        })
      }
    }
    waves.forEach((w, i) => {
      const opens = addUtcDays(start, 7 * w)
      for (let r = 0; r < engineers; r++) {
        if (draw() > 0.7) continue
        const person = teamScore + 0.9 * normal(draw)
        const score = (lift: number) => Math.min(10, Math.max(1, Math.round(person + lift + 1.1 * normal(draw))))
        // the DX score is every answer's mean: three questions carry the DX effect, find_docs only its own
        for (const question of ['overall', 'flow', 'tools'])
          answers.push({
            waveId: i + 1,
            respondentKey: `${teamId}-${r}-${i}`,
            teamId,
            question,
            score: score(after(opens) ? effects.dxScore : 0),
          })
        answers.push({
          waveId: i + 1,
          respondentKey: `${teamId}-${r}-${i}`,
          teamId,
          question: 'find_docs',
          score: score(after(opens) ? effects.docsScore : 0),
        })
      }
    })
  }
  return {
    rows: { roles, baseline, evaluation, weeks, hires, answers, waveOpens, services, now },
    useCase: chosen,
    primary: [...defaultPrimaryMetrics[chosen]],
  }
}

export interface SimulationResult {
  organisations: number
  /** Organisations whose stated claims include at least one about a metric with no true effect. */
  withFalseClaim: number
  /** Per primary metric: organisations where it was primary, and where it was confirmed. */
  primaries: Map<MetricKey, { tested: number; confirmed: number }>
  /** Every confirmed claim, per metric. */
  claims: Map<MetricKey, number>
}

/** Judges `count` organisations (seeds `firstSeed`…) as the one-pager would and counts false and true claims. */
export function runSimulation({
  count,
  firstSeed = 1,
  effects,
  replicates,
}: {
  count: number
  firstSeed?: number
  effects: TrueEffects
  replicates?: number
}): SimulationResult {
  const result: SimulationResult = { organisations: 0, withFalseClaim: 0, primaries: new Map(), claims: new Map() }
  for (let i = 0; i < count; i++) {
    const organisation = simulateOrganisation(firstSeed + i, effects)
    const judged = judgeInitiative(organisation.rows, {
      primary: organisation.primary,
      only: [...new Set([...organisation.primary, ...REPORT_METRICS])],
      seedPrefix: `simulation:${firstSeed + i}`,
      replicates,
      preTrends: 'claimable',
    })
    result.organisations++
    if (judged.some((metric) => isFalseClaim(metric, effects))) result.withFalseClaim++
    for (const metric of judged) {
      if (metric.claim.status === 'confirmed') result.claims.set(metric.key, (result.claims.get(metric.key) ?? 0) + 1)
      if (metric.role !== 'primary') continue
      const entry = result.primaries.get(metric.key) ?? { tested: 0, confirmed: 0 }
      entry.tested++
      if (metric.claim.status === 'confirmed' && !isFalseClaim(metric, effects)) entry.confirmed++
      result.primaries.set(metric.key, entry)
    }
  }
  return result
}

/** A confirmed claim about a metric without a true effect, or one in the wrong direction. */
function isFalseClaim(metric: JudgedMetric, effects: TrueEffects): boolean {
  if (metric.claim.status !== 'confirmed' || metric.outcome.state !== 'estimate') return false
  const truth = effects[EFFECT_OF[metric.key] as keyof TrueEffects] ?? 0
  return truth === 0 || Math.sign(truth) !== Math.sign(metric.outcome.estimate.value)
}

/** A 95% Wilson interval for a proportion. */
export function wilson(successes: number, n: number): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 }
  const z = 1.959964
  const p = successes / n
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n)
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}
