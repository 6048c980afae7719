// What the portal does in the demo organisation, once a team has it, in one place: the generator applies
// these, and tests/integration/initiative.test.ts checks that the pilot comparison recovers them.
// Sized like the figures platform teams report (the product brief's seed table).

export const DEMO_EFFECTS = {
  /** Releases per service get 30% more frequent ("ship frequency up 30%"). */
  deploymentFrequency: 0.3,
  /** Coding, pickup and review each take a quarter less time; with the faster releases, change lead time falls by about a quarter. */
  flowPhases: -0.25,
  leadTime: -0.25,
  /** Mean time to restore an incident, minutes: 90 → 55. */
  restoreMinutes: { before: 90, after: 55 },
  /** Median days from start date to first merged pull request: 15 → 5 ("ramp-up shrank from about 14 days to 5"). */
  daysToFirstMerge: { before: 15, after: 5 },
  /** Pulse survey score: 6.4 → 8.1. */
  dxScore: { before: 6.4, after: 8.1 },
  /** Merged pull requests per engineer: a little more output, not the headline. */
  throughput: 0.08,
  /** Docs find-time study, median seconds per look-up: 6 minutes before the portal's docs, 2.5 after. */
  docsLookupSeconds: { before: 360, after: 150 },
  /** The change fail rate is left alone on purpose: the metric that should show "no clear change". */
  changeFailRate: 0,
} as const
