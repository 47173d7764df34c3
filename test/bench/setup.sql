-- test/bench/setup.sql — the benchmark's world, loaded after the sample
-- province: an issuer login (password from -v pw), the baseline tables
-- (copies of ezz's with the same indexes but no checks, foreign keys,
-- triggers or signing) and a template of the rows one issue writes.
\set ON_ERROR_STOP on
CREATE ROLE bench_issuer LOGIN PASSWORD :'pw' IN ROLE ezz_issuer;
SELECT ezz.bind_login('bench_issuer', '11330105MB1B28400H');
-- (the benchmark measures throughput, not the rate limit: ezz.verify counts
-- against the department's calls a minute)
INSERT INTO ezz.use_limit (department, calls_per_minute, note) VALUES ('11330105MB1B28400H', 1000000, 'benchmark');
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO bench_issuer;

-- baseline tables: same columns and indexes, nothing else
CREATE TABLE bench.holder (LIKE ezz.holder INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.service_case (LIKE ezz.service_case INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.licence (LIKE ezz.licence INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.licence_holder (LIKE ezz.licence_holder INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.status_history (LIKE ezz.status_history INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.case_licence (LIKE ezz.case_licence INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE SEQUENCE bench.serial_seq;
-- unique blind indexes and case numbers for the baseline rows
CREATE SEQUENCE bench.unique_seq;
-- the row an access record will be (SPEC §2), for the verify baseline
CREATE TABLE bench.access (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), login text NOT NULL,
	department text, licence ezz.licence_ident, action text NOT NULL, service_item text, purpose text,
	grant_id bigint, outcome text NOT NULL);

-- what one issue of a 食品经营许可证 carries
CREATE TABLE bench.template AS
SELECT t.face_sample AS face, t.code AS type_code
FROM ezz.licence_type t WHERE t.code = '11330000002481602G002';
GRANT SELECT ON bench.template TO bench_issuer;
GRANT ALL ON ALL TABLES IN SCHEMA bench TO bench_issuer;
GRANT ALL ON ALL SEQUENCES IN SCHEMA bench TO bench_issuer;
