-- Up Migration
-- Day rollups `callqa migrate-reports` has copied from a Redis report store: a rollup is added once
-- however often the (resumable) migration runs.
CREATE TABLE redis_import_rollups (
  scope text NOT NULL,
  id text NOT NULL,
  day date NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, id, day)
);

-- Down Migration
DROP TABLE redis_import_rollups;
