-- Up Migration
-- Masked transcripts leave `reports` for a table of their own, one partition per UTC day, so the
-- text index is off the write path (packages/store/BENCH.md: the trigram GIN index on whole
-- transcripts was most of PostgreSQL's cost a call). The parent has no text index: `maintain()`
-- builds one on each closed day's partition, once (`<partition>_bigrams`); the current day's
-- calls are scanned. Phrase search: packages/store/README.md, "Phrase search".

-- The character bigrams of a text as int8 (code point of the first character << 21 | the
-- second's; 21 bits hold any code point, so the mapping is one-to-one). A GIN index over them
-- answers every phrase of two characters or more (`callqa_bigrams(transcript) @> callqa_bigrams(phrase)`,
-- then LIKE for the order of the characters); pg_trgm has no trigram for a two-character phrase.
-- (GIN keeps each key of a row once.) COST: the planner must never evaluate it per row of a scan (about 0.4 ms a transcript).
CREATE FUNCTION callqa_bigrams(t text) RETURNS int8[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
  SELECT ARRAY(SELECT (ascii(a)::int8 << 21) | ascii(b) FROM unnest(c[1:cardinality(c) - 1], c[2:cardinality(c)]) AS u(a, b))
  FROM (SELECT string_to_array(t, NULL) AS c) AS chars
$$;

CREATE TABLE report_transcripts (
  started_at timestamptz NOT NULL,
  call_id text NOT NULL,
  -- The masked transcript, one line per utterance.
  transcript text NOT NULL,
  -- B-tree only: the join from a report (and a walk in time order); cheap to write.
  PRIMARY KEY (started_at, call_id)
) PARTITION BY RANGE (started_at);

-- Creates the UTC-day partition holding `day_start` (any instant of it) unless it exists. Safe
-- when two processes race to create the same one.
CREATE FUNCTION callqa_ensure_transcript_partition(day_start timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  lower_bound timestamptz := date_trunc('day', day_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  upper_bound timestamptz := (date_trunc('day', day_start AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC';
  name text := 'report_transcripts_p' || to_char(day_start AT TIME ZONE 'UTC', 'YYYYMMDD');
BEGIN
  IF to_regclass(name) IS NULL THEN
    BEGIN
      EXECUTE format('CREATE TABLE %I PARTITION OF report_transcripts FOR VALUES FROM (%L) TO (%L)', name, lower_bound, upper_bound);
    EXCEPTION WHEN duplicate_table OR invalid_object_definition THEN
      NULL; -- another process created it meanwhile
    END;
  END IF;
  RETURN name;
END $$;

-- Existing transcripts move over (their days' indexes are built by the next maintain()).
SELECT callqa_ensure_transcript_partition(d) FROM (SELECT DISTINCT date_trunc('day', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS d FROM reports) AS days;
INSERT INTO report_transcripts (started_at, call_id, transcript) SELECT started_at, call_id, transcript FROM reports;
DROP INDEX reports_transcript_trgm;
ALTER TABLE reports DROP COLUMN transcript;

-- Down Migration
ALTER TABLE reports ADD COLUMN transcript text NOT NULL DEFAULT '';
UPDATE reports r SET transcript = t.transcript FROM report_transcripts t WHERE t.started_at = r.started_at AND t.call_id = r.call_id;
ALTER TABLE reports ALTER COLUMN transcript DROP DEFAULT;
CREATE INDEX reports_transcript_trgm ON reports USING gin (transcript gin_trgm_ops);
DROP TABLE report_transcripts;
DROP FUNCTION callqa_ensure_transcript_partition(timestamptz);
DROP FUNCTION callqa_bigrams(text);
