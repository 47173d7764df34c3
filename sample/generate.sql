-- sample/generate.sql — scale the sample province up for benchmarks.
--
-- Run after sample/calendar.sql and sample/province.sql, as a superuser:
--   psql -v departments=200 -v cases=1000000 -f sample/generate.sql
-- Variables (defaults in brackets):
--   departments  extra issuing/using departments, spread over the counties [100]
--   cases        service cases 办件, each with the licence types it produced or
--                needed, completed over 2025-2026 [100000]
-- Deterministic: values come from the row number through a multiplicative
-- hash, not from random(), so two runs with the same variables make the same
-- rows, and a second run adds nothing.  Later issues extend this file with
-- holders and licences.
\set ON_ERROR_STOP on
\if :{?departments}
\else
\set departments 100
\endif
\if :{?cases}
\else
\set cases 100000
\endif

BEGIN;
-- extra county departments: a market regulator (issuer and user) per county,
-- round robin, with codes whose GB 32100 check characters are computed
INSERT INTO ezz.department (uscc, name, region, kinds)
SELECT ezz.uscc_complete('11' || r.code || lpad(g::text, 9, '0')),
       r.name || '第' || g || '服务局', r.code, '{issuer,user}'
FROM generate_series(1, :departments) g
JOIN LATERAL (SELECT code, name FROM ezz.region WHERE level = 'county'
              ORDER BY code OFFSET (g - 1) % (SELECT count(*) FROM ezz.region WHERE level = 'county') LIMIT 1) r ON true
ON CONFLICT DO NOTHING;

-- service cases: department and item from the service item list, completion
-- spread over two years
CREATE TEMP TABLE gen_item AS
SELECT row_number() OVER (ORDER BY s.code) - 1 AS n, s.code, s.department
FROM ezz.service_item s JOIN ezz.department d ON d.uscc OPERATOR(ezz.=) s.department WHERE d.active;
CREATE TEMP TABLE gen_type AS
SELECT row_number() OVER (ORDER BY l.type_code, l.service_item) - 1 AS n, l.type_code, l.service_item
FROM ezz.type_service_item l;

INSERT INTO ezz.service_case (department, service_item, case_no, completed_at)
SELECT i.department, i.code, 'GEN-' || lpad(g::text, 10, '0'),
       timestamptz '2025-01-01 09:00+08' + ((g * 2654435761::bigint) % (730 * 86400)) * interval '1 second'
FROM generate_series(1, :cases) g
JOIN gen_item i ON i.n = (g * 40503::bigint) % (SELECT count(*) FROM gen_item)
ON CONFLICT DO NOTHING;

-- each case should have produced the types related to its item (whether it
-- did electronically is recorded once licences exist)
INSERT INTO ezz.case_licence (case_id, type_code, role, electronic)
SELECT c.id, t.type_code, 'produces', false
FROM ezz.service_case c JOIN ezz.type_service_item t ON t.service_item = c.service_item
WHERE c.case_no LIKE 'GEN-%'
ON CONFLICT DO NOTHING;
-- and needed one licence type of another item
INSERT INTO ezz.case_licence (case_id, type_code, role, electronic)
SELECT c.id, t.type_code, 'needs', false
FROM ezz.service_case c
JOIN gen_type t ON t.n = (c.id * 2246822519::bigint) % (SELECT count(*) FROM gen_type)
WHERE c.case_no LIKE 'GEN-%'
ON CONFLICT DO NOTHING;
COMMIT;
ANALYZE ezz.department, ezz.service_case, ezz.case_licence;
SELECT (SELECT count(*) FROM ezz.department) AS departments, (SELECT count(*) FROM ezz.service_case) AS cases,
       (SELECT count(*) FROM ezz.case_licence) AS case_licences;
