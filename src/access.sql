-- Access log 访问日志 (SPEC §2, §6): one row for every use call — search,
-- view, verify, data fetch, download, public lookup, QR verification —
-- allowed or refused.  A call hands its record to the database's ezz ledger
-- worker through shared memory (access.c) and returns only once the worker
-- has committed it: the record does not depend on the caller's transaction,
-- so a refusal that raises, or a read followed by ROLLBACK, stays recorded.
-- Range-partitioned by month on "at"; ezz.maintain drops the partitions
-- wholly older than ezz.access_log_retention, after their Merkle blocks are
-- sealed (the blocks outlive them).

CREATE SEQUENCE ezz.access_log_id_seq;

-- ezz_owner creates the monthly partitions (ezz._access_partition, SECURITY
-- DEFINER, run by the ledger worker and ezz.maintain), so they are its own
GRANT CREATE ON SCHEMA ezz TO ezz_owner;

CREATE TABLE ezz.access_log (
	id				bigint NOT NULL,
	at				timestamptz NOT NULL,
	actor			text NOT NULL,
	department		ezz.uscc,
	licence			ezz.licence_ident,
	issuer			ezz.uscc,
	action			text NOT NULL CHECK (action ~ '^[a-z_]{1,32}$'),
	service_item	text,
	purpose			text,
	grant_id		bigint,
	allowed			boolean NOT NULL,
	reason			text
) PARTITION BY RANGE (at);
-- (no index on the parent: each partition gets its key and indexes from
-- ezz._access_partition.  The parent belongs to the extension, its partitions
-- do not, and pg_dump cannot restore a partition whose parent already has
-- indexes: attaching it would make them twice.)
COMMENT ON TABLE ezz.access_log IS 'access log 访问日志: every use call, allowed or refused, written by the ezz ledger worker outside the caller''s transaction; partitioned by month';
COMMENT ON COLUMN ezz.access_log.id IS 'number in the order the writer committed (one writer per database)';
COMMENT ON COLUMN ezz.access_log.at IS 'when the call asked (clock time of the call)';
COMMENT ON COLUMN ezz.access_log.actor IS 'session user (login) that called';
COMMENT ON COLUMN ezz.access_log.department IS 'the login''s department, if bound';
COMMENT ON COLUMN ezz.access_log.issuer IS 'the licence''s issuer (from its identifier): whose accesses these are';
COMMENT ON COLUMN ezz.access_log.allowed IS 'false: refused (reason says why)';

-- CREATE TRIGGER name spec ON rel, then ENABLE ALWAYS (replication apply and
-- session_replication_role = replica do not skip it), or with fires =
-- 'REPLICA', ENABLE REPLICA (it fires in replica sessions only: logical
-- replication apply, and a restore).  Used for the ledger's guards and the
-- audit triggers (ledger.sql).
CREATE FUNCTION ezz._trigger_always(rel regclass, name text, spec text, fires text DEFAULT 'ALWAYS') RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	qualified text := (SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
					   FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
					   WHERE c.oid = rel);
BEGIN
	IF fires IS NULL OR fires NOT IN ('ALWAYS', 'REPLICA') THEN
		RAISE EXCEPTION 'ezz._trigger_always: fires is ALWAYS or REPLICA, not %', coalesce(fires, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	EXECUTE pg_catalog.format('CREATE TRIGGER %I %s', name, pg_catalog.replace(spec, ' ON $table ', ' ON ' || qualified || ' '));
	EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE %s TRIGGER %I', qualified, fires, name);
END
$$;

-- The partition for the month holding "at", created if missing.  Run by the
-- worker (ledger_worker.c) ahead of time and before it writes a batch in a
-- month that has none, and by ezz.maintain.
CREATE FUNCTION ezz._access_partition(at timestamptz) RETURNS regclass
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	-- months in UTC: a partition's bounds do not depend on any setting
	lo timestamptz := pg_catalog.date_trunc('month', at, 'UTC');
	hi timestamptz;
	name text := pg_catalog.format('access_log_%s', pg_catalog.to_char(lo AT TIME ZONE 'UTC', 'YYYYMM'));
	rel regclass := pg_catalog.to_regclass(pg_catalog.format('ezz.%I', name));
BEGIN
	IF at IS NULL OR NOT pg_catalog.isfinite(at) THEN
		RAISE EXCEPTION 'ezz._access_partition: at must be a finite time' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	hi := pg_catalog.date_trunc('month', lo + interval '32 days', 'UTC');
	IF rel IS NOT NULL THEN
		RETURN rel;
	END IF;
	-- (partitions are made one at a time: the lock on the parent)
	LOCK TABLE ezz.access_log IN SHARE UPDATE EXCLUSIVE MODE;
	rel := pg_catalog.to_regclass(pg_catalog.format('ezz.%I', name));
	IF rel IS NULL THEN
		EXECUTE pg_catalog.format('CREATE TABLE ezz.%I PARTITION OF ezz.access_log FOR VALUES FROM (%L) TO (%L)',
								  name, lo, hi);
		rel := pg_catalog.format('ezz.%I', name)::regclass;
		EXECUTE pg_catalog.format('REVOKE ALL ON TABLE %s FROM PUBLIC', rel);
		EXECUTE pg_catalog.format('ALTER TABLE %s ADD PRIMARY KEY (id)', rel);
		EXECUTE pg_catalog.format('CREATE INDEX ON %s (licence, at)', rel);
		EXECUTE pg_catalog.format('CREATE INDEX ON %s (issuer, at)', rel);
		-- append-only like its parent (ledger.sql), ENABLE ALWAYS; TRUNCATE of
		-- the partition itself is refused too
		EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ALWAYS TRIGGER guard_append_only', rel);
		PERFORM ezz._trigger_always(rel, 'guard_no_truncate',
									'BEFORE TRUNCATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION ezz._ledger_guard()');
	END IF;
	RETURN rel;
END
$$;

-- An access record, written by the ledger worker outside the caller's
-- transaction; returns its id once committed.  Only action and allowed are
-- required; each text at most 2000 bytes.  For ezz's own functions.
CREATE FUNCTION ezz._access_record(action text, licence text, department text, service_item text, purpose text,
								   grant_id bigint, allowed boolean, reason text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ezz_access_record' LANGUAGE C VOLATILE;
-- The same record queued without waiting; ezz._access_wait() waits for it
-- (so that the caller's own work overlaps the worker's commit).  A
-- transaction that commits with one queued waits for it first.
CREATE FUNCTION ezz._access_submit(action text, licence text, department text, service_item text, purpose text,
								   grant_id bigint, allowed boolean, reason text) RETURNS void
	AS 'MODULE_PATHNAME', 'ezz_access_submit' LANGUAGE C VOLATILE;
CREATE FUNCTION ezz._access_wait() RETURNS bigint
	AS 'MODULE_PATHNAME', 'ezz_access_wait' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ezz._access_record(text, text, text, text, text, bigint, boolean, text) IS 'write an access record through the ezz ledger worker and return its id once committed (survives the caller''s rollback)';

-- The ledger worker of this database: 'stopped' (pid NULL) when none runs.
CREATE FUNCTION ezz._ledger_worker_state(OUT state text, OUT pid integer, OUT queued bigint, OUT written bigint,
										 OUT last_batch_at timestamptz, OUT last_seal_at timestamptz,
										 OUT last_error text)
	AS 'MODULE_PATHNAME', 'ezz_ledger_worker_state' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ezz._ledger_worker_state() IS 'the ezz ledger worker of this database: state, pid, records queued, records written, last batch, last seal, last error';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.access_log', 'ledger', false, 'access log: one row per use call, written by the ezz ledger worker through ezz._access_record');
