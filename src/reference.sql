-- Reference schema (SPEC §2): regions, departments, the licence catalogue,
-- service items, issuance and usage lists, service cases, holders.
-- ezz_admin maintains the reference tables with plain SQL (see
-- ezz.table_policy); constraints and triggers guard what goes in.

------------------------------------------------------------------------------
-- ezz.table_policy — the one place that says what each table is and who may
-- edit it.  Grants, pg_dump registration and the privilege tests read it.
------------------------------------------------------------------------------
CREATE TABLE ezz.table_policy (
	relation		regclass PRIMARY KEY,
	class			text NOT NULL CHECK (class IN ('reference', 'data', 'ledger', 'meta')),
	admin_editable	boolean NOT NULL,
	note			text NOT NULL,
	CHECK (NOT admin_editable OR class = 'reference')
);
COMMENT ON TABLE ezz.table_policy IS 'what each ezz table holds (reference, data, ledger, meta) and whether ezz_admin may edit it with plain SQL';

CREATE TYPE ezz.department_kind AS ENUM ('management', 'authority', 'issuer', 'user');
COMMENT ON TYPE ezz.department_kind IS 'department kind: management 管理部门, authority 行业主管部门, issuer 签发部门, user 使用部门';

-- 21 characters: the defining department's unified social credit code and a
-- 3-digit number.  The cast checks the embedded code (and honours
-- ezz.uscc_check for pilot codes).
CREATE DOMAIN ezz.type_code AS text
	CHECK (VALUE ~ '^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$'
		   AND pg_catalog.substr(VALUE, 1, 18)::ezz.uscc::text = pg_catalog.substr(VALUE, 1, 18));
COMMENT ON DOMAIN ezz.type_code IS 'licence type code 证照类型代码: definer''s unified social credit code + 3 digits';

CREATE DOMAIN ezz.service_item_code AS text
	CHECK (VALUE ~ '^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$');
COMMENT ON DOMAIN ezz.service_item_code IS 'service item code 事项编码: 1-64 letters, digits, - and _';

CREATE FUNCTION ezz._has_duplicates(a anyarray) RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT count(*) <> count(DISTINCT e) FROM pg_catalog.unnest(a) e
$$;

------------------------------------------------------------------------------
-- Regions 行政区划
------------------------------------------------------------------------------
CREATE TABLE ezz.region (
	code			text PRIMARY KEY,
	name			text NOT NULL CHECK (pg_catalog.length(name) BETWEEN 1 AND 100),
	level			text NOT NULL CHECK (level IN ('province', 'city', 'county')),
	parent			text REFERENCES ezz.region (code),
	objection_days	integer NOT NULL DEFAULT 5 CHECK (objection_days BETWEEN 1 AND 60),
	CONSTRAINT region_code_format CHECK (code ~ '^[1-9][0-9]{5}$'),
	CONSTRAINT region_level_shape CHECK (
		(level = 'province' AND code ~ '0000$' AND parent IS NULL)
		OR (level = 'city' AND code ~ '^[0-9]{2}([1-9][0-9]|[0-9][1-9])00$' AND parent IS NOT NULL)
		OR (level = 'county' AND code !~ '00$' AND parent IS NOT NULL)),
	CONSTRAINT region_parent_same_province CHECK (
		parent IS NULL OR pg_catalog.substr(parent, 1, 2) = pg_catalog.substr(code, 1, 2))
);
CREATE INDEX region_parent_idx ON ezz.region (parent);
COMMENT ON TABLE ezz.region IS 'administrative divisions 行政区划 (GB/T 2260 six-digit codes)';
COMMENT ON COLUMN ezz.region.objection_days IS 'objection deadline in working days 异议处理时限 for this region (default 5)';

-- a city's parent is a province; a county's parent is a city or a province
CREATE FUNCTION ezz._region_check_parent() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	parent_level text;
BEGIN
	IF NEW.parent IS NULL THEN
		RETURN NEW;
	END IF;
	SELECT r.level INTO parent_level FROM ezz.region r WHERE r.code = NEW.parent;
	IF (NEW.level = 'city' AND parent_level <> 'province')
	   OR (NEW.level = 'county' AND parent_level NOT IN ('province', 'city')) THEN
		RAISE EXCEPTION 'region % (%) cannot have parent % (%)', NEW.code, NEW.level, NEW.parent, parent_level
			USING ERRCODE = 'check_violation',
				  DETAIL = 'A city''s parent is a province; a county''s parent is a city or a province.';
	END IF;
	RETURN NEW;
END
$$;
CREATE CONSTRAINT TRIGGER region_check_parent AFTER INSERT OR UPDATE ON ezz.region
	DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION ezz._region_check_parent();

------------------------------------------------------------------------------
-- Departments 部门
------------------------------------------------------------------------------
CREATE TABLE ezz.department (
	uscc			ezz.uscc PRIMARY KEY,
	name			text NOT NULL CHECK (pg_catalog.length(name) BETWEEN 1 AND 200),
	region			text NOT NULL REFERENCES ezz.region (code),
	kinds			ezz.department_kind[] NOT NULL
		CHECK (pg_catalog.cardinality(kinds) >= 1 AND pg_catalog.array_position(kinds, NULL) IS NULL
			   AND NOT ezz._has_duplicates(kinds)),
	active			boolean NOT NULL DEFAULT true,
	successor		ezz.uscc REFERENCES ezz.department (uscc),
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT department_successor_not_self CHECK (successor IS NULL OR successor OPERATOR(ezz.<>) uscc),
	CONSTRAINT department_successor_inactive CHECK (successor IS NULL OR NOT active)
);
CREATE INDEX department_region_idx ON ezz.department (region);
CREATE INDEX department_successor_idx ON ezz.department (successor);
COMMENT ON TABLE ezz.department IS 'departments 部门, identified by unified social credit code';
COMMENT ON COLUMN ezz.department.successor IS 'after a merger or abolition 机构改革, the department that manages and may re-seal this one''s licences (吉林 第六条)';

-- no cycle through successor; an inactive department's chain ends in an active one
CREATE FUNCTION ezz._department_check_successor() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cur ezz.uscc := NEW.successor;
	seen ezz.uscc[] := ARRAY[NEW.uscc];
BEGIN
	WHILE cur IS NOT NULL LOOP
		IF cur OPERATOR(ezz.=) ANY (seen) THEN
			RAISE EXCEPTION 'successor chain of department % loops back to %', NEW.uscc, cur
				USING ERRCODE = 'check_violation',
					  DETAIL = pg_catalog.format('Chain: %s.', pg_catalog.array_to_string(seen || cur, ' -> ')),
					  HINT = 'A successor is the department that took over; it cannot be succeeded by one of its predecessors.';
		END IF;
		seen := seen || cur;
		SELECT d.successor INTO cur FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) cur;
	END LOOP;
	RETURN NEW;
END
$$;
CREATE CONSTRAINT TRIGGER department_check_successor AFTER INSERT OR UPDATE OF successor ON ezz.department
	DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION ezz._department_check_successor();

-- Department kinds are checked where a list or type refers to the department.
CREATE FUNCTION ezz._require_department_kind(dept ezz.uscc, wanted ezz.department_kind[], what text)
	RETURNS void LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	have ezz.department_kind[];
BEGIN
	SELECT d.kinds INTO have FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) dept;
	IF have IS NULL THEN
		RETURN;					-- the foreign key reports a missing department
	END IF;
	IF NOT (have && wanted) THEN
		RAISE EXCEPTION 'department % cannot be %', dept, what
			USING ERRCODE = 'check_violation',
				  DETAIL = pg_catalog.format('Its kinds are %s; %s needs one of %s.', have, what, wanted),
				  HINT = 'Add the kind to ezz.department.kinds if the department really has that role.';
	END IF;
END
$$;

------------------------------------------------------------------------------
-- Service items 政务服务事项
------------------------------------------------------------------------------
CREATE TABLE ezz.service_item (
	code			ezz.service_item_code PRIMARY KEY,
	name			text NOT NULL CHECK (pg_catalog.length(name) BETWEEN 1 AND 200),
	department		ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	kind			text NOT NULL DEFAULT 'licensing'
		CHECK (kind IN ('licensing', 'confirmation', 'registration', 'payment', 'inspection', 'public_service', 'other')),
	active			boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX service_item_department_idx ON ezz.service_item (department);
COMMENT ON TABLE ezz.service_item IS 'government service items 政务服务事项 (事项编码): what a licence is issued for or used in';
COMMENT ON COLUMN ezz.service_item.kind IS 'licensing 行政许可, confirmation 行政确认, registration 登记, payment 行政给付, inspection 行政检查, public_service 公共服务, other 其他';


------------------------------------------------------------------------------
-- Licence types 证照目录
------------------------------------------------------------------------------
CREATE TABLE ezz.licence_type (
	code				ezz.type_code PRIMARY KEY,
	name				text NOT NULL CHECK (pg_catalog.length(name) BETWEEN 1 AND 200),
	category			text NOT NULL CHECK (category IN ('document', 'licence', 'permit', 'certificate',
														  'approval', 'attestation', 'appraisal', 'result', 'other')),
	authority			ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	holder_types		text[] NOT NULL CHECK (pg_catalog.cardinality(holder_types) >= 1
			AND holder_types <@ ARRAY['natural_person', 'legal_person', 'other_org']),
	legal_basis			text NOT NULL CHECK (pg_catalog.length(legal_basis) BETWEEN 1 AND 2000),
	aggregation			text NOT NULL DEFAULT 'interface'
		CHECK (aggregation IN ('interface', 'batch', 'front_processor', 'manual')),
	disclosure			text NOT NULL DEFAULT 'conditional'
		CHECK (disclosure IN ('public', 'conditional', 'not_shared')),
	data_level			smallint NOT NULL DEFAULT 2 CHECK (data_level BETWEEN 1 AND 4),
	field_schema		jsonb NOT NULL,
	background_image	bytea,
	face_template		text,
	face_sample			jsonb,
	default_validity	interval CHECK (default_validity IS NULL OR default_validity > '0'::interval),
	annual_inspection	boolean NOT NULL DEFAULT false,
	qr_ttl				interval CHECK (qr_ttl IS NULL OR qr_ttl BETWEEN '10 seconds'::interval AND '1 day'::interval),
	active				boolean NOT NULL DEFAULT true,
	version				integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at			timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at			timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT licence_type_definer_is_authority CHECK (pg_catalog.substr(code, 1, 18) = authority::text)
);
CREATE INDEX licence_type_authority_idx ON ezz.licence_type (authority);
COMMENT ON TABLE ezz.licence_type IS 'licence catalogue 证照目录: one row per licence type 证照类型';
COMMENT ON COLUMN ezz.licence_type.category IS 'document 证件, licence 执照, permit 许可证, certificate 证书, approval 批文, attestation 证明, appraisal 鉴定报告, result 办事结果, other 其他';
COMMENT ON COLUMN ezz.licence_type.authority IS 'industry authority 行业主管部门 that defined the type; its code opens the type code';
COMMENT ON COLUMN ezz.licence_type.legal_basis IS 'legal basis 设定依据';
COMMENT ON COLUMN ezz.licence_type.aggregation IS 'data aggregation method 数据汇聚方式: interface 接口, batch 批量, front_processor 前置机, manual 手工';
COMMENT ON COLUMN ezz.licence_type.disclosure IS 'disclosure 公开属性: public 社会公示, conditional 有条件共享, not_shared 不予共享';
COMMENT ON COLUMN ezz.licence_type.data_level IS 'data classification level 分类分级, 1 (lowest) to 4';
COMMENT ON COLUMN ezz.licence_type.field_schema IS 'licence face 照面 fields: [{"name", "label", "type", "required", "sensitive", "public", "max_length", "mask"}]';
COMMENT ON COLUMN ezz.licence_type.background_image IS 'background image 底图';
COMMENT ON COLUMN ezz.licence_type.face_template IS 'face template 照面模板 (SVG with {{field}} placeholders)';
COMMENT ON COLUMN ezz.licence_type.face_sample IS 'sample face data 样例, valid against field_schema';
COMMENT ON COLUMN ezz.licence_type.default_validity IS 'default validity period 有效期; NULL means no expiry 长期有效';
COMMENT ON COLUMN ezz.licence_type.annual_inspection IS 'annual inspection 年检 required';
COMMENT ON COLUMN ezz.licence_type.qr_ttl IS 'QR token lifetime for this type; NULL means the ezz.qr_ttl setting';
COMMENT ON COLUMN ezz.licence_type.version IS 'catalogue entry version, raised on every change; stale entries are an assessment finding';

-- The face schema: a non-empty array of field objects.
CREATE FUNCTION ezz._field_schema_problem(fs jsonb) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	f jsonb;
	i integer := 0;
	names text[] := '{}';
	k text;
BEGIN
	IF fs IS NULL OR jsonb_typeof(fs) <> 'array' OR jsonb_array_length(fs) = 0 THEN
		RETURN 'the field schema must be a non-empty JSON array of field objects';
	END IF;
	FOR f IN SELECT e FROM jsonb_array_elements(fs) e LOOP
		i := i + 1;
		IF jsonb_typeof(f) <> 'object' THEN
			RETURN format('field %s is not a JSON object', i);
		END IF;
		FOR k IN SELECT jsonb_object_keys(f) LOOP
			IF k NOT IN ('name', 'label', 'type', 'required', 'sensitive', 'public', 'max_length', 'mask', 'values') THEN
				RETURN format('field %s has unknown attribute "%s"', i, k);
			END IF;
		END LOOP;
		IF jsonb_typeof(f->'name') IS DISTINCT FROM 'string' OR (f->>'name') !~ '^[a-z][a-z0-9_]{0,62}$' THEN
			RETURN format('field %s: "name" must be a lower-case identifier ([a-z][a-z0-9_]*, at most 63 characters)', i);
		END IF;
		IF (f->>'name') = ANY (names) THEN
			RETURN format('field "%s" appears twice', f->>'name');
		END IF;
		names := names || (f->>'name');
		IF jsonb_typeof(f->'label') IS DISTINCT FROM 'string' OR length(f->>'label') NOT BETWEEN 1 AND 100 THEN
			RETURN format('field "%s": "label" (the name on the licence face) must be a string of 1 to 100 characters', f->>'name');
		END IF;
		IF (f->>'type') IS NULL OR (f->>'type') NOT IN ('string', 'integer', 'number', 'date', 'boolean') THEN
			RETURN format('field "%s": "type" must be string, integer, number, date or boolean', f->>'name');
		END IF;
		FOR k IN SELECT unnest(ARRAY['required', 'sensitive', 'public']) LOOP
			IF f ? k AND jsonb_typeof(f->k) <> 'boolean' THEN
				RETURN format('field "%s": "%s" must be true or false', f->>'name', k);
			END IF;
		END LOOP;
		IF coalesce((f->>'sensitive')::boolean, false) AND coalesce((f->>'public')::boolean, false) THEN
			RETURN format('field "%s" cannot be both sensitive and shown in public lookup', f->>'name');
		END IF;
		IF f ? 'max_length' AND (jsonb_typeof(f->'max_length') <> 'number'
			OR (f->>'max_length') !~ '^[0-9]+$' OR (f->>'max_length')::numeric NOT BETWEEN 1 AND 100000
			OR (f->>'type') <> 'string') THEN
			RETURN format('field "%s": "max_length" is a whole number from 1 to 100000, for string fields only', f->>'name');
		END IF;
		IF f ? 'mask' AND (f->>'mask' IS NULL OR (f->>'mask') NOT IN ('id', 'name', 'phone', 'address', 'text')) THEN
			RETURN format('field "%s": "mask" must be id, name, phone, address or text', f->>'name');
		END IF;
		IF f ? 'values' AND (jsonb_typeof(f->'values') <> 'array' OR jsonb_array_length(f->'values') = 0
			OR (f->>'type') <> 'string'
			OR EXISTS (SELECT FROM jsonb_array_elements(f->'values') v WHERE jsonb_typeof(v) <> 'string')) THEN
			RETURN format('field "%s": "values" is a non-empty array of strings, for string fields only', f->>'name');
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

CREATE FUNCTION ezz._licence_type_check() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	problem text := ezz._field_schema_problem(NEW.field_schema);
BEGIN
	IF problem IS NOT NULL THEN
		RAISE EXCEPTION 'invalid field schema for licence type %: %', NEW.code, problem
			USING ERRCODE = 'check_violation',
				  HINT = 'Example: [{"name": "holder_name", "label": "持证人", "type": "string", "required": true, "sensitive": false, "public": true}].';
	END IF;
	PERFORM ezz._require_department_kind(NEW.authority, ARRAY['authority']::ezz.department_kind[],
										 'the industry authority of a licence type');
	-- any change to an entry is a new catalogue version; an INSERT keeps what
	-- it is given (the column defaults, or the values pg_restore reloads)
	IF TG_OP = 'UPDATE' AND (NEW.*) IS DISTINCT FROM (OLD.*) THEN
		NEW.version := OLD.version + 1;
		NEW.updated_at := now();
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER licence_type_check BEFORE INSERT OR UPDATE ON ezz.licence_type
	FOR EACH ROW EXECUTE FUNCTION ezz._licence_type_check();

-- Related service items 关联事项 of a type.  A link table with real foreign
-- keys (not an array checked by a trigger), so that pg_dump loads service
-- items before the rows that name them.
CREATE TABLE ezz.type_service_item (
	type_code		ezz.type_code NOT NULL REFERENCES ezz.licence_type (code) ON DELETE CASCADE,
	service_item	ezz.service_item_code NOT NULL REFERENCES ezz.service_item (code),
	added_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (type_code, service_item)
);
CREATE INDEX type_service_item_item_idx ON ezz.type_service_item (service_item);
COMMENT ON TABLE ezz.type_service_item IS 'related service items 关联事项 of each licence type';

------------------------------------------------------------------------------
-- Issuance list 发证清单 and usage list 用证清单
------------------------------------------------------------------------------
CREATE TABLE ezz.issuance_list (
	department		ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	type_code		ezz.type_code NOT NULL REFERENCES ezz.licence_type (code),
	valid_from		date NOT NULL DEFAULT CURRENT_DATE,
	valid_to		date,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (department, type_code),
	CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX issuance_list_type_idx ON ezz.issuance_list (type_code);
COMMENT ON TABLE ezz.issuance_list IS 'issuance list 发证清单: which department may issue which licence type; issuing outside it is refused';

CREATE FUNCTION ezz._issuance_list_check() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM ezz._require_department_kind(NEW.department, ARRAY['issuer']::ezz.department_kind[],
										 'on an issuance list');
	IF TG_OP = 'UPDATE' THEN
		NEW.updated_at := now();
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER issuance_list_check BEFORE INSERT OR UPDATE ON ezz.issuance_list
	FOR EACH ROW EXECUTE FUNCTION ezz._issuance_list_check();

-- The service items an issuer issues a type for; none listed means all of the
-- type's related items.  The second foreign key keeps them among those.
CREATE TABLE ezz.issuance_item (
	department		ezz.uscc NOT NULL,
	type_code		ezz.type_code NOT NULL,
	service_item	ezz.service_item_code NOT NULL,
	PRIMARY KEY (department, type_code, service_item),
	CONSTRAINT issuance_item_entry_fkey FOREIGN KEY (department, type_code)
		REFERENCES ezz.issuance_list (department, type_code) ON DELETE CASCADE,
	CONSTRAINT issuance_item_related_fkey FOREIGN KEY (type_code, service_item)
		REFERENCES ezz.type_service_item (type_code, service_item)
);
CREATE INDEX issuance_item_related_idx ON ezz.issuance_item (type_code, service_item);
COMMENT ON TABLE ezz.issuance_item IS 'service items an issuance list entry covers (none: all of the type''s related items)';

CREATE TABLE ezz.usage_list (
	id				bigserial PRIMARY KEY,
	department		ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	type_code		ezz.type_code NOT NULL REFERENCES ezz.licence_type (code),
	service_item	ezz.service_item_code NOT NULL REFERENCES ezz.service_item (code),
	actions			text[] NOT NULL CHECK (pg_catalog.cardinality(actions) >= 1
			AND actions <@ ARRAY['view', 'verify', 'data', 'download']),
	valid_from		date NOT NULL DEFAULT CURRENT_DATE,
	valid_to		date,
	note			text,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CHECK (valid_to IS NULL OR valid_to >= valid_from),
	CONSTRAINT usage_list_entry_unique UNIQUE (department, type_code, service_item, valid_from)
);
COMMENT ON TABLE ezz.usage_list IS 'usage list 用证清单: which using department may use which type, for which service item, with which actions (view, verify, data, download), in which period';

CREATE FUNCTION ezz._usage_list_check() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM ezz._require_department_kind(NEW.department, ARRAY['user']::ezz.department_kind[],
										 'on a usage list');
	IF TG_OP = 'UPDATE' THEN
		NEW.updated_at := now();
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER usage_list_check BEFORE INSERT OR UPDATE ON ezz.usage_list
	FOR EACH ROW EXECUTE FUNCTION ezz._usage_list_check();

------------------------------------------------------------------------------
-- Service cases 办件: the denominators of the issuance and usage rates
------------------------------------------------------------------------------
CREATE TABLE ezz.service_case (
	id				bigserial PRIMARY KEY,
	department		ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	service_item	ezz.service_item_code NOT NULL REFERENCES ezz.service_item (code),
	case_no			text NOT NULL CHECK (pg_catalog.length(case_no) BETWEEN 1 AND 64),
	completed_at	timestamptz,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	UNIQUE (department, case_no)
);
CREATE INDEX service_case_item_idx ON ezz.service_case (service_item);
CREATE INDEX service_case_completed_idx ON ezz.service_case (completed_at);
COMMENT ON TABLE ezz.service_case IS 'service cases 办件 handled by a department; the denominator of the issuance rate 发证率 and usage rate 用证率';

CREATE TABLE ezz.case_licence (
	case_id			bigint NOT NULL REFERENCES ezz.service_case (id) ON DELETE CASCADE,
	type_code		ezz.type_code NOT NULL REFERENCES ezz.licence_type (code),
	role			text NOT NULL CHECK (role IN ('produces', 'needs')),
	licence			ezz.licence_ident,
	electronic		boolean NOT NULL DEFAULT false,
	PRIMARY KEY (case_id, type_code, role),
	CHECK (NOT electronic OR licence IS NOT NULL)
);
CREATE INDEX case_licence_type_idx ON ezz.case_licence (type_code);
COMMENT ON TABLE ezz.case_licence IS 'licence types a service case should produce (produces) or needed (needs), and whether an electronic licence was issued or used';

------------------------------------------------------------------------------
-- Holders 持证主体 (identity numbers are encrypted; see keys)
------------------------------------------------------------------------------
CREATE TABLE ezz.holder (
	id				bigserial PRIMARY KEY,
	kind			text NOT NULL CHECK (kind IN ('natural_person', 'legal_person', 'other_org')),
	id_type			text CHECK (id_type IN ('111', '001', '099', '516', '414', '999')),
	id_cipher		bytea,
	id_cipher_alg	text,
	id_key_version	integer,
	id_blind		bytea,
	id_masked		text,
	name			text NOT NULL CHECK (pg_catalog.length(name) BETWEEN 1 AND 200),
	related_holder	bigint REFERENCES ezz.holder (id),
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT holder_identity_complete CHECK (
		(id_type IS NULL AND id_cipher IS NULL AND id_blind IS NULL AND id_masked IS NULL
		 AND id_cipher_alg IS NULL AND id_key_version IS NULL)
		OR (id_type IS NOT NULL AND id_cipher IS NOT NULL AND id_blind IS NOT NULL AND id_masked IS NOT NULL
			AND id_cipher_alg IS NOT NULL AND id_key_version IS NOT NULL)),
	CONSTRAINT holder_identified CHECK (id_type IS NOT NULL OR related_holder IS NOT NULL),
	-- (with the holder's id: a search finds a holder by its identity from the
	-- index alone, without its row)
	CONSTRAINT holder_identity_unique UNIQUE (id_blind, id_type) INCLUDE (id)
);
CREATE INDEX holder_related_idx ON ezz.holder (related_holder);
COMMENT ON TABLE ezz.holder IS 'holders 持证主体: natural persons, legal persons, other organisations; identity numbers encrypted with a keyed blind index';
COMMENT ON COLUMN ezz.holder.id_cipher IS 'identity document number, AES-256-GCM under the master key (nonce || ciphertext || tag)';
COMMENT ON COLUMN ezz.holder.id_blind IS 'keyed blind index (HMAC) of the normalised number, for equality look-up';
COMMENT ON COLUMN ezz.holder.id_masked IS 'the number masked for display 脱敏';
COMMENT ON COLUMN ezz.holder.related_holder IS 'for a holder without an identity number (a newborn), the holder it is identified through (a parent)';

------------------------------------------------------------------------------
-- Login binding 登录绑定: which department a login role acts for
------------------------------------------------------------------------------
CREATE TABLE ezz.login_binding (
	login			regrole PRIMARY KEY,
	department		ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	bound_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	bound_by		text NOT NULL
);
CREATE INDEX login_binding_department_idx ON ezz.login_binding (department);
COMMENT ON TABLE ezz.login_binding IS 'login role -> department; written only by ezz.bind_login and ezz.unbind_login';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.table_policy', 'meta', false, 'this list; written by the install script only'),
	('ezz.region', 'reference', true, 'administrative divisions'),
	('ezz.department', 'reference', true, 'departments'),
	('ezz.service_item', 'reference', true, 'service items'),
	('ezz.licence_type', 'reference', true, 'licence catalogue; industry authorities also use ezz.define_type'),
	('ezz.type_service_item', 'reference', true, 'related service items of each licence type'),
	('ezz.issuance_list', 'reference', true, 'issuance list'),
	('ezz.issuance_item', 'reference', true, 'service items of an issuance list entry'),
	('ezz.usage_list', 'reference', true, 'usage list'),
	('ezz.service_case', 'data', false, 'service cases, recorded through functions'),
	('ezz.case_licence', 'data', false, 'licences produced or needed by service cases'),
	('ezz.holder', 'data', false, 'holders, written through functions (identity numbers encrypted)'),
	('ezz.login_binding', 'data', false, 'login bindings, written through ezz.bind_login');
