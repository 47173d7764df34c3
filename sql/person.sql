--
-- person: identity document numbers (GB 11643 and friends) and masking 脱敏
--
\set VERBOSITY default
\set SHOW_CONTEXT never

-- GB 11643: the SPEC example, lower-case x, a first-generation 15-digit number
SELECT ezz.cn_id_valid('11010519491231002X'), ezz.cn_id_valid('11010519491231002x'),
       ezz.cn_id_valid('110105491231002');
SELECT ezz.cn_id_normalize('11010519491231002x'), ezz.cn_id_normalize('110105491231002');
-- wrong check character, impossible birth date, wrong length, letters, leading 0, empty
SELECT ezz.cn_id_valid('110105194912310021') AS wrong_check, ezz.cn_id_valid('110105194902300026') AS feb_30,
       ezz.cn_id_valid('11010519491231002') AS seventeen, ezz.cn_id_valid('1101051949123100XX') AS letters,
       ezz.cn_id_valid('01010519491231002X') AS leading_zero, ezz.cn_id_valid('') AS empty,
       ezz.cn_id_valid(NULL) IS NULL AS null_is_null;
SELECT ezz.cn_id_normalize('110105194912310021');
SELECT ezz.cn_id_normalize('110105194902300026');
SELECT ezz.cn_id_normalize('1101051949123100');
SELECT ezz.cn_id_normalize('11010519491231002Y');
SELECT ezz.cn_id_normalize('');

-- the same rule covers residence permits (81/82/83) and the 18-digit
-- foreigner permanent residence card (9...): build valid ones here
CREATE FUNCTION pg_temp.cn_check(first17 text) RETURNS text LANGUAGE sql AS $$
	SELECT substr('10X98765432', (sum(substr(first17, i::int, 1)::int * w) % 11)::int + 1, 1)
	FROM unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS x(w, i)
$$;
SELECT f || pg_temp.cn_check(f) AS number, ezz.cn_id_valid(f || pg_temp.cn_check(f)) AS valid
FROM (VALUES ('81000019900101001'), ('83000020000229002'), ('93311084019850612')) v(f);

-- every single-character substitution and adjacent transposition refused
WITH base(id) AS (VALUES ('11010519491231002X'), ('330106198507230018'), ('44030420000229123X')),
valid AS (SELECT substr(id, 1, 17) || pg_temp.cn_check(substr(id, 1, 17)) AS id FROM base
          WHERE ezz.cn_id_valid(substr(id, 1, 17) || pg_temp.cn_check(substr(id, 1, 17)))),
alphabet AS (SELECT substr('0123456789X', i, 1) AS c FROM generate_series(1, 11) i),
subst AS (SELECT overlay(v.id PLACING a.c FROM p FOR 1) AS m FROM valid v, generate_series(1, 18) p, alphabet a
          WHERE substr(v.id, p, 1) <> a.c),
transp AS (SELECT overlay(v.id PLACING substr(v.id, p + 1, 1) || substr(v.id, p, 1) FROM p FOR 2) AS m
           FROM valid v, generate_series(1, 17) p WHERE substr(v.id, p, 1) <> substr(v.id, p + 1, 1))
SELECT (SELECT count(*) FROM valid) AS bases,
       (SELECT count(*) FROM subst) AS substitutions, (SELECT count(*) FROM subst WHERE ezz.cn_id_valid(m)) AS accepted,
       (SELECT count(*) FROM transp) AS transpositions, (SELECT count(*) FROM transp WHERE ezz.cn_id_valid(m)) AS accepted;

-- holder identity documents by GB/T 36903 type code
SELECT t, id, ezz.holder_id_valid(t, id) AS valid
FROM (VALUES ('111', '11010519491231002X'), ('111', '110105491231002'), ('111', '11010519491231002Y'),
             ('001', '91330106ma27xyz1q0'), ('001', '11100000000013338W'), ('001', '11330105002500287c'),
             ('516', 'H12345678'), ('516', 'c1234567890'), ('516', 'X12345678'), ('516', 'H1234'),
             ('414', 'E12345678'), ('414', 'EA1234567'), ('414', 'E1234'), ('414', 'E-12345678'),
             ('099', '民非登字第0001号'), ('999', 'ab-123'), ('999', ' leading'), ('999', repeat('9', 65))) v(t, id);
SELECT ezz.holder_id_normalize('111', '110105491231002'), ezz.holder_id_normalize('001', '11100000000013338w'),
       ezz.holder_id_normalize('414', 'ea1234567'), ezz.holder_id_normalize('999', '军字第123号');
SELECT ezz.holder_id_normalize('111', '11010519491231002Y');
SELECT ezz.holder_id_normalize('516', 'H1234');
SELECT ezz.holder_id_normalize('414', 'E 12345678');
SELECT ezz.holder_id_normalize('999', E'tab\there');
SELECT ezz.holder_id_normalize('001', '');
SELECT ezz.holder_id_normalize('123', '11010519491231002X');
SELECT ezz.holder_id_valid('', 'x');

-- masking: by character, not byte
SELECT kind, v, ezz.mask(v, kind)
FROM (VALUES ('id', '11010519491231002X'), ('id', '330106850723001'), ('id', 'E1234567'), ('id', 'H123'),
             ('id', '91330106MA27XY01QL'), ('id', 'E12345678'), ('id', 'AB'), ('name', '张'), ('name', '张三'), ('name', '张三丰'), ('name', '欧阳娜娜'),
             ('name', 'John Smith'), ('phone', '13812345678'), ('phone', '0571-87654321'), ('phone', '110'),
             ('address', '浙江省杭州市西湖区文三路90号'), ('address', '杭州'), ('address', '某'),
             ('text', '营业执照正本'), ('text', '证'), ('text', '证照')) v(kind, v);
SELECT ezz.mask('', 'id') AS empty_id, ezz.mask('', 'address') AS empty_address, ezz.mask(NULL, 'name') IS NULL AS null_is_null;
SELECT ezz.mask('张三', 'nickname');
SELECT ezz.mask('张三', '');
