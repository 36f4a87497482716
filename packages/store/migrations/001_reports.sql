-- Up Migration
-- Reports and KPI rollups, the store of record (packages/store/README.md explains each choice).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per counted call: inserting it is the "counted once" decision, so a score job run twice
-- finds it and changes nothing. Not partitioned: a unique callId cannot be enforced across
-- partitions. It also tells where the call's report lives (started_at picks the partition).
CREATE TABLE report_calls (
  call_id text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  counted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_calls_started_at ON report_calls (started_at);

-- The reports, in one partition per calendar month (UTC) of the call's start; retention drops
-- whole partitions. Columns beside `body` are what search filters on and lists.
CREATE TABLE reports (
  call_id text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  day date NOT NULL,
  agent_id text NOT NULL,
  team_id text NOT NULL,
  direction text NOT NULL,
  disposition text NOT NULL,
  score real NOT NULL,
  finding_count integer NOT NULL,
  rules text[] NOT NULL,
  greeted boolean NOT NULL,
  closed boolean NOT NULL,
  complaint_risk boolean NOT NULL,
  duration_ms integer NOT NULL,
  rulebook_id text NOT NULL,
  rulebook_version text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  findings jsonb NOT NULL,
  -- The masked transcript, one line per utterance, for phrase search.
  transcript text NOT NULL,
  -- The whole CallReport as the codec encodes it (brotli JSON, packages/store/src/codec.ts).
  body bytea NOT NULL,
  PRIMARY KEY (call_id, started_at)
) PARTITION BY RANGE (started_at);
CREATE INDEX reports_team_started ON reports (team_id, started_at DESC, call_id DESC);
CREATE INDEX reports_agent_started ON reports (agent_id, started_at DESC, call_id DESC);
CREATE INDEX reports_started ON reports (started_at DESC, call_id DESC);
CREATE INDEX reports_rules ON reports USING gin (rules);
CREATE INDEX reports_transcript_trgm ON reports USING gin (transcript gin_trgm_ops);

-- Creates the month partition holding `month_start` (any instant of it) unless it exists.
-- Safe when two processes race to create the same one.
CREATE FUNCTION callqa_ensure_report_partition(month_start timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  lower_bound timestamptz := date_trunc('month', month_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  upper_bound timestamptz := (date_trunc('month', month_start AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  name text := 'reports_p' || to_char(month_start AT TIME ZONE 'UTC', 'YYYYMM');
BEGIN
  IF to_regclass(name) IS NULL THEN
    BEGIN
      EXECUTE format('CREATE TABLE %I PARTITION OF reports FOR VALUES FROM (%L) TO (%L)', name, lower_bound, upper_bound);
    EXCEPTION WHEN duplicate_table OR invalid_object_definition THEN
      NULL; -- another process created it meanwhile
    END;
  END IF;
  RETURN name;
END $$;

-- Additive KPI counters (packages/kpi KpiRollup: a flat map of integer counters, absent = 0) of
-- one agent or team on one local day. jsonb, so a counter packages/kpi adds needs no migration.
CREATE TABLE kpi_rollups (
  scope text NOT NULL CHECK (scope IN ('agent', 'team')),
  id text NOT NULL,
  day date NOT NULL,
  counters jsonb NOT NULL,
  PRIMARY KEY (scope, id, day)
);

-- Field-wise sum of two counter maps; a counter that sums to 0 is dropped (absent = 0), so a
-- revision's delta (old contribution negative, new positive) leaves no zeros behind.
CREATE FUNCTION callqa_kpi_add(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
  FROM (
    SELECT key, sum(value::bigint) AS total
    FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS fields
    GROUP BY key
    HAVING sum(value::bigint) <> 0
  ) AS sums
$$;
CREATE AGGREGATE callqa_kpi_sum(jsonb) (SFUNC = callqa_kpi_add, STYPE = jsonb, INITCOND = '{}');

-- Agents with a counted call on a local day, per team: seat-days are counted from these rows when
-- read (no counter to race on).
CREATE TABLE kpi_seat_days (
  team_id text NOT NULL,
  day date NOT NULL,
  agent_id text NOT NULL,
  PRIMARY KEY (team_id, day, agent_id)
);
CREATE INDEX kpi_seat_days_agent ON kpi_seat_days (agent_id, day);

-- The team of each agent's latest counted call (scope checks on agent KPIs and searches).
CREATE TABLE agent_teams (
  agent_id text PRIMARY KEY,
  team_id text NOT NULL,
  started_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE agent_teams;
DROP TABLE kpi_seat_days;
DROP AGGREGATE callqa_kpi_sum(jsonb);
DROP FUNCTION callqa_kpi_add(jsonb, jsonb);
DROP TABLE kpi_rollups;
DROP FUNCTION callqa_ensure_report_partition(timestamptz);
DROP TABLE reports;
DROP TABLE report_calls;
