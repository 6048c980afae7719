import { formatDate } from '@/lib/format'
import type { PageBudget } from '@/lib/stats/claims'

const percent = (alpha: number) => `${Math.round(alpha * 1000) / 10}%`

/** "the changes are held to 3%, the goals to 1% and the docs finding to 1%, so": the page's 5%, split. */
function split(budget: PageBudget | undefined): string {
  if (!budget || (budget.goals === 0 && budget.docs === 0)) return 'so'
  const others = [
    budget.goals > 0 ? `the goals to ${percent(budget.goals)}` : null,
    budget.docs > 0 ? `the docs finding to ${percent(budget.docs)}` : null,
  ].filter(Boolean)
  return `the changes are held to ${percent(budget.changes)}, ${others.join(' and ')}, so`
}

/** How it was measured, and how fresh the data is. */
export function ReportMethod({
  control,
  budget,
  generatedAt,
  latest,
}: {
  control: { primary: number; secondary: number; gateOpen: boolean }
  /** Absent from a one-pager kept before the page's 5% was split. */
  budget?: PageBudget
  generatedAt: Date
  latest: { deployment: Date | null; pullRequest: Date | null; incident: Date | null }
}) {
  return (
    <footer className="method">
      <strong>How this was measured.</strong> Each change is the pilot teams’ change from before to after minus the
      control teams’ over the same weeks (difference-in-differences), with a 95% interval from resampling whole weeks or
      people (seeded). A change is stated only when confirmed: the {control.primary} primary metric
      {control.primary === 1 ? ' is' : 's are'} tested first (Holm), the {control.secondary} others only once every
      primary one is confirmed{control.gateOpen ? '' : ' (not yet)'}; {split(budget)} the chance that any statement here
      is false is at most 5%; its interval must exclude no change, and pilot and control must have moved alike before
      the launch. Money counts confirmed effects only; an unconfirmed one adds its interval to the range, nothing to the
      likely value. Data as of {formatDate(generatedAt)}: latest deployment{' '}
      {latest.deployment ? formatDate(latest.deployment) : 'none'}, pull request{' '}
      {latest.pullRequest ? formatDate(latest.pullRequest) : 'none'}, incident{' '}
      {latest.incident ? formatDate(latest.incident) : 'none'}. Definitions: docs/metrics.md.
    </footer>
  )
}
