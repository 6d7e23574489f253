CREATE TABLE `dsl_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`account_id` text NOT NULL,
	`app_id` text,
	`storage_key` text NOT NULL,
	`imported_version` text NOT NULL,
	`overrides` text DEFAULT '{}' NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dsl_imports_tenant` ON `dsl_imports` (`tenant_id`,`expires_at`);