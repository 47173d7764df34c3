-- demo/tour.sql — a walk through ezz on the sample province.  Run by demo/run.
\pset footer off
\set VERBOSITY default
SET search_path = public, ezz;
SET TimeZone = 'Asia/Shanghai';

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
\echo '--- Signing keys 签名密钥: made in C with OpenSSL 3 (SM2 with SM3 by default), private keys sealed'
\echo '    under the master key file (ezz.key_file), which no SQL role can read'
SELECT d.name AS department, ezz.create_key(d.uscc) AS key_id
FROM ezz.department d WHERE d.uscc IN ('11330105MB1B28400H', '11330100002500893T', '11330100MB1A779065') ORDER BY d.uscc;
SELECT key_id, owner_name, algorithm, left(fingerprint, 16) || '…' AS fingerprint_sm3, status,
       valid_to::date AS valid_to, split_part(public_key_pem, E'\n', 1) AS public_key
FROM ezz.trusted_keys ORDER BY key_id;

\echo
\echo '--- Issuing 签发: each department as its own login, for the types on its issuance list 发证清单'
CREATE ROLE demo_gongshu LOGIN IN ROLE ezz_issuer;
CREATE ROLE demo_minzheng LOGIN IN ROLE ezz_issuer;
CREATE ROLE demo_weijian LOGIN IN ROLE ezz_issuer;
SELECT v.login, d.name AS bound_to
FROM (VALUES ('demo_gongshu', '11330105MB1B28400H'), ('demo_minzheng', '11330100002500893T'),
             ('demo_weijian', '11330100MB1A779065')) v(login, uscc)
CROSS JOIN LATERAL ezz.bind_login(v.login::regrole, v.uscc::ezz.uscc) b
JOIN ezz.department d ON d.uscc = v.uscc::ezz.uscc;
SELECT face_sample AS food_face FROM ezz.licence_type WHERE code = '11330000002481602G002' \gset
SELECT face_sample AS marriage_face FROM ezz.licence_type WHERE code = '113300000024808377001' \gset
SELECT face_sample AS birth_face FROM ezz.licence_type WHERE code = '11330000002481477U001' \gset

SET SESSION AUTHORIZATION demo_gongshu;
\echo 'A 食品经营许可证 (food business licence) for a restaurant, online, with its service case number 办件编号:'
SELECT ezz.issue('11330000002481602G002',
    '{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
    :'food_face', '2025-06-01', NULL, case_no => 'GS-2025-0001') AS food \gset
\echo :food
\echo 'The same call again (a retry after a timeout) returns the same licence and issues nothing twice:'
SELECT ezz.issue('11330000002481602G002',
    '{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
    :'food_face', '2025-06-01', NULL, case_no => 'GS-2025-0001') = :'food' AS same_licence;
\echo 'A 结婚证 is not on this bureau''s issuance list:'
\set ON_ERROR_STOP off
SELECT ezz.issue('113300000024808377001', '{"type": "natural_person", "id_type": "111", "id": "330106198507230013", "name": "张伟"}',
    :'marriage_face', '2025-06-01', NULL);
\set ON_ERROR_STOP on

SET SESSION AUTHORIZATION demo_minzheng;
\echo 'A 结婚证 (marriage certificate): both spouses are holders (Ed25519 and ECDSA P-256 keys work the same way):'
SELECT ezz.issue('113300000024808377001',
    '[{"role": "男方", "type": "natural_person", "id_type": "111", "id": "330106198507230013", "name": "张伟"},
      {"role": "女方", "type": "natural_person", "id_type": "111", "id": "330105198701020021", "name": "李娜"}]',
    :'marriage_face', '2025-05-20', NULL) AS marriage \gset
\echo :marriage
SET SESSION AUTHORIZATION demo_weijian;
\echo 'A 出生医学证明 (birth certificate): the newborn has no identity number yet and is identified through'
\echo 'the mother, whose 15-digit identity number is converted to 18 digits:'
SELECT ezz.issue('11330000002481477U001',
    '[{"role": "新生儿", "type": "natural_person", "name": "张小宝", "related_role": "母亲"},
      {"role": "母亲", "type": "natural_person", "id_type": "111", "id": "330105870102002", "name": "李娜"}]',
    :'birth_face', '2025-03-01', NULL) AS birth \gset
\echo :birth
RESET SESSION AUTHORIZATION;

\echo
\echo 'The licences, their holders (one holder 李娜 on two licences) and their signatures:'
SELECT t.name AS type, l.licence_no, string_agg(lh.role || ' ' || h.name || coalesce(' ' || h.id_masked, ''), '; ' ORDER BY lh.ordinal) AS holders,
       l.valid_from, coalesce(l.valid_to::text, '长期') AS valid_to, k.algorithm, octet_length(l.signature) AS signature_bytes
FROM ezz.licence l JOIN ezz.licence_type t ON t.code = l.type_code JOIN ezz.signing_key k USING (key_id)
JOIN ezz.licence_holder lh ON lh.licence = l.id JOIN ezz.holder h ON h.id = lh.holder_id
GROUP BY l.id, t.name, k.algorithm ORDER BY l.id;
\echo 'Identity numbers are stored only encrypted (AES-256-GCM), with a blind index for look-up:'
SELECT h.name, h.id_type, h.id_masked, h.id_cipher_alg, octet_length(h.id_cipher) AS cipher_bytes,
       left(encode(h.id_blind, 'hex'), 16) || '…' AS blind_index
FROM ezz.holder h WHERE h.id_type IS NOT NULL ORDER BY h.id;
\echo 'The signed document of the 结婚证 (holders masked, with a digest bound to the licence), signed over'
\echo 'its RFC 8785 canonical form:'
SELECT jsonb_pretty(document - 'face') AS document FROM ezz.licence WHERE id = :'marriage';

\echo
\echo '--- Batch 批量签发 / 存量电子化: 2,000 existing paper licences from a staging table, all or nothing'
CREATE TABLE demo_stock (type_code text, holder jsonb, data jsonb, valid_from date, case_no text, source_kind text);
INSERT INTO demo_stock
SELECT '11330000002481602G002',
       jsonb_build_object('type', 'legal_person', 'id_type', '001',
                          'id', ezz.uscc_complete('9233010' || lpad(g::text, 10, '0'))::text, 'name', '拱墅区餐饮店' || g),
       jsonb_set(:'food_face'::jsonb, '{licence_no}', to_jsonb('JY' || lpad(g::text, 14, '0'))), '2021-01-01', 'STOCK-' || g, 'stock'
FROM generate_series(1, 2000) g;
GRANT SELECT ON demo_stock TO demo_gongshu;
SET SESSION AUTHORIZATION demo_gongshu;
\timing on
SELECT ezz.issue_batch('demo_stock') AS issued;
\timing off
RESET SESSION AUTHORIZATION;
SELECT mode, count(*) AS licences FROM ezz.licence GROUP BY mode ORDER BY mode;

\echo
\echo '--- Verifying 核验: signature, key, record against document, status, validity period'
SET SESSION AUTHORIZATION demo_gongshu;
SELECT valid, status, reasons, checked->'key'->>'algorithm' AS algorithm, checked->>'record_matches_document' AS record_matches
FROM ezz.verify(:'food');
\echo 'The exported document 电子证照文件 carries the signature and the public key, for offline verification'
\echo '(test/t/003_openssl_interop.pl checks it with the openssl command line alone):'
SELECT ezz.export(:'food') AS export \gset
SELECT (:'export'::jsonb)->'signature'->>'alg' AS alg, left((:'export'::jsonb)->'signature'->>'value', 24) || '…' AS signature,
       (:'export'::jsonb)->>'canonical_sm3' AS canonical_sm3;
SELECT valid, reasons FROM ezz.verify_document(:'export');
\echo 'A forged copy: the operator''s name changed on the face, the signature kept:'
SELECT valid, reasons FROM ezz.verify_document(jsonb_set(:'export'::jsonb, '{document,face,operator_name}', '"冒名顶替有限公司"'));
\echo 'A forged copy: one bit of the signature flipped:'
SELECT valid, reasons FROM ezz.verify_document(jsonb_set(:'export'::jsonb, '{signature,value}',
    to_jsonb(translate(encode(set_bit(decode((:'export'::jsonb)->'signature'->>'value', 'base64'), 9, 1 - get_bit(decode((:'export'::jsonb)->'signature'->>'value', 'base64'), 9)), 'base64'), E'\n', ''))));
RESET SESSION AUTHORIZATION;
\echo 'The bureau''s key is revoked after a compromise, with effect from before it signed this licence'
\echo '(signatures made before the effective time would stay valid):'
SELECT k.key_id, k.owner_name, 'revoked' AS now
FROM ezz.signing_key k JOIN ezz.licence l ON l.key_id = k.key_id
CROSS JOIN LATERAL ezz.revoke_key(k.key_id, '签名服务器失窃 (demo)', l.signed_at - interval '1 second') r
WHERE l.id = :'food';
SELECT valid, reasons FROM ezz.verify(:'food');

RESET SESSION AUTHORIZATION;
DROP TABLE demo_stock;

\echo
\echo '--- Lifecycle 生命周期: the status machine, in C, decides every status change'
\echo 'Where a licence may go from each status, and the national platform''s two-digit code of each:'
SELECT s.status, ezz.national_status_code(s.status) AS national_code,
       coalesce(string_agg(t.to_status::text, ', ' ORDER BY t.to_status), '(final)') AS may_go_to
FROM unnest(enum_range(NULL::ezz.licence_status)) s(status)
LEFT JOIN ezz.status_transitions t ON t.from_status = s.status
GROUP BY s.status ORDER BY s.status;
\echo 'After the compromise the management department makes the bureau a new key; what follows is signed with it:'
SELECT ezz.create_key('11330105MB1B28400H') AS new_key_id;

SET SESSION AUTHORIZATION demo_gongshu;
SELECT clock_timestamp() AS t_before \gset
\echo 'A 食品经营许可证 for a noodle shop:'
SELECT ezz.issue('11330000002481602G002',
    '{"type": "legal_person", "id_type": "001", "id": "92330105MA2K3LQ83G", "name": "杭州市拱墅区示例面馆"}',
    :'food_face', '2025-06-01', NULL, case_no => 'GS-2025-0002') AS noodle_v1 \gset
\echo :noodle_v1
SELECT now() AS t_issued \gset
\echo 'Change 变更: the legal representative changes; version 002 supersedes version 001 (same serial, the'
\echo 'version goes up, a new check character, signed anew):'
SELECT ezz.change(:'noodle_v1', '{"legal_representative": "王五"}', '法定代表人变更') AS noodle \gset
\echo :noodle
SELECT now() AS t_changed \gset
\echo 'Suspension 挂起, with the reason and the legal basis:'
SELECT ezz.suspend(:'noodle', '涉嫌违法经营，责令停业整顿', '《中华人民共和国食品安全法》第一百二十六条') AS status;
SELECT now() AS t_suspended \gset
\echo 'Revocation 吊销; relying departments learn of it at once (NOTIFY ezz_status, a wake-up carrying the event id):'
LISTEN ezz_status;
SELECT ezz.revoke(:'noodle', '逾期拒不整改', '《中华人民共和国食品安全法》第一百二十六条') AS status;
\echo '(the ezz worker sends the notification moments after the commit; it names only the event)'
SELECT 'a moment later' AS waiting FROM pg_sleep(0.3);
UNLISTEN ezz_status;
SELECT now() AS t_revoked \gset
\echo 'A revoked licence cannot come back: the status machine names both states:'
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
SELECT ezz.resume(:'noodle', '已整改');
SELECT ezz.transition(:'noodle', 'valid', '已整改');
\set SHOW_CONTEXT errors
\set ON_ERROR_STOP on
\echo 'Verification says why it is not valid:'
SELECT valid, status, reasons FROM ezz.verify(:'noodle');
RESET SESSION AUTHORIZATION;
\echo
\echo 'The two versions, linked both ways; the paper licence is marked 同步更新 on the change, 同步废止 on the revocation:'
SELECT ezz.ident_version(l.id) AS version, l.status, ezz.national_status_code(l.status) AS national_code,
       l.document->'face'->>'legal_representative' AS legal_representative, l.valid_from, l.valid_to, l.paper_sync,
       coalesce(ezz.ident_version(l.supersedes)::text, '-') AS supersedes, coalesce(ezz.ident_version(l.superseded_by)::text, '-') AS superseded_by
FROM ezz.licence l WHERE l.id IN (:'noodle_v1', :'noodle') ORDER BY l.id;
\echo 'The status history: every change with its time, who, which department, why, on what legal basis:'
SELECT ezz.ident_version(h.licence) AS v, to_char(h.at, 'HH24:MI:SS.US') AS at, coalesce(h.from_status::text, '-') AS from,
       h.to_status AS to, h.event, h.actor, h.department, h.reason, coalesce(h.basis, '') AS basis
FROM ezz.status_history h WHERE h.licence IN (:'noodle_v1', :'noodle') ORDER BY h.at, h.id;

\echo
\echo '--- For disputes (江西 第二十条): ezz.status_at(id, at), the status a licence had at a past moment'
SET SESSION AUTHORIZATION demo_gongshu;
SELECT m.moment, ezz.status_at(:'noodle_v1', m.at) AS "version 001", ezz.status_at(:'noodle', m.at) AS "version 002"
FROM (VALUES (1, 'before issuing', :'t_before'::timestamptz), (2, 'after issuing', :'t_issued'),
             (3, 'after the change 变更', :'t_changed'), (4, 'after the suspension 挂起', :'t_suspended'),
             (5, 'after the revocation 吊销', :'t_revoked')) m(n, moment, at)
ORDER BY m.n;
\echo '(empty: that version did not exist yet)'
\echo
\echo 'The bureau reads the status events of its licences from its own position, then saves the position:'
SELECT event_no, ezz.ident_version(licence) AS version, from_status, to_status, event
FROM ezz.read_status_events() WHERE licence IN (:'noodle_v1', :'noodle') ORDER BY event_no;
SELECT ezz.ack_status_events(max(event_no)) AS saved_position FROM ezz.read_status_events();
SELECT count(*) AS events_left_to_read FROM ezz.read_status_events();
RESET SESSION AUTHORIZATION;

\echo
\echo '--- Expiry 过期: a licence is valid through the end of its valid_to day in ezz.timezone (Asia/Shanghai),'
\echo '    whatever the session''s TimeZone.  Verification says so at once; CALL ezz.maintain() (management,'
\echo '    nightly with pg_cron) records it.  The 2,000 stock licences ran to 2025-12-31:'
SELECT (SELECT id FROM ezz.licence WHERE mode = 'stock' ORDER BY id LIMIT 1) AS stock_1,
       (SELECT id FROM ezz.licence WHERE mode = 'stock' ORDER BY id DESC LIMIT 1) AS stock_2 \gset
SELECT l.valid_to, l.status AS recorded_status, v.status AS verified_status
FROM ezz.licence l CROSS JOIN LATERAL ezz.verify(l.id) v WHERE l.id = :'stock_1';
CREATE ROLE demo_dsj LOGIN IN ROLE ezz_admin;
SELECT 'bound' AS demo_dsj FROM ezz.bind_login('demo_dsj', '11330000MB1946A028');
SET SESSION AUTHORIZATION demo_dsj;
CALL ezz.maintain();
\echo 'Run again: nothing more to record (idempotent, safe beside traffic):'
CALL ezz.maintain();
RESET SESSION AUTHORIZATION;
\echo 'An expiry is dated at the end of valid_to; these were registered after their last day, so as of registration:'
SELECT l.status AS recorded_status, h.event, h.actor, h.reason, h.at = l.registered_at AS dated_at_registration,
       count(*) AS licences
FROM ezz.licence l JOIN ezz.status_history h ON h.licence = l.id AND h.to_status = 'expired'
WHERE l.mode = 'stock' GROUP BY 1, 2, 3, 4, 5;
\echo 'An expired licence can still be cancelled 注销 (the usual step after expiry), but not suspended:'
SET SESSION AUTHORIZATION demo_gongshu;
SELECT ezz.cancel(:'stock_1', '有效期届满注销') AS status;
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
SELECT ezz.suspend(:'stock_2', '停业整顿');
\set SHOW_CONTEXT errors
\set ON_ERROR_STOP on
RESET SESSION AUTHORIZATION;
\echo
\echo '--- The audit ledger 审计 (docs/ledger.md): every change above is an entry, written by a C trigger'
\echo '    without serialising writers; blocks of entries are Merkle-hashed (SM3), chained and signed with'
\echo '    the management department''s key, once a second by the ezz ledger worker and by ezz.maintain'
SELECT 'created' AS management_key FROM ezz.create_key('11330000MB1946A028');
SET SESSION AUTHORIZATION demo_dsj;
CALL ezz.maintain();
SELECT relation, op, count(*) AS entries FROM ezz.audit_log GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 6;
RESET SESSION AUTHORIZATION;
SELECT ledger, count(*) AS blocks, sum(entries) AS entries, max(block_no) AS last_block
FROM ezz.ledger_block GROUP BY 1 ORDER BY 1;
SET SESSION AUTHORIZATION demo_dsj;
SELECT intact, blocks, entries, pending FROM ezz.audit_verify();
RESET SESSION AUTHORIZATION;
\echo 'A superuser edits a licence with its audit trigger disabled; audit_verify names the row:'
ALTER TABLE ezz.licence DISABLE TRIGGER zz_audit;
UPDATE ezz.licence SET archived = true WHERE id = :'stock_2';
ALTER TABLE ezz.licence ENABLE ALWAYS TRIGGER zz_audit;
SELECT intact, problem, relation, detail FROM ezz.audit_verify();
ALTER TABLE ezz.licence DISABLE TRIGGER zz_audit;
UPDATE ezz.licence SET archived = false WHERE id = :'stock_2';
ALTER TABLE ezz.licence ENABLE ALWAYS TRIGGER zz_audit;
\echo 'Put back: intact again.  Nobody may change the ledger itself, not even a superuser with the guards on:'
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
DELETE FROM ezz.audit_entry WHERE id = 1;
\set SHOW_CONTEXT errors
\set ON_ERROR_STOP on
\echo 'A signed digest to keep outside the database, and a proof of one entry that openssl alone can check'
\echo '(tools/ledger-proof-check):'
SELECT jsonb_build_object('block', d -> 'audit' -> 'block', 'position', d -> 'audit' -> 'position',
                          'block_hash', d -> 'audit' -> 'block_hash') AS digest
FROM ezz.audit_digest() d;
SELECT p ->> 'entry' AS entry, p ->> 'block' AS block, p ->> 'index' AS leaf, p ->> 'size' AS of,
       jsonb_array_length(p -> 'path') AS path_length, left(p ->> 'signature', 24) || '…' AS signature
FROM ezz.audit_proof(1) p;
\echo
\echo '--- Sharing 共享 (docs/sharing.md): a using department needs the type on its usage list 用证清单, a service'
\echo '    item, a purpose 用证事由 and, for a conditionally shared type, a live grant 授权'
CREATE ROLE demo_ziran LOGIN IN ROLE ezz_issuer;      -- 杭州市规划和自然资源局
CREATE ROLE demo_gjj LOGIN IN ROLE ezz_consumer;      -- 杭州住房公积金管理中心
CREATE ROLE demo_platform LOGIN IN ROLE ezz_holder_agent;   -- the government service platform's front end
CREATE ROLE demo_public LOGIN IN ROLE ezz_public;
SELECT 'bound' AS demo_ziran FROM ezz.bind_login('demo_ziran', '11330100MB1A883655');
SELECT 'bound' AS demo_gjj FROM ezz.bind_login('demo_gjj', '12330100470112090C');
SET SESSION AUTHORIZATION demo_dsj;
SELECT ezz.create_key('11330100MB1A883655') AS ziran_key, ezz.create_key('12330100470112090C') AS gjj_key;
RESET SESSION AUTHORIZATION;
SELECT face_sample AS house_face FROM ezz.licence_type WHERE code = '11330000002481311D001' \gset
SET SESSION AUTHORIZATION demo_ziran;
SELECT ezz.issue('11330000002481311D001', '{"role": "权利人", "type": "natural_person", "id_type": "111", "id": "330106198507230013", "name": "张伟"}',
    :'house_face', '2025-07-16', NULL, case_no => 'ZR-2025-0716') AS house \gset
\echo 'A 不动产权证书 for 张伟 (a conditionally shared type): ' :house
SET SESSION AUTHORIZATION demo_gjj;
\echo 'The housing fund centre verifies it for a withdrawal, with no grant yet: refused, and recorded'
\set SHOW_CONTEXT never
\set ON_ERROR_STOP off
SELECT valid FROM ezz.verify(:'house', 'ZJ-GJJ-0002', '核验住房公积金提取申请人的房产');
\set ON_ERROR_STOP on
\set SHOW_CONTEXT errors
RESET SESSION AUTHORIZATION;
\echo '张伟 authorises it on the platform (授权用证): the platform acts for him in one transaction'
SET SESSION AUTHORIZATION demo_platform;
BEGIN;
SELECT ezz.act_for_holder('111', '330106198507230013');
SELECT id, type_name, holder_name, status FROM ezz.my_licences();
SELECT ezz.authorise(:'house', '12330100470112090C', 'ZJ-GJJ-0002', '{view,verify,data,download}', now() + interval '30 days') AS grant_id \gset
COMMIT;
SET SESSION AUTHORIZATION demo_gjj;
\echo 'Now the centre finds it by the holder''s identity (names masked 脱敏), verifies it and reads its data:'
SELECT id, type_name, holder_name, status FROM ezz.search('111', '330106198507230013', NULL, 'ZJ-GJJ-0002', '核验住房公积金提取申请人的房产');
SELECT valid, status FROM ezz.verify(:'house', 'ZJ-GJJ-0002', '核验住房公积金提取申请人的房产');
SELECT jsonb_pretty(d -> 'face') AS face, d -> 'masked' AS masked
FROM ezz.get_data(:'house', 'ZJ-GJJ-0002', '核验住房公积金提取申请人的房产') d;
\echo 'Yes or no per field (信息比对), never the stored value:'
SELECT checked -> 'claims' AS claims FROM ezz.verify_claims('11330000002481311D001', '111', '330106198507230013',
    '{"usage": "城镇住宅用地/住宅", "building_area": 120}', 'ZJ-GJJ-0002', '核对申请材料');
\echo 'An annotated copy 加注件 for its file, signed by the centre''s own key, valid 30 days:'
SELECT ezz.download(:'house', 'ZJ-GJJ-0002', '住房公积金提取审核留档') AS copy \gset
SELECT :'copy'::jsonb -> 'annotation' ->> 'maker_name' AS maker, :'copy'::jsonb -> 'annotation' ->> 'purpose' AS purpose,
       (:'copy'::jsonb -> 'annotation' ->> 'valid_until')::timestamptz::date AS valid_until;
SELECT 'genuine' AS copy, valid, reasons FROM ezz.verify_document(:'copy')
UNION ALL
SELECT 'purpose changed', valid, reasons FROM ezz.verify_document(jsonb_set(:'copy'::jsonb, '{annotation,purpose}', '"其他用途"'));
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_public;
\echo 'The public 社会公众 looks up a publicly disclosed licence (社会公示): public fields only, masked:'
SELECT jsonb_pretty(ezz.public_lookup(:'food') - 'holders') AS public_lookup;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_ziran;
\echo 'The issuer reads who used its licence — the refusal included:'
SELECT at::time(0) AS at, actor, action, service_item, grant_id, allowed, left(reason, 50) AS reason
FROM ezz.licence_accesses WHERE licence = :'house' ORDER BY id;
RESET SESSION AUTHORIZATION;
\echo

\echo '--- The access log 访问日志: every verify and export, allowed or refused, written by the ledger worker'
\echo '    outside the caller''s transaction (a refusal stays recorded although its error rolls back);'
\echo '    the issuer reads the accesses to its own licences:'
SET SESSION AUTHORIZATION demo_gongshu;
SELECT at::time(0) AS at, actor, department, action, allowed, left(reason, 40) AS reason
FROM ezz.licence_accesses ORDER BY id DESC LIMIT 5;
RESET SESSION AUTHORIZATION;
SELECT item, value, ok FROM ezz.health;
\echo
\echo '=== end of the demo: the throw-away cluster is dropped now ==='
