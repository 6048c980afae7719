import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { shippedByCommit, type CommitDeployment, type MergedPullRequest } from './commit-links'

const HOUR = 3600
const pr = (
  id: number,
  mergedAt: number,
  sha: { merge?: string; head?: string },
  repositoryId = 1,
): MergedPullRequest => ({
  id,
  repositoryId,
  externalId: `csv:acme/app#${id}`,
  mergedAt: mergedAt * HOUR,
  mergeCommitSha: sha.merge ?? null,
  headSha: sha.head ?? null,
})
const deploy = (
  id: number,
  finishedAt: number,
  commitSha: string,
  ships = true,
  repositoryId = 1,
): CommitDeployment => ({
  id,
  repositoryId,
  externalId: `d-${id}`,
  finishedAt: finishedAt * HOUR,
  commitSha,
  ships,
})
const sha = (digit: string) => digit.repeat(40)

describe('shippedByCommit: deployments without a commit range ship the merged pull requests their SHA names', () => {
  const pullRequests = [
    pr(1, 10, { merge: sha('1') }),
    pr(2, 20, { merge: sha('2') }),
    pr(3, 30, { head: sha('3') }),
    pr(4, 40, { merge: sha('4') }),
    pr(9, 25, { merge: sha('9') }, 2),
  ]

  it('the first ships its own pull request; the next everything merged after it up to its own; a redeploy of an older commit nothing; an unknown SHA nothing', () => {
    expect(
      shippedByCommit(
        [
          deploy(11, 11, sha('1').slice(0, 7)),
          deploy(12, 31, sha('3')),
          deploy(13, 32, sha('1')),
          deploy(14, 33, 'abcdef0'),
          deploy(15, 41, sha('4').slice(0, 12), false),
          deploy(16, 26, sha('9'), true, 2),
        ],
        pullRequests,
      ),
    ).toEqual([
      [11, 1],
      [12, 2],
      [12, 3],
      [16, 9],
    ])
  })

  it('a short SHA in the pull request matches the deployment’s full one; a SHA under 7 characters matches nothing', () => {
    expect(shippedByCommit([deploy(1, 50, sha('5'))], [pr(5, 45, { merge: sha('5').slice(0, 7) })])).toEqual([[1, 5]])
    expect(shippedByCommit([deploy(1, 50, sha('5'))], [pr(5, 45, { merge: '555555' })])).toEqual([])
  })

  it('a pull request merged after the deployment finished is not what it shipped; two merged at one instant are both shipped', () => {
    // deployed from the branch of pull request 6 before it merged: it ships nothing yet
    expect(shippedByCommit([deploy(1, 50, sha('6'))], [pr(6, 55, { head: sha('6') })])).toEqual([])
    // 7 and 8 merged at the same instant: the deployment of 7 ships 7 (first), the one of 8 ships 8, never lost
    const twins = [pr(7, 60, { merge: sha('7') }), pr(8, 60, { merge: sha('8') })]
    expect(shippedByCommit([deploy(1, 61, sha('7')), deploy(2, 62, sha('8'))], twins).sort()).toEqual([
      [1, 7],
      [2, 8],
    ])
  })

  it('any order of the rows gives the same links', () => {
    const deployments = [
      deploy(11, 11, sha('1')),
      deploy(12, 31, sha('3')),
      deploy(13, 32, sha('1')),
      deploy(17, 45, sha('4')),
      deploy(16, 26, sha('9'), true, 2),
    ]
    const expected = shippedByCommit(deployments, pullRequests).sort()
    fc.assert(
      fc.property(
        fc.shuffledSubarray(deployments, { minLength: 5 }),
        fc.shuffledSubarray(pullRequests, { minLength: 5 }),
        (d, p) => {
          expect(shippedByCommit(d, p).sort()).toEqual(expected)
        },
      ),
    )
  })
})
