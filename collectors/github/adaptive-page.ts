// The size of a GraphQL page, adapted to how GitHub copes: a large page can time out or fail with a 5xx where
// a smaller one succeeds, so a failing page shrinks and a run of good ones grows it back.
import type { RunContext } from '@/collectors/sync-run'
import { GitHubError } from './client'
import type { RepositoryCursor } from './cursor'
import { PAGE_SIZE, type GitHubCollectorOptions } from './options'

const MIN_PAGE_SIZE = 5
/** Pages that succeed in a row before a halved page size doubles again. */
const GROW_AFTER = 3

/**
 * A GraphQL page whose size adapts: a timeout, a 5xx or an unreadable answer halves it and asks again; a few
 * good pages in a row double it again, up to the configured size.
 */
export async function adaptive<T>(
  context: RunContext,
  options: GitHubCollectorOptions,
  cursor: RepositoryCursor,
  fetch: (first: number) => Promise<T>,
): Promise<T> {
  const max = options.pageSize ?? PAGE_SIZE
  for (let failures = 0; ;) {
    try {
      const data = await fetch(cursor.size)
      cursor.successes++
      if (cursor.size < max && cursor.successes >= GROW_AFTER) {
        cursor.size = Math.min(max, cursor.size * 2)
        cursor.successes = 0
      }
      return data
    } catch (error) {
      const transient = error instanceof GitHubError && (error.status === 0 || error.status >= 500)
      if (!transient || ++failures > 6) throw error
      cursor.successes = 0
      if (cursor.size > MIN_PAGE_SIZE) {
        cursor.size = Math.max(MIN_PAGE_SIZE, Math.floor(cursor.size / 2))
        context.progress(
          `GitHub answered ${(error as GitHubError).status || 'nothing'}; asking for ${cursor.size} at a time`,
        )
      } else {
        await options.client.clock.sleep(1000 * 2 ** Math.min(failures, 4))
      }
    }
  }
}
