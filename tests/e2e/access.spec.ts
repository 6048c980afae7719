// Who may use what, on the server that requires sign-in (the Postgres project). Every page, route handler and
// server action of the build is listed from the build's own manifests and called as nobody and as a viewer:
// each is refused where its role requires it, and nothing changes in the database. An entry missing from the
// table below fails the test: a new route must say who may use it.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test'
import { canarySecrets, e2e, signInEnv, storageState } from '@/tests/helpers/e2e-env'
import { root } from '@/tests/helpers/processes'
import { expect, test } from './fixtures'

/** No cookies: a context made in a test otherwise starts with the project's storage state (the admin). */
const NOBODY = { cookies: [], origins: [] }

/** 'share': public, but only with a live share link's token (tests/e2e/access.spec.ts 'share links'). */
type Access = 'public' | 'viewer' | 'admin' | 'token' | 'signature' | 'share'

/** A share-link token of the right shape whose signature is wrong: it opens nothing. */
const FORGED_TOKEN = `1.${Math.floor(Date.now() / 1000) + 86400}.${'A'.repeat(43)}`

/** Pages by their app path (the manifest's key without the route group and the trailing /page). */
const pages: Record<string, { access: Access; path: string }> = {
  '/': { access: 'viewer', path: '/' },
  '/delivery': { access: 'viewer', path: '/delivery' },
  '/flow': { access: 'viewer', path: '/flow' },
  '/onboarding': { access: 'viewer', path: '/onboarding' },
  '/experience': { access: 'viewer', path: '/experience' },
  '/adoption': { access: 'viewer', path: '/adoption' },
  '/initiatives': { access: 'viewer', path: '/initiatives' },
  // the test puts an existing initiative's id for the 1
  '/initiatives/[id]': { access: 'viewer', path: '/initiatives/1' },
  '/initiatives/[id]/edit': { access: 'admin', path: '/initiatives/1/edit' },
  '/initiatives/new': { access: 'admin', path: '/initiatives/new' },
  '/milestones': { access: 'viewer', path: '/milestones' },
  '/roi': { access: 'viewer', path: '/roi' },
  '/study': { access: 'viewer', path: '/study' },
  '/report': { access: 'viewer', path: '/report' },
  '/sources': { access: 'admin', path: '/sources' },
  '/access': { access: 'admin', path: '/access' },
  '/subscriptions': { access: 'admin', path: '/subscriptions' },
  '/snapshots': { access: 'viewer', path: '/snapshots' },
  // the test puts an existing snapshot's id for SNAPSHOT
  '/snapshots/[id]': { access: 'viewer', path: '/snapshots/SNAPSHOT' },
  '/snapshots/compare': { access: 'viewer', path: '/snapshots/compare?a=SNAPSHOT&b=SNAPSHOT' },
  '/share/[token]': { access: 'share', path: `/share/${FORGED_TOKEN}` },
  '/sign-in': { access: 'public', path: '/sign-in' },
  '/_not-found': { access: 'public', path: '/no-such-page' },
  '/_global-error': { access: 'public', path: '' },
}

/** Route handlers, with the method that does their work. */
const routes: Record<string, { access: Access; method: 'GET' | 'POST'; path: string }> = {
  '/api/health': { access: 'public', method: 'GET', path: '/api/health' },
  '/api/auth/[...all]': { access: 'public', method: 'GET', path: '/api/auth/ok' },
  '/icon.svg': { access: 'public', method: 'GET', path: '/icon.svg' },
  '/api/report.csv': { access: 'viewer', method: 'GET', path: '/api/report.csv' },
  '/api/docs/metrics.md': { access: 'viewer', method: 'GET', path: '/api/docs/metrics.md' },
  '/api/report.pdf': { access: 'viewer', method: 'GET', path: '/api/report.pdf' },
  '/api/report.png': { access: 'viewer', method: 'GET', path: '/api/report.png' },
  '/api/imports': { access: 'admin', method: 'POST', path: '/api/imports' },
  '/api/ingest/portal-events': { access: 'token', method: 'POST', path: '/api/ingest/portal-events' },
  '/api/webhooks/github': { access: 'signature', method: 'POST', path: '/api/webhooks/github' },
  '/api/webhooks/gitlab': { access: 'signature', method: 'POST', path: '/api/webhooks/gitlab' },
  '/api/snapshots/[id]/pdf': { access: 'viewer', method: 'GET', path: '/api/snapshots/SNAPSHOT/pdf' },
  '/share/[token]/pdf': { access: 'share', method: 'GET', path: `/share/${FORGED_TOKEN}/pdf` },
}

/** Files in public/, with their content type: browsers and crawlers ask for them without a session. */
const publicFiles: Record<string, RegExp> = {
  '/favicon.ico': /^image\/(x-icon|vnd\.microsoft\.icon)$/,
  '/apple-touch-icon.png': /^image\/png$/,
  '/robots.txt': /^text\/plain(;|$)/,
}

/** Server actions by their exported name. */
const actions: Record<string, Access> = {
  signInAction: 'public',
  signOutAction: 'public',
  saveInitiativeAction: 'admin',
  saveMilestoneAction: 'admin',
  deleteMilestoneAction: 'admin',
  saveAssumptionsAction: 'admin',
  // the participants record their own times: any signed-in person; deleting one is an admin's correction
  recordStudyObservationAction: 'viewer',
  deleteStudyObservationAction: 'admin',
  changeRoleAction: 'admin',
  endSessionsAction: 'admin',
  createTokenAction: 'admin',
  revokeTokenAction: 'admin',
  saveGoalAction: 'admin',
  deleteGoalAction: 'admin',
  createSubscriptionAction: 'admin',
  saveSmtpAction: 'admin',
  sendNowAction: 'admin',
  pauseSubscriptionAction: 'admin',
  deleteSubscriptionAction: 'admin',
  makeSnapshotAction: 'admin',
  createShareLinkAction: 'admin',
  revokeShareLinkAction: 'admin',
}

const manifest = <T>(name: string): T =>
  JSON.parse(fs.readFileSync(path.join(root, '.next', 'server', name), 'utf8')) as T
/** "/(dashboard)/initiatives/[id]/page" → "/initiatives/[id]" */
const appPath = (key: string) => key.replace(/\/\([^)]+\)/g, '').replace(/\/(page|route)$/, '') || '/'

function builtEntries() {
  const keys = Object.keys(manifest<Record<string, string>>('app-paths-manifest.json'))
  const actionManifest = manifest<{ node: Record<string, { exportedName: string; workers: Record<string, unknown> }> }>(
    'server-reference-manifest.json',
  ).node
  return {
    pages: keys.filter((key) => key.endsWith('/page')).map(appPath),
    routes: keys.filter((key) => key.endsWith('/route')).map(appPath),
    actions: Object.entries(actionManifest).map(([id, entry]) => ({
      id,
      name: entry.exportedName,
      page: appPath(Object.keys(entry.workers)[0]!.replace(/^app/, '')),
    })),
  }
}

/** A kept snapshot's id: the share-links test below makes one before the sweeps run. */
async function someSnapshot(sql: import('postgres').Sql): Promise<number> {
  const [row] = await sql`select min(id)::int as id from report_snapshots`
  if (!row?.id) throw new Error('no snapshot: the share-links test makes one first')
  return row.id
}

/** What the database holds that a refused call could have changed. */
async function stateOf(sql: import('postgres').Sql) {
  const [row] = await sql`select
    (select count(*)::int from initiatives) as initiatives,
    (select count(*)::int from milestones) as milestones,
    (select count(*)::int from roi_assumptions) as assumptions,
    (select count(*)::int from study_observations) as observations,
    (select count(*)::int from api_tokens) as tokens,
    (select count(*)::int from api_tokens where revoked_at is not null) as revoked,
    (select string_agg(email || ':' || role, ',' order by email) from users) as roles,
    (select count(*)::int from user_sessions) as sessions,
    (select count(*)::int from sync_runs) as runs,
    (select count(*)::int from initiative_goals) as goals,
    (select count(*)::int from report_subscriptions) as subscriptions,
    (select count(*)::int from report_deliveries) as deliveries,
    (select count(*)::int from smtp_settings) as smtp,
    (select count(*)::int from report_snapshots) as snapshots,
    (select count(*)::int from share_links) as links,
    (select count(*)::int from share_links where revoked_at is not null) as revokedLinks`
  return row
}

test.describe('share links', () => {
  test('a share link opens its snapshot without signing in, reaches nothing else of the build, and answers 404 once revoked or expired', async ({
    page,
    sql,
    baseURL,
  }) => {
    test.setTimeout(240_000)
    await page.goto('/snapshots')
    const make = page.getByTestId('make-snapshot')
    await make.getByRole('button', { name: 'Make a snapshot now' }).click()
    await expect(make.getByRole('status')).toContainText(/Snapshot \d+ kept, with its PDF/, { timeout: 120_000 })
    const id = Number(/Snapshot (\d+) kept/.exec((await make.getByRole('status').textContent()) ?? '')?.[1])
    await page.goto(`/snapshots/${id}`)
    const headlines = await page.getByTestId('report-headlines').locator('li').allInnerTexts()
    const form = page.getByTestId('share-link-form')
    await form.getByLabel(/^For/).fill('VP of Engineering')
    await form.getByLabel(/^Days it stays open/).fill('7')
    await form.getByRole('button').click()
    const url = (await page.getByTestId('share-link-url').textContent())!.trim()
    const token = /\/share\/([^/?#\s]+)$/.exec(new URL(url).pathname)?.[1]
    expect(token).toMatch(/^\d+\.\d+\.[A-Za-z0-9_-]{43}$/)
    const [link] = await sql<{ id: number }[]>`select max(id)::int as id from share_links`

    // nobody: no cookie at all, no session
    const nobody = await playwrightRequest.newContext({ baseURL, maxRedirects: 0, storageState: NOBODY })
    try {
      const opened = await nobody.get(`/share/${token}`)
      expect(opened.status()).toBe(200)
      const html = await opened.text()
      expect(html).toContain('data-report-ready="ready"')
      for (const headline of headlines) expect(html).toContain(headline.replace(/^Primary\.\s*/, '').slice(0, 30))
      // the snapshot only: no navigation, no link into the dashboard, only its own PDF
      expect(html).not.toContain('aria-label="Main"')
      const hrefs = [...html.matchAll(/href="([^"]+)"/g)]
        .map((match) => match[1]!)
        .filter((href) => href.startsWith('/') && !href.startsWith('/_next/'))
      expect(hrefs.filter((href) => href !== `/share/${token}/pdf` && !href.startsWith('/icon.svg'))).toEqual([])
      const pdf = await nobody.get(`/share/${token}/pdf`)
      expect(pdf.status()).toBe(200)
      expect(pdf.headers()['content-type']).toBe('application/pdf')

      // every page and route of the build, with the token wherever a caller could put it: only the share link's own two answer
      const snapshot = await someSnapshot(sql)
      const [initiative] = await sql`select coalesce(min(id), 999999)::int as id from initiatives`
      const entries = [
        ...builtEntries().pages.map((key) => ({
          key,
          path: pages[key]!.path,
          method: 'GET' as const,
          access: pages[key]!.access,
        })),
        ...builtEntries().routes.map((key) => ({
          key,
          path: routes[key]!.path,
          method: routes[key]!.method,
          access: routes[key]!.access,
        })),
      ]
      const reached: string[] = []
      for (const entry of entries) {
        if (!entry.path || entry.access === 'public') continue
        const target = entry.path
          .replace('/1', `/${initiative!.id}`)
          .replaceAll('SNAPSHOT', String(snapshot))
          .replace(FORGED_TOKEN, token!)
        const withToken = `${target}${target.includes('?') ? '&' : '?'}token=${token}&share=${token}`
        const headers = { authorization: `Bearer ${token}`, cookie: `upshot.session_token=${token}; share=${token}` }
        const answer =
          entry.method === 'GET'
            ? await nobody.get(withToken, { headers })
            : await nobody.post(withToken, { headers, data: '{}' })
        const status = answer.status()
        reached.push(`${entry.method} ${entry.key} → ${status}`)
        if (entry.access === 'share') expect(status, `${entry.key} with its own token`).toBe(200)
        else expect([307, 401, 403, 404], `${entry.key} with a share token`).toContain(status)
      }
      console.log(`with a share token: ${reached.join(', ')}`)
      expect(reached.length).toBeGreaterThanOrEqual(25)
      // another snapshot's id in the token, the same signature: nothing
      const [, expires, signature] = token!.split('.')
      expect((await nobody.get(`/share/${Number(link!.id) + 1}.${expires}.${signature}`)).status()).toBe(404)

      // revoked: 404, page and PDF
      await page.goto(`/snapshots/${id}`)
      await page.getByTestId(`revoke-link-${link!.id}`).click()
      await expect(page.getByTestId(`share-link-${link!.id}`)).toHaveAttribute('data-state', 'revoked')
      expect((await nobody.get(`/share/${token}`)).status()).toBe(404)
      expect((await nobody.get(`/share/${token}/pdf`)).status()).toBe(404)

      // expired: a second link, live, then past its expiry
      await form.getByLabel(/^For/).fill('CFO')
      await form.getByLabel(/^Days it stays open/).fill('1')
      await form.getByRole('button').click()
      const second = /\/share\/([^/?#\s]+)$/.exec(
        new URL((await page.getByTestId('share-link-url').textContent())!.trim()).pathname,
      )?.[1]
      expect((await nobody.get(`/share/${second}`)).status()).toBe(200)
      await sql`update share_links set expires_at = now() - interval '1 second' where label = 'CFO'`
      expect((await nobody.get(`/share/${second}`)).status()).toBe(404)
      expect((await nobody.get(`/share/${second}/pdf`)).status()).toBe(404)
    } finally {
      await nobody.dispose()
    }
  })
})

test.describe('every entry point checks its caller', () => {
  let anonymous: APIRequestContext
  let viewer: APIRequestContext

  test.beforeAll(async ({ baseURL }) => {
    // a cookie that looks like a session gets past the proxy's redirect: the page itself must refuse it
    anonymous = await playwrightRequest.newContext({
      baseURL,
      maxRedirects: 0,
      storageState: NOBODY,
      extraHTTPHeaders: { cookie: 'upshot.session_token=forged.c2lnbmF0dXJl' },
    })
    viewer = await playwrightRequest.newContext({ baseURL, maxRedirects: 0, storageState: storageState('viewer') })
  })
  test.afterAll(async () => {
    await anonymous.dispose()
    await viewer.dispose()
  })

  test('the build’s manifests list only pages, routes and actions this test knows', () => {
    const built = builtEntries()
    expect(built.pages.filter((page) => !(page in pages))).toEqual([])
    expect(built.routes.filter((route) => !(route in routes))).toEqual([])
    expect(built.actions.filter((action) => !(action.name in actions)).map((action) => action.name)).toEqual([])
    expect(built.pages.length).toBeGreaterThanOrEqual(15)
    expect(built.actions.length).toBe(Object.keys(actions).length)
  })

  test('pages: nobody is sent to sign in, a viewer is refused admin pages', async ({ sql }) => {
    const [initiative] = await sql`select coalesce(min(id), 999999)::int as id from initiatives`
    const snapshot = await someSnapshot(sql)
    const results: string[] = []
    for (const page of builtEntries().pages) {
      const rule = pages[page]!
      if (!rule.path) continue
      const url = rule.path.replace('/1', `/${initiative!.id}`).replaceAll('SNAPSHOT', String(snapshot))
      const asNobody = await anonymous.get(url)
      if (rule.access === 'public') {
        expect(asNobody.status(), `${page} as nobody`).toBeLessThan(500)
        continue
      }
      if (rule.access === 'share') {
        expect(asNobody.status(), `${page} as nobody with a forged token`).toBe(404)
        continue
      }
      expect(asNobody.status(), `${page} as nobody`).toBe(307)
      expect(asNobody.headers().location, `${page} as nobody`).toMatch(/\/sign-in/)
      const asViewer = await viewer.get(url)
      const body = await asViewer.text()
      if (rule.access === 'admin') {
        expect(asViewer.status(), `${page} as viewer`).toBe(403)
        expect(body).toContain('Not for your role')
      } else {
        expect(asViewer.status(), `${page} as viewer`).toBe(200)
      }
      results.push(`${page} nobody→${asNobody.status()} viewer→${asViewer.status()}`)
    }
    console.log(`pages: ${results.join(', ')}`)
  })

  test('route handlers: nobody and a viewer are refused where the role requires; a refusal changes nothing', async ({
    sql,
  }) => {
    const before = await stateOf(sql)
    const snapshot = await someSnapshot(sql)
    const results: string[] = []
    for (const route of builtEntries().routes) {
      const rule = routes[route]!
      const target = rule.path.replace('SNAPSHOT', String(snapshot))
      const call = (context: APIRequestContext) =>
        rule.method === 'GET'
          ? context.get(target)
          : context.post(target, {
              multipart: {
                kind: 'roster',
                dryRun: 'false',
                file: {
                  name: 'roster.csv',
                  mimeType: 'text/csv',
                  buffer: Buffer.from('email,team\nnew@example.com,payments\n'),
                },
              },
            })
      const asNobody = await call(anonymous)
      const asViewer = await call(viewer)
      results.push(`${rule.method} ${route} nobody→${asNobody.status()} viewer→${asViewer.status()}`)
      if (rule.access === 'public') continue
      if (rule.access === 'share') {
        // a forged token opens nothing, whoever asks
        expect([asNobody.status(), asViewer.status()], `${route} with a forged token`).toEqual([404, 404])
        continue
      }
      // machines: a person's session is not a token or a signature
      expect(asNobody.status(), `${route} as nobody`).toBe(401)
      if (rule.access === 'viewer') expect(asViewer.status(), `${route} as viewer`).toBe(200)
      else expect(asViewer.status(), `${route} as viewer`).toBe(rule.access === 'admin' ? 403 : 401)
    }
    console.log(`routes: ${results.join(', ')}`)
    expect(await stateOf(sql)).toEqual(before)
  })

  test('public files: served to nobody (no cookie at all), with their type and the bytes in public/', async ({
    baseURL,
  }) => {
    expect(
      fs
        .readdirSync(path.join(root, 'public'))
        .map((name) => `/${name}`)
        .sort(),
    ).toEqual(Object.keys(publicFiles).sort())
    const nobody = await playwrightRequest.newContext({ baseURL, maxRedirects: 0, storageState: NOBODY })
    try {
      for (const [file, type] of Object.entries(publicFiles)) {
        const answer = await nobody.get(file)
        expect(answer.status(), file).toBe(200)
        expect(answer.headers()['content-type'], file).toMatch(type)
        expect(Buffer.compare(await answer.body(), fs.readFileSync(path.join(root, 'public', file))), file).toBe(0)
      }
      expect(await (await nobody.get('/robots.txt')).text()).toMatch(/^Disallow: \/$/m)
    } finally {
      await nobody.dispose()
    }
  })

  test('server actions: nobody gets 401 and a viewer 403 for every admin action; nothing changes', async ({
    sql,
    baseURL,
  }) => {
    const before = await stateOf(sql)
    const [user] = await sql`select id from users where email = 'alice@example.com'`
    const results: string[] = []
    for (const action of builtEntries().actions) {
      if (actions[action.name] !== 'admin') continue
      const page = action.page.replace('[id]', '1')
      const form = {
        userId: String(user!.id),
        role: 'viewer',
        id: '1',
        name: 'forged',
        scopes: 'report',
        note: 'forged',
        engineerDayCost: '1',
      }
      // the arguments never matter: the door refuses before the action reads them
      const call = (context: APIRequestContext) =>
        context.post(page, {
          headers: { 'next-action': action.id, origin: baseURL!, 'content-type': 'text/plain;charset=UTF-8' },
          data: JSON.stringify([form]),
        })
      const asNobody = await call(anonymous)
      const asViewer = await call(viewer)
      results.push(`${action.name} nobody→${asNobody.status()} viewer→${asViewer.status()}`)
      expect(asNobody.status(), `${action.name} as nobody`).toBe(401)
      expect(asViewer.status(), `${action.name} as viewer`).toBe(403)
    }
    console.log(`actions: ${results.join(', ')}`)
    expect(await stateOf(sql)).toEqual(before)
  })

  test('sign-in offers no way to rename oneself, change e-mail, link accounts, or read a session’s token', async ({
    baseURL,
  }) => {
    for (const path of [
      '/api/auth/update-user',
      '/api/auth/change-email',
      '/api/auth/link-social',
      '/api/auth/delete-user',
      '/api/auth/sign-in/social',
      '/api/auth/revoke-sessions',
    ]) {
      const answer = await viewer.post(path, {
        data: { name: 'Alice Admin', newEmail: 'alice@example.com', provider: 'github' },
        headers: { origin: baseURL! },
      })
      expect(answer.status(), path).toBe(404)
    }
    for (const path of ['/api/auth/get-session', '/api/auth/list-sessions'])
      expect((await viewer.get(path)).status(), path).toBe(404)
  })

  test('a state-changing route refuses a request from another site, even with an admin’s session', async ({
    request,
    sql,
  }) => {
    const before = await stateOf(sql)
    const forged = await request.post('/api/imports', {
      headers: { origin: 'http://evil.example' },
      multipart: {
        kind: 'roster',
        dryRun: 'false',
        file: { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from('email,team\n') },
      },
    })
    expect(forged.status()).toBe(403)
    expect(await forged.json()).toMatchObject({ message: expect.stringContaining('came from another site') })
    expect(await stateOf(sql)).toEqual(before)
  })
})

test.describe('sessions', () => {
  async function signIn(
    browser: import('@playwright/test').Browser,
    baseURL: string,
    provider: string,
    person: string,
  ) {
    const context = await browser.newContext({ baseURL, storageState: NOBODY })
    const page = await context.newPage()
    await page.goto('/sign-in')
    await page.getByRole('button', { name: `Sign in with ${provider}` }).click()
    await page.getByRole('link', { name: `Continue as ${person}` }).click()
    return { context, page }
  }

  test('sign-out revokes the session: its cookie no longer works anywhere', async ({ browser, baseURL, sql }) => {
    const { context, page } = await signIn(browser, baseURL!, 'Example SSO', 'Carol Both')
    await expect(page.getByTestId('signed-in-as')).toContainText('Carol Both (viewer)')
    const cookie = (await context.cookies()).find((entry) => entry.name === 'upshot.session_token')!
    const copy = await playwrightRequest.newContext({
      baseURL,
      storageState: NOBODY,
      extraHTTPHeaders: { cookie: `${cookie.name}=${cookie.value}` },
    })
    expect((await copy.get('/api/report.csv')).status()).toBe(200)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/sign-in$/)
    expect((await copy.get('/api/report.csv')).status()).toBe(401)
    const [row] =
      await sql`select count(*)::int as n from user_sessions s join users u on u.id = s.user_id where u.email = 'carol@example.com'`
    expect(row!.n).toBe(0)
    await copy.dispose()
    await context.close()
  })

  test('a session ends when idle too long, and at most a week after sign-in however busy', async ({
    browser,
    baseURL,
    sql,
  }) => {
    const { context, page } = await signIn(browser, baseURL!, 'Example SSO', 'Carol Both')
    await expect(page.getByTestId('signed-in-as')).toBeVisible()
    const [session] =
      await sql`select s.id from user_sessions s join users u on u.id = s.user_id where u.email = 'carol@example.com'`
    // idle: not used for 13 hours (the limit is 12)
    await sql`update user_sessions set updated_at = now() - interval '13 hours' where id = ${session!.id}`
    const idle = await context.request.get('/api/report.csv')
    expect(idle.status()).toBe(401)
    expect(await idle.json()).toMatchObject({ message: expect.stringContaining('unused for more than 12 hours') })

    const again = await signIn(browser, baseURL!, 'Example SSO', 'Carol Both')
    await expect(again.page.getByTestId('signed-in-as')).toBeVisible()
    const carolsSession = sql`select s.id from user_sessions s join users u on u.id = s.user_id where u.email = 'carol@example.com'`
    // busy for six days, last used 11 hours ago: still on, and the use is recorded
    await sql`update user_sessions set created_at = now() - interval '6 days', updated_at = now() - interval '11 hours' where id in (${carolsSession})`
    expect((await again.context.request.get('/api/report.csv')).status()).toBe(200)
    const [touched] =
      await sql`select extract(epoch from now() - updated_at)::int as idle from user_sessions where id in (${carolsSession})`
    expect(touched!.idle).toBeLessThan(60)
    // busy but old: used a minute ago, signed in 8 days ago
    await sql`update user_sessions set created_at = now() - interval '8 days', updated_at = now() - interval '1 minute' where id in (${carolsSession})`
    const answer = await again.context.request.get('/api/report.csv')
    expect(answer.status()).toBe(401)
    expect(await answer.json()).toMatchObject({ message: expect.stringContaining('sessions last at most 168 hours') })
    const [left] =
      await sql`select count(*)::int as n from user_sessions s join users u on u.id = s.user_id where u.email = 'carol@example.com'`
    expect(left!.n).toBe(0)
    await context.close()
    await again.context.close()
  })

  test('GitHub: an organisation member signs in, an outsider is refused, the same e-mail is never linked', async ({
    browser,
    baseURL,
    sql,
  }) => {
    const member = await signIn(browser, baseURL!, 'GitHub', 'Octo Member')
    await expect(member.page.getByTestId('signed-in-as')).toContainText('Octo Member (viewer)')
    await member.context.close()

    const outsider = await signIn(browser, baseURL!, 'GitHub', 'Octo Outsider')
    await expect(outsider.page.getByTestId('sign-in-error')).toHaveText(/not an active member of the acme organisation/)
    await outsider.context.close()

    // Carol signed in with single sign-on above; a GitHub account with her e-mail is someone else until proven
    const twin = await signIn(browser, baseURL!, 'GitHub', 'Carol on GitHub')
    await expect(twin.page.getByTestId('sign-in-error')).toHaveText(/never merges accounts by e-mail/)
    await twin.context.close()

    const accounts =
      await sql`select a.provider_id, a.account_id, u.email, a.access_token, a.id_token from user_accounts a join users u on u.id = a.user_id order by a.provider_id, a.account_id`
    expect(accounts.map((row) => `${row.provider_id}:${row.account_id}:${row.email}`)).toEqual([
      'github:5001:octo@example.com',
      'oidc:oidc|alice:alice@example.com',
      'oidc:oidc|carol:carol@example.com',
      'oidc:oidc|victor:victor@example.com',
    ])
    // no provider token is kept
    expect(accounts.every((row) => row.access_token === null && row.id_token === null)).toBe(true)
  })
})

test('the sign-in page: both providers, no serious accessibility violation, no console error', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ baseURL, storageState: NOBODY })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())))
  await page.goto('/initiatives')
  await expect(page).toHaveURL(/\/sign-in\?next=%2Finitiatives$/)
  await expect(page.getByRole('button', { name: /^Sign in with / })).toHaveText([
    'Sign in with GitHub',
    'Sign in with Example SSO',
  ])
  const axe = await new AxeBuilder({ page }).analyze()
  expect(
    axe.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id),
  ).toEqual([])
  expect(errors).toEqual([])
  await context.close()
})

test('every page carries a fresh script nonce, and only scripts with it', async ({ request }) => {
  const nonces: string[] = []
  for (let i = 0; i < 2; i++) {
    const answer = await request.get('/delivery')
    const policy = answer.headers()['content-security-policy'] ?? ''
    const nonce = policy.match(/'nonce-([^']+)'/)?.[1]
    expect(policy).toContain("frame-ancestors 'none'")
    expect(nonce).toBeTruthy()
    const html = await answer.text()
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0])
    expect(scripts.length).toBeGreaterThan(0)
    expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([])
    nonces.push(nonce!)
  }
  expect(nonces[0]).not.toBe(nonces[1])
})

test('the server will not start with sign-in required and a short or default secret', async () => {
  const start = (secret: string) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
          'start',
          '--port',
          String(e2e.port.postgres + 50),
          '--hostname',
          '127.0.0.1',
        ],
        {
          cwd: root,
          env: {
            ...process.env,
            ...signInEnv(e2e.port.postgres + 50),
            ...canarySecrets,
            DATABASE_URL: e2e.databaseUrl,
            UPSHOT_SESSION_SECRET: secret,
            NEXT_TELEMETRY_DISABLED: '1',
          },
        },
      )
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      child.on('exit', (code) => {
        clearTimeout(timer)
        resolve({ code, output })
      })
    })
  const short = await start('too-short')
  expect(short.code).not.toBe(0)
  expect(short.output).toContain(
    'UPSHOT_SESSION_SECRET cannot sign sessions because it is 9 characters long; it needs at least 32',
  )
  const example = await start('better-auth-secret-12345678901234567890')
  expect(example.code).not.toBe(0)
  expect(example.output).toContain('it is a value from an example, known to everyone')
})

test('the Access page: an admin makes a token, sees it once, a machine uses it, the admin revokes it; roles change', async ({
  page,
  request,
  sql,
  baseURL,
}) => {
  await page.goto('/access')
  const form = page.getByTestId('token-form')
  await form.getByLabel('Name (what uses it)').fill('weekly report job')
  await form.getByLabel('portal-events').uncheck()
  await form.getByLabel('report').check()
  await form.getByRole('button', { name: 'Create token' }).click()
  const shown = page.getByTestId('new-token')
  await expect(shown).toHaveText(/^upt_[\w-]{32}$/)
  const token = (await shown.textContent())!
  const [stored] = await sql`select scopes, token_hash from api_tokens where name = 'weekly report job'`
  expect(stored!.scopes).toEqual(['report'])
  expect(stored!.token_hash).not.toBe(token)

  const machine = await playwrightRequest.newContext({
    baseURL,
    storageState: NOBODY,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  })
  expect((await machine.get('/api/report.csv')).status()).toBe(200)
  // a report token reads the report, nothing else
  expect(
    (
      await machine.post('/api/imports', {
        headers: { origin: baseURL! },
        multipart: {
          kind: 'roster',
          dryRun: 'true',
          file: { name: 'r.csv', mimeType: 'text/csv', buffer: Buffer.from('email,team\n') },
        },
      })
    ).status(),
  ).toBe(401)
  expect((await machine.post('/api/ingest/portal-events', { data: [] })).status()).toBe(401)
  expect((await machine.get('/delivery', { maxRedirects: 0 })).status()).toBe(307)

  // shown once: not on the page again
  await page.reload()
  expect(await page.content()).not.toContain(token)
  const row = page.getByTestId('access-tokens').getByRole('row', { name: /weekly report job/ })
  await row.getByRole('button', { name: 'Revoke' }).click()
  // the row now says when it was revoked, in place of the button
  await expect(row.getByRole('cell').last()).toHaveText(/^revoked /)
  expect((await machine.get('/api/report.csv')).status()).toBe(401)
  await machine.dispose()

  // roles: Carol (a viewer who signed in above) made an admin, then a viewer again
  const carol = page.getByTestId('access-users').getByRole('row', { name: /Carol Both/ })
  await carol.getByRole('button', { name: 'Make admin' }).click()
  await expect(carol.getByRole('button', { name: 'Make viewer' })).toBeVisible()
  expect((await sql`select role from users where email = 'carol@example.com'`)[0]!.role).toBe('admin')
  await carol.getByRole('button', { name: 'Make viewer' }).click()
  await expect(carol.getByRole('button', { name: 'Make admin' })).toBeVisible()
  expect((await sql`select role from users where email = 'carol@example.com'`)[0]!.role).toBe('viewer')
  // Alice is the only admin: the page says why she cannot be made a viewer, and she stays an admin
  const alice = page.getByTestId('access-users').getByRole('row', { name: /Alice Admin/ })
  await alice.getByRole('button', { name: 'Make viewer' }).click()
  await expect(alice.getByRole('alert')).toHaveText('Alice Admin is the only admin: make someone else an admin first.')
  expect((await sql`select role from users where email = 'alice@example.com'`)[0]!.role).toBe('admin')
  expect((await request.get('/api/health')).status()).toBe(200)
})
