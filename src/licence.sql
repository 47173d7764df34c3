-- Licences 电子证照: issue, sign, verify, export (SPEC §2, §5).
--
-- A licence row keeps the document that was signed (jsonb, signed over its
-- RFC 8785 canonical form) beside the columns that index it; ezz.verify
-- checks the signature and that the columns still say what the document says.

CREATE FUNCTION ezz.canonical_json(jsonb) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_canonical_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.canonical_json(jsonb) IS 'the RFC 8785 canonical form (JCS) of a JSON value: members sorted by UTF-16 code units, ES6 number form';
CREATE FUNCTION ezz.es6_number(double precision) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_es6_number_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.es6_number(double precision) IS 'a double written as ECMAScript (and RFC 8785) writes it';
CREATE FUNCTION ezz._document_hash(document jsonb) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_document_hash' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION ezz._face_check(field_schema jsonb, data jsonb, type_code text) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'ezz_face_check' LANGUAGE C IMMUTABLE STRICT;

-- the face field that carries the licence number 证照编号 (NULL: the serial)
ALTER TABLE ezz.licence_type ADD COLUMN number_field text
	CHECK (number_field IS NULL OR number_field ~ '^[a-z][a-z0-9_]{0,62}$');
COMMENT ON COLUMN ezz.licence_type.number_field IS 'the face field holding the licence number 证照编号; NULL: the identifier''s serial';

-- a case recorded by ezz.issue without details may not know its service item
ALTER TABLE ezz.service_case ALTER COLUMN service_item DROP NOT NULL;

CREATE TYPE ezz.licence_status AS ENUM
	('valid', 'suspended', 'pledged', 'revoked', 'rescinded', 'cancelled', 'abolished', 'superseded', 'expired');
COMMENT ON TYPE ezz.licence_status IS 'valid 有效, suspended 挂起, pledged 质押, revoked 吊销, rescinded 撤销, cancelled 注销, abolished 废止, superseded 已变更, expired 过期';

CREATE TYPE ezz.verification AS (
	id			ezz.licence_ident,
	valid		boolean,
	status		ezz.licence_status,
	reasons		text[],
	checked		jsonb,
	verified_at	timestamptz
);
COMMENT ON TYPE ezz.verification IS 'the outcome of a verification 核验: valid, the licence''s current status, the reasons it is not valid, and what was checked';

CREATE SEQUENCE ezz.licence_serial_seq;
COMMENT ON SEQUENCE ezz.licence_serial_seq IS 'serials 流水号 of the licences this library issues (unique, gaps allowed)';

CREATE TABLE ezz.licence (
	id				ezz.licence_ident PRIMARY KEY,
	type_code		ezz.type_code NOT NULL REFERENCES ezz.licence_type (code),
	issuer			ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	licence_no		text NOT NULL,
	valid_from		date NOT NULL,
	valid_to		date,
	status			ezz.licence_status NOT NULL DEFAULT 'valid',
	version			integer NOT NULL,
	supersedes		ezz.licence_ident REFERENCES ezz.licence (id),
	superseded_by	ezz.licence_ident,
	mode			text NOT NULL CHECK (mode IN ('online', 'offline', 'batch', 'stock')),
	completed_at	timestamptz NOT NULL,
	registered_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	case_id			bigint REFERENCES ezz.service_case (id),
	paper_sync		text NOT NULL DEFAULT 'issued' CHECK (paper_sync IN ('none', 'issued', 'updated', 'abolished')),
	document		jsonb NOT NULL,
	key_id			bigint NOT NULL REFERENCES ezz.signing_key (key_id),
	signature		bytea NOT NULL,
	signed_at		timestamptz NOT NULL,
	file			bytea,
	archived		boolean NOT NULL DEFAULT false,
	CONSTRAINT licence_period CHECK (valid_to IS NULL OR valid_to >= valid_from),
	CONSTRAINT licence_ident_parts CHECK (version = ezz.ident_version(id)
		AND type_code = ezz.ident_type_code(id) AND issuer OPERATOR(ezz.=) ezz.ident_issuer(id))
);
CREATE INDEX licence_type_idx ON ezz.licence (type_code);
CREATE INDEX licence_issuer_idx ON ezz.licence (issuer);
CREATE INDEX licence_number_idx ON ezz.licence (licence_no);
CREATE INDEX licence_valid_to_idx ON ezz.licence (valid_to);
CREATE INDEX licence_case_idx ON ezz.licence (case_id);
CREATE INDEX licence_supersedes_idx ON ezz.licence (supersedes);
COMMENT ON TABLE ezz.licence IS 'electronic licences 电子证照: the signed document and the columns that index it';
COMMENT ON COLUMN ezz.licence.licence_no IS 'licence number 证照编号 as printed on the face';
COMMENT ON COLUMN ezz.licence.mode IS 'how it was produced: online 在线, offline 线下, batch 批量, stock 存量电子化; decides the timeliness window';
COMMENT ON COLUMN ezz.licence.completed_at IS 'business completion time 业务办结时间';
COMMENT ON COLUMN ezz.licence.registered_at IS 'when the library registered it (timeliness)';
COMMENT ON COLUMN ezz.licence.paper_sync IS 'paper licence sync 纸质证照同步: issued 同步签发, updated 同步更新, abolished 同步废止, none';
COMMENT ON COLUMN ezz.licence.document IS 'the licence document as signed (signed over its RFC 8785 canonical form)';

ALTER TABLE ezz.case_licence ADD CONSTRAINT case_licence_licence_fkey
	FOREIGN KEY (licence) REFERENCES ezz.licence (id);
CREATE INDEX case_licence_licence_idx ON ezz.case_licence (licence);

CREATE TABLE ezz.licence_holder (
	licence			ezz.licence_ident NOT NULL REFERENCES ezz.licence (id),
	ordinal			smallint NOT NULL,
	holder_id		bigint NOT NULL REFERENCES ezz.holder (id),
	role			text NOT NULL,
	PRIMARY KEY (licence, ordinal)
);
CREATE INDEX licence_holder_holder_idx ON ezz.licence_holder (holder_id);
COMMENT ON TABLE ezz.licence_holder IS 'the holders of each licence (结婚证: both spouses; 不动产权证书: the co-owners), with their roles';

CREATE TABLE ezz.status_history (
	id				bigserial PRIMARY KEY,
	licence			ezz.licence_ident NOT NULL REFERENCES ezz.licence (id),
	from_status		ezz.licence_status,
	to_status		ezz.licence_status NOT NULL,
	at				timestamptz NOT NULL DEFAULT pg_catalog.now(),
	actor			text NOT NULL,
	department		ezz.uscc,
	reason			text NOT NULL,
	basis			text
);
CREATE INDEX status_history_licence_idx ON ezz.status_history (licence, at);
COMMENT ON TABLE ezz.status_history IS 'every status transition of every licence: time, actor, department, reason, legal basis';

------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------

-- today in the library's time zone (ezz.timezone), whatever the session's
CREATE FUNCTION ezz.today() RETURNS date
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT (now() AT TIME ZONE current_setting('ezz.timezone'))::date
$$;
COMMENT ON FUNCTION ezz.today() IS 'today''s date in the library''s time zone ezz.timezone (default Asia/Shanghai)';

CREATE FUNCTION ezz._next_serial() RETURNS text
	LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_char(ezz.today(), 'YYYYMMDD') || lpad(n::text, greatest(8, length(n::text)), '0')
	FROM nextval('ezz.licence_serial_seq') n
$$;

CREATE FUNCTION ezz._iso_date(d date) RETURNS text
	LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_char(d, 'YYYY-MM-DD')
$$;

-- The document that is signed.  Dates are written YYYY-MM-DD whatever the
-- session's DateStyle; the key is named by its fingerprint (key ids are local
-- to a library).
CREATE FUNCTION ezz._licence_document(id ezz.licence_ident, licence_no text, holders jsonb, face jsonb,
									  valid_from date, valid_to date, supersedes ezz.licence_ident, file bytea,
									  key_algorithm text, key_fingerprint text) RETURNS jsonb
	LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT jsonb_build_object(
		'format', 'ezz-licence/1',
		'id', id::text,
		'type', ezz.ident_type_code(id),
		'issuer', ezz.ident_issuer(id)::text,
		'number', licence_no,
		'holders', (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
						'role', h->'role', 'kind', h->'kind', 'id_type', h->'id_type', 'id_masked', h->'id_masked',
						'id_digest', h->'id_digest', 'name', h->'name', 'related_role', h->'related_role'))
						ORDER BY (h->>'ordinal')::integer)
					FROM jsonb_array_elements(holders) h),
		'face', face,
		'valid_from', ezz._iso_date(valid_from),
		'valid_to', ezz._iso_date(valid_to),
		'version', ezz.ident_version(id),
		'supersedes', supersedes::text,
		'file', CASE WHEN file IS NULL THEN NULL ELSE jsonb_build_object(
					'alg', 'sm3', 'hash', encode(ezz.sm3(file), 'hex'), 'size', octet_length(file)) END,
		'key', jsonb_build_object('alg', key_algorithm, 'fingerprint', key_fingerprint))
$$;

-- The department's key to sign with now, or 55000 saying why there is none.
CREATE FUNCTION ezz._signing_key(dept ezz.uscc) RETURNS ezz.signing_key
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k ezz.signing_key;
BEGIN
	SELECT * INTO k FROM ezz.signing_key s WHERE s.department OPERATOR(ezz.=) dept AND s.status = 'active';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'department % has no active signing key', dept
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('The management department creates one: SELECT ezz.create_key(%L);', dept);
	END IF;
	IF now() < k.valid_from OR now() >= k.valid_to THEN
		RAISE EXCEPTION 'the signing key % of department % is valid from % to %, not now', k.key_id, dept,
			k.valid_from, k.valid_to
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('The management department creates a new one: SELECT ezz.create_key(%L);', dept);
	END IF;
	RETURN k;
END
$$;

-- Which service item a case recorded by ezz.issue belongs to, if it can tell.
CREATE FUNCTION ezz._issue_item(dept ezz.uscc, type_code text) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(
		(SELECT min(i.service_item) FROM ezz.issuance_item i
		 WHERE i.department OPERATOR(ezz.=) dept AND i.type_code = _issue_item.type_code),
		(SELECT min(l.service_item) FROM ezz.type_service_item l WHERE l.type_code = _issue_item.type_code))
$$;

------------------------------------------------------------------------------
-- ezz.issue
------------------------------------------------------------------------------

CREATE FUNCTION ezz.issue(type_code text, holder jsonb, data jsonb, valid_from date, valid_to date,
						  file bytea DEFAULT NULL, case_no text DEFAULT NULL,
						  completed_at timestamptz DEFAULT now(), mode text DEFAULT 'online')
	RETURNS ezz.licence_ident
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	dept ezz.uscc := ezz._require_department(ARRAY['issuer']::ezz.department_kind[], 'issuing a licence');
	t ezz.licence_type;
	k ezz.signing_key;
	face jsonb;
	vto date := valid_to;
	lid ezz.licence_ident;
	holders jsonb;
	lno text;
	doc jsonb;
	cid bigint;
	existing ezz.licence_ident;
BEGIN
	-- arguments
	IF issue.type_code IS NULL OR issue.data IS NULL OR issue.valid_from IS NULL OR issue.completed_at IS NULL
		OR issue.mode IS NULL THEN
		RAISE EXCEPTION 'ezz.issue: % must not be NULL',
			CASE WHEN issue.type_code IS NULL THEN 'type_code' WHEN issue.data IS NULL THEN 'data'
				 WHEN issue.valid_from IS NULL THEN 'valid_from' WHEN issue.completed_at IS NULL THEN 'completed_at'
				 ELSE 'mode' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF issue.mode NOT IN ('online', 'offline', 'batch', 'stock') THEN
		RAISE EXCEPTION 'ezz.issue: mode % is not online, offline, batch or stock', quote_literal(issue.mode)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The mode decides the timeliness window: online at completion, offline within 1 working day, batch within 5, stock (存量电子化) none.';
	END IF;
	IF issue.case_no IS NOT NULL AND length(issue.case_no) NOT BETWEEN 1 AND 64 THEN
		RAISE EXCEPTION 'ezz.issue: case_no must have 1 to 64 characters' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF issue.completed_at > now() + interval '5 minutes' THEN
		RAISE EXCEPTION 'ezz.issue: completed_at % is in the future', issue.completed_at
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	-- the type and the issuance list
	SELECT * INTO t FROM ezz.licence_type x WHERE x.code = upper(issue.type_code);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'licence type % does not exist', quote_literal(issue.type_code)
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Type codes are listed in the catalogue 证照目录.';
	END IF;
	IF NOT t.active THEN
		RAISE EXCEPTION 'licence type % (%) is no longer issued', t.code, t.name
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF NOT EXISTS (SELECT FROM ezz.issuance_list l
				   WHERE l.department OPERATOR(ezz.=) dept AND l.type_code = t.code
				     AND l.valid_from <= ezz.today() AND (l.valid_to IS NULL OR l.valid_to >= ezz.today())) THEN
		RAISE EXCEPTION 'department % may not issue licence type % (%)', dept, t.code, t.name
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'It is not on the issuance list 发证清单 for this type today.',
				  HINT = 'The management department adds it to ezz.issuance_list.';
	END IF;

	-- validity
	IF vto IS NULL AND t.default_validity IS NOT NULL THEN
		vto := (issue.valid_from + t.default_validity)::date - 1;
	END IF;
	IF vto < issue.valid_from THEN
		RAISE EXCEPTION 'ezz.issue: valid_to % is before valid_from %', vto, issue.valid_from
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	-- idempotent on (issuer, type, case_no): a retry returns what was issued
	IF issue.case_no IS NOT NULL THEN
		INSERT INTO ezz.service_case AS c (department, service_item, case_no, completed_at)
		VALUES (dept, ezz._issue_item(dept, t.code), issue.case_no, issue.completed_at)
		ON CONFLICT (department, case_no) DO NOTHING
		RETURNING c.id INTO cid;
		IF cid IS NULL THEN
			SELECT c.id INTO cid FROM ezz.service_case c
			WHERE c.department OPERATOR(ezz.=) dept AND c.case_no = issue.case_no FOR UPDATE;
			SELECT cl.licence INTO existing FROM ezz.case_licence cl
			WHERE cl.case_id = cid AND cl.type_code = t.code AND cl.role = 'produces' AND cl.licence IS NOT NULL;
			IF existing IS NOT NULL THEN
				RETURN existing;
			END IF;
		END IF;
	END IF;

	k := ezz._signing_key(dept);
	face := ezz._face_check(t.field_schema, issue.data, t.code);
	lid := ezz.licence_ident(t.code, dept, ezz._next_serial(), 1);
	holders := ezz._licence_holders(issue.holder, t.holder_types, lid);
	lno := coalesce(face->>t.number_field, ezz.ident_serial(lid));
	IF cid IS NULL THEN
		INSERT INTO ezz.service_case AS c (department, service_item, case_no, completed_at)
		VALUES (dept, ezz._issue_item(dept, t.code), ezz.ident_serial(lid), issue.completed_at)
		RETURNING c.id INTO cid;
	END IF;
	doc := ezz._licence_document(lid, lno, holders, face, issue.valid_from, vto, NULL, issue.file,
								 k.algorithm, k.fingerprint);

	INSERT INTO ezz.licence (id, type_code, issuer, licence_no, valid_from, valid_to, version, mode, completed_at,
							 case_id, document, key_id, signature, signed_at, file)
	VALUES (lid, t.code, dept, lno, issue.valid_from, vto, 1, issue.mode, issue.completed_at, cid, doc, k.key_id,
			ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version, k.fingerprint, doc),
			now(), issue.file);
	INSERT INTO ezz.licence_holder (licence, ordinal, holder_id, role)
	SELECT lid, (h->>'ordinal')::smallint, (h->>'holder_id')::bigint, h->>'role' FROM jsonb_array_elements(holders) h;
	INSERT INTO ezz.status_history (licence, from_status, to_status, actor, department, reason, basis)
	VALUES (lid, NULL, 'valid', session_user, dept, '签发 issued', t.legal_basis);
	INSERT INTO ezz.case_licence (case_id, type_code, role, licence, electronic)
	VALUES (cid, t.code, 'produces', lid, true)
	ON CONFLICT (case_id, type_code, role) DO UPDATE SET licence = EXCLUDED.licence, electronic = true;
	RETURN lid;
END
$$;
COMMENT ON FUNCTION ezz.issue(text, jsonb, jsonb, date, date, bytea, text, timestamptz, text) IS 'issue 签发 a licence: checks the issuance list, the holders and the face data, assigns the identifier, signs with the department''s active key; idempotent on (issuer, type, case_no)';

------------------------------------------------------------------------------
-- Verification 核验
------------------------------------------------------------------------------

-- The status a licence has now: valid past its valid_to day (in the library's
-- time zone) is expired, whether or not maintenance has recorded it.
CREATE FUNCTION ezz._effective_status(status ezz.licence_status, valid_to date) RETURNS ezz.licence_status
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN status = 'valid' AND valid_to < ezz.today() THEN 'expired'::ezz.licence_status ELSE status END
$$;

CREATE FUNCTION ezz._status_words(s ezz.licence_status) RETURNS text
	LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE s WHEN 'valid' THEN 'valid 有效' WHEN 'suspended' THEN 'suspended 挂起' WHEN 'pledged' THEN 'pledged 质押'
		WHEN 'revoked' THEN 'revoked 吊销' WHEN 'rescinded' THEN 'rescinded 撤销' WHEN 'cancelled' THEN 'cancelled 注销'
		WHEN 'abolished' THEN 'abolished 废止' WHEN 'superseded' THEN 'superseded 已变更' ELSE 'expired 过期' END
$$;

-- Verify a document signed by a key of ours or a trusted one, as of signed_at.
-- Returns (reasons, checked) for the signature and the key.
CREATE FUNCTION ezz._check_signature(document jsonb, signature bytea, k ezz.signing_key, signed_at timestamptz,
									 OUT reasons text[], OUT checked jsonb)
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	sig_problem text;
BEGIN
	reasons := '{}';
	sig_problem := ezz._verify_document(k.key_id, k.algorithm, k.public_key, k.fingerprint, document, signature);
	IF sig_problem IS NOT NULL THEN
		reasons := reasons || format('the signature does not verify: %s', sig_problem);
	END IF;
	IF document->'key'->>'fingerprint' IS DISTINCT FROM k.fingerprint THEN
		reasons := reasons || 'the document names another signing key than the one that signed it'::text;
	END IF;
	IF signed_at < k.valid_from OR signed_at >= k.valid_to THEN
		reasons := reasons || format('the signing key %s was not valid when it signed (%s; valid from %s to %s)',
									 k.key_id, signed_at, k.valid_from, k.valid_to);
	END IF;
	IF k.status = 'revoked' AND signed_at >= k.revocation_effective_at THEN
		reasons := reasons || format('the signing key %s was revoked with effect from %s, before this signature of %s (%s)',
									 k.key_id, k.revocation_effective_at, signed_at, k.revocation_reason);
	END IF;
	checked := jsonb_build_object(
		'signature', sig_problem IS NULL,
		'key', jsonb_build_object('id', k.key_id, 'owner', k.owner::text, 'algorithm', k.algorithm,
								  'fingerprint', k.fingerprint, 'status', k.status,
								  'valid_at_signing', signed_at >= k.valid_from AND signed_at < k.valid_to,
								  'revoked_before_signing', k.status = 'revoked' AND signed_at >= k.revocation_effective_at),
		'signed_at', signed_at);
END
$$;

-- Verify a licence of this library: signature, key, record against document,
-- status, validity period, supersession.
CREATE FUNCTION ezz._verify_licence(lid ezz.licence_ident) RETURNS ezz.verification
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	l ezz.licence;
	k ezz.signing_key;
	sig record;
	st ezz.licence_status;
	reasons text[];
	matches boolean;
	today date := ezz.today();
BEGIN
	SELECT * INTO l FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) lid;
	IF NOT FOUND THEN
		RETURN ROW(lid, false, NULL, ARRAY['no licence with this identifier is in this library'],
				   jsonb_build_object('found', false), now())::ezz.verification;
	END IF;
	SELECT * INTO k FROM ezz.signing_key s WHERE s.key_id = l.key_id;
	sig := ezz._check_signature(l.document, l.signature, k, l.signed_at);
	reasons := sig.reasons;
	matches := l.document->>'id' = l.id::text AND l.document->>'number' = l.licence_no
		AND l.document->>'valid_from' = ezz._iso_date(l.valid_from)
		AND (l.document->>'valid_to') IS NOT DISTINCT FROM ezz._iso_date(l.valid_to)
		AND (l.document->>'supersedes') IS NOT DISTINCT FROM l.supersedes::text
		AND (l.document->'file'->>'hash') IS NOT DISTINCT FROM encode(ezz.sm3(l.file), 'hex');
	IF NOT matches THEN
		reasons := reasons || 'the library''s record differs from the signed document (altered outside ezz?)'::text;
	END IF;
	st := ezz._effective_status(l.status, l.valid_to);
	IF st = 'superseded' OR l.superseded_by IS NOT NULL THEN
		reasons := reasons || format('superseded 已变更 by %s', coalesce(l.superseded_by::text, 'a later version'));
	ELSIF st <> 'valid' THEN
		reasons := reasons || format('the licence is %s', ezz._status_words(st));
	END IF;
	IF today < l.valid_from THEN
		reasons := reasons || format('not yet valid: valid from %s', ezz._iso_date(l.valid_from));
	END IF;
	RETURN ROW(l.id, cardinality(reasons) = 0, st, reasons,
			   sig.checked || jsonb_build_object('found', true, 'record_matches_document', matches,
												 'status', st, 'valid_from', ezz._iso_date(l.valid_from),
												 'valid_to', ezz._iso_date(l.valid_to), 'today', ezz._iso_date(today),
												 'superseded_by', l.superseded_by::text),
			   now())::ezz.verification;
END
$$;

-- Who may look at a licence, for verify and export until sharing rules
-- arrive: its issuer (or the issuer's successor), management, auditors, and
-- a using department on the usage list for the type with the action.
CREATE FUNCTION ezz._may_see(lid ezz.licence_ident, action text, service_item text, purpose text) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	groups text[] := ezz._role_groups((SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = session_user));
	dept ezz.uscc;
	kinds ezz.department_kind[];
	owner_chain ezz.uscc[];
	cur ezz.uscc := ezz.ident_issuer(lid);
BEGIN
	IF ezz._session_is_superuser() OR 'ezz_auditor' = ANY (groups) THEN
		RETURN;
	END IF;
	IF NOT (groups && ARRAY['ezz_admin', 'ezz_issuer', 'ezz_consumer']) THEN
		RAISE EXCEPTION 'role "%" may not % licences', session_user, action USING ERRCODE = 'insufficient_privilege';
	END IF;
	dept := ezz._require_department(ARRAY['management', 'issuer', 'authority', 'user']::ezz.department_kind[],
									format('%s a licence', action));
	SELECT d.kinds INTO kinds FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) dept;
	IF 'management' = ANY (kinds) THEN
		RETURN;
	END IF;
	-- the issuer and every successor down its chain
	WHILE cur IS NOT NULL LOOP
		IF cur OPERATOR(ezz.=) dept THEN
			RETURN;
		END IF;
		SELECT d.successor INTO cur FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) cur;
	END LOOP;
	IF 'user' = ANY (kinds) THEN
		IF service_item IS NULL OR purpose IS NULL OR length(btrim(purpose)) NOT BETWEEN 1 AND 200 THEN
			RAISE EXCEPTION 'a using department must name the service item and the purpose 用证事由 (1 to 200 characters)'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF EXISTS (SELECT FROM ezz.usage_list u
				   WHERE u.department OPERATOR(ezz.=) dept AND u.type_code = ezz.ident_type_code(lid)
				     AND u.service_item = _may_see.service_item AND action = ANY (u.actions)
				     AND u.valid_from <= ezz.today() AND (u.valid_to IS NULL OR u.valid_to >= ezz.today())) THEN
			RETURN;
		END IF;
		RAISE EXCEPTION 'department % may not % licence type % for service item %', dept, action,
			ezz.ident_type_code(lid), service_item
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'It is not on the usage list 用证清单 for this type, item and action today.';
	END IF;
	RAISE EXCEPTION 'department % may not % licences of %', dept, action, ezz.ident_issuer(lid)
		USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE FUNCTION ezz.verify(id ezz.licence_ident, service_item text DEFAULT NULL, purpose text DEFAULT NULL)
	RETURNS ezz.verification
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF verify.id IS NULL THEN
		RAISE EXCEPTION 'ezz.verify: id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._may_see(verify.id, 'verify', service_item, purpose);
	RETURN ezz._verify_licence(verify.id);
END
$$;
COMMENT ON FUNCTION ezz.verify(ezz.licence_ident, text, text) IS 'verify 信息验证 a licence: signature, key validity at signing time and revocation, record against document, status, validity period, supersession';

-- The signed licence document for offline verification 电子证照文件.
CREATE FUNCTION ezz._export(lid ezz.licence_ident) RETURNS jsonb
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT jsonb_build_object(
		'document', l.document,
		'signature', jsonb_build_object('alg', k.algorithm, 'fingerprint', k.fingerprint,
										'value', translate(encode(l.signature, 'base64'), E'\n', ''),
										'signed_at', l.signed_at),
		'public_key', ezz._public_key_pem(k.public_key),
		'canonical_sm3', encode(ezz._document_hash(l.document), 'hex'),
		'status', ezz._effective_status(l.status, l.valid_to),
		'exported_at', now())
	FROM ezz.licence l JOIN ezz.signing_key k ON k.key_id = l.key_id
	WHERE l.id OPERATOR(ezz.=) lid
$$;

CREATE FUNCTION ezz.export(id ezz.licence_ident) RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb;
BEGIN
	IF export.id IS NULL THEN
		RAISE EXCEPTION 'ezz.export: id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._may_see(export.id, 'export', NULL, NULL);
	doc := ezz._export(export.id);
	IF doc IS NULL THEN
		RAISE EXCEPTION 'licence % does not exist', export.id USING ERRCODE = 'no_data_found';
	END IF;
	RETURN doc;
END
$$;
COMMENT ON FUNCTION ezz.export(ezz.licence_ident) IS 'the signed licence document 电子证照文件, with its signature and public key, for offline verification';

CREATE FUNCTION ezz.verify_document(doc jsonb) RETURNS ezz.verification
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d jsonb := doc->'document';
	s jsonb := doc->'signature';
	k ezz.signing_key;
	sig bytea;
	lid ezz.licence_ident;
	l ezz.licence;
	chk record;
	reasons text[] := '{}';
	st ezz.licence_status;
	signed_at timestamptz;
BEGIN
	IF doc IS NULL THEN
		RAISE EXCEPTION 'ezz.verify_document: doc must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF jsonb_typeof(d) IS DISTINCT FROM 'object' OR jsonb_typeof(s) IS DISTINCT FROM 'object'
		OR d->>'format' IS DISTINCT FROM 'ezz-licence/1' OR s->>'value' IS NULL OR s->>'fingerprint' IS NULL THEN
		RETURN ROW(NULL, false, NULL, ARRAY['not an ezz licence document: it needs "document" (format ezz-licence/1) and "signature" with "value" and "fingerprint"'],
				   '{}'::jsonb, now())::ezz.verification;
	END IF;
	BEGIN
		lid := (d->>'id')::ezz.licence_ident;
		sig := decode(s->>'value', 'base64');
	EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
		RETURN ROW(NULL, false, NULL, ARRAY['the document''s identifier or signature value is malformed'],
				   '{}'::jsonb, now())::ezz.verification;
	END;
	SELECT * INTO k FROM ezz.signing_key x WHERE x.fingerprint = s->>'fingerprint';
	IF NOT FOUND THEN
		RETURN ROW(lid, false, NULL,
				   ARRAY[format('signed by a key this library does not know (fingerprint %s): import the issuing region''s public key with ezz.import_trusted_key', s->>'fingerprint')],
				   jsonb_build_object('key', jsonb_build_object('fingerprint', s->>'fingerprint', 'known', false)),
				   now())::ezz.verification;
	END IF;
	SELECT * INTO l FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) lid;
	-- the time of signing is the library's record where it has one
	signed_at := CASE WHEN l.id IS NOT NULL THEN l.signed_at ELSE (s->>'signed_at')::timestamptz END;
	IF signed_at IS NULL THEN
		reasons := reasons || 'the time of signing is unknown'::text;
		signed_at := now();
	END IF;
	chk := ezz._check_signature(d, sig, k, signed_at);
	reasons := reasons || chk.reasons;
	IF l.id IS NOT NULL THEN
		IF l.document IS DISTINCT FROM d THEN
			reasons := reasons || 'the document differs from the library''s record of this licence'::text;
		END IF;
		st := ezz._effective_status(l.status, l.valid_to);
		IF st = 'superseded' OR l.superseded_by IS NOT NULL THEN
			reasons := reasons || format('superseded 已变更 by %s', coalesce(l.superseded_by::text, 'a later version'));
		ELSIF st <> 'valid' THEN
			reasons := reasons || format('the licence is %s', ezz._status_words(st));
		END IF;
	ELSE
		IF (d->>'valid_to') IS NOT NULL AND (d->>'valid_to')::date < ezz.today() THEN
			st := 'expired';
			reasons := reasons || 'the licence is expired 过期'::text;
		END IF;
	END IF;
	IF (d->>'valid_from')::date > ezz.today() THEN
		reasons := reasons || format('not yet valid: valid from %s', d->>'valid_from');
	END IF;
	RETURN ROW(lid, cardinality(reasons) = 0, coalesce(st, CASE WHEN cardinality(reasons) = 0 THEN 'valid'::ezz.licence_status END),
			   reasons, chk.checked || jsonb_build_object('in_library', l.id IS NOT NULL), now())::ezz.verification;
END
$$;
COMMENT ON FUNCTION ezz.verify_document(jsonb) IS 'verify 文件验证 an exported licence document: signature with the issuer''s (or a trusted) key, and, for a licence of this library, its current status';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.licence', 'data', false, 'licences, written through ezz.issue and the lifecycle functions'),
	('ezz.licence_holder', 'data', false, 'holders of each licence'),
	('ezz.status_history', 'data', false, 'status transitions');
