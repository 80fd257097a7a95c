CREATE TABLE `triggers` (
	`name` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`definition` text NOT NULL,
	`secret` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `triggers_template_id` ON `triggers` (`template_id`);--> statement-breakpoint
CREATE TABLE `trigger_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`trigger_name` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text NOT NULL,
	`execution_id` text,
	`detail` text,
	`key` text,
	`idempotency_key` text,
	`bytes` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `trigger_deliveries_trigger_received` ON `trigger_deliveries` (`trigger_name`,`received_at`,`id`);
