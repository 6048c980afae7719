import { guardPage } from '@/lib/auth/guard'
import { getAccess, TOKEN_SCOPES } from '@/lib/data/access'
import { formatTime } from '@/lib/format'
import { Section } from '@/app/_components/section'
import { changeRoleAction, createTokenAction, endSessionsAction, revokeTokenAction } from './actions'
import { ActionForm, TokenForm } from './forms'
import { FiltersIgnored } from '@/app/_components/page-filters'
import { filterQuery, type SearchParams } from '@/lib/data/page-filters'

export const metadata = { title: 'Access' }

export default async function AccessPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await guardPage('admin')
  const query = filterQuery(await searchParams)
  const { users, tokens } = await getAccess()
  return (
    <>
      <header className="page-header">
        <h1>Access</h1>
        <p>
          Who has signed in, and what they may do: viewers see the dashboards and the one-pager; admins also manage
          sources, imports, initiatives, ROI assumptions, people and tokens. Everyone starts as a viewer. Machines use
          API tokens, stored only as a hash.
        </p>
      </header>
      <FiltersIgnored query={query} why="people and tokens belong to no team." />
      <Section title="People" testId="access-users">
        {users.length === 0 ? (
          <p className="empty">
            {viewer.kind === 'user'
              ? 'No one else has signed in yet.'
              : 'No one has signed in: this server runs without sign-in.'}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Signs in with</th>
                  <th scope="col">Role</th>
                  <th scope="col">Last active</th>
                  <th scope="col">Sessions</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.id}>
                    <th scope="row">{user.name}</th>
                    <td>{user.email}</td>
                    <td>{user.providers.join(', ')}</td>
                    <td>
                      {user.role}{' '}
                      <ActionForm
                        action={changeRoleAction}
                        fields={{ userId: user.id, role: user.role === 'admin' ? 'viewer' : 'admin' }}
                        label={user.role === 'admin' ? 'Make viewer' : 'Make admin'}
                      />
                    </td>
                    <td>{user.lastActiveAt ? formatTime(new Date(user.lastActiveAt)) : 'never'}</td>
                    <td>
                      {user.activeSessions}{' '}
                      {user.activeSessions > 0 ? (
                        <ActionForm action={endSessionsAction} fields={{ userId: user.id }} label="End sessions" />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section
        title="API tokens"
        lede="For the portal-events forwarder (portal-events) and for npm run report where sign-in is on (report). A token is shown once, when made."
        testId="access-tokens"
      >
        {tokens.length === 0 ? (
          <p className="empty">No token yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">May</th>
                  <th scope="col">Made</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <th scope="row">{token.name}</th>
                    <td>{token.scopes.join(', ')}</td>
                    <td>{formatTime(new Date(token.createdAt))}</td>
                    <td>{token.lastUsedAt ? formatTime(new Date(token.lastUsedAt)) : 'never'}</td>
                    <td>
                      {token.revokedAt ? (
                        `revoked ${formatTime(new Date(token.revokedAt))}`
                      ) : (
                        <ActionForm action={revokeTokenAction} fields={{ id: String(token.id) }} label="Revoke" />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <TokenForm action={createTokenAction} scopes={TOKEN_SCOPES} />
      </Section>
    </>
  )
}
