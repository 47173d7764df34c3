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

-- the number field is a plain string field of the face
CREATE FUNCTION ezz._number_field_check() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NEW.number_field IS NOT NULL AND NOT EXISTS (
		SELECT FROM jsonb_array_elements(NEW.field_schema) f
		WHERE f->>'name' = NEW.number_field AND f->>'type' = 'string'
		  AND NOT coalesce((f->>'sensitive')::boolean, false)) THEN
		RAISE EXCEPTION 'number field "%" of licence type % is not a non-sensitive string field of its face', NEW.number_field, NEW.code
			USING ERRCODE = 'check_violation',
				  HINT = 'Name the face field that carries the licence number 证照编号, or leave number_field NULL to use the serial.';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER licence_type_number_field BEFORE INSERT OR UPDATE OF number_field, field_schema ON ezz.licence_type
	FOR EACH ROW EXECUTE FUNCTION ezz._number_field_check();

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
-- (with the licence: a search finds a holder's licences from the index alone)
CREATE INDEX licence_holder_holder_idx ON ezz.licence_holder (holder_id) INCLUDE (licence);
COMMENT ON TABLE ezz.licence_holder IS 'the holders of each licence (结婚证: both spouses; 不动产权证书: the co-owners), with their roles';

CREATE DOMAIN ezz.status_event_kind AS text
	CHECK (VALUE IN ('issue', 'transition', 'expiry', 'change', 'renew', 'reissue', 'reseal', 'inspection', 'direct'));
COMMENT ON DOMAIN ezz.status_event_kind IS 'what a status history row records: issue 签发, transition, expiry 过期, change 变更, renew 延续, reissue 补发, reseal (successor department), inspection 年检, direct (an UPDATE outside ezz''s functions)';

CREATE TABLE ezz.status_history (
	id				bigserial PRIMARY KEY,
	licence			ezz.licence_ident NOT NULL,	-- (no foreign key: see the comment)
	from_status		ezz.licence_status,
	to_status		ezz.licence_status NOT NULL,
	at				timestamptz NOT NULL DEFAULT pg_catalog.now(),
	actor			text NOT NULL,
	department		ezz.uscc,
	reason			text NOT NULL,
	basis			text,
	event			ezz.status_event_kind NOT NULL DEFAULT 'transition'
);
CREATE INDEX status_history_licence_idx ON ezz.status_history (licence, at);
COMMENT ON TABLE ezz.status_history IS 'every status transition of every licence: time, actor, department, reason, legal basis; written only by the status trigger (for the row it is changing) and by issuing and re-sealing (for the licence they write), so without a foreign key, whose check cost an eighth of a transition';
COMMENT ON COLUMN ezz.status_history.at IS 'when the status took effect: for an expiry, the end of the licence''s last day in ezz.timezone, however late it was recorded';

-- Earlier seals of a licence: when a successor department re-seals a licence
-- with its own key (ezz.reseal), the document and signature it replaces stay
-- here, so that copies exported before verify as of their time.
CREATE TABLE ezz.licence_seal (
	id				bigserial PRIMARY KEY,
	licence			ezz.licence_ident NOT NULL REFERENCES ezz.licence (id),
	document		jsonb NOT NULL,
	key_id			bigint NOT NULL REFERENCES ezz.signing_key (key_id),
	signature		bytea NOT NULL,
	signed_at		timestamptz NOT NULL,
	replaced_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	replaced_by		ezz.uscc NOT NULL
);
CREATE INDEX licence_seal_licence_idx ON ezz.licence_seal (licence);
COMMENT ON TABLE ezz.licence_seal IS 'earlier seals (document, key, signature) of licences re-sealed by a successor department';

------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------

-- today in the library's time zone (ezz.timezone), whatever the session's
-- (internal helpers that are not SECURITY DEFINER carry no SET clause, so
-- that PostgreSQL can inline them; every name in them is schema-qualified)
CREATE FUNCTION ezz.today() RETURNS date
	LANGUAGE sql STABLE AS $$
	SELECT (pg_catalog.now() AT TIME ZONE pg_catalog.current_setting('ezz.timezone'))::date
$$;
COMMENT ON FUNCTION ezz.today() IS 'today''s date in the library''s time zone ezz.timezone (default Asia/Shanghai)';

CREATE FUNCTION ezz._next_serial() RETURNS text
	LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	n bigint := pg_catalog.nextval('ezz.licence_serial_seq');
BEGIN
	RETURN pg_catalog.to_char(ezz.today(), 'YYYYMMDD') || pg_catalog.lpad(n::text, GREATEST(8, pg_catalog.length(n::text)), '0');
END
$$;

-- YYYY-MM-DD whatever the session's DateStyle
CREATE FUNCTION ezz._iso_date(d date) RETURNS text
	LANGUAGE sql STABLE AS $$
	SELECT pg_catalog.to_char(d, 'YYYY-MM-DD')
$$;

-- A holder as the document names it: no holder id (ids are local to a
-- library), the identity number only masked and as a digest.
CREATE FUNCTION ezz._document_holder(role text, kind text, id_type text, id_masked text, id_digest text,
									 name text, related_role text) RETURNS jsonb
	LANGUAGE sql STABLE AS $$
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'role', role, 'kind', kind, 'id_type', id_type, 'id_masked', id_masked, 'id_digest', id_digest,
		'name', name, 'related_role', related_role))
$$;

-- The document that is signed, from its holders (ezz._document_holder, in
-- order).  Dates are written YYYY-MM-DD whatever the session's DateStyle; the
-- key is named by its fingerprint (key ids are local to a library).  One
-- expression, so that it is inlined into the statement that signs.
CREATE FUNCTION ezz._licence_document(id ezz.licence_ident, licence_no text, holders jsonb, face jsonb,
									  valid_from date, valid_to date, supersedes ezz.licence_ident, file bytea,
									  key_algorithm text, key_fingerprint text) RETURNS jsonb
	LANGUAGE sql STABLE AS $$
	SELECT pg_catalog.jsonb_build_object(
		'format', 'ezz-licence/1',
		'id', id::text,
		'type', ezz.ident_type_code(id),
		'issuer', ezz.ident_issuer(id)::text,
		'number', licence_no,
		'holders', holders,
		'face', face,
		'valid_from', ezz._iso_date(valid_from),
		'valid_to', ezz._iso_date(valid_to),
		'version', ezz.ident_version(id),
		'supersedes', supersedes::text,
		'file', CASE WHEN file IS NULL THEN NULL ELSE pg_catalog.jsonb_build_object(
					'alg', 'sm3', 'hash', pg_catalog.encode(ezz.sm3(file), 'hex'), 'size', pg_catalog.octet_length(file)) END,
		'key', pg_catalog.jsonb_build_object('alg', key_algorithm, 'fingerprint', key_fingerprint))
$$;

-- The department's key to sign with now, or 55000 saying why there is none.
CREATE FUNCTION ezz._signing_key(dept ezz.uscc) RETURNS ezz.signing_key
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	k ezz.signing_key;
BEGIN
	SELECT * INTO k FROM ezz.signing_key s WHERE s.department OPERATOR(ezz.=) dept AND s.status = 'active';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'department % has no active signing key', dept
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('The management department creates one: SELECT ezz.create_key(%L);', dept);
	END IF;
	IF pg_catalog.now() < k.valid_from OR pg_catalog.now() >= k.valid_to THEN
		RAISE EXCEPTION 'the signing key % of department % is valid from % to %, not now', k.key_id, dept,
			k.valid_from, k.valid_to
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = format('The management department creates a new one: SELECT ezz.create_key(%L);', dept);
	END IF;
	RETURN k;
END
$$;

-- Which service item a case recorded by ezz.issue belongs to, if it can
-- tell: the issuer's own item for the type, else the type's.  A set-returning
-- SQL function, so that it is inlined where it is joined (LATERAL).
CREATE FUNCTION ezz._issue_item(dept ezz.uscc, type_code text) RETURNS TABLE (service_item text)
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT s.item FROM (
		SELECT i.service_item::text AS item, 0 AS pref FROM ezz.issuance_item i
		WHERE i.department OPERATOR(ezz.=) _issue_item.dept AND i.type_code = _issue_item.type_code
		UNION ALL
		SELECT l.service_item::text, 1 FROM ezz.type_service_item l WHERE l.type_code = _issue_item.type_code) s
	ORDER BY s.pref, s.item LIMIT 1
$$;

------------------------------------------------------------------------------
-- Issuing 签发: a one-row path for ezz.issue and a set-based path for
-- ezz.issue_batch, over the same checks, parser, document and signer
------------------------------------------------------------------------------

CREATE FUNCTION ezz._holder_parse(holder jsonb, allowed_kinds text[], licence ezz.licence_ident,
								  OUT pos integer, OUT role text, OUT kind text, OUT id_type text, OUT id_masked text,
								  OUT name text, OUT related_pos integer, OUT id_digest text, OUT blinds bytea[],
								  OUT id_cipher bytea, OUT id_cipher_alg text, OUT id_key_version integer,
								  OUT id_blind bytea, OUT related_role text)
	RETURNS SETOF record ROWS 2
	AS 'MODULE_PATHNAME', 'ezz_holder_parse' LANGUAGE C VOLATILE;

-- The holder already recorded under any of the blind indexes (one per master
-- key version, the current first), looked up on the unique key whatever the
-- statistics say (the table grows during a batch).
CREATE FUNCTION ezz._holder_known(id_type text, blinds bytea[]) RETURNS TABLE (holder_id bigint, name text)
	LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT h.id, h.name
	FROM pg_catalog.unnest(_holder_known.blinds) WITH ORDINALITY b(v, n)
	CROSS JOIN LATERAL (SELECT h.id, h.name FROM ezz.holder h
						WHERE h.id_blind = b.v AND h.id_type = _holder_known.id_type OFFSET 0) h
	ORDER BY b.n LIMIT 1
$$;

CREATE TYPE ezz.issue_row AS (
	ord				integer,
	type_code		text,
	holder			jsonb,
	data			jsonb,
	valid_from		date,
	valid_to		date,
	file			bytea,
	case_no			text,
	completed_at	timestamptz,
	mode			text
);
COMMENT ON TYPE ezz.issue_row IS 'one licence to issue: the arguments of ezz.issue, numbered';

-- What is being issued, row by row, once checked and prepared.
CREATE TYPE ezz._issue_prep AS (
	ord				integer,
	id				ezz.licence_ident,	-- NULL where the row repeats an earlier issue
	existing		ezz.licence_ident,	-- the licence issued before for this case and type
	type_code		text,
	holder_types	text[],
	legal_basis		text,
	holder			jsonb,
	face			jsonb,
	licence_no		text,
	valid_from		date,
	valid_to		date,
	file			bytea,
	case_id			bigint,
	new_case		boolean,			-- the case is made for this licence, named after its serial
	completed_at	timestamptz,
	mode			text
);

-- A holder of a licence being issued, parsed and sealed, with the holder
-- already recorded for it if any.
CREATE TYPE ezz._issue_holder AS (
	ord				integer,
	pos				integer,
	role			text,
	kind			text,
	id_type			text,
	id_masked		text,
	name			text,
	related_pos		integer,
	related_role	text,
	id_digest		text,
	id_cipher		bytea,
	id_cipher_alg	text,
	id_key_version	integer,
	id_blind		bytea,
	known_id		bigint,
	known_name		text
);

-- What issuing needs of a licence type: the catalogue row without its
-- background image and templates (a whole row would fetch them from TOAST
-- for every licence).
CREATE TYPE ezz._issue_type AS (
	code			text,
	name			text,
	active			boolean,
	holder_types	text[],
	legal_basis		text,
	field_schema	jsonb,
	default_validity interval,
	number_field	text
);

-- The first problem with a row that can be seen without touching anything:
-- (sqlstate, message, detail, hint), or NULLs.
CREATE FUNCTION ezz._issue_row_problem(r ezz.issue_row, t ezz._issue_type, listed boolean, dept ezz.uscc,
									   OUT sqlstate text, OUT message text, OUT detail text, OUT hint text)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	vto date := r.valid_to;
BEGIN
	IF r.type_code IS NULL OR r.data IS NULL OR r.valid_from IS NULL OR r.completed_at IS NULL OR r.mode IS NULL
		OR r.holder IS NULL THEN
		sqlstate := '22004';
		message := format('%s must not be NULL',
			CASE WHEN r.type_code IS NULL THEN 'type_code' WHEN r.holder IS NULL THEN 'holder'
				 WHEN r.data IS NULL THEN 'data' WHEN r.valid_from IS NULL THEN 'valid_from'
				 WHEN r.completed_at IS NULL THEN 'completed_at' ELSE 'mode' END);
	ELSIF r.mode NOT IN ('online', 'offline', 'batch', 'stock') THEN
		sqlstate := '22023';
		message := format('mode %s is not online, offline, batch or stock', quote_literal(r.mode));
		detail := 'The mode decides the timeliness window: online at completion, offline within 1 working day, batch within 5, stock (存量电子化) none.';
	ELSIF r.case_no IS NOT NULL AND length(r.case_no) NOT BETWEEN 1 AND 64 THEN
		sqlstate := '22023';
		message := 'case_no must have 1 to 64 characters';
	ELSIF r.completed_at > now() + interval '5 minutes' THEN
		sqlstate := '22023';
		message := format('completed_at %s is in the future', r.completed_at);
	ELSIF t.code IS NULL THEN
		sqlstate := '22023';
		message := format('licence type %s does not exist', quote_literal(r.type_code));
		hint := 'Type codes are listed in the catalogue 证照目录.';
	ELSIF NOT t.active THEN
		sqlstate := '55000';
		message := format('licence type %s (%s) is no longer issued', t.code, t.name);
	ELSIF NOT listed THEN
		sqlstate := '42501';
		message := format('department %s may not issue licence type %s (%s)', dept, t.code, t.name);
		detail := 'It is not on the issuance list 发证清单 for this type today.';
		hint := 'The management department adds it to ezz.issuance_list.';
	ELSE
		IF vto IS NULL AND t.default_validity IS NOT NULL THEN
			vto := (r.valid_from + t.default_validity)::date - 1;
		END IF;
		IF vto < r.valid_from THEN
			sqlstate := '22023';
			message := format('valid_to %s is before valid_from %s', vto, r.valid_from);
		END IF;
	END IF;
END
$$;

------------------------------------------------------------------------------
-- The set-based path: ezz.issue_batch, a chunk of rows at a time.  Every
-- statement works on all the rows of the chunk; rows meet rows only through
-- jsonb maps and index look-ups, never a join whose plan depends on how many
-- rows the planner guesses (the plans are generic: planned once per session,
-- for the foreign-key checks as much as for these statements).
------------------------------------------------------------------------------

-- Issue every row, or none: checks, identifiers, holders, documents,
-- signatures, and the inserts, each a statement over all the rows.
-- (jit off: the row estimates of set-returning functions make plans look
-- costly enough for LLVM to spend a second compiling what runs in milliseconds)
CREATE FUNCTION ezz._issue_rows(rows ezz.issue_row[], batch boolean) RETURNS TABLE (ord integer, id ezz.licence_ident)
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off
	SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
	dept ezz.uscc := ezz._department_for(ARRAY['issuer']::ezz.department_kind[], 'issuing a licence');
	today date := ezz.today();
	k ezz.signing_key;
	bad record;
	prep ezz._issue_prep[];
	parsed ezz._issue_holder[];
	ids jsonb;
	docs jsonb;
BEGIN
	-- 1. every row's arguments, type and issuance list, before anything is written
	SELECT r.ord, p.* INTO bad
	FROM unnest(rows) r
	LEFT JOIN ezz.licence_type t ON t.code = upper(r.type_code)
	CROSS JOIN LATERAL ezz._issue_row_problem(r,
		ROW(t.code, t.name, t.active, NULL, NULL, NULL, t.default_validity, NULL)::ezz._issue_type,
		EXISTS (SELECT FROM ezz.issuance_list l
				WHERE l.department OPERATOR(ezz.=) dept AND l.type_code = t.code
				  AND l.valid_from <= today AND (l.valid_to IS NULL OR l.valid_to >= today)), dept) p
	WHERE p.sqlstate IS NOT NULL
	ORDER BY r.ord LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = bad.sqlstate,
			MESSAGE = CASE WHEN batch THEN format('batch row %s: %s', bad.ord, bad.message)
						   ELSE 'ezz.issue: ' || bad.message END,
			DETAIL = coalesce(bad.detail, ''), HINT = coalesce(bad.hint, '');
	END IF;
	k := ezz._signing_key(dept);

	-- 2. service cases, idempotent on (issuer, case_no): a retry returns what
	-- was issued; the case rows are locked, so a concurrent retry waits
	INSERT INTO ezz.service_case AS c (department, service_item, case_no, completed_at)
	SELECT DISTINCT ON (r.case_no) dept, si.service_item, r.case_no, r.completed_at
	FROM unnest(rows) r LEFT JOIN LATERAL ezz._issue_item(dept, upper(r.type_code)) si ON true
	WHERE r.case_no IS NOT NULL
	ORDER BY r.case_no, r.ord
	ON CONFLICT ON CONSTRAINT service_case_department_case_no_key DO NOTHING;
	-- (each looked up on its unique key whatever the statistics say; locked in
	-- case_no order, so that concurrent batches do not deadlock)
	PERFORM 1
	FROM (SELECT DISTINCT r.case_no FROM unnest(rows) r WHERE r.case_no IS NOT NULL ORDER BY r.case_no) r
	CROSS JOIN LATERAL (SELECT c.id FROM ezz.service_case c
						WHERE c.department OPERATOR(ezz.=) dept AND c.case_no = r.case_no
						OFFSET 0 FOR UPDATE) c;

	-- 3. each row: the licence issued before for its case and type, or a new
	-- identifier, the face as it will be signed, and the case (made below when
	-- the row has no case number); a case and type repeated within the call is
	-- issued once
	WITH r AS (
		SELECT r.*, t.code, t.holder_types, t.legal_basis, t.number_field, t.field_schema, t.default_validity,
			   c.id AS case_id, cl.licence AS before,
			   min(r.ord) OVER (PARTITION BY c.id, t.code) AS first_ord
		FROM unnest(rows) r
		JOIN ezz.licence_type t ON t.code = upper(r.type_code)
		LEFT JOIN LATERAL (SELECT c.id FROM ezz.service_case c
						   WHERE c.department OPERATOR(ezz.=) dept AND c.case_no = r.case_no OFFSET 0) c ON true
		LEFT JOIN LATERAL (SELECT cl.licence FROM ezz.case_licence cl
						   WHERE cl.case_id = c.id AND cl.type_code = t.code AND cl.role = 'produces' OFFSET 0) cl ON true
	), fresh AS (
		SELECT r.*,
			   CASE WHEN r.before IS NULL AND (r.case_id IS NULL OR r.ord = r.first_ord)
					THEN ezz.licence_ident(r.code, dept, ezz._next_serial(), 1) END AS new_id,
			   CASE WHEN r.before IS NULL AND (r.case_id IS NULL OR r.ord = r.first_ord)
					THEN ezz._face_check(r.field_schema, r.data, r.code) END AS face
		FROM r ORDER BY r.ord
	), settled AS (
		SELECT f.*, coalesce(f.before, CASE WHEN f.new_id IS NULL AND f.case_id IS NOT NULL
				   THEN first_value(f.new_id) OVER (PARTITION BY f.case_id, f.code ORDER BY f.ord) END) AS existing,
			   f.case_id IS NULL AND f.new_id IS NOT NULL AS new_case
		FROM fresh f
	)
	SELECT array_agg(ROW(f.ord, f.new_id, f.existing, f.code, f.holder_types, f.legal_basis, f.holder, f.face,
						 coalesce(f.face->>f.number_field, ezz.ident_serial(f.new_id)), f.valid_from,
						 CASE WHEN f.valid_to IS NULL AND f.default_validity IS NOT NULL
							  THEN (f.valid_from + f.default_validity)::date - 1 ELSE f.valid_to END,
						 f.file,
						 CASE WHEN f.new_case THEN nextval('ezz.service_case_id_seq') ELSE f.case_id END,
						 f.new_case, f.completed_at, f.mode)::ezz._issue_prep ORDER BY f.ord)
	INTO prep FROM settled f;

	-- 4. cases for new licences without a case number: named after the serial
	INSERT INTO ezz.service_case (id, department, service_item, case_no, completed_at)
	SELECT p.case_id, dept, si.service_item, ezz.ident_serial(p.id), p.completed_at
	FROM unnest(prep) p LEFT JOIN LATERAL ezz._issue_item(dept, p.type_code) si ON true
	WHERE p.new_case;

	-- 5. holders: parsed, checked and sealed in C, and looked up under any
	-- master key version; made when new (a concurrent maker's row is taken:
	-- DO UPDATE waits for it); renamed (改名) when known under another name
	-- (the latest row's name wins); those without a number made through their
	-- related holder
	SELECT array_agg(ROW(p.ord, h.pos, h.role, h.kind, h.id_type, h.id_masked, h.name, h.related_pos, h.related_role,
						 h.id_digest, h.id_cipher, h.id_cipher_alg, h.id_key_version, h.id_blind, kn.holder_id,
						 kn.name)::ezz._issue_holder ORDER BY p.ord, h.pos)
	INTO parsed
	FROM unnest(prep) p
	CROSS JOIN LATERAL ezz._holder_parse(p.holder, p.holder_types, p.id) h
	LEFT JOIN LATERAL ezz._holder_known(h.id_type, h.blinds) kn ON h.id_type IS NOT NULL
	WHERE p.id IS NOT NULL;

	INSERT INTO ezz.holder AS h (kind, id_type, id_cipher, id_cipher_alg, id_key_version, id_blind, id_masked, name)
	SELECT DISTINCT ON (x.id_blind, x.id_type) x.kind, x.id_type, x.id_cipher, x.id_cipher_alg, x.id_key_version,
		   x.id_blind, x.id_masked, x.name
	FROM unnest(parsed) x
	WHERE x.id_type IS NOT NULL AND x.known_id IS NULL
	ORDER BY x.id_blind, x.id_type, x.ord DESC
	ON CONFLICT ON CONSTRAINT holder_identity_unique DO UPDATE SET name = EXCLUDED.name;

	UPDATE ezz.holder h SET name = n.name
	FROM (SELECT DISTINCT ON (x.known_id) x.known_id, x.name FROM unnest(parsed) x
		  WHERE x.known_id IS NOT NULL ORDER BY x.known_id, x.ord DESC) n
	WHERE h.id = ANY (ARRAY(SELECT x.known_id FROM unnest(parsed) x WHERE x.known_name IS DISTINCT FROM x.name
							  AND x.known_id IS NOT NULL))
	  AND h.id = n.known_id AND h.name IS DISTINCT FROM n.name;

	-- every numbered holder's id, by "ord:pos" (the new ones are seen now)
	SELECT jsonb_object_agg(x.ord || ':' || x.pos, coalesce(x.known_id, kn.holder_id)) INTO ids
	FROM unnest(parsed) x
	LEFT JOIN LATERAL ezz._holder_known(x.id_type, ARRAY[x.id_blind]) kn ON x.known_id IS NULL
	WHERE x.id_type IS NOT NULL;

	INSERT INTO ezz.holder AS h (kind, name, related_holder)
	SELECT DISTINCT ON (r.related, x.name) x.kind, x.name, r.related
	FROM unnest(parsed) x, LATERAL (SELECT (ids->>(x.ord || ':' || x.related_pos))::bigint AS related) r
	WHERE x.id_type IS NULL
	ORDER BY r.related, x.name, x.ord DESC
	ON CONFLICT (related_holder, name) WHERE id_type IS NULL DO UPDATE SET kind = EXCLUDED.kind;

	-- each licence's holder links and its holders as the document names them
	SELECT jsonb_object_agg(d.ord, jsonb_build_object('links', d.links, 'doc', d.doc)) INTO docs
	FROM (SELECT x.ord,
				 jsonb_agg(jsonb_build_object('ordinal', x.pos, 'role', x.role, 'holder_id',
							   coalesce((ids->>(x.ord || ':' || x.pos))::bigint, u.id)) ORDER BY x.pos) AS links,
				 jsonb_agg(ezz._document_holder(x.role, x.kind, x.id_type, x.id_masked, x.id_digest, x.name,
												x.related_role) ORDER BY x.pos) AS doc
		  FROM unnest(parsed) x
		  LEFT JOIN LATERAL (SELECT u.id FROM ezz.holder u
							 WHERE u.related_holder = (ids->>(x.ord || ':' || x.related_pos))::bigint
							   AND u.name = x.name AND u.id_type IS NULL OFFSET 0) u ON x.id_type IS NULL
		  GROUP BY x.ord) d;

	-- 6. documents and signatures, in C, one pass; then the inserts
	WITH signed AS (
		SELECT p.*, docs->(p.ord::text)->'links' AS links,
			   ezz._licence_document(p.id, p.licence_no, docs->(p.ord::text)->'doc', p.face, p.valid_from,
									 p.valid_to, NULL, p.file, k.algorithm, k.fingerprint) AS document
		FROM unnest(prep) p WHERE p.id IS NOT NULL
	), lic AS (
		INSERT INTO ezz.licence (id, type_code, issuer, licence_no, valid_from, valid_to, version, mode, completed_at,
								 case_id, document, key_id, signature, signed_at, file)
		SELECT s.id, s.type_code, dept, s.licence_no, s.valid_from, s.valid_to, 1, s.mode, s.completed_at, s.case_id,
			   s.document, k.key_id,
			   ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version, k.fingerprint, s.document),
			   now(), s.file
		FROM signed s ORDER BY s.ord
		RETURNING 1
	), hol AS (
		INSERT INTO ezz.licence_holder (licence, ordinal, holder_id, role)
		SELECT s.id, (h->>'ordinal')::smallint, (h->>'holder_id')::bigint, h->>'role'
		FROM signed s, jsonb_array_elements(s.links) h
		RETURNING 1
	), hist AS (
		INSERT INTO ezz.status_history (licence, from_status, to_status, actor, department, reason, basis, event)
		SELECT s.id, NULL, 'valid', session_user, dept, '签发 issued', s.legal_basis, 'issue' FROM signed s
		RETURNING 1
	)
	INSERT INTO ezz.case_licence AS cl (case_id, type_code, role, licence, electronic)
	SELECT s.case_id, s.type_code, 'produces', s.id, true FROM signed s
	ON CONFLICT (case_id, type_code, role) DO UPDATE SET licence = EXCLUDED.licence, electronic = true;

	RETURN QUERY SELECT p.ord, coalesce(p.id, p.existing) FROM unnest(prep) p ORDER BY p.ord;
END
$$;

------------------------------------------------------------------------------
-- The one-row path: ezz.issue, a licence at a time, in plain statements on
-- single rows (the set-based statements cost more to start than one row
-- costs to write).  It calls the same checks, holder parser, document and
-- signer as the set-based path; test/pgtap/issue.sql holds the two to the
-- same results.
------------------------------------------------------------------------------
CREATE FUNCTION ezz.issue(type_code text, holder jsonb, data jsonb, valid_from date, valid_to date,
						  file bytea DEFAULT NULL, case_no text DEFAULT NULL,
						  completed_at timestamptz DEFAULT now(), mode text DEFAULT 'online')
	RETURNS ezz.licence_ident
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	dept ezz.uscc := ezz._department_for(ARRAY['issuer']::ezz.department_kind[], 'issuing a licence');
	today date := ezz.today();
	r ezz.issue_row := ROW(1, issue.type_code, issue.holder, issue.data, issue.valid_from, issue.valid_to, issue.file,
						   issue.case_no, issue.completed_at, issue.mode);
	t ezz._issue_type;
	bad record;
	k ezz.signing_key;
	cid bigint;
	lid ezz.licence_ident;
	face jsonb;
	hs ezz._issue_holder[];
	h ezz._issue_holder;
	hid bigint;
	ids bigint[] := '{}';
	links jsonb := '[]';
	named jsonb[] := '{}';
	doc jsonb;
BEGIN
	SELECT x.code, x.name, x.active, x.holder_types, x.legal_basis, x.field_schema, x.default_validity, x.number_field
	INTO t FROM ezz.licence_type x WHERE x.code = upper(r.type_code);
	SELECT * INTO bad FROM ezz._issue_row_problem(r, t,
		EXISTS (SELECT FROM ezz.issuance_list l
				WHERE l.department OPERATOR(ezz.=) dept AND l.type_code = t.code
				  AND l.valid_from <= today AND (l.valid_to IS NULL OR l.valid_to >= today)), dept);
	IF bad.sqlstate IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = bad.sqlstate, MESSAGE = 'ezz.issue: ' || bad.message,
			DETAIL = coalesce(bad.detail, ''), HINT = coalesce(bad.hint, '');
	END IF;
	k := ezz._signing_key(dept);

	-- idempotent on (issuer, case_no, type): a retry returns what was issued;
	-- the case row is locked, so a concurrent retry waits
	IF r.case_no IS NOT NULL THEN
		INSERT INTO ezz.service_case (department, service_item, case_no, completed_at)
		VALUES (dept, (SELECT si.service_item FROM ezz._issue_item(dept, t.code) si), r.case_no, r.completed_at)
		ON CONFLICT ON CONSTRAINT service_case_department_case_no_key DO NOTHING;
		SELECT c.id INTO cid FROM ezz.service_case c
		WHERE c.department OPERATOR(ezz.=) dept AND c.case_no = r.case_no FOR UPDATE;
		SELECT cl.licence INTO lid FROM ezz.case_licence cl
		WHERE cl.case_id = cid AND cl.type_code = t.code AND cl.role = 'produces';
		IF lid IS NOT NULL THEN
			RETURN lid;
		END IF;
	END IF;

	lid := ezz.licence_ident(t.code, dept, ezz._next_serial(), 1);
	face := ezz._face_check(t.field_schema, r.data, t.code);
	IF cid IS NULL THEN
		INSERT INTO ezz.service_case AS c (department, service_item, case_no, completed_at)
		VALUES (dept, (SELECT si.service_item FROM ezz._issue_item(dept, t.code) si), ezz.ident_serial(lid),
				r.completed_at)
		RETURNING c.id INTO cid;
	END IF;

	-- holders, parsed and sealed in C and looked up under any master key
	-- version; those with an identity number first: made when new, renamed
	-- (改名) when known under another name; then those identified through them
	SELECT array_agg(ROW(1, x.pos, x.role, x.kind, x.id_type, x.id_masked, x.name, x.related_pos, x.related_role,
						 x.id_digest, x.id_cipher, x.id_cipher_alg, x.id_key_version, x.id_blind, kn.holder_id,
						 kn.name)::ezz._issue_holder ORDER BY x.id_type IS NULL, x.pos)
	INTO hs
	FROM ezz._holder_parse(r.holder, t.holder_types, lid) x
	LEFT JOIN LATERAL ezz._holder_known(x.id_type, x.blinds) kn ON x.id_type IS NOT NULL;
	FOREACH h IN ARRAY hs LOOP
		hid := h.known_id;
		IF h.id_type IS NOT NULL THEN
			IF hid IS NULL THEN
				INSERT INTO ezz.holder AS x (kind, id_type, id_cipher, id_cipher_alg, id_key_version, id_blind, id_masked,
											 name)
				VALUES (h.kind, h.id_type, h.id_cipher, h.id_cipher_alg, h.id_key_version, h.id_blind, h.id_masked, h.name)
				ON CONFLICT ON CONSTRAINT holder_identity_unique DO UPDATE SET name = EXCLUDED.name
				RETURNING x.id INTO hid;
			ELSIF h.known_name IS DISTINCT FROM h.name THEN
				UPDATE ezz.holder x SET name = h.name WHERE x.id = hid;
			END IF;
			ids[h.pos] := hid;
		ELSE
			INSERT INTO ezz.holder AS x (kind, name, related_holder) VALUES (h.kind, h.name, ids[h.related_pos])
			ON CONFLICT (related_holder, name) WHERE id_type IS NULL DO UPDATE SET kind = EXCLUDED.kind
			RETURNING x.id INTO hid;
		END IF;
		links := links || jsonb_build_object('ordinal', h.pos, 'role', h.role, 'holder_id', hid);
		named[h.pos] := ezz._document_holder(h.role, h.kind, h.id_type, h.id_masked, h.id_digest, h.name, h.related_role);
	END LOOP;

	doc := ezz._licence_document(lid, coalesce(face->>t.number_field, ezz.ident_serial(lid)), to_jsonb(named), face,
								 r.valid_from,
								 CASE WHEN r.valid_to IS NULL AND t.default_validity IS NOT NULL
									  THEN (r.valid_from + t.default_validity)::date - 1 ELSE r.valid_to END,
								 NULL, r.file, k.algorithm, k.fingerprint);
	-- the licence, signed in C, with its holders, history and case, in one statement
	WITH lic AS (
		INSERT INTO ezz.licence (id, type_code, issuer, licence_no, valid_from, valid_to, version, mode, completed_at,
								 case_id, document, key_id, signature, signed_at, file)
		VALUES (lid, t.code, dept, doc->>'number', r.valid_from, (doc->>'valid_to')::date, 1, r.mode, r.completed_at,
				cid, doc, k.key_id,
				ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version, k.fingerprint, doc),
				now(), r.file)
	), hol AS (
		INSERT INTO ezz.licence_holder (licence, ordinal, holder_id, role)
		SELECT lid, (x->>'ordinal')::smallint, (x->>'holder_id')::bigint, x->>'role' FROM jsonb_array_elements(links) x
	), hist AS (
		INSERT INTO ezz.status_history (licence, from_status, to_status, actor, department, reason, basis, event)
		VALUES (lid, NULL, 'valid', session_user, dept, '签发 issued', t.legal_basis, 'issue')
	)
	INSERT INTO ezz.case_licence AS cl (case_id, type_code, role, licence, electronic)
	VALUES (cid, t.code, 'produces', lid, true)
	ON CONFLICT (case_id, type_code, role) DO UPDATE SET licence = EXCLUDED.licence, electronic = true;
	RETURN lid;
END
$$;
COMMENT ON FUNCTION ezz.issue(text, jsonb, jsonb, date, date, bytea, text, timestamptz, text) IS 'issue 签发 a licence: checks the issuance list, the holders and the face data, assigns the identifier, signs with the department''s active key; idempotent on (issuer, type, case_no)';

-- A batch's chunk failed: its rows are tried one by one (each undone) to name
-- the row at fault, and the error is raised again naming it.  That costs time
-- only on failure.
CREATE FUNCTION ezz._issue_culprit(rows ezz.issue_row[], st text, msg text, det text, hnt text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	st1 text;
	msg1 text;
	det1 text;
	hnt1 text;
	culprit ezz.issue_row;
BEGIN
	IF msg LIKE 'batch row %' THEN
		RAISE EXCEPTION USING ERRCODE = st, MESSAGE = msg, DETAIL = det, HINT = hnt;
	END IF;
	FOR i IN 1..cardinality(rows) LOOP
		BEGIN
			PERFORM ezz._issue_rows(ARRAY[rows[i]], true);
			RAISE EXCEPTION 'ezz: undo the trial issue' USING ERRCODE = 'P0001';
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st1 = RETURNED_SQLSTATE, msg1 = MESSAGE_TEXT, det1 = PG_EXCEPTION_DETAIL,
				hnt1 = PG_EXCEPTION_HINT;
			IF msg1 <> 'ezz: undo the trial issue' THEN
				culprit := rows[i];
				st := st1; msg := msg1; det := det1; hnt := hnt1;
				EXIT;
			END IF;
		END;
	END LOOP;
	IF culprit.ord IS NOT NULL THEN	-- (a row IS NOT NULL only when every field is)
		RAISE EXCEPTION USING ERRCODE = st,
			MESSAGE = format('batch row %s%s: %s', culprit.ord,
							 CASE WHEN culprit.case_no IS NOT NULL THEN format(' (case_no %s)', culprit.case_no) ELSE '' END,
							 regexp_replace(msg, '^(ezz\.issue|batch row \d+): ', '')),
			DETAIL = det, HINT = hnt;
	END IF;
	RAISE EXCEPTION USING ERRCODE = st,
		MESSAGE = format('batch rows %s to %s: %s', rows[1].ord, rows[cardinality(rows)].ord, msg),
		DETAIL = det, HINT = hnt;
END
$$;

-- The bulk path 批量签发 / 存量电子化: every row of a staging table, all or
-- nothing.  Runs with the caller's rights, so that it reads what the caller
-- may read; writes go through ezz._issue_rows.
CREATE FUNCTION ezz.issue_batch(source regclass) RETURNS bigint
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
	accepted constant text[] := ARRAY['type_code', 'holder', 'data', 'valid_from', 'valid_to', 'file', 'case_no',
									  'completed_at', 'mode', 'source_kind'];
	cols text[];
	missing text;
	extra text;
	q text;
	r record;
	chunk ezz.issue_row[] := '{}';
	m integer := 0;
	n bigint := 0;
	chunk_size constant integer := 1000;
	report_every constant bigint := 10000;
	in_chunk boolean := false;
	st text;
	msg text;
	det text;
	hnt text;
BEGIN
	IF source IS NULL THEN
		RAISE EXCEPTION 'ezz.issue_batch: source must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- refuse an unbound or wrong login before reading anything
	PERFORM ezz._require_department(ARRAY['issuer']::ezz.department_kind[], 'issuing licences');
	SELECT array_agg(a.attname::text) INTO cols FROM pg_catalog.pg_attribute a
	WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped;
	SELECT c INTO missing FROM unnest(ARRAY['type_code', 'holder', 'data', 'valid_from']) c
	WHERE c <> ALL (coalesce(cols, '{}')) LIMIT 1;
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'ezz.issue_batch: % has no column "%"', source, missing
			USING ERRCODE = 'undefined_column',
				  HINT = 'The staging table has the columns of ezz.issue''s arguments: type_code, holder, data, valid_from, and optionally valid_to, file, case_no, completed_at, mode, source_kind (batch 批量 or stock 存量电子化).';
	END IF;
	SELECT c INTO extra FROM unnest(cols) c WHERE c <> ALL (accepted) LIMIT 1;
	IF extra IS NOT NULL THEN
		RAISE EXCEPTION 'ezz.issue_batch: % has a column "%" that ezz.issue does not take', source, extra
			USING ERRCODE = 'undefined_column',
				  HINT = 'Accepted columns: ' || array_to_string(accepted, ', ') || '.';
	END IF;
	q := format('SELECT type_code::text AS type_code, holder::jsonb AS holder, data::jsonb AS data, '
				'valid_from::date AS valid_from, %s AS valid_to, %s AS file, %s AS case_no, %s AS completed_at, '
				'%s AS mode FROM %s',
				CASE WHEN 'valid_to' = ANY (cols) THEN 'valid_to::date' ELSE 'NULL::date' END,
				CASE WHEN 'file' = ANY (cols) THEN 'file::bytea' ELSE 'NULL::bytea' END,
				CASE WHEN 'case_no' = ANY (cols) THEN 'case_no::text' ELSE 'NULL::text' END,
				CASE WHEN 'completed_at' = ANY (cols) THEN 'coalesce(completed_at::timestamptz, now())' ELSE 'now()' END,
				CASE WHEN 'mode' = ANY (cols) AND 'source_kind' = ANY (cols) THEN 'coalesce(mode::text, source_kind::text, ''batch'')'
					 WHEN 'mode' = ANY (cols) THEN 'coalesce(mode::text, ''batch'')'
					 WHEN 'source_kind' = ANY (cols) THEN 'coalesce(source_kind::text, ''batch'')'
					 ELSE '''batch''' END,
				source);
	-- One subtransaction for the whole batch, not one a chunk: PostgreSQL
	-- keeps a committed subtransaction's memory (the audit trigger's
	-- transition table of the chunk's rows among it) until the transaction
	-- ends, and a batch's memory would grow with its rows.
	BEGIN
		FOR r IN EXECUTE q LOOP
			n := n + 1;
			m := m + 1;
			-- assigning an element updates the array in place; chunk || row would copy it
			chunk[m] := ROW(n, r.type_code, r.holder, r.data, r.valid_from, r.valid_to, r.file, r.case_no,
							r.completed_at, r.mode)::ezz.issue_row;
			IF m = chunk_size THEN
				in_chunk := true;
				PERFORM ezz._issue_rows(chunk, true);
				in_chunk := false;
				chunk := '{}';
				m := 0;
				IF n % report_every = 0 THEN
					RAISE NOTICE 'ezz.issue_batch: % rows issued', n;
				END IF;
			END IF;
		END LOOP;
		IF m > 0 THEN
			in_chunk := true;
			PERFORM ezz._issue_rows(chunk, true);
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
			hnt = PG_EXCEPTION_HINT;
		IF NOT in_chunk THEN	-- (reading the staging table failed: as it is)
			RAISE;
		END IF;
		PERFORM ezz._issue_culprit(chunk[1:m], st, msg, det, hnt);
	END;
	RETURN n;
END
$$;
COMMENT ON FUNCTION ezz.issue_batch(regclass) IS 'issue every row of a staging table (批量签发, 存量电子化) in one all-or-nothing call, streamed in chunks; a failing row is named';

------------------------------------------------------------------------------
-- Verification 核验
------------------------------------------------------------------------------

-- The status a licence has now: valid past its valid_to day (in the library's
-- time zone) is expired, whether or not maintenance has recorded it.
CREATE FUNCTION ezz._effective_status(status ezz.licence_status, valid_to date) RETURNS ezz.licence_status
	LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN status OPERATOR(pg_catalog.=) 'valid'::ezz.licence_status AND valid_to OPERATOR(pg_catalog.<) ezz.today()
				THEN 'expired'::ezz.licence_status ELSE status END
$$;

-- 'revoked 吊销': a status in the words of the status machine (lifecycle.c)
CREATE FUNCTION ezz._status_words(s ezz.licence_status) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_status_words' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Verify a document signed by a key of ours or a trusted one, as of signed_at.
-- Returns (reasons, checked) for the signature and the key.
-- (the key must belong to the licence's issuer or, for a licence re-sealed
-- or re-versioned after 机构改革, to a successor of it)
CREATE FUNCTION ezz._check_signature(document jsonb, signature bytea, k ezz.signing_key, signed_at timestamptz,
									 issuer ezz.uscc, OUT reasons text[], OUT checked jsonb)
	AS 'MODULE_PATHNAME', 'ezz_use_check_signature' LANGUAGE C STABLE;

-- Verify a licence of this library: signature, key, record against document,
-- status, validity period, supersession.
CREATE FUNCTION ezz._verify_licence(lid ezz.licence_ident) RETURNS ezz.verification
	AS 'MODULE_PATHNAME', 'ezz_use_verify_licence' LANGUAGE C STABLE;

-- Whether a department is the issuer or one of its successors down the chain
-- (机构改革: a merged or abolished department's licences are managed by its
-- successor).  Successor chains have no cycles (ezz.department's trigger).
CREATE FUNCTION ezz._successor_of(dept ezz.uscc, issuer ezz.uscc) RETURNS boolean
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	cur ezz.uscc := issuer;
BEGIN
	WHILE cur IS NOT NULL LOOP
		IF cur OPERATOR(ezz.=) dept THEN
			RETURN true;
		END IF;
		SELECT d.successor INTO cur FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) cur;
	END LOOP;
	RETURN false;
END
$$;
-- (inlined where it is called: the usual case, the issuer itself, costs no call)
CREATE FUNCTION ezz._in_chain(dept ezz.uscc, issuer ezz.uscc) RETURNS boolean
	LANGUAGE sql STABLE AS $$
	SELECT coalesce(dept OPERATOR(ezz.=) issuer, false) OR coalesce(ezz._successor_of(dept, issuer), false)
$$;

-- Who may look at a licence, for verify and export until sharing rules
-- arrive: its issuer (or the issuer's successor), management, auditors, and
-- a using department on the usage list for the type with the action.
CREATE FUNCTION ezz._may_see(lid ezz.licence_ident, action text, service_item text, purpose text) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	dept ezz.uscc;
	kinds ezz.department_kind[];
BEGIN
	-- (role membership from the role cache; a superuser is a member of every role)
	IF pg_has_role(session_user, 'ezz_auditor', 'MEMBER') THEN
		RETURN;
	END IF;
	IF NOT (pg_has_role(session_user, 'ezz_admin', 'MEMBER') OR pg_has_role(session_user, 'ezz_issuer', 'MEMBER')
			OR pg_has_role(session_user, 'ezz_consumer', 'MEMBER')) THEN
		RAISE EXCEPTION 'role "%" may not % licences', session_user, action USING ERRCODE = 'insufficient_privilege';
	END IF;
	dept := ezz._department_for(ARRAY['management', 'issuer', 'authority', 'user']::ezz.department_kind[],
									format('%s a licence', action));
	SELECT d.kinds INTO kinds FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) dept;
	IF 'management' = ANY (kinds) THEN
		RETURN;
	END IF;
	-- the issuer and every successor down its chain
	IF ezz._in_chain(dept, ezz.ident_issuer(lid)) THEN
		RETURN;
	END IF;
	-- status_at (disputes): a using department with the type on its usage list for verify
	IF 'user' = ANY (kinds) AND action = 'see the status history of' THEN
		IF EXISTS (SELECT FROM ezz.usage_list u
				   WHERE u.department OPERATOR(ezz.=) dept AND u.type_code = ezz.ident_type_code(lid)
				     AND 'verify' = ANY (u.actions)
				     AND u.valid_from <= ezz.today() AND (u.valid_to IS NULL OR u.valid_to >= ezz.today())) THEN
			RETURN;
		END IF;
	ELSIF 'user' = ANY (kinds) THEN
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

-- ezz._may_see, and the call recorded in the access log, allowed or refused,
-- outside this transaction (access.sql): a refusal stays recorded although
-- its error rolls back, and an allowed call goes on only once its record is
-- committed.
CREATE FUNCTION ezz._may_use(lid ezz.licence_ident, action text, service_item text, purpose text) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	dept text := ezz.current_department()::text;
BEGIN
	BEGIN
		PERFORM ezz._may_see(lid, action, service_item, purpose);
	EXCEPTION WHEN OTHERS THEN
		PERFORM ezz._access_record(action, lid::text, dept, service_item, purpose, NULL, false, SQLERRM);
		RAISE;
	END;
	PERFORM ezz._access_record(action, lid::text, dept, service_item, purpose, NULL, true, NULL);
END
$$;

CREATE FUNCTION ezz.verify(id ezz.licence_ident, service_item text DEFAULT NULL, purpose text DEFAULT NULL,
						   grant_id bigint DEFAULT NULL)
	RETURNS ezz.verification
	-- (use.c: who may, on which grant, as ezz._use decides; the signature is
	-- checked while the ledger worker commits the access record, and the
	-- answer leaves only once the record is safe)
	AS 'MODULE_PATHNAME', 'ezz_use_verify'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION ezz.verify(ezz.licence_ident, text, text, bigint) IS 'verify 信息验证 a licence: signature, key validity at signing time and revocation, record against document, status, validity period, supersession';

-- The signed licence document for offline verification 电子证照文件.
CREATE FUNCTION ezz._export(lid ezz.licence_ident) RETURNS jsonb
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT jsonb_build_object(
		'document', l.document,
		'signature', jsonb_build_object('alg', k.algorithm, 'fingerprint', k.fingerprint,
										'value', translate(encode(l.signature, 'base64'), E'\n', ''),
										'signed_at', l.signed_at),
		'public_key', ezz._public_key_pem(k.public_key),
		'canonical_sm3', encode(ezz._document_hash(l.document), 'hex'),
		'status', ezz._effective_status(l.status, l.valid_to),
		'exported_at', now())
	FROM ezz.licence l JOIN ezz.signing_key k ON k.key_id = l.key_id
	WHERE l.id OPERATOR(ezz.=) lid);
END
$$;

CREATE FUNCTION ezz.export(id ezz.licence_ident) RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb;
BEGIN
	IF export.id IS NULL THEN
		RAISE EXCEPTION 'ezz.export: id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._may_use(export.id, 'export', NULL, NULL);
	doc := ezz._export(export.id);
	IF doc IS NULL THEN
		RAISE EXCEPTION 'licence % does not exist', export.id USING ERRCODE = 'no_data_found';
	END IF;
	RETURN doc;
END
$$;
COMMENT ON FUNCTION ezz.export(ezz.licence_ident) IS 'the signed licence document 电子证照文件, with its signature and public key, for offline verification';

CREATE FUNCTION ezz._verify_document(doc jsonb) RETURNS ezz.verification
	LANGUAGE plpgsql STABLE AS $$
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
	earlier_signed_at timestamptz;
	resealed_at timestamptz;
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
	-- a copy exported before a successor re-sealed the licence: its seal is kept
	IF l.id IS NOT NULL AND l.document IS DISTINCT FROM d THEN
		SELECT x.signed_at, x.replaced_at INTO earlier_signed_at, resealed_at
		FROM ezz.licence_seal x WHERE x.licence OPERATOR(ezz.=) lid AND x.document = d ORDER BY x.id DESC LIMIT 1;
	END IF;
	-- the time of signing is the library's record where it has one
	signed_at := CASE WHEN earlier_signed_at IS NOT NULL THEN earlier_signed_at
					  WHEN l.id IS NOT NULL THEN l.signed_at ELSE (s->>'signed_at')::timestamptz END;
	IF signed_at IS NULL THEN
		reasons := reasons || 'the time of signing is unknown'::text;
		signed_at := now();
	END IF;
	chk := ezz._check_signature(d, sig, k, signed_at, ezz.ident_issuer(lid));
	reasons := reasons || chk.reasons;
	IF l.id IS NOT NULL THEN
		IF l.document IS DISTINCT FROM d AND earlier_signed_at IS NULL THEN
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
			   reasons, chk.checked || jsonb_build_object('in_library', l.id IS NOT NULL, 'resealed_at', resealed_at),
			   now())::ezz.verification;
END
$$;
-- (recorded in the access log before the outcome is returned)
CREATE FUNCTION ezz.verify_document(doc jsonb) RETURNS ezz.verification
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v ezz.verification := CASE WHEN doc->>'format' = 'ezz-annotated/1' THEN ezz._verify_annotated(doc)
							   ELSE ezz._verify_document(doc) END;
BEGIN
	PERFORM ezz._access_record('verify_document', v.id::text, ezz.current_department()::text, NULL, NULL, NULL,
							   true, CASE WHEN NOT v.valid THEN v.reasons[1] END);
	RETURN v;
END
$$;
COMMENT ON FUNCTION ezz.verify_document(jsonb) IS 'verify 文件验证 an exported licence document or an annotated copy 加注件: signatures with the issuer''s and maker''s (or trusted) keys, the annotation''s expiry, and, for a licence of this library, its current status';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.licence', 'data', false, 'licences, written through ezz.issue and the lifecycle functions'),
	('ezz.licence_holder', 'data', false, 'holders of each licence'),
	('ezz.status_history', 'data', false, 'status transitions'),
	('ezz.licence_seal', 'data', false, 'earlier seals of re-sealed licences');
