// Signs an admin and a viewer in at the fake OpenID Connect provider, the way a person does, and keeps each
// one's browser state for the Postgres project's tests. The first admin is made with the CLI, as documented.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test as setup, expect } from '@playwright/test'
import { e2e, storageState } from '@/tests/helpers/e2e-env'
import { root } from '@/tests/helpers/processes'

setup('an admin and a viewer sign in with single sign-on', async ({ browser, baseURL }) => {
  fs.mkdirSync(path.dirname(storageState('admin')), { recursive: true })
  for (const [role, person, email] of [
    ['admin', 'Alice Admin', 'alice@example.com'],
    ['viewer', 'Victor Viewer', 'victor@example.com'],
  ] as const) {
    const context = await browser.newContext({ baseURL })
    const page = await context.newPage()
    await page.goto('/delivery')
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdelivery$/)
    await page.getByRole('button', { name: 'Sign in with Example SSO' }).click()
    await page.getByRole('link', { name: `Continue as ${person}` }).click()
    await expect(page).toHaveURL(/\/delivery$/)
    await expect(page.getByTestId('signed-in-as')).toHaveText(`${person} (viewer)Sign out`)
    if (role === 'admin') {
      const printed = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'db/cli.ts', 'users', 'role', email, 'admin'],
        {
          cwd: root,
          env: { ...process.env, DATABASE_URL: e2e.databaseUrl },
          encoding: 'utf8',
        },
      )
      expect(printed).toContain(`${person} (${email}) is now an admin`)
      await page.reload()
      await expect(page.getByTestId('signed-in-as')).toHaveText(`${person} (admin)Sign out`)
    }
    await context.storageState({ path: storageState(role) })
    await context.close()
  }
})
