------------------------------------------------------------------------------
-- Audit ledger 审计 and the sealing of the access log (SPEC §6; docs/ledger.md)
--
-- Every change to an ezz table is written by the C trigger ezz._audit into
-- ezz.audit_entry: one entry per row, numbered by a sequence, taking no lock
-- but its own row's, so that concurrent writers never wait on each other.
-- Order and tamper-evidence come afterwards: the sealer (the ezz ledger
-- worker once a second, and CALL ezz.maintain()) gathers the committed
-- entries not yet sealed into a block, hashes each (SM3, or SHA-256 by
-- ezz.ledger_hash) as a leaf of a Merkle tree (RFC 6962), chains the block to
-- the one before, and signs the block's header with the management
-- department's key.  The access log is sealed the same way, in blocks of one
-- partition each, whose signed headers outlive the partition.
------------------------------------------------------------------------------

CREATE FUNCTION ezz._canonical_row(record) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_canonical_row' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION ezz._canonical_row(record) IS 'canonical JSON (RFC 8785) of a row: what the ledger hashes';
CREATE FUNCTION ezz._row_key(record) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_row_key' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz._row_hash(alg text, r record) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_row_hash' LANGUAGE C STABLE STRICT;
CREATE FUNCTION ezz._row_hashes(r record) RETURNS text[]
	AS 'MODULE_PATHNAME', 'ezz_row_hashes' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz._leaf_hash(alg text, r record) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_leaf_hash' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000;
-- the verifier's fast passes (ledger.c): sums modulo 2^256 of HMAC terms
CREATE FUNCTION ezz._sum256_add(bytea, bytea) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_sum256_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE ezz._sum256(bytea) (SFUNC = ezz._sum256_add, STYPE = bytea, COMBINEFUNC = ezz._sum256_add, PARALLEL = SAFE);
CREATE FUNCTION ezz._verification_key() RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_verification_key' LANGUAGE C VOLATILE PARALLEL SAFE;
-- (COST: an entry may hold a thousand rows; priced so, the planner shares
-- the entries among parallel workers however few their tuples)
CREATE FUNCTION ezz._leaf_term(key bytea, id bigint, alg text, r record) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_leaf_term' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 20000;
CREATE FUNCTION ezz._block_term(key bytea, ids int8multirange, leaves bytea) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_block_term' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz._change_term(key bytea, relation text, old_row text, new_row text) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_change_term' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 20000;
CREATE FUNCTION ezz._row_term(key bytea, relation text, r record) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_row_term' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 500;
-- a table's name as the audit trigger writes it into its entries
CREATE FUNCTION ezz._relation_name(rel regclass) RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
	FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel
$$;
CREATE FUNCTION ezz._ledger_digest(alg text, data bytea) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_ledger_digest' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION ezz._merkle_root(alg text, leaves bytea) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_merkle_root' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION ezz._merkle_path(alg text, leaves bytea, index bigint) RETURNS bytea[]
	AS 'MODULE_PATHNAME', 'ezz_merkle_path' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION ezz._merkle_path_root(alg text, leaf bytea, index bigint, size bigint, path bytea[]) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_merkle_path_root' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION ezz._audit() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ezz_audit' LANGUAGE C;
CREATE FUNCTION ezz._audit_by_row() RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_audit_by_row' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION ezz._ledger_guard() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ezz_ledger_guard' LANGUAGE C;
CREATE FUNCTION ezz._kept_rows_changed() RETURNS trigger
	AS 'MODULE_PATHNAME', 'ezz_kept_rows_changed' LANGUAGE C;

-- a backend caches its login's department for the audit trigger; a change of
-- binding tells every backend to look again
CREATE TRIGGER kept_rows_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ezz.login_binding
	FOR EACH STATEMENT EXECUTE FUNCTION ezz._kept_rows_changed();
ALTER TABLE ezz.login_binding ENABLE ALWAYS TRIGGER kept_rows_changed;

------------------------------------------------------------------------------
-- Entries
------------------------------------------------------------------------------
-- (CACHE 1: the sealer reads the sequence's last value as the highest number
-- handed out; a backend's cached numbers would be handed out later)
CREATE SEQUENCE ezz.audit_entry_id_seq CACHE 1;

CREATE TABLE ezz.audit_entry (
	id			bigint PRIMARY KEY DEFAULT pg_catalog.nextval('ezz.audit_entry_id_seq'),
	at			timestamptz NOT NULL,
	xid			xid8 NOT NULL,
	relation	text NOT NULL,
	op			text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'DROP')),
	actor		text NOT NULL,
	department	text,
	row_key		text,
	old_row		text,
	new_row		text,
	row_hash	text
);
ALTER SEQUENCE ezz.audit_entry_id_seq OWNED BY ezz.audit_entry.id;
-- (audit_verify hashes every entry again in parallel workers; an INSERT
-- statement's entries keep their rows in TOAST, and the table itself would
-- look too small for the planner to share its scan)
ALTER TABLE ezz.audit_entry SET (parallel_workers = 8);
-- (an entry of many inserted rows is one large value: lz4 compresses it at a
-- fraction of pglz's cost, where the server has lz4)
DO $$
BEGIN
	ALTER TABLE ezz.audit_entry ALTER COLUMN row_key SET COMPRESSION lz4, ALTER COLUMN new_row SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;
END
$$;
COMMENT ON TABLE ezz.audit_entry IS 'audit ledger 审计: one entry per changed row of an ezz table, or per chunk of up to 1,000 rows one INSERT statement added; written by the C trigger ezz._audit; append-only';
COMMENT ON COLUMN ezz.audit_entry.at IS 'start of the writing transaction';
COMMENT ON COLUMN ezz.audit_entry.xid IS 'the writing transaction';
COMMENT ON COLUMN ezz.audit_entry.actor IS 'session user (the login), whatever function wrote';
COMMENT ON COLUMN ezz.audit_entry.department IS 'the login''s department, if bound';
COMMENT ON COLUMN ezz.audit_entry.row_key IS 'canonical JSON of the row''s primary key, one line per row (NULL for TRUNCATE and DROP)';
COMMENT ON COLUMN ezz.audit_entry.old_row IS 'canonical JSON (RFC 8785) of the row before';
COMMENT ON COLUMN ezz.audit_entry.new_row IS 'canonical JSON of the row after, one line per row (an INSERT statement''s entry holds up to 1,000)';
COMMENT ON COLUMN ezz.audit_entry.row_hash IS '"sm3:<hex>" or "sha256:<hex>" of the row as it now is (as it was, for a DELETE); NULL for an entry of several rows, which the sealer''s leaf hash covers';

-- tables whose changes the ledger holds; ezz.audit_verify compares each with it
CREATE TABLE ezz.audited_table (
	relation	regclass PRIMARY KEY,
	since		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	name		text NOT NULL,
	layout		text NOT NULL
);
COMMENT ON TABLE ezz.audited_table IS 'tables carrying the audit trigger (ezz.audit_table)';
COMMENT ON COLUMN ezz.audited_table.name IS 'the qualified name its entries carry; renaming or moving the table is refused';
COMMENT ON COLUMN ezz.audited_table.layout IS 'its columns and types, which its entries encode; changing them is refused';

-- a table's columns as its entries encode them: "name type, ..."
CREATE FUNCTION ezz._table_layout(rel regclass) RETURNS text
	LANGUAGE sql STABLE STRICT AS $$
	SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) OPERATOR(pg_catalog.||) ' '
								 OPERATOR(pg_catalog.||) pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
	FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
$$;

------------------------------------------------------------------------------
-- Blocks
------------------------------------------------------------------------------
CREATE TABLE ezz.ledger_block (
	ledger			text NOT NULL CHECK (ledger IN ('audit', 'access')),
	block_no		bigint NOT NULL CHECK (block_no >= 1),
	ids				int8multirange NOT NULL,
	last_id			bigint NOT NULL,
	first_position	bigint NOT NULL CHECK (first_position >= 0),
	entries			integer NOT NULL CHECK (entries >= 1),
	hash_alg		text NOT NULL CHECK (hash_alg IN ('sm3', 'sha256')),
	leaves			bytea NOT NULL,
	merkle_root		bytea NOT NULL,
	previous		bytea NOT NULL,
	block_hash		bytea NOT NULL,
	sealed_at		timestamptz NOT NULL,
	partition		text,
	document		jsonb NOT NULL,
	key_id			bigint NOT NULL,
	signature		bytea NOT NULL,
	PRIMARY KEY (ledger, block_no),
	CHECK (pg_catalog.octet_length(leaves) = 32 * entries)
);
CREATE INDEX ledger_block_last_id_idx ON ezz.ledger_block (ledger, last_id);
COMMENT ON TABLE ezz.ledger_block IS 'sealed blocks of the audit ledger and the access log: Merkle root of their entries, chained and signed; append-only';
COMMENT ON COLUMN ezz.ledger_block.ids IS 'the entry ids the block holds (committed entries, in id order)';
COMMENT ON COLUMN ezz.ledger_block.first_position IS 'how many entries the blocks before hold';
COMMENT ON COLUMN ezz.ledger_block.leaves IS 'the leaf hashes H(0x00 || canonical entry), 32 bytes each, in id order';
COMMENT ON COLUMN ezz.ledger_block.previous IS 'block_hash of the block before (32 zero bytes for the first)';
COMMENT ON COLUMN ezz.ledger_block.block_hash IS 'H(canonical JSON of document)';
COMMENT ON COLUMN ezz.ledger_block.document IS 'the signed header: ledger, block, positions, ids, Merkle root, previous hash, time, hash, key';
COMMENT ON COLUMN ezz.ledger_block.partition IS 'access log: the partition the entries are in (the block outlives it)';

-- How far each ledger is sealed.  floor: every id below it is sealed or
-- will never commit.  (mark, xid): the last sealer read the sequence at mark
-- before it took xid, so every id up to mark was handed to a transaction
-- older than xid; once no transaction older than xid runs, they are settled.
CREATE TABLE ezz.ledger_seal_state (
	ledger		text PRIMARY KEY CHECK (ledger IN ('audit', 'access')),
	floor		bigint NOT NULL DEFAULT 1,
	mark		bigint NOT NULL DEFAULT 0,
	xid			xid8
);
COMMENT ON TABLE ezz.ledger_seal_state IS 'sealer bookkeeping: below floor every entry is sealed; one sealer at a time holds the row';
-- (a ledger's row is made by its first seal: the install script writes no
-- rows into a table pg_dump keeps)

-- access-log partitions dropped by retention: their blocks stay
CREATE TABLE ezz.access_partition_drop (
	partition	text PRIMARY KEY,
	upper_bound	timestamptz NOT NULL,
	dropped_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	retention	interval NOT NULL,
	blocks		bigint NOT NULL,
	entries		bigint NOT NULL
);
COMMENT ON TABLE ezz.access_partition_drop IS 'access-log partitions dropped after ezz.access_log_retention; their sealed blocks remain';

CREATE FUNCTION ezz._ledger_protect(rel regclass) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ezz._trigger_always(rel, 'guard_append_only',
								'BEFORE UPDATE OR DELETE ON $table FOR EACH ROW EXECUTE FUNCTION ezz._ledger_guard()');
	PERFORM ezz._trigger_always(rel, 'guard_no_truncate',
								'BEFORE TRUNCATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION ezz._ledger_guard()');
END
$$;
SELECT ezz._ledger_protect(r) FROM pg_catalog.unnest(ARRAY['ezz.audit_entry', 'ezz.ledger_block',
	'ezz.access_partition_drop', 'ezz.access_log']::regclass[]) r;

------------------------------------------------------------------------------
-- Putting a table under audit
------------------------------------------------------------------------------
-- (not SECURITY DEFINER: its caller must own the table and may write
-- ezz.audited_table — a superuser, or the install script)
CREATE FUNCTION ezz.audit_table(rel regclass) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF rel IS NULL THEN
		RAISE EXCEPTION 'ezz.audit_table: the table must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = rel AND c.relkind IN ('r', 'p')) THEN
		RAISE EXCEPTION 'ezz.audit_table: % is not a table', rel USING ERRCODE = 'wrong_object_type';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.conrelid = rel AND k.contype = 'p') THEN
		RAISE EXCEPTION 'ezz.audit_table: % has no primary key', rel USING ERRCODE = 'object_not_in_prerequisite_state',
			DETAIL = 'The ledger names each row by its primary key, and ezz.audit_verify compares rows by it.';
	END IF;
	IF rel IN ('ezz.audit_entry'::regclass, 'ezz.ledger_block'::regclass, 'ezz.ledger_seal_state'::regclass,
			   'ezz.access_log'::regclass, 'ezz.audited_table'::regclass, 'ezz.access_partition_drop'::regclass) THEN
		RAISE EXCEPTION 'ezz.audit_table: % is part of the ledger itself', rel USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT FROM ezz.audited_table a WHERE a.relation = rel) THEN
		RETURN;
	END IF;
	PERFORM ezz._trigger_always(rel, 'zz_audit',
								'AFTER UPDATE OR DELETE ON $table FOR EACH ROW EXECUTE FUNCTION ezz._audit()');
	PERFORM ezz._trigger_always(rel, 'zz_audit_insert',
								'AFTER INSERT ON $table REFERENCING NEW TABLE AS ezz_inserted FOR EACH STATEMENT EXECUTE FUNCTION ezz._audit()');
	-- (logical replication apply fires row triggers only, and runs as a
	-- replica session: ENABLE REPLICA, so that no other session's insert
	-- evaluates the WHEN — it is false there — a row at a time; the WHEN
	-- keeps a restore, also a replica session, from queueing an event a row)
	PERFORM ezz._trigger_always(rel, 'zz_audit_apply',
								'AFTER INSERT ON $table FOR EACH ROW WHEN (ezz._audit_by_row()) EXECUTE FUNCTION ezz._audit()',
								'REPLICA');
	PERFORM ezz._trigger_always(rel, 'zz_audit_truncate',
								'AFTER TRUNCATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION ezz._audit()');
	-- ezz.audit_verify (run as ezz_owner) reads the table to compare it with its ledger
	EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO ezz_owner',
							  (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
							   WHERE c.oid = rel));
	EXECUTE pg_catalog.format('GRANT SELECT ON TABLE %s TO ezz_owner', rel);
	INSERT INTO ezz.audited_table (relation, name, layout) VALUES (rel, ezz._relation_name(rel), ezz._table_layout(rel));
END
$$;
COMMENT ON FUNCTION ezz.audit_table(regclass) IS 'put a table under the audit ledger: the C trigger on every row change and TRUNCATE, ENABLE ALWAYS';

-- An audited table keeps its name and its columns: its entries carry the
-- one and encode the other, and ezz.audit_verify compares its rows with them.
-- (Event triggers: a superuser who disables them is caught by audit_verify,
-- which checks name and layout first.)  To change an audited table, create
-- the new one, put it under audit, copy the rows, and drop the old one.
CREATE FUNCTION ezz._audited_ddl() RETURNS event_trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a record;
BEGIN
	SELECT t.name, ezz._relation_name(t.relation) AS now_name, ezz._table_layout(t.relation) AS now_layout, t.layout INTO a
	FROM ezz.audited_table t
	WHERE ezz._relation_name(t.relation) IS NOT NULL
	  AND (ezz._relation_name(t.relation) <> t.name OR ezz._table_layout(t.relation) IS DISTINCT FROM t.layout)
	ORDER BY t.name LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'audited table % cannot be %', a.name,
			CASE WHEN a.now_name <> a.name THEN 'renamed or moved' ELSE 'given other columns' END
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = CASE WHEN a.now_name <> a.name
							   THEN pg_catalog.format('Its ledger entries name it %s; it would be %s.', a.name, a.now_name)
							   ELSE pg_catalog.format('Its ledger entries encode the columns (%s); they would be (%s).',
													  a.layout, a.now_layout) END,
				  HINT = 'Create the new table, put it under audit with ezz.audit_table, copy the rows into it, and drop the old one.';
	END IF;
END
$$;
CREATE EVENT TRIGGER ezz_audited_ddl ON ddl_command_end
	WHEN TAG IN ('ALTER TABLE', 'ALTER SCHEMA')
	EXECUTE FUNCTION ezz._audited_ddl();
ALTER EVENT TRIGGER ezz_audited_ddl ENABLE ALWAYS;

-- An audited table dropped: one DROP entry closes its history (as TRUNCATE
-- does its rows) and it leaves ezz.audited_table.  (Not when the ledger goes
-- too: DROP EXTENSION.)
CREATE FUNCTION ezz._audited_drop() RETURNS event_trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a record;
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() o
			   WHERE o.object_type = 'table' AND o.schema_name = 'ezz' AND o.object_name = 'audit_entry') THEN
		RETURN;
	END IF;
	FOR a IN
		SELECT t.relation, t.name FROM ezz.audited_table t
		JOIN pg_catalog.pg_event_trigger_dropped_objects() o ON o.objid = t.relation AND o.classid = 'pg_catalog.pg_class'::regclass
		WHERE o.object_type IN ('table', 'partitioned table')
		ORDER BY t.name
	LOOP
		INSERT INTO ezz.audit_entry (at, xid, relation, op, actor, department)
		VALUES (pg_catalog.transaction_timestamp(), pg_catalog.pg_current_xact_id(), a.name, 'DROP',
				session_user, ezz.current_department()::text);
		DELETE FROM ezz.audited_table t WHERE t.relation = a.relation;
	END LOOP;
END
$$;
CREATE EVENT TRIGGER ezz_audited_drop ON sql_drop
	WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA', 'DROP OWNED')
	EXECUTE FUNCTION ezz._audited_drop();
ALTER EVENT TRIGGER ezz_audited_drop ENABLE ALWAYS;

------------------------------------------------------------------------------
-- Sealing
------------------------------------------------------------------------------
-- The key that signs blocks: the active key of a management department
-- (the highest region's first).
CREATE FUNCTION ezz._ledger_key() RETURNS ezz.signing_key
	LANGUAGE sql STABLE AS $$
	SELECT k.* FROM ezz.signing_key k
	JOIN ezz.department d ON d.uscc OPERATOR(ezz.=) k.department
	JOIN ezz.region r ON r.code = d.region
	WHERE k.status = 'active' AND 'management' = ANY (d.kinds) AND d.active
	  AND pg_catalog.now() >= k.valid_from AND pg_catalog.now() < k.valid_to
	ORDER BY CASE r.level WHEN 'province' THEN 0 WHEN 'city' THEN 1 ELSE 2 END, d.uscc, k.key_id
	LIMIT 1
$$;

CREATE FUNCTION ezz._hex(b bytea) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT pg_catalog.encode(b, 'hex') $$;

-- The signed header of a block.
CREATE FUNCTION ezz._block_document(b ezz.ledger_block, fingerprint text) RETURNS jsonb
	LANGUAGE sql STABLE AS $$
	SELECT pg_catalog.jsonb_build_object(
		'ledger', b.ledger, 'block', b.block_no, 'first_position', b.first_position, 'entries', b.entries,
		'ids', b.ids::text, 'merkle_root', ezz._hex(b.merkle_root), 'previous', ezz._hex(b.previous),
		'hash', b.hash_alg, 'partition', b.partition,
		'sealed_at', pg_catalog.to_char(b.sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
		'key', fingerprint)
$$;

-- Seal up to max_entries committed entries of one ledger into one block.
-- Returns how many it sealed (0: nothing to seal, or no key to sign with).
-- Sealers take turns on the ledger's ezz.ledger_seal_state row; writers never
-- wait for a sealer, nor a sealer for a writer.
-- (plan_cache_mode: each statement planned for its own bounds — a generic
-- plan does not know how few ids lie above the floor and scans them all)
CREATE FUNCTION ezz._seal(which text, max_entries integer DEFAULT 10000) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	mark_now bigint;
	st ezz.ledger_seal_state;
	k ezz.signing_key;
	prev ezz.ledger_block;
	b ezz.ledger_block;
	sealed int8multirange;
	part oid;
	n integer;
	settled boolean;
	next_unsealed bigint;
	fresh boolean;
BEGIN
	IF which IS NULL OR which NOT IN ('audit', 'access') THEN
		RAISE EXCEPTION 'ezz._seal: the ledger is "audit" or "access", not %', coalesce(which, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF max_entries IS NULL OR max_entries NOT BETWEEN 1 AND 1000000 THEN
		RAISE EXCEPTION 'ezz._seal: max_entries must be 1 to 1000000' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- each statement must see the blocks the sealer before committed
	IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
		RAISE EXCEPTION 'ezz: the ledger is sealed in READ COMMITTED transactions only'
			USING ERRCODE = 'active_sql_transaction',
				  HINT = 'Run CALL ezz.maintain() in its own transaction at the default isolation level.';
	END IF;
	-- 1. the highest number handed out, read before this transaction takes its
	-- xid.  (If it has one already — CALL ezz.maintain() wrote before it
	-- seals, or a second seal in one transaction — a writer may have taken a
	-- later xid and an earlier number: this seal then raises the floor by the
	-- last pair recorded, and records none.)
	fresh := pg_catalog.pg_current_xact_id_if_assigned() IS NULL;
	IF which = 'audit' THEN
		SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END INTO mark_now FROM ezz.audit_entry_id_seq s;
	ELSE
		SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END INTO mark_now FROM ezz.access_log_id_seq s;
	END IF;
	-- 2. one sealer at a time
	INSERT INTO ezz.ledger_seal_state (ledger) VALUES (which) ON CONFLICT (ledger) DO NOTHING;
	SELECT * INTO STRICT st FROM ezz.ledger_seal_state s WHERE s.ledger = which FOR UPDATE;
	k := ezz._ledger_key();
	IF k.key_id IS NULL THEN
		RAISE NOTICE 'ezz: the % ledger is not sealed: no management department has an active signing key', which
			USING HINT = 'SELECT ezz.create_key(''<management department uscc>'');';
		RETURN 0;
	END IF;
	SELECT * INTO prev FROM ezz.ledger_block l WHERE l.ledger = which ORDER BY l.block_no DESC LIMIT 1;
	SELECT coalesce(pg_catalog.range_agg(r), '{}') INTO sealed
	FROM ezz.ledger_block l, pg_catalog.unnest(l.ids) r
	WHERE l.ledger = which AND l.last_id >= st.floor;

	-- 3. the committed entries not yet sealed, in id order
	b.hash_alg := pg_catalog.current_setting('ezz.ledger_hash');
	IF which = 'audit' THEN
		SELECT pg_catalog.count(*), pg_catalog.range_agg(pg_catalog.int8range(c.id, c.id, '[]')),
			   pg_catalog.string_agg(c.leaf, ''::bytea ORDER BY c.id), pg_catalog.max(c.id)
		INTO n, b.ids, b.leaves, b.last_id
		FROM (SELECT e.id, ezz._leaf_hash(b.hash_alg, e) AS leaf FROM ezz.audit_entry e
			  WHERE e.id >= st.floor AND NOT e.id OPERATOR(pg_catalog.<@) sealed
			  ORDER BY e.id LIMIT max_entries) c;
	ELSE
		-- (a block holds one partition's entries: it outlives the partition)
		SELECT a.tableoid INTO part FROM ezz.access_log a
		WHERE a.id >= st.floor AND NOT a.id OPERATOR(pg_catalog.<@) sealed ORDER BY a.id LIMIT 1;
		SELECT pg_catalog.count(*), pg_catalog.range_agg(pg_catalog.int8range(c.id, c.id, '[]')),
			   pg_catalog.string_agg(c.leaf, ''::bytea ORDER BY c.id), pg_catalog.max(c.id)
		INTO n, b.ids, b.leaves, b.last_id
		FROM (SELECT a.id, ezz._leaf_hash(b.hash_alg, a) AS leaf FROM ezz.access_log a
			  WHERE a.tableoid = part AND a.id >= st.floor AND NOT a.id OPERATOR(pg_catalog.<@) sealed
			  ORDER BY a.id LIMIT max_entries) c;
		b.partition := part::regclass::text;
	END IF;

	IF n > 0 THEN
		b.ledger := which;
		b.block_no := coalesce(prev.block_no, 0) + 1;
		b.first_position := coalesce(prev.first_position + prev.entries, 0);
		b.entries := n;
		b.merkle_root := ezz._merkle_root(b.hash_alg, b.leaves);
		b.previous := coalesce(prev.block_hash, pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex'));
		b.sealed_at := pg_catalog.clock_timestamp();
		b.document := ezz._block_document(b, k.fingerprint);
		b.block_hash := ezz._ledger_digest(b.hash_alg, pg_catalog.convert_to(ezz.canonical_json(b.document), 'UTF8'));
		b.key_id := k.key_id;
		b.signature := ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version,
										  k.fingerprint, b.document);
		INSERT INTO ezz.ledger_block SELECT b.*;
		sealed := sealed OPERATOR(pg_catalog.+) b.ids;
	END IF;

	-- 4. raise the floor over what is settled: once no transaction older
	-- than the last sealer's runs, every id up to its mark is committed (and
	-- visible) or never will be
	IF which = 'audit' THEN
		SELECT st.xid IS NULL OR pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot()) >= st.xid,
			   (SELECT e.id FROM ezz.audit_entry e
				WHERE e.id >= st.floor AND NOT e.id OPERATOR(pg_catalog.<@) sealed ORDER BY e.id LIMIT 1)
		INTO settled, next_unsealed;
	ELSE
		SELECT st.xid IS NULL OR pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot()) >= st.xid,
			   (SELECT a.id FROM ezz.access_log a
				WHERE a.id >= st.floor AND NOT a.id OPERATOR(pg_catalog.<@) sealed ORDER BY a.id LIMIT 1)
		INTO settled, next_unsealed;
	END IF;
	UPDATE ezz.ledger_seal_state s
	SET floor = CASE WHEN settled
					 THEN GREATEST(st.floor, LEAST(st.mark + 1, coalesce(next_unsealed, st.mark + 1)))
					 ELSE st.floor END,
		mark = CASE WHEN fresh THEN mark_now ELSE st.mark END,
		xid = CASE WHEN fresh THEN pg_catalog.pg_current_xact_id() ELSE st.xid END
	WHERE s.ledger = which;
	RETURN n;
END
$$;

-- Seal both ledgers as far as they go (the worker calls it once a second).
CREATE FUNCTION ezz._seal_all() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	total integer := 0;
	n integer;
	l text;
BEGIN
	FOREACH l IN ARRAY ARRAY['audit', 'access'] LOOP
		-- (an access block holds one partition's entries: go on until none is left)
		LOOP
			n := ezz._seal(l);
			total := total + n;
			EXIT WHEN n = 0;
		END LOOP;
	END LOOP;
	RETURN total;
END
$$;

------------------------------------------------------------------------------
-- Verification
------------------------------------------------------------------------------
CREATE TYPE ezz.audit_verification AS (
	intact		boolean,
	ledger		text,
	blocks		bigint,
	entries		bigint,
	pending		bigint,
	block_no	bigint,
	entry_id	bigint,
	relation	text,
	problem		text,
	detail		text
);
COMMENT ON TYPE ezz.audit_verification IS 'result of ezz.audit_verify: intact, or the first problem found (ledger, block, entry or table row) and what it is';

-- The first problem with the blocks of one ledger from block "start" on, or
-- NULL: each block's header, hash, chain and signature, and (with_entries)
-- the entries it holds, block by block.
CREATE FUNCTION ezz._verify_chain(which text, start bigint, with_entries boolean, INOUT v ezz.audit_verification)
	LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	b ezz.ledger_block;
	k ezz.signing_key;
	expect_no bigint;
	expect_pos bigint;
	expect_prev bytea;
	n bigint;
	leaves bytea;
	bad bigint;
	why text;
	lo bigint;
	hi bigint;
BEGIN
	-- from block 1, or from a block a digest vouches for (its header is signed)
	expect_no := start - 1;
	IF start = 1 THEN
		expect_pos := 0;
		expect_prev := pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex');
	ELSE
		SELECT l.first_position, l.previous INTO expect_pos, expect_prev
		FROM ezz.ledger_block l WHERE l.ledger = which AND l.block_no = start;
	END IF;
	v.ledger := which;
	FOR b IN SELECT * FROM ezz.ledger_block l WHERE l.ledger = which AND l.block_no >= start ORDER BY l.block_no LOOP
		v.block_no := b.block_no;
		IF b.block_no <> expect_no + 1 THEN
			v.problem := 'block missing';
			v.block_no := expect_no + 1;
			v.detail := pg_catalog.format('the %s ledger goes from block %s to block %s', which, expect_no, b.block_no);
			RETURN;
		END IF;
		SELECT * INTO k FROM ezz.signing_key s WHERE s.key_id = b.key_id;
		IF b.document IS DISTINCT FROM ezz._block_document(b, k.fingerprint)
		   OR b.block_hash <> ezz._ledger_digest(b.hash_alg, pg_catalog.convert_to(ezz.canonical_json(b.document), 'UTF8'))
		   OR b.merkle_root <> ezz._merkle_root(b.hash_alg, b.leaves) THEN
			v.problem := 'block altered';
			v.detail := 'the block''s header, hash or leaves do not match each other';
			RETURN;
		END IF;
		IF b.previous <> expect_prev OR b.first_position <> expect_pos THEN
			v.problem := 'chain broken';
			v.detail := pg_catalog.format('block %s does not follow block %s', b.block_no, expect_no);
			RETURN;
		END IF;
		why := CASE WHEN k.key_id IS NULL THEN 'its key is not in ezz.signing_key'
					ELSE ezz._verify_document(k.key_id, k.algorithm, k.public_key, k.fingerprint, b.document, b.signature) END;
		IF why IS NOT NULL THEN
			v.problem := 'block signature bad';
			v.detail := why;
			RETURN;
		END IF;
		IF NOT with_entries THEN
			expect_no := b.block_no;
			expect_pos := b.first_position + b.entries;
			expect_prev := b.block_hash;
			v.blocks := coalesce(v.blocks, 0) + 1;
			v.entries := coalesce(v.entries, 0) + b.entries;
			CONTINUE;
		END IF;
		-- the entries the block holds, as they are now
		lo := pg_catalog.lower(b.ids);
		hi := pg_catalog.upper(b.ids) - 1;
		IF which = 'audit' THEN
			SELECT pg_catalog.count(*), pg_catalog.string_agg(ezz._leaf_hash(b.hash_alg, e), ''::bytea ORDER BY e.id)
			INTO n, leaves
			FROM ezz.audit_entry e WHERE e.id BETWEEN lo AND hi AND e.id OPERATOR(pg_catalog.<@) b.ids;
		ELSIF pg_catalog.to_regclass(b.partition) IS NULL THEN
			-- a partition dropped by retention keeps its blocks
			IF EXISTS (SELECT FROM ezz.access_partition_drop d WHERE d.partition = b.partition) THEN
				n := b.entries;
				leaves := b.leaves;
			ELSE
				v.problem := 'deleted';
				v.entry_id := lo;
				v.detail := pg_catalog.format('partition %s is gone and retention did not drop it', b.partition);
				RETURN;
			END IF;
		ELSE
			SELECT pg_catalog.count(*), pg_catalog.string_agg(ezz._leaf_hash(b.hash_alg, a), ''::bytea ORDER BY a.id)
			INTO n, leaves
			FROM ezz.access_log a WHERE a.id BETWEEN lo AND hi AND a.id OPERATOR(pg_catalog.<@) b.ids;
		END IF;
		IF n <> b.entries THEN
			-- the first id of the block that is not there
			IF which = 'audit' THEN
				SELECT i INTO bad FROM pg_catalog.unnest(b.ids) r, pg_catalog.generate_series(pg_catalog.lower(r), pg_catalog.upper(r) - 1) i
				WHERE NOT EXISTS (SELECT FROM ezz.audit_entry e WHERE e.id = i) ORDER BY i LIMIT 1;
			ELSE
				SELECT i INTO bad FROM pg_catalog.unnest(b.ids) r, pg_catalog.generate_series(pg_catalog.lower(r), pg_catalog.upper(r) - 1) i
				WHERE NOT EXISTS (SELECT FROM ezz.access_log a WHERE a.id = i) ORDER BY i LIMIT 1;
			END IF;
			v.problem := 'deleted';
			v.entry_id := bad;
			v.detail := pg_catalog.format('block %s holds %s entries, %s are left', b.block_no, b.entries, n);
			RETURN;
		END IF;
		IF leaves <> b.leaves THEN
			SELECT i INTO bad FROM pg_catalog.generate_series(0, b.entries - 1) i
			WHERE pg_catalog.substr(leaves, i * 32 + 1, 32) <> pg_catalog.substr(b.leaves, i * 32 + 1, 32) ORDER BY i LIMIT 1;
			IF which = 'audit' THEN
				SELECT e.id, e.relation INTO v.entry_id, v.relation FROM ezz.audit_entry e
				WHERE e.id BETWEEN lo AND hi AND e.id OPERATOR(pg_catalog.<@) b.ids ORDER BY e.id OFFSET bad LIMIT 1;
			ELSE
				SELECT a.id INTO v.entry_id FROM ezz.access_log a
				WHERE a.id BETWEEN lo AND hi AND a.id OPERATOR(pg_catalog.<@) b.ids ORDER BY a.id OFFSET bad LIMIT 1;
			END IF;
			v.problem := 'altered';
			v.detail := pg_catalog.format('entry %s (position %s of block %s) is not what was sealed',
										  v.entry_id, b.first_position + bad, b.block_no);
			RETURN;
		END IF;
		expect_no := b.block_no;
		expect_pos := b.first_position + b.entries;
		expect_prev := b.block_hash;
		v.blocks := coalesce(v.blocks, 0) + 1;
		v.entries := coalesce(v.entries, 0) + b.entries;
	END LOOP;
	v.block_no := NULL;
END
$$;

-- The same, fast when all is well: the headers block by block, then all the
-- entries the blocks hold hashed again at once, in parallel workers, their
-- (id, leaf) pairs compared as a sum of keyed terms with the blocks' (see
-- ledger.c).  Any difference, and the block-by-block pass names the first
-- problem.
CREATE FUNCTION ezz._verify_blocks(which text, start bigint, INOUT v ezz.audit_verification)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	v0 ezz.audit_verification := v;
	k bytea := ezz._verification_key();
	c record;
	actual bytea;
	found_n bigint;
BEGIN
	v := ezz._verify_chain(which, start, false, v);
	IF v.problem IS NOT NULL OR coalesce(v.entries, 0) = 0 THEN
		RETURN;
	END IF;
	-- the blocks whose entries are here, by hash (an access-log partition
	-- dropped by retention keeps its blocks; the block-by-block pass checks
	-- that the drop was recorded)
	FOR c IN
		SELECT b.hash_alg, ezz._sum256(ezz._block_term(k, b.ids, b.leaves)) AS expected, pg_catalog.sum(b.entries) AS n,
			   (SELECT pg_catalog.range_agg(r) FROM pg_catalog.unnest(pg_catalog.array_agg(b.ids)) m, pg_catalog.unnest(m) r) AS held
		FROM ezz.ledger_block b
		WHERE b.ledger = which AND b.block_no >= start
		  AND NOT (which = 'access' AND pg_catalog.to_regclass(b.partition) IS NULL
				   AND EXISTS (SELECT FROM ezz.access_partition_drop d WHERE d.partition = b.partition))
		GROUP BY b.hash_alg
	LOOP
		-- (EXECUTE: a SELECT INTO runs without parallel workers; the set of
		-- ids a FILTER, not a WHERE condition, whose selectivity the planner
		-- guesses at 0.5%% and then sees too little work to share)
		EXECUTE pg_catalog.format($q$
			SELECT ezz._sum256(ezz._leaf_term($1, x.id, $2, x)) FILTER (WHERE x.id OPERATOR(pg_catalog.<@) $3),
				   pg_catalog.count(*) FILTER (WHERE x.id OPERATOR(pg_catalog.<@) $3) FROM %s x
			WHERE x.id >= pg_catalog.lower($3) AND x.id < pg_catalog.upper($3)$q$,
			CASE which WHEN 'audit' THEN 'ezz.audit_entry' ELSE 'ezz.access_log' END)
		INTO actual, found_n USING k, c.hash_alg, c.held;
		IF actual IS DISTINCT FROM c.expected OR found_n <> c.n THEN
			v := ezz._verify_chain(which, start, true, v0);
			RETURN;
		END IF;
	END LOOP;
END
$$;

-- Entries below the floor that no block holds: inserted out of band.
CREATE FUNCTION ezz._verify_unsealed(which text, INOUT v ezz.audit_verification)
	LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	fl bigint;
	sealed int8multirange;
	bad bigint;
BEGIN
	SELECT s.floor INTO fl FROM ezz.ledger_seal_state s WHERE s.ledger = which;
	fl := coalesce(fl, 1);
	SELECT coalesce(pg_catalog.range_agg(r), '{}') INTO sealed
	FROM ezz.ledger_block l, pg_catalog.unnest(l.ids) r WHERE l.ledger = which;
	IF which = 'audit' THEN
		SELECT e.id INTO bad FROM ezz.audit_entry e
		WHERE e.id < fl AND NOT e.id OPERATOR(pg_catalog.<@) sealed ORDER BY e.id LIMIT 1;
		SELECT pg_catalog.count(*) INTO v.pending FROM ezz.audit_entry e
		WHERE e.id >= fl AND NOT e.id OPERATOR(pg_catalog.<@) sealed;
	ELSE
		SELECT a.id INTO bad FROM ezz.access_log a
		WHERE a.id < fl AND NOT a.id OPERATOR(pg_catalog.<@) sealed ORDER BY a.id LIMIT 1;
		SELECT pg_catalog.count(*) INTO v.pending FROM ezz.access_log a
		WHERE a.id >= fl AND NOT a.id OPERATOR(pg_catalog.<@) sealed;
	END IF;
	IF bad IS NOT NULL THEN
		v.entry_id := bad;
		v.problem := 'inserted out of band';
		v.detail := pg_catalog.format('entry %s is below the sealed floor %s but in no block', bad, fl);
	END IF;
END
$$;

-- The entries that still speak for a table: every row change since the
-- table's last TRUNCATE (what ezz._verify_tables compares the tables with)
CREATE VIEW ezz._live_entry AS
WITH cut AS (
	SELECT e.relation, pg_catalog.max(e.id) AS id FROM ezz.audit_entry e WHERE e.op IN ('TRUNCATE', 'DROP') GROUP BY e.relation)
SELECT e.* FROM ezz.audit_entry e LEFT JOIN cut ON cut.relation = e.relation
WHERE e.row_key IS NOT NULL AND e.id > coalesce(cut.id, 0);

-- An entry's rows, one to a line of row_key and new_row (an INSERT
-- statement's entry holds up to 1,000, every other entry one), each with its
-- row hash: the entry's own, or for a row of a several-row entry (which
-- carries none) its SM3, computed
CREATE FUNCTION ezz._entry_rows(keys text, images text, hash text)
	RETURNS TABLE (row_key text, new_row text, row_hash text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT u.k, u.r,
		   CASE WHEN hash IS NOT NULL OR u.r IS NULL THEN hash
				ELSE pg_catalog.concat('sm3:', pg_catalog.encode(ezz.sm3(pg_catalog.convert_to(u.r, 'UTF8')), 'hex')) END
	FROM ROWS FROM (pg_catalog.unnest(pg_catalog.string_to_array(keys, E'\n')),
					pg_catalog.unnest(pg_catalog.string_to_array(images, E'\n'))) u(k, r)
$$;

-- Each audited table against what its ledger says it holds: per row key the
-- latest entry (after the last TRUNCATE) and the row's hash now.
-- (work_mem: the latest entry of each key is found by sorting the table's
-- entries; in memory for a few million)
CREATE FUNCTION ezz._verify_tables(INOUT v ezz.audit_verification)
	LANGUAGE plpgsql STABLE SET work_mem = '256MB' AS $$
DECLARE
	t record;
	r record;
	now_rows text;
	k bytea := ezz._verification_key();
	ledger_sum bytea;
	table_sum bytea;
BEGIN
	-- every table under audit is there, under the name and with the columns
	-- its entries carry (an event trigger refuses changing them)
	FOR t IN
		SELECT a.relation, a.name, ezz._relation_name(a.relation) AS now_name, a.layout,
			   ezz._table_layout(a.relation) AS now_layout
		FROM ezz.audited_table a
		WHERE ezz._relation_name(a.relation) IS DISTINCT FROM a.name OR ezz._table_layout(a.relation) IS DISTINCT FROM a.layout
		ORDER BY a.name
	LOOP
		v.relation := t.name;
		v.problem := CASE WHEN t.now_name IS NULL THEN 'audited table dropped out of band'
						  WHEN t.now_name <> t.name THEN 'audited table renamed'
						  ELSE 'audited table layout changed' END;
		v.detail := CASE WHEN t.now_name IS NULL THEN pg_catalog.format('%s is gone and its ledger has no DROP entry', t.name)
						 WHEN t.now_name <> t.name THEN pg_catalog.format('%s is now %s', t.name, t.now_name)
						 ELSE pg_catalog.format('the columns of %s were (%s) and are (%s)', t.name, t.layout, t.now_layout) END;
		RETURN;
	END LOOP;
	-- every table under audit still has its triggers, enabled always (the
	-- apply trigger: in replica sessions at least)
	FOR t IN
		SELECT a.relation, w.name, w.fires, tg.tgname, tg.tgenabled
		FROM ezz.audited_table a
		CROSS JOIN (VALUES ('zz_audit', 'A'), ('zz_audit_insert', 'A'), ('zz_audit_apply', 'R'), ('zz_audit_truncate', 'A')) w(name, fires)
		LEFT JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = a.relation AND tg.tgname = w.name
		WHERE tg.tgenabled IS NULL OR tg.tgenabled NOT IN ('A', w.fires)
		ORDER BY a.relation::text, w.name
	LOOP
		v.relation := t.relation::text;
		v.problem := 'audit trigger off';
		v.detail := pg_catalog.format('the audit trigger %s of %s is %s', t.name, t.relation,
									  CASE WHEN t.tgname IS NULL THEN 'missing'
										   WHEN t.fires = 'R' THEN 'not ENABLE REPLICA (nor ALWAYS)'
										   ELSE 'not ENABLE ALWAYS' END);
		RETURN;
	END LOOP;
	-- Fast when all is well: the rows every entry since its table's last
	-- TRUNCATE added and removed, as a sum of keyed terms (each row's history
	-- telescopes to the row its latest entry left), against the same sum over
	-- the tables' rows now, both in parallel workers (see ledger.c).  Any
	-- difference, and the query below names the first.
	EXECUTE 'SELECT ezz._sum256(ezz._change_term($1, e.relation, e.old_row, e.new_row)) FROM ezz._live_entry e'
	INTO ledger_sum USING k;
	SELECT pg_catalog.string_agg(pg_catalog.format('SELECT ezz._row_term($1, %L, x) AS t FROM %s x',
												   ezz._relation_name(a.relation), a.relation), ' UNION ALL ')
	INTO now_rows FROM ezz.audited_table a;
	IF now_rows IS NOT NULL THEN
		EXECUTE 'SELECT ezz._sum256(u.t) FROM (' || now_rows || ') u' INTO table_sum USING k;
	END IF;
	IF ledger_sum IS NOT DISTINCT FROM table_sum THEN
		RETURN;
	END IF;
	SELECT pg_catalog.string_agg(pg_catalog.format(
			   'SELECT %L::text AS relation, ezz._row_key(x) AS row_key, ezz._row_hashes(x) AS hashes FROM %s x',
			   ezz._relation_name(a.relation), a.relation), ' UNION ALL ' ORDER BY a.relation::text)
	INTO now_rows FROM ezz.audited_table a;
	IF now_rows IS NULL THEN
		RETURN;
	END IF;
	-- the exact query: the latest entry of each key against each table's rows now
	EXECUTE pg_catalog.format($q$
		WITH latest AS (
			SELECT DISTINCT ON (e.relation, x.row_key) e.relation, x.row_key, e.id, e.op, x.row_hash
			FROM ezz._live_entry e, ezz._entry_rows(e.row_key, e.new_row, e.row_hash) x
			ORDER BY e.relation, x.row_key, e.id DESC),
		now AS (%s)
		SELECT coalesce(l.relation, n.relation) AS relation, l.id, coalesce(l.row_key, n.row_key) AS row_key,
			   CASE WHEN n.row_key IS NULL THEN 'row deleted out of band'
					WHEN l.id IS NULL OR l.op = 'DELETE' THEN 'row inserted out of band'
					ELSE 'row altered out of band' END AS problem
		FROM latest l FULL JOIN now n ON n.relation = l.relation AND n.row_key = l.row_key
		WHERE (n.row_key IS NULL AND l.op <> 'DELETE')
		   OR (n.row_key IS NOT NULL AND (l.id IS NULL OR l.op = 'DELETE'))
		   OR (n.row_key IS NOT NULL AND l.op <> 'DELETE' AND NOT l.row_hash OPERATOR(pg_catalog.=) ANY (n.hashes))
		ORDER BY l.id NULLS FIRST, 1, 3
		LIMIT 1$q$, now_rows) INTO r;
	IF r.problem IS NOT NULL THEN
		v.relation := r.relation;
		v.entry_id := r.id;
		v.problem := r.problem;
		v.detail := pg_catalog.format('%s %s: %s', r.relation, r.row_key,
			CASE r.problem WHEN 'row deleted out of band' THEN 'the ledger says it exists, the table has no such row'
						   WHEN 'row inserted out of band' THEN 'the table has a row the ledger never recorded'
						   ELSE 'the row is not what the ledger last recorded' END);
	END IF;
END
$$;

CREATE FUNCTION ezz._audit_verify(from_audit bigint, from_access bigint) RETURNS ezz.audit_verification
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	v ezz.audit_verification;
	total_blocks bigint := 0;
	total_entries bigint := 0;
	total_pending bigint := 0;
	which text;
BEGIN
	PERFORM ezz._require_auditor_or_management('verifying the ledger');
	FOREACH which IN ARRAY ARRAY['audit', 'access'] LOOP
		v := ROW(NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL, NULL)::ezz.audit_verification;
		v := ezz._verify_blocks(which, CASE which WHEN 'audit' THEN from_audit ELSE from_access END, v);
		IF v.problem IS NULL THEN
			v := ezz._verify_unsealed(which, v);
		END IF;
		IF v.problem IS NOT NULL THEN
			v.intact := false;
			RETURN v;
		END IF;
		total_blocks := total_blocks + v.blocks;
		total_entries := total_entries + v.entries;
		total_pending := total_pending + v.pending;
	END LOOP;
	v := ROW(NULL, NULL, total_blocks, total_entries, total_pending, NULL, NULL, NULL, NULL, NULL)::ezz.audit_verification;
	v := ezz._verify_tables(v);
	v.intact := v.problem IS NULL;
	IF v.problem IS NOT NULL THEN
		v.ledger := 'audit';
	END IF;
	RETURN v;
END
$$;

CREATE FUNCTION ezz.audit_verify() RETURNS ezz.audit_verification
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT ezz._audit_verify(1, 1)
$$;
COMMENT ON FUNCTION ezz.audit_verify() IS 'recompute the audit ledger and the access log: every block''s hash, chain and signature, every sealed entry, and every audited table against its ledger; names the first problem';

-- A signed digest to keep outside the database: the newest block of each ledger.
CREATE FUNCTION ezz.audit_digest() RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d jsonb := '{}';
	b record;
BEGIN
	PERFORM ezz._require_auditor_or_management('taking a ledger digest');
	FOR b IN
		SELECT DISTINCT ON (l.ledger) l.ledger, l.block_no, l.first_position + l.entries AS position, l.block_hash,
			   l.document, l.signature, l.hash_alg
		FROM ezz.ledger_block l ORDER BY l.ledger, l.block_no DESC
	LOOP
		d := d OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(b.ledger, pg_catalog.jsonb_build_object(
			'block', b.block_no, 'position', b.position, 'block_hash', ezz._hex(b.block_hash),
			'hash', b.hash_alg, 'document', b.document,
			'signature', pg_catalog.encode(b.signature, 'base64')));
	END LOOP;
	IF d = '{}' THEN
		RAISE EXCEPTION 'ezz.audit_digest: nothing is sealed yet' USING ERRCODE = 'object_not_in_prerequisite_state',
			HINT = 'CALL ezz.maintain() seals the ledger (a management department needs an active signing key).';
	END IF;
	RETURN d OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('taken_at',
		pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
END
$$;
COMMENT ON FUNCTION ezz.audit_digest() IS 'signed digest (block, position, hash) of the audit ledger and the access log, to keep outside the database';

-- Does the ledger still extend a digest taken earlier?
CREATE FUNCTION ezz.audit_verify(digest jsonb) RETURNS ezz.audit_verification
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	which text;
	d jsonb;
	b ezz.ledger_block;
	k ezz.signing_key;
	why text;
	v ezz.audit_verification;
BEGIN
	IF digest IS NULL THEN
		RAISE EXCEPTION 'ezz.audit_verify: the digest must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF pg_catalog.jsonb_typeof(digest) <> 'object' OR NOT (digest ?| ARRAY['audit', 'access']) THEN
		RAISE EXCEPTION 'ezz.audit_verify: this is not a digest from ezz.audit_digest()' USING ERRCODE = 'invalid_parameter_value',
			DETAIL = 'A digest is an object with an "audit" and/or "access" member.';
	END IF;
	FOREACH which IN ARRAY ARRAY['audit', 'access'] LOOP
		d := digest -> which;
		CONTINUE WHEN d IS NULL;
		IF pg_catalog.jsonb_typeof(d -> 'block') IS DISTINCT FROM 'number' OR pg_catalog.jsonb_typeof(d -> 'document') IS DISTINCT FROM 'object'
		   OR pg_catalog.jsonb_typeof(d -> 'signature') IS DISTINCT FROM 'string' THEN
			RAISE EXCEPTION 'ezz.audit_verify: the digest''s % member is malformed', which USING ERRCODE = 'invalid_parameter_value',
				DETAIL = 'It needs "block" (a number), "document" (an object) and "signature" (base64).';
		END IF;
		-- the digest is genuine: its document is signed by a key ezz knows
		SELECT * INTO k FROM ezz.signing_key s WHERE s.fingerprint = d -> 'document' ->> 'key';
		BEGIN
			why := CASE WHEN k.key_id IS NULL THEN 'its key is not in ezz.signing_key'
						ELSE ezz._verify_document(k.key_id, k.algorithm, k.public_key, k.fingerprint, d -> 'document',
												  pg_catalog.decode(d ->> 'signature', 'base64')) END;
		EXCEPTION WHEN invalid_parameter_value OR invalid_text_representation THEN
			why := 'its signature is not base64';
		END;
		IF why IS NOT NULL THEN
			RETURN ROW(false, which, NULL, NULL, NULL, (d ->> 'block')::bigint, NULL, NULL, 'digest signature bad', why)::ezz.audit_verification;
		END IF;
		-- and the ledger still holds that very block
		SELECT * INTO b FROM ezz.ledger_block l WHERE l.ledger = which AND l.block_no = (d ->> 'block')::bigint;
		IF b.block_no IS NULL OR b.document <> d -> 'document' THEN
			RETURN ROW(false, which, NULL, NULL, NULL, (d ->> 'block')::bigint, NULL, NULL, 'digest not extended',
					   CASE WHEN b.block_no IS NULL THEN 'the ledger no longer has the digest''s block'
							ELSE 'the ledger''s block differs from the digest''s' END)::ezz.audit_verification;
		END IF;
	END LOOP;
	-- from there on, everything
	v := ezz._audit_verify(coalesce((digest -> 'audit' ->> 'block')::bigint, 1),
						   coalesce((digest -> 'access' ->> 'block')::bigint, 1));
	RETURN v;
END
$$;
COMMENT ON FUNCTION ezz.audit_verify(jsonb) IS 'prove the ledger still extends a digest from ezz.audit_digest(): the digest''s blocks are there unchanged and everything after verifies';

-- An inclusion proof for one entry, checkable outside the database with
-- nothing but a hash function and the signer's public key (docs/ledger.md).
CREATE FUNCTION ezz.audit_proof(entry bigint, ledger text DEFAULT 'audit') RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	b ezz.ledger_block;
	k ezz.signing_key;
	canon text;
	idx bigint;
BEGIN
	IF entry IS NULL OR ledger IS NULL THEN
		RAISE EXCEPTION 'ezz.audit_proof: the entry and ledger must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF ledger NOT IN ('audit', 'access') THEN
		RAISE EXCEPTION 'ezz.audit_proof: the ledger is "audit" or "access", not %', ledger USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM ezz._require_auditor_or_management('proving a ledger entry');
	SELECT * INTO b FROM ezz.ledger_block l
	WHERE l.ledger = audit_proof.ledger AND l.last_id >= entry AND entry OPERATOR(pg_catalog.<@) l.ids
	ORDER BY l.last_id LIMIT 1;
	IF b.block_no IS NULL THEN
		RAISE EXCEPTION 'ezz.audit_proof: % entry % is not sealed', ledger, entry USING ERRCODE = 'no_data_found',
			HINT = 'An entry is sealed within seconds of its commit by the ezz ledger worker, or by CALL ezz.maintain().';
	END IF;
	IF ledger = 'audit' THEN
		SELECT ezz._canonical_row(e) INTO canon FROM ezz.audit_entry e WHERE e.id = entry;
	ELSE
		SELECT ezz._canonical_row(a) INTO canon FROM ezz.access_log a WHERE a.id = entry;
	END IF;
	SELECT pg_catalog.count(*) INTO idx FROM pg_catalog.unnest(b.ids) r,
		LATERAL pg_catalog.generate_series(pg_catalog.lower(r), LEAST(pg_catalog.upper(r) - 1, entry - 1)) i;
	SELECT * INTO k FROM ezz.signing_key s WHERE s.key_id = b.key_id;
	RETURN pg_catalog.jsonb_build_object(
		'ledger', ledger, 'entry', entry, 'canonical', canon, 'hash', b.hash_alg,
		'leaf', ezz._hex(pg_catalog.substr(b.leaves, idx::integer * 32 + 1, 32)),
		'index', idx, 'size', b.entries,
		'path', (SELECT coalesce(pg_catalog.jsonb_agg(ezz._hex(p) ORDER BY o), '[]')
				 FROM pg_catalog.unnest(ezz._merkle_path(b.hash_alg, b.leaves, idx)) WITH ORDINALITY AS u(p, o)),
		'block', b.block_no, 'block_hash', ezz._hex(b.block_hash),
		'document', b.document, 'signed', ezz.canonical_json(b.document),
		'signature', pg_catalog.encode(b.signature, 'base64'),
		'algorithm', k.algorithm, 'public_key', ezz._public_key_pem(k.public_key));
END
$$;
COMMENT ON FUNCTION ezz.audit_proof(bigint, text) IS 'inclusion proof of a sealed entry: canonical entry, Merkle path, the signed block header, signature and public key';

------------------------------------------------------------------------------
-- Reading the ledgers
------------------------------------------------------------------------------
-- The audit ledger, for auditors and management.
CREATE VIEW ezz.audit_log WITH (security_barrier) AS
	SELECT e.id, e.at, e.xid, e.relation, e.op, e.actor, e.department, x.row_key, e.old_row, x.new_row, x.row_hash
	FROM ezz.audit_entry e LEFT JOIN LATERAL ezz._entry_rows(e.row_key, e.new_row, e.row_hash) x ON true;
COMMENT ON VIEW ezz.audit_log IS 'the audit ledger 审计, one row per changed row (an INSERT statement''s entry of many rows shows each), for ezz_auditor and ezz_admin';

-- Whose accesses the caller may read: NULL for all (auditors, management),
-- else its department and every department whose successor chain leads to it.
CREATE FUNCTION ezz._access_scope() RETURNS ezz.uscc[]
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dept ezz.uscc;
BEGIN
	IF pg_catalog.pg_has_role(session_user, 'ezz_auditor', 'MEMBER') THEN
		RETURN NULL;
	END IF;
	dept := ezz.current_department();
	IF dept IS NULL THEN
		RETURN '{}';
	END IF;
	IF EXISTS (SELECT FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) dept AND 'management' = ANY (d.kinds)) THEN
		RETURN NULL;
	END IF;
	RETURN (WITH RECURSIVE chain(uscc) AS (
				SELECT dept
				UNION
				SELECT d.uscc FROM ezz.department d JOIN chain c ON d.successor OPERATOR(ezz.=) c.uscc)
			SELECT pg_catalog.array_agg(c.uscc) FROM chain c);
END
$$;

-- Accesses to a department's own licences (its issuer chain), all for
-- management and auditors.
CREATE VIEW ezz.licence_accesses WITH (security_barrier) AS
	SELECT a.id, a.at, a.actor, a.department, a.licence, a.issuer, a.action, a.service_item, a.purpose,
		   a.grant_id, a.allowed, a.reason
	FROM ezz.access_log a, (SELECT ezz._access_scope() AS issuers) s
	WHERE s.issuers IS NULL OR a.issuer OPERATOR(ezz.=) ANY (s.issuers);
COMMENT ON VIEW ezz.licence_accesses IS 'access log 访问日志: issuers see the accesses to their own licences (and their predecessors''); management and auditors see all';

------------------------------------------------------------------------------
-- Access-log retention
------------------------------------------------------------------------------
-- Drop the access-log partitions wholly older than ezz.access_log_retention
-- (all of whose entries are sealed), make the partitions of this month and
-- the next two.  Returns the partitions dropped.
CREATE FUNCTION ezz._access_retention() RETURNS SETOF text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	keep interval := pg_catalog.current_setting('ezz.access_log_retention')::interval;
	p record;
	nb bigint;
	ne bigint;
	unsealed boolean;
BEGIN
	FOR i IN 0..2 LOOP
		PERFORM ezz._access_partition(pg_catalog.now() + pg_catalog.make_interval(months => i));
	END LOOP;
	FOR p IN
		SELECT c.oid::regclass AS rel, c.oid::regclass::text AS name,
			   (pg_catalog.regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS hi
		FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'ezz.access_log'::regclass
		ORDER BY 3
	LOOP
		-- only what is wholly older: its upper bound is past the retention
		CONTINUE WHEN p.hi IS NULL OR p.hi > pg_catalog.now() - keep;
		EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s a WHERE NOT EXISTS (SELECT FROM ezz.ledger_block l '
								  'WHERE l.ledger = ''access'' AND l.partition = %L AND a.id OPERATOR(pg_catalog.<@) l.ids))',
								  p.rel, p.name) INTO unsealed;
		IF unsealed THEN
			RAISE NOTICE 'ezz: access-log partition % is past retention but not wholly sealed yet; kept', p.name;
			CONTINUE;
		END IF;
		SELECT pg_catalog.count(*), coalesce(pg_catalog.sum(l.entries), 0) INTO nb, ne
		FROM ezz.ledger_block l WHERE l.ledger = 'access' AND l.partition = p.name;
		INSERT INTO ezz.access_partition_drop (partition, upper_bound, retention, blocks, entries)
		VALUES (p.name, p.hi, keep, nb, ne);
		EXECUTE pg_catalog.format('DROP TABLE %s', p.rel);
		RETURN NEXT p.name;
	END LOOP;
END
$$;

------------------------------------------------------------------------------
-- Health
------------------------------------------------------------------------------
CREATE FUNCTION ezz._health() RETURNS TABLE (item text, value text, ok boolean, detail text)
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	w record;
	oldest timestamptz;
	lag interval;
	last_cal integer;
	near bigint;
BEGIN
	SELECT * INTO w FROM ezz._ledger_worker_state();
	item := 'worker_state'; value := w.state;
	ok := w.last_error IS NULL OR w.state = 'stopped';
	detail := coalesce('last error: ' || w.last_error, pg_catalog.format('pid %s, %s records written', w.pid, w.written));
	RETURN NEXT;
	item := 'access_queue_depth'; value := w.queued::text; ok := coalesce(w.queued, 0) < 10000;
	detail := 'access records handed to the worker, not yet committed';
	RETURN NEXT;
	SELECT e.at INTO oldest FROM ezz.audit_entry e, ezz.ledger_seal_state s
	WHERE s.ledger = 'audit' AND e.id >= s.floor
	  AND NOT EXISTS (SELECT FROM ezz.ledger_block l WHERE l.ledger = 'audit' AND l.last_id >= e.id
					  AND e.id OPERATOR(pg_catalog.<@) l.ids)
	ORDER BY e.id LIMIT 1;
	lag := pg_catalog.now() - oldest;
	item := 'oldest_unsealed_entry'; value := oldest::text; ok := true;
	detail := 'the oldest audit entry not yet in a block';
	RETURN NEXT;
	item := 'seal_lag'; value := coalesce(lag, '0')::text; ok := coalesce(lag, '0') < interval '1 minute';
	detail := 'how long the oldest unsealed entry has waited (sealed once a second by the worker, and by ezz.maintain)';
	RETURN NEXT;
	item := 'ledger_key'; value := (ezz._ledger_key()).fingerprint; ok := value IS NOT NULL;
	detail := CASE WHEN ok THEN 'the management key that signs blocks' ELSE 'no management key: nothing is sealed' END;
	RETURN NEXT;
	SELECT pg_catalog.count(*) INTO near FROM ezz.signing_key k
	WHERE k.status = 'active' AND k.private_key IS NOT NULL AND k.valid_to < pg_catalog.now() + interval '30 days';
	item := 'keys_near_expiry'; value := near::text; ok := near = 0;
	detail := 'active signing keys that expire within 30 days';
	RETURN NEXT;
	SELECT pg_catalog.max(y.year) INTO last_cal FROM ezz.calendar_year y;
	item := 'calendar_end'; value := pg_catalog.make_date(last_cal, 12, 31)::text;
	ok := last_cal IS NOT NULL AND pg_catalog.make_date(last_cal, 12, 31) >= ezz.today() + 60;
	detail := 'the last day the working-day calendar covers';
	RETURN NEXT;
END
$$;

CREATE VIEW ezz.health AS SELECT h.item, h.value, h.ok, h.detail FROM ezz._health() h;
COMMENT ON VIEW ezz.health IS 'access-record queue depth, worker state, seal lag, oldest unsealed entry, keys near expiry, calendar end';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.audit_entry', 'ledger', false, 'audit ledger entries, written by the C trigger ezz._audit'),
	('ezz.ledger_block', 'ledger', false, 'sealed, signed blocks of both ledgers'),
	('ezz.ledger_seal_state', 'ledger', false, 'how far each ledger is sealed'),
	('ezz.access_partition_drop', 'ledger', false, 'access-log partitions dropped by retention'),
	('ezz.audited_table', 'meta', false, 'tables under audit; written by the install script'),
	('ezz.access_log', 'ledger', false, 'access log, written by the ezz ledger worker')
ON CONFLICT (relation) DO NOTHING;

-- every reference and data table is under audit
SELECT ezz.audit_table(p.relation) FROM ezz.table_policy p WHERE p.class IN ('reference', 'data') ORDER BY p.relation::text;
