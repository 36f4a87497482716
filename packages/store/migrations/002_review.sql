-- Up Migration
-- Review (复核), appeals (申诉) and the case library (案例库), packages/review. The review state
-- itself travels in the report body; these rows mirror it, written in the revision's transaction,
-- for what is queried across calls (precision per rule, appeal queues, history).

-- One row per reviewed finding (engine or added by hand); pending findings have none.
CREATE TABLE finding_reviews (
  call_id text NOT NULL,
  finding_id text NOT NULL,
  origin text NOT NULL CHECK (origin IN ('engine', 'manual')),
  rule text NOT NULL,
  phrase text,
  status text NOT NULL CHECK (status IN ('confirmed', 'dismissed')),
  reason text,
  team_id text NOT NULL,
  agent_id text NOT NULL,
  started_at timestamptz NOT NULL,
  reviewed_by text NOT NULL,
  reviewed_at timestamptz NOT NULL,
  PRIMARY KEY (call_id, finding_id)
);
CREATE INDEX finding_reviews_started ON finding_reviews (started_at);

-- Every change of a review, appended (who, when, what, why, score before and after).
CREATE TABLE review_events (
  id bigserial PRIMARY KEY,
  call_id text NOT NULL,
  report_version integer NOT NULL,
  finding_id text NOT NULL,
  rule text NOT NULL,
  action text NOT NULL,
  reason text,
  note text,
  actor text NOT NULL,
  actor_role text NOT NULL,
  at timestamptz NOT NULL,
  score_before real NOT NULL,
  score_after real NOT NULL,
  team_id text NOT NULL,
  agent_id text NOT NULL
);
CREATE INDEX review_events_call ON review_events (call_id, id);

CREATE TABLE appeals (
  appeal_id text PRIMARY KEY,
  call_id text NOT NULL,
  finding_id text NOT NULL,
  rule text NOT NULL,
  team_id text NOT NULL,
  agent_id text NOT NULL,
  routed_to text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'upheld', 'overturned')),
  reason text NOT NULL,
  filed_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by text,
  reply text
);
CREATE INDEX appeals_queue ON appeals (status, routed_to, team_id, due_at);
CREATE INDEX appeals_agent ON appeals (agent_id, filed_at DESC);

-- Down Migration
DROP TABLE appeals;
DROP TABLE review_events;
DROP TABLE finding_reviews;
