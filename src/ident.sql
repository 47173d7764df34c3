-- Identifier types (SPEC §3-4): ezz.uscc, ezz.licence_ident, identity numbers,
-- masking.  All of these are pure functions, open to every role.

------------------------------------------------------------------------------
-- ezz.uscc — unified social credit code 统一社会信用代码 (GB 32100)
------------------------------------------------------------------------------
CREATE TYPE ezz.uscc;

CREATE FUNCTION ezz.uscc_in(cstring) RETURNS ezz.uscc
	AS 'MODULE_PATHNAME', 'ezz_uscc_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz.uscc_out(ezz.uscc) RETURNS cstring
	AS 'MODULE_PATHNAME', 'ezz_uscc_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz.uscc_recv(internal) RETURNS ezz.uscc
	AS 'MODULE_PATHNAME', 'ezz_uscc_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz.uscc_send(ezz.uscc) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_uscc_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ezz.uscc (
	INPUT = ezz.uscc_in,
	OUTPUT = ezz.uscc_out,
	RECEIVE = ezz.uscc_recv,
	SEND = ezz.uscc_send,
	INTERNALLENGTH = 18,
	ALIGNMENT = char,
	STORAGE = plain,
	CATEGORY = 'S'
);
COMMENT ON TYPE ezz.uscc IS 'unified social credit code 统一社会信用代码 (GB 32100): 18 characters, check character verified on input';

CREATE FUNCTION ezz.uscc_eq(ezz.uscc, ezz.uscc) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_uscc_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_ne(ezz.uscc, ezz.uscc) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_uscc_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_lt(ezz.uscc, ezz.uscc) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_uscc_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_le(ezz.uscc, ezz.uscc) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_uscc_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_gt(ezz.uscc, ezz.uscc) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_uscc_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_ge(ezz.uscc, ezz.uscc) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_uscc_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_cmp(ezz.uscc, ezz.uscc) RETURNS integer
	AS 'MODULE_PATHNAME', 'ezz_uscc_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_hash(ezz.uscc) RETURNS integer
	AS 'MODULE_PATHNAME', 'ezz_uscc_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.uscc_hash_extended(ezz.uscc, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ezz_uscc_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR ezz.= (
	LEFTARG = ezz.uscc, RIGHTARG = ezz.uscc, FUNCTION = ezz.uscc_eq,
	COMMUTATOR = OPERATOR(ezz.=), NEGATOR = OPERATOR(ezz.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR ezz.<> (
	LEFTARG = ezz.uscc, RIGHTARG = ezz.uscc, FUNCTION = ezz.uscc_ne,
	COMMUTATOR = OPERATOR(ezz.<>), NEGATOR = OPERATOR(ezz.=),
	RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ezz.< (
	LEFTARG = ezz.uscc, RIGHTARG = ezz.uscc, FUNCTION = ezz.uscc_lt,
	COMMUTATOR = OPERATOR(ezz.>), NEGATOR = OPERATOR(ezz.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR ezz.<= (
	LEFTARG = ezz.uscc, RIGHTARG = ezz.uscc, FUNCTION = ezz.uscc_le,
	COMMUTATOR = OPERATOR(ezz.>=), NEGATOR = OPERATOR(ezz.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR ezz.> (
	LEFTARG = ezz.uscc, RIGHTARG = ezz.uscc, FUNCTION = ezz.uscc_gt,
	COMMUTATOR = OPERATOR(ezz.<), NEGATOR = OPERATOR(ezz.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR ezz.>= (
	LEFTARG = ezz.uscc, RIGHTARG = ezz.uscc, FUNCTION = ezz.uscc_ge,
	COMMUTATOR = OPERATOR(ezz.<=), NEGATOR = OPERATOR(ezz.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR FAMILY ezz.uscc_ops USING btree;
CREATE OPERATOR FAMILY ezz.uscc_ops USING hash;
CREATE OPERATOR CLASS ezz.uscc_ops DEFAULT FOR TYPE ezz.uscc USING btree FAMILY ezz.uscc_ops AS
	OPERATOR 1 ezz.<, OPERATOR 2 ezz.<=, OPERATOR 3 ezz.=, OPERATOR 4 ezz.>=, OPERATOR 5 ezz.>,
	FUNCTION 1 ezz.uscc_cmp(ezz.uscc, ezz.uscc);
CREATE OPERATOR CLASS ezz.uscc_ops DEFAULT FOR TYPE ezz.uscc USING hash FAMILY ezz.uscc_ops AS
	OPERATOR 1 ezz.=,
	FUNCTION 1 ezz.uscc_hash(ezz.uscc),
	FUNCTION 2 ezz.uscc_hash_extended(ezz.uscc, bigint);

CREATE FUNCTION ezz.uscc_valid(text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_uscc_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.uscc_valid(text) IS 'true if the text is a unified social credit code with a correct GB 32100 check character';
CREATE FUNCTION ezz.uscc_complete(text) RETURNS ezz.uscc
	AS 'MODULE_PATHNAME', 'ezz_uscc_complete' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.uscc_complete(text) IS 'the unified social credit code made of these 17 characters and their GB 32100 check character';

------------------------------------------------------------------------------
-- ezz.licence_ident — licence identifier 电子证照标识 (GB/T 36904)
------------------------------------------------------------------------------
CREATE TYPE ezz.licence_ident;

CREATE FUNCTION ezz.licence_ident_in(cstring) RETURNS ezz.licence_ident
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz.licence_ident_out(ezz.licence_ident) RETURNS cstring
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz.licence_ident_recv(internal) RETURNS ezz.licence_ident
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ezz.licence_ident_send(ezz.licence_ident) RETURNS bytea
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ezz.licence_ident (
	INPUT = ezz.licence_ident_in,
	OUTPUT = ezz.licence_ident_out,
	RECEIVE = ezz.licence_ident_recv,
	SEND = ezz.licence_ident_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = main,
	CATEGORY = 'S'
);
COMMENT ON TYPE ezz.licence_ident IS 'licence identifier 电子证照标识 (GB/T 36904): 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>';

CREATE FUNCTION ezz.licence_ident_eq(ezz.licence_ident, ezz.licence_ident) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_ne(ezz.licence_ident, ezz.licence_ident) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_lt(ezz.licence_ident, ezz.licence_ident) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_le(ezz.licence_ident, ezz.licence_ident) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_gt(ezz.licence_ident, ezz.licence_ident) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_ge(ezz.licence_ident, ezz.licence_ident) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_cmp(ezz.licence_ident, ezz.licence_ident) RETURNS integer
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_hash(ezz.licence_ident) RETURNS integer
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ezz.licence_ident_hash_extended(ezz.licence_ident, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR ezz.= (
	LEFTARG = ezz.licence_ident, RIGHTARG = ezz.licence_ident, FUNCTION = ezz.licence_ident_eq,
	COMMUTATOR = OPERATOR(ezz.=), NEGATOR = OPERATOR(ezz.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR ezz.<> (
	LEFTARG = ezz.licence_ident, RIGHTARG = ezz.licence_ident, FUNCTION = ezz.licence_ident_ne,
	COMMUTATOR = OPERATOR(ezz.<>), NEGATOR = OPERATOR(ezz.=),
	RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR ezz.< (
	LEFTARG = ezz.licence_ident, RIGHTARG = ezz.licence_ident, FUNCTION = ezz.licence_ident_lt,
	COMMUTATOR = OPERATOR(ezz.>), NEGATOR = OPERATOR(ezz.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR ezz.<= (
	LEFTARG = ezz.licence_ident, RIGHTARG = ezz.licence_ident, FUNCTION = ezz.licence_ident_le,
	COMMUTATOR = OPERATOR(ezz.>=), NEGATOR = OPERATOR(ezz.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR ezz.> (
	LEFTARG = ezz.licence_ident, RIGHTARG = ezz.licence_ident, FUNCTION = ezz.licence_ident_gt,
	COMMUTATOR = OPERATOR(ezz.<), NEGATOR = OPERATOR(ezz.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR ezz.>= (
	LEFTARG = ezz.licence_ident, RIGHTARG = ezz.licence_ident, FUNCTION = ezz.licence_ident_ge,
	COMMUTATOR = OPERATOR(ezz.<=), NEGATOR = OPERATOR(ezz.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR FAMILY ezz.licence_ident_ops USING btree;
CREATE OPERATOR FAMILY ezz.licence_ident_ops USING hash;
CREATE OPERATOR CLASS ezz.licence_ident_ops DEFAULT FOR TYPE ezz.licence_ident
	USING btree FAMILY ezz.licence_ident_ops AS
	OPERATOR 1 ezz.<, OPERATOR 2 ezz.<=, OPERATOR 3 ezz.=, OPERATOR 4 ezz.>=, OPERATOR 5 ezz.>,
	FUNCTION 1 ezz.licence_ident_cmp(ezz.licence_ident, ezz.licence_ident);
CREATE OPERATOR CLASS ezz.licence_ident_ops DEFAULT FOR TYPE ezz.licence_ident
	USING hash FAMILY ezz.licence_ident_ops AS
	OPERATOR 1 ezz.=,
	FUNCTION 1 ezz.licence_ident_hash(ezz.licence_ident),
	FUNCTION 2 ezz.licence_ident_hash_extended(ezz.licence_ident, bigint);

CREATE FUNCTION ezz.licence_ident(type_code text, issuer ezz.uscc, serial text, version integer)
	RETURNS ezz.licence_ident
	AS 'MODULE_PATHNAME', 'ezz_licence_ident_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.licence_ident(text, ezz.uscc, text, integer) IS 'build a licence identifier from its parts; the check character is computed';

CREATE FUNCTION ezz.ident_type_code(ezz.licence_ident) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_ident_type_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_type_code(ezz.licence_ident) IS 'type code 证照类型代码 (21 characters) of a licence identifier';
CREATE FUNCTION ezz.ident_definer(ezz.licence_ident) RETURNS ezz.uscc
	AS 'MODULE_PATHNAME', 'ezz_ident_definer' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_definer(ezz.licence_ident) IS 'code of the department that defined the type 证照定义机构 (first 18 characters of the type code)';
CREATE FUNCTION ezz.ident_issuer(ezz.licence_ident) RETURNS ezz.uscc
	AS 'MODULE_PATHNAME', 'ezz_ident_issuer' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_issuer(ezz.licence_ident) IS 'issuer code 颁发机构代码 of a licence identifier';
CREATE FUNCTION ezz.ident_serial(ezz.licence_ident) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_ident_serial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_serial(ezz.licence_ident) IS 'serial 流水号 of a licence identifier';
CREATE FUNCTION ezz.ident_version(ezz.licence_ident) RETURNS integer
	AS 'MODULE_PATHNAME', 'ezz_ident_version' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_version(ezz.licence_ident) IS 'version 版本号 of a licence identifier (1 for 001)';
CREATE FUNCTION ezz.ident_check(ezz.licence_ident) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_ident_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_check(ezz.licence_ident) IS 'check character 校验位 of a licence identifier (ISO 7064 MOD 37,36)';
CREATE FUNCTION ezz.ident_with_version(ezz.licence_ident, integer) RETURNS ezz.licence_ident
	AS 'MODULE_PATHNAME', 'ezz_ident_with_version' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_with_version(ezz.licence_ident, integer) IS 'the same licence identifier at another version, check character recomputed';
CREATE FUNCTION ezz.ident_valid(text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_ident_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.ident_valid(text) IS 'true if the text is a licence identifier that input would accept under ezz.uscc_check = error';

------------------------------------------------------------------------------
-- Holder identity numbers and masking
------------------------------------------------------------------------------
CREATE FUNCTION ezz.cn_id_valid(text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_cn_id_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.cn_id_valid(text) IS 'true if the text is a citizen identity number 公民身份号码 (GB 11643): check character and birth date; 15-digit first-generation numbers too';
CREATE FUNCTION ezz.cn_id_normalize(text) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_cn_id_normalize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.cn_id_normalize(text) IS 'the 18-character form of a citizen identity number (15 digits converted, x upper-cased); 22P02 if invalid';
CREATE FUNCTION ezz.holder_id_valid(id_type text, id text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'ezz_holder_id_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.holder_id_valid(text, text) IS 'true if id is a valid document number of holder identity type id_type (111, 001, 099, 516, 414, 999)';
CREATE FUNCTION ezz.holder_id_normalize(id_type text, id text) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_holder_id_normalize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.holder_id_normalize(text, text) IS 'the normal form of a holder document number (upper case; identity numbers in 18 characters); 22P02 if invalid';
CREATE FUNCTION ezz.mask(value text, kind text) RETURNS text
	AS 'MODULE_PATHNAME', 'ezz_mask' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ezz.mask(text, text) IS 'mask a value for display 脱敏; kind is id, name, phone, address or text';
