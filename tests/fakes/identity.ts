// A fake identity provider on 127.0.0.1 that answers as the real ones do, for sign-in tests:
// - OpenID Connect (/oidc): discovery, an authorize page listing its people (click one to sign in), the
//   token endpoint (client secret, PKCE S256, one-use codes), userinfo, and an RS256-signed id_token with
//   its JWKS — the flow of Okta, Entra ID, Keycloak or Google.
// - GitHub (/github): the OAuth web flow (/login/oauth/authorize, /login/oauth/access_token answering JSON
//   when asked, GitHub's `error` body on a bad code), and the REST API (/github/api) for /user, /user/emails,
//   /user/memberships/orgs/{org} and /orgs/{org}/teams/{team}/memberships/{user}, 404 for non-members.
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'

export interface IdentityPerson {
  /** OIDC subject; the person signs in at the OIDC provider when set */
  sub?: string
  /** GitHub numeric id and login; the person signs in at GitHub when set */
  githubId?: number
  githubLogin?: string
  name: string
  email: string
  /** GitHub organisations (and org/team slugs) with an active membership */
  orgs?: string[]
  teams?: string[]
}

export interface IdentityClient {
  clientId: string
  clientSecret: string
}

interface PendingCode {
  person: IdentityPerson
  provider: 'oidc' | 'github'
  redirectUri: string
  codeChallenge: string | null
  nonce: string | null
  clientId: string
}

export interface FakeIdentity {
  url: string
  issuer: string
  /** what each endpoint was asked, in order ("POST /oidc/token") */
  requests: string[]
  close(): Promise<void>
}

const html = (res: http.ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake identity provider</title></head><body>${body}</body></html>`,
  )
}
const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
  res.end(JSON.stringify(body))
}
const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

/** Client credentials from HTTP Basic or the form body (client_secret_basic / client_secret_post). */
function clientOf(req: http.IncomingMessage, form: URLSearchParams): { id: string | null; secret: string | null } {
  const basic = req.headers.authorization?.match(/^Basic\s+(.+)$/i)?.[1]
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64')
      .toString('utf8')
      .split(':')
      .map((part) => decodeURIComponent(part))
    return { id: id ?? null, secret: secret ?? null }
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') }
}

export async function startFakeIdentity({
  people,
  oidcClient,
  githubClient,
  port = 0,
}: {
  people: IdentityPerson[]
  oidcClient: IdentityClient
  githubClient: IdentityClient
  port?: number
}): Promise<FakeIdentity> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'fake-1', alg: 'RS256', use: 'sig' }
  const codes = new Map<string, PendingCode>()
  const accessTokens = new Map<string, IdentityPerson>()
  const requests: string[] = []
  let base = ''

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) =>
      json(res, 500, { error: 'server_error', error_description: String(error) }),
    )
  })

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base)
    requests.push(`${req.method} ${url.pathname}`)
    const issuer = `${base}/oidc`
    const route = `${req.method} ${url.pathname}`

    // ── OpenID Connect ────────────────────────────────────────────────────────────────────────────
    if (route === 'GET /oidc/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        code_challenge_methods_supported: ['S256'],
        claims_supported: ['sub', 'email', 'email_verified', 'name'],
      })
    }
    if (route === 'GET /oidc/jwks') return json(res, 200, { keys: [jwk] })
    if (route === 'GET /oidc/authorize' || route === 'GET /github/login/oauth/authorize') {
      const provider = url.pathname.startsWith('/oidc') ? 'oidc' : 'github'
      const client = provider === 'oidc' ? oidcClient : githubClient
      if (url.searchParams.get('client_id') !== client.clientId) return html(res, 400, '<p>Unknown client_id</p>')
      const redirectUri = url.searchParams.get('redirect_uri')
      if (!redirectUri) return html(res, 400, '<p>redirect_uri is required</p>')
      const choices = people.filter((person) => (provider === 'oidc' ? person.sub : person.githubLogin))
      const links = choices.map((person) => {
        const approve = new URL(`${base}/${provider}/approve`)
        for (const [key, value] of url.searchParams) approve.searchParams.set(key, value)
        approve.searchParams.set('person', provider === 'oidc' ? String(person.sub) : String(person.githubLogin))
        return `<li><a href="${escape(approve.toString())}">Continue as ${escape(person.name)}</a></li>`
      })
      return html(
        res,
        200,
        `<h1>${provider === 'oidc' ? 'Example SSO' : 'GitHub'}: sign in</h1><ul>${links.join('')}</ul>`,
      )
    }
    if (route === 'GET /oidc/approve' || route === 'GET /github/approve') {
      const provider = url.pathname.startsWith('/oidc') ? 'oidc' : 'github'
      const who = url.searchParams.get('person')
      const person = people.find((candidate) =>
        provider === 'oidc' ? candidate.sub === who : candidate.githubLogin === who,
      )
      const redirectUri = url.searchParams.get('redirect_uri')
      if (!person || !redirectUri) return html(res, 400, '<p>Unknown person</p>')
      const code = randomBytes(16).toString('hex')
      codes.set(code, {
        person,
        provider,
        redirectUri,
        codeChallenge: url.searchParams.get('code_challenge'),
        nonce: url.searchParams.get('nonce'),
        clientId: url.searchParams.get('client_id') ?? '',
      })
      const back = new URL(redirectUri)
      back.searchParams.set('code', code)
      const state = url.searchParams.get('state')
      if (state) back.searchParams.set('state', state)
      if (provider === 'oidc') back.searchParams.set('iss', issuer)
      res.writeHead(302, { location: back.toString() })
      return void res.end()
    }
    if (route === 'POST /oidc/token' || route === 'POST /github/login/oauth/access_token') {
      const provider = url.pathname.startsWith('/oidc') ? 'oidc' : 'github'
      const client = provider === 'oidc' ? oidcClient : githubClient
      const form = await readForm(req)
      const caller = clientOf(req, form)
      const refuse = (error: string, description: string) =>
        // GitHub answers a bad exchange with 200 and an error body; OIDC with 400 (RFC 6749 §5.2)
        provider === 'github'
          ? json(res, 200, { error, error_description: description })
          : json(res, error === 'invalid_client' ? 401 : 400, { error, error_description: description })
      if (caller.id !== client.clientId || caller.secret !== client.clientSecret)
        return refuse('invalid_client', 'The client_id and/or client_secret passed are incorrect.')
      const code = form.get('code') ?? ''
      const pending = codes.get(code)
      codes.delete(code)
      if (!pending || pending.provider !== provider)
        return refuse(
          provider === 'github' ? 'bad_verification_code' : 'invalid_grant',
          'The code passed is incorrect or expired.',
        )
      if (form.get('redirect_uri') && form.get('redirect_uri') !== pending.redirectUri)
        return refuse('invalid_grant', 'redirect_uri does not match')
      if (pending.codeChallenge) {
        const verifier = form.get('code_verifier') ?? ''
        if (createHash('sha256').update(verifier).digest('base64url') !== pending.codeChallenge)
          return refuse('invalid_grant', 'PKCE verification failed')
      }
      const accessToken = `${provider === 'github' ? 'gho_' : 'at_'}${randomBytes(20).toString('hex')}`
      accessTokens.set(accessToken, pending.person)
      if (provider === 'github')
        return json(res, 200, {
          access_token: accessToken,
          token_type: 'bearer',
          scope: 'read:org,read:user,user:email',
        })
      const now = Math.floor(Date.now() / 1000)
      const idToken = await new SignJWT({
        email: pending.person.email,
        email_verified: true,
        name: pending.person.name,
        ...(pending.nonce ? { nonce: pending.nonce } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: jwk.kid ?? 'fake-1', typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(String(pending.person.sub))
        .setAudience(pending.clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey as CryptoKey)
      return json(res, 200, {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: idToken,
        scope: 'openid profile email',
      })
    }
    const bearer = req.headers.authorization?.match(/^(?:Bearer|token)\s+(\S+)$/i)?.[1]
    const person = bearer ? accessTokens.get(bearer) : undefined
    if (route === 'GET /oidc/userinfo') {
      if (!person?.sub)
        return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' })
      return json(res, 200, { sub: person.sub, email: person.email, email_verified: true, name: person.name })
    }

    // ── GitHub REST API ───────────────────────────────────────────────────────────────────────────
    if (url.pathname.startsWith('/github/api/')) {
      const github = {
        'x-github-media-type': 'github.v3; format=json',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
      }
      if (!person?.githubLogin)
        return json(
          res,
          401,
          { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
          github,
        )
      const path = url.pathname.slice('/github/api'.length)
      const notFound = () =>
        json(
          res,
          404,
          { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
          github,
        )
      if (req.method === 'GET' && path === '/user') {
        return json(
          res,
          200,
          {
            login: person.githubLogin,
            id: person.githubId,
            node_id: `U_${person.githubId}`,
            avatar_url: `https://avatars.githubusercontent.com/u/${person.githubId}?v=4`,
            type: 'User',
            name: person.name,
            email: null,
          },
          github,
        )
      }
      if (req.method === 'GET' && path === '/user/emails')
        return json(res, 200, [{ email: person.email, primary: true, verified: true, visibility: 'private' }], github)
      const org = path.match(/^\/user\/memberships\/orgs\/([^/]+)$/)?.[1]
      if (req.method === 'GET' && org) {
        if (!person.orgs?.includes(decodeURIComponent(org))) return notFound()
        return json(
          res,
          200,
          {
            url: `${base}/github/api/orgs/${org}/memberships/${person.githubLogin}`,
            state: 'active',
            role: 'member',
            organization: { login: org },
            user: { login: person.githubLogin },
          },
          github,
        )
      }
      const team = path.match(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/)
      if (req.method === 'GET' && team) {
        const [, teamOrg, slug, login] = team
        if (login !== person.githubLogin || !person.teams?.includes(`${teamOrg}/${slug}`)) return notFound()
        return json(res, 200, { url: `${base}/github/api${path}`, role: 'member', state: 'active' }, github)
      }
      return notFound()
    }
    json(res, 404, { error: 'not_found', path: url.pathname })
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('the fake identity provider has no address')
  base = `http://127.0.0.1:${address.port}`
  return {
    url: base,
    issuer: `${base}/oidc`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
