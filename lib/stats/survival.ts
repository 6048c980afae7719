// Time-to-event with right-censoring (Kaplan–Meier). Used for onboarding: a hire who has not merged a pull
// request yet is not dropped (that would flatter the median) but counts as "not yet, after t days".

export interface Observation {
  /** Time to the event, or to when observation stopped. */
  time: number
  /** True when the event happened at `time`; false when censored (not yet happened by `time`). */
  event: boolean
}

/** The survival curve S(t) at each distinct event time: the share still without the event after t. */
export function kaplanMeier(observations: readonly Observation[]): { time: number; survival: number }[] {
  const sorted = [...observations].sort((a, b) => a.time - b.time || Number(b.event) - Number(a.event))
  const curve: { time: number; survival: number }[] = []
  let atRisk = sorted.length
  let survival = 1
  let i = 0
  while (i < sorted.length) {
    const time = (sorted[i] as Observation).time
    let events = 0
    let leaving = 0
    while (i < sorted.length && (sorted[i] as Observation).time === time) {
      if ((sorted[i] as Observation).event) events++
      leaving++
      i++
    }
    if (events > 0) {
      survival *= 1 - events / atRisk
      curve.push({ time, survival })
    }
    atRisk -= leaving
  }
  return curve
}

/**
 * The Kaplan–Meier quantile: the first time at which at least share `q` have had the event (q = 0.5: the
 * median). Null when censoring hides it (fewer than q of the group have had the event).
 */
export function kaplanMeierQuantile(observations: readonly Observation[], q = 0.5): number | null {
  for (const point of kaplanMeier(observations)) if (point.survival <= 1 - q + 1e-12) return point.time
  return null
}
