import { splitMoney } from '@/lib/roi/figures'

/** Text whose money figures never break across lines (a "−" left at a line's end makes "−$120k" read "$120k"). */
export function MoneyText({ children }: { children: string }) {
  return (
    <>
      {splitMoney(children).map((part, index) =>
        part.money ? (
          <span key={index} className="figure-nowrap">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </>
  )
}
