--
-- reference: the constraints and triggers that guard what ezz_admin edits
-- with plain SQL (regions, departments, catalogue, lists, cases, holders)
--
SET search_path = public, ezz;
-- plain constraint violations quote the failing row (timestamps, serials):
-- terse for those, full detail for ezz's own messages
\set SHOW_CONTEXT never
\set VERBOSITY terse

-- fixture codes, computed so that their check characters are right
SELECT ezz.uscc_complete('11339900MB0000001') AS auth, ezz.uscc_complete('11339900MB0000002') AS iss,
       ezz.uscc_complete('11339900MB0000003') AS usr, ezz.uscc_complete('11339900MB0000004') AS old_a,
       ezz.uscc_complete('11339900MB0000005') AS old_b
\gset

-- regions 行政区划
INSERT INTO ezz.region (code, name, level, parent) VALUES ('33990', '短码', 'city', '330000');
INSERT INTO ezz.region (code, name, level, parent) VALUES ('339900', '测试市', 'province', NULL);
INSERT INTO ezz.region (code, name, level, parent) VALUES ('330000', '重复省', 'province', NULL);
INSERT INTO ezz.region (code, name, level) VALUES ('339900', '测试市', 'city');
INSERT INTO ezz.region (code, name, level, parent) VALUES ('339900', '测试市', 'city', '310000');
INSERT INTO ezz.region (code, name, level, parent) VALUES ('339900', '测试市', 'city', '330000');
INSERT INTO ezz.region (code, name, level, parent) VALUES ('339901', '测试区', 'county', '339900');
\set VERBOSITY default
INSERT INTO ezz.region (code, name, level, parent) VALUES ('339902', '测试镇', 'county', '339901');
\set VERBOSITY terse
INSERT INTO ezz.region (code, name, level, parent) VALUES ('339903', '省直辖县', 'county', '330000');
INSERT INTO ezz.region (code, name, level, parent, objection_days) VALUES ('339904', '时限县', 'county', '339900', 0);
SELECT code, name, level, parent, objection_days FROM ezz.region WHERE code LIKE '3399%' ORDER BY code;

-- departments 部门
\set VERBOSITY default
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES ('11339900MB00000010', '坏码', '339900', '{issuer}');
\set VERBOSITY terse
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES (:'auth', '无类型', '339900', '{}');
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES (:'auth', '空类型', '339900', '{issuer,NULL}');
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES (:'auth', '错类型', '339900', '{judge}');
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES (:'auth', '重类型', '339900', '{issuer,issuer}');
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES (:'auth', '无区划', '999999', '{issuer}');
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES
	(:'auth', '测试市市场监督管理局', '339900', '{authority,issuer}'),
	(:'iss', '测试区市场监督管理局', '339901', '{issuer}'),
	(:'usr', '测试市政务服务中心', '339900', '{user}');
INSERT INTO ezz.department (uscc, name, region, kinds, successor) VALUES (:'old_a', '旧局甲', '339900', '{issuer}', :'old_a');
INSERT INTO ezz.department (uscc, name, region, kinds, successor) VALUES (:'old_a', '旧局甲', '339900', '{issuer}', :'iss');
INSERT INTO ezz.department (uscc, name, region, kinds, active, successor) VALUES
	(:'old_a', '旧局甲', '339900', '{issuer}', false, :'iss'),
	(:'old_b', '旧局乙', '339900', '{issuer}', false, :'old_a');
-- a successor chain may not loop
\set VERBOSITY default
UPDATE ezz.department SET successor = :'old_b' WHERE uscc = :'old_a';
\set VERBOSITY terse
UPDATE ezz.department SET active = true WHERE uscc = :'old_b';

-- service items 事项
INSERT INTO ezz.service_item (code, name, department) VALUES ('TEST 01', '空格码', :'iss');
INSERT INTO ezz.service_item (code, name, department, kind) VALUES ('TEST-01', '测试许可', :'iss', 'magic');
INSERT INTO ezz.service_item (code, name, department) VALUES ('TEST-01', '测试许可', :'iss'), ('TEST-02', '测试使用', :'usr');

-- licence types 证照目录: the face schema is checked field by field
CREATE FUNCTION pg_temp.try_schema(fs jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis, field_schema)
	VALUES (ezz.uscc_complete('11339900MB0000001')::text || '001', '测试证', 'permit',
			ezz.uscc_complete('11339900MB0000001'), '{legal_person}', '《测试条例》', fs);
	DELETE FROM ezz.licence_type WHERE code = ezz.uscc_complete('11339900MB0000001')::text || '001';
	RETURN 'accepted';
EXCEPTION WHEN check_violation THEN
	RETURN SQLERRM;
END $$;
SELECT s AS field_schema, pg_temp.try_schema(s::jsonb) AS outcome
FROM (VALUES
	('{}'), ('[]'), ('[1]'),
	('[{"name": "n", "label": "名称", "type": "string", "colour": "red"}]'),
	('[{"name": "Name", "label": "名称", "type": "string"}]'),
	('[{"name": "n", "label": "名称", "type": "string"}, {"name": "n", "label": "又名", "type": "string"}]'),
	('[{"name": "n", "type": "string"}]'),
	('[{"name": "n", "label": "名称", "type": "text"}]'),
	('[{"name": "n", "label": "名称", "type": "string", "required": "yes"}]'),
	('[{"name": "n", "label": "名称", "type": "string", "sensitive": true, "public": true}]'),
	('[{"name": "n", "label": "名称", "type": "integer", "max_length": 10}]'),
	('[{"name": "n", "label": "名称", "type": "string", "max_length": 0}]'),
	('[{"name": "n", "label": "名称", "type": "string", "mask": "blur"}]'),
	('[{"name": "n", "label": "名称", "type": "string", "values": []}]'),
	('[{"name": "holder_name", "label": "持证人", "type": "string", "required": true, "sensitive": true, "mask": "name", "max_length": 50},
	   {"name": "kind", "label": "类别", "type": "string", "values": ["甲", "乙"], "public": true},
	   {"name": "capital", "label": "注册资本", "type": "number"}, {"name": "issued_on", "label": "发证日期", "type": "date"}]')
	) v(s);

INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis, field_schema)
VALUES (:'iss' || '001', '越权证', 'permit', :'auth', '{legal_person}', '《测试条例》', '[{"name": "n", "label": "名称", "type": "string"}]');
\set VERBOSITY default
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis, field_schema)
VALUES (:'iss' || '001', '非主管证', 'permit', :'iss', '{legal_person}', '《测试条例》', '[{"name": "n", "label": "名称", "type": "string"}]');
\set VERBOSITY terse
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis, field_schema)
VALUES (lower(:'auth') || '001', '小写证', 'permit', :'auth', '{legal_person}', '《测试条例》', '[{"name": "n", "label": "名称", "type": "string"}]');
\set VERBOSITY default
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis, field_schema)
VALUES ('11339900MB0000001X001', '坏码证', 'permit', :'auth', '{legal_person}', '《测试条例》', '[{"name": "n", "label": "名称", "type": "string"}]');
\set VERBOSITY terse
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis, field_schema)
VALUES (:'auth' || '001', '测试证', 'permit', :'auth', '{robot}', '《测试条例》', '[{"name": "n", "label": "名称", "type": "string"}]');
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis, field_schema)
VALUES (:'auth' || '001', '测试证', 'permit', :'auth', '{legal_person}', '《测试条例》', '[{"name": "n", "label": "名称", "type": "string"}]');
-- related service items 关联事项: known items only
INSERT INTO ezz.type_service_item (type_code, service_item) VALUES (:'auth' || '001', 'NO-SUCH');
INSERT INTO ezz.type_service_item (type_code, service_item) VALUES (:'auth' || '001', 'TEST-01');
-- every change is a new catalogue version; a change that changes nothing is not
SELECT version FROM ezz.licence_type WHERE code = :'auth' || '001';
UPDATE ezz.licence_type SET name = '测试许可证' WHERE code = :'auth' || '001';
UPDATE ezz.licence_type SET name = '测试许可证' WHERE code = :'auth' || '001';
SELECT name, version, updated_at > created_at AS updated FROM ezz.licence_type WHERE code = :'auth' || '001';

-- issuance list 发证清单 and usage list 用证清单
\set VERBOSITY default
INSERT INTO ezz.issuance_list (department, type_code) VALUES (:'usr', :'auth' || '001');
\set VERBOSITY terse
INSERT INTO ezz.issuance_list (department, type_code, valid_from, valid_to) VALUES (:'iss', :'auth' || '001', '2025-02-01', '2025-01-01');
INSERT INTO ezz.issuance_list (department, type_code) VALUES (:'iss', :'auth' || '001');
-- the items an entry covers are among the type's related items
INSERT INTO ezz.issuance_item (department, type_code, service_item) VALUES (:'iss', :'auth' || '001', 'TEST-02');
INSERT INTO ezz.issuance_item (department, type_code, service_item) VALUES (:'usr', :'auth' || '001', 'TEST-01');
INSERT INTO ezz.issuance_item (department, type_code, service_item) VALUES (:'iss', :'auth' || '001', 'TEST-01');
\set VERBOSITY default
INSERT INTO ezz.usage_list (department, type_code, service_item, actions) VALUES (:'iss', :'auth' || '001', 'TEST-02', '{verify}');
\set VERBOSITY terse
INSERT INTO ezz.usage_list (department, type_code, service_item, actions) VALUES (:'usr', :'auth' || '001', 'TEST-02', '{fly}');
INSERT INTO ezz.usage_list (department, type_code, service_item, actions) VALUES (:'usr', :'auth' || '001', 'TEST-02', '{}');
INSERT INTO ezz.usage_list (department, type_code, service_item, actions) VALUES (:'usr', :'auth' || '001', 'TEST-09', '{verify}');
INSERT INTO ezz.usage_list (department, type_code, service_item, actions, valid_from, valid_to)
VALUES (:'usr', :'auth' || '001', 'TEST-02', '{verify,data}', '2025-02-01', '2025-01-01');
INSERT INTO ezz.usage_list (department, type_code, service_item, actions, valid_from)
VALUES (:'usr', :'auth' || '001', 'TEST-02', '{verify,data}', '2025-01-01');
INSERT INTO ezz.usage_list (department, type_code, service_item, actions, valid_from)
VALUES (:'usr', :'auth' || '001', 'TEST-02', '{view}', '2025-01-01');
SELECT type_code = :'auth' || '001' AS same_type, service_item, actions FROM ezz.usage_list WHERE department = :'usr';

-- service cases 办件
INSERT INTO ezz.service_case (department, service_item, case_no) VALUES (:'iss', 'TEST-01', '');
INSERT INTO ezz.service_case (department, service_item, case_no) VALUES (:'iss', 'TEST-01', 'C-1'), (:'iss', 'TEST-01', 'C-1');
INSERT INTO ezz.service_case (department, service_item, case_no) VALUES (:'iss', 'TEST-01', 'C-1');
INSERT INTO ezz.case_licence (case_id, type_code, role, electronic)
SELECT id, :'auth' || '001', 'produces', true FROM ezz.service_case WHERE case_no = 'C-1';
INSERT INTO ezz.case_licence (case_id, type_code, role)
SELECT id, :'auth' || '001', 'consumes' FROM ezz.service_case WHERE case_no = 'C-1';

-- holders 持证主体
INSERT INTO ezz.holder (kind, id_type, name) VALUES ('natural_person', '111', '半个身份');
INSERT INTO ezz.holder (kind, name) VALUES ('natural_person', '无名氏');
INSERT INTO ezz.holder (kind, id_type, id_cipher, id_cipher_alg, id_key_version, id_blind, id_masked, name)
VALUES ('robot', '111', '\x00', 'aes-256-gcm', 1, '\x01', '110***', '机器人');
INSERT INTO ezz.holder (kind, id_type, id_cipher, id_cipher_alg, id_key_version, id_blind, id_masked, name)
VALUES ('natural_person', '111', '\x00', 'aes-256-gcm', 1, '\x01', '110***', '甲'),
       ('natural_person', '111', '\x02', 'aes-256-gcm', 1, '\x01', '110***', '乙');

-- clean up
DELETE FROM ezz.case_licence; DELETE FROM ezz.service_case;
DELETE FROM ezz.usage_list WHERE department = :'usr';
DELETE FROM ezz.issuance_list WHERE department = :'iss';
DELETE FROM ezz.licence_type WHERE authority = :'auth';
DELETE FROM ezz.service_item WHERE code LIKE 'TEST-%';
DELETE FROM ezz.department WHERE region LIKE '3399%';
DELETE FROM ezz.region WHERE code LIKE '3399%' AND level = 'county';
DELETE FROM ezz.region WHERE code LIKE '3399%';
