--
-- ident: ezz.uscc (GB 32100) and ezz.licence_ident (GB/T 36904)
--
\set VERBOSITY default
-- ezz's operators live in schema ezz: put it on the search path
SET search_path = public, ezz;
\set SHOW_CONTEXT never

-- accepts a literal?  (pg_input_is_valid arrives only in PostgreSQL 16)
CREATE FUNCTION pg_temp.ident_ok(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM t::ezz.licence_ident;
	RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END $$;
CREATE FUNCTION pg_temp.uscc_ok(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM t::ezz.uscc;
	RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN false;
END $$;

------------------------------------------------------------------------------
-- ezz.uscc
------------------------------------------------------------------------------
-- the SPEC's examples, and lower case folded
SELECT '11100000000013338W'::ezz.uscc, '11330105002500287C'::ezz.uscc, '11330105002500287c'::ezz.uscc;
SELECT ezz.uscc_valid('11100000000013338W'), ezz.uscc_valid('11100000000013338X'), ezz.uscc_valid('');
SELECT ezz.uscc_complete('11100000000013338'), ezz.uscc_complete('91330106mA27xy01q');
-- wrong length, empty, illegal characters, wrong check character
SELECT '11100000000013338'::ezz.uscc;
SELECT '11100000000013338WW'::ezz.uscc;
SELECT ''::ezz.uscc;
SELECT '1110000000001333IW'::ezz.uscc;
SELECT '11100000000013338Z'::ezz.uscc;
SELECT '111000000000 3338W'::ezz.uscc;
SELECT '11100000000013338证'::ezz.uscc;
SELECT '11100000000013338X'::ezz.uscc;
SELECT ezz.uscc_complete('1110000000001333');
SELECT ezz.uscc_complete('1110000000001333O');
SELECT NULL::ezz.uscc IS NULL AS null_stays_null;
-- an early pilot code: refused by default, accepted with a warning when the
-- administrator says so, and refused again after
SET ezz.uscc_check = warning;
SELECT '11100000000013338X'::ezz.uscc;
RESET ezz.uscc_check;
SELECT '11100000000013338X'::ezz.uscc;
SET ezz.uscc_check = lenient;

-- every single-character substitution and every adjacent transposition of a
-- valid code is refused (generated, not hand-picked)
WITH base(code) AS (VALUES ('11100000000013338W'), ('11330105002500287C'), ('91330106MA27XY01Q2')),
valid AS (SELECT ezz.uscc_complete(substr(code, 1, 17))::text AS code FROM base),
alphabet AS (SELECT substr('0123456789ABCDEFGHJKLMNPQRTUWXY', i, 1) AS c FROM generate_series(1, 31) i),
subst AS (
	SELECT overlay(v.code PLACING a.c FROM p FOR 1) AS mutant
	FROM valid v, generate_series(1, 18) p, alphabet a WHERE substr(v.code, p, 1) <> a.c),
transp AS (
	SELECT overlay(v.code PLACING substr(v.code, p + 1, 1) || substr(v.code, p, 1) FROM p FOR 2) AS mutant
	FROM valid v, generate_series(1, 17) p WHERE substr(v.code, p, 1) <> substr(v.code, p + 1, 1))
SELECT 'substitution' AS mutation, count(*) AS tried, count(*) FILTER (WHERE pg_temp.uscc_ok(mutant)) AS accepted FROM subst
UNION ALL
SELECT 'transposition', count(*), count(*) FILTER (WHERE pg_temp.uscc_ok(mutant)) FROM transp;

-- ordering, btree and hash operator classes
CREATE TABLE uscc_t (u ezz.uscc);
INSERT INTO uscc_t SELECT ezz.uscc_complete(lpad(i::text, 17, '9')) FROM generate_series(1, 2000) i;
INSERT INTO uscc_t VALUES ('11100000000013338W'), ('11330105002500287C');
SELECT u FROM uscc_t ORDER BY u LIMIT 3;
SELECT count(*) AS mismatched_order FROM (
	SELECT u, row_number() OVER (ORDER BY u) AS a, row_number() OVER (ORDER BY u::text COLLATE "C") AS b FROM uscc_t) s
WHERE a <> b;
CREATE INDEX uscc_t_btree ON uscc_t (u);
ANALYZE uscc_t;
EXPLAIN (COSTS OFF) SELECT * FROM uscc_t WHERE u = '11330105002500287C';
SELECT count(*) FROM uscc_t WHERE u BETWEEN '11100000000013338W' AND '11330105002500287C';
SET enable_bitmapscan = off;
CREATE INDEX uscc_t_hash ON uscc_t USING hash (u);
DROP INDEX uscc_t_btree;
EXPLAIN (COSTS OFF) SELECT * FROM uscc_t WHERE u = '11330105002500287C';
SELECT * FROM uscc_t WHERE u = '11330105002500287c';
RESET enable_bitmapscan;
SELECT ezz.uscc_hash('11330105002500287C') = ezz.uscc_hash('11330105002500287c') AS hash_folds_case,
       ezz.uscc_hash_extended('11330105002500287C', 0) = ezz.uscc_hash_extended('11330105002500287C', 0) AS ext_stable;
SELECT ezz.uscc_send('11330105002500287C');

------------------------------------------------------------------------------
-- ezz.licence_ident
------------------------------------------------------------------------------
-- the SPEC's example; lower case is folded
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338w009.11330105002500287c.2025052201.002.0'::ezz.licence_ident;
-- its parts
SELECT ezz.ident_type_code(i), ezz.ident_definer(i), ezz.ident_issuer(i), ezz.ident_serial(i),
       ezz.ident_version(i), ezz.ident_check(i)
FROM (SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident AS i) s;
-- built from parts, the check character computed
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', '2025052201', 2);
SELECT ezz.licence_ident('11100000000013338w009', '11330105002500287C', 'abc123', 1);
SELECT ezz.ident_with_version('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0', 3);
SELECT ezz.ident_valid('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0'),
       ezz.ident_valid('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.1'),
       ezz.ident_valid('nonsense');
-- longest serial
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', repeat('Z9', 32), 999);

-- refused, each with the part named
SELECT ''::ezz.licence_ident;
SELECT '1.2.156.3005.3.11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
SELECT '11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025.052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W09.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.1110000000001333OW009.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W0A9.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.1133010500250028C.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287S.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C..002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025-05-22.002.0'::ezz.licence_ident;
SELECT ('1.2.156.3005.2.11100000000013338W009.11330105002500287C.' || repeat('1', 65) || '.002.0')::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.02.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.0O2.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.000.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.00'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.#'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.1'::ezz.licence_ident;
SELECT ' 1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
-- embedded codes carry their own check characters
SELECT '1.2.156.3005.2.11100000000013338X009.11330105002500287C.2025052201.002.0'::ezz.licence_ident;
SELECT '1.2.156.3005.2.11100000000013338W009.11330105002500287D.2025052201.002.0'::ezz.licence_ident;
-- an oversize literal is quoted only in part
SELECT ('1.2.156.3005.2.' || repeat('X', 300))::ezz.licence_ident;
-- constructor: bad parts named too
SELECT ezz.licence_ident('11100000000013338W09', '11330105002500287C', '2025052201', 2);
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', '', 2);
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', 'A-1', 2);
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', '1', 0);
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', '1', 1000);
SELECT ezz.ident_with_version('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0', 1000);
SELECT ezz.licence_ident(NULL, '11330105002500287C', '1', 1) IS NULL AS strict;

-- Every single-character substitution and every adjacent transposition in the
-- data characters of valid identifiers is refused (generated).  Three bases:
-- the SPEC example, a one-character serial and a 64-character serial.
CREATE TABLE ident_base AS
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', s, v)::text AS ident
FROM (VALUES ('2025052201', 2), ('7', 1), (repeat('A1B2C3D4', 8), 17)) b(s, v);
CREATE FUNCTION pg_temp.rebuild(data text, serial_len integer) RETURNS text LANGUAGE sql AS $$
	SELECT '1.2.156.3005.2.' || substr(data, 1, 21) || '.' || substr(data, 22, 18) || '.'
		|| substr(data, 40, serial_len) || '.' || substr(data, 40 + serial_len, 3) || '.'
		|| substr(data, 43 + serial_len, 1)
$$;
WITH base AS (
	SELECT replace(substr(ident, 16), '.', '') AS data, length(split_part(ident, '.', 8)) AS serial_len FROM ident_base),
alphabet AS (SELECT substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', i, 1) AS c FROM generate_series(1, 36) i),
subst AS (
	SELECT pg_temp.rebuild(overlay(b.data PLACING a.c FROM p FOR 1), b.serial_len) AS mutant
	FROM base b, generate_series(1, length(b.data)) p, alphabet a WHERE substr(b.data, p, 1) <> a.c),
transp AS (
	SELECT pg_temp.rebuild(overlay(b.data PLACING substr(b.data, p + 1, 1) || substr(b.data, p, 1) FROM p FOR 2),
						   b.serial_len) AS mutant
	FROM base b, generate_series(1, length(b.data) - 1) p WHERE substr(b.data, p, 1) <> substr(b.data, p + 1, 1))
SELECT 'substitution' AS mutation, count(*) AS tried, count(*) FILTER (WHERE pg_temp.ident_ok(mutant)) AS accepted FROM subst
UNION ALL
SELECT 'transposition', count(*), count(*) FILTER (WHERE pg_temp.ident_ok(mutant)) FROM transp;

-- The limit of ISO 7064: an insertion or deletion in the variable-length
-- serial is not always caught.  Count, over the SPEC example's serial, the
-- single-character insertions and deletions the check character lets through.
WITH b AS (SELECT '2025052201'::text AS serial),
alphabet AS (SELECT substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', i, 1) AS c FROM generate_series(1, 36) i),
ins AS (SELECT DISTINCT overlay(b.serial PLACING a.c FROM p FOR 0) AS s FROM b, alphabet a, generate_series(1, 11) p),
del AS (SELECT DISTINCT overlay(b.serial PLACING '' FROM p FOR 1) AS s FROM b, generate_series(1, 10) p)
SELECT 'insertion' AS mutation, count(*) AS tried,
       count(*) FILTER (WHERE pg_temp.ident_ok('1.2.156.3005.2.11100000000013338W009.11330105002500287C.' || s || '.002.0')) AS accepted
FROM ins
UNION ALL
SELECT 'deletion', count(*),
       count(*) FILTER (WHERE pg_temp.ident_ok('1.2.156.3005.2.11100000000013338W009.11330105002500287C.' || s || '.002.0'))
FROM del;

-- Order: (type code, issuer, serial, version), versions of a licence together
CREATE TABLE ident_t (i ezz.licence_ident);
INSERT INTO ident_t
SELECT ezz.licence_ident(t, u, s, v)
FROM (VALUES ('11100000000013338W009'), ('11100000000013338W010')) tt(t),
     (VALUES ('11330105002500287C'::ezz.uscc), ('11100000000013338W')) uu(u),
     (VALUES ('A'), ('A0'), ('A00'), ('B'), ('10'), ('9'), ('Z'), ('0'), ('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
             ('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0'), ('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB')) ss(s),
     (VALUES (1), (2), (10)) vv(v);
SELECT ezz.ident_serial(i) AS serial, ezz.ident_version(i) AS version
FROM ident_t WHERE ezz.ident_type_code(i) = '11100000000013338W009' AND ezz.ident_issuer(i) = '11100000000013338W'
ORDER BY i LIMIT 12;
-- the whole set sorts exactly as its parts do
SELECT count(*) AS rows, count(*) FILTER (WHERE a <> b) AS mismatched_order FROM (
	SELECT row_number() OVER (ORDER BY i) AS a,
	       row_number() OVER (ORDER BY ezz.ident_type_code(i) COLLATE "C", ezz.ident_issuer(i),
	                          ezz.ident_serial(i) COLLATE "C", ezz.ident_version(i)) AS b
	FROM ident_t) s;
-- every pair compares the same way as its parts
SELECT count(*) AS pairs, count(*) FILTER (WHERE sign(ezz.licence_ident_cmp(x.i, y.i)) <> sign(
	CASE WHEN (ezz.ident_type_code(x.i) COLLATE "C", ezz.ident_issuer(x.i)::text COLLATE "C",
	           ezz.ident_serial(x.i) COLLATE "C", ezz.ident_version(x.i))
	          < (ezz.ident_type_code(y.i), ezz.ident_issuer(y.i)::text, ezz.ident_serial(y.i), ezz.ident_version(y.i)) THEN -1
	     WHEN x.i::text = y.i::text THEN 0
	     ELSE 1 END)) AS disagreeing
FROM ident_t x, ident_t y;

-- indexes are used; hash and merge joins work
INSERT INTO ident_t
SELECT ezz.licence_ident('11100000000013338W009', '11330105002500287C', 'N' || g, 1) FROM generate_series(1, 5000) g;
CREATE UNIQUE INDEX ident_t_btree ON ident_t (i);
ANALYZE ident_t;
EXPLAIN (COSTS OFF)
SELECT * FROM ident_t WHERE i = '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0';
SELECT count(*) FROM ident_t WHERE i = ezz.licence_ident('11100000000013338W009', '11330105002500287C', 'N42', 1);
CREATE INDEX ident_t_hash ON ident_t USING hash (i);
DROP INDEX ident_t_btree;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT * FROM ident_t WHERE i = '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0';
RESET enable_bitmapscan;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) AS hash_join FROM ident_t a JOIN ident_t b ON a.i = b.i;
RESET enable_mergejoin;
SET enable_hashjoin = off;
SELECT count(*) AS merge_join FROM ident_t a JOIN ident_t b ON a.i = b.i;
RESET enable_hashjoin;
RESET enable_nestloop;
SELECT count(DISTINCT i) AS distinct_hashagg FROM ident_t;

-- compact storage: no root, no dots, no check character, 6 bits a character
SELECT pg_column_size('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0'::ezz.licence_ident) AS bytes,
       octet_length('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0') AS text_bytes;

-- binary send/receive: the versioned wire format, and a COPY BINARY round trip
SELECT ezz.licence_ident_send('1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0');
\copy ident_t TO 'results/ezz_ident.bin' WITH (FORMAT binary)
CREATE TABLE ident_copy (LIKE ident_t);
\copy ident_copy FROM 'results/ezz_ident.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE NOT EXISTS (SELECT FROM ident_t t WHERE t.i = c.i)) AS lost
FROM ident_copy c;
CREATE TABLE uscc_copy (LIKE uscc_t);
\copy uscc_t TO 'results/ezz_uscc.bin' WITH (FORMAT binary)
\copy uscc_copy FROM 'results/ezz_uscc.bin' WITH (FORMAT binary)
SELECT (SELECT count(*) FROM uscc_copy) AS copied,
       (SELECT count(*) FROM (SELECT u FROM uscc_t EXCEPT SELECT u FROM uscc_copy) d) AS lost;
DROP TABLE uscc_t, uscc_copy, ident_t, ident_copy, ident_base;
