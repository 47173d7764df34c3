-- lifecycle: the status machine (every pair of states, by direct UPDATE and
-- through ezz.transition), the named transitions and their bad inputs,
-- change 变更 / renewal 延续 / reissue 补发, status_at around each boundary,
-- expiry and ezz.maintain, annual inspection 年检, re-sealing by a successor
-- department, the national status codes and the status events.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
BEGIN;
SET search_path = public, ezz;
SET client_min_messages = warning;
SELECT plan(291);

-- logins: market regulation bureaus of 拱墅区, 上城区 and 钱塘区 (food
-- business licences), 杭州市市场监督管理局 (special equipment, with annual
-- inspection), management, a using department, an unbound issuer
CREATE ROLE tap_gongshu LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_shangcheng LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_qiantang LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_hzsj LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_admin LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_consumer LOGIN IN ROLE ezz_consumer;
CREATE ROLE tap_unbound LOGIN IN ROLE ezz_issuer;
SELECT ezz.bind_login('tap_gongshu', '11330105MB1B28400H') \g /dev/null
SELECT ezz.bind_login('tap_shangcheng', '11330102MB1B16733D') \g /dev/null
SELECT ezz.bind_login('tap_qiantang', '11330114MB1C3R513P') \g /dev/null
SELECT ezz.bind_login('tap_hzsj', '11330100002502717P') \g /dev/null
SELECT ezz.bind_login('tap_admin', '11330000MB1946A028') \g /dev/null
SELECT ezz.bind_login('tap_consumer', '12330100470112090C') \g /dev/null
SELECT ezz.create_key('11330105MB1B28400H'), ezz.create_key('11330102MB1B16733D', 'ed25519'),
       ezz.create_key('11330114MB1C3R513P'), ezz.create_key('11330100002502717P', 'ecdsa-p256') \g /dev/null

\set food '11330000002481602G002'
\set equipment '11330000002481602G004'
\set eatery '{"role": "持证人", "type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}'
\set factory '{"role": "使用单位", "type": "legal_person", "id_type": "001", "id": "92330105MA2K3LQ83G", "name": "杭州示例机械制造有限公司"}'
CREATE TEMP TABLE tap_sample AS SELECT code, face_sample AS face FROM ezz.licence_type;
CREATE TEMP TABLE tap_id (name text PRIMARY KEY, id ezz.licence_ident);
GRANT SELECT ON tap_sample TO PUBLIC;
GRANT ALL ON tap_id TO PUBLIC;

CREATE FUNCTION pg_temp.lic(n text) RETURNS ezz.licence_ident LANGUAGE sql AS $$ SELECT id FROM tap_id WHERE name = n $$;
-- issue a food business licence as the session's department
CREATE PROCEDURE pg_temp.food(name text, valid_from date DEFAULT '2025-06-01', valid_to date DEFAULT NULL)
	LANGUAGE sql AS $$
	INSERT INTO tap_id SELECT name, ezz.issue('11330000002481602G002',
		'{"role": "持证人", "type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
		face, valid_from, valid_to)
	FROM tap_sample WHERE code = '11330000002481602G002'
$$;
-- as if the licence had been issued at that time (every step of this test
-- happens at the one now() of its transaction)
CREATE PROCEDURE pg_temp.backdate(n text, at timestamptz) LANGUAGE sql AS $$
	UPDATE ezz.status_history SET at = backdate.at WHERE licence = pg_temp.lic(n) AND from_status IS NULL
$$;
CREATE FUNCTION pg_temp.history(n text) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(coalesce(from_status::text, '-') || '>' || to_status || ' ' || event, ', ' ORDER BY at, id)
	FROM ezz.status_history WHERE licence = pg_temp.lic(n)
$$;
CREATE FUNCTION pg_temp.counts() RETURNS text LANGUAGE sql AS $$
	SELECT format('licence %s history %s events %s seals %s inspections %s', (SELECT count(*) FROM ezz.licence),
		(SELECT count(*) FROM ezz.status_history), (SELECT count(*) FROM ezz.status_events),
		(SELECT count(*) FROM ezz.licence_seal), (SELECT count(*) FROM ezz.inspection))
$$;
GRANT EXECUTE ON ALL ROUTINES IN SCHEMA pg_temp TO PUBLIC;

------------------------------------------------------------------------------
-- the status machine
------------------------------------------------------------------------------

-- the edges the issue text names, written out here (not read from the code)
CREATE TEMP TABLE tap_edge (from_status ezz.licence_status, to_status ezz.licence_status);
INSERT INTO tap_edge VALUES
	('valid', 'suspended'), ('suspended', 'valid'), ('valid', 'pledged'), ('pledged', 'valid'),
	('valid', 'revoked'), ('valid', 'rescinded'), ('valid', 'cancelled'), ('valid', 'abolished'),
	('suspended', 'revoked'), ('suspended', 'rescinded'), ('suspended', 'cancelled'), ('suspended', 'abolished'),
	('pledged', 'revoked'), ('pledged', 'rescinded'), ('pledged', 'cancelled'), ('pledged', 'abolished'),
	('expired', 'cancelled'), ('expired', 'revoked'),
	('valid', 'superseded'), ('valid', 'expired');
SELECT set_eq('SELECT from_status, to_status FROM ezz.status_transitions', 'SELECT from_status, to_status FROM tap_edge',
              'ezz.status_transitions has exactly the edges of the issue: 挂起, 质押 and back, the four ends, 已变更, 过期, and 注销/吊销 after expiry');

-- Every (from, to) pair, by a direct UPDATE as a superuser, outside ezz's
-- functions.  Each attempt runs in a subtransaction that is rolled back, on
-- one licence that starts valid.
SET SESSION AUTHORIZATION tap_gongshu;
CALL pg_temp.food('matrix');
RESET SESSION AUTHORIZATION;

CREATE FUNCTION pg_temp.try_direct(lid ezz.licence_ident, f ezz.licence_status, t ezz.licence_status,
								   OUT outcome text, OUT recorded text) LANGUAGE plpgsql AS $$
DECLARE
	mark bigint := (SELECT max(id) FROM ezz.status_history);
BEGIN
	BEGIN
		IF f <> 'valid' THEN
			UPDATE ezz.licence SET status = f WHERE id = lid;
			mark := (SELECT max(id) FROM ezz.status_history);
		END IF;
		UPDATE ezz.licence SET status = t WHERE id = lid;
		outcome := 'ok';
		SELECT string_agg(from_status || '>' || to_status || ' ' || event || ' ' || actor, ', ' ORDER BY id) INTO recorded
		FROM ezz.status_history WHERE licence = lid AND id > mark;
		RAISE EXCEPTION 'undo' USING ERRCODE = 'EZZ99';
	EXCEPTION
		WHEN SQLSTATE 'EZZ99' THEN NULL;
		WHEN OTHERS THEN outcome := SQLSTATE || ' ' || SQLERRM;
	END;
END
$$;

SELECT ok(CASE
		WHEN f = t THEN r.outcome = 'ok' AND r.recorded IS NULL
		WHEN e.from_status IS NOT NULL THEN r.outcome = 'ok' AND r.recorded = format('%s>%s direct %s', f, t, current_user)
		ELSE r.outcome = format('55000 licence %s cannot go from %s to %s', pg_temp.lic('matrix'),
								ezz._status_words(f), ezz._status_words(t)) END,
		  format('direct UPDATE %s -> %s: %s', f, t, CASE WHEN f = t THEN 'no change, nothing recorded'
														  WHEN e.from_status IS NOT NULL THEN 'allowed, one history row'
														  ELSE 'refused, naming both states' END)
		  || CASE WHEN r.outcome <> 'ok' AND e.from_status IS NOT NULL OR r.outcome = 'ok' AND e.from_status IS NULL AND f <> t
				  THEN ' (got ' || r.outcome || ')' ELSE '' END)
FROM unnest(enum_range(NULL::ezz.licence_status)) WITH ORDINALITY a(f, fn)
CROSS JOIN unnest(enum_range(NULL::ezz.licence_status)) WITH ORDINALITY b(t, tn)
LEFT JOIN tap_edge e ON e.from_status = f AND e.to_status = t
CROSS JOIN LATERAL pg_temp.try_direct(pg_temp.lic('matrix'), f, t) r
ORDER BY fn, tn;

SELECT is((SELECT status::text FROM ezz.licence WHERE id = pg_temp.lic('matrix')), 'valid',
          'after the matrix the licence is as it was');

-- replication apply runs with session_replication_role = replica: the
-- triggers still refuse an illegal change (ENABLE ALWAYS).  Only inside a
-- logical apply worker is a legal change applied without a local history row
-- (the origin's arrives by replication: test/t/006_lifecycle.pl); a session
-- that sets replica mode itself is recorded like any other
SET SESSION AUTHORIZATION tap_gongshu;
CALL pg_temp.food('replica');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.counts() AS before \gset
SET session_replication_role = replica;
UPDATE ezz.licence SET status = 'revoked' WHERE id = pg_temp.lic('replica');
SELECT throws_ok(format('UPDATE ezz.licence SET status = %L WHERE id = %L', 'valid', pg_temp.lic('replica')), '55000',
                 format('licence %s cannot go from revoked 吊销 to valid 有效', pg_temp.lic('replica')),
                 'in replica mode an illegal change is still refused');
RESET session_replication_role;
SELECT is((SELECT string_agg(from_status || '>' || to_status || ' ' || event, ', ') FROM ezz.status_history
           WHERE licence = pg_temp.lic('replica') AND from_status IS NOT NULL), 'valid>revoked direct',
          'a session in replica mode cannot change a status unrecorded (only replication apply skips the history)');
SELECT is((SELECT status::text FROM ezz.licence WHERE id = pg_temp.lic('replica')), 'revoked', 'and the legal change is applied');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'ezz.licence'::regclass AND tgname LIKE 'licence_status_%' AND tgenabled = 'A'),
          2, 'both status triggers are ENABLE ALWAYS');

-- a note left by a call that failed in a subtransaction does not label a
-- later change
SET SESSION AUTHORIZATION tap_gongshu;
CALL pg_temp.food('stale');
RESET SESSION AUTHORIZATION;
DO $$
BEGIN
	BEGIN
		PERFORM ezz._status_note('stale note', NULL, NULL, 'transition');
		RAISE EXCEPTION 'the call fails';
	EXCEPTION WHEN OTHERS THEN NULL;
	END;
	UPDATE ezz.licence SET status = 'suspended' WHERE id = pg_temp.lic('stale');
END
$$;
SELECT is((SELECT event || ': ' || reason FROM ezz.status_history WHERE licence = pg_temp.lic('stale') ORDER BY id DESC LIMIT 1),
          format('direct: changed by a direct UPDATE of user %s, outside ezz''s functions', current_user),
          'a note from a failed subtransaction is forgotten: the direct UPDATE is recorded as such');

-- The same matrix through ezz.transition, as the issuing department: the
-- targets a function may name (superseded and expired come only from a new
-- version and from time).
CREATE FUNCTION pg_temp.try_transition(lid ezz.licence_ident, f ezz.licence_status, t ezz.licence_status,
									   OUT outcome text, OUT recorded text) LANGUAGE plpgsql AS $$
DECLARE
	mark bigint;
BEGIN
	BEGIN
		IF f <> 'valid' THEN
			UPDATE ezz.licence SET status = f WHERE id = lid;
		END IF;
		mark := (SELECT max(id) FROM ezz.status_history);
		SET LOCAL SESSION AUTHORIZATION tap_gongshu;
		outcome := 'ok ' || ezz.transition(lid, t, 'matrix test', '《行政许可法》第七十条');
		RESET SESSION AUTHORIZATION;
		SELECT string_agg(from_status || '>' || to_status || ' ' || event || ' ' || actor || ' ' || department || ' '
						  || reason || ' ' || basis, ', ' ORDER BY id) INTO recorded
		FROM ezz.status_history WHERE licence = lid AND id > mark;
		RAISE EXCEPTION 'undo' USING ERRCODE = 'EZZ99';
	EXCEPTION
		WHEN SQLSTATE 'EZZ99' THEN NULL;
		WHEN OTHERS THEN outcome := SQLSTATE || ' ' || SQLERRM;
	END;
END
$$;

SELECT ok(CASE
		WHEN f = t THEN r.outcome = format('55000 licence %s cannot go from %s to %s: it is %s already', pg_temp.lic('matrix'),
										   ezz._status_words(f), ezz._status_words(t), ezz._status_words(f))
		WHEN e.from_status IS NOT NULL THEN r.outcome = 'ok ' || t
			AND r.recorded = format('%s>%s transition tap_gongshu 11330105MB1B28400H matrix test 《行政许可法》第七十条', f, t)
		ELSE r.outcome = format('55000 licence %s cannot go from %s to %s', pg_temp.lic('matrix'),
								ezz._status_words(f), ezz._status_words(t)) END,
		  format('ezz.transition %s -> %s: %s', f, t, CASE WHEN f = t THEN 'refused, it is there already'
														   WHEN e.from_status IS NOT NULL THEN 'allowed, history with actor, department, reason, basis'
														   ELSE 'refused, naming both states' END)
		  || CASE WHEN (r.outcome LIKE 'ok%') <> (e.from_status IS NOT NULL) THEN ' (got ' || r.outcome || ')' ELSE '' END)
FROM unnest(enum_range(NULL::ezz.licence_status)) WITH ORDINALITY a(f, fn)
CROSS JOIN unnest(enum_range(NULL::ezz.licence_status)) WITH ORDINALITY b(t, tn)
LEFT JOIN tap_edge e ON e.from_status = f AND e.to_status = t
CROSS JOIN LATERAL pg_temp.try_transition(pg_temp.lic('matrix'), f, t) r
WHERE t NOT IN ('superseded', 'expired')
ORDER BY fn, tn;

------------------------------------------------------------------------------
-- the named transitions and their bad inputs
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_gongshu;
CALL pg_temp.food('named');
SELECT is(ezz.suspend(pg_temp.lic('named'), '  涉嫌违法经营，责令停业整顿  ', '《食品安全法》第一百二十二条'), 'suspended', 'ezz.suspend');
SELECT is(ezz.resume(pg_temp.lic('named'), '整改完成'), 'valid', 'ezz.resume');
SELECT is(ezz.pledge(pg_temp.lic('named'), '质押登记'), 'pledged', 'ezz.pledge');
SELECT throws_ok(format('SELECT ezz.resume(%L, %L)', pg_temp.lic('named'), 'x'), '55000',
                 'ezz.resume: licence ' || pg_temp.lic('named') || ' is pledged 质押, not suspended 挂起',
                 'resume of a pledged licence is refused: it is not suspended');
SELECT is(ezz.release_pledge(pg_temp.lic('named'), '解除质押'), 'valid', 'ezz.release_pledge');
SELECT throws_ok(format('SELECT ezz.release_pledge(%L, %L)', pg_temp.lic('named'), 'x'), '55000',
                 'ezz.release_pledge: licence ' || pg_temp.lic('named') || ' is valid 有效, not pledged 质押',
                 'release of a licence that is not pledged is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(format('%s>%s|%s|%s|%s|%s', from_status, to_status, reason, coalesce(basis, '-'), actor, department), '; ' ORDER BY id)
           FROM ezz.status_history WHERE licence = pg_temp.lic('named') AND from_status IS NOT NULL),
          'valid>suspended|涉嫌违法经营，责令停业整顿|《食品安全法》第一百二十二条|tap_gongshu|11330105MB1B28400H; '
          'suspended>valid|整改完成|-|tap_gongshu|11330105MB1B28400H; valid>pledged|质押登记|-|tap_gongshu|11330105MB1B28400H; '
          'pledged>valid|解除质押|-|tap_gongshu|11330105MB1B28400H',
          'each transition is in the history: time, actor, department, reason (trimmed), legal basis');

SELECT pg_temp.counts() AS before \gset
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok('SELECT ezz.suspend(NULL, ''x'')', '22004', NULL, 'a NULL id is refused');
SELECT throws_ok(format('SELECT ezz.suspend(%L, NULL)', pg_temp.lic('named')), '22004', 'ezz.suspend: a reason is required',
                 'a NULL reason is refused');
SELECT throws_ok(format('SELECT ezz.suspend(%L, %L)', pg_temp.lic('named'), '   '), '22023',
                 'ezz.suspend: the reason must have 1 to 500 characters', 'a blank reason is refused');
SELECT throws_ok(format('SELECT ezz.suspend(%L, %L)', pg_temp.lic('named'), repeat('理', 501)), '22023', NULL,
                 'a reason of 501 characters is refused');
SELECT throws_ok(format('SELECT ezz.suspend(%L, %L, %L)', pg_temp.lic('named'), 'x', ' '), '22023',
                 'ezz.suspend: the legal basis must have 1 to 2000 characters', 'a blank legal basis is refused');
SELECT throws_ok(format('SELECT ezz.transition(%L, NULL, %L)', pg_temp.lic('named'), 'x'), '22004', NULL,
                 'a NULL target status is refused');
SELECT throws_ok(format('SELECT ezz.transition(%L, %L, %L)', pg_temp.lic('named'), 'superseded', 'x'), '22023',
                 'ezz.transition: a licence is superseded only by its next version', 'superseded is not a target a function may name');
SELECT throws_ok(format('SELECT ezz.transition(%L, %L, %L)', pg_temp.lic('named'), 'expired', 'x'), '22023',
                 'ezz.transition: a licence expires when its last day ends', 'nor is expired');
SELECT throws_ok(format('SELECT ezz.transition(%L, %L, %L)', pg_temp.lic('named'), 'withdrawn', 'x'), '22P02', NULL,
                 'an unknown status is refused by its type');
SELECT throws_ok('SELECT ezz.suspend(''not-an-identifier'', ''x'')', '22P02', NULL, 'a malformed identifier is refused');
SELECT throws_ok(format('SELECT ezz.suspend(%L, %L)', ezz.ident_with_version(pg_temp.lic('named'), 7), 'x'), 'P0002',
                 format('licence %s does not exist', ezz.ident_with_version(pg_temp.lic('named'), 7)),
                 'a well-formed identifier of no licence: P0002');
SET SESSION AUTHORIZATION tap_qiantang;
SELECT throws_ok(format('SELECT ezz.revoke(%L, %L)', pg_temp.lic('named'), 'x'), '42501',
                 format('department 11330114MB1C3R513P may not change the status of licence %s', pg_temp.lic('named')),
                 'another issuer of the same type may not transition it');
SET SESSION AUTHORIZATION tap_consumer;
SELECT throws_ok(format('SELECT ezz.revoke(%L, %L)', pg_temp.lic('named'), 'x'), '42501', NULL,
                 'a using department may not (no EXECUTE)');
SET SESSION AUTHORIZATION tap_unbound;
SELECT throws_ok(format('SELECT ezz.revoke(%L, %L)', pg_temp.lic('named'), 'x'), '55000', 'login "tap_unbound" is not bound to a department',
                 'an unbound login may not');
SET SESSION AUTHORIZATION tap_admin;
SELECT throws_ok(format('SELECT ezz.suspend(%L, %L)', pg_temp.lic('named'), 'x'), '42501', NULL,
                 'management may not suspend another department''s licence');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.counts(), :'before', 'refused calls write nothing');

SET SESSION AUTHORIZATION tap_admin;
SELECT is(ezz.abolish(pg_temp.lic('named'), '发证依据废止', '浙政发〔2025〕1号'), 'abolished', 'management may abolish 废止 any licence');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT department || ' ' || paper_sync FROM ezz.status_history h JOIN ezz.licence l ON l.id = h.licence
           WHERE h.licence = pg_temp.lic('named') ORDER BY h.id DESC LIMIT 1), '11330000MB1946A028 abolished',
          'the history names the management department, and the paper licence is marked 同步废止');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.resume(%L, %L)', pg_temp.lic('named'), 'x'), '55000', NULL, 'an abolished licence stays abolished');

-- a licence past its last day but not yet recorded expired: expiry is
-- recorded first, dated at the end of valid_to in Asia/Shanghai, then the
-- cancellation 注销 (the usual step after expiry)
CALL pg_temp.food('lapsed', '2024-01-01', '2025-12-31');
RESET SESSION AUTHORIZATION;
CALL pg_temp.backdate('lapsed', '2024-01-01 10:00+08');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is(ezz.cancel(pg_temp.lic('lapsed'), '有效期届满注销'), 'cancelled', 'an expired licence can be cancelled 注销');
CALL pg_temp.food('lapsed2', '2024-01-01', '2025-12-31');
SELECT throws_ok(format('SELECT ezz.suspend(%L, %L)', pg_temp.lic('lapsed2'), 'x'), '55000',
                 format('licence %s cannot go from expired 过期 to suspended 挂起', pg_temp.lic('lapsed2')),
                 'a licence past its last day cannot be suspended, although maintenance has not yet recorded the expiry');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_gongshu;
CALL pg_temp.food('lapsed3', '2024-01-01', '2025-12-31');
RESET SESSION AUTHORIZATION;
UPDATE ezz.licence SET status = 'suspended' WHERE id = pg_temp.lic('lapsed3');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is(ezz.resume(pg_temp.lic('lapsed3'), '解除暂扣'), 'expired',
          'a suspended licence resumed after its last day says what it is now: expired');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.history('lapsed'), '->valid issue, valid>expired expiry, expired>cancelled transition',
          'the history has the expiry before the cancellation');
SELECT is((SELECT at FROM ezz.status_history WHERE licence = pg_temp.lic('lapsed') AND to_status = 'expired'),
          '2026-01-01 00:00:00+08'::timestamptz, 'the expiry is dated when valid_to ended in ezz.timezone');
SELECT is((SELECT status::text FROM ezz.licence WHERE id = pg_temp.lic('lapsed2')), 'valid',
          'the refused call left the unrecorded expiry unrecorded (nothing half-written)');

------------------------------------------------------------------------------
-- change 变更, renewal 延续, reissue 补发
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_gongshu;
CALL pg_temp.food('v1', '2025-06-01', '2030-05-31');
INSERT INTO tap_id SELECT 'v2', ezz.change(pg_temp.lic('v1'), '{"legal_representative": "王五"}', '法定代表人变更');
RESET SESSION AUTHORIZATION;
SELECT is(ezz.ident_version(pg_temp.lic('v2')), 2, 'a change gives version 002 of the same licence');
SELECT is(ezz.ident_with_version(pg_temp.lic('v2'), 1)::text, pg_temp.lic('v1')::text, 'with the same serial');
SELECT is((SELECT format('%s %s %s', o.status, o.superseded_by = n.id, n.supersedes = o.id) FROM ezz.licence o, ezz.licence n
           WHERE o.id = pg_temp.lic('v1') AND n.id = pg_temp.lic('v2')), 'superseded t t',
          'the old version is superseded 已变更; the two are linked both ways');
SELECT is((SELECT document->'face'->>'legal_representative' FROM ezz.licence WHERE id = pg_temp.lic('v2')), '王五',
          'the new version carries the changed field');
SELECT is((SELECT (n.document->'face') - 'legal_representative' = (o.document->'face') - 'legal_representative'
           FROM ezz.licence o, ezz.licence n WHERE o.id = pg_temp.lic('v1') AND n.id = pg_temp.lic('v2')), true,
          'and every other field as it was');
SELECT is((SELECT document->'holders'->0->>'id_digest' FROM ezz.licence WHERE id = pg_temp.lic('v2')),
          encode(ezz.sm3(convert_to(pg_temp.lic('v2')::text || '|001:91330105MA2H2H2H2A', 'UTF8')), 'hex'),
          'the holder''s identity digest is bound to the new identifier');
SELECT is((SELECT document->>'supersedes' FROM ezz.licence WHERE id = pg_temp.lic('v2')), pg_temp.lic('v1')::text,
          'the signed document names the version it supersedes');
SELECT is((SELECT format('%s %s', paper_sync, valid_to) FROM ezz.licence WHERE id = pg_temp.lic('v2')), 'updated 2030-05-31',
          'a change keeps the validity period; the paper licence is marked 同步更新');
SELECT is(pg_temp.history('v1'), '->valid issue, valid>superseded change', 'the old version''s history ends superseded by a change');
SELECT is(pg_temp.history('v2'), '->valid change', 'the new version''s history starts with the change');
SELECT is((SELECT (ezz.verify(pg_temp.lic('v1'))).reasons), ARRAY['superseded 已变更 by ' || pg_temp.lic('v2')],
          'verifying the old version says superseded, and by which');
SELECT is((SELECT (ezz.verify(pg_temp.lic('v2'))).valid), true, 'the new version verifies');

SELECT pg_temp.counts() AS before \gset
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.change(%L, %L, %L)', pg_temp.lic('v1'), '{"legal_representative": "赵六"}', 'x'), '55000',
                 format('ezz.change: licence %s is superseded 已变更; only a valid licence gets a new version', pg_temp.lic('v1')),
                 'a superseded version cannot be changed again');
SELECT throws_ok(format('SELECT ezz.change(%L, NULL, %L)', pg_temp.lic('v2'), 'x'), '22004', NULL, 'change with NULL data');
SELECT throws_ok(format('SELECT ezz.change(%L, %L, %L)', pg_temp.lic('v2'), '{}', 'x'), '22023', NULL, 'change with no field');
SELECT throws_ok(format('SELECT ezz.change(%L, %L, %L)', pg_temp.lic('v2'), '["王五"]', 'x'), '22023', NULL, 'change with an array');
SELECT throws_ok(format('SELECT ezz.change(%L, %L, %L)', pg_temp.lic('v2'), '{"no_such_field": 1}', 'x'), '22023', NULL,
                 'change with a field the type does not have');
SELECT throws_ok(format('SELECT ezz.change(%L, %L, NULL)', pg_temp.lic('v2'), '{"legal_representative": "赵六"}'), '22004', NULL,
                 'change without a reason');
SELECT throws_ok(format('SELECT ezz.renew(%L, NULL, %L)', pg_temp.lic('v2'), 'x'), '22004', NULL, 'renew without valid_to');
SELECT throws_ok(format('SELECT ezz.renew(%L, %L, %L)', pg_temp.lic('v2'), '2030-05-31', 'x'), '22023',
                 'ezz.renew: the new valid_to 2030-05-31 is not after the current one, 2030-05-31', 'renew to the same day');
SET SESSION AUTHORIZATION tap_qiantang;
SELECT throws_ok(format('SELECT ezz.reissue(%L, %L)', pg_temp.lic('v2'), 'x'), '42501', NULL, 'another department cannot reissue');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.change(%L, %L, %L)', pg_temp.lic('lapsed2'), '{"legal_representative": "赵六"}', 'x'), '55000',
                 format('ezz.change: licence %s is expired 过期; only a valid licence gets a new version', pg_temp.lic('lapsed2')),
                 'an expired licence is not changed');
SELECT throws_ok(format('SELECT ezz.renew(%L, %L, %L)', pg_temp.lic('named'), '2040-01-01', 'x'), '55000',
                 format('ezz.renew: licence %s is abolished 废止; only a valid licence gets a new version', pg_temp.lic('named')),
                 'nor is an abolished one renewed');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.counts(), :'before', 'the refused calls wrote nothing');

SET SESSION AUTHORIZATION tap_gongshu;
INSERT INTO tap_id SELECT 'v3', ezz.renew(pg_temp.lic('v2'), '2035-05-31', '延续申请');
INSERT INTO tap_id SELECT 'v4', ezz.reissue(pg_temp.lic('v3'), '证照遗失');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT format('%s %s..%s %s', ezz.ident_version(id), valid_from, valid_to, status) FROM ezz.licence WHERE id = pg_temp.lic('v3')),
          format('3 %s..2035-05-31 superseded', ezz.today()), 'a renewal runs from today to the new valid_to (then reissued)');
SELECT is((SELECT format('%s %s..%s %s %s', ezz.ident_version(id), valid_from, valid_to, status, paper_sync) FROM ezz.licence WHERE id = pg_temp.lic('v4')),
          format('4 %s..2035-05-31 valid issued', ezz.today()), 'a reissue 补发 keeps content and status: a new version, still valid');
SELECT is((SELECT string_agg(event || ':' || reason, ', ' ORDER BY id) FROM ezz.status_history WHERE licence = pg_temp.lic('v4')),
          'reissue:补发 证照遗失', 'the reissue is recorded with the reason 补发');
SELECT is((SELECT (ezz.verify(pg_temp.lic('v4'))).valid), true, 'version 004 verifies');
SELECT is((SELECT string_agg(from_status || '>' || to_status || ':' || event, ', ' ORDER BY id) FROM ezz.status_events
           WHERE licence IN (pg_temp.lic('v1'), pg_temp.lic('v2'), pg_temp.lic('v3'))),
          'valid>superseded:change, valid>superseded:renew, valid>superseded:reissue',
          'each supersession is a status event');

------------------------------------------------------------------------------
-- status_at 江西 第二十条
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_gongshu;
CALL pg_temp.food('past', '2025-06-01', '2030-05-31');
SELECT ezz.suspend(pg_temp.lic('past'), '停业整顿') \g /dev/null
SELECT ezz.resume(pg_temp.lic('past'), '整改完成') \g /dev/null
INSERT INTO tap_id SELECT 'past2', ezz.change(pg_temp.lic('past'), '{"legal_representative": "王五"}', '法定代表人变更');
SELECT ezz.revoke(pg_temp.lic('past2'), '吊销', '《食品安全法》第一百三十五条') \g /dev/null
RESET SESSION AUTHORIZATION;
-- all of it happened in this one transaction, at one now(): spread it over
-- the calendar as if it had happened on separate days
UPDATE ezz.status_history h SET at = x.at
FROM (VALUES (1, '2025-06-01 09:00:00+08'::timestamptz), (2, '2025-07-01 09:30:00+08'), (3, '2025-08-01 14:00:00+08'),
			 (4, '2025-09-01 10:00:00+08')) x(n, at),
	 (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ezz.status_history WHERE licence = pg_temp.lic('past')) o
WHERE h.id = o.id AND o.n = x.n;
UPDATE ezz.status_history SET at = CASE WHEN to_status = 'valid' THEN '2025-09-01 10:00:00+08'::timestamptz
										ELSE '2025-10-15 16:00:00+08' END
WHERE licence = pg_temp.lic('past2');
SELECT is(pg_temp.history('past'), '->valid issue, valid>suspended transition, suspended>valid transition, valid>superseded change',
          'the history of the first version');

CREATE TEMP TABLE tap_at (n int, lic text, at timestamptz, expected ezz.licence_status);
INSERT INTO tap_at VALUES
	(1, 'past', '2025-06-01 09:00:00+08'::timestamptz - interval '1 microsecond', NULL),
	(2, 'past', '2025-06-01 09:00:00+08', 'valid'),
	(3, 'past', '2025-07-01 09:30:00+08'::timestamptz - interval '1 microsecond', 'valid'),
	(4, 'past', '2025-07-01 09:30:00+08', 'suspended'),
	(5, 'past', '2025-08-01 14:00:00+08'::timestamptz - interval '1 microsecond', 'suspended'),
	(6, 'past', '2025-08-01 14:00:00+08', 'valid'),
	(7, 'past', '2025-09-01 10:00:00+08'::timestamptz - interval '1 microsecond', 'valid'),
	(8, 'past', '2025-09-01 10:00:00+08', 'superseded'),
	(9, 'past2', '2025-09-01 10:00:00+08'::timestamptz - interval '1 microsecond', NULL),
	(10, 'past2', '2025-09-01 10:00:00+08', 'valid'),
	(11, 'past2', '2025-10-15 16:00:00+08'::timestamptz - interval '1 microsecond', 'valid'),
	(12, 'past2', '2025-10-15 16:00:00+08', 'revoked'),
	(13, 'past2', now() + interval '10 years', 'revoked');
GRANT SELECT ON tap_at TO PUBLIC;
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is(ezz.status_at(pg_temp.lic(lic), at), expected, format('status_at %s at %s: %s', lic, at, coalesce(expected::text, 'NULL (not yet issued)')))
FROM tap_at ORDER BY n;

-- valid_to exactly: valid through the end of 2025-12-31 in Asia/Shanghai,
-- whatever the session's time zone
CALL pg_temp.food('edge', '2025-01-01', '2025-12-31');
RESET SESSION AUTHORIZATION;
CALL pg_temp.backdate('edge', '2025-01-01 10:00+08');
SET SESSION AUTHORIZATION tap_gongshu;
SET TimeZone = 'America/New_York';
SELECT is(ezz.status_at(pg_temp.lic('edge'), '2025-12-31 23:59:59.999999+08'), 'valid', 'status_at the last microsecond of valid_to: valid');
SELECT is(ezz.status_at(pg_temp.lic('edge'), '2026-01-01 00:00:00+08'), 'expired', 'status_at the end of valid_to in ezz.timezone: expired');
SELECT is(ezz.status_at(pg_temp.lic('edge'), '2025-12-31 23:59:59-05'), 'expired',
          'the session''s time zone does not move the end: 23:59 on 12-31 in New York is already 2026 in Shanghai');
SELECT is((ezz.verify(pg_temp.lic('edge'))).status, 'expired', 'verify reports it expired before maintenance records it');
RESET TimeZone;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status::text FROM ezz.licence WHERE id = pg_temp.lic('edge')), 'valid', 'not yet recorded');

SET SESSION AUTHORIZATION tap_admin;
CALL ezz.maintain();
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status::text FROM ezz.licence l WHERE id = pg_temp.lic('edge')), 'expired', 'ezz.maintain records the expiry');
SELECT is((SELECT at FROM ezz.status_history h WHERE h.licence = pg_temp.lic('edge') AND h.to_status = 'expired'),
          '2026-01-01 00:00:00+08'::timestamptz, 'dated at the end of valid_to');
SELECT is((SELECT count(*) FROM ezz.audit_log a WHERE a.relation = 'ezz.status_history' AND a.op = 'INSERT'
		   AND a.row_key = (SELECT ezz._row_key(h) FROM ezz.status_history h WHERE h.licence = pg_temp.lic('edge') AND h.to_status = 'expired')),
          1::bigint, 'the history row the status trigger wrote is in the audit ledger');
SELECT pg_temp.counts() AS before \gset
SET SESSION AUTHORIZATION tap_admin;
CALL ezz.maintain();
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.counts(), :'before', 'a second ezz.maintain records nothing more (idempotent)');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is(ezz.status_at(pg_temp.lic('edge'), '2025-12-31 23:59:59.999999+08'), 'valid', 'status_at before the recorded expiry: valid');
SELECT is(ezz.status_at(pg_temp.lic('edge'), '2026-01-01 00:00:00+08'), 'expired', 'status_at from the recorded expiry: expired');
SELECT throws_ok(format('SELECT ezz.status_at(%L, NULL)', pg_temp.lic('edge')), '22004', NULL, 'status_at with a NULL time');
SELECT throws_ok(format('SELECT ezz.status_at(%L, now())', ezz.ident_with_version(pg_temp.lic('edge'), 9)), 'P0002', NULL,
                 'status_at of no licence');
SET SESSION AUTHORIZATION tap_qiantang;
SELECT throws_ok(format('SELECT ezz.status_at(%L, now())', pg_temp.lic('edge')), '42501', NULL,
                 'another issuing department does not see the history');
SET SESSION AUTHORIZATION tap_consumer;
SELECT throws_ok(format('SELECT ezz.status_at(%L, now())', pg_temp.lic('edge')), '42501', NULL,
                 'nor a using department without the type on its usage list');
RESET SESSION AUTHORIZATION;
INSERT INTO ezz.usage_list (department, type_code, service_item, actions, valid_from)
VALUES ('12330100470112090C', :'food', 'ZJ-GJJ-0001', '{verify}', '2025-01-01');
SET SESSION AUTHORIZATION tap_consumer;
SELECT is(ezz.status_at(pg_temp.lic('edge'), '2025-06-01 12:00+08'), 'valid',
          'a using department with the type on its usage list for verify sees the status at a past time (disputes)');
SET SESSION AUTHORIZATION tap_unbound;
SELECT throws_ok(format('SELECT ezz.status_at(%L, now())', pg_temp.lic('edge')), '55000', NULL, 'nor does an unbound login');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok('CALL ezz.maintain()', '42501', NULL, 'only management runs maintenance');
RESET SESSION AUTHORIZATION;

------------------------------------------------------------------------------
-- annual inspection 年检 河南 第二十六条
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_hzsj;
INSERT INTO tap_id SELECT 'boiler', ezz.issue(:'equipment', :'factory', face, '2025-03-01', NULL) FROM tap_sample WHERE code = :'equipment';
INSERT INTO tap_id SELECT 'lift', ezz.issue(:'equipment', :'factory', face, ezz.today() - 30, NULL) FROM tap_sample WHERE code = :'equipment';
RESET SESSION AUTHORIZATION;
SELECT set_eq(format('SELECT licence::text, finding FROM ezz.inspection_findings WHERE licence IN (%L, %L)', pg_temp.lic('boiler'), pg_temp.lic('lift')),
              format('VALUES (%L, %L)', pg_temp.lic('boiler'), 'overdue'),
              'a licence a year past its first day without inspection is an overdue finding; a new one is not');
SET SESSION AUTHORIZATION tap_admin;
CALL ezz.maintain();
RESET SESSION AUTHORIZATION;
SELECT is((SELECT format('%s %s', status, (SELECT event || ':' || reason FROM ezz.status_history h WHERE h.licence = l.id ORDER BY id DESC LIMIT 1))
           FROM ezz.licence l WHERE id = pg_temp.lic('boiler')), 'suspended inspection:年检逾期 annual inspection overdue',
          'maintenance suspends a licence whose inspection is overdue');
SELECT is((SELECT status::text FROM ezz.licence WHERE id = pg_temp.lic('lift')), 'valid', 'and leaves one that is not due');
SET SESSION AUTHORIZATION tap_hzsj;
SELECT is(ezz.annual_inspection(pg_temp.lic('boiler'), true, '定期检验合格'), 'valid', 'a passed inspection lifts that suspension');
SELECT is(ezz.annual_inspection(pg_temp.lic('lift'), false, '安全阀失效'), 'suspended', 'a failed inspection suspends');
SELECT is(ezz.annual_inspection(pg_temp.lic('lift'), false), 'suspended', 'a second failure leaves it suspended');
SELECT ezz.suspend(pg_temp.lic('boiler'), '另案调查') \g /dev/null
SELECT is(ezz.annual_inspection(pg_temp.lic('boiler'), true), 'suspended', 'a passed inspection does not lift a suspension for another cause');
RESET SESSION AUTHORIZATION;
SELECT set_eq(format('SELECT licence::text, finding FROM ezz.inspection_findings WHERE licence IN (%L, %L)', pg_temp.lic('boiler'), pg_temp.lic('lift')),
              format('VALUES (%L, %L), (%L, %L)', pg_temp.lic('lift'), 'failed', pg_temp.lic('lift'), 'failed'),
              'failed inspections are assessment findings; the inspected one is no longer overdue');
SELECT is((SELECT count(*)::int FROM ezz.inspection WHERE lineage = pg_temp.lic('boiler')), 2, 'inspections are recorded');
SELECT count(*) AS findings FROM ezz.inspection_findings \gset
SET SESSION AUTHORIZATION tap_admin;
SELECT is((SELECT count(*) FROM ezz.inspection_findings), :findings::bigint, 'management reads the findings (assessment)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_hzsj;
SELECT throws_ok(format('SELECT ezz.annual_inspection(%L, NULL)', pg_temp.lic('lift')), '22004', NULL, 'an inspection without a result');
SELECT throws_ok(format('SELECT ezz.annual_inspection(%L, true, %L)', pg_temp.lic('lift'), ''), '22023', NULL, 'an empty note');
SELECT is(ezz.annual_inspection(pg_temp.lic('lift'), false, repeat('检', 2000)), 'suspended',
          'a failed inspection with the longest note (2000 characters) is recorded; the reason quotes its start');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.annual_inspection(%L, true)', pg_temp.lic('v4')), '55000',
                 'licences of type 食品经营许可证 need no annual inspection 年检', 'a type without annual inspection');
SELECT throws_ok(format('SELECT ezz.annual_inspection(%L, true)', pg_temp.lic('lift')), '42501', NULL, 'another department''s licence');
RESET SESSION AUTHORIZATION;

------------------------------------------------------------------------------
-- successor departments 机构改革 吉林 第六条: re-sealing
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_shangcheng;
CALL pg_temp.food('merged', '2025-06-01', '2030-05-31');
RESET SESSION AUTHORIZATION;
SELECT ezz.export(pg_temp.lic('merged')) AS old_export \gset
-- 上城区 merges into 拱墅区 (for the test; an administrator's change)
UPDATE ezz.department SET active = false, successor = '11330105MB1B28400H' WHERE uscc = '11330102MB1B16733D';
SET SESSION AUTHORIZATION tap_shangcheng;
SELECT throws_ok(format('SELECT ezz.suspend(%L, %L)', pg_temp.lic('merged'), 'x'), '55000', 'department 11330102MB1B16733D of login "tap_shangcheng" is inactive',
                 'the merged department can no longer act');
SET SESSION AUTHORIZATION tap_qiantang;
SELECT throws_ok(format('SELECT ezz.reseal(%L)', pg_temp.lic('merged')), '42501',
                 format('department 11330114MB1C3R513P is not a successor of 11330102MB1B16733D, the issuer of licence %s', pg_temp.lic('merged')),
                 'a department that is not a successor cannot re-seal');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.reseal(%L)', pg_temp.lic('v4')), '55000', NULL, 'a department does not re-seal its own licence');
SELECT is(ezz.reseal(pg_temp.lic('merged'))::text, pg_temp.lic('merged')::text, 'the successor re-seals: same identifier');
SELECT throws_ok(format('SELECT ezz.reseal(%L)', pg_temp.lic('merged')), '55000', NULL, 'nor twice with the same key');
SELECT is((SELECT format('%s %s', r.valid, r.checked->'key'->>'owner') FROM ezz.verify(pg_temp.lic('merged')) r),
          't 11330105MB1B28400H', 'the re-sealed licence verifies, with the successor''s key');
SELECT is((SELECT format('%s %s', r.valid, r.checked->>'resealed_at' IS NOT NULL) FROM ezz.verify_document(:'old_export') r),
          't t', 'the copy exported before re-sealing still verifies, with its original seal as of its time');
SELECT is((SELECT (ezz.verify_document(ezz.export(pg_temp.lic('merged')))).valid), true, 'and so does a new export');
SELECT is((SELECT (ezz.verify_document(jsonb_set(:'old_export', '{document,face,legal_representative}', '"冒名"'))).valid), false,
          'a modified old copy does not verify');
SELECT is(ezz.suspend(pg_temp.lic('merged'), '继任部门暂扣'), 'suspended', 'the successor manages the licence: it can suspend it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT k.department::text FROM ezz.licence l JOIN ezz.signing_key k USING (key_id) WHERE l.id = pg_temp.lic('merged')),
          '11330105MB1B28400H', 'it is signed with the successor''s key');
SELECT is((SELECT (document - 'key' - 'sealed_by') = (:'old_export'::jsonb->'document') - 'key' FROM ezz.licence WHERE id = pg_temp.lic('merged')), true,
          'same content: only the key and sealed_by differ');
SELECT is((SELECT format('%s %s %s', ls.key_id = k.key_id, ls.replaced_by, ls.signature = decode(:'old_export'::jsonb->'signature'->>'value', 'base64'))
           FROM ezz.licence_seal ls, ezz.signing_key k WHERE ls.licence = pg_temp.lic('merged') AND k.department = '11330102MB1B16733D'),
          't 11330105MB1B28400H t', 'the earlier seal is kept: its key, its signature, who replaced it');
SELECT is((SELECT string_agg(event || ' ' || coalesce(department::text, '-'), ', ' ORDER BY id) FROM ezz.status_history WHERE licence = pg_temp.lic('merged')),
          'issue 11330102MB1B16733D, reseal 11330105MB1B28400H, transition 11330105MB1B28400H', 'the history names who did what');

------------------------------------------------------------------------------
-- national status codes (SPEC §4)
------------------------------------------------------------------------------
SELECT set_eq('SELECT s::text, ezz.national_status_code(s) FROM unnest(enum_range(NULL::ezz.licence_status)) s',
              $$VALUES ('valid', '01'), ('suspended', '02'), ('rescinded', '03'), ('cancelled', '04'), ('superseded', '05'),
                       ('expired', '05'), ('abolished', '05'), ('revoked', '07'), ('pledged', '99')$$,
              'every status maps to a national two-digit code');

------------------------------------------------------------------------------
-- status events
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is((SELECT count(*)::int FROM ezz.read_status_events() WHERE licence = pg_temp.lic('v1')), 1,
          'the issuer reads the status events of its licences');
SELECT is((SELECT count(*)::int FROM ezz.read_status_events() WHERE licence = pg_temp.lic('merged')), 1,
          'and of the licences it manages as successor');
SELECT is((SELECT count(*)::int FROM ezz.read_status_events() WHERE licence = pg_temp.lic('boiler')), 0,
          'not those of another department');
SELECT ok(ezz.ack_status_events((SELECT max(event_no) FROM ezz.read_status_events())) > 0, 'it saves its position');
SELECT is((SELECT count(*)::int FROM ezz.read_status_events()), 0, 'and reads on from there');
SELECT ezz.suspend(pg_temp.lic('v4'), '停业整顿') \g /dev/null
SELECT is((SELECT string_agg(format('%s %s>%s %s', licence = pg_temp.lic('v4'), from_status, to_status, event), ', ') FROM ezz.read_status_events()),
          't valid>suspended transition', 'a new change appears after the saved position');
SELECT cmp_ok(ezz.ack_status_events(1), '>', 1::bigint, 'the position never moves back');
SELECT throws_ok('SELECT ezz.ack_status_events(NULL)', '22004', NULL, 'ack NULL');
SELECT throws_ok('SELECT ezz.ack_status_events(1000000)', '22023', 'ezz.ack_status_events: event 1000000 has not been read yet',
                 'a department cannot acknowledge events that have not happened (it would skip them)');
SELECT throws_ok('SELECT * FROM ezz.read_status_events(-1)', '22023', NULL, 'read from a negative position');
SELECT throws_ok('SELECT * FROM ezz.read_status_events(0, 0)', '22023', NULL, 'read zero rows');
SELECT throws_ok('SELECT * FROM ezz.status_events', '42501', NULL, 'the events view itself is not readable by a department');
SET SESSION AUTHORIZATION tap_unbound;
SELECT throws_ok('SELECT * FROM ezz.read_status_events()', '55000', NULL, 'an unbound login reads no events');
SET SESSION AUTHORIZATION tap_admin;
SELECT count(*) AS admin_reads FROM ezz.read_status_events(0, 100000) \gset
RESET SESSION AUTHORIZATION;
SELECT is(:admin_reads::bigint, (SELECT count(*) FROM ezz.status_events), 'management reads every event');
SELECT is((SELECT count(*)::int FROM ezz.status_events WHERE event_no IS NULL), 0,
          'every event that has been read is numbered');
SELECT is((SELECT count(*)::int FROM ezz.status_history WHERE event_no IS NOT NULL AND (from_status IS NULL OR from_status = to_status)), 0,
          'issues and re-sealings are not events');

-- in a read-only transaction (a standby) events are read as numbered so far
SET SESSION AUTHORIZATION tap_gongshu;
SELECT ezz.ack_status_events(max(event_no)) FROM ezz.read_status_events() \g /dev/null
SELECT ezz.resume(pg_temp.lic('v4'), '整改完成') \g /dev/null
SET transaction_read_only = on;
SELECT is((SELECT count(*)::int FROM ezz.read_status_events()), 0,
          'a read-only transaction reads no events that are not yet numbered, and does not fail');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
