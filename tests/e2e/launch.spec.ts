// From an empty database to a one-pager, through the pages only (no SQL): an organisation imported as CSV
// files on the Data sources page, the portal launch set on the Milestones page, a pilot created on the
// Initiatives form with its primary metric; then the Overview shows before and after figures and the one-pager
// its sections. Its own web server on its own fresh embedded database: the shared one holds the demo.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { writeDay } from '@/lib/dates'
import { formatCount, formatPerWeek } from '@/lib/format'
import { addDays, launchOrg, launchTeams } from '@/tests/fixtures/launch-org'
import { e2eSourcesFile } from '@/tests/helpers/e2e-env'
import { freePort, root, runTs, waitForOutput, type Child } from '@/tests/helpers/processes'
import { expect, test } from './fixtures'

test.describe.configure({ mode: 'serial', timeout: 300_000 })

let owner: Child | null = null
let server: ChildProcess | null = null
let dataDir = ''
let base = ''

test.beforeAll(async ({ engine }) => {
  // the embedded project's server is the one on an embedded database; one empty server is enough for both
  if (engine !== 'embedded') return
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upshot-launch-'))
  // a process owns the fresh data directory (migrated, empty); `next start` finds it through the owner record
  owner = runTs('tests/helpers/embedded-owner.ts', [dataDir], { DATABASE_URL: '' })
  await waitForOutput(owner, /"url"/, 60_000)
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '--port',
      String(port),
      '--hostname',
      '127.0.0.1',
    ],
    {
      cwd: root,
      stdio: 'ignore',
      // as `npm run demo` starts it: no sign-in, loopback only (UPSHOT_DEMO_SERVER)
      env: {
        ...process.env,
        DATABASE_URL: '',
        UPSHOT_DATA_DIR: dataDir,
        PORT: String(port),
        UPSHOT_DEMO_SERVER: 'loopback',
        UPSHOT_SOURCES: e2eSourcesFile,
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  )
  const deadline = Date.now() + 90_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`next start exited (${server.exitCode})`)
    if (
      await fetch(`${base}/api/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      break
    if (Date.now() > deadline) throw new Error(`next start did not answer ${base}/api/health`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
})

test.afterAll(async () => {
  const stop = async (child: ChildProcess | undefined | null) => {
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  await stop(server)
  await stop(owner?.process)
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

/** Imports a file on the Data sources page; `written` is what the report says of its rows (all inserted by default). */
async function importCsv(page: Page, kind: string, file: string, body: string, written?: string) {
  const rows = body.trim().split('\n').length - 1
  await page.goto(`${base}/sources`)
  const upload = page.getByTestId('csv-upload')
  await upload.getByLabel('Kind').selectOption(kind)
  await upload.getByLabel('File').setInputFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(body) })
  await upload.getByRole('button', { name: 'Import' }).click()
  // a thousand rows, their links and rollups, on a shared machine: give the import its time
  await expect(page.getByTestId('import-report')).toContainText(
    `${file} (${kind}, ${rows} rows): ${written ?? `${rows} were inserted`}`,
    { timeout: 30_000 },
  )
}

test('an empty database to a one-pager: import an organisation, set the launch, create a pilot', async ({
  page,
  engine,
  problems,
}) => {
  test.skip(engine !== 'embedded', 'one empty server, started by the embedded project')
  const org = launchOrg()

  await page.goto(`${base}/`)
  await expect(page.getByTestId('overview-empty')).toBeVisible()

  // the organisation, as CSV files on the Data sources page
  await importCsv(page, 'roster', 'roster.csv', org.files.roster)
  await importCsv(page, 'deployments', 'deployments.csv', org.files.deployments)
  await importCsv(page, 'incidents', 'incidents.csv', org.files.incidents)

  // without a launch the Overview says what it needs, and where to give it
  await page.goto(`${base}/`)
  await expect(page.getByTestId('overview-no-launch')).toContainText('needs the day it launched')
  await page.getByTestId('overview-no-launch').getByRole('link', { name: 'Milestones' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Milestones' })).toBeVisible()

  // the launch on the Milestones page: a refusal names the field, then it saves for every team
  const form = page.getByTestId('milestone-form')
  await expect(form.getByLabel('Kind')).toHaveValue('portal_launch')
  await form.getByLabel('Name', { exact: true }).fill('Developer portal launched')
  await form.getByRole('button', { name: 'Add milestone' }).click()
  await expect(page.locator('#milestone-occurredOn-error')).toHaveText('Give the day it happened, such as 6 Apr 2026')
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Developer portal launched')
  await form.getByLabel('Date').fill(writeDay(org.launch))
  await expect(form.getByRole('radio', { name: 'All teams' })).toBeChecked()
  await form.getByRole('button', { name: 'Add milestone' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^Saved/ })).toHaveText('Saved “Developer portal launched”.')
  const list = page.getByTestId('milestones-list')
  await expect(list.getByRole('row', { name: /Portal launch.*Developer portal launched.*All teams/ })).toBeVisible()

  // a catalog launch for two teams: added, renamed, deleted
  await form.getByLabel('Kind').selectOption('catalog_launch')
  await form.getByLabel('Date').fill(addDays(org.launch, 14))
  await form.getByLabel('Name', { exact: true }).fill('Catalog for two teams')
  await form.getByRole('radio', { name: 'Only these teams' }).check()
  await form.getByRole('checkbox', { name: 'Checkout' }).check()
  await form.getByRole('checkbox', { name: 'Payments' }).check()
  await form.getByRole('button', { name: 'Add milestone' }).click()
  await expect(
    list.getByRole('row', { name: /Catalog launch.*Catalog for two teams.*Checkout, Payments/ }),
  ).toBeVisible()
  await list.getByRole('link', { name: 'Edit Catalog for two teams' }).click()
  await expect(form.getByRole('checkbox', { name: 'Payments' })).toBeChecked()
  await form.getByLabel('Name', { exact: true }).fill('Catalog pilot')
  await form.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^Saved/ })).toHaveText('Saved “Catalog pilot”.')
  await list.getByRole('button', { name: 'Delete Catalog pilot' }).click()
  await list.getByRole('button', { name: 'Confirm: delete Catalog pilot' }).click()
  await expect(list.getByRole('row', { name: /Catalog pilot/ })).toHaveCount(0)
  await expect(list.getByRole('row')).toHaveCount(2)
  // the action's re-render streams the page's metadata after its body: check once the title is back
  await expect(page).toHaveTitle(/Milestones/)
  const axe = await new AxeBuilder({ page }).analyze()
  expect(
    axe.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help}`),
  ).toEqual([])

  // the Overview compares the 26 weeks before the launch with the 26 since, as the files say
  await page.goto(`${base}/`)
  await expect(page.getByTestId('overview-dora')).toContainText('Developer portal launched on')
  await expect(page.getByTestId('dora-deployment_frequency-before')).toHaveText(
    formatPerWeek(org.deployments.before / 26),
  )
  await expect(page.getByTestId('dora-deployment_frequency-after')).toHaveText(
    formatPerWeek(org.deployments.after / 26),
  )
  await expect(page.getByTestId('dora-deployment_frequency-change')).not.toHaveText('not yet')
  await expect(page.getByText(/Portal launch: Developer portal launched \(week of/).first()).toBeVisible()

  // a pilot on the Initiatives form, judged by deployment frequency
  const name = 'Portal pilot'
  await page.goto(`${base}/initiatives/new`)
  const initiative = page.getByTestId('initiative-form')
  await initiative.getByLabel('Name', { exact: true }).fill(name)
  await initiative.getByLabel('Use case').selectOption('delivery')
  await initiative.getByLabel('Launch date').fill(org.launch)
  await initiative.getByRole('group', { name: 'Baseline (before)' }).getByLabel('From').fill(addDays(org.launch, -84))
  await initiative.getByRole('group', { name: 'Baseline (before)' }).getByLabel('To (not included)').fill(org.launch)
  await initiative.getByRole('group', { name: 'Evaluation (after)' }).getByLabel('From').fill(org.launch)
  await initiative
    .getByRole('group', { name: 'Evaluation (after)' })
    .getByLabel('To (not included)')
    .fill(addDays(org.launch, 84))
  for (const team of launchTeams)
    await initiative.getByLabel(`Role of ${team.name}`, { exact: true }).selectOption(team.pilot ? 'pilot' : 'control')
  await initiative.getByRole('checkbox', { name: 'Deployment frequency', exact: true }).check()
  await initiative.getByRole('button', { name: 'Create initiative' }).click()
  await expect(page).toHaveURL(/\/initiatives\/\d+$/)
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  const id = /\/initiatives\/(\d+)$/.exec(page.url())?.[1]

  // the one-pager: its header, what changed (deployment frequency, the built-in effect), the tiles, the money, the method
  await page.goto(`${base}/report?initiative=${id}`)
  const report = page.getByTestId('report')
  await expect(report.getByRole('heading', { level: 1, name })).toBeVisible()
  await expect(report).toContainText('pilot: Checkout, Payments, Search · control: Identity, Mobile, Platform')
  await expect(report.getByRole('heading', { level: 2, name: 'What changed' })).toBeVisible()
  await expect(page.getByTestId('report-headlines').locator('li[data-key="deployment_frequency"]')).toBeVisible()
  // before and after on the one-pager: the pilot's figure before → after, and the verdict line and money box
  await expect(page.getByTestId('report-tile-deployment_frequency').locator('.move')).toContainText(
    /per service-week → .*per service-week/,
  )
  await expect(page.getByTestId('report-verdict')).toBeVisible()
  await expect(
    page.getByTestId('report-roi').getByRole('heading', { level: 2, name: 'What it is worth, a year' }),
  ).toBeVisible()
  await expect(page.getByTestId('report-assumptions')).toBeVisible()
  await expect(report.locator('footer.method')).toContainText('How this was measured.')
  expect(problems).toEqual([])
})

test('an organisation fed by CSV only: every Overview key and each of the six use cases has a figure', async ({
  page,
  engine,
  problems,
}) => {
  test.skip(engine !== 'embedded', 'one empty server, started by the embedded project')
  // the same server, after the test above: the organisation, its launch and its pilot are there. No GitHub, no
  // portal, no incident tool: the rest comes as files too
  const org = launchOrg()
  for (const { kind, file, body } of org.more) {
    const rows = body.trim().split('\n').length - 1
    // the deployments again, now naming their repository and commit: each is replaced, none added
    await importCsv(
      page,
      kind,
      file,
      body,
      kind === 'deployments' ? `0 were inserted, ${rows} were updated` : undefined,
    )
  }

  // the Data sources page says where they came from
  await page.goto(`${base}/sources`)
  const pullRequests = org.more.find((item) => item.kind === 'pull-requests')?.body ?? ''
  await expect(page.getByTestId('count-csv-pull-requests')).toHaveText(
    formatCount(pullRequests.trim().split('\n').length - 1),
  )
  await expect(page.getByTestId('via-csv-pull-requests')).toHaveText('CSV import')
  await expect(page.getByTestId('count-csv-services')).toHaveText('12')

  // the four DORA keys, before and since the launch: lead time from the pull requests each deployment shipped
  await page.goto(`${base}/`)
  for (const key of ['deployment_frequency', 'lead_time', 'change_fail_rate', 'recovery_time']) {
    await expect(page.getByTestId(`dora-${key}-before`)).toHaveText(/\d/)
    await expect(page.getByTestId(`dora-${key}-after`)).toHaveText(/\d/)
    await expect(page.getByTestId(`dora-${key}-change`)).not.toHaveText(/not yet|not enough/)
  }
  // the pilots' changes are 10 hours quicker from first commit since the launch: the Overview's lead time fell
  await expect(page.getByTestId('dora-lead_time-change')).toContainText(/[−-]\d/)

  // the seed's six use cases. Delivery throughput and incident response: the keys above. Developer experience:
  await page.goto(`${base}/experience`)
  await expect(page.getByTestId('wave-after-score')).toHaveText(/\d/)
  // new-hire onboarding: six hires, each with a first merged pull request
  await page.goto(`${base}/onboarding`)
  await expect(page.getByTestId('onboarding-first-median')).toHaveText(/\d+(\.\d)? days?/)
  await expect(page.getByTestId('onboarding-hires')).toHaveText('6')
  // service scaffolding: the pilots' template (minutes) against the control teams' services built by hand (weeks)
  await page.goto(`${base}/adoption`)
  await expect(page.getByTestId('adoption-setup-template')).toHaveText(/^\d+ min$/)
  await expect(page.getByTestId('adoption-setup-manual')).toHaveText(/^\d+\.\d days$/)
  // docs find-time: the study's six participants
  await page.goto(`${base}/study`)
  await expect(page.getByTestId('study-overall')).not.toHaveAttribute('data-state', 'not_enough')
  await expect(page.getByTestId('study-finding')).toContainText(/\d/)
  expect(problems).toEqual([])
})
