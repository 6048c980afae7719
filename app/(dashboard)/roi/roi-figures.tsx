// Value, cost, net, ROI and payback as a list, each likely with its range: the saved figures (what the
// one-pager shows) and the live "if saved" ones read the same. No hooks: the page (server) and the form
// (client) both render it.
import type { RoiFigures } from '@/lib/roi/figures'
import { MoneyText } from '@/app/_components/money-text'

const ROWS = [
  ['value', 'Value a year'],
  ['cost', 'Cost a year'],
  ['net', 'Net a year'],
  ['roi', 'ROI'],
  ['payback', 'Payback'],
] as const

export function RoiFigureList({ figures, testId }: { figures: RoiFigures; testId: string }) {
  return (
    <dl className="roi-figures" data-testid={testId}>
      {ROWS.map(([key, label]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd>
            <strong className="figure-nowrap" data-testid={`${testId}-${key}`}>
              {figures[key].likely}
            </strong>{' '}
            <span className="range">
              <MoneyText>{figures[key].range}</MoneyText>
            </span>
          </dd>
        </div>
      ))}
    </dl>
  )
}
