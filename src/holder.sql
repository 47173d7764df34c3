-- Holders 持证主体: identity numbers normalised, encrypted and blind-indexed
-- in C (holder.c); one holder row per identity, shared by their licences.

CREATE FUNCTION ezz._holder_protect(id_type text, id text, OUT id_cipher bytea, OUT id_cipher_alg text,
									OUT id_key_version integer, OUT id_blind bytea, OUT id_masked text)
	AS 'MODULE_PATHNAME', 'ezz_holder_protect' LANGUAGE C VOLATILE STRICT;
CREATE FUNCTION ezz._holder_blinds(id_type text, id text) RETURNS bytea[]
	AS 'MODULE_PATHNAME', 'ezz_holder_blinds' LANGUAGE C STABLE STRICT;
CREATE FUNCTION ezz._holder_reveal(id_type text, id_cipher bytea, id_cipher_alg text, id_key_version integer) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_holder_reveal' LANGUAGE C STABLE STRICT;
CREATE FUNCTION ezz._holder_reseal(id_type text, id_cipher bytea, id_cipher_alg text, id_key_version integer,
								   OUT id_cipher bytea, OUT id_cipher_alg text, OUT id_key_version integer,
								   OUT id_blind bytea, OUT id_masked text)
	AS 'MODULE_PATHNAME', 'ezz_holder_reseal' LANGUAGE C VOLATILE STRICT;

-- a natural person's document is a natural person's; a legal person's, a legal person's
ALTER TABLE ezz.holder ADD CONSTRAINT holder_kind_document CHECK (
	id_type IS NULL
	OR (kind = 'natural_person' AND id_type IN ('111', '516', '414', '999'))
	OR (kind IN ('legal_person', 'other_org') AND id_type IN ('001', '099')));
CREATE UNIQUE INDEX holder_unidentified_unique ON ezz.holder (related_holder, name) WHERE id_type IS NULL;

-- The holder row for an identity, made if missing.  A holder without an
-- identity number (a newborn) is one per (related holder, name).
CREATE FUNCTION ezz._holder_id(kind text, id_type text, id text, name text, related bigint) RETURNS bigint
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	hid bigint;
	old_name text;
	p record;
BEGIN
	IF id_type IS NULL THEN
		INSERT INTO ezz.holder AS h (kind, name, related_holder) VALUES (_holder_id.kind, _holder_id.name, related)
		ON CONFLICT (related_holder, name) WHERE id_type IS NULL DO UPDATE SET kind = EXCLUDED.kind
		RETURNING h.id INTO hid;
		RETURN hid;
	END IF;
	SELECT h.id, h.name INTO hid, old_name FROM ezz.holder h
	WHERE h.id_type = _holder_id.id_type AND h.id_blind = ANY (ezz._holder_blinds(_holder_id.id_type, _holder_id.id))
	LIMIT 1;
	IF FOUND THEN
		IF old_name IS DISTINCT FROM _holder_id.name THEN
			UPDATE ezz.holder h SET name = _holder_id.name WHERE h.id = hid;	-- the latest name (改名)
		END IF;
		RETURN hid;
	END IF;
	p := ezz._holder_protect(_holder_id.id_type, _holder_id.id);
	INSERT INTO ezz.holder AS h (kind, id_type, id_cipher, id_cipher_alg, id_key_version, id_blind, id_masked, name)
	VALUES (_holder_id.kind, _holder_id.id_type, p.id_cipher, p.id_cipher_alg, p.id_key_version, p.id_blind,
			p.id_masked, _holder_id.name)
	ON CONFLICT ON CONSTRAINT holder_identity_unique DO UPDATE SET name = EXCLUDED.name
	RETURNING h.id INTO hid;
	RETURN hid;
END
$$;

-- Parse a licence's holder argument (one holder object or an array of them:
-- {"role", "type", "id_type", "id", "name"}, and for a holder without an
-- identity number "related_role", the role of the holder it is identified
-- through), make the holder rows, and return what the licence document
-- records of each: ordinal, holder_id, role, kind, id_type, id_masked,
-- id_digest (SM3 of licence id, document type and number: a verifier holding
-- the person's document can check it, nobody can read it) and name.
CREATE FUNCTION ezz._licence_holders(holder jsonb, allowed_kinds text[], licence ezz.licence_ident) RETURNS jsonb
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	items jsonb;
	h jsonb;
	n integer;
	i integer := 0;
	out jsonb := '[]';
	role text;
	kind text;
	idt text;
	idv text;
	nm text;
	norm text;
	rel_role text;
	rel_id bigint;
	hid bigint;
	roles text[] := '{}';
	pending jsonb := '[]';
	k text;
BEGIN
	IF holder IS NULL THEN
		RAISE EXCEPTION 'holder must not be NULL' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Pass {"role": "持证人", "type": "natural_person", "id_type": "111", "id": "…", "name": "…"}, or an array of them.';
	END IF;
	items := CASE jsonb_typeof(holder) WHEN 'array' THEN holder WHEN 'object' THEN jsonb_build_array(holder) END;
	IF items IS NULL OR jsonb_array_length(items) = 0 THEN
		RAISE EXCEPTION 'holder must be a holder object or a non-empty array of them' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	n := jsonb_array_length(items);
	IF n > 50 THEN
		RAISE EXCEPTION 'a licence has at most 50 holders; % given', n USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- first the holders with an identity number, then those identified through them
	FOR pass IN 1..2 LOOP
		i := 0;
		FOR h IN SELECT e FROM jsonb_array_elements(items) e LOOP
			i := i + 1;
			IF jsonb_typeof(h) <> 'object' THEN
				RAISE EXCEPTION 'holder % is not a JSON object', i USING ERRCODE = 'invalid_parameter_value';
			END IF;
			FOR k IN SELECT jsonb_object_keys(h) LOOP
				IF k NOT IN ('role', 'type', 'id_type', 'id', 'name', 'related_role') THEN
					RAISE EXCEPTION 'holder % has unknown attribute "%"', i, k USING ERRCODE = 'invalid_parameter_value',
						HINT = 'A holder has role, type, id_type, id, name and, without an identity number, related_role.';
				END IF;
			END LOOP;
			idt := h->>'id_type';
			IF (pass = 1) <> (idt IS NOT NULL) THEN
				CONTINUE;
			END IF;
			role := coalesce(h->>'role', '持证人');
			kind := h->>'type';
			idv := h->>'id';
			nm := btrim(h->>'name');
			IF kind IS NULL OR NOT (kind = ANY (allowed_kinds)) THEN
				RAISE EXCEPTION 'holder % has type %, but this licence type is held by %', i,
					coalesce(quote_literal(kind), 'none'), array_to_string(allowed_kinds, ', ')
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
			IF nm IS NULL OR length(nm) NOT BETWEEN 1 AND 200 THEN
				RAISE EXCEPTION 'holder % needs a name of 1 to 200 characters', i USING ERRCODE = 'invalid_parameter_value';
			END IF;
			IF length(role) NOT BETWEEN 1 AND 50 OR role = ANY (roles) THEN
				RAISE EXCEPTION 'holder % has role %: roles are 1 to 50 characters and differ between holders', i,
					quote_literal(role) USING ERRCODE = 'invalid_parameter_value';
			END IF;
			roles := roles || role;
			IF idt IS NOT NULL THEN
				IF idv IS NULL THEN
					RAISE EXCEPTION 'holder % has id_type % but no id', i, idt USING ERRCODE = 'invalid_parameter_value';
				END IF;
				IF (kind = 'natural_person') <> (idt IN ('111', '516', '414', '999')) THEN
					RAISE EXCEPTION 'holder % is a % but has document type %', i, kind, idt
						USING ERRCODE = 'invalid_parameter_value',
							  DETAIL = 'Natural persons have 111, 516, 414 or 999; legal persons and other organisations 001 or 099.';
				END IF;
				norm := ezz.holder_id_normalize(idt, idv);	-- 22P02 naming what is wrong
				hid := ezz._holder_id(kind, idt, norm, nm, NULL);
				out := out || jsonb_build_object('ordinal', i, 'holder_id', hid, 'role', role, 'kind', kind,
					'id_type', idt, 'id_masked', ezz.mask(norm, 'id'), 'name', nm,
					'id_digest', encode(ezz.sm3(convert_to(licence::text || '|' || idt || ':' || norm, 'UTF8')), 'hex'));
			ELSE
				IF idv IS NOT NULL THEN
					RAISE EXCEPTION 'holder % has an id but no id_type', i USING ERRCODE = 'invalid_parameter_value',
						HINT = 'id_type is 111 (citizen identity number), 001, 099, 516, 414 or 999.';
				END IF;
				rel_role := h->>'related_role';
				SELECT (x->>'holder_id')::bigint INTO rel_id FROM jsonb_array_elements(out) x
				WHERE rel_role IS NULL OR x->>'role' = rel_role
				ORDER BY (x->>'ordinal')::int LIMIT 1;
				IF rel_id IS NULL THEN
					RAISE EXCEPTION 'holder % has no identity number and no related holder with one', i
						USING ERRCODE = 'invalid_parameter_value',
							  HINT = 'A holder without an identity number (a newborn) is identified through another holder of the licence: give related_role.';
				END IF;
				hid := ezz._holder_id(kind, NULL, NULL, nm, rel_id);
				out := out || jsonb_build_object('ordinal', i, 'holder_id', hid, 'role', role, 'kind', kind,
					'id_type', NULL, 'id_masked', NULL, 'name', nm, 'id_digest', NULL,
					'related_role', (SELECT x->>'role' FROM jsonb_array_elements(out) x WHERE (x->>'holder_id')::bigint = rel_id LIMIT 1));
			END IF;
		END LOOP;
	END LOOP;
	RETURN (SELECT jsonb_agg(x ORDER BY (x->>'ordinal')::int) FROM jsonb_array_elements(out) x);
END
$$;
