-- demo/tour.sql — a walk through ezz on the sample province.  Run by demo/run.
\pset footer off
\set VERBOSITY default
SET search_path = public, ezz;

\echo
\echo '=== ezz: the electronic licence library 电子证照库 ==='
CREATE EXTENSION ezz;
SELECT extname, extversion FROM pg_extension WHERE extname = 'ezz';

\echo
\echo '--- Loading the sample province (浙江省) and the 2025-2026 holiday calendar ...'
\i sample/calendar.sql
\i sample/province.sql

\echo
\echo '--- Regions 行政区划: one province, its cities and counties'
SELECT level, count(*) AS regions, string_agg(name, ' ' ORDER BY code) FILTER (WHERE level <> 'county') AS names
FROM ezz.region GROUP BY level ORDER BY min(code);

\echo
\echo '--- Departments 部门 by kind (management 管理, authority 行业主管, issuer 签发, user 使用)'
SELECT k AS kind, count(*) AS departments, (array_agg(d.name ORDER BY d.uscc))[1:3] AS for_example
FROM ezz.department d, unnest(d.kinds) k WHERE d.active GROUP BY k ORDER BY k;
\echo 'A department merged away in 机构改革, and its successor:'
SELECT d.name AS inactive, d.uscc, s.name AS successor FROM ezz.department d JOIN ezz.department s ON s.uscc = d.successor;

\echo
\echo '--- The licence catalogue 证照目录 (a few of its types)'
SELECT t.code AS type_code, t.name, t.disclosure, jsonb_array_length(t.field_schema) AS fields,
       coalesce(t.default_validity::text, '长期') AS validity
FROM ezz.licence_type t ORDER BY t.code LIMIT 8;
\echo 'The face 照面 of 营业执照 (business licence):'
SELECT f->>'name' AS field, f->>'label' AS label, f->>'type' AS type,
       coalesce((f->>'required')::boolean, false) AS required, coalesce((f->>'sensitive')::boolean, false) AS sensitive,
       coalesce((f->>'public')::boolean, false) AS public
FROM ezz.licence_type t, jsonb_array_elements(t.field_schema) f WHERE t.name = '营业执照';

\echo
\echo '--- Licence identifiers 电子证照标识 (GB/T 36904), checked in C'
SELECT i AS identifier, ezz.ident_type_code(i) AS type_code, ezz.ident_issuer(i) AS issuer,
       ezz.ident_serial(i) AS serial, ezz.ident_version(i) AS version, ezz.ident_check(i) AS check
FROM (SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident AS i) s;
\echo 'One mistyped character (2025052201 -> 2025052207) is caught by the ISO 7064 check character:'
\set ON_ERROR_STOP off
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052207.002.0'::ezz.licence_ident;
\set ON_ERROR_STOP on
\echo 'Stored as 45 bytes instead of 72 (no root, no dots, no check character, 6 bits a character):'
SELECT pg_column_size('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident) AS stored_bytes;

\echo
\echo '--- Identity numbers 身份号码 and masking 脱敏'
SELECT ezz.cn_id_valid('11010519491231002X') AS valid, ezz.cn_id_normalize('110105491231002') AS from_15_digits,
       ezz.mask('11010519491231002X', 'id') AS id, ezz.mask('欧阳娜娜', 'name') AS name,
       ezz.mask('13812345678', 'phone') AS phone, ezz.mask('浙江省杭州市西湖区文三路90号', 'address') AS address;

\echo
\echo '--- Working days 工作日 with the holiday calendar and make-up days 调休'
SELECT d AS submitted, ezz.add_working_days(d, 5) AS deadline_5_working_days,
       ezz.working_days_between(d, ezz.add_working_days(d, 5)) AS check_count
FROM (VALUES ('2025-01-24'::date), ('2025-09-26'), ('2026-02-13'), ('2026-06-15')) v(d);

\echo
\echo '--- Department logins: bound by the management department, resolved from the session'
CREATE ROLE demo_shi_jian LOGIN IN ROLE ezz_issuer;
SELECT 'bound' AS demo_shi_jian FROM ezz.bind_login('demo_shi_jian', (SELECT uscc FROM ezz.department WHERE name = '杭州市市场监督管理局'));
SET SESSION AUTHORIZATION demo_shi_jian;
SELECT session_user AS login, ezz.current_department() AS department;
\echo 'A department login cannot read the base tables:'
\set ON_ERROR_STOP off
SELECT count(*) FROM ezz.department;
\set ON_ERROR_STOP on
RESET SESSION AUTHORIZATION;
SELECT ezz.unbind_login('demo_shi_jian') AS unbound;
DROP ROLE demo_shi_jian;
\echo
\echo '=== end of the demo: the throw-away cluster is dropped now ==='
