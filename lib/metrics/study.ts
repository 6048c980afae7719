// The docs find-time study (a time-in-motion study, docs/metrics.md "Docs find-time study"): how long a
// participant takes to find what a task asks for, before the portal's docs and after, and what the difference
// is worth as engineer time. Pure: rows in, figures out; no database, no framework.
//
// Per task the figure is minutes saved per look-up = mean minutes before − mean minutes after, with a seeded 95%
// bootstrap interval. Paired when at least MIN_PARTICIPANTS participants timed the task in both phases: the
// unit resampled is a participant's own before − after, over those participants only (their pace cancels).
// Otherwise unpaired: each phase's participants are resampled apart. A task not found counts its time, unfound:
// the minutes spent before giving up were lost all the same (the share found is shown beside it). The mean,
// not the median: an organisation's hours are a sum of look-ups, and a mean × a count is that sum.
import { seededDraw, seedFrom, type Draw } from '@/lib/stats/random'
import type { StudyPhase } from '@/lib/domain'

/** No figure for a task, or for the study, with fewer distinct participants than this in either phase. */
export const MIN_PARTICIPANTS = 5
const REPLICATES = 2000
const CONFIDENCE = 0.95

export interface StudyObservationRow {
  task: string
  /** The participant's salted hash (never a name). */
  participant: string
  phase: StudyPhase
  seconds: number
  found: boolean
}

export type StudyVerdict = 'saves' | 'costs' | 'no_clear_change'

export interface SavedInterval {
  /** Minutes saved per look-up (positive: faster after). */
  estimate: number
  low: number
  high: number
  verdict: StudyVerdict
}

export type StudyOutcome =
  | { state: 'estimate'; saved: SavedInterval }
  /** Fewer than MIN_PARTICIPANTS distinct participants in the weaker phase: `participants` of them. */
  | { state: 'not_enough'; participants: number }

export interface PhaseFigure {
  participants: number
  /** Mean minutes per look-up; null with no observation. */
  meanMinutes: number | null
  /** Share of look-ups where the answer was found; null with no observation. */
  foundShare: number | null
}

export interface TaskResult {
  task: string
  before: PhaseFigure
  after: PhaseFigure
  /** Participants who timed the task in both phases. */
  paired: number
  design: 'paired' | 'unpaired'
  outcome: StudyOutcome
}

export interface StudyResult {
  tasks: TaskResult[]
  /** Distinct participants over every task, per phase. */
  participants: { before: number; after: number }
  /** Minutes saved per look-up, the mean over the tasks that have a figure (each task weighs the same). */
  overall: StudyOutcome & { tasks: number }
}

/** A task's bootstrap: its point estimate and one resampled estimate per call. */
interface TaskResampler {
  point: number
  replicate(draw: Draw): number
  /** Its participants (by key), for the overall figure's resampling. */
  participants: string[]
  /** Its estimate from participants drawn with these multiplicities; null when none of its own was drawn. */
  weighted(weights: ReadonlyMap<string, number>): number | null
}

/** The mean of the values, each counted as many times as its participant was drawn; null when none was. */
function weightedMean(values: readonly (readonly [string, number])[], weights: ReadonlyMap<string, number>) {
  let sum = 0
  let count = 0
  for (const [participant, value] of values) {
    const weight = weights.get(participant) ?? 0
    sum += weight * value
    count += weight
  }
  return count === 0 ? null : sum / count
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
const minutes = (row: StudyObservationRow) => row.seconds / 60

function resampledMean(values: readonly number[], draw: Draw): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[Math.floor(draw() * values.length)] as number
  return sum / values.length
}

function phaseFigure(rows: readonly StudyObservationRow[]): PhaseFigure {
  if (rows.length === 0) return { participants: 0, meanMinutes: null, foundShare: null }
  return {
    participants: new Set(rows.map((row) => row.participant)).size,
    meanMinutes: mean(rows.map(minutes)),
    foundShare: rows.filter((row) => row.found).length / rows.length,
  }
}

/** Percentile interval of `replicate` around `point`; the verdict is clear only when the interval excludes 0. */
function interval(
  point: number,
  replicate: (draw: Draw) => number,
  seed: number,
  confidence = CONFIDENCE,
): SavedInterval {
  const draw = seededDraw(seed)
  // each tail rests on at least 20 draws: 2,000 at 95%, 4,000 at 99%
  const replicates = Math.max(REPLICATES, Math.ceil(40 / (1 - confidence)))
  const draws = Float64Array.from({ length: replicates }, () => replicate(draw)).sort()
  const at = (q: number) => {
    const position = q * (draws.length - 1)
    const lower = Math.floor(position)
    const upper = Math.min(draws.length - 1, lower + 1)
    return (draws[lower] as number) + (position - lower) * ((draws[upper] as number) - (draws[lower] as number))
  }
  const alpha = 1 - confidence
  // a percentile interval can sit beside its estimate when the draws are few and lumpy: widen it to take it in
  const low = Math.min(at(alpha / 2), point)
  const high = Math.max(at(1 - alpha / 2), point)
  return { estimate: point, low, high, verdict: low > 0 ? 'saves' : high < 0 ? 'costs' : 'no_clear_change' }
}

/**
 * One task's rows: its phases' figures, whether it is paired, and its resampler when both phases have at least
 * MIN_PARTICIPANTS participants. A participant timed more than once in a phase (two CSVs under different names
 * cannot, the key is unique) counts once, at their mean.
 */
function taskOf(task: string, rows: readonly StudyObservationRow[]) {
  const byPhase = (phase: StudyPhase) => {
    const perParticipant = new Map<string, number[]>()
    for (const row of rows)
      if (row.phase === phase)
        perParticipant.set(row.participant, [...(perParticipant.get(row.participant) ?? []), minutes(row)])
    return new Map([...perParticipant].map(([participant, values]) => [participant, mean(values)]))
  }
  const before = byPhase('before')
  const after = byPhase('after')
  const pairs = [...before.keys()].filter((participant) => after.has(participant)).sort()
  const design: TaskResult['design'] = pairs.length >= MIN_PARTICIPANTS ? 'paired' : 'unpaired'
  const weaker = Math.min(before.size, after.size)
  let resampler: TaskResampler | null = null
  if (design === 'paired') {
    const differences = pairs.map(
      (participant) => [participant, (before.get(participant) as number) - (after.get(participant) as number)] as const,
    )
    const values = differences.map(([, value]) => value)
    resampler = {
      point: mean(values),
      replicate: (draw) => resampledMean(values, draw),
      participants: pairs,
      weighted: (weights) => weightedMean(differences, weights),
    }
  } else if (weaker >= MIN_PARTICIPANTS) {
    // sorted by participant key, so the same data resample the same way whatever order the rows came in
    const sorted = (phase: Map<string, number>) => [...phase].sort(([a], [b]) => (a < b ? -1 : 1))
    const b = sorted(before)
    const a = sorted(after)
    const values = (entries: [string, number][]) => entries.map(([, value]) => value)
    resampler = {
      point: mean(values(b)) - mean(values(a)),
      replicate: (draw) => resampledMean(values(b), draw) - resampledMean(values(a), draw),
      participants: [...new Set([...before.keys(), ...after.keys()])],
      weighted: (weights) => {
        const [was, is] = [weightedMean(b, weights), weightedMean(a, weights)]
        return was === null || is === null ? null : was - is
      },
    }
  }
  return {
    figures: {
      task,
      before: phaseFigure(rows.filter((row) => row.phase === 'before')),
      after: phaseFigure(rows.filter((row) => row.phase === 'after')),
      paired: pairs.length,
      design,
    },
    weaker,
    resampler,
  }
}

/**
 * The study's figures: per task, and overall (the mean of the tasks' savings; its interval resamples participants,
 * who time several tasks each: participantReplicate). Tasks in name order; seeded by the task's name.
 */
export function summarizeStudy(rows: readonly StudyObservationRow[], overallConfidence = CONFIDENCE): StudyResult {
  // in one order whatever order the rows came in, so the sums, and the figures, are the same to the last digit
  const key = (row: StudyObservationRow) => `${row.phase}|${row.participant}|${row.seconds}`
  const ordered = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  const grouped = new Map<string, StudyObservationRow[]>()
  for (const row of ordered) grouped.set(row.task, [...(grouped.get(row.task) ?? []), row])
  const tasks = [...grouped.keys()].sort().map((task) => taskOf(task, grouped.get(task) as StudyObservationRow[]))
  const results = tasks.map(({ figures, weaker, resampler }): TaskResult => ({
    ...figures,
    outcome: resampler
      ? { state: 'estimate', saved: interval(resampler.point, resampler.replicate, seedFrom(`study:${figures.task}`)) }
      : { state: 'not_enough', participants: weaker },
  }))
  const counted = tasks.flatMap(({ resampler }) => (resampler ? [resampler] : []))
  const overall: StudyResult['overall'] =
    counted.length === 0
      ? { state: 'not_enough', participants: Math.max(0, ...tasks.map(({ weaker }) => weaker)), tasks: 0 }
      : {
          state: 'estimate',
          saved: interval(
            mean(counted.map((one) => one.point)),
            participantReplicate(counted),
            seedFrom(`study:overall:${tasks.map(({ figures }) => figures.task).join('|')}`),
            overallConfidence,
          ),
          tasks: counted.length,
        }
  const distinct = (phase: StudyPhase) =>
    new Set(rows.filter((row) => row.phase === phase).map((row) => row.participant)).size
  return { tasks: results, participants: { before: distinct('before'), after: distinct('after') }, overall }
}

/**
 * One replicate of the overall figure: the same people time several tasks, so their tasks' savings move together.
 * Participants (not rows, not tasks) are resampled, once per replicate, and every task is worked out from those
 * drawn (a cluster bootstrap); a task none of whose own participants was drawn keeps its point estimate.
 */
function participantReplicate(counted: readonly TaskResampler[]): (draw: Draw) => number {
  const everyone = [...new Set(counted.flatMap((one) => one.participants))].sort()
  return (draw) => {
    const weights = new Map<string, number>()
    for (let i = 0; i < everyone.length; i++) {
      const participant = everyone[Math.floor(draw() * everyone.length)] as string
      weights.set(participant, (weights.get(participant) ?? 0) + 1)
    }
    return mean(counted.map((one) => one.weighted(weights) ?? one.point))
  }
}

export interface StudyAssumptions {
  lookupsPerEngineerWeek: number
  engineers: number
  workingWeeksPerYear: number
  /** Working hours in an FTE-year: 8 hours × 5 days × the working weeks (the ROI model's FTE-year). */
  hoursPerFteYear: number
}

export interface StudyExtrapolation {
  /** Engineer-hours a year: minutes saved per look-up × look-ups per engineer-week × engineers × weeks ÷ 60. */
  hoursPerYear: { estimate: number; low: number; high: number }
  /** hoursPerYear ÷ hours per FTE-year. */
  ftes: { estimate: number; low: number; high: number }
}

/** Minutes saved per look-up, scaled to the organisation's year. */
export function extrapolateStudy(saved: SavedInterval, assumptions: StudyAssumptions): StudyExtrapolation {
  const factor = (assumptions.lookupsPerEngineerWeek * assumptions.engineers * assumptions.workingWeeksPerYear) / 60
  const hours = { estimate: saved.estimate * factor, low: saved.low * factor, high: saved.high * factor }
  const perFte = assumptions.hoursPerFteYear > 0 ? 1 / assumptions.hoursPerFteYear : 0
  return {
    hoursPerYear: hours,
    ftes: { estimate: hours.estimate * perFte, low: hours.low * perFte, high: hours.high * perFte },
  }
}

/** "not enough data: 3 of 5 participants" */
export const notEnoughText = (participants: number) =>
  `not enough data: ${participants} of ${MIN_PARTICIPANTS} participants`

export interface StudyFigures {
  result: StudyResult
  assumptions: StudyAssumptions
  /** Engineer-hours and FTEs a year from the overall figure; null until it has one. */
  extrapolation: StudyExtrapolation | null
  /** The one-pager's plain sentence, only when the overall interval excludes 0; null otherwise. */
  finding: string | null
  /** The overall interval's confidence: 95% on its own page, less of the one-pager's 5% there (pageBudget). */
  confidence: number
}

const oneDecimal = (value: number) =>
  (Math.round(value * 10) / 10).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/**
 * The study summarised and scaled to the organisation. The finding is a sentence only when the change is
 * clear: "About 2.1 FTEs a year freed by central docs (95% interval 1.2 to 3.0): 3.4 minutes saved per look-up".
 */
export function studyFigures(
  rows: readonly StudyObservationRow[],
  assumptions: StudyAssumptions,
  confidence = CONFIDENCE,
): StudyFigures {
  const result = summarizeStudy(rows, confidence)
  if (result.overall.state !== 'estimate')
    return { result, assumptions, extrapolation: null, finding: null, confidence }
  const { saved } = result.overall
  const extrapolation = extrapolateStudy(saved, assumptions)
  const { ftes } = extrapolation
  const perLookup = `${oneDecimal(Math.abs(saved.estimate))} minutes`
  const finding =
    saved.verdict === 'saves'
      ? `About ${oneDecimal(ftes.estimate)} FTEs a year freed by central docs (${percent(confidence)} interval ${oneDecimal(ftes.low)} to ${oneDecimal(ftes.high)}): ${perLookup} saved per look-up`
      : saved.verdict === 'costs'
        ? `Finding docs takes longer since the portal: about ${oneDecimal(-ftes.estimate)} FTEs a year lost (${percent(confidence)} interval ${oneDecimal(-ftes.high)} to ${oneDecimal(-ftes.low)}): ${perLookup} more per look-up`
        : null
  return { result, assumptions, extrapolation, finding, confidence }
}

/** 0.95 → "95%", 0.99 → "99%". */
const percent = (confidence: number) => `${Math.round(confidence * 1000) / 10}%`
