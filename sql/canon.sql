--
-- canon: RFC 8785 JSON Canonicalization Scheme (ezz.canonical_json) and the
-- ES6 number form (ezz.es6_number)
--
SET search_path = public, ezz;
\set SHOW_CONTEXT never

-- RFC 8785 3.2.2: the example with numbers, an escaped string and literals
SELECT ezz.canonical_json('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA''\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}');
-- RFC 8785 3.2.3: members sorted by UTF-16 code units (an emoji is a surrogate
-- pair and sorts before U+FB33, unlike code point order)
SELECT ezz.canonical_json('{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}');
-- nested structures, empty objects and arrays, a key that is empty
SELECT ezz.canonical_json('{"1": {"f": {"f": "hi","F": 5} ,"\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ { } ], "A": { }}');
-- DEL and U+0080 are not escaped; only '"', '\' and controls below U+0020
SELECT ezz.canonical_json('{"</script>": "Browser Challenge", "\u0080": "Control\u007f", "tab": "a\tb", "nul": "\u0001\u001f"}');
-- scalars at the top
SELECT ezz.canonical_json('"top"'), ezz.canonical_json('42'), ezz.canonical_json('-0'), ezz.canonical_json('true'),
       ezz.canonical_json('null'), ezz.canonical_json('[]'), ezz.canonical_json('{}');
-- jsonb sorts keys length first; JCS does not
SELECT '{"bb": 1, "a": 2, "ccc": 3}'::jsonb::text AS jsonb_order, ezz.canonical_json('{"bb": 1, "a": 2, "ccc": 3}') AS jcs_order;
-- beyond the double range there is no JSON number
SELECT ezz.canonical_json('1e400');
SELECT ezz.canonical_json('[1, {"x": -1e309}]');
SELECT ezz.canonical_json(NULL) IS NULL AS strict;

-- RFC 8785 Appendix B, number serialisation
SELECT x, ezz.es6_number(x::float8)
FROM unnest(ARRAY['0', '-0', '5e-324', '-5e-324', '1.7976931348623157e308', '-1.7976931348623157e308',
                  '9007199254740992', '-9007199254740992', '295147905179352830000', '9.999999999999997e22', '1e23',
                  '1.0000000000000001e23', '999999999999999700000', '999999999999999900000', '1e21',
                  '9.999999999999997e-7', '0.000001', '333333333.3333332', '333333333.33333325', '333333333.3333333',
                  '333333333.3333334', '333333333.33333343', '-0.0000033333333333333333', '1424953923781206.2']) x;
SELECT ezz.es6_number('NaN');
SELECT ezz.es6_number('Infinity');

-- 5,000 doubles against ECMAScript itself: test/data/es6_numbers.csv was
-- written by JSON.stringify (Node, test/data/gen_es6_numbers.js): random bit
-- patterns, integers around 2^53, short decimals, powers of ten and their
-- neighbours across the notation boundaries
CREATE TABLE es6_vector (input text, bits text, expected text);
\copy es6_vector FROM 'test/data/es6_numbers.csv' WITH (FORMAT csv)
SELECT count(*) AS vectors,
       count(*) FILTER (WHERE ezz.es6_number(input::float8) <> expected) AS mismatches,
       count(*) FILTER (WHERE encode(float8send(input::float8), 'hex') <> bits) AS misread_inputs
FROM es6_vector;
SELECT input, expected, ezz.es6_number(input::float8) AS got
FROM es6_vector WHERE ezz.es6_number(input::float8) <> expected LIMIT 5;
-- and inside a document, through numeric: the same form
SELECT count(*) FILTER (WHERE ezz.canonical_json(jsonb_build_array(input::numeric)) <> '[' || expected || ']') AS mismatches_in_json
FROM es6_vector;
DROP TABLE es6_vector;

-- the canonical form does not depend on session settings
SET extra_float_digits = -15;
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'America/New_York';
SELECT ezz.canonical_json('{"n": 0.1, "big": 1e21, "small": 1e-7, "d": "2025-05-22"}');
RESET extra_float_digits;
RESET DateStyle;
RESET TimeZone;
