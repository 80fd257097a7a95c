CREATE TABLE `agents` (
	`name` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`binding` text,
	`url` text,
	`version` text,
	`description` text,
	`input_schema` text,
	`output_schema` text,
	`pricing` text,
	`enabled` integer DEFAULT true NOT NULL,
	`status` text DEFAULT 'unknown' NOT NULL,
	`latency_ms` integer,
	`last_seen_at` integer,
	`last_checked_at` integer,
	`last_error` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`registered_at` integer NOT NULL,
	`deregistered_at` integer
);
--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `config` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `executions` (
	`id` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`template_version` integer NOT NULL,
	`status` text NOT NULL,
	`params` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`idempotency_key` text,
	`concurrency_key` text,
	`parent_execution_id` text,
	`error` text,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`steps_total` integer DEFAULT 0 NOT NULL,
	`steps_done` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `executions_created_at` ON `executions` (`created_at`);--> statement-breakpoint
CREATE INDEX `executions_status_created_at` ON `executions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `executions_template_created_at` ON `executions` (`template_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `executions_template_idempotency_key` ON `executions` (`template_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`ip` text,
	`user_agent` text
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `step_runs` (
	`execution_id` text NOT NULL,
	`step_id` text NOT NULL,
	`type` text NOT NULL,
	`agent` text,
	`status` text NOT NULL,
	`waiting_for` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`duration_ms` integer,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`error` text,
	PRIMARY KEY(`execution_id`, `step_id`)
);
--> statement-breakpoint
CREATE INDEX `step_runs_agent_ended_at` ON `step_runs` (`agent`,`ended_at`);--> statement-breakpoint
CREATE INDEX `step_runs_status` ON `step_runs` (`status`);--> statement-breakpoint
CREATE TABLE `template_versions` (
	`template_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	PRIMARY KEY(`template_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`latest_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE TABLE `usage` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`execution_id` text NOT NULL,
	`step_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`template_id` text NOT NULL,
	`agent` text NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`day` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_day` ON `usage` (`day`);--> statement-breakpoint
CREATE INDEX `usage_template_day` ON `usage` (`template_id`,`day`);--> statement-breakpoint
CREATE INDEX `usage_execution` ON `usage` (`execution_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);