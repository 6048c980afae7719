// The fake identity provider as a process, for the end-to-end web servers: node --import tsx tests/fakes/identity-server.ts --port 3190
import { e2e, identityClients, identityPeople } from '@/tests/helpers/e2e-env'
import { startFakeIdentity } from './identity'

const portFlag = process.argv.indexOf('--port')
const port = portFlag >= 0 ? Number(process.argv[portFlag + 1]) : e2e.identityPort
const identity = await startFakeIdentity({
  people: identityPeople,
  oidcClient: identityClients.oidc,
  githubClient: identityClients.github,
  port,
})
console.log(`fake identity provider at ${identity.url} (OIDC issuer ${identity.issuer})`)
const stop = () => void identity.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
