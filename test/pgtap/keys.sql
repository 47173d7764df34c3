-- keys: department signing keys (create, retire, revoke), trusted keys of
-- other regions (互信互认), the public key list, and who may do what.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
BEGIN;
SET search_path = public, ezz;
SELECT plan(39);

CREATE ROLE tap_admin LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_admin_unbound LOGIN IN ROLE ezz_admin;
CREATE ROLE tap_issuer LOGIN IN ROLE ezz_issuer;
CREATE ROLE tap_public LOGIN IN ROLE ezz_public;
SELECT ezz.bind_login('tap_admin', '11330000MB1946A028');
SELECT ezz.bind_login('tap_issuer', '11330105MB1B28400H');

-- the management department makes keys, in each algorithm
SET SESSION AUTHORIZATION tap_admin;
CREATE TEMP TABLE tap_key (alg text, key_id bigint);
GRANT ALL ON tap_key TO PUBLIC;
INSERT INTO tap_key SELECT a, ezz.create_key('11330105MB1B28400H', a) FROM unnest(ARRAY['sm2', 'ed25519', 'ecdsa-p256']) a;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(k.algorithm ORDER BY k.key_id) FROM ezz.signing_key k JOIN tap_key t USING (key_id)),
          ARRAY['sm2', 'ed25519', 'ecdsa-p256'], 'create_key makes sm2, ed25519 and ecdsa-p256 keys');
SELECT is((SELECT count(*) FROM ezz.signing_key WHERE department = '11330105MB1B28400H' AND status = 'active'), 1::bigint,
          'a department has one active key: a new key retires the previous one');
SELECT is((SELECT status FROM ezz.signing_key WHERE key_id = (SELECT key_id FROM tap_key WHERE alg = 'ecdsa-p256')), 'active',
          'the newest key is the active one');
SELECT ok((SELECT bool_and(private_key IS NOT NULL AND master_key_version = 1 AND fingerprint ~ '^[0-9a-f]{64}$'
                           AND octet_length(public_key) > 0)
           FROM ezz.signing_key WHERE key_id IN (SELECT key_id FROM tap_key)),
          'private keys are stored sealed under master key version 1, with an SM3 fingerprint');
SELECT ok((SELECT bool_and(position('PRIVATE'::bytea in private_key) = 0 AND position('BEGIN'::bytea in private_key) = 0)
           FROM ezz.signing_key WHERE key_id IN (SELECT key_id FROM tap_key)),
          'the stored private key is not PEM in clear');

-- NULL means ezz.default_algorithm, resolved in C
SET ezz.default_algorithm = 'ed25519';
SELECT ezz.create_key('11330102MB1B16733D') AS k1 \gset
RESET ezz.default_algorithm;
SELECT ezz.create_key('11330102MB1B16733D', NULL) AS k2 \gset
SELECT is((SELECT algorithm FROM ezz.signing_key WHERE key_id = :k1), 'ed25519',
          'create_key without an algorithm uses ezz.default_algorithm');
SELECT is((SELECT algorithm FROM ezz.signing_key WHERE key_id = :k2), 'sm2', 'the default default is sm2');
SELECT is(current_setting('ezz.default_algorithm'), 'sm2', 'ezz.default_algorithm is sm2 out of the box');

-- refused
SET SESSION AUTHORIZATION tap_admin;
SELECT throws_ok($$SELECT ezz.create_key(NULL)$$, '22004', NULL, 'create_key: NULL department');
SELECT throws_ok($$SELECT ezz.create_key('11330105MB1B28400H', 'rsa')$$, '22023', NULL, 'create_key: unknown algorithm');
SELECT throws_ok($$SELECT ezz.create_key('11330105MB1B28400H', 'sm2', '0 days')$$, '22023', NULL, 'create_key: no validity');
SELECT throws_ok(format('SELECT ezz.create_key(%L)', ezz.uscc_complete('11339999MB0000001')), '23503', NULL,
                 'create_key: unknown department');
SELECT throws_ok($$SELECT ezz.create_key('11330100MB1B0912XU')$$, '55000', NULL, 'create_key: inactive department');
SELECT throws_ok($$SELECT ezz.create_key('113301000')$$, '22P02', NULL, 'create_key: malformed code');
SET SESSION AUTHORIZATION tap_admin_unbound;
SELECT throws_ok($$SELECT ezz.create_key('11330105MB1B28400H')$$, '55000', NULL, 'create_key: an unbound admin login');
SET SESSION AUTHORIZATION tap_issuer;
SELECT throws_ok($$SELECT ezz.create_key('11330105MB1B28400H')$$, '42501', NULL, 'create_key: an issuer makes no keys');
SELECT throws_ok($$SELECT ezz.retire_key(1)$$, '42501', NULL, 'retire_key: not for an issuer');
SELECT throws_ok($$SELECT * FROM ezz.signing_key$$, '42501', NULL, 'an issuer cannot read the key table');
SELECT throws_ok($$SELECT ezz.rotate_master_key()$$, '42501', NULL, 'rotate_master_key: not for an issuer');

-- retire and revoke
SET SESSION AUTHORIZATION tap_admin;
SELECT lives_ok(format('SELECT ezz.retire_key(%s)', (SELECT key_id FROM tap_key WHERE alg = 'ecdsa-p256')), 'retire_key');
SELECT throws_ok(format('SELECT ezz.retire_key(%s)', (SELECT key_id FROM tap_key WHERE alg = 'ecdsa-p256')), '55000', NULL,
                 'retire_key: already retired');
SELECT throws_ok($$SELECT ezz.retire_key(999999)$$, '42704', NULL, 'retire_key: unknown key');
SELECT throws_ok($$SELECT ezz.retire_key(NULL)$$, '22004', NULL, 'retire_key: NULL');
SELECT throws_ok(format('SELECT ezz.revoke_key(%s, %L, now())', (SELECT key_id FROM tap_key WHERE alg = 'sm2'), '  '), '22023', NULL,
                 'revoke_key: a reason is required');
SELECT throws_ok(format('SELECT ezz.revoke_key(%s, %L, NULL)', (SELECT key_id FROM tap_key WHERE alg = 'sm2'), '私钥泄露'), '22004', NULL,
                 'revoke_key: the effective time is required');
SELECT lives_ok(format('SELECT ezz.revoke_key(%s, %L, %L)', (SELECT key_id FROM tap_key WHERE alg = 'sm2'), '私钥泄露 key compromised',
                       '2026-01-01 00:00+08'), 'revoke_key');
SELECT throws_ok(format('SELECT ezz.revoke_key(%s, %L, now())', (SELECT key_id FROM tap_key WHERE alg = 'sm2'), '又一次'), '55000', NULL,
                 'revoke_key: already revoked');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status || ' ' || revocation_effective_at::date FROM ezz.signing_key
           WHERE key_id = (SELECT key_id FROM tap_key WHERE alg = 'sm2')), 'revoked 2025-12-31',
          'the revocation records its effective time');

-- trusted keys of another region (a key this library never held)
SELECT ezz.uscc_complete('11440000MB0000001') AS gd \gset
CREATE TEMP TABLE tap_foreign AS SELECT ezz._public_key_pem((ezz._key_generate('sm2')).public_key) AS pem;
GRANT SELECT ON tap_foreign TO PUBLIC;
SET SESSION AUTHORIZATION tap_admin;
SELECT ok((SELECT ezz.import_trusted_key(:'gd', '广东省示例局', pem, '2025-01-01', '2030-01-01') > 0 FROM tap_foreign),
          'import_trusted_key takes another region''s SM2 public key');
SELECT throws_ok(format($$SELECT ezz.import_trusted_key(%L, '广东省示例局', (SELECT pem FROM tap_foreign), '2025-01-01', '2030-01-01')$$, :'gd'),
                 '23505', NULL, 'import_trusted_key: the same key twice');
SELECT throws_ok(format($$SELECT ezz.import_trusted_key(%L, '某局', 'not a key', '2025-01-01', '2030-01-01')$$, :'gd'),
                 '22023', NULL, 'import_trusted_key: not PEM');
SELECT throws_ok(format($$SELECT ezz.import_trusted_key(%L, '某局', '-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCY3X+tkKGvosBdjKNmUJ9AsnBE
59X4xCz6tyxzKb6TPB0wP3y5+81Y93SKe0YyceA35FnP/+VSMg6UB4jXDum39AS1
LsxVRql6Ynqutk5L++6sadHbHGVMr+3XvSRjkNCbQkkhn7Mz92kKnMY8G4Yc3/FB
4eKXOfQjJ+ukSx1I2wIDAQAB
-----END PUBLIC KEY-----', '2025-01-01', '2030-01-01')$$, :'gd'), '22023', NULL, 'import_trusted_key: an RSA key is not supported');
SELECT throws_ok(format($$SELECT ezz.import_trusted_key(%L, '某局', '-----BEGIN PUBLIC KEY-----
MEMwBQYDK2VxAzoAMpkRyddofBuB4dRqFU3H8br5BAxis1MkVSkEvVgItZWAlf3e
qTV+ajPiFO3QO0G7p5m2KcvGxzyA
-----END PUBLIC KEY-----', '2025-01-01', '2030-01-01')$$, :'gd'), '22023', NULL, 'import_trusted_key: an Ed448 key is not supported');
SELECT throws_ok(format($$SELECT ezz.import_trusted_key(%L, '某局', (SELECT pem FROM tap_foreign), NULL, '2030-01-01')$$, :'gd'),
                 '22004', NULL, 'import_trusted_key: NULL validity');

-- public keys are public: anyone reads them, nobody reads a private key
SET SESSION AUTHORIZATION tap_public;
SELECT is((SELECT count(*) FROM ezz.trusted_keys WHERE owner = :'gd' AND NOT local), 1::bigint,
          'the public reads the trusted key list');
SELECT ok((SELECT bool_and(public_key_pem LIKE '-----BEGIN PUBLIC KEY-----%') FROM ezz.trusted_keys),
          'the list carries PEM public keys');
SELECT is((SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ezz' AND table_name = 'trusted_keys'
           AND column_name IN ('private_key', 'master_key_version')), 0::bigint, 'the list has no private key column');
SELECT ok(ezz.public_key_pem((SELECT key_id FROM tap_key WHERE alg = 'ed25519')) LIKE '-----BEGIN PUBLIC KEY-----%',
          'ezz.public_key_pem gives one key''s PEM');
RESET SESSION AUTHORIZATION;
SELECT is(ezz.rotate_master_key()->>'keys_resealed', '0', 'rotate_master_key with a single key version has nothing to do');

SELECT * FROM finish();
ROLLBACK;
