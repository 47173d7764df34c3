-- sharing: the holder context, the four modes (function, holder, entrust,
-- public), purpose-bound use, search / find / verify / verify_claims /
-- get_data / download (加注件) / public_lookup, and the security cases: each
-- refusal with its exact SQLSTATE and its row in the access log.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
BEGIN;
SET search_path = public, ezz;
SELECT plan(157);

-- logins
CREATE ROLE tap_s_admin LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_s_ziran LOGIN IN ROLE ezz_issuer;		-- 杭州市规划和自然资源局 (issues 不动产权证书)
CREATE ROLE tap_s_shichang LOGIN IN ROLE ezz_issuer;	-- 杭州市拱墅区市场监督管理局 (issues 营业执照)
CREATE ROLE tap_s_gjj LOGIN IN ROLE ezz_consumer;		-- 杭州住房公积金管理中心
CREATE ROLE tap_s_tax LOGIN IN ROLE ezz_consumer;		-- 国家税务总局杭州市税务局
CREATE ROLE tap_s_unbound LOGIN IN ROLE ezz_consumer;
CREATE ROLE tap_s_rs LOGIN IN ROLE ezz_consumer;			-- 杭州市人力资源和社会保障局
CREATE ROLE tap_s_agent LOGIN IN ROLE ezz_holder_agent;
CREATE ROLE tap_s_public LOGIN IN ROLE ezz_public;
SELECT ezz.bind_login('tap_s_admin', '11330000MB1946A028');
SELECT ezz.bind_login('tap_s_ziran', '11330100MB1A883655');
SELECT ezz.bind_login('tap_s_shichang', '11330105MB1B28400H');
SELECT ezz.bind_login('tap_s_gjj', '12330100470112090C');
SELECT ezz.bind_login('tap_s_tax', '11330100MB1A330659');
SELECT ezz.bind_login('tap_s_rs', '11330100MB1A651201');
SELECT ezz.create_key('11330100MB1A883655'), ezz.create_key('11330105MB1B28400H'), ezz.create_key('12330100470112090C');

CREATE TEMP TABLE tap_sample AS SELECT code, face_sample AS face FROM ezz.licence_type;
GRANT SELECT ON tap_sample TO PUBLIC;
CREATE TEMP TABLE tap_id (name text PRIMARY KEY, id ezz.licence_ident, grant_id bigint);
GRANT ALL ON tap_id TO PUBLIC;
CREATE TEMP TABLE tap_doc (name text PRIMARY KEY, doc jsonb);
GRANT ALL ON tap_doc TO PUBLIC;
\set house '11330000002481311D001'
\set firm '11330000002481602G001'
\set zhang '330106198507230013'
\set li '330105198701020021'
\set wang '11010519491231002X'
\set why '核验住房公积金提取申请人的房产'

-- 不动产权证书 to 张伟 and to 李娜; a 营业执照 (publicly disclosed)
SET SESSION AUTHORIZATION tap_s_ziran;
INSERT INTO tap_id (name, id)
SELECT 'zhang', ezz.issue(:'house', '{"role": "权利人", "type": "natural_person", "id_type": "111", "id": "330106198507230013", "name": "张伟"}',
						 face, '2025-07-16', NULL, case_no => 'TAP-S-1')
FROM tap_sample WHERE code = :'house';
INSERT INTO tap_id (name, id)
SELECT 'li', ezz.issue(:'house', '{"role": "权利人", "type": "natural_person", "id_type": "111", "id": "330105198701020021", "name": "李娜"}',
					   face || '{"obligee": "李娜"}', '2025-07-16', NULL, case_no => 'TAP-S-2')
FROM tap_sample WHERE code = :'house';
SET SESSION AUTHORIZATION tap_s_shichang;
INSERT INTO tap_id (name, id)
SELECT 'firm', ezz.issue(:'firm', '{"role": "持证人", "type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
						 face, '2025-06-01', NULL, case_no => 'TAP-S-3')
FROM tap_sample WHERE code = :'firm';
RESET SESSION AUTHORIZATION;

-- refusals are counted in the access log from here on
SELECT coalesce(max(id), 0) AS log_floor FROM ezz.access_log \gset
CREATE TEMP TABLE tap_floor AS SELECT :log_floor::bigint AS id;
CREATE FUNCTION pg_temp.refused(actor text, reason_like text) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM ezz.access_log WHERE id > (SELECT id FROM tap_floor) AND NOT allowed AND actor = $1 AND reason LIKE $2
$$;

------------------------------------------------------------------------------
-- no direct access, no functions of other roles
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok($$SELECT * FROM ezz.licence$$, '42501', NULL, 'a using department cannot read the licence table');
SELECT throws_ok($$SELECT * FROM ezz.authorisation$$, '42501', NULL, 'nor the authorisation table');
SELECT throws_ok($$INSERT INTO ezz.authorisation (mode, granted_by, grantee_department, type_code, service_items, actions, valid_from, valid_to)
				   VALUES ('function', 'me', '12330100470112090C', '11330000002481311D001', '{ZJ-GJJ-0001}', '{data}', now(), now() + interval '1 year')$$,
	'42501', NULL, 'nor grant itself use by writing it');
SELECT throws_ok($$SELECT ezz.revoke((SELECT id FROM tap_id WHERE name = 'li'), '测试', NULL)$$, '42501', NULL,
	'a using department cannot call an issuer function');
SELECT throws_ok($$SELECT ezz.grant_function_use('12330100470112090C', '11330000002481311D001', '{ZJ-GJJ-0001}', '{data}', now(), now() + interval '1 year')$$,
	'42501', NULL, 'nor grant itself function-based use');
SELECT throws_ok($$SELECT ezz.act_for_holder('111', '330106198507230013')$$, '42501', NULL, 'nor act for a holder');
SELECT throws_ok($$CREATE FUNCTION ezz.something() RETURNS int LANGUAGE sql AS 'SELECT 1'$$, '42501', NULL,
	'nor plant a function in schema ezz');

------------------------------------------------------------------------------
-- conditional sharing needs a grant; purpose-bound use
------------------------------------------------------------------------------
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L)$$, (SELECT id FROM tap_id WHERE name = 'zhang'), :'why'),
	'42501', format('no live authorisation 授权 lets department 12330100470112090C verify licence %s for service item ZJ-GJJ-0001',
					(SELECT id FROM tap_id WHERE name = 'zhang')),
	'the usage list alone does not open a conditionally shared type');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.refused('tap_s_gjj', 'no live authorisation%'), 1::bigint, 'the refusal is in the access log');

-- the holder agent
SET SESSION AUTHORIZATION tap_s_agent;
SELECT throws_ok(format($$SELECT ezz.authorise(%L, '12330100470112090C', 'ZJ-GJJ-0001', '{view,verify,data}', now() + interval '1 day')$$,
	(SELECT id FROM tap_id WHERE name = 'zhang')), '42501', 'the holder agent has not said which holder it acts for',
	'the holder agent cannot authorise without acting for a holder');
SELECT throws_ok($$SELECT * FROM ezz.my_licences()$$, '42501', NULL, 'nor list licences');
SELECT lives_ok($$SELECT ezz.act_for_holder('111', '330106198507230013')$$, 'the agent acts for 张伟');
SELECT is((SELECT array_agg(id::text) FROM ezz.my_licences()), ARRAY[(SELECT id::text FROM tap_id WHERE name = 'zhang')],
	'my_licences lists his licence, not 李娜''s');
SELECT throws_ok(format($$SELECT ezz.authorise(%L, '12330100470112090C', 'ZJ-GJJ-0001', '{view,verify,data}', now() + interval '1 day')$$,
	(SELECT id FROM tap_id WHERE name = 'li')), '42501', NULL, 'he cannot authorise the use of another holder''s licence');
SELECT throws_ok(format($$SELECT ezz.authorise(%L, '12330100470112090C', 'ZJ-GJJ-0001', '{delete}', now() + interval '1 day')$$,
	(SELECT id FROM tap_id WHERE name = 'zhang')), '22023', NULL, 'an action that does not exist is refused');
SELECT throws_ok(format($$SELECT ezz.authorise(%L, '12330100470112090C', 'ZJ-GJJ-0001', '{data}', now() - interval '1 day')$$,
	(SELECT id FROM tap_id WHERE name = 'zhang')), '22023', NULL, 'a grant that ends in the past is refused');
SELECT throws_ok(format($$SELECT ezz.authorise(%L, '11330000002481311D', 'ZJ-GJJ-0001', '{data}', now() + interval '1 day')$$,
	(SELECT id FROM tap_id WHERE name = 'zhang')), '22023', NULL, 'a grant to a department that is not a using department is refused');
SELECT throws_ok($$SELECT ezz.authorise(NULL, '12330100470112090C', 'ZJ-GJJ-0001', '{data}', now() + interval '1 day')$$,
	'22004', NULL, 'a NULL licence is refused');
SELECT throws_ok(format($$SELECT ezz.authorise(%L, '12330100470112090C', 'NO-SUCH-ITEM', '{data}', now() + interval '1 day')$$,
	(SELECT id FROM tap_id WHERE name = 'zhang')), '23503', NULL, 'a service item that does not exist is refused');
UPDATE tap_id SET grant_id = ezz.authorise(id, '12330100470112090C', 'ZJ-GJJ-0001', '{view,verify,data}', now() + interval '30 days')
WHERE name = 'zhang';
SELECT isnt((SELECT grant_id FROM tap_id WHERE name = 'zhang'), NULL, 'he authorises 杭州住房公积金管理中心 to view, verify and read it for ZJ-GJJ-0001');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT lineage::text || ' ' || mode || ' ' || granted_by FROM ezz.authorisation a JOIN tap_id t ON t.grant_id = a.id),
	(SELECT ezz.ident_with_version(id, 1)::text || ' holder tap_s_agent' FROM tap_id WHERE name = 'zhang'),
	'the grant is on the licence''s lineage, by the holder, through the agent');

SET SESSION AUTHORIZATION tap_s_gjj;
SELECT is((ezz.verify(id, 'ZJ-GJJ-0001', :'why')).valid, true, 'with the grant the using department verifies') FROM tap_id WHERE name = 'zhang';
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', NULL)$$, (SELECT id FROM tap_id WHERE name = 'zhang')), '22004',
	'a using department must name the service item and the purpose 用证事由', 'a NULL purpose is refused');
SELECT throws_ok(format($$SELECT ezz.verify(%L, NULL, %L)$$, (SELECT id FROM tap_id WHERE name = 'zhang'), :'why'), '22004', NULL,
	'a NULL service item is refused');
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', '  ')$$, (SELECT id FROM tap_id WHERE name = 'zhang')), '22023',
	'the purpose 用证事由 must have 1 to 200 characters, not 0', 'an empty purpose is refused');
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L)$$, (SELECT id FROM tap_id WHERE name = 'zhang'), repeat('用', 201)), '22023',
	'the purpose 用证事由 must have 1 to 200 characters, not 201', 'a purpose of 201 characters is refused');
SELECT is((ezz.verify(id, 'ZJ-GJJ-0001', repeat('用', 200))).valid, true, 'one of 200 characters is accepted') FROM tap_id WHERE name = 'zhang';
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0002', %L, %s)$$, id, :'why', grant_id), '42501',
	format('grant %s does not cover service item ZJ-GJJ-0002', grant_id), 'the grant used for another service item is refused')
FROM tap_id WHERE name = 'zhang';
SELECT throws_ok(format($$SELECT ezz.download(%L, 'ZJ-GJJ-0001', %L, grant_id => %s)$$, id, :'why', grant_id), '42501',
	NULL, 'a download for an item whose usage list lacks it is refused') FROM tap_id WHERE name = 'zhang';
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L, %s)$$, (SELECT id FROM tap_id WHERE name = 'li'), :'why', grant_id), '42501',
	format('grant %s does not cover licence %s', grant_id, (SELECT id FROM tap_id WHERE name = 'li')),
	'the grant used for another licence is refused') FROM tap_id WHERE name = 'zhang';
-- data: sensitive fields masked
SELECT is(ARRAY[d->'face'->>'usage', d->'masked'->>0, d->'masked'->>1, (d->'face'->>'obligee' <> '张伟，李娜')::text, d->'holders'->0->>'name'],
	ARRAY['城镇住宅用地/住宅', 'obligee', 'location', 'true', '张*'], 'get_data masks the sensitive fields and the holder''s name')
FROM (SELECT ezz.get_data(id, 'ZJ-GJJ-0001', :'why') AS d FROM tap_id WHERE name = 'zhang') x;
-- search by holder identity, find by number and name
SELECT is((SELECT array_agg(s.id::text || ' ' || s.holder_name) FROM tap_id t, ezz.search('111', :'zhang', :'house', 'ZJ-GJJ-0001', :'why') s
		   WHERE t.name = 'zhang'),
	ARRAY[(SELECT id::text || ' 张*' FROM tap_id WHERE name = 'zhang')], 'search by identity lists the licence it may view, the name masked');
SELECT is((SELECT count(*) FROM ezz.search('111', :'li', :'house', 'ZJ-GJJ-0001', :'why')), 0::bigint,
	'a holder who granted nothing: nothing listed');
SELECT throws_ok($$SELECT * FROM ezz.search(NULL, NULL, '11330000002481311D001', 'ZJ-GJJ-0001', '核验')$$, '22004',
	'ezz.search needs the holder''s identity type and number: no wildcard listing', 'search without an identity is refused');
SELECT throws_ok($$SELECT * FROM ezz.search('111', '330106198507230014', '11330000002481311D001', 'ZJ-GJJ-0001', '核验')$$, '22P02', NULL,
	'an identity number with a wrong check digit is refused');
SELECT is((SELECT count(*) FROM ezz.find((SELECT face->>'certificate_no' FROM tap_sample WHERE code = '11330000002481311D001'),
										  '张伟', NULL, 'ZJ-GJJ-0001', :'why')),
	1::bigint, 'find by licence number and holder name');
-- claims: yes or no, never the value
SELECT is((SELECT (v).checked->'claims' FROM (SELECT ezz.verify_claims(:'house', '111', :'zhang', '{"usage": "城镇住宅用地/住宅", "obligee": "王五"}',
																		  'ZJ-GJJ-0001', :'why') AS v) x),
	'{"usage": true, "obligee": false}'::jsonb, 'verify_claims answers yes or no per field');
SELECT ok((SELECT position('张伟' IN row_to_json(v)::text) = 0
		   FROM ezz.verify_claims(:'house', '111', :'zhang', '{"obligee": "王五"}', 'ZJ-GJJ-0001', :'why') v),
	'and never shows the stored value');
SELECT throws_ok(format($$SELECT ezz.verify_claims(%L, '111', %L, '{"colour": "red"}', 'ZJ-GJJ-0001', %L)$$, :'house', :'zhang', :'why'),
	'22023', NULL, 'a claim on a field the type does not have is refused');
RESET SESSION AUTHORIZATION;

-- the same department through another login, or another department with the grant
SET SESSION AUTHORIZATION tap_s_tax;
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-SW-0003', %L, %s)$$, id, :'why', grant_id), '42501',
	format('grant %s is not a grant to department 11330100MB1A330659', grant_id), 'another department cannot use the grant')
FROM tap_id WHERE name = 'zhang';
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L)$$, id, :'why'), '42501',
	'department 11330100MB1A330659 may not verify licence type 11330000002481311D001 for service item ZJ-GJJ-0001',
	'nor use a type for a service item not on its usage list') FROM tap_id WHERE name = 'zhang';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_unbound;
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L)$$, id, :'why'), '55000', NULL, 'an unbound login is refused')
FROM tap_id WHERE name = 'zhang';
RESET SESSION AUTHORIZATION;

-- expired and withdrawn grants
INSERT INTO tap_id (name, grant_id)
SELECT 'expired', nextval(pg_get_serial_sequence('ezz.authorisation', 'id'));
INSERT INTO ezz.authorisation (id, mode, granted_by, granted_by_holder, grantee_department, lineage, service_items, actions, valid_from, valid_to)
SELECT (SELECT grant_id FROM tap_id WHERE name = 'expired'), 'holder', 'tap', h.holder_id, '12330100470112090C', ezz.ident_with_version(t.id, 1),
	   '{ZJ-GJJ-0001}', '{verify}', now() - interval '10 days', now() - interval '1 day'
FROM tap_id t JOIN ezz.licence_holder h ON h.licence = t.id WHERE t.name = 'zhang';
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L, %s)$$, t.id, :'why', e.grant_id), '42501', NULL,
	'a grant used after it expired is refused') FROM tap_id t, tap_id e WHERE t.name = 'zhang' AND e.name = 'expired';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_agent;
SELECT ezz.act_for_holder('111', :'li');
SELECT throws_ok(format($$SELECT ezz.withdraw(%s)$$, grant_id), '42501', NULL, 'another holder cannot withdraw 张伟''s grant')
FROM tap_id WHERE name = 'zhang';
SELECT ezz.act_for_holder('111', :'zhang');
SELECT lives_ok(format($$SELECT ezz.withdraw(%s)$$, grant_id), 'the holder withdraws his grant') FROM tap_id WHERE name = 'zhang';
SELECT throws_ok(format($$SELECT ezz.withdraw(%s)$$, grant_id), '55000', NULL, 'a grant is withdrawn once') FROM tap_id WHERE name = 'zhang';
SELECT throws_ok($$SELECT ezz.withdraw(-1)$$, 'P0002', NULL, 'a grant that does not exist cannot be withdrawn');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L, %s)$$, id, :'why', grant_id), '42501', NULL,
	'a grant used after it was withdrawn is refused') FROM tap_id WHERE name = 'zhang';
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L)$$, id, :'why'), '42501', NULL,
	'and without it nothing else lets the department in') FROM tap_id WHERE name = 'zhang';
RESET SESSION AUTHORIZATION;

------------------------------------------------------------------------------
-- entrusted use 委托用证
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_s_agent;
SELECT ezz.act_for_holder('111', :'zhang');
SELECT throws_ok(format($$SELECT ezz.entrust(%L, '001', '91330105MA2H2H2H2A', 'ZJ-GJJ-0002', now(), now() + interval '7 days')$$, id),
	'22023', NULL, 'only a natural person is entrusted') FROM tap_id WHERE name = 'zhang';
INSERT INTO tap_id (name, id, grant_id)
SELECT 'entrust', id, ezz.entrust(id, '111', :'wang', 'ZJ-GJJ-0002', now() - interval '1 hour', now() + interval '7 days')
FROM tap_id WHERE name = 'zhang';
SELECT ezz.act_for_holder('111', :'wang');
SELECT is((ezz.get_data(id, 'ZJ-GJJ-0002', '代为办理公积金提取', grant_id))->>'grant', grant_id::text,
	'the entrusted person fetches the data for the matter, naming the entrustment') FROM tap_id WHERE name = 'entrust';
SELECT throws_ok(format($$SELECT ezz.get_data(%L, 'ZJ-GJJ-0001', '代办', %s)$$, id, grant_id), '42501',
	format('grant %s does not cover service item ZJ-GJJ-0001', grant_id), 'but not outside the matter') FROM tap_id WHERE name = 'entrust';
SELECT throws_ok(format($$SELECT ezz.get_data(%L, 'ZJ-GJJ-0002', '代办')$$, id), '42501', NULL,
	'nor without naming the entrustment') FROM tap_id WHERE name = 'entrust';
SELECT throws_ok(format($$SELECT ezz.get_data(%L, 'ZJ-GJJ-0002', '代办', %s)$$, (SELECT id FROM tap_id WHERE name = 'li'), grant_id), '42501',
	NULL, 'nor for another licence') FROM tap_id WHERE name = 'entrust';
RESET SESSION AUTHORIZATION;
INSERT INTO tap_id (name, id, grant_id) SELECT 'entrust_old', id, nextval(pg_get_serial_sequence('ezz.authorisation', 'id'))
FROM tap_id WHERE name = 'zhang';
INSERT INTO ezz.authorisation (id, mode, granted_by, granted_by_holder, grantee_id_type, grantee_blind, grantee_masked, lineage,
							   service_items, actions, valid_from, valid_to)
SELECT e.grant_id, 'entrust', 'tap', a.granted_by_holder, '111', a.grantee_blind, a.grantee_masked, a.lineage,
	   a.service_items, a.actions, now() - interval '30 days', now() - interval '20 days'
FROM tap_id e, tap_id n JOIN ezz.authorisation a ON a.id = n.grant_id WHERE e.name = 'entrust_old' AND n.name = 'entrust';
SET SESSION AUTHORIZATION tap_s_agent;
SELECT ezz.act_for_holder('111', :'wang');
SELECT throws_ok(format($$SELECT ezz.get_data(%L, 'ZJ-GJJ-0002', '代办', %s)$$, id, grant_id), '42501', NULL,
	'nor outside the entrustment''s period') FROM tap_id WHERE name = 'entrust_old';
RESET SESSION AUTHORIZATION;

------------------------------------------------------------------------------
-- function-based use 依职能共享 and the annotated copy 加注件
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_s_admin;
INSERT INTO tap_id (name, grant_id)
SELECT 'function', ezz.grant_function_use('12330100470112090C', :'house', '{ZJ-GJJ-0002}', '{view,verify,data,download}',
										  now() - interval '1 hour', now() + interval '1 year');
SELECT throws_ok($$SELECT ezz.grant_function_use('11330000002481311D', '11330000002481311D001', '{ZJ-GJJ-0002}', '{data}', now(), now() + interval '1 year')$$,
	'22023', NULL, 'function-based use is for using departments');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_gjj;
INSERT INTO tap_doc SELECT 'copy', ezz.download(id, 'ZJ-GJJ-0002', '住房公积金贷款审核留档', '30 days') FROM tap_id WHERE name = 'li';
SELECT is(ARRAY[doc->'annotation'->>'maker', doc->'annotation'->>'purpose', doc->'licence'->'document'->>'id'],
	ARRAY['12330100470112090C', '住房公积金贷款审核留档', (SELECT id::text FROM tap_id WHERE name = 'li')],
	'by its function the department downloads an annotated copy of 李娜''s licence: maker, purpose, licence') FROM tap_doc WHERE name = 'copy';
SELECT is((ezz.verify_document(doc)).valid, true, 'the annotated copy verifies') FROM tap_doc WHERE name = 'copy';
SELECT is((v).valid::text || ' ' || array_to_string((v).reasons, '; '),
	'false the annotation''s signature does not verify: the signature does not match the document and the public key',
	'an annotated copy whose purpose was changed does not')
FROM (SELECT ezz.verify_document(jsonb_set(doc, '{annotation,purpose}', '"随意用途"')) AS v FROM tap_doc WHERE name = 'copy') x;
SELECT is((ezz.verify_document(jsonb_set(doc, '{signature,value}', to_jsonb(translate(encode(sha256('forged') || sha256('x'), 'base64'), E'\n', ''))))).valid,
	false, 'nor one with a forged signature') FROM tap_doc WHERE name = 'copy';
SELECT is((ezz.verify_document(jsonb_set(doc, '{licence,document,face,obligee}', '"王五"'))).valid, false,
	'nor one whose licence was altered') FROM tap_doc WHERE name = 'copy';
RESET SESSION AUTHORIZATION;
-- an expired annotated copy, signed as the department's key would have signed it a month ago
INSERT INTO tap_doc
SELECT 'expired', jsonb_set(jsonb_set(c.doc, '{annotation}', a), '{signature,value}',
	to_jsonb(translate(encode(ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version, k.fingerprint, a), 'base64'), E'\n', '')))
FROM tap_doc c, ezz.signing_key k,
	 LATERAL (SELECT c.doc->'annotation' || jsonb_build_object('made_at', now() - interval '40 days', 'valid_until', now() - interval '10 days') AS a) x
WHERE c.name = 'copy' AND k.department = '12330100470112090C' AND k.status = 'active';
SELECT is((v).valid::text || ' ' || (SELECT bool_or(r LIKE 'the annotated copy expired at %') FROM unnest((v).reasons) r)::text, 'false true',
	'an expired annotated copy does not verify, and says so')
FROM (SELECT ezz.verify_document(doc) AS v FROM tap_doc WHERE name = 'expired') x;
SELECT is((SELECT count(*) FROM ezz.annotated_copy a JOIN tap_id t ON t.id = a.licence WHERE t.name = 'li'), 1::bigint,
	'the annotated copy is kept on file 留档');

------------------------------------------------------------------------------
-- public disclosure 社会公示
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_s_public;
SELECT throws_ok(format($$SELECT ezz.public_lookup(%L)$$, id), '42501',
	'licence type 11330000002481311D001 is not disclosed to the public 社会公示', 'public lookup of a type not disclosed is refused')
FROM tap_id WHERE name = 'zhang';
SELECT is(ARRAY[d->>'id', d->>'status', d->'holders'->>0], ARRAY[(SELECT id::text FROM tap_id WHERE name = 'firm'), 'valid', '杭州示例餐饮有限公司'],
	'public lookup of a disclosed type answers') FROM (SELECT ezz.public_lookup(id) AS d FROM tap_id WHERE name = 'firm') x;
SELECT throws_ok(format($$SELECT ezz.get_data(%L, 'ZJ-SW-0002', '查询')$$, id), '42501', NULL, 'the public cannot fetch data')
FROM tap_id WHERE name = 'firm';
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(k ORDER BY k) FROM tap_id, LATERAL jsonb_object_keys((ezz.public_lookup(id))->'face') k WHERE name = 'firm'),
	(SELECT array_agg(f->>'name' ORDER BY f->>'name') FROM ezz.licence_type t, jsonb_array_elements(t.field_schema) f
	 WHERE t.code = :'firm' AND (f->>'public')::boolean AND t.face_sample ? (f->>'name')),
	'public lookup shows exactly the fields marked public');
SET SESSION AUTHORIZATION tap_s_tax;
SELECT is((ezz.verify(id, 'ZJ-SW-0002', '核验纳税人营业执照')).valid, true, 'a publicly disclosed type needs no grant')
FROM tap_id WHERE name = 'firm';
RESET SESSION AUTHORIZATION;

------------------------------------------------------------------------------
-- search_path hijack and SQL injection
------------------------------------------------------------------------------
CREATE FUNCTION public.length(text) RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION public.btrim(text) RETURNS text LANGUAGE sql AS $$SELECT 'x'$$;
GRANT EXECUTE ON FUNCTION public.length(text), public.btrim(text) TO PUBLIC;
SET SESSION AUTHORIZATION tap_s_gjj;
SET search_path = public, pg_temp, pg_catalog;
CREATE TEMP TABLE authorisation (id bigint);
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0002', %L)$$, id, repeat('用', 201)), '22023', NULL,
	'functions planted ahead of pg_catalog do not change what a SECURITY DEFINER function checks') FROM tap_id WHERE name = 'li';
SELECT is((ezz.verify(id, 'ZJ-GJJ-0002', :'why')).valid, true, 'nor a temporary table named like ezz''s what it reads')
FROM tap_id WHERE name = 'li';
SET search_path = public, ezz;
SELECT throws_ok(format($$SELECT ezz.verify(%L, $i$ZJ-GJJ-0002' OR '1'='1$i$, 'x'); DROP TABLE ezz.licence; --')$$, id), '42501', NULL,
	'a service item carrying SQL is only a service item') FROM tap_id WHERE name = 'li';
SELECT is((ezz.verify(id, 'ZJ-GJJ-0002', $p$'); DELETE FROM ezz.authorisation; --$p$)).valid, true,
	'a purpose carrying SQL is only a purpose') FROM tap_id WHERE name = 'li';
SELECT throws_ok($$SELECT * FROM ezz.search('111'' OR 1=1 --', '330106198507230013', NULL, 'ZJ-GJJ-0002', '核验')$$, '22023', NULL,
	'an identity type carrying SQL is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM ezz.authorisation) > 0 AND to_regclass('ezz.licence') IS NOT NULL, true, 'and nothing was dropped or deleted');

------------------------------------------------------------------------------
-- the holder's access history 用证记录, and the access log
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_s_agent;
SELECT ezz.act_for_holder('111', :'zhang');
SELECT is((SELECT count(*) FROM ezz.my_access_history(now() - interval '1 day', now() + interval '1 day')
		   WHERE department = '12330100470112090C' AND action = 'verify' AND allowed AND purpose = :'why'), 1::bigint,
	'the holder sees who verified his licence, for what purpose');
SELECT throws_ok($$SELECT * FROM ezz.my_access_history(now(), now() - interval '1 day')$$, '22023', NULL, 'a reversed period is refused');
SELECT is((SELECT count(*) FROM ezz.my_access_history(now() - interval '1 day', now() + interval '1 day')
		   WHERE department IS NULL AND action = 'get_data' AND allowed AND grant_id = (SELECT grant_id FROM tap_id WHERE name = 'entrust')),
	1::bigint, 'and the entrusted person''s use, with the entrustment');
RESET SESSION AUTHORIZATION;
SELECT is(ARRAY[pg_temp.refused('tap_s_gjj', 'grant % does not cover service item%'), pg_temp.refused('tap_s_gjj', 'a using department must name%'),
				pg_temp.refused('tap_s_gjj', 'the purpose 用证事由 must have%'), pg_temp.refused('tap_s_tax', 'grant % is not a grant to department%'),
				pg_temp.refused('tap_s_unbound', 'login "tap_s_unbound" is not bound%'), pg_temp.refused('tap_s_agent', 'grant % does not cover service item%'),
				pg_temp.refused('tap_s_public', 'licence type % is not disclosed%'), pg_temp.refused('tap_s_gjj', 'ezz.search needs the holder%'),
				pg_temp.refused('tap_s_gjj', '%check%')],
	ARRAY[1, 2, 3, 1, 1, 1, 1, 1, 1]::bigint[], 'every refusal is in the access log, with its reason');
SELECT is((SELECT count(*) FROM ezz.access_log a JOIN tap_id t ON t.grant_id = a.grant_id WHERE a.id > :log_floor AND a.allowed AND t.name = 'function'),
	3::bigint, 'an allowed use records the grant it relied on');

------------------------------------------------------------------------------
-- a grant used for an action it does not allow; what the views show
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_s_agent;
SELECT ezz.act_for_holder('111', :'li');
INSERT INTO tap_id (name, id, grant_id)
SELECT 'li_view', id, ezz.authorise(id, '12330100470112090C', 'ZJ-GJJ-0002', '{view,verify}', now() + interval '7 days')
FROM tap_id WHERE name = 'li';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok(format($$SELECT ezz.download(%L, 'ZJ-GJJ-0002', %L, grant_id => %s)$$, id, :'why', grant_id), '42501',
	format('grant %s does not allow download', grant_id), 'a grant used for an action it does not allow is refused')
FROM tap_id WHERE name = 'li_view';
SELECT is((SELECT array_agg(DISTINCT grantee_department::text) FROM ezz.authorisations), ARRAY['12330100470112090C'],
	'a using department sees the grants to it');
SELECT is((SELECT count(*) FROM ezz.authorisations WHERE mode = 'entrust'), 0::bigint, 'and not the holders'' entrustments');
SELECT is((SELECT count(*) FROM ezz.annotated_copies), 1::bigint, 'its annotated copies on file');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_tax;
SELECT is((SELECT count(*) FROM ezz.authorisations) + (SELECT count(*) FROM ezz.annotated_copies), 0::bigint,
	'another department sees none of them');
SELECT throws_ok($$SELECT grantee_blind FROM ezz.authorisations$$, '42703', NULL, 'no view shows an entrusted person''s blind index');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_admin;
SELECT is((SELECT count(*) FROM ezz.authorisations WHERE mode = 'entrust' AND grantee_masked LIKE '%*%'
		   AND position('19491231' IN grantee_masked) = 0), 2::bigint,
	'management sees every grant, the entrusted person''s number masked');
RESET SESSION AUTHORIZATION;
-- SQL in the other text arguments is only text
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok($$SELECT * FROM ezz.search('111', $x$330106198507230013'; DROP TABLE ezz.holder; --$x$, NULL, 'ZJ-GJJ-0002', '核验')$$,
	'22P02', NULL, 'an identity number carrying SQL is refused as malformed');
SELECT is((SELECT count(*) FROM ezz.find($x$x' OR '1'='1$x$, $x$张伟' OR '1'='1$x$, NULL, 'ZJ-GJJ-0002', '核验')), 0::bigint,
	'a licence number and a name carrying SQL match nothing');
SELECT throws_ok(format($$SELECT ezz.verify_claims(%L, '111', %L, %L, 'ZJ-GJJ-0002', %L)$$, :'house', :'zhang',
	'{"usage''); DROP TABLE ezz.licence; --": "x"}', :'why'), '22023', NULL, 'a claim named with SQL is not a field');
RESET SESSION AUTHORIZATION;
SELECT ok(to_regclass('ezz.holder') IS NOT NULL AND to_regclass('ezz.licence') IS NOT NULL, 'the tables are all there');

-- a holder's grant on a type: every licence of the type the holder holds
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L)$$, id, :'why'), '42501', NULL,
	'李娜''s licence for ZJ-GJJ-0001: no grant yet') FROM tap_id WHERE name = 'li';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_agent;
SELECT ezz.act_for_holder('111', :'li');
SELECT throws_ok($$SELECT ezz.authorise_type(NULL, '12330100470112090C', 'ZJ-GJJ-0001', '{verify}', now() + interval '1 day')$$,
	'22004', NULL, 'a type grant needs the type');
SELECT throws_ok($$SELECT ezz.authorise_type('11330000002481311D999', '12330100470112090C', 'ZJ-GJJ-0001', '{verify}', now() + interval '1 day')$$,
	'23503', NULL, 'and a type that exists');
INSERT INTO tap_id (name, grant_id)
SELECT 'li_type', ezz.authorise_type(:'house', '12330100470112090C', 'ZJ-GJJ-0001', '{verify}', now() + interval '7 days');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT is((ezz.verify(t.id, 'ZJ-GJJ-0001', :'why', g.grant_id)).valid, true, 'a grant on a type covers the holder''s licence of that type')
FROM tap_id t, tap_id g WHERE t.name = 'li' AND g.name = 'li_type';
SELECT throws_ok(format($$SELECT ezz.verify(%L, 'ZJ-GJJ-0001', %L, %s)$$, t.id, :'why', g.grant_id), '42501',
	format('grant %s does not cover licence %s', g.grant_id, t.id), 'but not another holder''s licence of it')
FROM tap_id t, tap_id g WHERE t.name = 'zhang' AND g.name = 'li_type';
-- unnamed, the grant is found through the licence's holders
SELECT is((ezz.verify(t.id, 'ZJ-GJJ-0001', :'why')).valid, true,
	'a call that names no grant finds the type grant through the licence''s holder')
FROM tap_id t WHERE t.name = 'li';
RESET SESSION AUTHORIZATION;
SELECT is((SELECT a.grant_id FROM ezz.access_log a WHERE a.actor = 'tap_s_gjj' ORDER BY a.id DESC LIMIT 1),
	(SELECT grant_id FROM tap_id WHERE name = 'li_type'), 'and its access record names that grant');

------------------------------------------------------------------------------
-- scope limits 查询范围: calls a minute, rows a call
------------------------------------------------------------------------------
INSERT INTO ezz.use_limit (department, calls_per_minute, note) VALUES ('11330100MB1A651201', 1, 'tap');
CREATE TEMP TABLE tap_rate (n int, outcome text);
GRANT ALL ON tap_rate TO PUBLIC;
SET SESSION AUTHORIZATION tap_s_rs;
DO $$
DECLARE
	lid ezz.licence_ident := (SELECT id FROM tap_id WHERE name = 'firm');
BEGIN
	FOR i IN 1 .. 5 LOOP
		BEGIN
			PERFORM ezz.verify(lid, 'ZJ-RS-0001', '核验用人单位营业执照');
			INSERT INTO tap_rate VALUES (i, 'ok');
		EXCEPTION WHEN configuration_limit_exceeded THEN
			INSERT INTO tap_rate VALUES (i, SQLSTATE);
		END;
	END LOOP;
END
$$;
RESET SESSION AUTHORIZATION;
SELECT ok((SELECT count(*) FILTER (WHERE outcome = '53400') >= 3 AND count(*) FILTER (WHERE outcome = 'ok') BETWEEN 1 AND 2 FROM tap_rate),
	'a department over its calls a minute is refused (53400): with a limit of 1, at most one call a minute passes');
SELECT is(pg_temp.refused('tap_s_rs', 'department 11330100MB1A651201 has made its 1 use calls this minute'),
	(SELECT count(*) FROM tap_rate WHERE outcome = '53400'), 'each of those refusals is in the access log');
SET SESSION AUTHORIZATION tap_s_ziran;
INSERT INTO tap_id (name, id)
SELECT 'zhang2', ezz.issue(:'house', '{"role": "权利人", "type": "natural_person", "id_type": "111", "id": "330106198507230013", "name": "张伟"}',
						  face || '{"unit_no": "330106012003GB00123F00031103"}', '2025-07-16', NULL, case_no => 'TAP-S-4')
FROM tap_sample WHERE code = :'house';
RESET SESSION AUTHORIZATION;
INSERT INTO ezz.use_limit (department, rows_per_call) VALUES ('12330100470112090C', 1);
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok(format($$SELECT * FROM ezz.search('111', %L, %L, 'ZJ-GJJ-0002', %L)$$, :'zhang', :'house', :'why'), '53400',
	'search would list 2 licences, more than the 1 a call may (查询范围)', 'a list call over the department''s rows a call is refused');
RESET SESSION AUTHORIZATION;
UPDATE ezz.use_limit SET rows_per_call = 2 WHERE department = '12330100470112090C';
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT is((SELECT count(*) FROM ezz.search('111', :'zhang', :'house', 'ZJ-GJJ-0002', :'why')), 2::bigint, 'within it, it lists');
RESET SESSION AUTHORIZATION;
-- a list call counts once against the calls a minute, however many licences
-- it decides on (ezz._rate_take with a huge limit reads the count and adds
-- one; a new clock minute between the reads starts again from 1)
SELECT ezz._rate_take('12330100470112090C', 1000000) AS calls_before \gset
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT count(*) FROM ezz.search('111', :'zhang', :'house', 'ZJ-GJJ-0002', :'why') \gset listed_
RESET SESSION AUTHORIZATION;
SELECT ezz._rate_take('12330100470112090C', 1000000) AS calls_after \gset
SELECT ok(:listed_count = 2 AND (:calls_after = :calls_before + 2 OR :calls_after <= 2),
	'a search that decides on two licences counts one call a minute');
SELECT ezz._rate_take('12330100470112090C', 1000000) AS calls_before \gset
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT (ezz.verify_claims(:'house', '111', :'zhang', '{"obligee": "王五"}', 'ZJ-GJJ-0002', :'why')).id IS NOT NULL AS claimed \gset
RESET SESSION AUTHORIZATION;
SELECT ezz._rate_take('12330100470112090C', 1000000) AS calls_after \gset
SELECT ok(:'claimed'::boolean AND (:calls_after = :calls_before + 2 OR :calls_after <= 2),
	'so does a claim check, which decides on the holder''s licence after checking the call');

------------------------------------------------------------------------------
-- bulk analysis 批量分析
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok($$SELECT ezz.request_analysis('11330000002481311D001', '{usage,obligee}', '住房保障统计', now() + interval '30 days')$$,
	'22023', NULL, 'an analysis cannot ask for a sensitive field');
SELECT throws_ok($$SELECT ezz.request_analysis('11330000002481311D001', '{usage}', '', now() + interval '30 days')$$,
	'22023', NULL, 'nor go without a purpose');
INSERT INTO tap_id (name, grant_id)
SELECT 'analysis', ezz.request_analysis(:'house', '{usage,right_type,building_area}', '住房保障统计分析', now() + interval '30 days');
SELECT throws_ok(format($$SELECT * FROM ezz.analyse(%s)$$, grant_id), '55000', NULL, 'a request not yet approved returns nothing')
FROM tap_id WHERE name = 'analysis';
SELECT throws_ok(format($$SELECT ezz.approve_analysis(%s)$$, grant_id), '42501', NULL, 'a department does not approve its own request')
FROM tap_id WHERE name = 'analysis';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_rs;
SELECT throws_ok($$SELECT ezz.request_analysis('11330000002481311D001', '{usage}', '统计', now() + interval '30 days')$$,
	'42501', NULL, 'a department without data use of the type cannot ask');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_admin;
SELECT lives_ok(format($$SELECT ezz.approve_analysis(%s, true, '同意', now() + interval '7 days')$$, grant_id),
	'the management department approves it for 7 days') FROM tap_id WHERE name = 'analysis';
SELECT throws_ok(format($$SELECT ezz.approve_analysis(%s)$$, grant_id), '55000', NULL, 'a request is decided once')
FROM tap_id WHERE name = 'analysis';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT is((SELECT count(*) FROM tap_id t, ezz.analyse(t.grant_id) r WHERE t.name = 'analysis'),
	(SELECT count(*) FROM tap_id WHERE name IN ('zhang', 'zhang2', 'li')), 'the approved analysis returns a row per current licence of the type');
SELECT is((SELECT array_agg(DISTINCT k ORDER BY k) FROM tap_id t, ezz.analyse(t.grant_id) r, jsonb_object_keys(r) k WHERE t.name = 'analysis'),
	ARRAY['building_area', 'issuer', 'region', 'right_type', 'status', 'subject', 'usage', 'valid_from', 'valid_to'],
	'de-identified: a pseudonym, issuer, region, status, period and the approved fields, nothing else');
SELECT is((SELECT count(DISTINCT r->>'subject') FROM tap_id t, ezz.analyse(t.grant_id) r WHERE t.name = 'analysis'), 2::bigint,
	'one pseudonym per holder (张伟''s two licences share one)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_tax;
SELECT throws_ok(format($$SELECT * FROM ezz.analyse(%s)$$, grant_id), '42501', NULL, 'another department cannot run it')
FROM tap_id WHERE name = 'analysis';
RESET SESSION AUTHORIZATION;
UPDATE ezz.analysis_request SET valid_until = now() - interval '1 second' WHERE id = (SELECT grant_id FROM tap_id WHERE name = 'analysis');
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT throws_ok(format($$SELECT * FROM ezz.analyse(%s)$$, grant_id), '55000',
	format('the approval of analysis request %s ended at %s', grant_id, now() - interval '1 second'), 'nor is an expired approval')
FROM tap_id WHERE name = 'analysis';
RESET SESSION AUTHORIZATION;
SELECT is(ARRAY[pg_temp.refused('tap_s_gjj', 'analysis request % is pending, not approved'), pg_temp.refused('tap_s_tax', 'analysis request % is not a request%'),
				pg_temp.refused('tap_s_gjj', 'the approval of analysis request % ended%')],
	ARRAY[1, 1, 1]::bigint[], 'refused analyses are in the access log');

-- a holder renamed: a list shows each licence under the name it bears (its
-- signed document's), not the holder's latest name
SET SESSION AUTHORIZATION tap_s_shichang;
INSERT INTO tap_id (name, id)
SELECT 'firm2', ezz.issue(:'firm', '{"role": "持证人", "type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮集团有限公司"}',
						  face, '2026-06-01', NULL, case_no => 'TAP-S-90')
FROM tap_sample WHERE code = :'firm';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_agent;
SELECT lives_ok($$SELECT ezz.act_for_holder('001', '91330105MA2H2H2H2A')$$, 'the agent acts for the renamed firm');
SELECT is((SELECT array_agg(m.holder_name ORDER BY t.name) FROM ezz.my_licences() m JOIN tap_id t ON t.id::text = m.id::text),
	ARRAY['杭州示例餐饮有限公司', '杭州示例餐饮集团有限公司'], 'each of its licences is listed under the name it bears');
RESET SESSION AUTHORIZATION;
SELECT licence_no AS firm_no FROM ezz.licence l JOIN tap_id t ON t.id::text = l.id::text WHERE t.name = 'firm' \gset
SET SESSION AUTHORIZATION tap_s_tax;
SELECT is((SELECT array_agg(t.name ORDER BY t.name) FROM ezz.find(:'firm_no', '杭州示例餐饮有限公司', :'firm', 'ZJ-SW-0002', '新办纳税人涉税信息确认') f
		   JOIN tap_id t ON t.id::text = f.id::text),
	ARRAY['firm'], 'find by number and the name a licence bears');
SELECT is((SELECT array_agg(t.name || ' ' || f.holder_name ORDER BY t.name) FROM ezz.find(:'firm_no', '杭州示例餐饮集团有限公司', :'firm', 'ZJ-SW-0002', '新办纳税人涉税信息确认') f
		   JOIN tap_id t ON t.id::text = f.id::text),
	ARRAY['firm 杭州示例餐饮有限公司', 'firm2 杭州示例餐饮集团有限公司'], 'or by number and the holder''s name now');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_tax;
SELECT is(ARRAY[(ezz.get_data(id, 'ZJ-SW-0002', '新办纳税人涉税信息确认'))->'holders'->0->>'name', (ezz.public_lookup(id))->'holders'->>0],
	ARRAY['杭州示例餐饮有限公司', '杭州示例餐饮有限公司'], 'get_data and public_lookup name the holder as the licence does')
FROM tap_id WHERE name = 'firm';
RESET SESSION AUTHORIZATION;
-- a department that issues and uses: its own licences whatever its usage list
SET SESSION AUTHORIZATION tap_s_shichang;
SELECT is((SELECT array_agg(t.name ORDER BY t.name) FROM ezz.search('001', '91330105MA2H2H2H2A', NULL, 'ZJ-GJJ-0002', '核对本局发证') s
		   JOIN tap_id t ON t.id::text = s.id::text),
	ARRAY['firm', 'firm2'], 'an issuer lists its own licences with no type, for an item not on its usage list');
SELECT is((SELECT count(*) FROM ezz.search('001', '91330105MA2H2H2H2A', :'firm', 'ZJ-GJJ-0002', '核对本局发证')), 2::bigint,
	'and with its type named');
SELECT is((SELECT array_agg(s.id::text ORDER BY s.ordinality) FROM ezz.search('001', '91330105MA2H2H2H2A', NULL, 'ZJ-GJJ-0002', '核对本局发证')
		   WITH ORDINALITY s),
	(SELECT array_agg(s.id::text ORDER BY s.type_code, s.id) FROM ezz.search('001', '91330105MA2H2H2H2A', NULL, 'ZJ-GJJ-0002', '核对本局发证') s),
	'a search lists by type, then identifier');
RESET SESSION AUTHORIZATION;
-- its issuer sees a natural person's name in clear (a using department, masked: above)
SET SESSION AUTHORIZATION tap_s_ziran;
SELECT is((SELECT array_agg(DISTINCT s.holder_name) FROM ezz.search('111', :'zhang', :'house', 'ZJ-GJJ-0002', '核对本局发证') s),
	ARRAY['张伟'], 'the issuer''s search names the holder in clear');
RESET SESSION AUTHORIZATION;

------------------------------------------------------------------------------
-- SQL injection through every text argument of the sharing functions: each
-- argument carrying SQL is refused as the value it is, or kept as text
------------------------------------------------------------------------------
\set sqli '''x''''); DROP TABLE ezz.licence; --'''
CREATE FUNCTION pg_temp.injected(call text, state text, what text) RETURNS text LANGUAGE sql AS $$
	SELECT CASE WHEN state IS NULL THEN lives_ok(call, what || ': kept as text')
				ELSE throws_ok(call, state, NULL, what || ': refused as a value (' || state || ')') END
$$;
SELECT count(*) AS licences_before FROM ezz.licence \gset
SET SESSION AUTHORIZATION tap_s_gjj;
SELECT pg_temp.injected(format(c.call, (SELECT id FROM tap_id WHERE name = 'li'), :sqli), c.state, c.what)
FROM (VALUES
	('SELECT ezz.get_data(%L, %L, ''核验'')', '42501', 'get_data service_item'),
	('SELECT ezz.get_data(%L, ''ZJ-GJJ-0002'', %L)', NULL, 'get_data purpose'),
	('SELECT ezz.download(%L, %L, ''核验'')', '42501', 'download service_item'),
	('SELECT ezz.verify_claims(%2$L, ''111'', ''330105198701020021'', ''{"usage": "x"}'', ''ZJ-GJJ-0002'', ''核验'')', '23503', 'verify_claims type_code'),
	('SELECT ezz.verify_claims(''11330000002481311D001'', %2$L, ''330105198701020021'', ''{"usage": "x"}'', ''ZJ-GJJ-0002'', ''核验'')', '22023', 'verify_claims holder_id_type'),
	('SELECT ezz.verify_claims(''11330000002481311D001'', ''111'', %2$L, ''{"usage": "x"}'', ''ZJ-GJJ-0002'', ''核验'')', '22P02', 'verify_claims holder_id'),
	('SELECT ezz.verify_claims(''11330000002481311D001'', ''111'', ''330105198701020021'', ''{"usage": "x"}'', %2$L, ''核验'')', '42501', 'verify_claims service_item'),
	('SELECT ezz.verify_claims(''11330000002481311D001'', ''111'', ''330105198701020021'', ''{"usage": "x"}'', ''ZJ-GJJ-0002'', %2$L)', NULL, 'verify_claims purpose'),
	('SELECT * FROM ezz.search(''111'', ''330105198701020021'', %2$L, ''ZJ-GJJ-0002'', ''核验'')', '42501', 'search type_code'),
	('SELECT * FROM ezz.search(''111'', ''330105198701020021'', NULL, %2$L, ''核验'')', '42501', 'search service_item'),
	('SELECT * FROM ezz.search(''111'', ''330105198701020021'', NULL, ''ZJ-GJJ-0002'', %2$L)', NULL, 'search purpose'),
	('SELECT * FROM ezz.find(''x'', ''李娜'', %2$L, ''ZJ-GJJ-0002'', ''核验'')', '42501', 'find type_code'),
	('SELECT * FROM ezz.find(''x'', ''李娜'', NULL, %2$L, ''核验'')', '42501', 'find service_item'),
	('SELECT * FROM ezz.find(''x'', ''李娜'', NULL, ''ZJ-GJJ-0002'', %2$L)', NULL, 'find purpose'),
	('SELECT ezz.request_analysis(%2$L, ''{usage}'', ''统计'', now() + interval ''30 days'')', '42501', 'request_analysis type_code'),
	('SELECT ezz.request_analysis(''11330000002481311D001'', ARRAY[%2$L], ''统计'', now() + interval ''30 days'')', '22023', 'request_analysis fields'),
	('SELECT ezz.request_analysis(''11330000002481311D001'', ''{usage}'', %2$L, now() + interval ''30 days'')', NULL, 'request_analysis purpose')
) c(call, state, what);
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_agent;
SELECT ezz.act_for_holder('111', :'li');
SELECT pg_temp.injected(format(c.call, (SELECT id FROM tap_id WHERE name = 'li'), :sqli), c.state, c.what)
FROM (VALUES
	('SELECT ezz.act_for_holder(%2$L, ''330105198701020021'')', '22023', 'act_for_holder id_type'),
	('SELECT ezz.act_for_holder(''111'', %2$L)', '22P02', 'act_for_holder id'),
	('SELECT ezz.authorise(%L, ''12330100470112090C'', %L, ''{view}'', now() + interval ''1 day'')', '23503', 'authorise service_item'),
	('SELECT ezz.authorise(%L, ''12330100470112090C'', ''ZJ-GJJ-0002'', ARRAY[%L], now() + interval ''1 day'')', '22023', 'authorise actions'),
	('SELECT ezz.authorise_type(%2$L, ''12330100470112090C'', ''ZJ-GJJ-0002'', ''{view}'', now() + interval ''1 day'')', '23503', 'authorise_type type_code'),
	('SELECT ezz.authorise_type(''11330000002481311D001'', ''12330100470112090C'', %2$L, ''{view}'', now() + interval ''1 day'')', '23503', 'authorise_type service_item'),
	('SELECT ezz.entrust(%L, %L, ''11010519491231002X'', ''ZJ-GJJ-0002'', now(), now() + interval ''1 day'')', '22023', 'entrust agent_id_type'),
	('SELECT ezz.entrust(%L, ''111'', %L, ''ZJ-GJJ-0002'', now(), now() + interval ''1 day'')', '22P02', 'entrust agent_id'),
	('SELECT ezz.entrust(%L, ''111'', ''11010519491231002X'', %L, now(), now() + interval ''1 day'')', '23503', 'entrust matter')
) c(call, state, what);
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tap_s_admin;
SELECT pg_temp.injected(format(c.call, (SELECT max(id) FROM ezz.analysis_requests WHERE status = 'pending'), :sqli), c.state, c.what)
FROM (VALUES
	('SELECT ezz.grant_function_use(''12330100470112090C'', %2$L, ''{ZJ-GJJ-0002}'', ''{view}'', now(), now() + interval ''1 day'')', '23503', 'grant_function_use type_code'),
	('SELECT ezz.grant_function_use(''12330100470112090C'', ''11330000002481311D001'', ARRAY[%2$L], ''{view}'', now(), now() + interval ''1 day'')', '23503', 'grant_function_use service_items'),
	('SELECT ezz.grant_function_use(''12330100470112090C'', ''11330000002481311D001'', ''{ZJ-GJJ-0002}'', ARRAY[%2$L], now(), now() + interval ''1 day'')', '22023', 'grant_function_use actions'),
	('SELECT ezz.approve_analysis(%s, false, %L)', NULL, 'approve_analysis note')
) c(call, state, what);
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.refused('tap_s_gjj', 'department 12330100470112090C may not view licences for service item x''); DROP TABLE%'), 2::bigint,
	'a list of every type for a service item on no usage-list entry is refused, and recorded (search, find)');
SELECT is(ARRAY[(SELECT count(*) FROM ezz.licence), (SELECT count(*) FROM ezz.analysis_request WHERE decision_note = :sqli)],
	ARRAY[:licences_before, 1]::bigint[], 'no table was dropped or emptied; the SQL stayed text where text is kept');

SELECT * FROM finish();
ROLLBACK;
