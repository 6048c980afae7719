// The ROI model's inputs that a person sets (money, headcount, study results), with their defaults, units and
// bounds. Stored append-only in roi_assumptions (who changed what, when); the latest row of a key wins and a
// key never set uses its default. Pure: no database, no framework.

export interface AssumptionSpec {
  label: string
  unit: string
  default: number
  min: number
  max: number
  /** Whole numbers only (headcounts, presets, switches). */
  integer?: boolean
  help: string
}

/** How the portal's cost is reckoned: a preset from the seed's back-of-the-napkin figures, or our own numbers. */
export const costPresets = {
  0: { name: 'custom', label: 'Our own figures: portal engineers × loaded cost + infrastructure + licences' },
  1: { name: 'diy', label: 'Build it ourselves (3 engineers): US $380k–650k a year' },
  2: { name: 'saas', label: 'SaaS portal: US $35 per developer per month' },
  3: { name: 'hybrid', label: 'Hybrid (managed core, own plugins): US $150k–250k a year' },
} as const

export const assumptionSpecs = {
  engineer_daily_cost: {
    label: 'Loaded cost of an engineer per working day',
    unit: 'USD per day',
    default: 800,
    min: 50,
    max: 10_000,
    help: 'Salary, benefits and overhead ÷ working days.',
  },
  working_weeks_per_year: {
    label: 'Working weeks per year',
    unit: 'weeks',
    default: 46,
    min: 1,
    max: 52,
    integer: true,
    help: 'After holidays and leave.',
  },
  responders_per_incident: {
    label: 'People working an incident',
    unit: 'people',
    default: 3,
    min: 1,
    max: 50,
    help: 'On average, until it is resolved.',
  },
  setup_effort_share: {
    label: 'Share of a hand-made service’s setup that is engineering work',
    unit: 'share (0–1)',
    default: 0.5,
    min: 0,
    max: 1,
    help: 'Of the working hours while a service is set up by hand (weeks of calendar time, counted at 5 of 7 days and 8 of 24 hours), the part an engineer spends working on it rather than waiting.',
  },
  docs_lookups_per_engineer_week: {
    label: 'Docs look-ups per engineer per week',
    unit: 'look-ups per engineer-week',
    default: 10,
    min: 0,
    max: 200,
    help: 'How often an engineer looks something up in the docs (about two a working day by default). The docs find-time study measures the minutes each look-up saves; this counts how many there are. Count it where you can: docs searches per active user on the Adoption page, or ask in the survey.',
  },
  include_throughput: {
    label: 'Count more merged work as value',
    unit: 'switch',
    default: 0,
    min: 0,
    max: 1,
    integer: true,
    help: 'Off by default: more pull requests are not by themselves money saved.',
  },
  delivery_share_of_time: {
    label: 'Share of engineering time spent on delivery',
    unit: 'share (0–1)',
    default: 0.5,
    min: 0,
    max: 1,
    help: 'Only used when more merged work counts as value.',
  },
  cost_preset: {
    label: 'Portal cost model',
    unit: 'preset',
    default: 1,
    min: 0,
    max: 3,
    integer: true,
    help: 'What the portal costs a year, set against the value it measured.',
  },
  portal_engineers: {
    label: 'Engineers on the portal team',
    unit: 'people',
    default: 3,
    min: 0,
    max: 100,
    help: 'Used by "our own figures".',
  },
  portal_engineer_annual_cost: {
    label: 'Loaded cost of a portal engineer per year',
    unit: 'USD per year',
    default: 180_000,
    min: 0,
    max: 2_000_000,
    help: 'Used by "our own figures".',
  },
  infrastructure_per_year: {
    label: 'Infrastructure per year',
    unit: 'USD per year',
    default: 30_000,
    min: 0,
    max: 10_000_000,
    help: 'Hosting, databases, CI minutes. Used by "our own figures".',
  },
  licences_per_year: {
    label: 'Licences per year',
    unit: 'USD per year',
    default: 0,
    min: 0,
    max: 10_000_000,
    help: 'Plugins, support contracts. Used by "our own figures".',
  },
} as const satisfies Record<string, AssumptionSpec>

export type AssumptionKey = keyof typeof assumptionSpecs
export type Assumptions = Record<AssumptionKey, number>
export const assumptionKeys = Object.keys(assumptionSpecs) as AssumptionKey[]

export const defaultAssumptions: Assumptions = Object.fromEntries(
  assumptionKeys.map((key) => [key, assumptionSpecs[key].default]),
) as Assumptions

/** What is wrong with a value for a key, in words; null when it is fine. */
export function assumptionProblem(key: AssumptionKey, value: number): string | null {
  const spec: AssumptionSpec = assumptionSpecs[key]
  if (!Number.isFinite(value)) return 'must be a number'
  if (spec.integer && !Number.isInteger(value)) return 'must be a whole number'
  if (value < spec.min || value > spec.max)
    return `must be between ${spec.min.toLocaleString('en-US')} and ${spec.max.toLocaleString('en-US')}`
  return null
}

export interface AssumptionFormReading {
  /** What each field holds, as typed (a switch: '1' ticked, '0' not). */
  values: Record<AssumptionKey, string>
  /** A message per refused field, naming it. */
  errors: Partial<Record<AssumptionKey, string>>
  /** Every value, when none is refused; null otherwise. */
  assumptions: Assumptions | null
}

/**
 * The ROI form's fields read and checked, the one reading both the save (lib/data/roi.ts) and the ROI page's
 * live "if saved" figures use, so what is previewed is what would be stored. `form` is a FormData (or anything
 * with its get).
 */
export function readAssumptionForm(form: { get(name: string): unknown }): AssumptionFormReading {
  const values = {} as Record<AssumptionKey, string>
  const errors: Partial<Record<AssumptionKey, string>> = {}
  const parsed = {} as Assumptions
  for (const key of assumptionKeys) {
    const spec: AssumptionSpec = assumptionSpecs[key]
    const field = form.get(key)
    // a switch is a checkbox: a form sends it only when it is on
    const raw =
      spec.unit === 'switch'
        ? field === null || field === undefined
          ? '0'
          : String(field).trim()
        : String(field ?? '').trim()
    values[key] = raw
    // "180,000" is thousands; "2,5" is not a number here (a dot marks decimals), so it is refused, not read as 25
    const plain = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw) ? raw.replaceAll(',', '') : raw
    const value = plain === '' || !/^-?(\d+\.?\d*|\.\d+)$/.test(plain) ? Number.NaN : Number(plain)
    const problem = assumptionProblem(key, value)
    if (problem)
      errors[key] =
        `${spec.label} ${problem === 'must be a number' && raw.includes(',') ? 'must be a number, with a dot for decimals' : problem}`
    else parsed[key] = value
  }
  return { values, errors, assumptions: Object.keys(errors).length === 0 ? parsed : null }
}

/** A value as a person reads it: a preset by its name, a switch as yes or no, a number with its unit. */
export function describeAssumption(key: string, value: number, unit: string): string {
  if (key === 'cost_preset') return costPresets[value as keyof typeof costPresets]?.label ?? `preset ${value}`
  if (unit === 'switch') return value === 1 ? 'yes' : 'no'
  return `${value.toLocaleString('en-US')} ${unit}`
}
