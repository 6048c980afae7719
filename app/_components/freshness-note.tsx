import type { Freshness } from '@/lib/data/read-cache'
import { formatTime } from '@/lib/format'

/**
 * On a standing page (the Overview, an initiative, the one-pager, a page's unfiltered view) that serves its last
 * answer while the one for newer data, or a new day, computes: when the figures shown were computed. Nothing
 * when they are current. On paper (the one-pager) it does not ask anyone to reload.
 */
export function FreshnessNote({ freshness, paper = false }: { freshness?: Freshness | null; paper?: boolean }) {
  if (!freshness || freshness.current) return null
  return (
    <p className="freshness-note" role="status" data-testid="freshness-note">
      Figures as of {formatTime(freshness.computedAt)}; newer ones are being computed
      {paper ? '.' : ': reload in a few seconds to see them.'}
    </p>
  )
}

/** The note for a page whose read model `load` returns (shared with its sections through React's cache). */
export async function LoadedFreshness({ load }: { load: () => Promise<{ freshness?: Freshness }> }) {
  const { freshness } = await load()
  return <FreshnessNote freshness={freshness} />
}
