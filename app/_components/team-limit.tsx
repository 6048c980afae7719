// Per-team tables and charts show at most TEAMS_SHOWN teams: at 240 teams a list of every one is neither
// readable nor cheap to send. Which teams come first is the page's choice (where to look); the note says
// how many there are and how to see others.
export const TEAMS_SHOWN = 25

export function firstTeams<T>(rows: readonly T[], compare: (a: T, b: T) => number): { shown: T[]; total: number } {
  return { shown: [...rows].sort(compare).slice(0, TEAMS_SHOWN), total: rows.length }
}

export function TeamLimitNote({ shown, total, order }: { shown: number; total: number; order: string }) {
  if (shown >= total) return null
  return (
    <p className="footnote" data-testid="team-limit">
      {shown} of {total} teams, {order}. Choose teams or a group above to see others.
    </p>
  )
}
