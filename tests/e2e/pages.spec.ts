// Every page on the demo organisation: it renders with no console error and no failed request, every chart on
// it is drawn, a figure on it equals the same figure computed here from the database, axe finds no
// accessibility violation of any impact at laptop (1440×900) and phone (390×844) size in the light and the
// dark theme, on a phone nothing scrolls sideways and no money or percentage figure breaks across lines, and
// the four screenshots are written under tests/.output/screenshots for a person to look at.
// Layout and colour do not depend on the database: the full matrix (two sizes, two themes) runs once per page,
// on the embedded engine, or on the engine that alone shows the page. The signed-in engine checks its other
// pages at 1440 px in the light theme; the pages that differ with sign-in (access, with the signed-in header,
// ROI, whose history names the signed-in users, and sign-in itself) get the full matrix there too.
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import type postgres from 'postgres'
import { e2e } from '@/tests/helpers/e2e-env'
import { formatCount } from '@/lib/format'
import { expect, test } from './fixtures'

/** The weeks every page shows by default: the latest 26 full weeks (UTC Mondays). */
async function defaultWeeks(sql: postgres.Sql) {
  const [row] = await sql<{ from: string; to: string }[]>`
    select to_char(d - 182, 'YYYY-MM-DD') as from, to_char(d, 'YYYY-MM-DD') as to
    from (select date_trunc('week', now() at time zone 'UTC')::date as d) monday`
  if (!row) throw new Error('no date')
  return row
}

interface PageCheck {
  path: (sql: postgres.Sql) => Promise<string>
  name: string
  heading: string | RegExp
  charts: string[]
  /** Checks one figure on the page against the database. */
  figure?: (page: Page, sql: postgres.Sql) => Promise<void>
  /** Checks what must be readable on a phone, at 390 px. */
  phone?: (page: Page) => Promise<void>
  /** Only where the engine shows it (sign-in exists only where sign-in is on). */
  engine?: 'embedded' | 'postgres'
  /** Seen by someone not signed in. */
  signedOut?: boolean
  /** What it shows depends on whether sign-in is on: the full matrix on both engines (with the signed-in header). */
  bySignIn?: boolean
}

/** On a phone: the element is wholly inside the 390 px viewport, no sideways scrolling needed. */
const inView = async (page: Page, testId: string) => {
  const box = await page.getByTestId(testId).first().boundingBox()
  expect(box, testId).not.toBeNull()
  expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390, `${testId} within 390 px`).toBe(true)
}

const demoPilot = async (sql: postgres.Sql) =>
  (await sql<{ id: number }[]>`select id::int from initiatives order by id limit 1`)[0]?.id

const PAGES: PageCheck[] = [
  {
    name: 'overview',
    path: async () => '/',
    heading: 'Overview',
    charts: ['chart-weekly-bars', 'chart-overview-adoption'],
  },
  {
    name: 'delivery',
    path: async () => '/delivery',
    heading: 'Delivery',
    charts: ['chart-weekly-bars', 'chart-lead-time', 'chart-change-fail-rate', 'chart-recovery'],
    figure: async (page, sql) => {
      const weeks = await defaultWeeks(sql)
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from deployments
        where is_production and status = 'success' and team_id is not null
          and finished_at >= ${weeks.from}::timestamptz and finished_at < ${weeks.to}::timestamptz`
      expect(row?.n).toBeGreaterThan(0)
      await expect(page.getByTestId('delivery-deployments')).toHaveText(formatCount(row?.n ?? -1))
    },
  },
  {
    name: 'flow',
    path: async () => '/flow',
    heading: 'Flow',
    charts: ['chart-cycle-time', 'chart-phases'],
    figure: async (page, sql) => {
      const weeks = await defaultWeeks(sql)
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from pull_requests
        where team_id is not null and merged_at >= ${weeks.from}::timestamptz and merged_at < ${weeks.to}::timestamptz`
      expect(row?.n).toBeGreaterThan(0)
      await expect(page.getByTestId('flow-merged')).toHaveText(formatCount(row?.n ?? -1))
    },
  },
  {
    name: 'onboarding',
    path: async () => '/onboarding',
    heading: 'Onboarding',
    charts: ['chart-cohorts'],
    figure: async (page, sql) => {
      const weeks = await defaultWeeks(sql)
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from people
        where start_date >= ${weeks.from}::date and start_date < ${weeks.to}::date
          and start_date >= (select min(opened_at)::date from pull_requests)`
      expect(row?.n).toBeGreaterThan(0)
      await expect(page.getByTestId('onboarding-hires')).toHaveText(formatCount(row?.n ?? -1))
    },
  },
  {
    name: 'experience',
    path: async () => '/experience',
    heading: 'Experience',
    charts: ['chart-waves'],
    figure: async (page, sql) => {
      const weeks = await defaultWeeks(sql)
      const waves = await sql<{ key: string; n: number }[]>`
        select w.key, count(distinct r.respondent_key)::int as n
        from survey_waves w join survey_responses r on r.wave_id = w.id
        where w.opens_on >= ${weeks.from}::date and w.opens_on < ${weeks.to}::date
        group by w.key`
      expect(waves.length).toBeGreaterThan(0)
      for (const wave of waves)
        await expect(page.getByTestId(`wave-${wave.key}-respondents`)).toHaveText(formatCount(wave.n))
    },
  },
  {
    name: 'adoption',
    path: async () => '/adoption',
    heading: 'Adoption',
    charts: ['chart-active-share', 'chart-funnel'],
    figure: async (page, sql) => {
      const weeks = await defaultWeeks(sql)
      const [row] = await sql<{ runs: number; services: number }[]>`
        select (select count(*)::int from scaffolder_runs where started_at >= ${weeks.from}::timestamptz and started_at < ${weeks.to}::timestamptz) as runs,
          (select count(*)::int from services) as services`
      expect(row?.runs).toBeGreaterThan(0)
      await expect(page.getByTestId('adoption-scaffolder-runs')).toHaveText(formatCount(row?.runs ?? -1))
      await expect(page.getByTestId('adoption-catalog-services')).toHaveText(formatCount(row?.services ?? -1))
    },
  },
  {
    name: 'initiatives',
    path: async () => '/initiatives',
    heading: 'Initiatives',
    charts: [],
    figure: async (page, sql) => {
      const names = await sql<{ name: string }[]>`select name from initiatives order by launch_date, id`
      expect(names.length).toBeGreaterThan(0)
      await expect(page.getByTestId('initiatives-list').locator('tbody th')).toHaveText(names.map((row) => row.name))
    },
    phone: async (page) => {
      const last = await page.getByTestId('initiatives-list').locator('tbody td').last().boundingBox()
      expect((last?.x ?? 0) + (last?.width ?? 999) <= 390, 'an initiative’s evaluation window within 390 px').toBe(true)
    },
  },
  {
    name: 'initiative',
    path: async (sql) => `/initiatives/${await demoPilot(sql)}`,
    heading: /./,
    charts: ['interval-plot'],
    figure: async (page, sql) => {
      const id = await demoPilot(sql)
      const pilots = await sql<{ name: string }[]>`
        select t.name from initiative_teams it join teams t on t.id = it.team_id where it.initiative_id = ${id ?? -1} and it.role = 'pilot' order by t.name`
      await expect(page.getByTestId('initiative-pilots')).toHaveText(pilots.map((row) => row.name).join(', '))
      await expect(page.getByTestId('initiative-verdicts').getByRole('listitem').first()).toBeVisible()
    },
    phone: async (page) => {
      // each metric's verdict, pilot vs control, in view without scrolling sideways
      const verdicts = page.getByTestId('initiative-metrics').locator('td.effect')
      expect(await verdicts.count()).toBeGreaterThan(0)
      for (const box of await verdicts.evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().right)))
        expect(box).toBeLessThanOrEqual(390)
    },
  },
  { name: 'initiative-new', path: async () => '/initiatives/new', heading: 'New initiative', charts: [] },
  {
    name: 'initiative-edit',
    path: async (sql) => `/initiatives/${await demoPilot(sql)}/edit`,
    heading: /^Edit /,
    charts: [],
  },
  { name: 'milestones', path: async () => '/milestones', heading: 'Milestones', charts: [] },
  { name: 'sources', path: async () => '/sources', heading: 'Data sources', charts: [] },
  {
    name: 'roi',
    path: async () => '/roi',
    heading: 'ROI assumptions',
    charts: [],
    bySignIn: true, // its history names who changed each assumption: the signed-in users there
    phone: async (page) => {
      await inView(page, 'roi-saved-net')
      await inView(page, 'roi-if-saved-net')
    },
  },
  {
    name: 'report',
    path: async () => '/report',
    heading: /./,
    charts: ['report-chart-deployments', 'report-chart-pilot'],
    figure: async (page, sql) => {
      const [row] = await sql<
        { name: string }[]
      >`select name from initiatives where launch_date <= now() order by launch_date desc, id desc limit 1`
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(row?.name ?? 'missing')
    },
    phone: async (page) => {
      await inView(page, 'report-roi-net')
      await inView(page, 'report-roi-payback')
    },
  },
  {
    name: 'access',
    path: async () => '/access',
    heading: 'Access',
    charts: [],
    bySignIn: true,
    figure: async (page, sql) => {
      const [row] = await sql<
        { users: number; tokens: number }[]
      >`select (select count(*)::int from users) as users, (select count(*)::int from api_tokens) as tokens`
      await expect(page.getByTestId('access-users').locator('tbody tr')).toHaveCount(row?.users ?? -1)
      await expect(page.getByTestId('access-tokens').locator('tbody tr')).toHaveCount(row?.tokens ?? -1)
    },
  },
  { name: 'snapshots', path: async () => '/snapshots', heading: 'Snapshots', charts: [] },
  {
    name: 'subscriptions',
    path: async () => '/subscriptions',
    heading: 'Subscriptions',
    charts: [],
    figure: async (page, sql) => {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from report_subscriptions`
      await expect(page.getByTestId('subscriptions').locator('article')).toHaveCount(row?.n ?? -1)
    },
  },
  { name: 'sign-in', path: async () => '/sign-in', heading: 'Upshot', charts: [], engine: 'postgres', signedOut: true },
]

/** axe's findings of every impact, one line each. */
async function violations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze()
  return axe.violations.map(
    (violation) =>
      `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
        .map((node) => node.target.join(' '))
        .slice(0, 3)
        .join('; ')})`,
  )
}

/**
 * Money and percentage figures that break across lines: a figure wraps when its text's boxes sit on more
 * than one line ("−" at a line's end and "$120k" at the next line's start reads as a gain).
 */
async function brokenFigures(page: Page): Promise<string[]> {
  return page.locator('.figure-nowrap, .roi-grid strong').evaluateAll((figures) =>
    figures
      .filter((figure) => {
        const range = document.createRange()
        range.selectNodeContents(figure)
        const lines = new Set(
          [...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.bottom)),
        )
        return lines.size > 1
      })
      .map((figure) => figure.textContent ?? ''),
  )
}

/** When the page scrolls sideways, the innermost elements reaching past the viewport's right edge (tag.class); else none. */
async function wider(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return []
    const past = (element: Element) => element.getBoundingClientRect().right > window.innerWidth + 0.5
    return [...document.body.querySelectorAll('*')]
      .filter((element) => past(element) && ![...element.children].some(past))
      .slice(0, 5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.trim().replaceAll(/\s+/g, '.')}` : ''} (${Math.round(element.getBoundingClientRect().right)} px)`,
      )
  })
}

const SIZES = [
  { width: 1440, height: 900, suffix: '1440' },
  { width: 390, height: 844, suffix: '390' },
] as const

for (const check of PAGES) {
  test(`${check.name}: no console error or failed request, every chart drawn, its figure equals the database’s, no accessibility violation (1440 and 390 px, light and dark, on one engine at least)`, async ({
    page: signedInPage,
    browser,
    baseURL,
    sql,
    problems,
    engine,
  }) => {
    test.skip(
      check.engine !== undefined && check.engine !== engine,
      `${check.name} is shown only by the ${check.engine} engine`,
    )
    // seen by someone not signed in: a fresh browser context (the problems fixture watches the signed-in page)
    const context = check.signedOut
      ? await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } })
      : null
    const page = context ? await context.newPage() : signedInPage
    const pagePath = await check.path(sql)
    const fullMatrix = engine === 'embedded' || check.engine === engine || check.bySignIn === true
    for (const size of fullMatrix ? SIZES : SIZES.slice(0, 1)) {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.emulateMedia({ colorScheme: 'light' })
      await page.goto(pagePath)
      await expect(page.getByRole('heading', { level: 1, name: check.heading })).toBeVisible()
      // every section has streamed in
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0)
      for (const chart of check.charts) {
        const drawn = page
          .getByTestId(chart)
          .first()
          .locator('.recharts-bar-rectangle, .recharts-line-curve, circle.point, rect.after')
        await expect(drawn.first()).toBeVisible()
      }
      if (size.width === 1440) await check.figure?.(page, sql)
      else {
        // a phone: nothing scrolls sideways, no figure breaks across lines, and what must be read is in view
        expect(await wider(page), 'what is wider than 390 px').toEqual([])
        expect(await brokenFigures(page)).toEqual([])
        await check.phone?.(page)
      }
      for (const scheme of fullMatrix ? (['light', 'dark'] as const) : (['light'] as const)) {
        await page.emulateMedia({ colorScheme: scheme })
        expect(await violations(page), `${size.suffix} ${scheme}`).toEqual([])
        if (engine === 'embedded' || check.engine === engine) {
          await page.screenshot({
            path: path.join(
              e2e.outputDir,
              'screenshots',
              `${check.name}-${size.suffix}${scheme === 'dark' ? '-dark' : ''}.png`,
            ),
            fullPage: true,
          })
        }
      }
    }
    await context?.close()
    expect(problems).toEqual([])
  })
}
