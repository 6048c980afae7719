// What a demo organisation is made from, and the timeline of its story.
import { z } from 'zod'
import {
  addUtcDays,
  addUtcMonths,
  isIsoDate,
  parseIsoDate,
  startOfUtcWeek,
  toIsoDate,
  type Interval,
} from '@/lib/dates'

export const demoOptionsSchema = z.object({
  /** Same seed, scale, months and end → the same rows, byte for byte. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** 1 ≈ 12 teams and 250 engineers; 20 ≈ 240 teams, 5,000 engineers, over a million pull requests in 3 years. */
  scale: z.number().positive().max(50).default(1),
  months: z.number().int().min(18).max(60).default(24),
  /** The first day after the data (YYYY-MM-DD). Defaults to this week's Monday, so the demo looks current. */
  end: z
    .string()
    .refine(isIsoDate, 'must be a date as YYYY-MM-DD')
    .default(() => toIsoDate(startOfUtcWeek(new Date()))),
})

export type DemoOptions = z.infer<typeof demoOptionsSchema>
export type DemoOptionsInput = z.input<typeof demoOptionsSchema>

export interface Timeline {
  /** First day of data (a Monday). */
  start: Date
  /** First day after the data. */
  end: Date
  /** The portal goes live for three pilot teams (the portal-launch milestone, and the pilot's start). */
  launch: Date
  /** Four months later, general availability: every other team adopts within two weeks. */
  generalAvailability: Date
  /**
   * The pilot initiative's windows: the 26 weeks before launch, and from two weeks after launch (the teams
   * settling in) until general availability, when the control teams get the portal too.
   */
  pilotBaseline: Interval
  pilotEvaluation: Interval
}

export function demoTimeline(options: DemoOptions): Timeline {
  const end = parseIsoDate(options.end)
  const start = startOfUtcWeek(addUtcMonths(end, -options.months))
  const generalAvailability = startOfUtcWeek(addUtcMonths(end, -6))
  const launch = startOfUtcWeek(addUtcMonths(generalAvailability, -4))
  return {
    start,
    end,
    launch,
    generalAvailability,
    pilotBaseline: { from: addUtcDays(launch, -26 * 7), to: launch },
    pilotEvaluation: { from: addUtcDays(launch, 14), to: generalAvailability },
  }
}
