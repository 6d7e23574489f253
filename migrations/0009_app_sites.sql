CREATE TABLE `app_sites` (
	`app_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`code` text NOT NULL,
	`title` text,
	`description` text,
	`chat_color_theme` text,
	`chat_color_theme_inverted` integer DEFAULT false NOT NULL,
	`copyright` text,
	`privacy_policy` text,
	`custom_disclaimer` text DEFAULT '' NOT NULL,
	`default_language` text DEFAULT 'en-US' NOT NULL,
	`show_workflow_steps` integer DEFAULT true NOT NULL,
	`use_icon_as_answer_icon` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `app_sites_code` ON `app_sites` (`code`);