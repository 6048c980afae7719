ALTER TYPE "public"."milestone_kind" ADD VALUE 'catalog_launch' BEFORE 'other';--> statement-breakpoint
ALTER TYPE "public"."milestone_kind" ADD VALUE 'techdocs_launch' BEFORE 'other';--> statement-breakpoint
ALTER TYPE "public"."milestone_kind" ADD VALUE 'scaffolder_launch' BEFORE 'other';--> statement-breakpoint
CREATE TABLE "milestone_teams" (
	"milestone_id" bigint NOT NULL,
	"team_id" bigint NOT NULL,
	CONSTRAINT "milestone_teams_milestone_id_team_id_pk" PRIMARY KEY("milestone_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "initiatives" ADD COLUMN "primary_metrics" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "milestone_teams" ADD CONSTRAINT "milestone_teams_milestone_id_milestones_id_fk" FOREIGN KEY ("milestone_id") REFERENCES "public"."milestones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestone_teams" ADD CONSTRAINT "milestone_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;