-- binding: a department login acts for the department an administrator bound
-- it to, resolved from the session's login, never from an argument; unbound
-- department logins can do nothing; bind_login refuses every misuse.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
BEGIN;
SET search_path = public, ezz;
SELECT plan(40);

CREATE TEMP TABLE tap_dept AS
SELECT (SELECT uscc FROM ezz.department WHERE kinds = '{management}' AND active ORDER BY uscc LIMIT 1) AS management,
       (SELECT uscc FROM ezz.department WHERE 'issuer' = ANY (kinds) AND NOT 'authority' = ANY (kinds)
        AND NOT 'user' = ANY (kinds) AND active ORDER BY uscc LIMIT 1) AS issuer,
       (SELECT uscc FROM ezz.department WHERE 'authority' = ANY (kinds) AND active ORDER BY uscc LIMIT 1) AS authority,
       (SELECT uscc FROM ezz.department WHERE kinds = '{user}' AND active ORDER BY uscc LIMIT 1) AS user_only,
       (SELECT uscc FROM ezz.department WHERE 'user' = ANY (kinds) AND active ORDER BY uscc DESC LIMIT 1) AS user_other,
       (SELECT uscc FROM ezz.department WHERE NOT active ORDER BY uscc LIMIT 1) AS inactive;
GRANT SELECT ON tap_dept TO PUBLIC;
SELECT ok(management IS NOT NULL AND issuer IS NOT NULL AND authority IS NOT NULL AND user_only IS NOT NULL
          AND user_other IS NOT NULL AND user_other <> user_only AND inactive IS NOT NULL,
          'the sample province has a department of every kind, and an inactive one') FROM tap_dept;

CREATE ROLE tap_admin LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_admin2 LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_issuer LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_authority LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_consumer LOGIN IN ROLE ezz_consumer;
CREATE ROLE tap_agent LOGIN IN ROLE ezz_holder_agent;
CREATE ROLE tap_public LOGIN IN ROLE ezz_public;
CREATE ROLE tap_auditor LOGIN IN ROLE ezz_auditor;
CREATE ROLE tap_nobody LOGIN;
CREATE ROLE tap_group NOLOGIN IN ROLE ezz_issuer;

-- the superuser binds the first administrator
SELECT lives_ok(format('SELECT ezz.bind_login(%L, %L)', 'tap_admin', management), 'superuser binds an admin login')
FROM tap_dept;

-- misuse, as the superuser
SELECT throws_ok($$SELECT ezz.bind_login(NULL, (SELECT management FROM tap_dept))$$, '22004', NULL, 'NULL login refused');
SELECT throws_ok($$SELECT ezz.bind_login('tap_issuer', NULL)$$, '22004', NULL, 'NULL department refused');
SELECT throws_ok($$SELECT ezz.bind_login('tap_issuer', '11330000MB1234567X')$$, '22P02', NULL,
                 'malformed department code refused (22P02)');
SELECT throws_ok(format('SELECT ezz.bind_login(%L, %L)', 'tap_issuer', ezz.uscc_complete('11330000MB1234567')),
                 '23503', NULL, 'unknown department refused');
SELECT throws_ok($$SELECT ezz.bind_login('tap_no_such_role', (SELECT issuer FROM tap_dept))$$, '42704', NULL,
                 'unknown role refused');
SELECT throws_ok($$SELECT ezz.bind_login('tap_group', (SELECT issuer FROM tap_dept))$$, '22023', NULL,
                 'a role that cannot log in is not bound');
SELECT throws_ok($$SELECT ezz.bind_login('tap_nobody', (SELECT issuer FROM tap_dept))$$, '22023', NULL,
                 'a login in no ezz department group is not bound');
SELECT throws_ok($$SELECT ezz.bind_login('tap_agent', (SELECT issuer FROM tap_dept))$$, '22023', NULL,
                 'a holder agent login belongs to no department');
SELECT throws_ok($$SELECT ezz.bind_login('tap_issuer', (SELECT inactive FROM tap_dept))$$, '55000', NULL,
                 'an inactive department takes no new logins');
SELECT throws_ok($$SELECT ezz.bind_login('tap_issuer', (SELECT user_only FROM tap_dept))$$, '22023', NULL,
                 'an issuer login is not bound to a using-only department');
SELECT throws_ok($$SELECT ezz.bind_login('tap_consumer', (SELECT issuer FROM tap_dept))$$, '22023', NULL,
                 'a consumer login is not bound to a department that is not a user');
SELECT throws_ok($$SELECT ezz.bind_login('tap_admin2', (SELECT issuer FROM tap_dept))$$, '22023', NULL,
                 'an admin login is bound only to a management department');
SELECT is((SELECT count(*) FROM ezz.login_binding b WHERE b.login IN ('tap_issuer'::regrole, 'tap_consumer'::regrole,
                                                                       'tap_admin2'::regrole)),
          0::bigint, 'no refused call left a binding behind');

-- an unbound admin can bind nobody
SET SESSION AUTHORIZATION tap_admin2;
SELECT is(ezz.current_department(), NULL, 'an unbound login has no department');
SELECT throws_ok($$SELECT ezz.bind_login('tap_issuer', (SELECT issuer FROM tap_dept))$$, '55000', NULL,
                 'an unbound admin login cannot bind');
SELECT throws_ok($$INSERT INTO ezz.region (code, name, level, parent) VALUES ('339901', '测试县', 'county', '330000')$$,
                 '55000', NULL, 'an unbound admin login cannot edit reference tables');

-- the bound admin binds the department logins
SET SESSION AUTHORIZATION tap_admin;
SELECT is(ezz.current_department(), (SELECT management FROM tap_dept), 'the admin login resolves to its department');
SELECT lives_ok($$SELECT ezz.bind_login('tap_issuer', (SELECT issuer FROM tap_dept))$$, 'admin binds an issuer login');
SELECT lives_ok($$SELECT ezz.bind_login('tap_authority', (SELECT authority FROM tap_dept))$$, 'admin binds an authority login');
SELECT lives_ok($$SELECT ezz.bind_login('tap_consumer', (SELECT user_only FROM tap_dept))$$, 'admin binds a consumer login');
SELECT lives_ok($$INSERT INTO ezz.region (code, name, level, parent) VALUES ('339901', '测试县', 'county', '330100')$$,
                'a bound admin edits reference tables with plain SQL');

-- logins resolve their department from the session, never from an argument
SET SESSION AUTHORIZATION tap_issuer;
SELECT is(ezz.current_department(), (SELECT issuer FROM tap_dept), 'the issuer login resolves to its department');
SELECT throws_ok($$SELECT ezz.bind_login('tap_consumer', (SELECT user_other FROM tap_dept))$$, '42501', NULL,
                 'an issuer cannot bind logins');
SELECT throws_ok($$SELECT ezz.unbind_login('tap_consumer')$$, '42501', NULL, 'an issuer cannot unbind logins');
SET SESSION AUTHORIZATION tap_consumer;
SELECT is(ezz.current_department(), (SELECT user_only FROM tap_dept), 'the consumer login resolves to its department');
SET SESSION AUTHORIZATION tap_agent;
SELECT is(ezz.current_department(), NULL, 'a holder agent has no department');
SET SESSION AUTHORIZATION tap_public;
SELECT is(ezz.current_department(), NULL, 'the public has no department');
SET SESSION AUTHORIZATION tap_auditor;
SELECT is(ezz.current_department(), NULL, 'an auditor has no department');
RESET SESSION AUTHORIZATION;
SET ROLE tap_issuer;
SELECT is(ezz.current_department(), NULL, 'SET ROLE does not take on another login''s department');
RESET ROLE;

-- rebinding moves a login; unbinding leaves it able to do nothing
SET SESSION AUTHORIZATION tap_admin;
SELECT ezz.bind_login('tap_consumer', (SELECT user_other FROM tap_dept));
SET SESSION AUTHORIZATION tap_consumer;
SELECT is(ezz.current_department(), (SELECT user_other FROM tap_dept), 'rebinding moves the login to the new department');
SET SESSION AUTHORIZATION tap_admin;
SELECT is(ezz.unbind_login('tap_consumer'), true, 'unbind_login reports a removed binding');
SELECT is(ezz.unbind_login('tap_consumer'), false, 'unbind_login reports that there was none');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT bound_by FROM ezz.login_binding WHERE login = 'tap_issuer'::regrole), 'tap_admin',
          'the binding records who bound it');

-- industry authorities define types under their own code only
SET SESSION AUTHORIZATION tap_authority;
SELECT is(ezz.define_type((SELECT authority FROM tap_dept)::text || '901', '测试许可证', 'permit', '{legal_person}',
                          '《测试条例》', '[{"name": "holder_name", "label": "持证单位", "type": "string", "required": true}]'),
          (SELECT authority FROM tap_dept)::text || '901', 'an authority defines a type under its own code');
SELECT throws_ok(format($$SELECT ezz.define_type(%L, '越权证', 'permit', '{legal_person}', '《测试条例》',
                          '[{"name": "n", "label": "名称", "type": "string"}]')$$, (SELECT management FROM tap_dept)::text || '901'),
                 '42501', NULL, 'an authority cannot define a type under another department''s code');
SET SESSION AUTHORIZATION tap_issuer;
SELECT throws_ok(format($$SELECT ezz.define_type(%L, '越权证', 'permit', '{legal_person}', '《测试条例》',
                          '[{"name": "n", "label": "名称", "type": "string"}]')$$, (SELECT issuer FROM tap_dept)::text || '901'),
                 '42501', NULL, 'an issuer that is not an authority defines no type');

-- a department that becomes inactive leaves its logins able to do nothing
RESET SESSION AUTHORIZATION;
UPDATE ezz.department SET active = false WHERE uscc = (SELECT management FROM tap_dept);
SET SESSION AUTHORIZATION tap_admin;
SELECT throws_ok($$SELECT ezz.bind_login('tap_consumer', (SELECT user_only FROM tap_dept))$$, '55000', NULL,
                 'a login of an inactive department cannot bind');
SELECT throws_ok($$UPDATE ezz.region SET name = name WHERE code = '330000'$$, '55000', NULL,
                 'a login of an inactive department cannot edit reference tables');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
