CREATE TABLE `logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`execution_id` text NOT NULL,
	`seq` integer NOT NULL,
	`step_id` text NOT NULL,
	`item` integer,
	`attempt` integer NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `logs_execution_seq` ON `logs` (`execution_id`,`seq`);--> statement-breakpoint
CREATE INDEX `logs_at` ON `logs` (`at`);--> statement-breakpoint
CREATE INDEX `executions_ended_at` ON `executions` (`ended_at`);--> statement-breakpoint
CREATE INDEX `usage_created_at` ON `usage` (`created_at`);
