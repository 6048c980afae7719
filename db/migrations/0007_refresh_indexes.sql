CREATE INDEX "deployments_finished_idx" ON "deployments" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "pull_requests_merged_idx" ON "pull_requests" USING btree ("merged_at");