// The filter parameters a link carries from page to page, and the two group values that mean an initiative's
// teams. Imports nothing: the main nav (a client component) keeps the filters of the URL with these.

/** The filter parameters, in the order links write them. `initiative` only counts with `group=pilot|control`. */
export const FILTER_KEYS = ['teams', 'group', 'initiative', 'from', 'to', 'compareFrom', 'compareTo'] as const

/**
 * The group values that mean the pilot or control teams of an initiative rather than a group of the
 * organisation. They take precedence: a team group named exactly `pilot` or `control` cannot be chosen.
 */
export const COHORTS = { pilot: 'Pilot teams', control: 'Control teams' } as const
export type Cohort = keyof typeof COHORTS

export const isCohort = (group: string | null | undefined): group is Cohort => group === 'pilot' || group === 'control'

/**
 * The filters of a URL's search params and nothing else, as a query string ('' for none): what a page's read
 * models are keyed on and what the nav carries to the next page. The first of a repeated parameter counts;
 * `initiative` is kept only with a pilot or control group (elsewhere it is a page's own choice: the one-pager's).
 */
export function keptFilters(searchParams: URLSearchParams | Record<string, string | string[] | undefined>): string {
  const get = (key: string) => {
    if (searchParams instanceof URLSearchParams) return searchParams.get(key) ?? undefined
    const value = searchParams[key]
    return Array.isArray(value) ? value[0] : value
  }
  const query = new URLSearchParams()
  for (const key of FILTER_KEYS) {
    const value = get(key)
    if (key === 'initiative' && !isCohort(get('group'))) continue
    if (value !== undefined) query.set(key, value)
  }
  return query.toString()
}
