-- Up Migration
-- The case library (案例库, handbook ch. 9 第七条 and ch. 12): calls or spans of them kept for
-- training. Each case holds its own copy of the masked transcript and findings, so it outlives the
-- report's retention (maintenance drops report partitions, never cases).
CREATE TABLE cases (
  case_id text PRIMARY KEY,
  call_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('positive', 'negative', 'hard')),
  category text NOT NULL,
  note text NOT NULL,
  team_id text NOT NULL,
  agent_id text NOT NULL,
  rules text[] NOT NULL,
  from_seq integer,
  to_seq integer,
  key_seqs integer[] NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  call_started_at timestamptz NOT NULL,
  -- Masked transcript, findings and score at marking time (JSON).
  snapshot jsonb NOT NULL
);
CREATE INDEX cases_category ON cases (category, created_at DESC);
CREATE INDEX cases_team ON cases (team_id, created_at DESC);
CREATE INDEX cases_rules ON cases USING gin (rules);

-- Down Migration
DROP TABLE cases;
