CREATE TABLE `tool_providers` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`icon` text,
	`schema` text,
	`server_url` text,
	`app_id` text,
	`config` text DEFAULT '{}' NOT NULL,
	`encrypted_credentials` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tool_providers_name` ON `tool_providers` (`tenant_id`,`type`,`name`);--> statement-breakpoint
CREATE INDEX `tool_providers_app` ON `tool_providers` (`tenant_id`,`app_id`);