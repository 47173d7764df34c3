-- Ownership, privileges and pg_dump registration, driven by ezz.table_policy.
-- This file comes last: it checks what the others created.

DO $grants$
DECLARE
	t record;
	s record;
	f record;
	policies ezz.table_policy[];
BEGIN
	-- every table of the schema is described in ezz.table_policy
	FOR t IN
		SELECT c.oid::regclass AS rel FROM pg_catalog.pg_class c
		WHERE c.relnamespace = 'ezz'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		  AND c.oid NOT IN (SELECT p.relation FROM ezz.table_policy p)
	LOOP
		RAISE EXCEPTION 'table % is missing from ezz.table_policy', t.rel;
	END LOOP;

	-- every reference and data table is under audit (ledger.sql)
	FOR t IN
		SELECT p.relation AS rel FROM ezz.table_policy p
		WHERE p.class IN ('reference', 'data')
		  AND p.relation NOT IN (SELECT a.relation FROM ezz.audited_table a)
	LOOP
		RAISE EXCEPTION 'table % is not under audit: SELECT ezz.audit_table(%L)', t.rel, t.rel;
	END LOOP;

	-- read the policy first: ALTER TABLE cannot run on a table being scanned
	SELECT pg_catalog.array_agg(p) INTO policies FROM ezz.table_policy p;
	FOREACH t IN ARRAY policies LOOP
		EXECUTE pg_catalog.format('ALTER TABLE %s OWNER TO ezz_owner', t.relation);
		EXECUTE pg_catalog.format('REVOKE ALL ON TABLE %s FROM PUBLIC', t.relation);
		-- pg_dump skips the rows of extension tables unless they are registered
		IF t.class <> 'meta' THEN
			PERFORM pg_catalog.pg_extension_config_dump(t.relation, '');
		END IF;
		FOR s IN
			SELECT d.objid::regclass AS seq
			FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
			WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refobjid = t.relation AND d.deptype IN ('a', 'i')
		LOOP
			IF t.class <> 'meta' THEN
				PERFORM pg_catalog.pg_extension_config_dump(s.seq, '');
			END IF;
			IF t.admin_editable THEN
				EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO ezz_admin', s.seq);
			END IF;
		END LOOP;
		IF t.admin_editable THEN
			EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %s TO ezz_admin', t.relation);
			EXECUTE pg_catalog.format(
				'CREATE TRIGGER guard_admin_dml BEFORE INSERT OR UPDATE OR DELETE ON %s '
				'FOR EACH STATEMENT EXECUTE FUNCTION ezz._guard_admin_dml()', t.relation);
		END IF;
	END LOOP;

	-- Sequences not owned by a table, and views: ezz_owner's too; sequences
	-- are registered for pg_dump like the tables
	FOR s IN
		SELECT c.oid::regclass AS rel, c.relkind FROM pg_catalog.pg_class c
		WHERE c.relnamespace = 'ezz'::regnamespace AND c.relkind IN ('S', 'v')
		  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
						  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
						    AND d.deptype IN ('a', 'i') AND d.refclassid = 'pg_catalog.pg_class'::regclass)
	LOOP
		EXECUTE pg_catalog.format('ALTER %s %s OWNER TO ezz_owner',
								  CASE s.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'VIEW' END, s.rel);
		EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM PUBLIC', s.rel);
		IF s.relkind = 'S' THEN
			PERFORM pg_catalog.pg_extension_config_dump(s.rel, '');
		END IF;
	END LOOP;

	-- Functions: nothing is open to PUBLIC but the pure ones (IMMUTABLE, not
	-- SECURITY DEFINER, not internal); the rest is granted below by name.
	-- ezz_owner runs every SECURITY DEFINER function and the helpers and
	-- triggers they call.
	EXECUTE 'REVOKE EXECUTE ON ALL ROUTINES IN SCHEMA ezz FROM PUBLIC';
	EXECUTE 'GRANT EXECUTE ON ALL ROUTINES IN SCHEMA ezz TO ezz_owner';
	FOR f IN
		SELECT p.oid::regprocedure AS fn FROM pg_catalog.pg_proc p
		WHERE p.pronamespace = 'ezz'::regnamespace AND p.provolatile = 'i' AND NOT p.prosecdef
		  AND p.proname !~ '^_'
	LOOP
		EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', f.fn);
	END LOOP;

	-- SECURITY DEFINER functions belong to ezz_owner and pin search_path
	FOR f IN
		SELECT p.oid::regprocedure AS fn, p.proconfig FROM pg_catalog.pg_proc p
		WHERE p.pronamespace = 'ezz'::regnamespace AND p.prosecdef
	LOOP
		IF NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (f.proconfig), false) THEN
			RAISE EXCEPTION 'SECURITY DEFINER function % does not pin search_path = pg_catalog, pg_temp', f.fn;
		END IF;
		EXECUTE pg_catalog.format('ALTER ROUTINE %s OWNER TO ezz_owner', f.fn);
	END LOOP;
END
$grants$;


-- the WHEN of the row-level INSERT audit trigger runs as whoever inserts
-- into an audited table (it only asks whether this is logical replication)
GRANT EXECUTE ON FUNCTION ezz._audit_by_row() TO PUBLIC;

-- every group can ask which department it is
GRANT EXECUTE ON FUNCTION ezz.current_department() TO ezz_admin, ezz_issuer, ezz_consumer,
	ezz_holder_agent, ezz_public, ezz_auditor;

-- helpers that run with the caller's rights when ezz_admin edits reference
-- tables (triggers), or that only speak about the caller
GRANT EXECUTE ON FUNCTION ezz._require_department(ezz.department_kind[], text) TO ezz_admin, ezz_issuer, ezz_consumer;
GRANT EXECUTE ON FUNCTION ezz._require_department_kind(ezz.uscc, ezz.department_kind[], text) TO ezz_admin;
GRANT EXECUTE ON FUNCTION ezz._field_schema_problem(jsonb) TO ezz_admin;
GRANT EXECUTE ON FUNCTION ezz._has_duplicates(anyarray) TO ezz_admin;

-- management
GRANT EXECUTE ON FUNCTION ezz.bind_login(regrole, ezz.uscc) TO ezz_admin;
GRANT EXECUTE ON FUNCTION ezz.unbind_login(regrole) TO ezz_admin;

-- industry authorities
GRANT EXECUTE ON FUNCTION ezz.define_type(text, text, text, text[], text, jsonb, text, integer, interval, boolean, text[], text) TO ezz_issuer;

-- working-day calendar: every ezz role
GRANT EXECUTE ON FUNCTION ezz.is_working_day(date), ezz.add_working_days(date, integer),
	ezz.working_days_between(date, date)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_holder_agent, ezz_public, ezz_auditor;

-- keys (management)
GRANT EXECUTE ON FUNCTION ezz.create_key(ezz.uscc, text, interval), ezz.retire_key(bigint),
	ezz.revoke_key(bigint, text, timestamptz), ezz.import_trusted_key(ezz.uscc, text, text, timestamptz, timestamptz, text),
	ezz.rotate_master_key()
	TO ezz_admin;
-- public keys are public
GRANT SELECT ON ezz.trusted_keys TO ezz_admin, ezz_issuer, ezz_consumer, ezz_holder_agent, ezz_public, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz.public_key_pem(bigint), ezz.today(), ezz._public_key_pem(bytea)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_holder_agent, ezz_public, ezz_auditor;

-- licences
GRANT EXECUTE ON FUNCTION ezz.issue(text, jsonb, jsonb, date, date, bytea, text, timestamptz, text),
	ezz.issue_batch(regclass), ezz._issue_culprit(ezz.issue_row[], text, text, text, text), ezz._issue_rows(ezz.issue_row[], boolean)
	TO ezz_issuer;
GRANT EXECUTE ON FUNCTION ezz.export(ezz.licence_ident) TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz.verify_document(jsonb)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_holder_agent, ezz_public, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz._number_field_check() TO ezz_admin;

-- lifecycle
GRANT EXECUTE ON FUNCTION ezz.transition(ezz.licence_ident, ezz.licence_status, text, text),
	ezz.suspend(ezz.licence_ident, text, text), ezz.resume(ezz.licence_ident, text, text),
	ezz.pledge(ezz.licence_ident, text, text), ezz.release_pledge(ezz.licence_ident, text, text),
	ezz.revoke(ezz.licence_ident, text, text), ezz.rescind(ezz.licence_ident, text, text),
	ezz.cancel(ezz.licence_ident, text, text), ezz.abolish(ezz.licence_ident, text, text)
	TO ezz_issuer, ezz_admin;
GRANT EXECUTE ON FUNCTION ezz.change(ezz.licence_ident, jsonb, text), ezz.renew(ezz.licence_ident, date, text),
	ezz.reissue(ezz.licence_ident, text), ezz.reseal(ezz.licence_ident),
	ezz.annual_inspection(ezz.licence_ident, boolean, text)
	TO ezz_issuer;
GRANT EXECUTE ON FUNCTION ezz.status_at(ezz.licence_ident, timestamptz)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz.read_status_events(bigint, integer) TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor;
-- (auditors read everything from 0 and keep no position)
GRANT EXECUTE ON FUNCTION ezz.ack_status_events(bigint) TO ezz_admin, ezz_issuer, ezz_consumer;
GRANT EXECUTE ON PROCEDURE ezz.maintain() TO ezz_admin;
GRANT SELECT ON ezz.status_transitions
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_holder_agent, ezz_public, ezz_auditor;
GRANT SELECT ON ezz.inspection_findings TO ezz_admin, ezz_auditor;

-- ledger and access log (ledger.sql, access.sql)
GRANT SELECT ON ezz.audit_log TO ezz_admin, ezz_auditor;
-- (which splits an entry of many inserted rows into its rows, as the reader)
GRANT EXECUTE ON FUNCTION ezz._entry_rows(text, text, text) TO ezz_admin, ezz_auditor;
GRANT SELECT ON ezz.licence_accesses TO ezz_admin, ezz_issuer, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz._access_scope() TO ezz_admin, ezz_issuer, ezz_auditor;
GRANT SELECT ON ezz.health TO ezz_admin, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz._health() TO ezz_admin, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz.audit_verify(), ezz.audit_verify(jsonb), ezz.audit_digest(), ezz.audit_proof(bigint, text)
	TO ezz_admin, ezz_auditor;

-- sharing (sharing.sql)
GRANT EXECUTE ON FUNCTION ezz.grant_function_use(ezz.uscc, text, text[], text[], timestamptz, timestamptz, boolean)
	TO ezz_admin;
GRANT EXECUTE ON FUNCTION ezz.act_for_holder(text, text), ezz.my_licences(), ezz.my_access_history(timestamptz, timestamptz),
	ezz.authorise(ezz.licence_ident, ezz.uscc, text, text[], timestamptz),
	ezz.authorise_type(text, ezz.uscc, text, text[], timestamptz),
	ezz.entrust(ezz.licence_ident, text, text, text, timestamptz, timestamptz)
	TO ezz_holder_agent;
GRANT EXECUTE ON FUNCTION ezz.withdraw(bigint) TO ezz_holder_agent, ezz_admin;
GRANT EXECUTE ON FUNCTION ezz.search(text, text, text, text, text, bigint), ezz.find(text, text, text, text, text, bigint),
	ezz.verify_claims(text, text, text, jsonb, text, text, bigint)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor;
-- (the holder agent for the holder's own licences and entrusted use)
GRANT EXECUTE ON FUNCTION ezz.get_data(ezz.licence_ident, text, text, bigint),
	ezz.download(ezz.licence_ident, text, text, interval, bigint)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor, ezz_holder_agent;
-- (the public for publicly disclosed types)
GRANT EXECUTE ON FUNCTION ezz.verify(ezz.licence_ident, text, text, bigint)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor, ezz_holder_agent, ezz_public;
GRANT EXECUTE ON FUNCTION ezz.public_lookup(ezz.licence_ident)
	TO ezz_admin, ezz_issuer, ezz_consumer, ezz_holder_agent, ezz_public, ezz_auditor;
GRANT SELECT ON ezz.authorisations, ezz.annotated_copies TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz._grant_scope() TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor;
GRANT EXECUTE ON FUNCTION ezz.request_analysis(text, text[], text, timestamptz), ezz.analyse(bigint) TO ezz_consumer, ezz_issuer;
GRANT EXECUTE ON FUNCTION ezz.approve_analysis(bigint, boolean, text, timestamptz) TO ezz_admin;
GRANT SELECT ON ezz.analysis_requests TO ezz_admin, ezz_issuer, ezz_consumer, ezz_auditor;
