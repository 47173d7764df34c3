-- issue: ezz.issue and ezz.issue_batch, ezz.verify, ezz.export and
-- ezz.verify_document, with every bad input of the issue list and its SQLSTATE,
-- and nothing left behind by a refused call.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
BEGIN;
SET search_path = public, ezz;
SELECT plan(86);

-- logins: two issuers, a civil affairs bureau, a health commission, an
-- unbound issuer, a using department, the management department
CREATE ROLE tap_admin LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_gongshu LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_minzheng LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_weijian LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_unbound LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_consumer LOGIN IN ROLE ezz_consumer;
SELECT ezz.bind_login('tap_admin', '11330000MB1946A028');
SELECT ezz.bind_login('tap_gongshu', '11330105MB1B28400H');		-- 杭州市拱墅区市场监督管理局
SELECT ezz.bind_login('tap_minzheng', '11330100002500893T');	-- 杭州市民政局
SELECT ezz.bind_login('tap_weijian', '11330100MB1A779065');		-- 杭州市卫生健康委员会
SELECT ezz.bind_login('tap_consumer', '12330100470112090C');	-- 杭州住房公积金管理中心
SELECT ezz.create_key('11330105MB1B28400H'), ezz.create_key('11330100002500893T', 'ed25519'),
       ezz.create_key('11330100MB1A779065', 'ecdsa-p256');

CREATE TEMP TABLE tap_sample AS SELECT code, face_sample AS face FROM ezz.licence_type;
CREATE TEMP TABLE tap_id (name text PRIMARY KEY, id ezz.licence_ident);
GRANT SELECT ON tap_sample TO PUBLIC;
GRANT ALL ON tap_id TO PUBLIC;
\set food '11330000002481602G002'
\set marriage '113300000024808377001'
\set birth '11330000002481477U001'
\set eatery '{"role": "持证人", "type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}'

CREATE FUNCTION pg_temp.counts() RETURNS text LANGUAGE sql AS $$
	SELECT format('licence %s holder %s case %s history %s links %s produced %s',
		(SELECT count(*) FROM ezz.licence), (SELECT count(*) FROM ezz.holder), (SELECT count(*) FROM ezz.service_case),
		(SELECT count(*) FROM ezz.status_history), (SELECT count(*) FROM ezz.licence_holder),
		(SELECT count(*) FROM ezz.case_licence))
$$;

------------------------------------------------------------------------------
-- issuing
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_gongshu;
INSERT INTO tap_id SELECT 'food', ezz.issue(:'food', :'eatery', face, '2025-06-01', NULL, case_no => 'GS-2025-0001')
FROM tap_sample WHERE code = :'food';
RESET SESSION AUTHORIZATION;
SELECT ok((SELECT ezz.ident_type_code(id) = :'food' AND ezz.ident_issuer(id) = '11330105MB1B28400H' AND ezz.ident_version(id) = 1
           FROM tap_id WHERE name = 'food'), 'ezz.issue returns an identifier of the type, the issuer, version 001');
SELECT is((SELECT licence_no FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food'),
          (SELECT face->>'licence_no' FROM tap_sample WHERE code = :'food'), 'the licence number is the face field the type names');
SELECT is((SELECT valid_to FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food'), '2030-05-31'::date,
          'without valid_to, the type''s default validity (5 years) applies');
SELECT is((SELECT status::text || ' ' || mode || ' ' || (key_id IS NOT NULL) FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food'),
          'valid online true', 'a new licence is valid, online, signed');
SELECT is((SELECT to_status::text || ' ' || actor || ' ' || department FROM ezz.status_history h JOIN tap_id t ON t.id = h.licence
           WHERE t.name = 'food'), 'valid tap_gongshu 11330105MB1B28400H', 'the issue is in the status history, with actor and department');
SELECT is((SELECT c.case_no || ' ' || cl.electronic FROM ezz.service_case c JOIN ezz.case_licence cl ON cl.case_id = c.id
           JOIN tap_id t ON t.id = cl.licence WHERE t.name = 'food'), 'GS-2025-0001 true',
          'the service case is recorded with the licence it produced electronically');
SELECT is((SELECT document->'holders'->0->>'id_masked' FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food'),
          '913***********2H2A', 'the signed document carries the masked identity, not the clear one');
SELECT ok((SELECT position('91330105MA2H2H2H2A' in document::text) = 0 FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food'),
          'the clear identity number appears nowhere in the document');
SELECT is((SELECT document->'holders'->0->>'id_digest' FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food'),
          (SELECT encode(ezz.sm3(convert_to(id::text || '|001:91330105MA2H2H2H2A', 'UTF8')), 'hex') FROM tap_id WHERE name = 'food'),
          'id_digest lets a verifier holding the document check it: SM3(licence|type:number)');
SELECT ok((SELECT id_cipher IS NOT NULL AND position('91330105MA2H2H2H2A'::bytea in id_cipher) = 0 AND id_cipher_alg = 'aes-256-gcm'
                  AND octet_length(id_blind) = 32 FROM ezz.holder WHERE name = '杭州示例餐饮有限公司'),
          'the holder''s identity number is stored encrypted, with a 32-byte blind index');
SELECT is(ezz._holder_reveal('001', h.id_cipher, h.id_cipher_alg, h.id_key_version), '91330105MA2H2H2H2A',
          'the server (and only ezz_owner) can decrypt it') FROM ezz.holder h WHERE h.name = '杭州示例餐饮有限公司';

-- idempotent on (issuer, type, case_no)
SELECT pg_temp.counts() AS before \gset
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is((SELECT ezz.issue(:'food', :'eatery', face, '2025-06-01', NULL, case_no => 'GS-2025-0001') FROM tap_sample WHERE code = :'food'),
          (SELECT id FROM tap_id WHERE name = 'food'), 'a retry with the same case number returns the licence already issued');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.counts(), :'before', 'and issues nothing twice');

-- several holders: both spouses of a marriage; a newborn identified through the mother
SET SESSION AUTHORIZATION tap_minzheng;
INSERT INTO tap_id SELECT 'marriage', ezz.issue(:'marriage',
	'[{"role": "男方", "type": "natural_person", "id_type": "111", "id": "330106198507230013", "name": "张伟"},
	  {"role": "女方", "type": "natural_person", "id_type": "111", "id": "330105198701020021", "name": "李娜"}]',
	face, '2025-05-20', NULL) FROM tap_sample WHERE code = :'marriage';
SET SESSION AUTHORIZATION tap_weijian;
INSERT INTO tap_id SELECT 'birth', ezz.issue(:'birth',
	'[{"role": "新生儿", "type": "natural_person", "name": "张小宝", "related_role": "母亲"},
	  {"role": "母亲", "type": "natural_person", "id_type": "111", "id": "330105870102002", "name": "李娜"}]',
	face, '2025-03-01', NULL) FROM tap_sample WHERE code = :'birth';
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(lh.role || ':' || h.name, ',' ORDER BY lh.ordinal) FROM ezz.licence_holder lh
           JOIN ezz.holder h ON h.id = lh.holder_id JOIN tap_id t ON t.id = lh.licence WHERE t.name = 'marriage'),
          '男方:张伟,女方:李娜', 'a marriage certificate has both spouses as holders, with their roles');
SELECT is((SELECT count(*) FROM ezz.holder WHERE name = '李娜'), 1::bigint,
          'the same person on two licences is one holder (a 15-digit number is the same person as its 18-digit form)');
SELECT is((SELECT h.related_holder = m.id FROM ezz.holder h, ezz.holder m WHERE h.name = '张小宝' AND m.name = '李娜'), true,
          'a newborn without an identity number is identified through the mother');
SELECT is((SELECT document->'holders'->0->>'related_role' FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'birth'),
          '母亲', 'the signed document says through whom');
SELECT is((SELECT document->'holders'->1->>'id_masked' FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'birth'),
          '330***********0021', 'a 15-digit identity number is converted to 18 digits before it is masked and indexed');

------------------------------------------------------------------------------
-- refused, each with its SQLSTATE, and nothing half-written
------------------------------------------------------------------------------
SELECT pg_temp.counts() AS before \gset
SET SESSION AUTHORIZATION tap_unbound;
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '55000', NULL, 'an unbound issuer login issues nothing');
SET SESSION AUTHORIZATION tap_consumer;
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '42501', NULL, 'a using department cannot issue');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'marriage', :'eatery', (SELECT face FROM tap_sample WHERE code = :'marriage'), '2025-06-01'),
                 '42501', NULL, 'a type not on the issuer''s issuance list');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', '11330000002481602G099', :'eatery', '{}', '2025-06-01'),
                 '22023', NULL, 'an unknown type');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face - 'licence_no' FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', 'face field "licence_no" (许可证编号) is required', 'a required face field missing');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face || '{"colour": "红"}' FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', 'licence type 11330000002481602G002 has no face field "colour"', 'a face field the type does not have');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face || '{"licence_no": 12345}' FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', 'face field "licence_no" (许可证编号) must be a string', 'a face field of the wrong JSON type');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face || '{"issued_on": "2025-13-01"}' FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22007', NULL, 'a face date that is not a date');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face || jsonb_build_object('licence_no', repeat('9', 17)) FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22001', NULL, 'a face string longer than its max_length');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food',
                        '{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2B", "name": "x"}', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22P02', NULL, 'a holder identity number with a wrong check character');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food',
                        '{"type": "natural_person", "id_type": "111", "id": "11010519491231002X", "name": "张三"}', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', NULL, 'a holder of a kind the type is not held by');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food',
                        '{"type": "legal_person", "id_type": "111", "id": "11010519491231002X", "name": "x"}', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', NULL, 'a legal person with a natural person''s document');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food',
                        '{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "x", "phone": "1"}', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', NULL, 'a holder with an unknown attribute');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', '[]', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', NULL, 'no holder');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, %L)', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01', '2025-05-31'),
                 '22023', 'ezz.issue: valid_to 2025-05-31 is before valid_from 2025-06-01', 'valid_to before valid_from');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, NULL, %L, NULL)', :'food', :'eatery', '2025-06-01'),
                 '22004', 'ezz.issue: data must not be NULL', 'NULL data');
SELECT throws_ok(format('SELECT ezz.issue(%L, NULL, %L, %L, NULL)', :'food', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22004', 'ezz.issue: holder must not be NULL', 'NULL holder');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL, mode => %L)', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01', 'fax'),
                 '22023', NULL, 'an unknown mode');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL, completed_at => now() + interval ''1 day'')', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '22023', NULL, 'a completion time in the future');
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL, case_no => %L)', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01', repeat('C', 65)),
                 '22023', NULL, 'a case number of 65 characters');
RESET SESSION AUTHORIZATION;
UPDATE ezz.licence_type SET active = false WHERE code = '11330000002481602G001';
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', '11330000002481602G001', :'eatery', (SELECT face FROM tap_sample WHERE code = '11330000002481602G001'), '2025-06-01'),
                 '55000', NULL, 'a type no longer issued');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.counts(), :'before', 'no refused call left a licence, holder, case, history or link behind');

-- no key to sign with: retired, or revoked
SELECT ezz.retire_key(key_id) FROM ezz.signing_key WHERE department = '11330105MB1B28400H' AND status = 'active';
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '55000', 'department 11330105MB1B28400H has no active signing key', 'no issue when the key is retired');
RESET SESSION AUTHORIZATION;
SELECT ezz.create_key('11330105MB1B28400H', 'ed25519') AS gongshu_key2 \gset
SELECT ezz.revoke_key(:gongshu_key2, '私钥泄露', now());
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok(format('SELECT ezz.issue(%L, %L, %L, %L, NULL)', :'food', :'eatery', (SELECT face FROM tap_sample WHERE code = :'food'), '2025-06-01'),
                 '55000', NULL, 'no issue when the key is revoked');
RESET SESSION AUTHORIZATION;
SELECT ezz.create_key('11330105MB1B28400H', 'ecdsa-p256');

------------------------------------------------------------------------------
-- verify, export, verify_document
------------------------------------------------------------------------------
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is((SELECT (v.valid, v.status::text, v.reasons)::text FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'food'),
          '(t,valid,{})', 'the issuer verifies its licence: valid');
SELECT is((SELECT v.checked->>'signature' || ' ' || (v.checked->'key'->>'algorithm') FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'food'),
          'true sm2', 'the verification says what it checked');
SELECT throws_ok(format('SELECT ezz.verify(%L)', (SELECT id FROM tap_id WHERE name = 'marriage')), '22004', NULL,
                 'a department verifying another department''s licence must name the service item and purpose');
SELECT throws_ok(format('SELECT ezz.verify(%L, %L, %L)', (SELECT id FROM tap_id WHERE name = 'marriage'), 'ZJ-SCJG-0001', '核验婚姻状况'),
                 '42501', NULL, '... and be on the usage list for that type, item and action');
SELECT throws_ok('SELECT ezz.verify(NULL)', '22004', NULL, 'verify: NULL');
SELECT is((ezz.verify(ezz.licence_ident(:'food', '11330105MB1B28400H', 'NOSUCH', 1))).reasons,
          ARRAY['no licence with this identifier is in this library'], 'an unknown identifier does not verify');
CREATE TEMP TABLE tap_doc AS SELECT ezz.export(id) AS doc FROM tap_id WHERE name = 'food';
SELECT ok((SELECT doc ? 'document' AND doc->'signature' ? 'value' AND doc->>'public_key' LIKE '-----BEGIN PUBLIC KEY-----%'
                  AND doc->'document'->>'format' = 'ezz-licence/1' FROM tap_doc), 'export: the document, its signature and the public key');
SELECT is((SELECT (v.valid, v.reasons)::text FROM tap_doc, ezz.verify_document(doc) v), '(t,{})', 'the exported document verifies');
SELECT is((SELECT (v.valid, v.reasons[1])::text FROM tap_doc, ezz.verify_document(jsonb_set(doc, '{document,face,operator_name}', '"冒名顶替"')) v),
          '(f,"the signature does not verify: the signature does not match the document and the public key")',
          'a document with a changed face field does not verify');
SELECT is((SELECT v.valid FROM tap_doc, ezz.verify_document(jsonb_set(doc, '{document,valid_to}', '"2099-12-31"')) v), false,
          'a document with a later valid_to does not verify');
SELECT is((SELECT v.reasons[1] FROM tap_doc, ezz.verify_document(jsonb_set(doc, '{signature,fingerprint}',
                                    to_jsonb((SELECT fingerprint FROM ezz.trusted_keys WHERE owner = '11330100002500893T' LIMIT 1)))) v),
          'the signature does not verify: the signature does not match the document and the public key',
          'a signature checked against another department''s key does not verify');
SELECT ok((SELECT v.reasons[1] LIKE 'signed by a key this library does not know%' FROM tap_doc,
                  ezz.verify_document(jsonb_set(doc, '{signature,fingerprint}', to_jsonb(repeat('ab', 32)))) v),
          'a document signed by an unknown key does not verify');
SELECT is((SELECT v.valid FROM ezz.verify_document('{"hello": "world"}') v), false, 'something that is not a licence document');
SELECT is((SELECT v.valid FROM tap_doc, ezz.verify_document(jsonb_set(doc, '{signature,value}', '"!!not base64"')) v), false,
          'a signature value that is not base64');
RESET SESSION AUTHORIZATION;

-- a forged signature: one bit flipped in the stored signature
UPDATE ezz.licence SET signature = set_bit(signature, 100, 1 - get_bit(signature, 100))
WHERE id = (SELECT id FROM tap_id WHERE name = 'marriage');
SELECT is((SELECT (v.valid, v.reasons[1])::text FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'marriage'),
          '(f,"the signature does not verify: the signature does not match the document and the public key")',
          'one bit flipped in the signature: not valid');
-- a record changed behind ezz's back (the signed document is intact)
UPDATE ezz.licence SET licence_no = 'FORGED' WHERE id = (SELECT id FROM tap_id WHERE name = 'birth');
SELECT ok((SELECT NOT v.valid AND 'the library''s record differs from the signed document (altered outside ezz?)' = ANY (v.reasons)
           FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'birth'), 'a record altered outside ezz: not valid');
-- a document that lost a field the record keeps: the record does not match it (not "unknown")
UPDATE ezz.licence SET document = document - 'number' WHERE id = (SELECT id FROM tap_id WHERE name = 'birth');
SELECT is((SELECT v.checked->'record_matches_document' FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'birth'),
          'false'::jsonb, 'a document without the licence number does not match the record');
-- a licence whose signing key is not in the library (its row pointed elsewhere out of band, foreign key and
-- audit skipped): not valid, and said so (it once verified: a missing key skipped the signature check)
SET session_replication_role = replica;
UPDATE ezz.licence SET key_id = key_id + 1000000 WHERE id = (SELECT id FROM tap_id WHERE name = 'marriage');
RESET session_replication_role;
SELECT is((SELECT (v.valid, v.reasons[1], v.checked->>'signature', v.checked->'key'->>'id')::text
           FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'marriage'),
          '(f,"the signature does not verify: its signing key is not in this library",false,)',
          'a licence whose signing key is missing: not valid');
SET session_replication_role = replica;
UPDATE ezz.licence SET key_id = key_id - 1000000 WHERE id = (SELECT id FROM tap_id WHERE name = 'marriage');
RESET session_replication_role;

-- key revocation: signatures before the effective time stay valid, later ones do not
SELECT ezz.revoke_key(key_id, '测试吊销', now() + interval '1 hour') FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food';
SELECT is((SELECT v.valid FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'food'), true,
          'a key revoked with effect from later: what it signed before stays valid');
UPDATE ezz.signing_key SET revocation_effective_at = now() - interval '1 hour'
WHERE key_id = (SELECT key_id FROM ezz.licence l JOIN tap_id t USING (id) WHERE t.name = 'food');
SELECT ok((SELECT NOT v.valid AND v.reasons[1] LIKE 'the signing key % was revoked with effect from %' FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'food'),
          'a key revoked with effect from before the signature: not valid');

-- validity period: expired the moment valid_to ends, not yet valid before valid_from
SET SESSION AUTHORIZATION tap_gongshu;
INSERT INTO tap_id SELECT 'old', ezz.issue(:'food', :'eatery', face, '2020-01-01', '2020-12-31') FROM tap_sample WHERE code = :'food';
INSERT INTO tap_id SELECT 'future', ezz.issue(:'food', :'eatery', face, ezz.today() + 30, NULL) FROM tap_sample WHERE code = :'food';
SELECT is((SELECT (v.valid, v.status::text, v.reasons)::text FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'old'),
          '(f,expired,"{""the licence is expired 过期""}")', 'a licence past its valid_to is expired, whatever maintenance has recorded');
SELECT ok((SELECT NOT v.valid AND v.reasons[1] LIKE 'not yet valid: valid from %' FROM tap_id t, ezz.verify(t.id) v WHERE t.name = 'future'),
          'a licence before its valid_from is not yet valid');
SELECT is((SELECT ezz.verify_document(ezz.export(id)) FROM tap_id WHERE name = 'old').status::text, 'expired',
          'verify_document reports the current status too');
RESET SESSION AUTHORIZATION;

-- the session's time zone does not move the end of a licence's last day
SET TimeZone = 'Pacific/Kiritimati';
SELECT is(ezz.today(), (now() AT TIME ZONE 'Asia/Shanghai')::date, 'ezz.today() is the library''s date, not the session''s');
RESET TimeZone;

------------------------------------------------------------------------------
-- ezz.issue_batch
------------------------------------------------------------------------------
CREATE TABLE tap_stage (type_code text, holder jsonb, data jsonb, valid_from date, case_no text, source_kind text);
GRANT SELECT ON tap_stage TO tap_gongshu;
INSERT INTO tap_stage
SELECT :'food', jsonb_build_object('type', 'legal_person', 'id_type', '001',
							 'id', ezz.uscc_complete('9133010' || lpad(g::text, 10, '0'))::text, 'name', '企业' || g),
	   jsonb_set(face, '{licence_no}', to_jsonb('JY' || lpad(g::text, 14, '0'))), '2025-01-01', 'BATCH-' || g, 'stock'
FROM tap_sample, generate_series(1, 2500) g WHERE code = :'food';
UPDATE tap_stage SET data = data - 'operator_name' WHERE case_no = 'BATCH-1234';
SELECT pg_temp.counts() AS before \gset
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok('SELECT ezz.issue_batch(''tap_stage'')', '22023', NULL, 'a batch with one bad row in the middle is refused');
SELECT throws_like('SELECT ezz.issue_batch(''tap_stage'')', 'batch row % (case_no BATCH-1234): face field "operator_name" (经营者名称) is required',
                   'the refusal names the row, its case number and what is wrong');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.counts(), :'before', 'a refused batch issues nothing (all or nothing)');
UPDATE tap_stage SET data = jsonb_set(data, '{operator_name}', '"补正后的名称"') WHERE case_no = 'BATCH-1234';
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is(ezz.issue_batch('tap_stage'), 2500::bigint, 'the corrected batch issues every row');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM ezz.licence WHERE mode = 'stock' AND type_code = :'food'), 2500::bigint,
          'source_kind stock makes 存量电子化 licences');
SELECT is((SELECT count(*) FROM ezz.licence l WHERE mode = 'stock' AND NOT (ezz.verify(l.id)).valid), 0::bigint,
          'every batch licence verifies');
SET SESSION AUTHORIZATION tap_gongshu;
SELECT is(ezz.issue_batch('tap_stage'), 2500::bigint, 'running the same batch again ...');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM ezz.licence WHERE mode = 'stock'), 2500::bigint, '... issues nothing twice (idempotent on case_no)');
CREATE TABLE tap_stage_bad (type_code text, holder jsonb, data jsonb);
CREATE TABLE tap_stage_extra (type_code text, holder jsonb, data jsonb, valid_from date, colour text);
GRANT SELECT ON tap_stage_bad, tap_stage_extra TO tap_gongshu;
SET SESSION AUTHORIZATION tap_gongshu;
SELECT throws_ok('SELECT ezz.issue_batch(''tap_stage_bad'')', '42703', 'ezz.issue_batch: public.tap_stage_bad has no column "valid_from"',
                 'a staging table without a required column');
SELECT throws_ok('SELECT ezz.issue_batch(''tap_stage_extra'')', '42703', NULL, 'a staging table with a column ezz.issue does not take');
SELECT throws_ok('SELECT ezz.issue_batch(NULL)', '22004', NULL, 'issue_batch: NULL source');
SET SESSION AUTHORIZATION tap_unbound;
SELECT throws_ok('SELECT ezz.issue_batch(''tap_stage'')', '55000', NULL, 'issue_batch: an unbound login');
RESET SESSION AUTHORIZATION;
------------------------------------------------------------------------------
-- the one-row path (ezz.issue) and the set-based path (ezz.issue_batch)
-- write the same thing for the same arguments
------------------------------------------------------------------------------
-- what a licence is, leaving out what depends on its identifier
CREATE FUNCTION pg_temp.shape(lid ezz.licence_ident) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object(
		'document', (l.document - 'id' - 'number') || jsonb_build_object('holders',
			(SELECT jsonb_agg(h - 'id_digest' ORDER BY n) FROM jsonb_array_elements(l.document->'holders') WITH ORDINALITY x(h, n))),
		'row', jsonb_build_object('type', l.type_code, 'issuer', l.issuer::text, 'from', l.valid_from, 'to', l.valid_to,
								  'status', l.status, 'mode', l.mode, 'key', l.key_id, 'paper', l.paper_sync),
		'holders', (SELECT jsonb_agg(jsonb_build_object('ordinal', lh.ordinal, 'holder', lh.holder_id, 'role', lh.role)
								ORDER BY lh.ordinal) FROM ezz.licence_holder lh WHERE lh.licence = l.id),
		'history', (SELECT jsonb_agg(jsonb_build_object('from', s.from_status, 'to', s.to_status, 'actor', s.actor,
								'department', s.department::text, 'reason', s.reason, 'basis', s.basis))
					FROM ezz.status_history s WHERE s.licence = l.id),
		'case', (SELECT jsonb_build_object('item', c.service_item, 'department', c.department::text, 'role', cl.role,
										   'electronic', cl.electronic)
				 FROM ezz.case_licence cl JOIN ezz.service_case c ON c.id = cl.case_id WHERE cl.licence = l.id),
		'valid', (ezz.verify(l.id)).valid)
	FROM ezz.licence l WHERE l.id = lid
$$;
CREATE TABLE tap_agree (type_code text, holder jsonb, data jsonb, valid_from date, valid_to date, case_no text, mode text);
GRANT SELECT ON tap_agree TO tap_minzheng, tap_weijian, tap_gongshu;
-- the spouses again (known holders), a newborn through the mother with a new
-- name, the eatery under a new name (改名)
INSERT INTO tap_agree VALUES
	(:'marriage', '[{"role": "男方", "type": "natural_person", "id_type": "111", "id": "330106198507230013", "name": "张伟"},
					{"role": "女方", "type": "natural_person", "id_type": "111", "id": "330105198701020021", "name": "李娜"}]',
	 (SELECT face FROM tap_sample WHERE code = :'marriage'), '2025-07-01', NULL, NULL, 'online'),
	(:'birth', '[{"role": "新生儿", "type": "natural_person", "name": "张小贝", "related_role": "母亲"},
				 {"role": "母亲", "type": "natural_person", "id_type": "111", "id": "330105198701020021", "name": "李娜"}]',
	 (SELECT face FROM tap_sample WHERE code = :'birth'), '2025-07-02', '2025-12-31', 'AGREE-B', 'offline'),
	(:'food', jsonb_set(:'eatery', '{name}', '"杭州示例餐饮（更名）有限公司"'),
	 (SELECT face FROM tap_sample WHERE code = :'food'), '2025-07-03', NULL, 'AGREE-F', 'online');
CREATE FUNCTION pg_temp.issue_one(t text) RETURNS ezz.licence_ident LANGUAGE sql AS $$
	SELECT ezz.issue(a.type_code, a.holder, a.data, a.valid_from, a.valid_to, case_no => a.case_no || '-1', mode => a.mode)
	FROM tap_agree a WHERE a.type_code = t
$$;
CREATE FUNCTION pg_temp.issue_set(t text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE tap_agree_one ON COMMIT DROP AS
		SELECT a.type_code, a.holder, a.data, a.valid_from, a.valid_to, a.case_no || '-2' AS case_no, a.mode
		FROM tap_agree a WHERE a.type_code = t;
	PERFORM ezz.issue_batch('tap_agree_one');
	DROP TABLE tap_agree_one;
END
$$;
-- the licence of a type issued last
CREATE FUNCTION pg_temp.last_of(t text) RETURNS ezz.licence_ident LANGUAGE sql AS $$
	SELECT l.id FROM ezz.licence l WHERE l.type_code = t ORDER BY ezz.ident_serial(l.id) DESC LIMIT 1
$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pg_temp TO PUBLIC;
SET SESSION AUTHORIZATION tap_minzheng;
INSERT INTO tap_id VALUES ('marriage-1', pg_temp.issue_one(:'marriage'));
SELECT pg_temp.issue_set(:'marriage');
SET SESSION AUTHORIZATION tap_weijian;
INSERT INTO tap_id VALUES ('birth-1', pg_temp.issue_one(:'birth'));
SELECT pg_temp.issue_set(:'birth');
SET SESSION AUTHORIZATION tap_gongshu;
INSERT INTO tap_id VALUES ('food-1', pg_temp.issue_one(:'food'));
RESET SESSION AUTHORIZATION;
INSERT INTO tap_id VALUES ('marriage-2', pg_temp.last_of(:'marriage')), ('birth-2', pg_temp.last_of(:'birth'));
SELECT is((SELECT h.name FROM ezz.holder h JOIN ezz.licence_holder lh ON lh.holder_id = h.id JOIN tap_id t ON t.id = lh.licence
           WHERE t.name = 'food-1'), '杭州示例餐饮（更名）有限公司', 'ezz.issue renames a known holder (改名)');
UPDATE ezz.holder SET name = '杭州示例餐饮有限公司' WHERE name = '杭州示例餐饮（更名）有限公司';
SET SESSION AUTHORIZATION tap_gongshu;
SELECT pg_temp.issue_set(:'food');
RESET SESSION AUTHORIZATION;
INSERT INTO tap_id VALUES ('food-2', pg_temp.last_of(:'food'));
SELECT is((SELECT h.name FROM ezz.holder h JOIN ezz.licence_holder lh ON lh.holder_id = h.id JOIN tap_id t ON t.id = lh.licence
           WHERE t.name = 'food-2'), '杭州示例餐饮（更名）有限公司', 'ezz.issue_batch renames a known holder (改名)');
SELECT is(pg_temp.shape(b.id), pg_temp.shape(a.id), 'a marriage with two known spouses: both paths write the same')
FROM tap_id a, tap_id b WHERE a.name = 'marriage-1' AND b.name = 'marriage-2';
SELECT is(pg_temp.shape(b.id), pg_temp.shape(a.id), 'a newborn identified through the mother, offline, with valid_to: the same')
FROM tap_id a, tap_id b WHERE a.name = 'birth-1' AND b.name = 'birth-2';
SELECT is(pg_temp.shape(b.id), pg_temp.shape(a.id), 'a renamed holder with a case number: the same')
FROM tap_id a, tap_id b WHERE a.name = 'food-1' AND b.name = 'food-2';
SELECT is((SELECT count(*) FROM ezz.holder WHERE name IN ('张小贝', '李娜')), 2::bigint,
          'the newborn is one holder whichever path made it, the mother still one');
SELECT is((SELECT count(*) FROM ezz.holder WHERE name LIKE '企业%'), 2500::bigint, 'one holder per identity across the batch');
SELECT is((SELECT count(DISTINCT id) FROM ezz.licence), (SELECT count(*) FROM ezz.licence), 'no identifier twice');

SELECT * FROM finish();
ROLLBACK;
