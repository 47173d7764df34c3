-- Holders 持证主体: identity numbers normalised, encrypted and blind-indexed
-- in C (holder.c); one holder row per identity, shared by their licences.

CREATE FUNCTION ezz._holder_protect(id_type text, id text, OUT id_cipher bytea, OUT id_cipher_alg text,
									OUT id_key_version integer, OUT id_blind bytea, OUT id_masked text)
	AS 'MODULE_PATHNAME', 'ezz_holder_protect' LANGUAGE C VOLATILE STRICT;
CREATE FUNCTION ezz._holder_blinds(id_type text, id text) RETURNS bytea[]
	AS 'MODULE_PATHNAME', 'ezz_holder_blinds' LANGUAGE C STABLE STRICT;
CREATE FUNCTION ezz._holder_reveal(id_type text, id_cipher bytea, id_cipher_alg text, id_key_version integer) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_holder_reveal' LANGUAGE C STABLE STRICT;
CREATE FUNCTION ezz._holder_digest(licence ezz.licence_ident, id_type text, id_cipher bytea, id_cipher_alg text,
									id_key_version integer) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_holder_digest' LANGUAGE C STABLE STRICT;
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
