import { describe, expect, it } from 'vitest'
import { groupScore, questionScores, respondents, responseRate, type SurveyAnswer } from './experience'

const answers = (key: string, scores: Record<string, number>, teamId = 1, waveId = 1): SurveyAnswer[] =>
  Object.entries(scores).map(([question, score]) => ({ waveId, respondentKey: key, teamId, question, score }))

describe('pulse survey', () => {
  it('DX score is the mean of respondents’ mean answers: (8+6)/2 = 7 and 9 → (7 + 9) / 2 = 8, not the mean of 3 answers', () => {
    const list = respondents([...answers('a', { overall: 8, tooling: 6 }), ...answers('b', { overall: 9 })])
    expect(list.map((r) => r.score)).toEqual([7, 9])
  })

  it('withholds a group of 4 respondents and scores a group of 5: (6 + 7 + 8 + 9 + 10) / 5 = 8', () => {
    const four = respondents(['a', 'b', 'c', 'd'].flatMap((key, i) => answers(key, { overall: 6 + i })))
    expect(groupScore(four)).toEqual({ withheld: true, respondents: 4, reason: 'fewer than 5 respondents' })
    const five = respondents(['a', 'b', 'c', 'd', 'e'].flatMap((key, i) => answers(key, { overall: 6 + i })))
    expect(groupScore(five)).toEqual({ withheld: false, respondents: 5, score: 8 })
  })

  it('withholds a question that fewer than 5 answered even when the wave has enough', () => {
    const list = [
      ...['a', 'b', 'c', 'd', 'e'].flatMap((key) => answers(key, { overall: 7 })),
      ...answers('a', { tooling: 3 }),
    ]
    const byQuestion = questionScores(list)
    expect(byQuestion.find((q) => q.question === 'overall')?.result).toEqual({
      withheld: false,
      respondents: 5,
      score: 7,
    })
    expect(byQuestion.find((q) => q.question === 'tooling')?.result.withheld).toBe(true)
  })

  it('response rate: 17 respondents of 25 engineers = 68%; nobody invited = no rate', () => {
    expect(responseRate(17, 25)).toBe(0.68)
    expect(responseRate(0, 0)).toBeNull()
  })
})
