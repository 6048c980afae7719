// The demo (embedded database) has no sign-in: it says so on every page, and it answers only requests made to
// this machine's own name – a page elsewhere that points its own host name at 127.0.0.1 (DNS rebinding) is refused.
import { spawn } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import { e2e } from '@/tests/helpers/e2e-env'
import { root } from '@/tests/helpers/processes'
import { expect, test } from './fixtures'

function get(baseURL: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, baseURL)
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: url.hostname, port: url.port, path: url.pathname, headers: { host } },
      (response) => {
        let body = ''
        response.on('data', (chunk: Buffer) => (body += chunk.toString()))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      },
    )
    request.on('error', reject)
    request.end()
  })
}

test('the demo shows its banner, has no sign-in page, and refuses a request addressed to another host name', async ({
  page,
  baseURL,
  request,
}) => {
  await page.goto('/delivery')
  await expect(page.getByTestId('demo-banner')).toHaveText(
    /Demo · a generated organisation, no sign-in · answers only on this machine \(localhost\)/,
  )
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0)
  await page.goto('/sign-in')
  await expect(page).toHaveURL(/\/$/)

  const port = new URL(baseURL!).port
  expect((await get(baseURL!, '/api/report.csv', `localhost:${port}`)).status).toBe(200)
  const rebound = await get(baseURL!, '/api/report.csv', `rebind.example:${port}`)
  expect(rebound.status).toBe(403)
  expect(JSON.parse(rebound.body)).toMatchObject({
    message: expect.stringContaining('answers only on the machine it runs on'),
  })
  const page403 = await get(baseURL!, '/delivery', `rebind.example:${port}`)
  expect(page403.status).toBe(403)
  expect(page403.body).not.toContain('Deployment frequency')
  // sign-in's own endpoints do not exist here
  expect((await request.get('/api/auth/ok')).status()).toBe(404)
})

test('the demo is served only by npm run demo: a bare next start without DATABASE_URL refuses to start', async () => {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '--port',
      String(e2e.port.embedded + 60),
      '--hostname',
      '0.0.0.0',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: '',
        UPSHOT_DEMO_SERVER: '',
        UPSHOT_DATA_DIR: e2e.dataDir,
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearTimeout(timer)
  expect(code).not.toBe(0)
  expect(output).toContain(
    'Upshot will not start: Without DATABASE_URL, Upshot is the demo, which has no sign-in: start it with `npm run demo`',
  )
})
