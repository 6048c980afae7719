// The GitHub collector against the fake GitHub on 127.0.0.1 (tests/fakes/github.ts, GitHub's wire format):
// the requests a 10,000-pull-request backfill makes against the fewest its page size allows, and the
// rate-limit points an unchanged incremental run spends (conditional requests answered 304 cost none).
import { GitHubClient } from '@/collectors/github/client'
import { collectGitHub } from '@/collectors/github/collector'
import { PAGE_SIZE } from '@/collectors/github/options'
import type { GitHubSource } from '@/collectors/config'
import { fakeRepository, startFakeGitHub } from '@/tests/fakes/github'
import { dropDatabase, freshDatabase, type Log } from './databases'

export interface GitHubResult {
  pull_requests: number
  page_size: number
  requests: number
  minimum_requests: number
  incremental_requests: number
  incremental_points: number
}

const PULL_REQUESTS = 10_000
const DATABASE = 'upshot_bench_github'

export async function measureGitHub(serverUrl: string, log: Log): Promise<GitHubResult> {
  const connection = await freshDatabase(serverUrl, DATABASE)
  // an hourly pull request for 10,000 hours, begun far enough back that none lies in the future (refused)
  const fake = await startFakeGitHub({
    repositories: [
      fakeRepository({ id: 9, name: 'monolith', pullRequests: PULL_REQUESTS, start: '2024-01-01T09:00:00Z' }),
    ],
  })
  try {
    const source: GitHubSource = {
      baseUrl: fake.url,
      auth: { tokenEnv: 'GITHUB_TOKEN' },
      organisation: 'acme',
      teams: false,
      repositories: [{ name: 'acme/monolith', deployments: { from: 'none' } }],
    }
    const backfill = await GitHubClient.connect({ baseUrl: fake.url, auth: { token: fake.token } })
    const first = await collectGitHub(connection.db, { client: backfill, config: source })
    if (first.run.status !== 'success') throw new Error(`the backfill ended ${first.run.status}: ${first.run.error}`)
    const incremental = await GitHubClient.connect({ baseUrl: fake.url, auth: { token: fake.token } })
    const second = await collectGitHub(connection.db, { client: incremental, config: source })
    if (second.run.status !== 'success')
      throw new Error(`the incremental run ended ${second.run.status}: ${second.run.error}`)
    const result = {
      pull_requests: PULL_REQUESTS,
      page_size: PAGE_SIZE,
      requests: backfill.stats.requests,
      minimum_requests: Math.ceil(PULL_REQUESTS / PAGE_SIZE),
      incremental_requests: incremental.stats.requests,
      incremental_points: incremental.stats.pointsSpent,
    }
    log(
      `github: backfill ${result.requests} requests (minimum ${result.minimum_requests}); unchanged incremental run ${result.incremental_requests} requests, ${result.incremental_points} rate-limit points`,
    )
    return result
  } finally {
    await fake.close()
    await connection.close()
    await dropDatabase(serverUrl, DATABASE)
  }
}
