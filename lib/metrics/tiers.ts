// DORA performance levels, as published, per report year. The reports give each cluster's typical value in
// words ("between one day and one week"); the thresholds below are those words in numbers.
//
// Sources:
// - 2023: Accelerate State of DevOps Report 2023, "Software delivery performance" (dora.dev/research/2023).
// - 2024: Accelerate State of DevOps Report 2024, "Software delivery performance" (dora.dev/research/2024).
//
// The explicit rule. Clusters come out of a joint analysis of all four keys, so one key's column need not be
// ordered: in 2024 High's change fail rate (20%) is worse than Medium's (10%), and High and Medium share a
// recovery time ("less than one day"). Upshot rates each key on its own and makes every column monotone
// first: a lower level is never stricter than a better one, so a level's threshold is the most lenient of its
// own and all better levels' thresholds. In 2024 a change fail rate of 8% or 15% is therefore High, not
// Medium: Medium's 10% is shadowed by High's 20%. The overall level is the lowest of the four keys'.

const tierNames = ['elite', 'high', 'medium', 'low'] as const
export type Tier = (typeof tierNames)[number]
export type ReportYear = 2023 | 2024
export type TierKey = 'deploymentFrequency' | 'leadTime' | 'changeFailRate' | 'recoveryTime'

const DAY_HOURS = 24
const WEEK_HOURS = 7 * DAY_HOURS
const MONTH_HOURS = 30 * DAY_HOURS

interface Row {
  /** Deployments per week per service, at least. */
  deploymentsPerWeek: number
  /** Median change lead time in hours, below. */
  leadTimeHours: number
  /** Change fail rate, at most. */
  changeFailRate: number
  /** Median failed deployment recovery time in hours, below. */
  recoveryHours: number
  /** The report's own words, shown next to the badge. */
  words: Record<TierKey, string>
}

const doraTables: Record<ReportYear, Record<Tier, Row>> = {
  2023: {
    elite: {
      deploymentsPerWeek: 7,
      leadTimeHours: DAY_HOURS,
      changeFailRate: 0.05,
      recoveryHours: 1,
      words: {
        deploymentFrequency: 'On demand (multiple deploys per day)',
        leadTime: 'Less than one day',
        changeFailRate: '5%',
        recoveryTime: 'Less than one hour',
      },
    },
    high: {
      deploymentsPerWeek: 1,
      leadTimeHours: WEEK_HOURS,
      changeFailRate: 0.1,
      recoveryHours: DAY_HOURS,
      words: {
        deploymentFrequency: 'Between once per day and once per week',
        leadTime: 'Between one day and one week',
        changeFailRate: '10%',
        recoveryTime: 'Less than one day',
      },
    },
    medium: {
      deploymentsPerWeek: 7 / 30,
      leadTimeHours: MONTH_HOURS,
      changeFailRate: 0.15,
      recoveryHours: WEEK_HOURS,
      words: {
        deploymentFrequency: 'Between once per week and once per month',
        leadTime: 'Between one week and one month',
        changeFailRate: '15%',
        recoveryTime: 'Between one day and one week',
      },
    },
    low: {
      deploymentsPerWeek: 7 / 30,
      leadTimeHours: MONTH_HOURS,
      changeFailRate: 0.64,
      recoveryHours: 6 * MONTH_HOURS,
      words: {
        deploymentFrequency: 'Between once per week and once per month',
        leadTime: 'Between one week and one month',
        changeFailRate: '64%',
        recoveryTime: 'Between one month and six months',
      },
    },
  },
  2024: {
    elite: {
      deploymentsPerWeek: 7,
      leadTimeHours: DAY_HOURS,
      changeFailRate: 0.05,
      recoveryHours: 1,
      words: {
        deploymentFrequency: 'On demand (multiple deploys per day)',
        leadTime: 'Less than one day',
        changeFailRate: '5%',
        recoveryTime: 'Less than one hour',
      },
    },
    high: {
      deploymentsPerWeek: 1,
      leadTimeHours: WEEK_HOURS,
      changeFailRate: 0.2,
      recoveryHours: DAY_HOURS,
      words: {
        deploymentFrequency: 'Between once per day and once per week',
        leadTime: 'Between one day and one week',
        changeFailRate: '20%',
        recoveryTime: 'Less than one day',
      },
    },
    medium: {
      deploymentsPerWeek: 7 / 30,
      leadTimeHours: MONTH_HOURS,
      changeFailRate: 0.1,
      recoveryHours: DAY_HOURS,
      words: {
        deploymentFrequency: 'Between once per week and once per month',
        leadTime: 'Between one week and one month',
        changeFailRate: '10%',
        recoveryTime: 'Less than one day',
      },
    },
    low: {
      deploymentsPerWeek: 7 / 182,
      leadTimeHours: 6 * MONTH_HOURS,
      changeFailRate: 0.4,
      recoveryHours: MONTH_HOURS,
      words: {
        deploymentFrequency: 'Between once per month and once every six months',
        leadTime: 'Between one month and six months',
        changeFailRate: '40%',
        recoveryTime: 'Between one week and one month',
      },
    },
  },
}

export interface TierInputs {
  deploymentsPerWeekPerService: number | null
  leadTimeMedianHours: number | null
  changeFailRate: number | null
  recoveryMedianHours: number | null
}

export interface TierRating {
  year: ReportYear
  keys: Record<TierKey, Tier | null>
  /** The lowest of the rated keys; null when none could be rated. */
  overall: Tier | null
}

/** Each key's level by the monotone rule above; null for a key without data. */
export function rateTiers(inputs: TierInputs, year: ReportYear): TierRating {
  const table = doraTables[year]
  const better = (
    key: 'leadTimeHours' | 'changeFailRate' | 'recoveryHours',
    value: number | null,
    inclusive: boolean,
  ): Tier | null => {
    if (value === null) return null
    let lenient = -Infinity
    for (const tier of tierNames) {
      lenient = Math.max(lenient, table[tier][key])
      if (inclusive ? value <= lenient : value < lenient) return tier
    }
    return 'low'
  }
  const frequency = (value: number | null): Tier | null => {
    if (value === null) return null
    let lenient = Infinity
    for (const tier of tierNames) {
      lenient = Math.min(lenient, table[tier].deploymentsPerWeek)
      if (value >= lenient) return tier
    }
    return 'low'
  }
  const keys: Record<TierKey, Tier | null> = {
    deploymentFrequency: frequency(inputs.deploymentsPerWeekPerService),
    leadTime: better('leadTimeHours', inputs.leadTimeMedianHours, false),
    changeFailRate: better('changeFailRate', inputs.changeFailRate, true),
    recoveryTime: better('recoveryHours', inputs.recoveryMedianHours, false),
  }
  const rated = Object.values(keys).filter((tier): tier is Tier => tier !== null)
  const overall =
    rated.length === 0
      ? null
      : rated.reduce((worst, tier) => (tierNames.indexOf(tier) > tierNames.indexOf(worst) ? tier : worst))
  return { year, keys, overall }
}
