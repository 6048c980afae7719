// What incidents from any source share: the deployment an incident's own text names as its cause ("caused
// by <sha>", "caused by deployment <id>"), and the earliest of several times. Pure.

/** A SHA (7–40 hex with at least one digit, so "caused by defaced" is not one), a GitHub deployment node id, or a deployment id with a digit. */
const CAUSED_BY =
  /caused by:?\s*(?:deploy(?:ment)?\s+((?=[\w.:-]*[\d_])[\w-]+(?:[.:][\w-]+)*)|(?:commit\s+)?((?=[0-9a-f]*\d)[0-9a-f]{7,40}|DE_\w+)\b)/i

export function causedBy(texts: (string | null | undefined)[]): string | null {
  for (const text of texts) {
    const match = text?.match(CAUSED_BY)
    const ref = match?.[1] ?? match?.[2]
    if (ref) return ref
  }
  return null
}

export function earliest(dates: (Date | null | undefined)[]): Date | null {
  let out: Date | null = null
  for (const date of dates) if (date && (out === null || date.getTime() < out.getTime())) out = date
  return out
}
