// Bad input at the import door (POST /api/imports, from the Data sources page): a CSV with a NUL byte, or with
// a time that cannot have happened, is answered 422 with each problem's line and column, nothing is written,
// and the import's run ends "failed", saying why, instead of being left "running" (or answered 500).
import type { Page, Response } from '@playwright/test'
import { expect, test } from './fixtures'

interface Answer {
  ok: boolean
  report?: { problems: { line: number; column?: string; message: string }[]; inserted: number }
}

/** Uploads `body` as `name` with the Check (dry run) or Import button; returns the server's answer. */
async function upload(
  page: Page,
  { kind, name, body, button }: { kind: string; name: string; body: string; button: 'Check' | 'Import' },
): Promise<{ response: Response; answer: Answer }> {
  const form = page.getByTestId('csv-upload')
  await form.getByLabel('Kind').selectOption(kind)
  await form.getByLabel('File').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(body) })
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/api/imports' && response.request().method() === 'POST',
  )
  await form.getByRole('button', { name: button }).click()
  const response = await answered
  return { response, answer: (await response.json()) as Answer }
}

/** Last Monday 10:00 UTC: a time that has happened, on any day the test runs. */
const lastWeek = () => {
  const at = new Date()
  at.setUTCHours(10, 0, 0, 0)
  at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() + 6) % 7) - 7)
  return at.toISOString().replace('.000Z', 'Z')
}

test('a CSV with a NUL byte: 422 naming line and column, nothing written, the run failed (not left running)', async ({
  page,
  sql,
  engine,
}) => {
  const id = `e2e-nul-${engine}-${Date.now()}`
  const file = `${id}.csv`
  const body = `id,team,title,opened_at\n${id}-1,payments,Fine,${lastWeek()}\n${id}-2,payments,Checkout\u0000errors,${lastWeek()}\n`
  await page.goto('/sources')
  const report = page.getByTestId('import-report')
  for (const button of ['Check', 'Import'] as const) {
    const { response, answer } = await upload(page, { kind: 'incidents', name: file, body, button })
    expect(response.status(), `${button}: status`).toBe(422)
    expect(answer.report?.problems, `${button}: problems`).toEqual([
      { line: 3, column: 'title', message: 'contains a control character (U+0000); remove it' },
    ])
    await expect(
      report.getByRole('row', { name: '3 title contains a control character (U+0000); remove it' }),
    ).toBeVisible()
  }
  expect(await sql`select count(*)::int as n from incidents where external_id like ${`${id}%`}`).toEqual([{ n: 0 }])
  expect(await sql`select count(*)::int as n from sync_runs where source like 'csv:%' and status = 'running'`).toEqual([
    { n: 0 },
  ])
  expect(await sql`select status, error from sync_runs where source = 'csv:incidents' and scope = ${file}`).toEqual([
    {
      status: 'failed',
      error: `${file}: 1 problem, nothing imported; first: line 3, column title: contains a control character (U+0000); remove it`,
    },
  ])
  // the Data sources page lists the import as failed, with its reason
  await page.reload()
  const imports = page.getByTestId('imports')
  await expect(imports.getByRole('row', { name: new RegExp(`${file}.*failed`) })).toBeVisible()
  await expect(imports).toContainText(
    `${file}: 1 problem, nothing imported; first: line 3, column title: contains a control character (U+0000)`,
  )
})

test('a deployments CSV with finished_at in year 9999 (and a start in year 0001): 422 naming line and column, nothing written', async ({
  page,
  sql,
  engine,
}) => {
  const id = `e2e-9999-${engine}-${Date.now()}`
  const body = `id,team,environment,status,started_at,finished_at\n${id}-1,payments,production,success,${lastWeek()},9999-03-02T10:20:00Z\n${id}-2,payments,production,success,0001-01-01T00:00:00Z,${lastWeek()}\n`
  await page.goto('/sources')
  for (const button of ['Check', 'Import'] as const) {
    const { response, answer } = await upload(page, { kind: 'deployments', name: `${id}.csv`, body, button })
    expect(response.status(), `${button}: status`).toBe(422)
    expect(answer.report?.problems, `${button}: problems`).toEqual([
      {
        line: 2,
        column: 'finished_at',
        message: expect.stringMatching(
          /^"9999-03-02T10:20:00Z" is after tomorrow \(\d{4}-\d{2}-\d{2}, UTC\): it cannot have happened yet$/,
        ) as unknown as string,
      },
      {
        line: 3,
        column: 'started_at',
        message: '"0001-01-01T00:00:00Z" is before 2000-01-01, the earliest date accepted (UPSHOT_EARLIEST_DATE)',
      },
    ])
    await expect(
      page
        .getByTestId('import-report')
        .getByRole('row', { name: /^2 finished_at "9999-03-02T10:20:00Z" is after tomorrow/ }),
    ).toBeVisible()
  }
  expect(await sql`select count(*)::int as n from deployments where external_id like ${`${id}%`}`).toEqual([{ n: 0 }])
  expect(await sql`select count(*)::int as n from sync_runs where source like 'csv:%' and status = 'running'`).toEqual([
    { n: 0 },
  ])
})
