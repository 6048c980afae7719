// Developer-experience pulse surveys. The DX score of a group is the mean over its respondents of each
// respondent's mean answer (1–10), so a person who answered more questions does not weigh more. Any group
// of fewer than five respondents is withheld, everywhere (pages, comparisons, exports): below that, answers
// can be traced to people.

const MIN_RESPONDENTS = 5

export interface SurveyAnswer {
  waveId: number
  respondentKey: string
  teamId: number | null
  question: string
  score: number
}

export interface Respondent {
  waveId: number
  respondentKey: string
  teamId: number | null
  /** Their mean answer. */
  score: number
}

export function respondents(answers: readonly SurveyAnswer[]): Respondent[] {
  const byKey = new Map<string, { first: SurveyAnswer; total: number; count: number }>()
  for (const answer of answers) {
    const key = `${answer.waveId}:${answer.respondentKey}`
    const entry = byKey.get(key) ?? { first: answer, total: 0, count: 0 }
    entry.total += answer.score
    entry.count++
    byKey.set(key, entry)
  }
  return [...byKey.values()].map(({ first, total, count }) => ({
    waveId: first.waveId,
    respondentKey: first.respondentKey,
    teamId: first.teamId,
    score: total / count,
  }))
}

export type GroupScore =
  | { withheld: true; respondents: number; reason: string }
  | { withheld: false; respondents: number; score: number }

export function groupScore(list: readonly Respondent[]): GroupScore {
  if (list.length < MIN_RESPONDENTS)
    return { withheld: true, respondents: list.length, reason: `fewer than ${MIN_RESPONDENTS} respondents` }
  return { withheld: false, respondents: list.length, score: list.reduce((sum, r) => sum + r.score, 0) / list.length }
}

/** Mean answer per question, each withheld below five respondents. */
export function questionScores(answers: readonly SurveyAnswer[]): { question: string; result: GroupScore }[] {
  const byQuestion = new Map<string, SurveyAnswer[]>()
  for (const answer of answers) byQuestion.set(answer.question, [...(byQuestion.get(answer.question) ?? []), answer])
  return [...byQuestion.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([question, list]) => ({
      question,
      result: groupScore(
        list.map((answer) => ({
          waveId: answer.waveId,
          respondentKey: answer.respondentKey,
          teamId: answer.teamId,
          score: answer.score,
        })),
      ),
    }))
}

/** Respondents ÷ engineers invited (everyone in the group when the wave opened). */
export function responseRate(respondentCount: number, invited: number): number | null {
  return invited > 0 ? Math.min(1, respondentCount / invited) : null
}
