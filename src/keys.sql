-- Signing keys (SPEC §2, §5 Management) and the master key.
--
-- Each department has at most one active signing key; private keys are
-- generated in C and stored sealed under the master key (ezz.key_file);
-- other regions' public keys are imported as trusted keys (互信互认).

CREATE FUNCTION ezz._key_generate(alg text, OUT algorithm text, OUT public_key bytea, OUT private_key bytea,
								  OUT master_key_version integer, OUT fingerprint text)
	AS 'MODULE_PATHNAME', 'ezz_key_generate_sql' LANGUAGE C VOLATILE;
CREATE FUNCTION ezz._key_reseal(private_key bytea, master_key_version integer, fingerprint text,
								OUT private_key bytea, OUT master_key_version integer)
	AS 'MODULE_PATHNAME', 'ezz_key_reseal' LANGUAGE C VOLATILE STRICT;
CREATE FUNCTION ezz._sign_document(key_id bigint, algorithm text, private_key bytea, master_key_version integer,
								   fingerprint text, document jsonb) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_sign_document' LANGUAGE C VOLATILE STRICT;
CREATE FUNCTION ezz._verify_document(key_id bigint, algorithm text, public_key bytea, fingerprint text,
									 document jsonb, signature bytea) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_verify_document_sig' LANGUAGE C STABLE STRICT;
CREATE FUNCTION ezz._public_key_pem(public_key bytea) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_public_key_pem_sql' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION ezz._public_key_from_pem(pem text, OUT algorithm text, OUT public_key bytea, OUT fingerprint text)
	AS 'MODULE_PATHNAME', 'ezz_public_key_from_pem_sql' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION ezz._master_key_versions() RETURNS integer[]
	AS 'MODULE_PATHNAME', 'ezz_master_key_versions' LANGUAGE C VOLATILE;
CREATE FUNCTION ezz.sm3(bytea) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_sm3' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.sm3(bytea) IS 'SM3 digest (GB/T 32905) of the bytes';

CREATE TABLE ezz.signing_key (
	key_id			bigserial PRIMARY KEY,
	owner			ezz.uscc NOT NULL,
	owner_name		text NOT NULL,
	department		ezz.uscc REFERENCES ezz.department (uscc),
	algorithm		text NOT NULL CHECK (algorithm IN ('sm2', 'ed25519', 'ecdsa-p256')),
	public_key		bytea NOT NULL,
	fingerprint		text NOT NULL UNIQUE CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
	private_key		bytea,
	master_key_version integer,
	certificate		bytea,
	status			text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'revoked')),
	valid_from		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	valid_to		timestamptz NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by		text NOT NULL,
	retired_at		timestamptz,
	revoked_at		timestamptz,
	revocation_reason text,
	revocation_effective_at timestamptz,
	note			text,
	CONSTRAINT signing_key_local_or_imported CHECK (
		(department IS NULL AND private_key IS NULL AND master_key_version IS NULL)
		OR (department IS NOT NULL AND private_key IS NOT NULL AND master_key_version IS NOT NULL
			AND department OPERATOR(ezz.=) owner)),
	CONSTRAINT signing_key_period CHECK (valid_to > valid_from),
	CONSTRAINT signing_key_revocation CHECK (
		(status = 'revoked') = (revoked_at IS NOT NULL)
		AND (revoked_at IS NULL OR (revocation_reason IS NOT NULL AND revocation_effective_at IS NOT NULL)))
);
CREATE UNIQUE INDEX signing_key_one_active ON ezz.signing_key (department) WHERE status = 'active';
CREATE INDEX signing_key_owner_idx ON ezz.signing_key (owner);
COMMENT ON TABLE ezz.signing_key IS 'signing keys: departments'' own keys (private key sealed under the master key) and other regions'' trusted public keys (互信互认)';
COMMENT ON COLUMN ezz.signing_key.fingerprint IS 'SM3 of the DER public key (SubjectPublicKeyInfo), hex';
COMMENT ON COLUMN ezz.signing_key.private_key IS 'DER private key sealed with AES-256-GCM under the master key; NULL for imported keys';
COMMENT ON COLUMN ezz.signing_key.revocation_effective_at IS 'signatures made before this time stay valid; later ones do not';

-- The trusted-key list anyone may read: public keys only.
CREATE VIEW ezz.trusted_keys WITH (security_barrier) AS
SELECT k.key_id, k.owner, k.owner_name, k.department IS NOT NULL AS local, k.algorithm, k.fingerprint,
	   k.status, k.valid_from, k.valid_to, k.revoked_at, k.revocation_effective_at, k.revocation_reason,
	   ezz._public_key_pem(k.public_key) AS public_key_pem
FROM ezz.signing_key k;
COMMENT ON VIEW ezz.trusted_keys IS 'public keys of this library''s departments and of trusted regions, for offline verification';

CREATE FUNCTION ezz.public_key_pem(key_id bigint) RETURNS text
	LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT ezz._public_key_pem(k.public_key) FROM ezz.signing_key k WHERE k.key_id = public_key_pem.key_id);
END
$$;
COMMENT ON FUNCTION ezz.public_key_pem(bigint) IS 'the public key of a signing key, PEM (SubjectPublicKeyInfo)';

-- Management may act; a superuser may too (the first keys are made at set-up).
CREATE FUNCTION ezz._require_management(action text) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT ezz._session_is_superuser() THEN
		PERFORM ezz._department_for(ARRAY['management']::ezz.department_kind[], action);
	END IF;
END
$$;

-- The ledger's readers: ezz_auditor members, or a management department's login
CREATE FUNCTION ezz._require_auditor_or_management(action text) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT pg_catalog.pg_has_role(session_user, 'ezz_auditor', 'MEMBER') THEN
		PERFORM ezz._department_for(ARRAY['management']::ezz.department_kind[], action);
	END IF;
END
$$;

CREATE FUNCTION ezz.create_key(department ezz.uscc, algorithm text DEFAULT NULL,
							   valid_for interval DEFAULT '5 years') RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d record;
	g record;
	new_id bigint;
BEGIN
	IF create_key.department IS NULL THEN
		RAISE EXCEPTION 'ezz.create_key: department must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF valid_for IS NULL OR valid_for <= interval '0' OR valid_for > interval '20 years' THEN
		RAISE EXCEPTION 'ezz.create_key: validity % is out of range', valid_for
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'A key is valid for more than zero and at most 20 years.';
	END IF;
	PERFORM ezz._require_management('creating a signing key');
	SELECT x.name, x.active INTO d FROM ezz.department x WHERE x.uscc OPERATOR(ezz.=) create_key.department FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'department % does not exist', create_key.department USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF NOT d.active THEN
		RAISE EXCEPTION 'department % is inactive', create_key.department
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'An inactive department signs nothing; its successor re-seals its licences.';
	END IF;
	g := ezz._key_generate(create_key.algorithm);
	-- one active key per department: the previous one is retired
	UPDATE ezz.signing_key k SET status = 'retired', retired_at = now()
	WHERE k.department OPERATOR(ezz.=) create_key.department AND k.status = 'active';
	INSERT INTO ezz.signing_key (owner, owner_name, department, algorithm, public_key, fingerprint, private_key,
								 master_key_version, valid_from, valid_to, created_by)
	VALUES (create_key.department, d.name, create_key.department, g.algorithm, g.public_key, g.fingerprint,
			g.private_key, g.master_key_version, now(), now() + valid_for, session_user)
	RETURNING key_id INTO new_id;
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION ezz.create_key(ezz.uscc, text, interval) IS 'generate a signing key for a department (sm2, ed25519 or ecdsa-p256; NULL: ezz.default_algorithm); the department''s previous active key is retired';

CREATE FUNCTION ezz.retire_key(key_id bigint) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	st text;
BEGIN
	IF retire_key.key_id IS NULL THEN
		RAISE EXCEPTION 'ezz.retire_key: key_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._require_management('retiring a signing key');
	SELECT k.status INTO st FROM ezz.signing_key k WHERE k.key_id = retire_key.key_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'signing key % does not exist', retire_key.key_id USING ERRCODE = 'undefined_object';
	END IF;
	IF st <> 'active' THEN
		RAISE EXCEPTION 'signing key % is % already', retire_key.key_id, st USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	UPDATE ezz.signing_key k SET status = 'retired', retired_at = now() WHERE k.key_id = retire_key.key_id;
END
$$;
COMMENT ON FUNCTION ezz.retire_key(bigint) IS 'stop signing with a key; what it signed stays valid';

CREATE FUNCTION ezz.revoke_key(key_id bigint, reason text, effective_at timestamptz) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	st text;
BEGIN
	IF revoke_key.key_id IS NULL OR reason IS NULL OR effective_at IS NULL THEN
		RAISE EXCEPTION 'ezz.revoke_key: key_id, reason and effective_at must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF length(btrim(reason)) NOT BETWEEN 1 AND 500 THEN
		RAISE EXCEPTION 'ezz.revoke_key: the reason must have 1 to 500 characters' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM ezz._require_management('revoking a signing key');
	SELECT k.status INTO st FROM ezz.signing_key k WHERE k.key_id = revoke_key.key_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'signing key % does not exist', revoke_key.key_id USING ERRCODE = 'undefined_object';
	END IF;
	IF st = 'revoked' THEN
		RAISE EXCEPTION 'signing key % is revoked already', revoke_key.key_id USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	UPDATE ezz.signing_key k SET status = 'revoked', revoked_at = now(), revocation_reason = btrim(reason),
		revocation_effective_at = effective_at
	WHERE k.key_id = revoke_key.key_id;
END
$$;
COMMENT ON FUNCTION ezz.revoke_key(bigint, text, timestamptz) IS 'revoke a key (compromise): signatures made from effective_at on are invalid, earlier ones stay valid';

CREATE FUNCTION ezz.import_trusted_key(owner ezz.uscc, owner_name text, public_key_pem text,
									   valid_from timestamptz, valid_to timestamptz, note text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p record;
	new_id bigint;
BEGIN
	IF import_trusted_key.owner IS NULL OR owner_name IS NULL OR public_key_pem IS NULL
		OR import_trusted_key.valid_from IS NULL OR import_trusted_key.valid_to IS NULL THEN
		RAISE EXCEPTION 'ezz.import_trusted_key: owner, owner_name, public_key_pem, valid_from and valid_to must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._require_management('importing a trusted key');
	p := ezz._public_key_from_pem(public_key_pem);
	IF EXISTS (SELECT FROM ezz.signing_key k WHERE k.fingerprint = p.fingerprint) THEN
		RAISE EXCEPTION 'a key with fingerprint % is known already', p.fingerprint
			USING ERRCODE = 'unique_violation',
				  DETAIL = (SELECT format('It is key %s of %s.', k.key_id, k.owner_name) FROM ezz.signing_key k
							WHERE k.fingerprint = p.fingerprint);
	END IF;
	INSERT INTO ezz.signing_key (owner, owner_name, algorithm, public_key, fingerprint, status, valid_from, valid_to,
								 created_by, note)
	VALUES (import_trusted_key.owner, owner_name, p.algorithm, p.public_key, p.fingerprint, 'active',
			import_trusted_key.valid_from, import_trusted_key.valid_to, session_user, note)
	RETURNING key_id INTO new_id;
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION ezz.import_trusted_key(ezz.uscc, text, text, timestamptz, timestamptz, text) IS 'trust another region''s public key (互信互认), so that its licences verify here';

-- Re-encrypt every private key and holder identity under the current (highest)
-- master key version and rebuild the blind index.  Procedure for the DBA:
-- add a new line to ezz.key_file, reload, SELECT ezz.rotate_master_key(),
-- then remove the old line.
CREATE FUNCTION ezz.rotate_master_key() RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cur integer;
	nkeys bigint;
	nholders bigint;
BEGIN
	PERFORM ezz._require_management('rotating the master key');
	cur := (ezz._master_key_versions())[1];
	LOCK TABLE ezz.signing_key, ezz.holder IN SHARE ROW EXCLUSIVE MODE;
	UPDATE ezz.signing_key k SET (private_key, master_key_version) =
		(SELECT r.private_key, r.master_key_version FROM ezz._key_reseal(k.private_key, k.master_key_version, k.fingerprint) r)
	WHERE k.private_key IS NOT NULL AND k.master_key_version <> cur;
	GET DIAGNOSTICS nkeys = ROW_COUNT;
	UPDATE ezz.holder h SET (id_cipher, id_cipher_alg, id_key_version, id_blind) =
		(SELECT r.id_cipher, r.id_cipher_alg, r.id_key_version, r.id_blind
		 FROM ezz._holder_reseal(h.id_type, h.id_cipher, h.id_cipher_alg, h.id_key_version) r)
	WHERE h.id_cipher IS NOT NULL AND h.id_key_version <> cur;
	GET DIAGNOSTICS nholders = ROW_COUNT;
	RETURN jsonb_build_object('master_key_version', cur, 'keys_resealed', nkeys, 'holders_resealed', nholders);
END
$$;
COMMENT ON FUNCTION ezz.rotate_master_key() IS 're-encrypt private keys and holder identities under the current master key version, and rebuild the blind index';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.signing_key', 'data', false, 'signing keys and trusted public keys, through ezz.create_key and friends');
