-- ledger: the canonical row encoding, the audit trigger, the append-only
-- guards, sealing, ezz.audit_verify / audit_digest / audit_proof, and who may
-- call them.  (Tampering by a superuser, crashes and the access log: test/t/007_ledger.pl.)
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
BEGIN;
SET search_path = public, ezz;
SELECT plan(116);

CREATE ROLE tap_admin LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_admin_unbound LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_consumer LOGIN IN ROLE ezz_consumer;
CREATE ROLE tap_auditor LOGIN IN ROLE ezz_auditor;
SELECT ezz.bind_login('tap_admin', '11330000MB1946A028');
SELECT ezz.bind_login('tap_consumer', (SELECT uscc FROM ezz.department WHERE 'user' = ANY (kinds) AND active LIMIT 1));

------------------------------------------------------------------------------
-- canonical encoding: one text whatever the session's settings
------------------------------------------------------------------------------
CREATE TEMP TABLE tap_row (
	id bigint PRIMARY KEY, big bigint, f float8, n numeric, b bool, t text, d date, ts timestamp, tz timestamptz,
	iv interval, by bytea, j jsonb, a int[], rel regclass, nul text);
INSERT INTO tap_row VALUES (1, 9007199254740993, 0.1, 12.50, true, E'汉字 "q" \\ \n', '2025-06-01',
	'2025-06-01 08:30:00.5', '2025-06-01 08:30:00+08', '1 year 2 mons 3 days 04:05:06.5', '\x00ff',
	'{"b": 1, "a": [1.0, "x"]}', '{1,2,3}', 'ezz.licence', NULL);
SELECT is(ezz._canonical_row(r),
	'{"a":[1,2,3],"b":true,"big":"9007199254740993","by":"00ff","d":"2025-06-01","f":0.1,"id":1,"iv":"P1Y2M3DT4H5M6.5S","j":{"a":[1,"x"],"b":1},"n":"12.50","nul":null,"rel":"ezz.licence","t":"汉字 \"q\" \\ \n","ts":"2025-06-01T08:30:00.5","tz":"2025-06-01T00:30:00Z"}',
	'the canonical row: members sorted, timestamps in UTC, big integers and numerics as strings, bytea as hex')
FROM tap_row r;
CREATE TEMP TABLE tap_canon AS SELECT ezz._canonical_row(r) AS c FROM tap_row r;
SET LOCAL TimeZone = 'America/New_York';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL IntervalStyle = 'sql_standard';
SET LOCAL extra_float_digits = -3;
SET LOCAL bytea_output = 'escape';
SET LOCAL search_path = pg_catalog;
CREATE TEMP TABLE tap_canon2 AS SELECT ezz._canonical_row(r) AS c FROM pg_temp.tap_row r;
RESET TimeZone; RESET DateStyle; RESET IntervalStyle; RESET extra_float_digits; RESET bytea_output;
SET LOCAL search_path = public, ezz;
SELECT is((SELECT c FROM tap_canon2), (SELECT c FROM tap_canon),
	'TimeZone, DateStyle, IntervalStyle, extra_float_digits, bytea_output and search_path change nothing');

SELECT is(ezz._row_hash('sm3', r), 'sm3:' || encode(ezz.sm3(convert_to(ezz._canonical_row(r), 'UTF8')), 'hex'),
	'the row hash is SM3 of the canonical row') FROM tap_row r;
SELECT is(ezz._row_hash('sha256', r), 'sha256:' || encode(sha256(convert_to(ezz._canonical_row(r), 'UTF8')), 'hex'),
	'or SHA-256') FROM tap_row r;
SELECT is(ezz._leaf_hash('sm3', r), ezz.sm3('\x00'::bytea || convert_to(ezz._canonical_row(r), 'UTF8')),
	'a leaf is H(0x00 || canonical row) (RFC 6962)') FROM tap_row r;
SELECT is(ezz._row_key(r), '{"id":1}', 'a row is named by its primary key') FROM tap_row r;
SELECT throws_ok($$SELECT ezz._row_hash('md5', r) FROM tap_row r$$, '22023', 'unknown ledger hash algorithm "md5"',
	'an unknown hash algorithm is refused');

------------------------------------------------------------------------------
-- Merkle trees against RFC 6962 written out in SQL with SHA-256
------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.mth(leaves bytea[]) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	n integer := cardinality(leaves);
	k integer := 1;
BEGIN
	IF n = 1 THEN RETURN leaves[1]; END IF;
	WHILE k * 2 < n LOOP k := k * 2; END LOOP;
	RETURN sha256('\x01'::bytea || pg_temp.mth(leaves[1:k]) || pg_temp.mth(leaves[k + 1:n]));
END
$$;
CREATE FUNCTION pg_temp.cat(leaves bytea[]) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT string_agg(l, ''::bytea ORDER BY o) FROM unnest(leaves) WITH ORDINALITY u(l, o)
$$;
CREATE TEMP TABLE tap_tree AS
SELECT n, array_agg(sha256('\x00'::bytea || int4send(i)) ORDER BY i) AS leaves
FROM generate_series(1, 13) n, generate_series(1, n) i GROUP BY n;
SELECT is((SELECT count(*) FROM tap_tree
		   WHERE ezz._merkle_root('sha256', pg_temp.cat(leaves)) IS DISTINCT FROM pg_temp.mth(leaves)), 0::bigint,
	'the Merkle root of 1 to 13 leaves is RFC 6962''s MTH');
SELECT is((SELECT count(*) FROM tap_tree t, generate_series(0, t.n - 1) i
		   WHERE ezz._merkle_path_root('sha256', t.leaves[i + 1], i, t.n,
				 ezz._merkle_path('sha256', pg_temp.cat(t.leaves), i))
				 IS DISTINCT FROM pg_temp.mth(t.leaves)), 0::bigint,
	'every inclusion path of every leaf leads to the root');
SELECT is(ezz._merkle_path_root('sha256', (SELECT leaves[2] FROM tap_tree WHERE n = 5), 1, 5,
		  ezz._merkle_path('sha256', (SELECT pg_temp.cat(leaves) FROM tap_tree WHERE n = 5), 0)) =
		  (SELECT pg_temp.mth(leaves) FROM tap_tree WHERE n = 5), false,
	'another leaf''s path does not lead to the root');
SELECT throws_ok($$SELECT ezz._merkle_root('sm3', '\x0102')$$, '22023', NULL, 'leaves must be whole digests');
-- the verifier's sums of keyed terms: 256-bit arithmetic, modulo 2^256
SELECT is(ezz._sum256(x), decode(repeat('00', 31) || '01', 'hex'), 'terms add up, carrying across bytes and wrapping at 2^256')
FROM (VALUES (decode(repeat('ff', 32), 'hex')), (decode(repeat('00', 31) || '02', 'hex')), (NULL)) v(x);
SELECT throws_ok($$SELECT ezz._sum256_add('\x01', '\x02')$$, '22023', NULL, 'only 32-byte terms are added');
SELECT throws_ok($$SELECT ezz._block_term('\x00', '{[1,2)}', sha256('\x01'))$$, '22023', NULL, 'a verification key is at least 16 bytes');
SELECT throws_ok($$SELECT ezz._block_term(sha256('k'), '{[1,3)}', sha256('\x01'))$$, 'XX001', NULL,
	'a block with more ids than leaves is corrupt');
SELECT is(ezz._change_term(sha256('k'), 'a.b', 'x', 'x'), decode(repeat('00', 32), 'hex'), 'a change to the same row adds nothing');
SELECT throws_ok($$SELECT ezz._change_term(NULL, 'a.b', NULL, 'x')$$, '22004', NULL, 'a change''s term needs a key');
SELECT isnt(ezz._verification_key(), ezz._verification_key(), 'each run draws its own 32-byte key');

------------------------------------------------------------------------------
-- the audit trigger
------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM ezz.table_policy p WHERE p.class IN ('reference', 'data')
		   AND NOT EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = p.relation AND t.tgname = 'zz_audit' AND t.tgenabled = 'A')),
	0::bigint, 'every reference and data table has the audit trigger, ENABLE ALWAYS');
SELECT is((SELECT count(*) FROM pg_trigger t WHERE t.tgname IN ('guard_append_only', 'guard_no_truncate') AND t.tgenabled = 'A'
		   AND t.tgrelid IN ('ezz.audit_entry'::regclass, 'ezz.ledger_block'::regclass, 'ezz.access_partition_drop'::regclass)),
	6::bigint, 'the ledger''s guards are ENABLE ALWAYS');

SET SESSION AUTHORIZATION tap_admin;
INSERT INTO ezz.service_item (code, name, department) VALUES ('TAP-LEDGER-1', '账本测试事项', '11330000MB1946A028');
UPDATE ezz.service_item SET name = '账本测试事项（改）' WHERE code = 'TAP-LEDGER-1';
DELETE FROM ezz.service_item WHERE code = 'TAP-LEDGER-1';
RESET SESSION AUTHORIZATION;
CREATE TEMP TABLE tap_e AS SELECT * FROM ezz.audit_entry WHERE relation = 'ezz.service_item' AND row_key = '{"code":"TAP-LEDGER-1"}' ORDER BY id;
SELECT is((SELECT array_agg(op ORDER BY id) FROM tap_e), ARRAY['INSERT', 'UPDATE', 'DELETE'], 'insert, update and delete are each one entry, in order');
SELECT is((SELECT array_agg(DISTINCT actor || ' ' || department) FROM tap_e), ARRAY['tap_admin 11330000MB1946A028'],
	'each names the login and its department');
SELECT is((SELECT count(*) FROM tap_e WHERE xid = pg_current_xact_id()), 3::bigint, 'and the writing transaction');
SELECT ok((SELECT old_row IS NULL AND new_row::jsonb ->> 'name' = '账本测试事项' FROM tap_e WHERE op = 'INSERT'), 'an insert has the new row');
SELECT is((SELECT row_hash FROM tap_e WHERE op = 'INSERT'), NULL, 'and no row hash of its own: the writer of an INSERT hashes nothing');
SELECT is((SELECT l.row_hash FROM ezz.audit_log l JOIN tap_e e USING (id) WHERE e.op = 'INSERT'),
	(SELECT 'sm3:' || encode(ezz.sm3(convert_to(new_row, 'UTF8')), 'hex') FROM tap_e WHERE op = 'INSERT'),
	'ezz.audit_log shows the SM3 of its image');
SELECT ok((SELECT old_row::jsonb ->> 'name' = '账本测试事项' AND new_row::jsonb ->> 'name' = '账本测试事项（改）' FROM tap_e WHERE op = 'UPDATE'),
	'an update has the row before and after');
SELECT ok((SELECT new_row IS NULL AND row_hash = 'sm3:' || encode(ezz.sm3(convert_to(old_row, 'UTF8')), 'hex') FROM tap_e WHERE op = 'DELETE'),
	'a delete has the row before, and its hash');
TRUNCATE ezz.calendar_day;
SELECT is((SELECT op || coalesce(row_key, '-') FROM ezz.audit_entry WHERE relation = 'ezz.calendar_day' ORDER BY id DESC LIMIT 1),
	'TRUNCATE-', 'TRUNCATE is one entry for the table');
-- a statement inserting many rows: an entry per 1,000, a row of audit_log each
INSERT INTO ezz.service_item (code, name, department)
SELECT 'TAP-BULK-' || g, '批量事项', '11330000MB1946A028' FROM generate_series(1, 2500) g;
CREATE TEMP TABLE tap_bulk AS SELECT * FROM ezz.audit_entry WHERE relation = 'ezz.service_item' AND op = 'INSERT'
	AND row_key LIKE '{"code":"TAP-BULK-%' ORDER BY id;
SELECT is((SELECT ARRAY[sum(n), count(*) FILTER (WHERE id < last AND (b < 65532 OR n >= 1000))]
		   FROM (SELECT id, array_length(string_to_array(row_key, E'\n'), 1) AS n, octet_length(new_row) AS b,
						max(id) OVER () AS last FROM tap_bulk) x), ARRAY[2500, 0]::bigint[],
	'a statement inserting 2,500 rows writes them as entries of 64 kB of images each (fewer than 1,000 rows), but the last');
SELECT ok((SELECT bool_and(array_length(string_to_array(new_row, E'\n'), 1) = array_length(string_to_array(row_key, E'\n'), 1)
		   AND old_row IS NULL AND row_hash IS NULL) FROM tap_bulk), 'an image per key, one to a line; no row hash of their own');
SELECT is((SELECT split_part(row_key, E'\n', 7) || split_part(new_row, E'\n', 7) FROM tap_bulk ORDER BY id LIMIT 1),
	(SELECT ezz._row_key(s) || ezz._canonical_row(s) FROM ezz.service_item s WHERE code = 'TAP-BULK-7'),
	'line n of an entry is the n-th row the statement inserted, keyed and encoded as a row entry is');
SELECT is((SELECT count(*) FROM ezz.audit_log WHERE relation = 'ezz.service_item' AND op = 'INSERT'
		   AND row_key LIKE '{"code":"TAP-BULK-%'), 2500::bigint, 'ezz.audit_log shows the 2,500 rows');
SELECT is((SELECT row_hash FROM ezz.audit_log WHERE row_key = '{"code":"TAP-BULK-7"}'),
	(SELECT ezz._row_hash('sm3', s) FROM ezz.service_item s WHERE code = 'TAP-BULK-7'),
	'and each with the SM3 row hash of its image');
-- one statement deletes a row and inserts it again: the entries say so, in that order
WITH d AS (DELETE FROM ezz.service_item WHERE code = 'TAP-BULK-7' RETURNING *)
INSERT INTO ezz.service_item SELECT * FROM d;
SELECT is((SELECT array_agg(op ORDER BY id) FROM ezz.audit_log WHERE row_key = '{"code":"TAP-BULK-7"}'),
	ARRAY['INSERT', 'DELETE', 'INSERT'], 'a key deleted and inserted again by one statement: DELETE, then INSERT');
-- an audited table keeps its name and columns; dropped, its history closes
CREATE SCHEMA tap_s;
CREATE TABLE tap_s.tap_named (id int PRIMARY KEY, v text);
SELECT ezz.audit_table('tap_s.tap_named');
INSERT INTO tap_s.tap_named VALUES (1, 'a'), (2, 'b');
SELECT throws_ok($$ALTER TABLE tap_s.tap_named RENAME TO tap_renamed$$, '55000',
	'audited table tap_s.tap_named cannot be renamed or moved', 'an audited table cannot be renamed');
SELECT throws_ok($$ALTER TABLE tap_s.tap_named SET SCHEMA public$$, '55000', NULL, 'nor moved to another schema');
SELECT throws_ok($$ALTER SCHEMA tap_s RENAME TO tap_s2$$, '55000', NULL, 'nor its schema renamed');
SELECT throws_ok($$ALTER TABLE tap_s.tap_named ADD COLUMN w int DEFAULT 5$$, '55000',
	'audited table tap_s.tap_named cannot be given other columns', 'nor given other columns');
SELECT throws_ok($$ALTER TABLE tap_s.tap_named ALTER COLUMN v TYPE varchar(9)$$, '55000', NULL, 'or other types');
SELECT lives_ok($$ALTER TABLE tap_s.tap_named ALTER COLUMN v SET STATISTICS 200$$, 'what leaves name and columns alone is allowed');
-- the session user's name is what it is when the row changes
CREATE ROLE tap_actor_a;
GRANT USAGE ON SCHEMA tap_s TO tap_actor_a;
GRANT INSERT ON tap_s.tap_named TO tap_actor_a;
SET SESSION AUTHORIZATION tap_actor_a;
INSERT INTO tap_s.tap_named VALUES (3, 'c');
RESET SESSION AUTHORIZATION;
ALTER ROLE tap_actor_a RENAME TO tap_actor_b;
SET SESSION AUTHORIZATION tap_actor_b;
INSERT INTO tap_s.tap_named VALUES (4, 'd');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(actor ORDER BY id) FROM ezz.audit_log WHERE relation = 'tap_s.tap_named' AND op = 'INSERT'),
	ARRAY[session_user::text, session_user, 'tap_actor_a', 'tap_actor_b'], 'entries name the login as it is named when the row changes');
SET client_min_messages = warning;
DROP SCHEMA tap_s CASCADE;
RESET client_min_messages;
SELECT is((SELECT op || ' ' || actor || ' ' || coalesce(row_key, '-') FROM ezz.audit_entry WHERE relation = 'tap_s.tap_named' ORDER BY id DESC LIMIT 1),
	'DROP ' || session_user || ' -', 'dropping an audited table writes one DROP entry');
SELECT is((SELECT count(*) FROM ezz.audited_table WHERE name = 'tap_s.tap_named'), 0::bigint, 'and it is no longer under audit');
SET LOCAL ezz.ledger_hash = 'sha256';
UPDATE ezz.region SET objection_days = objection_days WHERE code = '330100';
SELECT ok((SELECT row_hash LIKE 'sha256:%' FROM ezz.audit_entry ORDER BY id DESC LIMIT 1), 'ezz.ledger_hash = sha256 hashes with SHA-256');
RESET ezz.ledger_hash;

------------------------------------------------------------------------------
-- append-only, for every role
------------------------------------------------------------------------------
SELECT throws_ok($$UPDATE ezz.audit_entry SET actor = 'x' WHERE id = (SELECT min(id) FROM ezz.audit_entry)$$, '42501',
	'UPDATE on ezz.audit_entry is refused: the ledger is append-only', 'UPDATE on the ledger is refused, even to a superuser');
SELECT throws_ok($$DELETE FROM ezz.audit_entry WHERE id = (SELECT min(id) FROM ezz.audit_entry)$$, '42501', NULL, 'DELETE too');
SELECT throws_ok($$TRUNCATE ezz.audit_entry$$, '42501', NULL, 'TRUNCATE too');
SET LOCAL session_replication_role = replica;
SELECT throws_ok($$DELETE FROM ezz.audit_entry WHERE id = (SELECT min(id) FROM ezz.audit_entry)$$, '42501', NULL,
	'and with session_replication_role = replica');
RESET session_replication_role;
SELECT throws_ok($$UPDATE ezz.ledger_seal_state SET floor = 1$$, '42501', NULL, 'no department role may touch the sealer''s state')
FROM (SELECT set_config('role', 'tap_admin', true)) x;
RESET ROLE;

------------------------------------------------------------------------------
-- ezz.audit_table
------------------------------------------------------------------------------
CREATE TEMP TABLE tap_nopk (a int);
CREATE TEMP VIEW tap_view AS SELECT 1 AS a;
SELECT throws_ok($$SELECT ezz.audit_table(NULL)$$, '22004', NULL, 'audit_table(NULL) is refused');
SELECT throws_ok($$SELECT ezz.audit_table('tap_view')$$, '42809', NULL, 'a view cannot be audited');
SELECT throws_ok($$SELECT ezz.audit_table('tap_nopk')$$, '55000', NULL, 'a table without a primary key cannot be audited');
SELECT throws_ok($$SELECT ezz.audit_table('ezz.audit_entry')$$, '22023', NULL, 'nor the ledger itself');
SELECT lives_ok($$SELECT ezz.audit_table('ezz.licence')$$, 'audit_table on an audited table changes nothing');
SELECT throws_ok($$SELECT ezz.audit_table('tap_row')$$, '42501', NULL, 'audit_table is not for department roles')
FROM (SELECT set_config('role', 'tap_admin', true)) x;
RESET ROLE;

------------------------------------------------------------------------------
-- sealing and verifying
------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM ezz.ledger_block), 0::bigint, 'nothing is sealed yet');
SELECT throws_ok($$SELECT ezz.audit_digest()$$, '55000', 'ezz.audit_digest: nothing is sealed yet',
	'no digest before anything is sealed');
SELECT ezz.create_key('11330000MB1946A028');
SELECT cmp_ok(ezz._seal_all(), '>', 0, 'with a management key the sealer seals');
SELECT is((v).intact, true, 'and the ledger verifies') FROM (SELECT ezz.audit_verify() AS v) x;
SELECT is((v).pending, 0::bigint, 'with nothing pending') FROM (SELECT ezz.audit_verify() AS v) x;
SELECT is((SELECT count(*) FROM ezz.ledger_block WHERE ledger = 'audit' AND document ->> 'key' <> (ezz._ledger_key()).fingerprint), 0::bigint,
	'blocks are signed with the management key');
SELECT ezz.audit_digest() AS digest \gset
SET LOCAL ezz.ledger_hash = 'sha256';
UPDATE ezz.region SET objection_days = objection_days WHERE code = '330200';
SELECT cmp_ok(ezz._seal('audit'), '=', 1, 'a later block');
RESET ezz.ledger_hash;
SELECT is((SELECT hash_alg FROM ezz.ledger_block WHERE ledger = 'audit' ORDER BY block_no DESC LIMIT 1), 'sha256', 'hashed as ezz.ledger_hash says');
SELECT is((ezz.audit_verify(:'digest')).intact, true, 'the ledger extends the digest taken before it');
SELECT is((ezz.audit_verify(jsonb_set(:'digest', '{audit,document,entries}', '1'))).problem, 'digest signature bad',
	'a digest whose document was changed is not genuine');
SELECT throws_ok($$SELECT ezz.audit_verify(NULL::jsonb)$$, '22004', NULL, 'audit_verify(NULL) is refused');
SELECT throws_ok($$SELECT ezz.audit_verify('{}'::jsonb)$$, '22023', NULL, 'an empty digest is refused');
SELECT throws_ok($$SELECT ezz.audit_verify('{"audit": {"block": "x"}}'::jsonb)$$, '22023', NULL, 'a malformed digest is refused');

-- a proof, checked here as anyone outside would
CREATE TEMP TABLE tap_proof AS SELECT ezz.audit_proof((SELECT min(id) FROM tap_e)) AS p;
SELECT is((SELECT ezz.sm3('\x00'::bytea || convert_to(p ->> 'canonical', 'UTF8')) = decode(p ->> 'leaf', 'hex') FROM tap_proof), true,
	'the proof''s leaf is the hash of its canonical entry');
SELECT is((SELECT ezz._merkle_path_root(p ->> 'hash', decode(p ->> 'leaf', 'hex'), (p ->> 'index')::bigint, (p ->> 'size')::bigint,
		   ARRAY(SELECT decode(x, 'hex') FROM jsonb_array_elements_text(p -> 'path') x)) FROM tap_proof),
	(SELECT decode(p -> 'document' ->> 'merkle_root', 'hex') FROM tap_proof), 'its path leads to the signed Merkle root');
SELECT is((SELECT ezz.sm3(convert_to(p ->> 'signed', 'UTF8')) = decode(p ->> 'block_hash', 'hex') FROM tap_proof), true,
	'the block hash is the hash of the signed header');
SELECT throws_ok($$SELECT ezz.audit_proof(NULL)$$, '22004', NULL, 'audit_proof(NULL) is refused');
SELECT throws_ok($$SELECT ezz.audit_proof(1, 'other')$$, '22023', NULL, 'audit_proof of an unknown ledger is refused');
UPDATE ezz.region SET objection_days = objection_days WHERE code = '330100';
SELECT throws_ok(format('SELECT ezz.audit_proof(%s)', (SELECT max(id) FROM ezz.audit_entry)), 'P0002', NULL,
	'an entry not yet sealed has no proof');

-- the two sums ezz._verify_tables compares (under a fixed key here)
CREATE FUNCTION pg_temp.ledger_sum(rel regclass) RETURNS bytea LANGUAGE sql AS $$
	SELECT ezz._sum256(ezz._change_term(sha256('k'), e.relation, e.old_row, e.new_row))
	FROM ezz._live_entry e WHERE e.relation = ezz._relation_name(rel)
$$;
CREATE FUNCTION pg_temp.table_sum(rel regclass) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE r bytea;
BEGIN
	EXECUTE format('SELECT ezz._sum256(ezz._row_term(%L, %L, x)) FROM %s x', sha256('k'), ezz._relation_name(rel), rel) INTO r;
	RETURN r;
END $$;
SELECT is(pg_temp.ledger_sum('ezz.region'), pg_temp.table_sum('ezz.region'), 'the fast comparison finds a table as its ledger says');
SELECT is((SELECT ezz._block_term(sha256('k'), b.ids, b.leaves) FROM ezz.ledger_block b WHERE b.ledger = 'audit' AND b.block_no = 1),
	(SELECT ezz._sum256(ezz._leaf_term(sha256('k'), e.id, b.hash_alg, e)) FROM ezz.ledger_block b, ezz.audit_entry e
	 WHERE b.ledger = 'audit' AND b.block_no = 1 AND e.id <@ b.ids),
	'a block''s sum of terms is its entries'' hashed again');
-- a change made where the audit trigger does not see it is named
SET LOCAL session_replication_role = replica;
UPDATE ezz.region SET name = name || '（未审计）' WHERE code = '330200';
RESET session_replication_role;
SELECT isnt(pg_temp.ledger_sum('ezz.region'), pg_temp.table_sum('ezz.region'), 'the fast comparison sees the difference');
SELECT is(ARRAY[(v).problem, (v).relation], ARRAY['row altered out of band', 'ezz.region'],
	'a row changed while the trigger was skipped (restore mode) is named by audit_verify') FROM (SELECT ezz.audit_verify() AS v) x;
UPDATE ezz.region SET name = replace(name, '（未审计）', '') WHERE code = '330200';
SELECT is((ezz.audit_verify()).intact, true, 'an audited change back makes the table and its ledger agree again');
SELECT isnt(pg_temp.ledger_sum('ezz.region'), pg_temp.table_sum('ezz.region'),
	'a history with an out-of-band gap no longer adds up (the exact query decides, and finds the rows as their latest entries say)');
-- rows deleted or inserted where the trigger does not see them
CREATE TEMP TABLE tap_fast (id int PRIMARY KEY, v text);
SELECT ezz.audit_table('tap_fast');
INSERT INTO tap_fast VALUES (1, 'a'), (2, 'b');
DELETE FROM tap_fast WHERE id = 2;
SELECT is(pg_temp.ledger_sum('tap_fast'), pg_temp.table_sum('tap_fast'), 'a table as its ledger says, a deleted row included');
SET LOCAL session_replication_role = replica;
DELETE FROM tap_fast WHERE id = 1;
RESET session_replication_role;
SELECT isnt(pg_temp.ledger_sum('tap_fast'), pg_temp.table_sum('tap_fast'), 'a row deleted out of band is seen');
SELECT is((ezz.audit_verify()).problem, 'row deleted out of band', 'and named');
SET LOCAL session_replication_role = replica;
INSERT INTO tap_fast VALUES (1, 'a'), (2, 'b');
RESET session_replication_role;
SELECT isnt(pg_temp.ledger_sum('tap_fast'), pg_temp.table_sum('tap_fast'), 'a row inserted out of band (over a recorded DELETE) is seen');
SELECT is((ezz.audit_verify()).problem, 'row inserted out of band', 'and named');
SET LOCAL session_replication_role = replica;
DELETE FROM tap_fast WHERE id = 2;
RESET session_replication_role;
SELECT is((ezz.audit_verify()).intact, true, 'put back as the ledger says, the table verifies');
-- a row of an entry of several rows, changed out of band: named, with that entry
INSERT INTO tap_fast SELECT g, 'chunk' FROM generate_series(10, 1200) g;
SELECT is(ARRAY(SELECT array_length(string_to_array(row_key, E'\n'), 1) FROM ezz.audit_entry
				WHERE relation LIKE '%.tap_fast' AND (row_key LIKE '{"id":10}%' OR row_key LIKE '{"id":1010}%') ORDER BY id),
	ARRAY[1000, 191], 'small rows: 1,000 to an entry');
SELECT is(pg_temp.ledger_sum('tap_fast'), pg_temp.table_sum('tap_fast'), 'rows inserted a thousand to an entry add up line by line');
SET LOCAL session_replication_role = replica;
UPDATE tap_fast SET v = 'forged' WHERE id = 1100;
RESET session_replication_role;
SELECT is(ARRAY[(v).problem, (v).entry_id::text, split_part((v).detail, ' ', 2)],
	ARRAY['row altered out of band', (SELECT id::text FROM ezz.audit_entry WHERE relation LIKE '%.tap_fast' AND position('{"id":1100}' IN row_key) > 0), '{"id":1100}:'],
	'a row of a several-row entry altered out of band is named, with its key and the entry that holds it') FROM (SELECT ezz.audit_verify() AS v) x;
SET LOCAL session_replication_role = replica;
UPDATE tap_fast SET v = 'chunk' WHERE id = 1100;
DELETE FROM tap_fast WHERE id = 11;
RESET session_replication_role;
SELECT is(ARRAY[(v).problem, (v).entry_id::text], ARRAY['row deleted out of band', (SELECT id::text FROM ezz.audit_entry WHERE relation LIKE '%.tap_fast' AND op = 'INSERT' AND position('{"id":11}' IN row_key) > 0)],
	'and one deleted out of band') FROM (SELECT ezz.audit_verify() AS v) x;
SET LOCAL session_replication_role = replica;
INSERT INTO tap_fast VALUES (11, 'chunk');
RESET session_replication_role;
SELECT is((ezz.audit_verify()).intact, true, 'put back, it verifies');
-- one statement inserting into a table twice, and an upsert: each row once, in order
WITH a AS (INSERT INTO tap_fast VALUES (2001, 'cte') RETURNING 1)
INSERT INTO tap_fast SELECT 2002, 'cte' FROM a;
INSERT INTO tap_fast VALUES (2002, 'upsert'), (2003, 'upsert') ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v;
SELECT is(ARRAY(SELECT op || ' ' || row_key || ' ' || (new_row::jsonb ->> 'v') FROM ezz.audit_log
				WHERE relation LIKE '%.tap_fast' AND row_key IN ('{"id":2001}', '{"id":2002}', '{"id":2003}') ORDER BY id, row_key),
	ARRAY['INSERT {"id":2001} cte', 'INSERT {"id":2002} cte', 'UPDATE {"id":2002} upsert', 'INSERT {"id":2003} upsert'],
	'two inserts into one table by one statement are recorded once each; an upsert''s update before its inserts');
SELECT is((ezz.audit_verify()).intact, true, 'and the table verifies');
-- an audited table renamed, given other columns or dropped with the event triggers off
ALTER EVENT TRIGGER ezz_audited_ddl DISABLE;
ALTER TABLE tap_fast ADD COLUMN w int;
SELECT is((ezz.audit_verify()).problem, 'audited table layout changed', 'columns added behind the event trigger''s back are named');
ALTER TABLE tap_fast DROP COLUMN w;
ALTER TABLE tap_fast RENAME TO tap_fast_2;
SELECT is((ezz.audit_verify()).problem, 'audited table renamed', 'so is a rename');
ALTER TABLE tap_fast_2 RENAME TO tap_fast;
SELECT is((ezz.audit_verify()).intact, true, 'the column dropped again and the old name back, the ledger verifies');
ALTER EVENT TRIGGER ezz_audited_ddl ENABLE ALWAYS;
-- the audit triggers' states: the apply trigger fires in replica sessions (or always), the rest always
SELECT is(ARRAY(SELECT tgname || ' ' || tgenabled::text FROM pg_trigger WHERE tgrelid = 'tap_fast'::regclass AND tgname LIKE 'zz_audit%' ORDER BY 1),
	ARRAY['zz_audit A', 'zz_audit_apply R', 'zz_audit_insert A', 'zz_audit_truncate A'],
	'an audited table''s triggers: ENABLE ALWAYS, and the apply trigger ENABLE REPLICA');
ALTER TABLE tap_fast ENABLE TRIGGER zz_audit_apply;
SELECT is((SELECT (v).problem || ': ' || (v).detail FROM (SELECT ezz.audit_verify() AS v) x),
	'audit trigger off: the audit trigger zz_audit_apply of tap_fast is not ENABLE REPLICA (nor ALWAYS)',
	'the apply trigger set to fire on origin only (so not in replication apply) is named');
ALTER TABLE tap_fast ENABLE ALWAYS TRIGGER zz_audit_apply;
SELECT is((ezz.audit_verify()).intact, true, 'ENABLE ALWAYS, it still fires in apply: intact');
ALTER TABLE tap_fast ENABLE REPLICA TRIGGER zz_audit_insert;
SELECT is((SELECT (v).problem || ': ' || (v).detail FROM (SELECT ezz.audit_verify() AS v) x),
	'audit trigger off: the audit trigger zz_audit_insert of tap_fast is not ENABLE ALWAYS',
	'the statement trigger not ENABLE ALWAYS is named');
ALTER TABLE tap_fast ENABLE ALWAYS TRIGGER zz_audit_insert;
ALTER TABLE tap_fast ENABLE REPLICA TRIGGER zz_audit_apply;
SELECT throws_ok($$SELECT ezz._trigger_always('tap_fast', 'tap_odd', 'AFTER INSERT ON $table FOR EACH ROW EXECUTE FUNCTION ezz._audit()', 'ORIGIN')$$,
	'22023', 'ezz._trigger_always: fires is ALWAYS or REPLICA, not ORIGIN', 'a trigger state other than ALWAYS or REPLICA is refused');
SELECT throws_ok($$SELECT ezz._trigger_always('tap_fast', 'tap_odd', 'AFTER INSERT ON $table FOR EACH ROW EXECUTE FUNCTION ezz._audit()', NULL)$$,
	'22023', 'ezz._trigger_always: fires is ALWAYS or REPLICA, not NULL', 'and so is NULL');
SAVEPOINT dropped;
ALTER EVENT TRIGGER ezz_audited_drop DISABLE;
DROP TABLE tap_fast;
SELECT (ezz.audit_verify()).problem AS dropped_problem \gset
ROLLBACK TO SAVEPOINT dropped;
SELECT is(:'dropped_problem'::text, 'audited table dropped out of band', 'and a table dropped with no DROP entry');

------------------------------------------------------------------------------
-- an access record's fields are checked before it is queued
------------------------------------------------------------------------------
SELECT throws_ok($$SELECT ezz._access_record(NULL, NULL, NULL, NULL, NULL, NULL, true, NULL)$$, '22004',
	'the action and allowed of an access record must not be null', 'an access record needs an action');
SELECT throws_ok($$SELECT ezz._access_record('verify', NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$, '22004',
	'the action and allowed of an access record must not be null', 'and whether it was allowed');
SELECT throws_ok($$SELECT ezz._access_record('verify', NULL, NULL, NULL, repeat('x', 2001), NULL, true, NULL)$$, '22001',
	'purpose is too long for an access record', 'a field over 2,000 bytes is refused');
SELECT throws_ok($$SELECT ezz._access_record('Verify now', NULL, NULL, NULL, NULL, NULL, true, NULL)$$, '22023',
	'access record action "Verify now" is not a word', 'an action that is not a word is refused');
SELECT throws_ok($$SELECT ezz._access_record('verify', NULL, '11330000MB1946A02X', NULL, NULL, NULL, true, NULL)$$, '22P02',
	NULL, 'a department that is not a USCC is refused');
SELECT throws_ok($$SELECT ezz._access_record('verify', 'not-a-licence', NULL, NULL, NULL, NULL, true, NULL)$$, '22P02',
	NULL, 'a licence that is not an identifier is refused');

------------------------------------------------------------------------------
-- who may
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_consumer;
SELECT throws_ok($$SELECT ezz.audit_verify()$$, '42501', NULL, 'a using department may not verify the ledger');
SELECT throws_ok($$SELECT * FROM ezz.audit_entry$$, '42501', NULL, 'nor read the ledger''s table');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_admin_unbound;
SELECT throws_ok($$SELECT ezz.audit_verify()$$, '55000', NULL, 'an unbound login may not');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_auditor;
SELECT is((ezz.audit_verify()).intact, true, 'an auditor verifies the ledger');
SELECT cmp_ok((SELECT count(*) FROM ezz.audit_log), '>', 0::bigint, 'and reads it through ezz.audit_log');
SELECT is((SELECT array_agg(item ORDER BY item) FROM ezz.health),
	ARRAY['access_queue_depth', 'calendar_end', 'keys_near_expiry', 'ledger_key', 'oldest_unsealed_entry', 'seal_lag', 'worker_state'],
	'ezz.health reports the queue, the worker, sealing, keys and the calendar');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
