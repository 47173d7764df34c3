-- Sharing 共享: who may use a licence, for what, and on whose authority.
--
-- Four modes put a licence in a using department's hands (docs/sharing.md):
--   function 依职能共享  the management department grants a using department a
--                        licence type, for service items and actions, for a period;
--   holder   授权用证    the holder authorises one licence (its lineage: a change
--                        or renewal keeps the grant) or a type of theirs;
--   entrust  委托用证    the holder entrusts a natural person 受托人 with one
--                        licence for one matter (a service item) and period;
--   public   社会公示    the type is disclosed to the public: a property of the
--                        type, not a grant.
-- Every use also needs a usage-list 用证清单 entry for the department, type,
-- service item and action today, a service item and a purpose 用证事由.  Every
-- use call, allowed or refused, is written to the access log with the grant
-- it relied on (access.sql).

------------------------------------------------------------------------------
-- Authorisations 授权
------------------------------------------------------------------------------
CREATE TABLE ezz.authorisation (
	id					bigserial PRIMARY KEY,
	mode				text NOT NULL CHECK (mode IN ('function', 'holder', 'entrust')),
	granted_by			text NOT NULL,
	granted_by_department ezz.uscc REFERENCES ezz.department (uscc),
	granted_by_holder	bigint REFERENCES ezz.holder (id),
	grantee_department	ezz.uscc REFERENCES ezz.department (uscc),
	grantee_id_type		text,
	grantee_blind		bytea,
	grantee_masked		text,
	lineage				ezz.licence_ident,
	type_code			ezz.type_code REFERENCES ezz.licence_type (code),
	holder_id			bigint REFERENCES ezz.holder (id),
	service_items		text[] NOT NULL CHECK (pg_catalog.cardinality(service_items) >= 1),
	actions				text[] NOT NULL CHECK (pg_catalog.cardinality(actions) >= 1
		AND actions <@ ARRAY['view', 'verify', 'data', 'download']),
	clear_values		boolean NOT NULL DEFAULT false,
	valid_from			timestamptz NOT NULL,
	valid_to			timestamptz NOT NULL,
	withdrawn_at		timestamptz,
	withdrawn_by		text,
	created_at			timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CHECK (valid_to > valid_from),
	CHECK (CASE mode
		   WHEN 'function' THEN grantee_department IS NOT NULL AND type_code IS NOT NULL AND lineage IS NULL
								AND holder_id IS NULL AND grantee_blind IS NULL
		   WHEN 'holder' THEN grantee_department IS NOT NULL AND granted_by_holder IS NOT NULL
							  AND (lineage IS NOT NULL OR (type_code IS NOT NULL AND holder_id IS NOT NULL))
		   ELSE grantee_blind IS NOT NULL AND grantee_id_type IS NOT NULL AND grantee_department IS NULL
				AND granted_by_holder IS NOT NULL AND lineage IS NOT NULL
				AND pg_catalog.cardinality(service_items) = 1 END)
);
CREATE INDEX authorisation_grantee_idx ON ezz.authorisation (grantee_department, type_code);
CREATE INDEX authorisation_lineage_idx ON ezz.authorisation (lineage);
CREATE INDEX authorisation_agent_idx ON ezz.authorisation (grantee_blind);
COMMENT ON TABLE ezz.authorisation IS 'authorisations 授权: function-based 依职能共享, holder 授权用证, entrusted 委托用证; through ezz.grant_function_use, ezz.authorise, ezz.entrust, ezz.withdraw';
COMMENT ON COLUMN ezz.authorisation.lineage IS 'the licence, by its first version: a change or renewal keeps the grant';
COMMENT ON COLUMN ezz.authorisation.grantee_blind IS 'the entrusted person 受托人, by the keyed blind index of their identity number';
COMMENT ON COLUMN ezz.authorisation.service_items IS 'service items 事项 the grant serves (for an entrustment: its one matter)';
COMMENT ON COLUMN ezz.authorisation.clear_values IS 'sensitive face fields in clear (else masked 脱敏)';

-- Annotated copies 加注件 made by ezz.download, kept for the file 留档.
CREATE TABLE ezz.annotated_copy (
	id				bigserial PRIMARY KEY,
	licence			ezz.licence_ident NOT NULL REFERENCES ezz.licence (id),
	department		ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	service_item	text NOT NULL,
	purpose			text NOT NULL,
	made_by			text NOT NULL,
	made_at			timestamptz NOT NULL,
	valid_until		timestamptz NOT NULL,
	grant_id		bigint REFERENCES ezz.authorisation (id),
	key_id			bigint NOT NULL REFERENCES ezz.signing_key (key_id),
	annotation		jsonb NOT NULL,
	signature		bytea NOT NULL
);
CREATE INDEX annotated_copy_licence_idx ON ezz.annotated_copy (licence);
COMMENT ON TABLE ezz.annotated_copy IS 'annotated copies 加注件 made by ezz.download: the annotation and its signature, kept for the file 留档';

-- 查询范围: a department's limits, where they differ from ezz.calls_per_minute
-- and ezz.rows_per_call.
CREATE TABLE ezz.use_limit (
	department			ezz.uscc PRIMARY KEY REFERENCES ezz.department (uscc),
	calls_per_minute	integer CHECK (calls_per_minute >= 1),
	rows_per_call		integer CHECK (rows_per_call >= 1),
	note				text
);
COMMENT ON TABLE ezz.use_limit IS 'scope limits 查询范围 per department: use calls a minute and licences a list call may return (NULL: the server default)';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.use_limit', 'reference', true, 'per-department limits on use calls a minute and rows per list call'),
	('ezz.authorisation', 'data', false, 'authorisations, through ezz.grant_function_use, ezz.authorise, ezz.entrust and ezz.withdraw'),
	('ezz.annotated_copy', 'data', false, 'annotated copies 加注件, through ezz.download');
SELECT ezz.audit_table('ezz.use_limit');
SELECT ezz.audit_table('ezz.authorisation');
SELECT ezz.audit_table('ezz.annotated_copy');

CREATE TYPE ezz.licence_summary AS (
	id			ezz.licence_ident,
	type_code	text,
	type_name	text,
	licence_no	text,
	holder_name	text,
	issuer		ezz.uscc,
	issuer_name	text,
	status		ezz.licence_status,
	valid_from	date,
	valid_to	date,
	version		integer
);
COMMENT ON TYPE ezz.licence_summary IS 'one licence as search and find list it: holder names masked 脱敏 for using departments';

------------------------------------------------------------------------------
-- The holder context: which holder the platform front end acts for
------------------------------------------------------------------------------
-- The acting identity lives in the transaction-local setting
-- ezz.acting_holder as "<id type>:<blind>,<blind>..." (the blind index of the
-- identity number under every master key version: nothing in clear).
CREATE FUNCTION ezz.act_for_holder(id_type text, id text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	blinds bytea[];
BEGIN
	IF NOT pg_has_role(session_user, 'ezz_holder_agent', 'MEMBER') THEN
		RAISE EXCEPTION 'only the holder agent acts for holders' USING ERRCODE = 'insufficient_privilege',
			DETAIL = 'ezz.act_for_holder is for the platform front end (ezz_holder_agent), which has authenticated the person.';
	END IF;
	IF act_for_holder.id_type IS NULL OR act_for_holder.id IS NULL THEN
		RAISE EXCEPTION 'ezz.act_for_holder: the identity type and number must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	blinds := ezz._holder_blinds(act_for_holder.id_type, act_for_holder.id);
	PERFORM set_config('ezz.acting_holder',
					   act_for_holder.id_type || ':' || array_to_string(ARRAY(SELECT encode(b, 'hex') FROM unnest(blinds) b), ','),
					   true);
END
$$;
COMMENT ON FUNCTION ezz.act_for_holder(text, text) IS 'the holder agent says which holder (or entrusted person) it acts for, until the transaction ends';

-- The acting identity, or 42501 saying why there is none.
CREATE FUNCTION ezz._acting(OUT id_type text, OUT blinds bytea[])
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	v text := current_setting('ezz.acting_holder', true);
BEGIN
	IF NOT pg_has_role(session_user, 'ezz_holder_agent', 'MEMBER') THEN
		RAISE EXCEPTION 'only the holder agent acts for holders' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF v IS NULL OR v = '' OR position(':' IN v) = 0 THEN
		RAISE EXCEPTION 'the holder agent has not said which holder it acts for' USING ERRCODE = 'insufficient_privilege',
			HINT = 'Call ezz.act_for_holder(id_type, id) first, in the same transaction.';
	END IF;
	id_type := split_part(v, ':', 1);
	blinds := ARRAY(SELECT decode(b, 'hex') FROM unnest(string_to_array(split_part(v, ':', 2), ',')) b);
END
$$;

-- The holder rows of the acting identity (one, or none if it holds nothing).
-- (The helpers on the path of every using call are PL/pgSQL, not SQL: a SQL
-- function that is not inlined is planned again in every transaction, a
-- PL/pgSQL one once a session.)
CREATE FUNCTION ezz._acting_holders() RETURNS bigint[]
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT coalesce(array_agg(h.id), '{}') FROM ezz._acting() a
			JOIN ezz.holder h ON h.id_type = a.id_type AND h.id_blind = ANY (a.blinds));
END
$$;

-- The holders of a licence, and the people identified through them (a
-- newborn's parent acts for the newborn's licences).
CREATE FUNCTION ezz._licence_holders(lid ezz.licence_ident) RETURNS bigint[]
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
		SELECT h.holder_id AS id FROM ezz.licence_holder h WHERE h.licence OPERATOR(ezz.=) lid
		UNION ALL
		SELECT r.related_holder FROM ezz.licence_holder h JOIN ezz.holder r ON r.id = h.holder_id
		WHERE h.licence OPERATOR(ezz.=) lid AND r.related_holder IS NOT NULL) x);
END
$$;

-- The licence, or 42501 if the acting holder does not hold it.
CREATE FUNCTION ezz._require_own_licence(lid ezz.licence_ident, action text) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM ezz.licence l WHERE l.id OPERATOR(ezz.=) lid) THEN
		RAISE EXCEPTION 'licence % does not exist', lid USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT (ezz._licence_holders(lid) && ezz._acting_holders()) THEN
		RAISE EXCEPTION 'licence % does not belong to the holder the agent acts for', lid
			USING ERRCODE = 'insufficient_privilege', DETAIL = format('Only its holder may %s it.', action);
	END IF;
END
$$;

------------------------------------------------------------------------------
-- The decision: may this caller use this licence for this action?
------------------------------------------------------------------------------
CREATE TYPE ezz._use_decision AS (
	allowed		boolean,
	grant_id	bigint,
	clear		boolean,
	errcode		text,
	message		text,
	detail		text,
	hint		text,
	department	ezz.uscc		-- the caller's, for its access record (NULL: not a department login)
);

-- What every use call of a department login needs to know, in one query:
-- its binding and department, its limits, and whether the usage list
-- 用证清单 has (type, item, action) today (type NULL, for a list call of
-- every type: some type).  No row for an unbound login.  A SQL function, so
-- that the decision's saved plans (use.c) inline it and plan it once a
-- session.
CREATE FUNCTION ezz._caller_facts(type_code text, action text, service_item text)
	RETURNS TABLE (dept ezz.uscc, kinds ezz.department_kind[], active boolean, successor ezz.uscc,
				   calls_per_minute integer, rows_per_call integer, on_usage_list boolean)
	LANGUAGE sql STABLE AS $$
	SELECT b.department, d.kinds, d.active, d.successor, lim.calls_per_minute, lim.rows_per_call,
		   EXISTS (SELECT FROM ezz.usage_list u
				   WHERE u.department OPERATOR(ezz.=) b.department
					 AND (_caller_facts.type_code IS NULL OR u.type_code = _caller_facts.type_code)
					 AND u.service_item = _caller_facts.service_item AND _caller_facts.action = ANY (u.actions)
					 AND u.valid_from <= ezz.today() AND (u.valid_to IS NULL OR u.valid_to >= ezz.today()))
	FROM ezz.login_binding b
	JOIN ezz.department d ON d.uscc OPERATOR(ezz.=) b.department
	LEFT JOIN ezz.use_limit lim ON lim.department OPERATOR(ezz.=) b.department
	WHERE b.login = pg_catalog.to_regrole(pg_catalog.quote_ident(session_user))
$$;

-- A backend keeps the caller's facts it read (use.c) until one of the
-- tables they come from changes: each has the statement trigger that tells
-- every backend to read them again once the change commits
-- (ezz._kept_rows_changed, ledger.sql, as ezz.login_binding has).  ENABLE
-- ALWAYS: replication apply and replica mode fire it.
SELECT ezz._trigger_always(t, 'kept_rows_changed',
	'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON $table FOR EACH STATEMENT EXECUTE FUNCTION ezz._kept_rows_changed()')
FROM pg_catalog.unnest('{ezz.department,ezz.usage_list,ezz.use_limit}'::regclass[]) t;

-- ... and, for one licence, what the caller's facts (read for the licence's
-- type) do not say: the type's disclosure, the issuer's successor and the
-- best live grant to the caller's department dept.  Read on every use, never
-- kept: a grant lives by the clock.
CREATE FUNCTION ezz._licence_facts(dept ezz.uscc, lid ezz.licence_ident, type_code text, action text, service_item text)
	RETURNS TABLE (disclosure text, issuer_successor ezz.uscc, grant_id bigint, grant_clear boolean)
	LANGUAGE sql STABLE AS $$
	SELECT (SELECT t.disclosure FROM ezz.licence_type t WHERE t.code::text = _licence_facts.type_code),
		   (SELECT i.successor FROM ezz.department i WHERE i.uscc OPERATOR(ezz.=) ezz.ident_issuer(_licence_facts.lid)),
		   g.id, g.clear_values
	FROM (VALUES (true)) one (x)
	-- a live grant covering the use (the one with clear values first); the
	-- licence's holders (and the people identified through them) are read
	-- only for a grant on a type for one holder, once (an init plan, run when
	-- first needed): a function-based grant or a grant on the licence's
	-- lineage needs none (among 10 M licences each of those look-ups was a
	-- page read from disk)
	LEFT JOIN LATERAL (SELECT a.id, a.clear_values FROM ezz.authorisation a
		WHERE a.grantee_department OPERATOR(ezz.=) _licence_facts.dept AND a.withdrawn_at IS NULL
		  AND a.valid_from <= pg_catalog.now() AND pg_catalog.now() < a.valid_to
		  AND _licence_facts.action = ANY (a.actions) AND _licence_facts.service_item = ANY (a.service_items)
		  AND (a.lineage OPERATOR(ezz.=) ezz.ident_with_version(_licence_facts.lid, 1)
			   OR (a.lineage IS NULL AND a.type_code = ezz.ident_type_code(_licence_facts.lid)
				   AND (a.holder_id IS NULL
						OR a.holder_id = ANY ((SELECT ezz._licence_holders(_licence_facts.lid))::bigint[]))))
		ORDER BY a.clear_values DESC, a.id LIMIT 1) g ON true
$$;

-- Why a named grant does not cover the use, or NULL if it does.
CREATE FUNCTION ezz._grant_problem(g ezz.authorisation, lid ezz.licence_ident, holders bigint[], action text,
								   service_item text, at timestamptz) RETURNS text
	LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN g.withdrawn_at IS NOT NULL THEN format('grant %s was withdrawn at %s', g.id, g.withdrawn_at)
		WHEN at < g.valid_from THEN format('grant %s is valid from %s', g.id, g.valid_from)
		WHEN at >= g.valid_to THEN format('grant %s expired at %s', g.id, g.valid_to)
		-- (coalesce: a type grant has no lineage, and NULL must not pass)
		WHEN NOT (coalesce(g.lineage OPERATOR(ezz.=) ezz.ident_with_version(lid, 1), false)
				  OR (g.lineage IS NULL AND g.type_code = ezz.ident_type_code(lid)
					  AND (g.holder_id IS NULL OR coalesce(g.holder_id = ANY (holders), false))))
			THEN format('grant %s does not cover licence %s', g.id, lid)
		WHEN NOT coalesce(service_item = ANY (g.service_items), false)
			THEN format('grant %s does not cover service item %s', g.id, service_item)
		WHEN NOT coalesce(action = ANY (g.actions), false) THEN format('grant %s does not allow %s', g.id, action)
	END
$$;

CREATE FUNCTION ezz._refusal(errcode text, message text, detail text DEFAULT NULL, hint text DEFAULT NULL)
	RETURNS ezz._use_decision
	LANGUAGE sql IMMUTABLE AS $$
	SELECT ROW(false, NULL, false, errcode, message, detail, hint, NULL)::ezz._use_decision
$$;

CREATE FUNCTION ezz._allowed(grant_id bigint, clear boolean) RETURNS ezz._use_decision
	LANGUAGE sql IMMUTABLE AS $$
	SELECT ROW(true, grant_id, clear, NULL, NULL, NULL, NULL, NULL)::ezz._use_decision
$$;

-- The decision for one licence.  action is the usage-list action (view,
-- verify, data, download); count_call counts the call against the
-- department's calls a minute (first, before anything else is checked).
-- Never raises for a refusal: search filters with it; ezz._use raises.
-- (use.c, like the rest of the decision)
CREATE FUNCTION ezz._decide(lid ezz.licence_ident, action text, service_item text, purpose text, grant_id bigint,
							count_call boolean DEFAULT false) RETURNS ezz._use_decision
	AS 'MODULE_PATHNAME', 'ezz_use_decide' LANGUAGE C VOLATILE;

-- Record a use call in the access log (outside this transaction) and raise
-- if it was refused.
CREATE FUNCTION ezz._log_use(log_action text, lid ezz.licence_ident, service_item text, purpose text,
							 d ezz._use_decision, defer boolean DEFAULT false) RETURNS void
	AS 'MODULE_PATHNAME', 'ezz_use_log_use' LANGUAGE C VOLATILE;

CREATE FUNCTION ezz._rate_take(department text, per_minute integer) RETURNS integer
	AS 'MODULE_PATHNAME', 'ezz_rate_take' LANGUAGE C VOLATILE;

-- The caller's department's limits: its ezz.use_limit row, else the settings.
CREATE FUNCTION ezz._limits(dept ezz.uscc, OUT calls_per_minute integer, OUT rows_per_call integer)
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	SELECT l.calls_per_minute, l.rows_per_call INTO calls_per_minute, rows_per_call
	FROM ezz.use_limit l WHERE l.department OPERATOR(ezz.=) dept;
	calls_per_minute := coalesce(calls_per_minute, current_setting('ezz.calls_per_minute')::integer);
	rows_per_call := coalesce(rows_per_call, current_setting('ezz.rows_per_call')::integer);
END
$$;

-- The decision for one licence, recorded; raises if refused.
CREATE FUNCTION ezz._use(lid ezz.licence_ident, log_action text, action text, service_item text, purpose text,
						 grant_id bigint, count_call boolean DEFAULT true, defer boolean DEFAULT false)
	RETURNS ezz._use_decision
	AS 'MODULE_PATHNAME', 'ezz_use_use' LANGUAGE C VOLATILE;

------------------------------------------------------------------------------
-- Granting and withdrawing
------------------------------------------------------------------------------
-- Checks shared by every grant: actions, period, service items.
CREATE FUNCTION ezz._grant_check(fn text, actions text[], service_items text[], valid_from timestamptz,
								 valid_to timestamptz) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	bad text;
BEGIN
	IF actions IS NULL OR service_items IS NULL OR valid_from IS NULL OR valid_to IS NULL THEN
		RAISE EXCEPTION '%: actions, service items and the period must not be NULL', fn USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF cardinality(actions) = 0 OR array_position(actions, NULL) IS NOT NULL
	   OR NOT actions <@ ARRAY['view', 'verify', 'data', 'download'] THEN
		RAISE EXCEPTION '%: actions % are not among view, verify, data, download', fn, actions
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF cardinality(service_items) = 0 OR array_position(service_items, NULL) IS NOT NULL THEN
		RAISE EXCEPTION '%: name at least one service item', fn USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT i INTO bad FROM unnest(service_items) i WHERE NOT EXISTS (SELECT FROM ezz.service_item s WHERE s.code::text = i) LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION '%: service item % does not exist', fn, bad USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF valid_to <= valid_from OR valid_to <= now() THEN
		RAISE EXCEPTION '%: the period % to % is empty or over', fn, valid_from, valid_to
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF valid_to > valid_from + interval '10 years' THEN
		RAISE EXCEPTION '%: a grant lasts at most 10 years', fn USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

-- A using department, or 22023/23503 saying why not.
CREATE FUNCTION ezz._require_user_department(fn text, dept ezz.uscc) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	d record;
BEGIN
	IF dept IS NULL THEN
		RAISE EXCEPTION '%: the department must not be NULL', fn USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT x.kinds, x.active INTO d FROM ezz.department x WHERE x.uscc OPERATOR(ezz.=) dept;
	IF NOT FOUND THEN
		RAISE EXCEPTION '%: department % does not exist', fn, dept USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF NOT 'user' = ANY (d.kinds) OR NOT d.active THEN
		RAISE EXCEPTION '%: department % is not an active using department 使用部门', fn, dept
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

-- 依职能共享: the management department lets a using department use a type,
-- by its legal function, for these service items and actions.
CREATE FUNCTION ezz.grant_function_use(department ezz.uscc, type_code text, service_items text[], actions text[],
									   valid_from timestamptz, valid_to timestamptz, clear_values boolean DEFAULT false)
	RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	mgmt ezz.uscc;
	new_id bigint;
BEGIN
	mgmt := ezz._department_for(ARRAY['management']::ezz.department_kind[], 'granting function-based use');
	PERFORM ezz._require_user_department('ezz.grant_function_use', grant_function_use.department);
	IF type_code IS NULL THEN
		RAISE EXCEPTION 'ezz.grant_function_use: type_code must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT FROM ezz.licence_type t WHERE t.code::text = grant_function_use.type_code) THEN
		RAISE EXCEPTION 'ezz.grant_function_use: licence type % does not exist', type_code USING ERRCODE = 'foreign_key_violation';
	END IF;
	PERFORM ezz._grant_check('ezz.grant_function_use', actions, service_items, valid_from, valid_to);
	INSERT INTO ezz.authorisation (mode, granted_by, granted_by_department, grantee_department, type_code, service_items,
								   actions, clear_values, valid_from, valid_to)
	VALUES ('function', session_user, mgmt, grant_function_use.department, grant_function_use.type_code,
			grant_function_use.service_items, grant_function_use.actions, coalesce(clear_values, false),
			grant_function_use.valid_from, grant_function_use.valid_to)
	RETURNING id INTO new_id;
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION ezz.grant_function_use(ezz.uscc, text, text[], text[], timestamptz, timestamptz, boolean) IS 'function-based sharing 依职能共享: management lets a using department use a licence type for service items and actions in a period';

-- 授权用证: the holder authorises a using department to use one licence (its
-- lineage) for one service item and these actions, until valid_to.
CREATE FUNCTION ezz.authorise(licence ezz.licence_ident, grantee_department ezz.uscc, service_item text, actions text[],
							  valid_to timestamptz) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	new_id bigint;
BEGIN
	IF authorise.licence IS NULL THEN
		RAISE EXCEPTION 'ezz.authorise: licence must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._require_own_licence(authorise.licence, 'authorise the use of');
	PERFORM ezz._require_user_department('ezz.authorise', grantee_department);
	PERFORM ezz._grant_check('ezz.authorise', actions, ARRAY[service_item], now(), valid_to);
	INSERT INTO ezz.authorisation (mode, granted_by, granted_by_holder, grantee_department, lineage, service_items,
								   actions, valid_from, valid_to)
	SELECT 'holder', session_user, h, authorise.grantee_department, ezz.ident_with_version(authorise.licence, 1),
		   ARRAY[authorise.service_item], authorise.actions, now(), authorise.valid_to
	FROM unnest(ezz._licence_holders(authorise.licence)) h WHERE h = ANY (ezz._acting_holders()) LIMIT 1
	RETURNING id INTO new_id;
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION ezz.authorise(ezz.licence_ident, ezz.uscc, text, text[], timestamptz) IS 'holder authorisation 授权用证: the acting holder lets a using department use one licence (and its later versions) for a service item';

-- 授权用证 on a type: the holder authorises a using department to use every
-- licence of a type the holder holds — those issued later too — for one
-- service item and these actions, until valid_to.
CREATE FUNCTION ezz.authorise_type(type_code text, grantee_department ezz.uscc, service_item text, actions text[],
								   valid_to timestamptz) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	holder bigint;
	new_id bigint;
BEGIN
	IF authorise_type.type_code IS NULL THEN
		RAISE EXCEPTION 'ezz.authorise_type: type_code must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	holder := (ezz._acting_holders())[1];
	IF holder IS NULL THEN
		RAISE EXCEPTION 'the holder the agent acts for holds no licence in this library' USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT EXISTS (SELECT FROM ezz.licence_type t WHERE t.code::text = authorise_type.type_code) THEN
		RAISE EXCEPTION 'ezz.authorise_type: licence type % does not exist', authorise_type.type_code
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	PERFORM ezz._require_user_department('ezz.authorise_type', grantee_department);
	PERFORM ezz._grant_check('ezz.authorise_type', actions, ARRAY[service_item], now(), valid_to);
	INSERT INTO ezz.authorisation (mode, granted_by, granted_by_holder, grantee_department, type_code, holder_id,
								   service_items, actions, valid_from, valid_to)
	VALUES ('holder', session_user, holder, authorise_type.grantee_department, authorise_type.type_code, holder,
			ARRAY[authorise_type.service_item], authorise_type.actions, now(), authorise_type.valid_to)
	RETURNING id INTO new_id;
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION ezz.authorise_type(text, ezz.uscc, text, text[], timestamptz) IS 'holder authorisation 授权用证 on a type: the acting holder lets a using department use every licence of the type the holder holds, for a service item';

-- 委托用证: the holder entrusts a natural person with one licence for one
-- matter (a service item) and period.
CREATE FUNCTION ezz.entrust(licence ezz.licence_ident, agent_id_type text, agent_id text, matter text,
							valid_from timestamptz, valid_to timestamptz) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p record;
	new_id bigint;
BEGIN
	IF entrust.licence IS NULL OR agent_id_type IS NULL OR agent_id IS NULL OR matter IS NULL THEN
		RAISE EXCEPTION 'ezz.entrust: licence, the agent''s identity and the matter must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM ezz._require_own_licence(entrust.licence, 'entrust');
	IF agent_id_type NOT IN ('111', '414', '516', '999') THEN
		RAISE EXCEPTION 'ezz.entrust: the entrusted person 受托人 is a natural person; identity type % is not a person''s', agent_id_type
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM ezz._grant_check('ezz.entrust', ARRAY['view', 'verify', 'data', 'download'], ARRAY[matter], valid_from, valid_to);
	-- (the blind index under the current master key; masked for display)
	SELECT x.id_blind, x.id_masked INTO p FROM ezz._holder_protect(agent_id_type, agent_id) x;
	IF EXISTS (SELECT FROM ezz.holder h WHERE h.id = ANY (ezz._acting_holders()) AND h.id_type = agent_id_type
			   AND h.id_blind = ANY (ezz._holder_blinds(agent_id_type, agent_id))) THEN
		RAISE EXCEPTION 'ezz.entrust: a holder does not entrust themselves' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO ezz.authorisation (mode, granted_by, granted_by_holder, grantee_id_type, grantee_blind, grantee_masked,
								   lineage, service_items, actions, valid_from, valid_to)
	SELECT 'entrust', session_user, h, agent_id_type, p.id_blind, p.id_masked, ezz.ident_with_version(entrust.licence, 1),
		   ARRAY[matter], ARRAY['view', 'verify', 'data', 'download'], entrust.valid_from, entrust.valid_to
	FROM unnest(ezz._licence_holders(entrust.licence)) h WHERE h = ANY (ezz._acting_holders()) LIMIT 1
	RETURNING id INTO new_id;
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION ezz.entrust(ezz.licence_ident, text, text, text, timestamptz, timestamptz) IS 'entrusted use 委托用证: the acting holder lets a natural person use one licence for one matter (service item) in a period';

-- Withdraw a grant: the holder who gave it (through the agent), or the
-- management department for function-based grants.
CREATE FUNCTION ezz.withdraw(grant_id bigint) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	g ezz.authorisation;
BEGIN
	IF grant_id IS NULL THEN
		RAISE EXCEPTION 'ezz.withdraw: grant_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT * INTO g FROM ezz.authorisation a WHERE a.id = withdraw.grant_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'grant % does not exist', grant_id USING ERRCODE = 'no_data_found';
	END IF;
	IF g.mode = 'function' THEN
		PERFORM ezz._department_for(ARRAY['management']::ezz.department_kind[], 'withdrawing function-based use');
	ELSIF NOT g.granted_by_holder = ANY (ezz._acting_holders()) THEN
		RAISE EXCEPTION 'grant % was not given by the holder the agent acts for', grant_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF g.withdrawn_at IS NOT NULL THEN
		RAISE EXCEPTION 'grant % was already withdrawn at %', grant_id, g.withdrawn_at
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	UPDATE ezz.authorisation a SET withdrawn_at = now(), withdrawn_by = session_user WHERE a.id = withdraw.grant_id;
END
$$;
COMMENT ON FUNCTION ezz.withdraw(bigint) IS 'withdraw a grant: the holder who gave it, or management for function-based grants';

------------------------------------------------------------------------------
-- Presenting a licence: summaries, masked face data
------------------------------------------------------------------------------
-- The face as a caller may see it: sensitive fields masked 脱敏 (by the
-- field's mask kind) unless clear; for the public, only public fields.
CREATE FUNCTION ezz._face_view(type_code text, face jsonb, clear boolean, public_only boolean,
							   OUT face_shown jsonb, OUT masked text[])
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	SELECT coalesce(jsonb_object_agg(f->>'name',
				CASE WHEN coalesce((f->>'sensitive')::boolean, false) AND NOT clear AND face->(f->>'name') <> 'null'
					 THEN to_jsonb(ezz.mask(CASE jsonb_typeof(face->(f->>'name')) WHEN 'string' THEN face->>(f->>'name')
												ELSE (face->(f->>'name'))::text END,
											coalesce(f->>'mask', 'text')))
					 ELSE face->(f->>'name') END)
				FILTER (WHERE face ? (f->>'name')), '{}'),
		   coalesce(array_agg(f->>'name' ORDER BY o)
				FILTER (WHERE face ? (f->>'name') AND coalesce((f->>'sensitive')::boolean, false) AND NOT clear
						AND face->(f->>'name') <> 'null'), '{}')
	INTO face_shown, masked
	FROM ezz.licence_type t, jsonb_array_elements(t.field_schema) WITH ORDINALITY x(f, o)
	WHERE t.code::text = _face_view.type_code
	  AND (NOT public_only OR coalesce((f->>'public')::boolean, false));
END
$$;

-- A holder's name as shown: a natural person's masked 脱敏 unless clear; an
-- organisation's name is public record.
CREATE FUNCTION ezz._holder_name(kind text, name text, clear boolean) RETURNS text
	LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN clear OR kind <> 'natural_person' THEN name ELSE ezz.mask(name, 'name') END
$$;

-- A licence as a list shows it.  The holders' names are the signed
-- document's, in its order: the names the licence bears (a holder renamed
-- since keeps its old name on its older licences), and read from the
-- licence's own row (among 10 M licences, reading them through the links and
-- the holders' rows was two more page reads from disk a licence).  A SQL
-- function: list calls' saved plan (search.c) inlines it.
CREATE FUNCTION ezz._summary_of(id ezz.licence_ident, type_code text, licence_no text, document jsonb, issuer ezz.uscc,
								status ezz.licence_status, valid_from date, valid_to date, version integer)
	RETURNS TABLE (summary ezz.licence_summary, holders_clear text)
	LANGUAGE sql STABLE AS $$
	SELECT ROW(_summary_of.id, _summary_of.type_code,
			   (SELECT t.name FROM ezz.licence_type t WHERE t.code::text = _summary_of.type_code),
			   _summary_of.licence_no, n.masked, _summary_of.issuer,
			   (SELECT d.name FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) _summary_of.issuer),
			   ezz._effective_status(_summary_of.status, _summary_of.valid_to), _summary_of.valid_from, _summary_of.valid_to,
			   _summary_of.version)::ezz.licence_summary, n.clear
	FROM (SELECT string_agg(ezz._holder_name(x.h->>'kind', x.h->>'name', false), '、' ORDER BY x.o) AS masked,
				 string_agg(ezz._holder_name(x.h->>'kind', x.h->>'name', true), '、' ORDER BY x.o) AS clear
		  FROM pg_catalog.jsonb_array_elements(_summary_of.document->'holders') WITH ORDINALITY x(h, o)) n
$$;
CREATE FUNCTION ezz._summary_lines(lid ezz.licence_ident) RETURNS TABLE (summary ezz.licence_summary, holders_clear text)
	LANGUAGE sql STABLE AS $$
	SELECT s.summary, s.holders_clear
	FROM ezz.licence l,
		 LATERAL ezz._summary_of(l.id, l.type_code, l.licence_no, l.document, l.issuer, l.status, l.valid_from, l.valid_to,
								 l.version) s
	WHERE l.id OPERATOR(ezz.=) _summary_lines.lid
$$;
-- ... the holders' names masked 脱敏 unless clear
CREATE FUNCTION ezz._summary(lid ezz.licence_ident, clear boolean) RETURNS SETOF ezz.licence_summary
	LANGUAGE sql STABLE AS $$
	SELECT (s.summary).id, (s.summary).type_code, (s.summary).type_name, (s.summary).licence_no,
		   CASE WHEN _summary.clear THEN s.holders_clear ELSE (s.summary).holder_name END,
		   (s.summary).issuer, (s.summary).issuer_name, (s.summary).status, (s.summary).valid_from, (s.summary).valid_to,
		   (s.summary).version
	FROM ezz._summary_lines(_summary.lid) s
$$;

-- A search's candidates (search.c), in one query: a holder identity's
-- current licences (as ezz._holder_licences finds them), each with what its
-- decision for the caller's department dept needs beyond the caller's facts
-- (ezz._licence_facts) and the licence as the list shows it, holders masked
-- and in clear (ezz._summary_of).  In no order: search.c sorts them.
CREATE FUNCTION ezz._holder_candidates(id_type text, blinds bytea[], type_code text, dept ezz.uscc, action text,
									   service_item text)
	RETURNS TABLE (id ezz.licence_ident, disclosure text, issuer_successor ezz.uscc, grant_id bigint, grant_clear boolean,
				   summary ezz.licence_summary, holders_clear text)
	LANGUAGE sql STABLE AS $$
	SELECT l.id, f.disclosure, f.issuer_successor, f.grant_id, f.grant_clear, s.summary, s.holders_clear
	FROM ezz.holder h
	JOIN ezz.licence_holder lh ON lh.holder_id = h.id
	JOIN ezz.licence l ON l.id OPERATOR(ezz.=) lh.licence
	CROSS JOIN LATERAL ezz._summary_of(l.id, l.type_code, l.licence_no, l.document, l.issuer, l.status, l.valid_from,
									   l.valid_to, l.version) s
	LEFT JOIN LATERAL ezz._licence_facts(_holder_candidates.dept, l.id, l.type_code, _holder_candidates.action,
										 _holder_candidates.service_item) f ON true
	WHERE h.id_type = _holder_candidates.id_type AND h.id_blind = ANY (_holder_candidates.blinds) AND l.superseded_by IS NULL
	  AND (_holder_candidates.type_code IS NULL OR l.type_code = _holder_candidates.type_code)
$$;

------------------------------------------------------------------------------
-- Holder side (through ezz_holder_agent, after ezz.act_for_holder)
------------------------------------------------------------------------------
CREATE FUNCTION ezz.my_licences() RETURNS SETOF ezz.licence_summary
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	mine bigint[] := ezz._acting_holders();
BEGIN
	RETURN QUERY
	SELECT s.* FROM ezz.licence l, ezz._summary(l.id, true) s
	WHERE l.superseded_by IS NULL
	  AND l.id OPERATOR(ezz.=) ANY (ARRAY(
		SELECT lh.licence FROM ezz.licence_holder lh LEFT JOIN ezz.holder h ON h.id = lh.holder_id
		WHERE lh.holder_id = ANY (mine) OR h.related_holder = ANY (mine)))
	ORDER BY l.type_code, l.id;
END
$$;
COMMENT ON FUNCTION ezz.my_licences() IS 'the acting holder''s licences (current versions), for the holder agent';

CREATE FUNCTION ezz.my_access_history(from_at timestamptz, to_at timestamptz)
	RETURNS TABLE (at timestamptz, department ezz.uscc, department_name text, action text, licence ezz.licence_ident,
				   service_item text, purpose text, grant_id bigint, allowed boolean)
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	mine bigint[] := ezz._acting_holders();
BEGIN
	IF from_at IS NULL OR to_at IS NULL THEN
		RAISE EXCEPTION 'ezz.my_access_history: the period must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF to_at < from_at OR to_at - from_at > interval '3 years 1 day' THEN
		RAISE EXCEPTION 'ezz.my_access_history: the period % to % is reversed or longer than 3 years', from_at, to_at
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	SELECT a.at, a.department, d.name, a.action, a.licence, a.service_item, a.purpose, a.grant_id, a.allowed
	FROM ezz.access_log a LEFT JOIN ezz.department d ON d.uscc OPERATOR(ezz.=) a.department
	WHERE a.at >= from_at AND a.at < to_at
	  AND a.licence OPERATOR(ezz.=) ANY (ARRAY(
		SELECT lh.licence FROM ezz.licence_holder lh LEFT JOIN ezz.holder h ON h.id = lh.holder_id
		WHERE lh.holder_id = ANY (mine) OR h.related_holder = ANY (mine)))
	ORDER BY a.at, a.id;
END
$$;
COMMENT ON FUNCTION ezz.my_access_history(timestamptz, timestamptz) IS 'who used the acting holder''s licences 用证记录: department, action, service item, purpose, grant, outcome';

------------------------------------------------------------------------------
-- Using 使用部门
------------------------------------------------------------------------------
-- What a list call (search, find, verify_claims) checks before it looks at
-- any licence: the caller may use licences at all, names a service item and
-- a purpose, and has them on its usage list for the named type (no type: for
-- some type).  A department that also issues, or manages, is not held to its
-- usage list here: the decision on each licence lets it see its own (or all)
-- and holds it to the list for the others.
CREATE FUNCTION ezz._decide_call(action text, type_code text, service_item text, purpose text,
								 count_call boolean DEFAULT false) RETURNS ezz._use_decision
	AS 'MODULE_PATHNAME', 'ezz_use_decide_call' LANGUAGE C VOLATILE;

-- A list call's check, counted against the calls a minute and recorded if
-- refused (raises then).
CREATE FUNCTION ezz._use_call(log_action text, action text, type_code text, service_item text, purpose text)
	RETURNS ezz._use_decision
	AS 'MODULE_PATHNAME', 'ezz_use_use_call' LANGUAGE C VOLATILE;

-- The current licences of a holder identity (any version of the identity's
-- blind index), of one type or all.
-- (search.c's saved plan inlines it as a generic plan: the custom plan's
-- estimate for "= ANY (blinds)" is a tenth of the generic one's, so
-- PostgreSQL planned this join again on every call — a fifth of ezz.search's
-- time; the generic plan is the same index path.)
CREATE FUNCTION ezz._holder_licences(id_type text, blinds bytea[], type_code text) RETURNS SETOF ezz.licence_ident
	LANGUAGE sql STABLE AS $$
	SELECT l.id FROM ezz.holder h
	JOIN ezz.licence_holder lh ON lh.holder_id = h.id
	JOIN ezz.licence l ON l.id OPERATOR(ezz.=) lh.licence
	WHERE h.id_type = _holder_licences.id_type AND h.id_blind = ANY (_holder_licences.blinds) AND l.superseded_by IS NULL
	  AND (_holder_licences.type_code IS NULL OR l.type_code = _holder_licences.type_code)
	ORDER BY l.type_code, l.id
$$;

-- The blind indexes of a holder identity a list call names; a malformed
-- identity is refused and recorded.  (Only a malformed one enters the
-- exception block of ezz._identity_blinds_recorded: a well-formed identity,
-- the usual case, costs no subtransaction.)
CREATE FUNCTION ezz._identity_blinds(log_action text, id_type text, id text, service_item text, purpose text,
									 grant_id bigint) RETURNS bytea[]
	AS 'MODULE_PATHNAME', 'ezz_use_identity_blinds' LANGUAGE C VOLATILE;
-- ... and an identity search.c does not know at once to be well formed:
-- the refusal recorded, then raised.  (A well-formed one can then fail only
-- for want of the master key, a server's fault, not the caller's: raised,
-- not recorded.)
CREATE FUNCTION ezz._identity_blinds_recorded(log_action text, id_type text, id text, service_item text, purpose text,
											  grant_id bigint) RETURNS bytea[]
	LANGUAGE plpgsql AS $$
BEGIN
	RETURN ezz._holder_blinds(id_type, id);
EXCEPTION WHEN OTHERS THEN
	PERFORM ezz._access_record(log_action, NULL, ezz.current_department()::text, left(service_item, 500),
							   left(purpose, 500), grant_id, false, left(SQLERRM, 500));
	RAISE;
END
$$;

-- The candidates of a list call that the caller may view, as summaries;
-- the call recorded with how many it listed, or refused (53400) if that is
-- more than the department's rows per call.
CREATE FUNCTION ezz._list(log_action text, candidates ezz.licence_ident[], service_item text, purpose text,
						  grant_id bigint, dept ezz.uscc) RETURNS SETOF ezz.licence_summary
	AS 'MODULE_PATHNAME', 'ezz_use_list' LANGUAGE C VOLATILE;

-- 证照检索: a holder's licences the caller may view; a holder identity is
-- required (no wildcard listing).  One access record per call.
CREATE FUNCTION ezz.search(holder_id_type text, holder_id text, type_code text, service_item text, purpose text,
						   grant_id bigint DEFAULT NULL) RETURNS SETOF ezz.licence_summary
	AS 'MODULE_PATHNAME', 'ezz_use_search'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION ezz.search(text, text, text, text, text, bigint) IS 'licence search 证照检索 by holder identity: the current licences the caller may view';

-- Look-up by licence number 证照编号 and holder name: the counter case.
CREATE FUNCTION ezz.find(licence_no text, holder_name text, type_code text, service_item text, purpose text,
						 grant_id bigint DEFAULT NULL) RETURNS SETOF ezz.licence_summary
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dept ezz.uscc;
BEGIN
	IF find.licence_no IS NULL OR find.holder_name IS NULL OR btrim(find.licence_no) = '' OR btrim(find.holder_name) = '' THEN
		PERFORM ezz._log_use('find', NULL, service_item, purpose,
							 ezz._refusal('22004', 'ezz.find needs the licence number and the holder''s name'));
	END IF;
	-- (an auditor's decision carries no department; a bound one still has its rows a call)
	dept := coalesce((ezz._use_call('find', 'view', type_code, service_item, purpose)).department, ezz.current_department());
	RETURN QUERY SELECT * FROM ezz._list('find', ARRAY(
		SELECT l.id FROM ezz.licence l
		WHERE l.licence_no = btrim(find.licence_no) AND l.superseded_by IS NULL
		  AND (find.type_code IS NULL OR l.type_code = find.type_code)
		  -- (the name the licence bears, or its holder's name now)
		  AND (EXISTS (SELECT FROM jsonb_array_elements(l.document->'holders') d WHERE d->>'name' = btrim(find.holder_name))
			   OR EXISTS (SELECT FROM ezz.licence_holder lh JOIN ezz.holder h ON h.id = lh.holder_id
						  WHERE lh.licence OPERATOR(ezz.=) l.id AND h.name = btrim(find.holder_name)))
		ORDER BY l.id), service_item, purpose, grant_id, dept);
END
$$;
COMMENT ON FUNCTION ezz.find(text, text, text, text, text, bigint) IS 'look-up by licence number 证照编号 and holder name: the current licences the caller may view';

-- 信息获取: the face data, masked per field sensitivity unless the grant allows clear values.
CREATE FUNCTION ezz.get_data(id ezz.licence_ident, service_item text, purpose text, grant_id bigint DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d ezz._use_decision;
	l ezz.licence;
	v record;
BEGIN
	IF get_data.id IS NULL THEN
		RAISE EXCEPTION 'ezz.get_data: id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	d := ezz._use(get_data.id, 'get_data', 'data', service_item, purpose, grant_id, defer => true);
	SELECT * INTO l FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) get_data.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'licence % does not exist', get_data.id USING ERRCODE = 'no_data_found';
	END IF;
	v := ezz._face_view(l.type_code, l.document->'face', d.clear, false);
	-- (the data leaves only once its access record is safe)
	PERFORM ezz._access_wait();
	RETURN jsonb_build_object(
		'id', l.id::text, 'type', l.type_code, 'number', l.licence_no, 'issuer', l.issuer::text,
		-- (the holders as the signed document names them, as ezz._summary does)
		'holders', (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
						'role', x.h->>'role', 'name', ezz._holder_name(x.h->>'kind', x.h->>'name', d.clear),
						'id_type', x.h->>'id_type', 'id', x.h->>'id_masked')) ORDER BY x.o)
					FROM jsonb_array_elements(l.document->'holders') WITH ORDINALITY x(h, o)),
		'face', v.face_shown, 'masked', to_jsonb(v.masked),
		'status', ezz._effective_status(l.status, l.valid_to),
		'valid_from', ezz._iso_date(l.valid_from), 'valid_to', ezz._iso_date(l.valid_to), 'version', l.version,
		'grant', d.grant_id);
END
$$;
COMMENT ON FUNCTION ezz.get_data(ezz.licence_ident, text, text, bigint) IS 'data fetch 信息获取: face data, sensitive fields masked 脱敏 unless the grant allows clear values';

-- 信息比对: does a current licence of this holder and type carry these
-- values?  Yes or no per field; never the stored value.
CREATE FUNCTION ezz.verify_claims(type_code text, holder_id_type text, holder_id text, claims jsonb, service_item text,
								  purpose text, grant_id bigint DEFAULT NULL) RETURNS ezz.verification
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	blinds bytea[];
	lid ezz.licence_ident;
	l ezz.licence;
	d ezz._use_decision;
	bad text;
	answers jsonb;
	v ezz.verification;
BEGIN
	IF type_code IS NULL OR holder_id_type IS NULL OR holder_id IS NULL OR claims IS NULL THEN
		PERFORM ezz._log_use('verify_claims', NULL, service_item, purpose,
							 ezz._refusal('22004', 'ezz.verify_claims needs the type, the holder''s identity and the claims'));
	END IF;
	IF jsonb_typeof(claims) <> 'object' OR claims = '{}' THEN
		PERFORM ezz._log_use('verify_claims', NULL, service_item, purpose,
							 ezz._refusal('22023', 'ezz.verify_claims: claims are a non-empty JSON object of field names and values'));
	END IF;
	IF NOT EXISTS (SELECT FROM ezz.licence_type t WHERE t.code::text = verify_claims.type_code) THEN
		PERFORM ezz._log_use('verify_claims', NULL, service_item, purpose,
							 ezz._refusal('23503', format('ezz.verify_claims: licence type %s does not exist', type_code)));
	END IF;
	SELECT k INTO bad FROM jsonb_object_keys(claims) k
	WHERE NOT EXISTS (SELECT FROM ezz.licence_type t, jsonb_array_elements(t.field_schema) f
					  WHERE t.code::text = verify_claims.type_code AND f->>'name' = k) LIMIT 1;
	IF bad IS NOT NULL THEN
		PERFORM ezz._log_use('verify_claims', NULL, service_item, purpose,
							 ezz._refusal('22023', format('ezz.verify_claims: %s is not a field of licence type %s', bad, type_code)));
	END IF;
	PERFORM ezz._use_call('verify_claims', 'verify', type_code, service_item, purpose);
	blinds := ezz._identity_blinds('verify_claims', holder_id_type, holder_id, service_item, purpose, grant_id);
	-- the holder's current licence of the type (the latest, if several)
	SELECT x INTO lid FROM ezz._holder_licences(holder_id_type, blinds, type_code) x ORDER BY x DESC LIMIT 1;
	IF lid IS NULL THEN
		PERFORM ezz._access_record('verify_claims', NULL, ezz.current_department()::text, service_item, purpose, grant_id,
								   true, 'no licence of the type for this holder');
		RETURN ROW(NULL, false, NULL, ARRAY[format('the holder has no current licence of type %s', type_code)],
				   jsonb_build_object('claims', (SELECT jsonb_object_agg(k, false) FROM jsonb_object_keys(claims) k)),
				   now())::ezz.verification;
	END IF;
	d := ezz._use(lid, 'verify_claims', 'verify', service_item, purpose, grant_id, count_call => false, defer => true);
	SELECT * INTO l FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) lid;
	SELECT jsonb_object_agg(c.key, coalesce(l.document->'face'->c.key = c.value, false)) INTO answers FROM jsonb_each(claims) c;
	v := ezz._verify_licence(lid);
	PERFORM ezz._access_wait();
	RETURN ROW(lid, v.valid AND NOT EXISTS (SELECT FROM jsonb_each(answers) a WHERE a.value = 'false'),
			   v.status,
			   v.reasons || ARRAY(SELECT format('field %s does not match', a.key) FROM jsonb_each(answers) a
								  WHERE a.value = 'false' ORDER BY a.key),
			   jsonb_build_object('claims', answers, 'licence', v.checked), now())::ezz.verification;
END
$$;
COMMENT ON FUNCTION ezz.verify_claims(text, text, text, jsonb, text, text, bigint) IS 'claim check 信息比对: yes or no per field for the holder''s current licence of a type, never the stored value';

-- 加注件: the signed licence document with an annotation (maker, purpose,
-- made at, valid until) signed by the using department's key; kept on file.
CREATE FUNCTION ezz.download(id ezz.licence_ident, service_item text, purpose text, valid_for interval DEFAULT '30 days',
							 grant_id bigint DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d ezz._use_decision;
	dept ezz.uscc;
	k ezz.signing_key;
	lic jsonb;
	a jsonb;
	copy_id bigint;
	sig bytea;
BEGIN
	IF download.id IS NULL THEN
		RAISE EXCEPTION 'ezz.download: id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF valid_for IS NULL OR valid_for <= interval '0' OR valid_for > interval '1 year' THEN
		RAISE EXCEPTION 'ezz.download: an annotated copy is valid for more than zero and at most a year, not %', valid_for
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	d := ezz._use(download.id, 'download', 'download', service_item, purpose, grant_id, defer => true);
	lic := ezz._export(download.id);
	IF lic IS NULL THEN
		RAISE EXCEPTION 'licence % does not exist', download.id USING ERRCODE = 'no_data_found';
	END IF;
	dept := ezz._department_for(ARRAY['management', 'issuer', 'authority', 'user']::ezz.department_kind[],
								'making an annotated copy 加注件');
	IF service_item IS NULL OR purpose IS NULL THEN
		RAISE EXCEPTION 'an annotated copy 加注件 states its service item and purpose 用途' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	k := ezz._signing_key(dept);
	copy_id := nextval(pg_get_serial_sequence('ezz.annotated_copy', 'id'));
	a := jsonb_build_object(
		'format', 'ezz-annotation/1', 'copy', copy_id, 'licence', download.id::text,
		'licence_signature_sm3', encode(ezz.sm3(decode(lic->'signature'->>'value', 'base64')), 'hex'),
		'service_item', service_item, 'purpose', btrim(purpose),
		'maker', dept::text, 'maker_name', (SELECT x.name FROM ezz.department x WHERE x.uscc OPERATOR(ezz.=) dept),
		'made_by', session_user::text, 'made_at', now(), 'valid_until', now() + valid_for,
		'key', jsonb_build_object('alg', k.algorithm, 'fingerprint', k.fingerprint));
	sig := ezz._sign_document(k.key_id, k.algorithm, k.private_key, k.master_key_version, k.fingerprint, a);
	INSERT INTO ezz.annotated_copy (id, licence, department, service_item, purpose, made_by, made_at, valid_until,
									grant_id, key_id, annotation, signature)
	VALUES (copy_id, download.id, dept, service_item, btrim(purpose), session_user, now(), now() + valid_for,
			d.grant_id, k.key_id, a, sig);
	PERFORM ezz._access_wait();
	RETURN jsonb_build_object(
		'format', 'ezz-annotated/1',
		'licence', lic - 'status' - 'exported_at',
		'annotation', a,
		'signature', jsonb_build_object('alg', k.algorithm, 'fingerprint', k.fingerprint,
										'value', translate(encode(sig, 'base64'), E'\n', '')),
		'public_key', ezz._public_key_pem(k.public_key));
END
$$;
COMMENT ON FUNCTION ezz.download(ezz.licence_ident, text, text, interval, bigint) IS 'annotated copy 加注件: the signed licence with purpose, maker, made at and valid until, signed by the using department and kept on file';

-- Verify an annotated copy: the annotation's signature and maker, that it
-- annotates this very licence copy, that it has not expired, and the
-- licence itself (signature, current status).
CREATE FUNCTION ezz._verify_annotated(doc jsonb) RETURNS ezz.verification
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	a jsonb := doc->'annotation';
	s jsonb := doc->'signature';
	k ezz.signing_key;
	sig bytea;
	inner_v ezz.verification;
	reasons text[] := '{}';
	sig_problem text;
	made_at timestamptz;
	valid_until timestamptz;
BEGIN
	IF jsonb_typeof(a) IS DISTINCT FROM 'object' OR jsonb_typeof(s) IS DISTINCT FROM 'object'
	   OR jsonb_typeof(doc->'licence') IS DISTINCT FROM 'object' OR a->>'format' IS DISTINCT FROM 'ezz-annotation/1' THEN
		RETURN ROW(NULL, false, NULL, ARRAY['not an ezz annotated copy: it needs "licence", "annotation" (format ezz-annotation/1) and "signature"'],
				   '{}'::jsonb, now())::ezz.verification;
	END IF;
	BEGIN
		sig := decode(s->>'value', 'base64');
		made_at := (a->>'made_at')::timestamptz;
		valid_until := (a->>'valid_until')::timestamptz;
	EXCEPTION WHEN OTHERS THEN
		RETURN ROW(NULL, false, NULL, ARRAY['the annotation''s times or signature value are malformed'], '{}'::jsonb, now())::ezz.verification;
	END;
	inner_v := ezz._verify_document(doc->'licence');
	SELECT * INTO k FROM ezz.signing_key x WHERE x.fingerprint = s->>'fingerprint';
	IF NOT FOUND THEN
		reasons := reasons || format('the annotation is signed by a key this library does not know (fingerprint %s)', s->>'fingerprint');
	ELSE
		sig_problem := ezz._verify_document(k.key_id, k.algorithm, k.public_key, k.fingerprint, a, sig);
		IF sig_problem IS NOT NULL THEN
			reasons := reasons || format('the annotation''s signature does not verify: %s', sig_problem);
		END IF;
		IF a->'key'->>'fingerprint' IS DISTINCT FROM k.fingerprint THEN
			reasons := reasons || 'the annotation names another key than the one that signed it'::text;
		END IF;
		IF k.owner::text IS DISTINCT FROM a->>'maker' THEN
			reasons := reasons || format('the annotation was signed by %s, not by its maker %s', k.owner, a->>'maker');
		END IF;
		IF made_at < k.valid_from OR made_at >= k.valid_to
		   OR (k.status = 'revoked' AND made_at >= k.revocation_effective_at) THEN
			reasons := reasons || format('the maker''s key %s was not valid when the copy was made', k.key_id);
		END IF;
	END IF;
	IF a->>'licence' IS DISTINCT FROM doc->'licence'->'document'->>'id'
	   OR a->>'licence_signature_sm3' IS DISTINCT FROM
		  encode(ezz.sm3(decode(coalesce(doc->'licence'->'signature'->>'value', ''), 'base64')), 'hex') THEN
		reasons := reasons || 'the annotation belongs to another licence or another copy of it'::text;
	END IF;
	IF valid_until IS NULL OR now() >= valid_until THEN
		reasons := reasons || format('the annotated copy expired at %s', valid_until);
	END IF;
	reasons := reasons || coalesce(inner_v.reasons, '{}');
	RETURN ROW(inner_v.id, cardinality(reasons) = 0 AND inner_v.valid, inner_v.status, reasons,
			   jsonb_build_object('licence', inner_v.checked,
								  'annotation', jsonb_build_object('maker', a->>'maker', 'purpose', a->>'purpose',
																   'made_at', made_at, 'valid_until', valid_until,
																   'signature', sig_problem IS NULL AND k.key_id IS NOT NULL,
																   'on_file', EXISTS (SELECT FROM ezz.annotated_copy c
																					  WHERE c.id::text = a->>'copy' AND c.signature = sig))),
			   now())::ezz.verification;
END
$$;

-- 社会公示: a publicly disclosed licence, its public fields, masked.
CREATE FUNCTION ezz.public_lookup(id ezz.licence_ident) RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	l ezz.licence;
	disclosure text;
	v record;
BEGIN
	IF public_lookup.id IS NULL THEN
		RAISE EXCEPTION 'ezz.public_lookup: id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT t.disclosure INTO disclosure FROM ezz.licence_type t WHERE t.code::text = ezz.ident_type_code(public_lookup.id);
	IF disclosure IS DISTINCT FROM 'public' THEN
		PERFORM ezz._log_use('public_lookup', public_lookup.id, NULL, NULL,
							 ezz._refusal('42501', format('licence type %s is not disclosed to the public 社会公示',
														  ezz.ident_type_code(public_lookup.id))));
	END IF;
	SELECT * INTO l FROM ezz.licence x WHERE x.id OPERATOR(ezz.=) public_lookup.id;
	IF NOT FOUND THEN
		PERFORM ezz._log_use('public_lookup', public_lookup.id, NULL, NULL,
							 ezz._refusal('P0002', format('licence %s does not exist', public_lookup.id)));
	END IF;
	PERFORM ezz._access_record('public_lookup', public_lookup.id::text, NULL, NULL, NULL, NULL, true, NULL);
	v := ezz._face_view(l.type_code, l.document->'face', false, true);
	RETURN jsonb_build_object(
		'id', l.id::text, 'type', l.type_code,
		'type_name', (SELECT t.name FROM ezz.licence_type t WHERE t.code = l.type_code),
		'number', l.licence_no, 'issuer', l.issuer::text,
		'issuer_name', (SELECT x.name FROM ezz.department x WHERE x.uscc OPERATOR(ezz.=) l.issuer),
		'holders', (SELECT jsonb_agg(ezz._holder_name(x.h->>'kind', x.h->>'name', false) ORDER BY x.o)
					FROM jsonb_array_elements(l.document->'holders') WITH ORDINALITY x(h, o)),
		'face', v.face_shown,
		'status', ezz._effective_status(l.status, l.valid_to),
		'valid_from', ezz._iso_date(l.valid_from), 'valid_to', ezz._iso_date(l.valid_to));
END
$$;
COMMENT ON FUNCTION ezz.public_lookup(ezz.licence_ident) IS 'public lookup 社会公示: a licence of a publicly disclosed type, only its public fields, masked';

------------------------------------------------------------------------------
-- Views
------------------------------------------------------------------------------
-- Grants a department sees: those to it and, for management, all; the
-- entrusted person's identity only masked.
CREATE FUNCTION ezz._grant_scope(OUT see_all boolean, OUT dept ezz.uscc)
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	dept := ezz.current_department();
	see_all := pg_has_role(session_user, 'ezz_auditor', 'MEMBER')
		OR EXISTS (SELECT FROM ezz.department d WHERE d.uscc OPERATOR(ezz.=) dept AND 'management' = ANY (d.kinds));
END
$$;
CREATE VIEW ezz.authorisations WITH (security_barrier) AS
	SELECT g.id, g.mode, g.granted_by_department, g.grantee_department, g.grantee_masked, g.lineage, g.type_code,
		   g.service_items, g.actions, g.clear_values, g.valid_from, g.valid_to, g.withdrawn_at,
		   (g.withdrawn_at IS NULL AND pg_catalog.now() >= g.valid_from AND pg_catalog.now() < g.valid_to) AS live
	FROM ezz.authorisation g, ezz._grant_scope() s
	WHERE s.see_all OR g.grantee_department OPERATOR(ezz.=) s.dept;
COMMENT ON VIEW ezz.authorisations IS 'authorisations 授权: a using department sees the grants to it; management and auditors see all; entrusted persons only masked';

CREATE VIEW ezz.annotated_copies WITH (security_barrier) AS
	SELECT c.id, c.licence, c.department, c.service_item, c.purpose, c.made_by, c.made_at, c.valid_until, c.grant_id
	FROM ezz.annotated_copy c, ezz._grant_scope() s
	WHERE s.see_all OR c.department OPERATOR(ezz.=) s.dept;
COMMENT ON VIEW ezz.annotated_copies IS 'annotated copies 加注件 on file: a department sees its own; management and auditors see all';

------------------------------------------------------------------------------
-- Bulk analysis 批量分析: only through an approved, unexpired request
------------------------------------------------------------------------------
CREATE TABLE ezz.analysis_request (
	id				bigserial PRIMARY KEY,
	department		ezz.uscc NOT NULL REFERENCES ezz.department (uscc),
	type_code		ezz.type_code NOT NULL REFERENCES ezz.licence_type (code),
	fields			text[] NOT NULL,
	purpose			text NOT NULL CHECK (pg_catalog.length(purpose) BETWEEN 1 AND 200),
	requested_by	text NOT NULL,
	requested_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	wanted_until	timestamptz NOT NULL,
	status			text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	decided_by		text,
	decided_at		timestamptz,
	decision_note	text,
	valid_until		timestamptz,
	pseudonym_key	bytea,
	CHECK (status = 'pending' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
	CHECK (status <> 'approved' OR (valid_until IS NOT NULL AND pseudonym_key IS NOT NULL))
);
CREATE INDEX analysis_request_department_idx ON ezz.analysis_request (department);
COMMENT ON TABLE ezz.analysis_request IS 'bulk analysis requests 批量分析申请: nothing bulk happens without one approved and unexpired';
COMMENT ON COLUMN ezz.analysis_request.pseudonym_key IS 'keys the pseudonyms that stand for holders in this request''s rows (never shown)';
INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.analysis_request', 'data', false, 'bulk analysis requests, through ezz.request_analysis and ezz.approve_analysis');
SELECT ezz.audit_table('ezz.analysis_request');

-- A using department asks to analyse a type in bulk: which (non-sensitive)
-- fields, why, until when.
CREATE FUNCTION ezz.request_analysis(type_code text, fields text[], purpose text, wanted_until timestamptz) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dept ezz.uscc;
	bad text;
	new_id bigint;
BEGIN
	dept := ezz._department_for(ARRAY['user']::ezz.department_kind[], 'requesting a bulk analysis');
	IF request_analysis.type_code IS NULL OR fields IS NULL OR purpose IS NULL OR wanted_until IS NULL THEN
		RAISE EXCEPTION 'ezz.request_analysis: type, fields, purpose and until must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF length(btrim(purpose)) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'ezz.request_analysis: the purpose must have 1 to 200 characters' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT EXISTS (SELECT FROM ezz.usage_list u WHERE u.department OPERATOR(ezz.=) dept AND u.type_code = request_analysis.type_code
				   AND 'data' = ANY (u.actions) AND (u.valid_to IS NULL OR u.valid_to >= ezz.today())) THEN
		RAISE EXCEPTION 'department % may not analyse licence type %', dept, request_analysis.type_code
			USING ERRCODE = 'insufficient_privilege', DETAIL = 'Its usage list 用证清单 has no data use of this type.';
	END IF;
	IF cardinality(fields) = 0 OR array_position(fields, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'ezz.request_analysis: name at least one field' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT f INTO bad FROM unnest(fields) f
	WHERE NOT EXISTS (SELECT FROM ezz.licence_type t, jsonb_array_elements(t.field_schema) x
					  WHERE t.code::text = request_analysis.type_code AND x->>'name' = f
						AND NOT coalesce((x->>'sensitive')::boolean, false)) LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'ezz.request_analysis: % is not a non-sensitive field of licence type %', bad, request_analysis.type_code
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An analysis returns de-identified rows: sensitive fields and identities never leave.';
	END IF;
	IF wanted_until <= now() OR wanted_until > now() + interval '1 year' THEN
		RAISE EXCEPTION 'ezz.request_analysis: until % is past or more than a year away', wanted_until
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO ezz.analysis_request (department, type_code, fields, purpose, requested_by, wanted_until)
	VALUES (dept, request_analysis.type_code, fields, btrim(purpose), session_user, wanted_until)
	RETURNING id INTO new_id;
	RETURN new_id;
END
$$;
COMMENT ON FUNCTION ezz.request_analysis(text, text[], text, timestamptz) IS 'a using department asks for a bulk analysis 批量分析申请 of a licence type: non-sensitive fields, purpose, until when';

-- The management department approves (until valid_until, at most what was
-- asked) or rejects a pending request.
CREATE FUNCTION ezz.approve_analysis(request_id bigint, approve boolean DEFAULT true, note text DEFAULT NULL,
									 valid_until timestamptz DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r ezz.analysis_request;
BEGIN
	PERFORM ezz._department_for(ARRAY['management']::ezz.department_kind[], 'deciding a bulk analysis request');
	IF request_id IS NULL OR approve IS NULL THEN
		RAISE EXCEPTION 'ezz.approve_analysis: request_id and approve must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT * INTO r FROM ezz.analysis_request a WHERE a.id = request_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'analysis request % does not exist', request_id USING ERRCODE = 'no_data_found';
	END IF;
	IF r.status <> 'pending' THEN
		RAISE EXCEPTION 'analysis request % is already %', request_id, r.status USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF approve AND coalesce(approve_analysis.valid_until, r.wanted_until) <= now() THEN
		RAISE EXCEPTION 'ezz.approve_analysis: an approval must end in the future' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	UPDATE ezz.analysis_request a
	SET status = CASE WHEN approve THEN 'approved' ELSE 'rejected' END, decided_by = session_user, decided_at = now(),
		decision_note = note,
		valid_until = CASE WHEN approve THEN least(coalesce(approve_analysis.valid_until, r.wanted_until), r.wanted_until) END,
		pseudonym_key = CASE WHEN approve THEN ezz._verification_key() END
	WHERE a.id = request_id;
END
$$;
COMMENT ON FUNCTION ezz.approve_analysis(bigint, boolean, text, timestamptz) IS 'management approves (until a time) or rejects a bulk analysis request';

-- The approved analysis: de-identified rows — a pseudonym per holder (keyed
-- per request), issuer, region, status, period, the approved fields.
CREATE FUNCTION ezz.analyse(request_id bigint) RETURNS SETOF jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r ezz.analysis_request;
	dept ezz.uscc;
	d ezz._use_decision;
	n bigint;
BEGIN
	IF request_id IS NULL THEN
		RAISE EXCEPTION 'ezz.analyse: request_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	dept := ezz._department_for(ARRAY['user']::ezz.department_kind[], 'running a bulk analysis');
	SELECT * INTO r FROM ezz.analysis_request a WHERE a.id = request_id;
	d := CASE
		WHEN NOT FOUND OR NOT r.department OPERATOR(ezz.=) dept
			THEN ezz._refusal('42501', format('analysis request %s is not a request of department %s', request_id, dept))
		WHEN r.status <> 'approved'
			THEN ezz._refusal('55000', format('analysis request %s is %s, not approved', request_id, r.status))
		WHEN now() >= r.valid_until
			THEN ezz._refusal('55000', format('the approval of analysis request %s ended at %s', request_id, r.valid_until))
		ELSE ezz._allowed(NULL, false) END;
	IF NOT d.allowed THEN
		PERFORM ezz._log_use('analyse', NULL, NULL, r.purpose, d);
	END IF;
	RETURN QUERY
	SELECT jsonb_build_object(
			   'subject', encode(hmac_key.h, 'hex'),
			   'issuer', l.issuer::text, 'region', dp.region, 'status', ezz._effective_status(l.status, l.valid_to),
			   'valid_from', ezz._iso_date(l.valid_from), 'valid_to', ezz._iso_date(l.valid_to))
		   || coalesce((SELECT jsonb_object_agg(f, l.document->'face'->f) FROM unnest(r.fields) f), '{}')
	FROM ezz.licence l
	JOIN ezz.department dp ON dp.uscc OPERATOR(ezz.=) l.issuer
	CROSS JOIN LATERAL (SELECT ezz.sm3(r.pseudonym_key || convert_to(coalesce(
			(SELECT string_agg(lh.holder_id::text, ',' ORDER BY lh.ordinal) FROM ezz.licence_holder lh
			 WHERE lh.licence OPERATOR(ezz.=) l.id), ''), 'UTF8')) AS h) hmac_key
	WHERE l.type_code = r.type_code AND l.superseded_by IS NULL
	ORDER BY l.id;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM ezz._access_record('analyse', NULL, dept::text, NULL, r.purpose, NULL, true,
							   format('analysis request %s: %s de-identified rows', request_id, n));
END
$$;
COMMENT ON FUNCTION ezz.analyse(bigint) IS 'run an approved, unexpired bulk analysis: de-identified rows (a pseudonym per holder, keyed per request; no sensitive field, no identity)';

CREATE VIEW ezz.analysis_requests WITH (security_barrier) AS
	SELECT a.id, a.department, a.type_code, a.fields, a.purpose, a.requested_by, a.requested_at, a.wanted_until,
		   a.status, a.decided_by, a.decided_at, a.decision_note, a.valid_until
	FROM ezz.analysis_request a, ezz._grant_scope() s
	WHERE s.see_all OR a.department OPERATOR(ezz.=) s.dept;
COMMENT ON VIEW ezz.analysis_requests IS 'bulk analysis requests: a department sees its own; management and auditors see all';
