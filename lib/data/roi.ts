// The ROI assumptions: current values (stored or default, and who set each when), their history, changing
// them from the ROI page's form; and the ROI model run on an initiative's measured effects. Server-only; the
// caller checks who may change assumptions.
import 'server-only'
import { getDb, type Db } from '@/db/client'
import {
  countForRoi,
  listAssumptionHistory,
  listCurrentAssumptions,
  recordAssumptions,
  type RoiCounts,
  type StoredAssumption,
} from '@/db/queries/roi'
import {
  assumptionKeys,
  assumptionSpecs,
  defaultAssumptions,
  readAssumptionForm,
  type AssumptionKey,
  type Assumptions,
} from '@/lib/roi/assumptions'
import { roiModel, type MeasuredEffect, type RoiInputs, type RoiResult } from '@/lib/roi/model'
import { listStudyObservations } from '@/db/queries/studies'
import { studyFigures, type StudyFigures } from '@/lib/metrics/study'
import type { InitiativeMetric } from './initiative'

export interface AssumptionView {
  key: AssumptionKey
  label: string
  unit: string
  help: string
  value: number
  /** Who set it and when; null: the default. */
  set: { by: string; at: Date } | null
}

export interface RoiAssumptions {
  values: Assumptions
  list: AssumptionView[]
  history: StoredAssumption[]
}

export async function getRoiAssumptions({ db = getDb() }: { db?: Db } = {}): Promise<RoiAssumptions> {
  const [current, history] = await Promise.all([listCurrentAssumptions(db), listAssumptionHistory(db)])
  const stored = new Map(current.map((row) => [row.key, row]))
  const values = { ...defaultAssumptions }
  const list = assumptionKeys.map((key): AssumptionView => {
    const row = stored.get(key)
    if (row) values[key] = row.value
    const spec = assumptionSpecs[key]
    return {
      key,
      label: spec.label,
      unit: spec.unit,
      help: spec.help,
      value: values[key],
      set: row ? { by: row.changedBy, at: row.changedAt } : null,
    }
  })
  return { values, list, history: history.filter((row) => (assumptionKeys as string[]).includes(row.key)) }
}

export interface AssumptionFormState {
  values: Record<string, string>
  errors: Record<string, string>
  message: string | null
  saved: number | null
}

/** Validates every field (lib/roi/assumptions.ts, the same reading as the page's "if saved" figures); stores the ones that changed, all or none. */
export async function submitAssumptions(
  form: FormData,
  changedBy: string,
  { db = getDb() }: { db?: Db } = {},
): Promise<AssumptionFormState> {
  const reading = readAssumptionForm(form)
  const values: Record<string, string> = { ...reading.values }
  const errors: Record<string, string> = { ...reading.errors }
  const parsed = reading.assumptions
  const note =
    String(form.get('note') ?? '')
      .trim()
      .slice(0, 500) || null
  values.note = note ?? ''
  if (!parsed) return { values, errors, message: 'Nothing was saved: fix the fields marked below.', saved: null }
  const current = await getRoiAssumptions({ db })
  const changes = assumptionKeys
    .filter((key) => parsed[key] !== current.values[key])
    .map((key) => ({ key, value: parsed[key], unit: assumptionSpecs[key].unit, note }))
  await recordAssumptions(db, changes, changedBy)
  return {
    values,
    errors: {},
    message: changes.length
      ? `Saved ${changes.length} change${changes.length === 1 ? '' : 's'}.`
      : 'Nothing had changed.',
    saved: changes.length,
  }
}

/**
 * A metric's effect as the model takes it; null without an estimate. `confirmed` is the metric's verdict after
 * family-wise control: an unconfirmed effect counts 0 in the likely money, its interval only in the range.
 */
function effectOf(metrics: readonly InitiativeMetric[], key: InitiativeMetric['key']): MeasuredEffect | null {
  const metric = metrics.find((one) => one.key === key)
  if (!metric || metric.outcome.state !== 'estimate') return null
  const { value, low, high } = metric.outcome.estimate
  return { estimate: value, low, high, confirmed: metric.confirmed }
}

export interface RoiView {
  result: RoiResult
  counts: RoiCounts
  /** The docs find-time study, scaled with the same assumptions and engineers (its overall figure is the docs effect). */
  study: StudyFigures
  assumptions: RoiAssumptions
  /**
   * What the model multiplied besides the assumptions: the measured effects and the yearly counts, plain data,
   * so the ROI page can rerun the same model (lib/roi/model.ts) on the assumptions being typed.
   */
  inputs: RoiMeasured
}

export type RoiMeasured = Omit<RoiInputs, 'assumptions'>

/** The ROI model on an initiative's measured effects, scaled to the organisation's last year. */
export async function getRoi(
  metrics: readonly InitiativeMetric[],
  {
    db = getDb(),
    asOf = new Date(),
    docsConfidence,
  }: {
    db?: Db
    asOf?: Date
    /** The docs finding's confidence on the page that states it (1 − its pageBudget share); default 95%. */
    docsConfidence?: number
  } = {},
): Promise<RoiView> {
  const [assumptions, counts, observations] = await Promise.all([
    getRoiAssumptions({ db }),
    countForRoi(db, { asOf }),
    listStudyObservations(db),
  ])
  const study = docsStudy(observations, assumptions.values, counts.engineers, docsConfidence)
  const inputs: RoiMeasured = {
    effects: {
      daysToFirstMerge: effectOf(metrics, 'days_to_first_merge'),
      timeToRestoreMinutes: effectOf(metrics, 'time_to_restore'),
      throughputRelative: effectOf(metrics, 'throughput'),
      docsMinutesSavedPerLookup: studyEffect(study),
    },
    counts: {
      engineers: counts.engineers,
      hiresPerYear: counts.hiresPerYear,
      incidentsPerYear: counts.incidentsPerYear,
      servicesFromTemplatesPerYear: counts.servicesFromTemplatesPerYear,
      setupHoursSavedPerService:
        counts.manualSetupHours !== null && counts.templateSetupHours !== null
          ? counts.manualSetupHours - counts.templateSetupHours
          : null,
    },
  }
  return { result: roiModel({ assumptions: assumptions.values, ...inputs }), counts, study, assumptions, inputs }
}

/**
 * The docs find-time study on the organisation's numbers: the look-ups assumption, the engineers the ROI model
 * counts, the working weeks, and an FTE-year of 8 hours × 5 days × those weeks (the model's FTE-year).
 */
export function docsStudy(
  observations: readonly {
    task: string
    participantKey: string
    phase: 'before' | 'after'
    seconds: number
    found: boolean
  }[],
  assumptions: Assumptions,
  engineers: number,
  /** The overall interval's confidence: 95% alone, less on a page that states other verdicts (pageBudget). */
  confidence?: number,
): StudyFigures {
  return studyFigures(
    observations.map((row) => ({
      task: row.task,
      participant: row.participantKey,
      phase: row.phase,
      seconds: row.seconds,
      found: row.found,
    })),
    {
      lookupsPerEngineerWeek: assumptions.docs_lookups_per_engineer_week,
      engineers,
      workingWeeksPerYear: assumptions.working_weeks_per_year,
      hoursPerFteYear: 8 * 5 * assumptions.working_weeks_per_year,
    },
    confidence,
  )
}

/** The study's overall minutes saved per look-up as a measured effect: clear only when its interval excludes 0. */
function studyEffect(study: StudyFigures): MeasuredEffect | null {
  const { overall } = study.result
  if (overall.state !== 'estimate') return null
  const { estimate, low, high, verdict } = overall.saved
  return { estimate, low, high, confirmed: verdict !== 'no_clear_change' }
}
