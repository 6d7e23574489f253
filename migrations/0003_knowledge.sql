CREATE TABLE `dataset_metadata_fields` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`dataset_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dataset_metadata_fields_name` ON `dataset_metadata_fields` (`dataset_id`,`name`);--> statement-breakpoint
CREATE TABLE `tag_bindings` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`tag_id` text NOT NULL,
	`target_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tag_bindings_pair` ON `tag_bindings` (`tag_id`,`target_id`);--> statement-breakpoint
CREATE INDEX `tag_bindings_target` ON `tag_bindings` (`target_id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`type` text DEFAULT 'knowledge' NOT NULL,
	`name` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tags_tenant` ON `tags` (`tenant_id`,`type`);--> statement-breakpoint
ALTER TABLE `datasets` ADD `built_in_field_enabled` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `indexed_hash` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `processing_started_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `completed_at` integer;--> statement-breakpoint
CREATE INDEX `segments_parent` ON `segments` (`parent_id`);--> statement-breakpoint
-- Full-text index over segments and child chunks (FTS5, porter stemming, bm25 ranking). Written by
-- hand: drizzle-kit does not model virtual tables. Rows are kept in step with `segments` by the
-- ingestion consumer and the segment routes.
CREATE VIRTUAL TABLE `segments_fts` USING fts5(`content`, `segment_id` UNINDEXED, `dataset_id` UNINDEXED, `tenant_id` UNINDEXED, tokenize = 'porter unicode61');
