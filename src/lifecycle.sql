-- Lifecycle 生命周期 (SPEC §2, §5): the status machine (C, lifecycle.c),
-- transitions, changes 变更, renewals 延续, reissues 补发, re-sealing by a
-- successor department, the status at any past time, annual inspection 年检,
-- expiry, and status events for relying departments.

------------------------------------------------------------------------------
-- The status machine
------------------------------------------------------------------------------
CREATE FUNCTION ezz.status_transition_allowed(from_status ezz.licence_status, to_status ezz.licence_status)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_status_transition_allowed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.status_transition_allowed(ezz.licence_status, ezz.licence_status) IS 'whether the status machine lets a licence go from one status to another';

CREATE VIEW ezz.status_transitions AS
SELECT f AS from_status, t AS to_status
FROM pg_catalog.unnest(pg_catalog.enum_range(NULL::ezz.licence_status)) f,
	 pg_catalog.unnest(pg_catalog.enum_range(NULL::ezz.licence_status)) t
WHERE ezz.status_transition_allowed(f, t);
COMMENT ON VIEW ezz.status_transitions IS 'the edges of the licence status machine (the table in lifecycle.c)';

-- the two-digit status codes of the national platform (SPEC §4)
CREATE FUNCTION ezz.national_status_code(status ezz.licence_status) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE status
		WHEN 'valid' THEN '01'			-- 有效
		WHEN 'suspended' THEN '02'		-- 暂扣
		WHEN 'rescinded' THEN '03'		-- 撤销
		WHEN 'cancelled' THEN '04'		-- 注销
		WHEN 'superseded' THEN '05'		-- 失效
		WHEN 'expired' THEN '05'		-- 失效
		WHEN 'abolished' THEN '05'		-- 失效
		WHEN 'revoked' THEN '07'		-- 吊销
		WHEN 'pledged' THEN '99'		-- 其他
	END
$$;
COMMENT ON FUNCTION ezz.national_status_code(ezz.licence_status) IS 'the national platform''s two-digit status code: 01 有效, 02 暂扣, 03 撤销, 04 注销, 05 失效, 07 吊销, 99 其他';

CREATE FUNCTION ezz._status_note(reason text, basis text, department text, event text) RETURNS void
	AS 'MODULE_PATHNAME', 'ezz_status_note' LANGUAGE C VOLATILE;
CREATE FUNCTION ezz._licence_status_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ezz_licence_status_check' LANGUAGE C;
CREATE FUNCTION ezz._licence_status_record() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ezz_licence_status_record' LANGUAGE C;

-- ENABLE ALWAYS: replication apply (session_replication_role = replica) does
-- not skip them
CREATE TRIGGER licence_status_check BEFORE UPDATE ON ezz.licence
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION ezz._licence_status_check();
CREATE TRIGGER licence_status_record AFTER UPDATE ON ezz.licence
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION ezz._licence_status_record();
ALTER TABLE ezz.licence ENABLE ALWAYS TRIGGER licence_status_check;
ALTER TABLE ezz.licence ENABLE ALWAYS TRIGGER licence_status_record;

-- Status events, for the departments that rely on licences (SPEC §5): the
-- status history rows that are changes (not an issue, not a re-sealing) are
-- the events; the status trigger writes them, and sends NOTIFY ezz_status
-- (payload: an event id only, a wake-up; what changed is read through
-- ezz.read_status_events, filtered per department).  No second table: a
-- transition writes what a plain UPDATE and history INSERT write.
--
-- History ids come from a sequence when a change is made, not when it
-- commits: a change can commit after one with a higher id, and a reader that
-- had moved past that id would never see it.  So events are numbered again,
-- in commit order: the first read after a change commits gives it the next
-- event_no (readers number the committed, unnumbered events one reader at a
-- time; the writers never wait for that), and departments read and
-- acknowledge by event_no.
ALTER TABLE ezz.status_history ADD COLUMN event_no bigint;
COMMENT ON COLUMN ezz.status_history.event_no IS 'for a status change: its number in commit order, given by the first ezz.read_status_events after it committed; what departments read and acknowledge by';
CREATE UNIQUE INDEX status_history_event_no_idx ON ezz.status_history (event_no) WHERE event_no IS NOT NULL;
CREATE INDEX status_history_unnumbered_idx ON ezz.status_history (id)
	WHERE event_no IS NULL AND from_status IS NOT NULL AND from_status IS DISTINCT FROM to_status;
CREATE SEQUENCE ezz.status_event_no_seq;

CREATE VIEW ezz.status_events AS
SELECT h.id, h.licence, h.from_status, h.to_status, h.at, h.event, h.event_no
FROM ezz.status_history h
WHERE h.from_status IS NOT NULL AND h.from_status IS DISTINCT FROM h.to_status;
COMMENT ON VIEW ezz.status_events IS 'the status changes among the status history rows, for relying departments (through ezz.read_status_events)';

CREATE TABLE ezz.status_event_position (
	department		ezz.uscc PRIMARY KEY REFERENCES ezz.department (uscc),
	seen			bigint NOT NULL CHECK (seen >= 0),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE ezz.status_event_position IS 'how far (event_no) each department has read the status events';

------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------

-- the moment a licence stops being valid: the end of its valid_to day in the
-- library's time zone
CREATE FUNCTION ezz._validity_end(valid_to date) RETURNS timestamptz
	LANGUAGE sql STABLE AS $$
	SELECT pg_catalog.timezone(pg_catalog.current_setting('ezz.timezone'), (valid_to + 1)::timestamp)
$$;

CREATE FUNCTION ezz._check_reason(reason text, what text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF reason IS NULL THEN
		RAISE EXCEPTION '%: a reason is required', what USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF length(btrim(reason)) NOT BETWEEN 1 AND 500 THEN
		RAISE EXCEPTION '%: the reason must have 1 to 500 characters', what USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN btrim(reason);
END
$$;

-- the paper licence's sync state after a status change: an ending 吊销 撤销
-- 注销 废止 is 同步废止 (inlined where it is called)
CREATE FUNCTION ezz._paper_sync_after(to_status ezz.licence_status, paper_sync text) RETURNS text
	LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN to_status IN ('revoked', 'rescinded', 'cancelled', 'abolished') AND paper_sync <> 'none'
				THEN 'abolished' ELSE paper_sync END
$$;

-- Change a licence's status as the caller's department (the issuer or a
-- successor of it; management may abolish 废止).  A licence past its last day
-- is recorded expired first: expiry is effective then, recorded or not.  The
-- status trigger checks the transition and writes the history.  expect: the
-- status the licence must be in (resume: suspended; release: pledged).
CREATE FUNCTION ezz._set_status(lid ezz.licence_ident, to_status ezz.licence_status, reason text, basis text,
								event ezz.status_event_kind, what text, expect ezz.licence_status DEFAULT NULL)
	RETURNS ezz.licence_status
	LANGUAGE plpgsql AS $$
DECLARE
	dept ezz.uscc;
	why text := ezz._check_reason(reason, what);
	l record;
BEGIN
	IF lid IS NULL OR to_status IS NULL THEN
		RAISE EXCEPTION '%: % must not be NULL', what, CASE WHEN lid IS NULL THEN 'id' ELSE 'to_status' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF basis IS NOT NULL AND length(btrim(basis)) NOT BETWEEN 1 AND 2000 THEN
		RAISE EXCEPTION '%: the legal basis must have 1 to 2000 characters', what USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF to_status = 'superseded' THEN
		RAISE EXCEPTION '%: a licence is superseded only by its next version', what
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Use ezz.change (变更), ezz.renew (延续) or ezz.reissue (补发).';
	ELSIF to_status = 'expired' THEN
		RAISE EXCEPTION '%: a licence expires when its last day ends', what
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Expiry is effective at the end of valid_to; CALL ezz.maintain() records it.';
	END IF;
	dept := ezz._department_for(ARRAY['issuer', 'authority', 'management']::ezz.department_kind[], what);
	-- the usual case in one statement: the issuer itself, the licence in the
	-- status the call expects and not past its last day (the status trigger
	-- still checks the transition)
	PERFORM ezz._status_note(why, btrim(basis), dept::text, event);
	UPDATE ezz.licence x SET status = to_status,
		paper_sync = ezz._paper_sync_after(to_status, x.paper_sync)
	WHERE x.id OPERATOR(ezz.=) lid AND x.issuer OPERATOR(ezz.=) dept AND x.status <> to_status
	  AND (expect IS NULL OR x.status = expect)
	  AND (x.status <> 'valid' OR x.valid_to IS NULL OR x.valid_to >= ezz.today())
	RETURNING x.valid_to INTO l;
	IF FOUND THEN
		PERFORM ezz._status_note(NULL, NULL, NULL, NULL);
		RETURN ezz._effective_status(to_status, l.valid_to);
	END IF;
	-- otherwise: a successor or management, an expiry to record first, or an
	-- error to name
	SELECT x.id, x.status, x.valid_to, x.issuer INTO l FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) lid FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'licence % does not exist', lid USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT ezz._in_chain(dept, l.issuer) AND NOT (to_status = 'abolished' AND EXISTS (
			SELECT FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) dept AND 'management' = ANY (d.kinds))) THEN
		RAISE EXCEPTION 'department % may not change the status of licence %', dept, lid
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = format('Only its issuer %s or a successor of it may; the management department may abolish 废止 it.', l.issuer);
	END IF;
	IF l.status = 'valid' AND l.valid_to < ezz.today() THEN
		PERFORM ezz._status_note(format('expired 过期: its last day %s has ended', l.valid_to), NULL, dept::text, 'expiry');
		UPDATE ezz.licence x SET status = 'expired' WHERE x.id OPERATOR(ezz.=) lid;
		l.status := 'expired';
	END IF;
	IF expect IS NOT NULL AND l.status <> expect THEN
		RAISE EXCEPTION '%: licence % is %, not %', what, lid, ezz._status_words(l.status), ezz._status_words(expect)
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF l.status = to_status THEN
		RAISE EXCEPTION 'licence % cannot go from % to %: it is % already', lid, ezz._status_words(l.status),
			ezz._status_words(to_status), ezz._status_words(l.status)
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	PERFORM ezz._status_note(why, btrim(basis), dept::text, event);
	UPDATE ezz.licence x SET status = to_status,
		paper_sync = ezz._paper_sync_after(to_status, x.paper_sync)
	WHERE x.id OPERATOR(ezz.=) lid;
	PERFORM ezz._status_note(NULL, NULL, NULL, NULL);
	-- (resumed past its last day, a licence is expired at once)
	RETURN ezz._effective_status(to_status, l.valid_to);
END
$$;

------------------------------------------------------------------------------
-- Transitions
------------------------------------------------------------------------------
CREATE FUNCTION ezz.transition(id ezz.licence_ident, to_status ezz.licence_status, reason text, basis text DEFAULT NULL)
	RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, to_status, reason, basis, 'transition', 'ezz.transition');
END
$$;
COMMENT ON FUNCTION ezz.transition(ezz.licence_ident, ezz.licence_status, text, text) IS 'change a licence''s status, with a reason and the legal basis; the status machine decides what is allowed';

CREATE FUNCTION ezz.suspend(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'suspended', reason, basis, 'transition', 'ezz.suspend');
END
$$;
COMMENT ON FUNCTION ezz.suspend(ezz.licence_ident, text, text) IS 'suspend 挂起 a valid licence';
CREATE FUNCTION ezz.resume(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'valid', reason, basis, 'transition', 'ezz.resume', 'suspended');
END
$$;
COMMENT ON FUNCTION ezz.resume(ezz.licence_ident, text, text) IS 'lift the suspension of a suspended licence';
CREATE FUNCTION ezz.pledge(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'pledged', reason, basis, 'transition', 'ezz.pledge');
END
$$;
COMMENT ON FUNCTION ezz.pledge(ezz.licence_ident, text, text) IS 'record that a valid licence is pledged 质押';
CREATE FUNCTION ezz.release_pledge(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'valid', reason, basis, 'transition', 'ezz.release_pledge', 'pledged');
END
$$;
COMMENT ON FUNCTION ezz.release_pledge(ezz.licence_ident, text, text) IS 'release the pledge 解除质押 of a pledged licence';
CREATE FUNCTION ezz.revoke(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'revoked', reason, basis, 'transition', 'ezz.revoke');
END
$$;
COMMENT ON FUNCTION ezz.revoke(ezz.licence_ident, text, text) IS 'revoke 吊销 a licence (an administrative penalty)';
CREATE FUNCTION ezz.rescind(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'rescinded', reason, basis, 'transition', 'ezz.rescind');
END
$$;
COMMENT ON FUNCTION ezz.rescind(ezz.licence_ident, text, text) IS 'rescind 撤销 a licence (issued unlawfully)';
CREATE FUNCTION ezz.cancel(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'cancelled', reason, basis, 'transition', 'ezz.cancel');
END
$$;
COMMENT ON FUNCTION ezz.cancel(ezz.licence_ident, text, text) IS 'cancel 注销 a licence (also after it expired)';
CREATE FUNCTION ezz.abolish(id ezz.licence_ident, reason text, basis text DEFAULT NULL) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._set_status(id, 'abolished', reason, basis, 'transition', 'ezz.abolish');
END
$$;
COMMENT ON FUNCTION ezz.abolish(ezz.licence_ident, text, text) IS 'abolish 废止 a licence (its issuer, a successor, or the management department)';

------------------------------------------------------------------------------
-- New versions: change 变更, renewal 延续, reissue 补发
------------------------------------------------------------------------------

-- The next version of a valid licence, signed by the caller's department (the
-- issuer or a successor): same serial, version + 1, face with the patch's
-- fields replaced, the holders of the old one, supersedes the old one, which
-- becomes superseded 已变更 (identifiers linked both ways).  A change or
-- reissue keeps the validity period; a renewal (renew_to) runs from today (or
-- the old valid_from, if later) to renew_to.
CREATE FUNCTION ezz._new_version(old_id ezz.licence_ident, patch jsonb, renew_to date, label text, reason text,
								 event ezz.status_event_kind, paper text, what text) RETURNS ezz.licence_ident
	LANGUAGE plpgsql AS $$
DECLARE
	why text := label || ' ' || ezz._check_reason(reason, what);
	dept ezz.uscc;
	new_from date;
	new_to date;
	o ezz.licence;
	t ezz._issue_type;
	k ezz.signing_key;
	nid ezz.licence_ident;
	face jsonb;
	holders jsonb;
	doc jsonb;
BEGIN
	IF old_id IS NULL THEN
		RAISE EXCEPTION '%: id must not be NULL', what USING ERRCODE = 'null_value_not_allowed';
	END IF;
	dept := ezz._department_for(ARRAY['issuer', 'authority']::ezz.department_kind[], what);
	SELECT * INTO o FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) old_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'licence % does not exist', old_id USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT ezz._in_chain(dept, o.issuer) THEN
		RAISE EXCEPTION 'department % may not make a new version of licence %', dept, old_id
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = format('Only its issuer %s or a successor of it may.', o.issuer);
	END IF;
	IF ezz._effective_status(o.status, o.valid_to) <> 'valid' THEN
		RAISE EXCEPTION '%: licence % is %; only a valid licence gets a new version', what, old_id,
			ezz._status_words(ezz._effective_status(o.status, o.valid_to))
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = CASE WHEN o.superseded_by IS NOT NULL THEN format('Its current version is %s.', o.superseded_by)
							  WHEN o.status = 'valid' THEN 'An expired licence gets no new version: the holder applies again.'
							  ELSE format('A %s licence stays as it is.', ezz._status_words(o.status)) END;
	END IF;
	IF o.version >= 999 THEN
		RAISE EXCEPTION '%: licence % has reached version 999, the last the identifier can carry', what, old_id
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	new_from := o.valid_from;
	new_to := o.valid_to;
	IF event = 'renew' THEN
		IF o.valid_to IS NULL THEN
			RAISE EXCEPTION '%: licence % is valid without end; there is nothing to renew', what, old_id
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF renew_to <= o.valid_to THEN
			RAISE EXCEPTION '%: the new valid_to % is not after the current one, %', what, renew_to, o.valid_to
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		new_from := GREATEST(o.valid_from, ezz.today());
		new_to := renew_to;
	END IF;
	SELECT x.code, x.name, x.active, x.holder_types, x.legal_basis, x.field_schema, x.default_validity, x.number_field
	INTO t FROM ezz.licence_type x WHERE x.code = o.type_code;
	face := ezz._face_check(t.field_schema, (o.document->'face') || coalesce(patch, '{}'), t.code);
	k := ezz._signing_key(dept);
	nid := ezz.ident_with_version(o.id, o.version + 1);
	-- the holders as the old document names them, each identity digest bound to
	-- the new identifier
	SELECT jsonb_agg(CASE WHEN d.h ? 'id_digest'
						  THEN jsonb_set(d.h, '{id_digest}', to_jsonb(ezz._holder_digest(nid, x.id_type, x.id_cipher,
																		 x.id_cipher_alg, x.id_key_version)))
						  ELSE d.h END ORDER BY d.n)
	INTO holders
	FROM jsonb_array_elements(o.document->'holders') WITH ORDINALITY d(h, n)
	LEFT JOIN ezz.licence_holder lh ON lh.licence OPERATOR(ezz.=) o.id AND lh.ordinal = d.n
	LEFT JOIN ezz.holder x ON x.id = lh.holder_id;
	doc := ezz._licence_document(nid, coalesce(face->>t.number_field, o.licence_no), holders, face, new_from, new_to,
								 o.id, o.file, k.algorithm, k.fingerprint);
	IF NOT dept OPERATOR(ezz.=) o.issuer THEN
		doc := doc || jsonb_build_object('sealed_by', dept::text);
	END IF;
	INSERT INTO ezz.licence (id, type_code, issuer, licence_no, valid_from, valid_to, version, supersedes, mode,
							 completed_at, paper_sync, document, key_id, signature, signed_at, file)
	VALUES (nid, o.type_code, o.issuer, doc->>'number', new_from, new_to, o.version + 1, o.id, 'online', now(),
			CASE WHEN o.paper_sync = 'none' THEN 'none' ELSE paper END, doc, k.key_id,
			ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version, k.fingerprint, doc),
			now(), o.file);
	INSERT INTO ezz.licence_holder (licence, ordinal, holder_id, role)
	SELECT nid, lh.ordinal, lh.holder_id, lh.role FROM ezz.licence_holder lh WHERE lh.licence OPERATOR(ezz.=) o.id;
	INSERT INTO ezz.status_history (licence, from_status, to_status, actor, department, reason, basis, event)
	VALUES (nid, NULL, 'valid', session_user, dept, why, t.legal_basis, event);
	PERFORM ezz._status_note(format('%s: version %s', why, o.version + 1), NULL, dept::text, event);
	UPDATE ezz.licence x SET status = 'superseded', superseded_by = nid WHERE x.id OPERATOR(ezz.=) o.id;
	PERFORM ezz._status_note(NULL, NULL, NULL, NULL);
	RETURN nid;
END
$$;

CREATE FUNCTION ezz.change(id ezz.licence_ident, data jsonb, reason text) RETURNS ezz.licence_ident
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF data IS NULL OR jsonb_typeof(data) <> 'object' OR data = '{}' THEN
		RAISE EXCEPTION 'ezz.change: data must be a JSON object of the face fields that change'
			USING ERRCODE = CASE WHEN data IS NULL THEN 'null_value_not_allowed' ELSE 'invalid_parameter_value' END;
	END IF;
	RETURN ezz._new_version(change.id, data, NULL, '变更', reason, 'change', 'updated', 'ezz.change');
END
$$;
COMMENT ON FUNCTION ezz.change(ezz.licence_ident, jsonb, text) IS 'change 变更 a licence: a new version with the given face fields replaced, which supersedes the old one';

CREATE FUNCTION ezz.renew(id ezz.licence_ident, valid_to date, reason text) RETURNS ezz.licence_ident
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF renew.valid_to IS NULL THEN
		RAISE EXCEPTION 'ezz.renew: valid_to must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	RETURN ezz._new_version(renew.id, NULL, renew.valid_to, '延续', reason, 'renew', 'updated', 'ezz.renew');
END
$$;
COMMENT ON FUNCTION ezz.renew(ezz.licence_ident, date, text) IS 'renew 延续 a licence: a new version valid from today to the new valid_to, which supersedes the old one';

CREATE FUNCTION ezz.reissue(id ezz.licence_ident, reason text) RETURNS ezz.licence_ident
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._new_version(id, NULL, NULL, '补发', reason, 'reissue', 'issued', 'ezz.reissue');
END
$$;
COMMENT ON FUNCTION ezz.reissue(ezz.licence_ident, text) IS 'reissue 补发 a licence: a new version with the same content, which supersedes the old one; the licence stays valid';

------------------------------------------------------------------------------
-- Successor departments 机构改革: re-sealing
------------------------------------------------------------------------------
CREATE FUNCTION ezz.reseal(id ezz.licence_ident) RETURNS ezz.licence_ident
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dept ezz.uscc;
	l ezz.licence;
	k ezz.signing_key;
	doc jsonb;
BEGIN
	IF reseal.id IS NULL THEN
		RAISE EXCEPTION 'ezz.reseal: id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	dept := ezz._department_for(ARRAY['issuer', 'authority']::ezz.department_kind[], 're-sealing a licence');
	SELECT * INTO l FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) reseal.id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'licence % does not exist', reseal.id USING ERRCODE = 'no_data_found';
	END IF;
	IF dept OPERATOR(ezz.=) l.issuer THEN
		RAISE EXCEPTION 'licence % is its own issuer''s: only a successor department re-seals', reseal.id
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Re-sealing is for the licences of a department merged or abolished in 机构改革.';
	END IF;
	IF NOT ezz._in_chain(dept, l.issuer) THEN
		RAISE EXCEPTION 'department % is not a successor of %, the issuer of licence %', dept, l.issuer, reseal.id
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'Only a successor department (ezz.department.successor, down the chain) re-seals another department''s licences.';
	END IF;
	k := ezz._signing_key(dept);
	IF k.key_id = l.key_id THEN
		RAISE EXCEPTION 'licence % is sealed with key % already', reseal.id, k.key_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	INSERT INTO ezz.licence_seal (licence, document, key_id, signature, signed_at, replaced_by)
	VALUES (l.id, l.document, l.key_id, l.signature, l.signed_at, dept);
	doc := l.document || jsonb_build_object('key', jsonb_build_object('alg', k.algorithm, 'fingerprint', k.fingerprint),
											'sealed_by', dept::text);
	UPDATE ezz.licence x SET document = doc, key_id = k.key_id, signed_at = now(),
		signature = ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version, k.fingerprint, doc)
	WHERE x.id OPERATOR(ezz.=) l.id;
	INSERT INTO ezz.status_history (licence, from_status, to_status, actor, department, reason, event)
	VALUES (l.id, l.status, l.status, session_user, dept,
			format('re-sealed by %s, successor of %s, with key %s', dept, l.issuer, k.key_id), 'reseal');
	RETURN l.id;
END
$$;
COMMENT ON FUNCTION ezz.reseal(ezz.licence_ident) IS 're-seal a licence of a merged or abolished department with its successor''s key (机构改革); the earlier seal stays verifiable as of its time';

------------------------------------------------------------------------------
-- Status at a past time 江西 第二十条
------------------------------------------------------------------------------
CREATE FUNCTION ezz.status_at(id ezz.licence_ident, at timestamptz) RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	vto date;
	st ezz.licence_status;
BEGIN
	IF status_at.id IS NULL OR status_at.at IS NULL THEN
		RAISE EXCEPTION 'ezz.status_at: % must not be NULL', CASE WHEN status_at.id IS NULL THEN 'id' ELSE 'at' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._may_see(status_at.id, 'see the status history of', NULL, NULL);
	SELECT l.valid_to INTO vto FROM ezz.licence l WHERE l.id OPERATOR(ezz.=) status_at.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'licence % does not exist', status_at.id USING ERRCODE = 'no_data_found';
	END IF;
	SELECT h.to_status INTO st FROM ezz.status_history h
	WHERE h.licence OPERATOR(ezz.=) status_at.id AND h.at <= status_at.at
	ORDER BY h.at DESC, h.id DESC LIMIT 1;
	IF st = 'valid' AND vto IS NOT NULL AND status_at.at >= ezz._validity_end(vto) THEN
		RETURN 'expired';
	END IF;
	RETURN st;	-- NULL before the licence was issued
END
$$;
COMMENT ON FUNCTION ezz.status_at(ezz.licence_ident, timestamptz) IS 'the status a licence had at a past moment, from its history (expiry at the end of its last day, in ezz.timezone); NULL before it was issued';

------------------------------------------------------------------------------
-- Annual inspection 年检 (河南 第二十六条)
------------------------------------------------------------------------------
CREATE TABLE ezz.inspection (
	id				bigserial PRIMARY KEY,
	licence			ezz.licence_ident NOT NULL REFERENCES ezz.licence (id),
	lineage			ezz.licence_ident NOT NULL,
	inspected_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	passed			boolean NOT NULL,
	note			text CHECK (note IS NULL OR pg_catalog.length(note) BETWEEN 1 AND 2000),
	actor			text NOT NULL,
	department		ezz.uscc NOT NULL
);
CREATE INDEX inspection_lineage_idx ON ezz.inspection (lineage, inspected_at);
COMMENT ON TABLE ezz.inspection IS 'annual inspections 年检 of licences whose type requires them';
COMMENT ON COLUMN ezz.inspection.lineage IS 'version 001 of the licence: the inspections of every version of one licence';

CREATE FUNCTION ezz.annual_inspection(id ezz.licence_ident, passed boolean, note text DEFAULT NULL)
	RETURNS ezz.licence_status
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dept ezz.uscc;
	l record;
	last_event text;
BEGIN
	IF annual_inspection.id IS NULL OR passed IS NULL THEN
		RAISE EXCEPTION 'ezz.annual_inspection: % must not be NULL', CASE WHEN annual_inspection.id IS NULL THEN 'id' ELSE 'passed' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF note IS NOT NULL AND length(btrim(note)) NOT BETWEEN 1 AND 2000 THEN
		RAISE EXCEPTION 'ezz.annual_inspection: the note must have 1 to 2000 characters' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	dept := ezz._department_for(ARRAY['issuer', 'authority']::ezz.department_kind[], 'recording an annual inspection');
	SELECT x.id, x.status, x.valid_to, x.issuer, x.superseded_by, t.annual_inspection AS required, t.name AS type_name
	INTO l FROM ezz.licence x JOIN ezz.licence_type t ON t.code = x.type_code
	WHERE x.id OPERATOR(ezz.=) annual_inspection.id FOR UPDATE OF x;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'licence % does not exist', annual_inspection.id USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT ezz._in_chain(dept, l.issuer) THEN
		RAISE EXCEPTION 'department % may not inspect licence %', dept, annual_inspection.id
			USING ERRCODE = 'insufficient_privilege', DETAIL = format('Only its issuer %s or a successor of it may.', l.issuer);
	END IF;
	IF NOT l.required THEN
		RAISE EXCEPTION 'licences of type % need no annual inspection 年检', l.type_name
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF l.superseded_by IS NOT NULL THEN
		RAISE EXCEPTION 'licence % is superseded by %: inspect the current version', annual_inspection.id, l.superseded_by
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	INSERT INTO ezz.inspection (licence, lineage, passed, note, actor, department)
	VALUES (annual_inspection.id, ezz.ident_with_version(annual_inspection.id, 1), passed, btrim(note), session_user, dept);
	IF NOT passed AND ezz._effective_status(l.status, l.valid_to) = 'valid' THEN
		RETURN ezz._set_status(annual_inspection.id, 'suspended',
							   '年检不合格 failed annual inspection' || coalesce(': ' || left(btrim(note), 450), ''), NULL, 'inspection',
							   'ezz.annual_inspection');
	END IF;
	IF passed AND l.status = 'suspended' THEN
		-- a suspension for a failed or overdue inspection ends with a passed one
		SELECT h.event INTO last_event FROM ezz.status_history h
		WHERE h.licence OPERATOR(ezz.=) annual_inspection.id AND h.from_status IS DISTINCT FROM h.to_status
		ORDER BY h.at DESC, h.id DESC LIMIT 1;
		IF last_event = 'inspection' THEN
			RETURN ezz._set_status(annual_inspection.id, 'valid', '年检合格 passed annual inspection', NULL, 'inspection',
								   'ezz.annual_inspection', 'suspended');
		END IF;
	END IF;
	RETURN ezz._effective_status(l.status, l.valid_to);
END
$$;
COMMENT ON FUNCTION ezz.annual_inspection(ezz.licence_ident, boolean, text) IS 'record an annual inspection 年检: a failed one suspends the licence, a passed one lifts a suspension for inspection';

-- Assessment findings: failed inspections, and current licences whose
-- inspection is overdue
CREATE VIEW ezz.inspection_findings AS
SELECT i.licence, ezz.ident_issuer(i.licence) AS issuer, ezz.ident_type_code(i.licence) AS type_code,
	   'failed'::text AS finding, pg_catalog.timezone(pg_catalog.current_setting('ezz.timezone'), i.inspected_at)::date AS on_day
FROM ezz.inspection i WHERE NOT i.passed
UNION ALL
SELECT l.id, l.issuer, l.type_code, 'overdue', d.due
FROM ezz.licence l JOIN ezz.licence_type t ON t.code = l.type_code
CROSS JOIN LATERAL (
	-- the day the next inspection is due: a year after the last passed
	-- inspection of any version of the licence, or after its first valid_from
	SELECT (coalesce(
		(SELECT max(pg_catalog.timezone(pg_catalog.current_setting('ezz.timezone'), i.inspected_at))::date
		 FROM ezz.inspection i WHERE i.lineage OPERATOR(ezz.=) ezz.ident_with_version(l.id, 1) AND i.passed),
		(SELECT min(f.valid_from) FROM ezz.licence f
		 WHERE f.id OPERATOR(ezz.=) ezz.ident_with_version(l.id, 1) OR f.id OPERATOR(ezz.=) l.id))
		+ interval '1 year')::date AS due) d
WHERE t.annual_inspection AND l.status IN ('valid', 'suspended') AND l.superseded_by IS NULL
  AND d.due < ezz.today();
COMMENT ON VIEW ezz.inspection_findings IS 'assessment findings of annual inspection 年检: failed inspections and overdue ones';

------------------------------------------------------------------------------
-- Maintenance
------------------------------------------------------------------------------
CREATE PROCEDURE ezz.maintain()
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	expired bigint;
	overdue bigint;
	sealed integer;
	dropped bigint;
BEGIN
	IF NOT ezz._session_is_superuser() THEN
		PERFORM ezz._department_for(ARRAY['management']::ezz.department_kind[], 'running maintenance');
	END IF;
	-- expiry is effective at the end of the last day; this records it (once)
	PERFORM ezz._status_note('expired 过期: its last day has ended', NULL, NULL, 'expiry');
	UPDATE ezz.licence l SET status = 'expired' WHERE l.status = 'valid' AND l.valid_to < ezz.today();
	GET DIAGNOSTICS expired = ROW_COUNT;
	-- an overdue annual inspection suspends the licence
	PERFORM ezz._status_note('年检逾期 annual inspection overdue', NULL, NULL, 'inspection');
	UPDATE ezz.licence l SET status = 'suspended'
	FROM ezz.inspection_findings f
	WHERE f.finding = 'overdue' AND f.licence OPERATOR(ezz.=) l.id AND l.status = 'valid';
	GET DIAGNOSTICS overdue = ROW_COUNT;
	PERFORM ezz._status_note(NULL, NULL, NULL, NULL);
	RAISE NOTICE 'ezz.maintain: % licences recorded expired, % suspended for an overdue annual inspection', expired, overdue;
	-- the ledgers: seal what is committed; access-log partitions made ahead,
	-- and dropped once wholly older than ezz.access_log_retention (ledger.sql)
	sealed := ezz._seal_all();
	SELECT pg_catalog.count(*) INTO dropped FROM ezz._access_retention();
	RAISE NOTICE 'ezz.maintain: % ledger entries sealed, % access-log partitions dropped', sealed, dropped;
END
$$;
COMMENT ON PROCEDURE ezz.maintain() IS 'periodic maintenance (idempotent, safe beside traffic): records expiries, suspends licences whose annual inspection is overdue, seals the ledgers, keeps access-log partitions';

------------------------------------------------------------------------------
-- Status events for relying departments
------------------------------------------------------------------------------
CREATE FUNCTION ezz.read_status_events(after bigint DEFAULT NULL, max_rows integer DEFAULT 1000)
	RETURNS TABLE (event_no bigint, event_id bigint, licence ezz.licence_ident, type_code text, issuer ezz.uscc,
				   from_status ezz.licence_status, to_status ezz.licence_status, at timestamptz, event text)
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	dept ezz.uscc;
	kinds ezz.department_kind[];
	everything boolean := pg_has_role(session_user, 'ezz_auditor', 'MEMBER');
	start bigint := after;
BEGIN
	IF max_rows IS NULL OR max_rows NOT BETWEEN 1 AND 100000 THEN
		RAISE EXCEPTION 'ezz.read_status_events: max_rows must be 1 to 100000' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF after < 0 THEN
		RAISE EXCEPTION 'ezz.read_status_events: after must not be negative' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT everything THEN
		dept := ezz._department_for(ARRAY['management', 'issuer', 'authority', 'user']::ezz.department_kind[],
									'reading status events');
		SELECT d.kinds INTO kinds FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) dept;
		everything := 'management' = ANY (kinds);
		IF start IS NULL THEN
			SELECT p.seen INTO start FROM ezz.status_event_position p WHERE p.department OPERATOR(ezz.=) dept;
		END IF;
	END IF;
	-- number the events committed since the last read, in order, one reader
	-- at a time (a change that commits after this statement's snapshot is
	-- numbered by a later read, after these); not in a read-only transaction
	-- (a standby): there it reads what has been numbered
	IF NOT pg_catalog.current_setting('transaction_read_only')::boolean THEN
		-- (a lock no department can take: it has no rights on the table)
		LOCK TABLE ezz.status_event_position IN SHARE ROW EXCLUSIVE MODE;
		UPDATE ezz.status_history e SET event_no = n.no
		FROM (SELECT u.id, nextval('ezz.status_event_no_seq') AS no
			  FROM (SELECT x.id FROM ezz.status_history x
					WHERE x.event_no IS NULL AND x.from_status IS NOT NULL AND x.from_status IS DISTINCT FROM x.to_status
					ORDER BY x.id) u) n
		WHERE e.id = n.id;
	END IF;
	RETURN QUERY
	SELECT e.event_no, e.id, e.licence, ezz.ident_type_code(e.licence), ezz.ident_issuer(e.licence), e.from_status,
		   e.to_status, e.at, e.event::text
	FROM ezz.status_events e
	WHERE e.event_no > coalesce(start, 0)
	  AND (everything OR ezz._in_chain(dept, ezz.ident_issuer(e.licence))
		   OR ('user' = ANY (kinds) AND EXISTS (
				SELECT FROM ezz.usage_list u
				WHERE u.department OPERATOR(ezz.=) dept AND u.type_code = ezz.ident_type_code(e.licence)
				  AND u.valid_from <= ezz.today() AND (u.valid_to IS NULL OR u.valid_to >= ezz.today()))))
	ORDER BY e.event_no LIMIT max_rows;
END
$$;
COMMENT ON FUNCTION ezz.read_status_events(bigint, integer) IS 'status changes, in commit order, after an event_no (default: the department''s saved position), of the licences the department issued, manages as successor or has on its usage list; management and auditors read all';

CREATE FUNCTION ezz.ack_status_events(upto bigint) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dept ezz.uscc;
	saved bigint;
BEGIN
	IF upto IS NULL THEN
		RAISE EXCEPTION 'ezz.ack_status_events: upto must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF upto < 0 THEN
		RAISE EXCEPTION 'ezz.ack_status_events: upto must not be negative' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	dept := ezz._department_for(ARRAY['management', 'issuer', 'authority', 'user']::ezz.department_kind[],
								'acknowledging status events');
	IF upto > coalesce((SELECT max(e.event_no) FROM ezz.status_history e), 0) THEN
		RAISE EXCEPTION 'ezz.ack_status_events: event % has not been read yet', upto
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A department acknowledges the event_no of an event ezz.read_status_events returned; a later one would skip events to come.';
	END IF;
	INSERT INTO ezz.status_event_position AS p (department, seen) VALUES (dept, upto)
	ON CONFLICT (department) DO UPDATE SET seen = GREATEST(p.seen, EXCLUDED.seen), updated_at = now()
	RETURNING p.seen INTO saved;
	RETURN saved;
END
$$;
COMMENT ON FUNCTION ezz.ack_status_events(bigint) IS 'save how far (event_no) the department has read the status events; it never moves back';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.status_event_position', 'data', false, 'how far each department has read the status events'),
	('ezz.inspection', 'data', false, 'annual inspections, through ezz.annual_inspection');
