-- Department binding (SPEC §1): a department application logs in as its own
-- login role; an administrator binds that login to one department, and every
-- function resolves "which department am I" from the session's login, never
-- from an argument.

-- The ezz group roles a role belongs to, directly or through other roles.
-- Superusers are not counted as members of anything.
CREATE FUNCTION ezz._role_groups(role oid) RETURNS text[]
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (WITH RECURSIVE m(roleid) AS (
		SELECT role
		UNION
		SELECT am.roleid FROM pg_catalog.pg_auth_members am JOIN m ON am.member = m.roleid
	)
	SELECT coalesce(pg_catalog.array_agg(r.rolname::text ORDER BY r.rolname), '{}')
	FROM m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
	WHERE r.rolname IN ('ezz_admin', 'ezz_issuer', 'ezz_consumer', 'ezz_holder_agent', 'ezz_public', 'ezz_auditor'));
END
$$;

CREATE FUNCTION ezz.current_department() RETURNS ezz.uscc
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT b.department FROM ezz.login_binding b
			WHERE b.login = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = session_user));
END
$$;
COMMENT ON FUNCTION ezz.current_department() IS 'the department the session''s login is bound to (NULL if unbound, and for holder agent, public and auditor logins)';

-- The calling login's department, or an error: 55000 if the login is not
-- bound or its department is inactive, 42501 if the department is of the
-- wrong kind for the action.
-- (ezz._department_for is what SECURITY DEFINER functions call: no SET
-- clause of its own to save and restore; ezz._require_department wraps it
-- for functions that run with the caller's rights)
CREATE FUNCTION ezz._department_for(wanted ezz.department_kind[], action text) RETURNS ezz.uscc
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	caller name := session_user;
	dept ezz.uscc;
	dept_kinds ezz.department_kind[];
	dept_active boolean;
	dept_successor ezz.uscc;
BEGIN
	SELECT b.department, d.kinds, d.active, d.successor
	INTO dept, dept_kinds, dept_active, dept_successor
	FROM ezz.login_binding b
	JOIN ezz.department d ON d.uscc OPERATOR(ezz.=) b.department
	WHERE b.login = pg_catalog.to_regrole(pg_catalog.quote_ident(caller));
	IF dept IS NULL THEN
		RAISE EXCEPTION 'login "%" is not bound to a department', caller
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = format('%s needs a login bound to a department; unbound department logins can do nothing.', action),
				  HINT = format('An administrator binds it: SELECT ezz.bind_login(%L, ''<unified social credit code>'');', caller);
	END IF;
	IF NOT dept_active THEN
		RAISE EXCEPTION 'department % of login "%" is inactive', dept, caller
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = CASE WHEN dept_successor IS NULL THEN 'An inactive department can do nothing in ezz.'
						   ELSE format('Its successor is %s, which manages its licences.', dept_successor) END,
				  HINT = 'An administrator binds the login to the active department.';
	END IF;
	IF NOT (dept_kinds && wanted) THEN
		RAISE EXCEPTION 'department % may not do this: %', dept, action
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = format('Its kinds are %s; %s needs one of %s.', dept_kinds, action, wanted);
	END IF;
	RETURN dept;
END
$$;

CREATE FUNCTION ezz._require_department(wanted ezz.department_kind[], action text) RETURNS ezz.uscc
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN ezz._department_for(wanted, action);
END
$$;

-- whether the session's login is a superuser (C: from the role cache)
CREATE FUNCTION ezz._session_is_superuser() RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_session_is_superuser' LANGUAGE C STABLE;

CREATE FUNCTION ezz.bind_login(login regrole, department ezz.uscc) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	role_name name;
	role_login boolean;
	groups text[];
	dept_kinds ezz.department_kind[];
	dept_active boolean;
	g text;
	needed ezz.department_kind[];
BEGIN
	IF bind_login.login IS NULL OR bind_login.department IS NULL THEN
		RAISE EXCEPTION 'ezz.bind_login: % must not be NULL', CASE WHEN bind_login.login IS NULL THEN 'login' ELSE 'department' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT ezz._session_is_superuser() THEN
		PERFORM ezz._department_for(ARRAY['management']::ezz.department_kind[], 'binding a login');
	END IF;

	SELECT r.rolname, r.rolcanlogin INTO role_name, role_login FROM pg_catalog.pg_roles r WHERE r.oid = bind_login.login;
	IF role_name IS NULL THEN
		RAISE EXCEPTION 'role with OID % does not exist', bind_login.login::oid USING ERRCODE = 'undefined_object';
	END IF;
	IF NOT role_login THEN
		RAISE EXCEPTION 'role "%" cannot log in', role_name
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Only login roles are bound to a department; group roles are not.',
				  HINT = 'Create a login for the department application, e.g. CREATE ROLE app LOGIN IN ROLE ezz_issuer.';
	END IF;
	groups := ARRAY(SELECT unnest(ezz._role_groups(bind_login.login))
					INTERSECT SELECT unnest(ARRAY['ezz_admin', 'ezz_issuer', 'ezz_consumer']));
	IF cardinality(groups) = 0 THEN
		RAISE EXCEPTION 'role "%" is not a member of ezz_admin, ezz_issuer or ezz_consumer', role_name
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Only department logins are bound; ezz_holder_agent, ezz_public and ezz_auditor act through their group alone.',
				  HINT = format('GRANT ezz_issuer (or ezz_consumer, ezz_admin) TO %I first.', role_name);
	END IF;

	SELECT d.kinds, d.active INTO dept_kinds, dept_active
	FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) bind_login.department;
	IF dept_kinds IS NULL THEN
		RAISE EXCEPTION 'department % does not exist', bind_login.department
			USING ERRCODE = 'foreign_key_violation',
				  HINT = 'An administrator adds it to ezz.department first.';
	END IF;
	IF NOT dept_active THEN
		RAISE EXCEPTION 'department % is inactive', bind_login.department
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Bind the login to the department that succeeded it.';
	END IF;
	FOREACH g IN ARRAY groups LOOP
		needed := CASE g WHEN 'ezz_admin' THEN ARRAY['management']
						 WHEN 'ezz_issuer' THEN ARRAY['issuer', 'authority']
						 ELSE ARRAY['user'] END::ezz.department_kind[];
		IF NOT (dept_kinds && needed) THEN
			RAISE EXCEPTION 'login "%" is in % but department % is not a % department', role_name, g, bind_login.department,
				array_to_string(needed, ' or ')
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = format('The department''s kinds are %s.', dept_kinds);
		END IF;
	END LOOP;

	INSERT INTO ezz.login_binding AS b (login, department, bound_at, bound_by)
	VALUES (bind_login.login, bind_login.department, now(), session_user)
	ON CONFLICT ON CONSTRAINT login_binding_pkey
	DO UPDATE SET department = EXCLUDED.department, bound_at = EXCLUDED.bound_at, bound_by = EXCLUDED.bound_by;
END
$$;
COMMENT ON FUNCTION ezz.bind_login(regrole, ezz.uscc) IS 'bind a department login role to its department (management only; rebinding moves the login)';

CREATE FUNCTION ezz.unbind_login(login regrole) RETURNS boolean
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF unbind_login.login IS NULL THEN
		RAISE EXCEPTION 'ezz.unbind_login: login must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT ezz._session_is_superuser() THEN
		PERFORM ezz._department_for(ARRAY['management']::ezz.department_kind[], 'unbinding a login');
	END IF;
	DELETE FROM ezz.login_binding b WHERE b.login = unbind_login.login;
	RETURN FOUND;
END
$$;
COMMENT ON FUNCTION ezz.unbind_login(regrole) IS 'remove a login''s department binding; true if there was one (management only)';

-- Statement guard on the tables ezz_admin edits with plain SQL: the editor
-- must be a bound management login.  ezz's own functions (running as
-- ezz_owner) and superusers (restore, maintenance) pass.  Invoker's rights,
-- so that current_user is the role that runs the statement.
CREATE FUNCTION ezz._guard_admin_dml() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF current_user = 'ezz_owner' OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
		RETURN NULL;
	END IF;
	PERFORM ezz._require_department(ARRAY['management']::ezz.department_kind[],
									format('%s on %s', TG_OP, TG_TABLE_NAME));
	RETURN NULL;
END
$$;

-- Industry authorities define the licence types of their industry: only types
-- whose code starts with their own unified social credit code.
CREATE FUNCTION ezz.define_type(
	code text,
	name text,
	category text,
	holder_types text[],
	legal_basis text,
	field_schema jsonb,
	disclosure text DEFAULT 'conditional',
	data_level integer DEFAULT 2,
	default_validity interval DEFAULT NULL,
	annual_inspection boolean DEFAULT false,
	service_items text[] DEFAULT '{}',
	aggregation text DEFAULT 'interface')
	RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dept ezz.uscc := ezz._department_for(ARRAY['authority']::ezz.department_kind[], 'defining a licence type');
	tc ezz.type_code;
BEGIN
	IF code IS NULL THEN
		RAISE EXCEPTION 'ezz.define_type: code must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	tc := upper(code);
	IF substr(tc, 1, 18) <> dept::text THEN
		RAISE EXCEPTION 'department % may not define licence type %', dept, tc
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'An industry authority defines only types whose code begins with its own unified social credit code.',
				  HINT = format('Use a code of the form %s001.', dept);
	END IF;
	INSERT INTO ezz.licence_type AS t (code, name, category, authority, holder_types, legal_basis, field_schema,
									   disclosure, data_level, default_validity, annual_inspection, aggregation)
	VALUES (tc, name, category, dept, holder_types, legal_basis, field_schema,
			coalesce(disclosure, 'conditional'), coalesce(data_level, 2), default_validity,
			coalesce(annual_inspection, false), coalesce(aggregation, 'interface'))
	ON CONFLICT ON CONSTRAINT licence_type_pkey DO UPDATE SET
		name = EXCLUDED.name, category = EXCLUDED.category, holder_types = EXCLUDED.holder_types,
		legal_basis = EXCLUDED.legal_basis, field_schema = EXCLUDED.field_schema,
		disclosure = EXCLUDED.disclosure, data_level = EXCLUDED.data_level,
		default_validity = EXCLUDED.default_validity, annual_inspection = EXCLUDED.annual_inspection,
		aggregation = EXCLUDED.aggregation;
	-- the related service items become exactly the ones given
	DELETE FROM ezz.type_service_item l
	WHERE l.type_code = tc AND l.service_item <> ALL (coalesce(define_type.service_items, '{}'));
	INSERT INTO ezz.type_service_item (type_code, service_item)
	SELECT tc, i FROM unnest(coalesce(define_type.service_items, '{}')) i
	ON CONFLICT DO NOTHING;
	RETURN tc;
END
$$;
COMMENT ON FUNCTION ezz.define_type(text, text, text, text[], text, jsonb, text, integer, interval, boolean, text[], text) IS 'define or update a licence type 证照类型 of the calling industry authority 行业主管部门 (type code must start with its own code)';
