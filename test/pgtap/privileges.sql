-- privileges: the security model of docs/security.md, read off the catalogue.
-- No department role reads or writes a base table; ezz_admin edits exactly the
-- tables ezz.table_policy marks editable, and only when bound; every
-- SECURITY DEFINER function belongs to ezz_owner and pins search_path.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
BEGIN;
SET search_path = public, ezz;

-- the statements tried on every table, as every role
CREATE TEMP TABLE tap_table AS
SELECT p.relation::text AS rel, p.admin_editable,
       (SELECT quote_ident(a.attname) FROM pg_attribute a
        WHERE a.attrelid = p.relation AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attnum LIMIT 1) AS col
FROM ezz.table_policy p;
CREATE TEMP TABLE tap_op (op text, stmt text);
INSERT INTO tap_op VALUES
	('SELECT', 'SELECT * FROM %1$s'),
	('INSERT', 'INSERT INTO %1$s DEFAULT VALUES'),
	('UPDATE', 'UPDATE %1$s SET %2$s = %2$s'),
	('DELETE', 'DELETE FROM %1$s'),
	('TRUNCATE', 'TRUNCATE %1$s');
GRANT SELECT ON tap_table, tap_op TO PUBLIC;

-- one login per group, bound where the group needs it
CREATE ROLE tap_admin LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_admin_unbound LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_issuer LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_consumer LOGIN IN ROLE ezz_consumer;
CREATE ROLE tap_agent LOGIN IN ROLE ezz_holder_agent;
CREATE ROLE tap_public LOGIN IN ROLE ezz_public;
CREATE ROLE tap_auditor LOGIN IN ROLE ezz_auditor;
SELECT ezz.bind_login('tap_admin', (SELECT uscc FROM ezz.department WHERE 'management' = ANY (kinds) AND active LIMIT 1));
SELECT ezz.bind_login('tap_issuer', (SELECT uscc FROM ezz.department WHERE 'issuer' = ANY (kinds) AND active LIMIT 1));
SELECT ezz.bind_login('tap_consumer', (SELECT uscc FROM ezz.department WHERE 'user' = ANY (kinds) AND active LIMIT 1));

SELECT plan(
	12
	+ 5 * (SELECT count(*)::integer FROM tap_table) * (SELECT count(*)::integer FROM tap_op)
	+ (SELECT count(*)::integer FROM tap_table WHERE NOT admin_editable) * (SELECT count(*)::integer FROM tap_op)
	+ (SELECT count(*)::integer FROM tap_table WHERE admin_editable) * 4);

-- the catalogue agrees with ezz.table_policy
SELECT is((SELECT count(*) FROM pg_class c
           WHERE c.relnamespace = 'ezz'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             AND c.oid NOT IN (SELECT relation FROM ezz.table_policy)),
          0::bigint, 'every table of schema ezz is described in ezz.table_policy');
SELECT cmp_ok((SELECT count(*) FROM ezz.table_policy), '>=', 13::bigint, 'ezz.table_policy describes the reference and data tables');
SELECT is(ARRAY(SELECT relation::text FROM ezz.table_policy p
                WHERE NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = p.relation AND k.contype = 'p')
                  -- (a partitioned table: each partition has its own, from ezz._access_partition)
                  AND NOT EXISTS (SELECT FROM pg_inherits i JOIN pg_constraint k ON k.conrelid = i.inhrelid AND k.contype = 'p'
                                  WHERE i.inhparent = p.relation)),
          '{}'::text[], 'every ezz table (every partition of a partitioned one) has a primary key');
SELECT is(ARRAY(SELECT relation::text FROM ezz.table_policy p WHERE p.class <> 'meta'
                AND p.relation::oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'ezz')::oid[])),
          '{}'::text[], 'every data and reference table is registered with pg_extension_config_dump');
SELECT is(ARRAY(SELECT c.oid::regclass::text FROM pg_class c
                WHERE c.relnamespace = 'ezz'::regnamespace AND c.relkind = 'S'
                  AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'ezz')::oid[])),
          '{}'::text[], 'every ezz sequence is registered with pg_extension_config_dump');
SELECT is(ARRAY(SELECT relation::text FROM ezz.table_policy p JOIN pg_class c ON c.oid = p.relation
                WHERE c.relowner <> 'ezz_owner'::regrole),
          '{}'::text[], 'every ezz table belongs to ezz_owner');
SELECT ok((SELECT NOT rolsuper AND NOT rolcanlogin AND NOT rolbypassrls FROM pg_roles WHERE rolname = 'ezz_owner'),
          'ezz_owner is a NOLOGIN role that is not a superuser and does not bypass RLS');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'ezz'::regnamespace AND p.prosecdef AND p.proowner <> 'ezz_owner'::regrole),
          '{}'::text[], 'every SECURITY DEFINER function belongs to ezz_owner');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'ezz'::regnamespace AND p.prosecdef
                  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)),
          '{}'::text[], 'every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                WHERE p.pronamespace = 'ezz'::regnamespace AND p.prosecdef AND a.grantee = 0),
          '{}'::text[], 'no SECURITY DEFINER function is executable by PUBLIC');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                WHERE p.pronamespace = 'ezz'::regnamespace AND a.grantee = 0 AND p.provolatile <> 'i'),
          ARRAY['_audit_by_row()'], 'PUBLIC executes only IMMUTABLE ezz functions, and the WHEN of the row-level INSERT audit trigger');
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['ezz_admin', 'ezz_issuer', 'ezz_consumer', 'ezz_holder_agent',
                                           'ezz_public', 'ezz_auditor', 'ezz_owner']) r
                WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r)),
          '{}'::text[], 'the seven ezz roles exist');

-- department roles: every statement on every table refused with 42501
SET SESSION AUTHORIZATION tap_issuer;
SELECT throws_ok(format(o.stmt, t.rel, t.col), '42501', NULL, format('issuer: %s on %s refused', o.op, t.rel))
FROM tap_table t, tap_op o ORDER BY t.rel, o.op;
SET SESSION AUTHORIZATION tap_consumer;
SELECT throws_ok(format(o.stmt, t.rel, t.col), '42501', NULL, format('consumer: %s on %s refused', o.op, t.rel))
FROM tap_table t, tap_op o ORDER BY t.rel, o.op;
SET SESSION AUTHORIZATION tap_agent;
SELECT throws_ok(format(o.stmt, t.rel, t.col), '42501', NULL, format('holder agent: %s on %s refused', o.op, t.rel))
FROM tap_table t, tap_op o ORDER BY t.rel, o.op;
SET SESSION AUTHORIZATION tap_public;
SELECT throws_ok(format(o.stmt, t.rel, t.col), '42501', NULL, format('public: %s on %s refused', o.op, t.rel))
FROM tap_table t, tap_op o ORDER BY t.rel, o.op;
SET SESSION AUTHORIZATION tap_auditor;
SELECT throws_ok(format(o.stmt, t.rel, t.col), '42501', NULL, format('auditor: %s on %s refused', o.op, t.rel))
FROM tap_table t, tap_op o ORDER BY t.rel, o.op;

-- ezz_admin: refused on every table not marked editable, and TRUNCATE everywhere
SET SESSION AUTHORIZATION tap_admin;
SELECT throws_ok(format(o.stmt, t.rel, t.col), '42501', NULL, format('admin: %s on %s refused', o.op, t.rel))
FROM tap_table t, tap_op o WHERE NOT t.admin_editable ORDER BY t.rel, o.op;
SELECT throws_ok(format('TRUNCATE %s', t.rel), '42501', NULL, format('admin: TRUNCATE on %s refused', t.rel))
FROM tap_table t WHERE t.admin_editable ORDER BY t.rel;
-- ... and allowed to read and edit the editable ones when bound
SELECT lives_ok(format('SELECT * FROM %s', t.rel), format('bound admin: SELECT on %s allowed', t.rel))
FROM tap_table t WHERE t.admin_editable ORDER BY t.rel;
SELECT lives_ok(format('UPDATE %1$s SET %2$s = %2$s', t.rel, t.col), format('bound admin: UPDATE on %s allowed', t.rel))
FROM tap_table t WHERE t.admin_editable ORDER BY t.rel;
-- an unbound admin login can do nothing, even where the group may
SET SESSION AUTHORIZATION tap_admin_unbound;
SELECT throws_ok(format('UPDATE %1$s SET %2$s = %2$s', t.rel, t.col), '55000', NULL,
                 format('unbound admin: UPDATE on %s refused', t.rel))
FROM tap_table t WHERE t.admin_editable ORDER BY t.rel;
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
