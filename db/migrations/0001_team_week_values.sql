CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "engineers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "rework_deployments" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "lead_time_hours" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "recovery_minutes" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "coding_hours" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "pickup_hours" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "review_hours" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "deploy_hours" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "cycle_hours" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "restore_minutes" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "acknowledge_minutes" double precision[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" ADD COLUMN "portal_users" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" DROP COLUMN "restore_minutes_sum";--> statement-breakpoint
ALTER TABLE "rollups_team_weeks" DROP COLUMN "restored_incidents";