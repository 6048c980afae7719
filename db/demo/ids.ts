// The running ids of the demo's delivery rows, shared by the generators that number them (delivery.ts for
// deployments and incidents, pull-requests.ts for pull requests) so that neither imports the other for it.
export interface IdCounters {
  pullRequest: number
  deployment: number
  incident: number
}
