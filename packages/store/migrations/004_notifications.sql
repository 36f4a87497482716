-- Up Migration
-- Console notifications (issue 12, item 6; packages/review/src/notifications.ts): an agent's new
-- deductions and appeal outcomes, a manager's appeals waiting. Rows are written in the transaction
-- of the change they announce (score job, review, appeal) with a deterministic id, so a retried
-- job or request never announces twice; they are then pushed live over Redis to every gateway.
CREATE TABLE notifications (
  notification_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('deduction', 'appeal_filed', 'appeal_decided')),
  -- Who it is for: the agent of agent_id, the 外呼管理员 of team_id, or every 投诉管理员.
  audience text NOT NULL CHECK (audience IN ('agent', 'outbound_manager', 'complaint_manager')),
  agent_id text NOT NULL,
  team_id text NOT NULL,
  call_id text NOT NULL,
  appeal_id text,
  created_at timestamptz NOT NULL,
  -- An appeal_filed one stops waiting once the appeal is decided (by any manager).
  resolved_at timestamptz,
  -- The message as the console shows it (JSON).
  body jsonb NOT NULL
);
CREATE INDEX notifications_agent ON notifications (agent_id, created_at DESC) WHERE audience = 'agent';
CREATE INDEX notifications_team ON notifications (audience, team_id, created_at DESC) WHERE audience <> 'agent';
CREATE INDEX notifications_appeal ON notifications (appeal_id) WHERE appeal_id IS NOT NULL;
CREATE INDEX notifications_created ON notifications (created_at);

-- Read marks per console user (two managers of one team each read their own).
CREATE TABLE notification_reads (
  notification_id text NOT NULL REFERENCES notifications (notification_id) ON DELETE CASCADE,
  username text NOT NULL,
  read_at timestamptz NOT NULL,
  PRIMARY KEY (notification_id, username)
);
CREATE INDEX notification_reads_user ON notification_reads (username, notification_id);

-- Down Migration
DROP TABLE notification_reads;
DROP TABLE notifications;
