CREATE TABLE `plugin_installations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`plugin_id` text NOT NULL,
	`version` text NOT NULL,
	`manifest` text NOT NULL,
	`digest` text NOT NULL,
	`signature` text NOT NULL,
	`package_key` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`encrypted_credentials` text,
	`hook_id` text NOT NULL,
	`installed_by` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plugin_installations_plugin` ON `plugin_installations` (`tenant_id`,`plugin_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `plugin_installations_hook` ON `plugin_installations` (`hook_id`);--> statement-breakpoint
CREATE TABLE `plugin_storage` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`plugin_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plugin_storage_key` ON `plugin_storage` (`tenant_id`,`plugin_id`,`key`);--> statement-breakpoint
CREATE TABLE `plugin_trusted_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`key_id` text NOT NULL,
	`public_key` text NOT NULL,
	`name` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plugin_trusted_keys_key` ON `plugin_trusted_keys` (`tenant_id`,`key_id`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `allow_unsigned_plugins` integer DEFAULT false NOT NULL;