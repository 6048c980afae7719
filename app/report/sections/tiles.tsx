import { IntervalPlot } from '@/app/_components/interval-plot'
import type { Tile } from '@/lib/data/report'

const TILE_WORDS = {
  improved: 'better',
  worsened: 'worse',
  not_confirmed: 'not confirmed',
  no_clear_change: 'no clear change',
} as const

/** Up to six KPI tiles: the pilot's before → after, the change against control with its 95% interval drawn. */
export function ReportTiles({ tiles }: { tiles: Tile[] }) {
  return (
    <section className="tiles" aria-label="Key figures">
      {tiles.map((tile) => (
        <article key={tile.key} className={`tile ${tile.verdict}`} data-testid={`report-tile-${tile.key}`}>
          <h3>{tile.label}</h3>
          <p className="move">
            {tile.before} → <strong>{tile.after}</strong>
          </p>
          <p className="effect">
            {tile.effect} vs control · {TILE_WORDS[tile.verdict]}
          </p>
          <IntervalPlot
            outcome={tile.metric.outcome}
            label={`${tile.label}: ${tile.effect}, 95% interval ${tile.interval}`}
            tone={tile.verdict === 'not_confirmed' ? 'unconfirmed' : undefined}
          />
          <p className="interval">95% interval {tile.interval}</p>
        </article>
      ))}
    </section>
  )
}
