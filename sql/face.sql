--
-- face: licence face data 照面 checked against its type's field schema
-- (ezz._face_check, the C check ezz.issue and ezz.issue_batch run)
--
SET search_path = public, ezz;
\set SHOW_CONTEXT never
\set schema '[{"name": "holder_name", "label": "持证人", "type": "string", "required": true, "max_length": 5}, {"name": "kind", "label": "类别", "type": "string", "values": ["甲", "乙"]}, {"name": "capital", "label": "注册资本", "type": "number"}, {"name": "staff", "label": "人数", "type": "integer"}, {"name": "issued_on", "label": "发证日期", "type": "date", "required": true}, {"name": "open", "label": "营业中", "type": "boolean"}]'

-- accepted, rewritten to the stored form: 4.50 -> 4.5, 1e3 -> 1000
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "kind": "甲", "capital": 4.50, "staff": 1e3, "issued_on": "2025-05-22", "open": true}', 'T1');
-- optional fields may be missing or null
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-02-28", "kind": null}', 'T1');
-- strings are stored in Unicode NFC: e + U+0301 becomes é
SELECT ezz._face_check(:'schema', '{"holder_name": "Jose\u0301", "issued_on": "2024-02-29"}', 'T1')->>'holder_name' = 'José' AS nfc,
       length(ezz._face_check(:'schema', '{"holder_name": "Jose\u0301", "issued_on": "2024-02-29"}', 'T1')->>'holder_name') AS chars;

-- refused, each naming the field
SELECT ezz._face_check(:'schema', '[]', 'T1');
SELECT ezz._face_check(:'schema', '{"issued_on": "2025-05-22"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": null, "issued_on": "2025-05-22"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "colour": "红"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": 7, "issued_on": "2025-05-22"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三丰的后人们", "issued_on": "2025-05-22"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "kind": "丙", "issued_on": "2025-05-22"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-02-29"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "22/05/2025"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "staff": 4.5}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "staff": "4"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "open": "yes"}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "capital": [1]}', 'T1');
-- numbers that do not survive numeric -> double -> numeric: 22003
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "capital": 333333333.33333329}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "staff": 9007199254740993}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "capital": 1e400}', 'T1');
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "capital": 1e-400}', 'T1');
-- ... and the ones that do
SELECT ezz._face_check(:'schema', '{"holder_name": "张三", "issued_on": "2025-05-22", "capital": 0.1, "staff": 9007199254740992}', 'T1');

-- the SQLSTATE of each refusal
CREATE FUNCTION pg_temp.sqlstate_of(schema jsonb, data jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ezz._face_check(schema, data, 'T1');
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT what, pg_temp.sqlstate_of(:'schema', data::jsonb) AS sqlstate
FROM (VALUES
	('not an object', '[]'),
	('required field missing', '{"issued_on": "2025-05-22"}'),
	('unknown field', '{"holder_name": "张三", "issued_on": "2025-05-22", "colour": "红"}'),
	('wrong JSON type', '{"holder_name": 7, "issued_on": "2025-05-22"}'),
	('string too long', '{"holder_name": "张三丰的后人们", "issued_on": "2025-05-22"}'),
	('value not allowed', '{"holder_name": "张三", "kind": "丙", "issued_on": "2025-05-22"}'),
	('impossible date', '{"holder_name": "张三", "issued_on": "2025-02-29"}'),
	('not a whole number', '{"holder_name": "张三", "issued_on": "2025-05-22", "staff": 4.5}'),
	('no double form', '{"holder_name": "张三", "issued_on": "2025-05-22", "capital": 333333333.33333329}'),
	('beyond the double range', '{"holder_name": "张三", "issued_on": "2025-05-22", "capital": 1e400}')) v(what, data);
