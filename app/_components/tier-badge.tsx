import type { Tier } from '@/lib/metrics/tiers'

const WORDS: Record<Tier, string> = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' }

/** A DORA performance level, with the report year it is judged by. */
export function TierBadge({ tier, year }: { tier: Tier | null; year: number }) {
  if (!tier) return <span className="tier none">not rated</span>
  return (
    <span className={`tier ${tier}`} title={`${WORDS[tier]} by the ${year} State of DevOps report`}>
      {WORDS[tier]}
    </span>
  )
}
