import type { Freshness } from '@/lib/data/read-cache'
import { formatTime } from '@/lib/format'

/**
 * On a standing page (the Overview, an initiative, the one-pager) that serves its last answer while the one
 * for newer data computes: when the figures shown were computed. Nothing when they are current.
 */
export function FreshnessNote({ freshness }: { freshness?: Freshness | null }) {
  if (!freshness || freshness.current) return null
  return (
    <p className="freshness-note" role="status" data-testid="freshness-note">
      Figures as of {formatTime(freshness.computedAt)}. Newer data has arrived and its figures are being computed:
      reload in a few seconds to see them.
    </p>
  )
}

/** The note for a page whose read model `load` returns (shared with its sections through React's cache). */
export async function LoadedFreshness({ load }: { load: () => Promise<{ freshness?: Freshness }> }) {
  const { freshness } = await load()
  return <FreshnessNote freshness={freshness} />
}
