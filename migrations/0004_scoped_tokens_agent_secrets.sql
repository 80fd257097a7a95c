-- Scoped, expiring API tokens; the rows made from the API_TOKEN secret are marked so that replacing the
-- secret can revoke them. HTTP agents get a signing secret. Idempotency keys are scoped per caller, so the
-- same key may now name executions of different callers: the index that forbade it becomes a plain one.
ALTER TABLE `api_tokens` ADD `scope` text DEFAULT 'admin' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `created_by` text;--> statement-breakpoint
UPDATE `api_tokens` SET `created_by` = 'system:bootstrap' WHERE `name` = 'default';--> statement-breakpoint
ALTER TABLE `agents` ADD `signing_secret` text;--> statement-breakpoint
DROP INDEX IF EXISTS `executions_template_idempotency_key`;--> statement-breakpoint
CREATE INDEX `executions_template_idempotency_key` ON `executions` (`template_id`,`idempotency_key`);
