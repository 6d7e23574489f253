CREATE TABLE `app_annotation_hit_histories` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`app_id` text NOT NULL,
	`annotation_id` text NOT NULL,
	`source` text NOT NULL,
	`question` text NOT NULL,
	`score` real NOT NULL,
	`message_id` text NOT NULL,
	`account_id` text,
	`end_user_id` text,
	`annotation_question` text NOT NULL,
	`annotation_content` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`annotation_id`) REFERENCES `app_annotations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `app_annotation_hit_histories_annotation` ON `app_annotation_hit_histories` (`annotation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `app_annotation_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`app_id` text NOT NULL,
	`action` text NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `app_annotation_jobs_app` ON `app_annotation_jobs` (`tenant_id`,`app_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `app_annotation_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`app_id` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`score_threshold` real DEFAULT 0.9 NOT NULL,
	`embedding_provider_name` text NOT NULL,
	`embedding_model_name` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `app_annotation_settings_app` ON `app_annotation_settings` (`app_id`);--> statement-breakpoint
CREATE TABLE `app_annotations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`app_id` text NOT NULL,
	`question` text NOT NULL,
	`content` text NOT NULL,
	`hit_count` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `app_annotations_app` ON `app_annotations` (`tenant_id`,`app_id`,`created_at`);