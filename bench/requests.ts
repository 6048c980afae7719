// One request to a page under test: its path, timed until its last byte, and the checks of what it answered;
// and the data-version bump that makes the next request a miss.
import { sql } from 'drizzle-orm'
import { parseIsoDate } from '@/lib/dates'
import { formatDate } from '@/lib/format'
import type { Combo } from './combos'
import type { Running } from './targets'

export interface Fetched {
  ms: number
  status: number
  body: string
}

/** One request, timed until its last byte (a streamed page is done when its last section is). */
export async function timedGet(target: Running, pathAndQuery: string): Promise<Fetched> {
  const started = performance.now()
  const response = await fetch(`http://127.0.0.1:${target.port}${pathAndQuery}`, {
    headers: { cookie: target.cookie },
    redirect: 'manual',
  })
  const body = await response.text()
  return { ms: performance.now() - started, status: response.status, body }
}

const escapeHtml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;')

/** Throws unless the page answered 200 and shows the filters it was asked for (not a redirect, not the defaults). */
export function checkAnswer(target: Running, url: string, combo: Combo | null, fetched: Fetched): void {
  const fail = (why: string) => {
    throw new Error(`${target.label} ${url}: ${why}`)
  }
  if (fetched.status !== 200) fail(`answered ${fetched.status}: ${fetched.body.slice(0, 300)}`)
  if (fetched.body.includes('data-testid="filter-problems"')) fail('the page could not read its filters')
  // the initiative's page, and the one-pager without filters (which then states none): the initiative named
  if (!combo || (combo.query === '' && url.startsWith('/report'))) {
    if (!fetched.body.includes(escapeHtml(target.initiative.name))) fail(`does not name ${target.initiative.name}`)
    return
  }
  // the line that states what the page is about: "<strong>Pilot teams of …</strong> · 2 Mar 2026 – 29 Nov 2026"
  const stated = /data-testid="scope">(.*?)<\/p>/s.exec(fetched.body)?.[1]
  if (stated === undefined) return fail('states no scope')
  if (combo.scope !== null && !stated.includes(`<strong>${escapeHtml(combo.scope)}</strong>`))
    fail(`does not state the scope “${combo.scope}”: ${stated.slice(0, 200)}`)
  if (combo.from !== null && !stated.includes(formatDate(parseIsoDate(combo.from))))
    fail(`does not show the weeks from ${combo.from}: ${stated.slice(0, 200)}`)
}

export async function bump(target: Running): Promise<void> {
  // its own statement, so its own transaction: committed before the request reads the version
  await target.connection.db.execute(sql`select upshot_bump_data_version()`)
}

export const servedStored = (fetched: Fetched) => fetched.body.includes('data-testid="freshness-note"')

export const pathOf = (page: string, target: Running) =>
  page === 'initiative' ? `/initiatives/${target.initiative.id}` : page
