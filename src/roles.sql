-- Roles (SPEC §1).  Roles are cluster-wide: create each only if missing, so
-- that a second database in the same cluster can install ezz too.  They are
-- not members of the extension and outlive DROP EXTENSION.
DO $roles$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['ezz_admin', 'ezz_issuer', 'ezz_consumer',
							 'ezz_holder_agent', 'ezz_public', 'ezz_auditor']
	LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;

	-- ezz_owner owns every SECURITY DEFINER function: it must not be a
	-- superuser and must not log in.
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ezz_owner') THEN
		CREATE ROLE ezz_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
	ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles
				  WHERE rolname = 'ezz_owner' AND (rolsuper OR rolcanlogin OR rolbypassrls)) THEN
		RAISE EXCEPTION 'role ezz_owner exists and can log in, is a superuser or bypasses row-level security'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = 'ezz_owner owns every SECURITY DEFINER function of ezz and must be a plain NOLOGIN role.',
				  HINT = 'ALTER ROLE ezz_owner NOLOGIN NOSUPERUSER NOBYPASSRLS, then CREATE EXTENSION ezz again.';
	END IF;
END
$roles$;

COMMENT ON ROLE ezz_admin IS 'ezz management department (电子证照管理部门): catalogue, departments, lists, keys, objections, assessment';
COMMENT ON ROLE ezz_issuer IS 'ezz issuing department (签发部门) or industry authority (行业主管部门); logins bound to one department';
COMMENT ON ROLE ezz_consumer IS 'ezz using department (使用部门); logins bound to one department';
COMMENT ON ROLE ezz_holder_agent IS 'ezz holder agent: the platform front end acting for holders (持证主体)';
COMMENT ON ROLE ezz_public IS 'ezz public lookup (社会公众)';
COMMENT ON ROLE ezz_auditor IS 'ezz auditor / assessor: reports, audit and access logs, ledger verification';
COMMENT ON ROLE ezz_owner IS 'owner of ezz tables and SECURITY DEFINER functions (NOLOGIN, not a superuser)';

GRANT USAGE ON SCHEMA ezz TO ezz_owner, ezz_admin, ezz_issuer, ezz_consumer,
	ezz_holder_agent, ezz_public, ezz_auditor;
-- the schema itself admits no new objects from anyone but its owner
REVOKE CREATE ON SCHEMA ezz FROM PUBLIC;
