/*
 * sign.c — department signing keys and licence signatures, SQL-facing.
 *
 * Private keys are generated in C, sealed at once with AES-256-GCM under the
 * master key (the associated data binds them to their public key's
 * fingerprint), and opened only to sign.  A licence document is signed over
 * its RFC 8785 canonical form.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "canon.h"
#include "crypto.h"
#include "ezz.h"
#include "masterkey.h"
#include "sign.h"

/* the algorithm named s, or an error */
static EzzAlgorithm
AlgorithmNamed(const char *s)
{
	EzzAlgorithm alg;

	if (!ezz_algorithm_parse(s, &alg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown signature algorithm %s", ezz_quote_literal(s, strlen(s))),
				 errdetail("ezz signs with sm2 (SM2 with SM3, the default), ed25519 or ecdsa-p256.")));
	return alg;
}

static EzzAlgorithm
AlgorithmArg(text *name)
{
	return AlgorithmNamed(text_to_cstring(name));
}

static char *
Hex(const uint8 *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char	   *out = palloc(len * 2 + 1);

	for (size_t i = 0; i < len; i++)
	{
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[len * 2] = '\0';
	return out;
}

static char *
Fingerprint(const bytea *public_der)
{
	uint8		d[EZZ_DIGEST_LEN];

	ezz_digest("SM3", VARDATA_ANY(public_der), VARSIZE_ANY_EXHDR(public_der), d);
	return Hex(d, sizeof(d));
}

static char *
PrivateAad(const char *fingerprint)
{
	return psprintf("ezz:private-key:%s", fingerprint);
}

static bytea *
SealPrivate(const bytea *der, const char *fingerprint, int *version)
{
	uint8		key[EZZ_AEAD_KEY_LEN];
	char	   *aad = PrivateAad(fingerprint);
	bytea	   *sealed;

	*version = ezz_master_current_version();
	ezz_master_derive(*version, EZZ_KEY_PRIVATE_KEY, key);
	sealed = ezz_aead_seal(key, VARDATA_ANY(der), VARSIZE_ANY_EXHDR(der), aad, strlen(aad));
	explicit_bzero(key, sizeof(key));
	return sealed;
}

static bytea *
OpenPrivate(const bytea *sealed, int version, const char *fingerprint)
{
	uint8		key[EZZ_AEAD_KEY_LEN];
	char	   *aad = PrivateAad(fingerprint);
	char	   *plain;
	size_t		len;
	bool		ok;
	bytea	   *der;

	ezz_master_derive(version, EZZ_KEY_PRIVATE_KEY, key);
	ok = ezz_aead_open(key, sealed, aad, strlen(aad), &plain, &len);
	explicit_bzero(key, sizeof(key));
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the private key with fingerprint %s does not decrypt under master key version %d",
						fingerprint, version),
				 errdetail("AES-256-GCM authentication failed: the sealed key was altered or moved to another key row, or the key file holds a different key under that version."),
				 errhint("Check that ezz.key_file is the file the key was created with.")));
	der = palloc(VARHDRSZ + len);
	memcpy(VARDATA(der), plain, len);
	SET_VARSIZE(der, VARHDRSZ + len);
	explicit_bzero(plain, len);
	pfree(plain);
	return der;
}

/*
 * ezz._key_generate(algorithm text) -> (algorithm, public_key, private_key,
 * master_key_version, fingerprint).  NULL means ezz.default_algorithm.
 */
PG_FUNCTION_INFO_V1(ezz_key_generate_sql);
Datum
ezz_key_generate_sql(PG_FUNCTION_ARGS)
{
	EzzAlgorithm alg = PG_ARGISNULL(0) ? (EzzAlgorithm) ezz_default_algorithm : AlgorithmArg(PG_GETARG_TEXT_PP(0));
	bytea	   *private_der;
	bytea	   *public_der;
	char	   *fingerprint;
	bytea	   *sealed;
	int			version;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	/* the master key first: no key is generated if it cannot be sealed */
	(void) ezz_master_current_version();
	ezz_key_generate(alg, &private_der, &public_der);
	fingerprint = Fingerprint(public_der);
	PG_TRY();
	{
		sealed = SealPrivate(private_der, fingerprint, &version);
	}
	PG_FINALLY();
	{
		explicit_bzero(VARDATA(private_der), VARSIZE(private_der) - VARHDRSZ);
	}
	PG_END_TRY();
	pfree(private_der);
	values[0] = CStringGetTextDatum(ezz_algorithm_name(alg));
	values[1] = PointerGetDatum(public_der);
	values[2] = PointerGetDatum(sealed);
	values[3] = Int32GetDatum(version);
	values[4] = CStringGetTextDatum(fingerprint);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/* ezz._key_reseal(private_key, master_key_version, fingerprint) -> (private_key, master_key_version) */
PG_FUNCTION_INFO_V1(ezz_key_reseal);
Datum
ezz_key_reseal(PG_FUNCTION_ARGS)
{
	char	   *fingerprint = text_to_cstring(PG_GETARG_TEXT_PP(2));
	bytea	   *der = OpenPrivate(PG_GETARG_BYTEA_PP(0), PG_GETARG_INT32(1), fingerprint);
	bytea	   *sealed = NULL;
	int			version = 0;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	PG_TRY();
	{
		sealed = SealPrivate(der, fingerprint, &version);
	}
	PG_FINALLY();
	{
		explicit_bzero(VARDATA(der), VARSIZE(der) - VARHDRSZ);
	}
	PG_END_TRY();
	values[0] = PointerGetDatum(sealed);
	values[1] = Int32GetDatum(version);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

typedef struct OpenArgs
{
	const bytea *sealed;
	int			version;
	const char *fingerprint;
} OpenArgs;

static bytea *
LoadPrivate(void *arg)
{
	OpenArgs   *a = (OpenArgs *) arg;

	return OpenPrivate(a->sealed, a->version, a->fingerprint);
}

static void
Canonical(Jsonb *doc, StringInfo out)
{
	initStringInfo(out);
	ezz_canonicalize(out, doc);
}

/*
 * ezz._sign_document(key_id, algorithm, private_key, master_key_version,
 * fingerprint, document jsonb) -> signature bytea, over the RFC 8785 form.
 */
PG_FUNCTION_INFO_V1(ezz_sign_document);
Datum
ezz_sign_document(PG_FUNCTION_ARGS)
{
	int64		key_id = PG_GETARG_INT64(0);
	EzzAlgorithm alg = AlgorithmArg(PG_GETARG_TEXT_PP(1));
	bytea	   *sealed = PG_GETARG_BYTEA_PP(2);
	OpenArgs	args = {sealed, PG_GETARG_INT32(3), text_to_cstring(PG_GETARG_TEXT_PP(4))};
	StringInfoData canon;
	uint8		tag[EZZ_DIGEST_LEN];

	Canonical(PG_GETARG_JSONB_P(5), &canon);
	ezz_digest("SM3", VARDATA_ANY(sealed), VARSIZE_ANY_EXHDR(sealed), tag);
	PG_RETURN_BYTEA_P(ezz_sign(key_id, tag, alg, LoadPrivate, &args, canon.data, canon.len));
}

static bool
HexToBytes(const char *hex, uint8 *out, size_t n)
{
	if (strlen(hex) != n * 2)
		return false;
	for (size_t i = 0; i < 2 * n; i++)
	{
		char		c = hex[i];
		int			v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (v < 0)
			return false;
		if (i % 2 == 0)
			out[i / 2] = (uint8) (v << 4);
		else
			out[i / 2] |= (uint8) v;
	}
	return true;
}

/*
 * Whether doc's signature sig verifies with the public key (of the key
 * key_id, algorithm, fingerprint): NULL if it does, else why not.  An
 * unknown algorithm is an error.
 */
const char *
ezz_document_signature_problem(int64 key_id, const char *algorithm, const bytea *public_der,
							   const char *fingerprint, Jsonb *doc, const bytea *sig)
{
	EzzAlgorithm alg = AlgorithmNamed(algorithm);
	StringInfoData canon;
	uint8		tag[EZZ_DIGEST_LEN];
	const char *reason = NULL;
	bool		good;

	if (!HexToBytes(fingerprint, tag, sizeof(tag)))
		return "the key's fingerprint is malformed";
	Canonical(doc, &canon);
	good = ezz_verify(key_id, tag, alg, public_der, canon.data, canon.len, VARDATA_ANY(sig),
					  VARSIZE_ANY_EXHDR(sig), &reason);
	pfree(canon.data);
	return good ? NULL : reason;
}

/*
 * ezz._verify_document(key_id, algorithm, public_key, fingerprint, document,
 * signature) -> text: NULL if the signature is good, else why not.
 */
PG_FUNCTION_INFO_V1(ezz_verify_document_sig);
Datum
ezz_verify_document_sig(PG_FUNCTION_ARGS)
{
	const char *problem = ezz_document_signature_problem(PG_GETARG_INT64(0), text_to_cstring(PG_GETARG_TEXT_PP(1)),
														 PG_GETARG_BYTEA_PP(2),
														 text_to_cstring(PG_GETARG_TEXT_PP(3)),
														 PG_GETARG_JSONB_P(4), PG_GETARG_BYTEA_PP(5));

	if (problem == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(problem));
}

/* ezz._document_hash(document jsonb) -> SM3 of its canonical form */
PG_FUNCTION_INFO_V1(ezz_document_hash);
Datum
ezz_document_hash(PG_FUNCTION_ARGS)
{
	StringInfoData canon;
	bytea	   *out = palloc(VARHDRSZ + EZZ_DIGEST_LEN);

	Canonical(PG_GETARG_JSONB_P(0), &canon);
	ezz_digest("SM3", canon.data, canon.len, (uint8 *) VARDATA(out));
	SET_VARSIZE(out, VARHDRSZ + EZZ_DIGEST_LEN);
	PG_RETURN_BYTEA_P(out);
}

/* ezz.sm3(bytea) -> bytea and ezz.sha256 are in PostgreSQL already; SM3 is not */
PG_FUNCTION_INFO_V1(ezz_sm3);
Datum
ezz_sm3(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	bytea	   *out = palloc(VARHDRSZ + EZZ_DIGEST_LEN);

	ezz_digest("SM3", VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in), (uint8 *) VARDATA(out));
	SET_VARSIZE(out, VARHDRSZ + EZZ_DIGEST_LEN);
	PG_RETURN_BYTEA_P(out);
}

/* ezz._public_key_pem(public_key bytea) -> text */
PG_FUNCTION_INFO_V1(ezz_public_key_pem_sql);
Datum
ezz_public_key_pem_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(ezz_public_key_pem(PG_GETARG_BYTEA_PP(0))));
}

/* ezz._public_key_from_pem(pem text) -> (algorithm, public_key, fingerprint) */
PG_FUNCTION_INFO_V1(ezz_public_key_from_pem_sql);
Datum
ezz_public_key_from_pem_sql(PG_FUNCTION_ARGS)
{
	text	   *pem = PG_GETARG_TEXT_PP(0);
	EzzAlgorithm alg;
	bytea	   *der = ezz_public_key_from_pem(VARDATA_ANY(pem), VARSIZE_ANY_EXHDR(pem), &alg);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = CStringGetTextDatum(ezz_algorithm_name(alg));
	values[1] = PointerGetDatum(der);
	values[2] = CStringGetTextDatum(Fingerprint(der));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/* ezz._master_key_versions() -> int[]: which versions the key file holds, current first */
PG_FUNCTION_INFO_V1(ezz_master_key_versions);
Datum
ezz_master_key_versions(PG_FUNCTION_ARGS)
{
	int			versions[EZZ_MAX_MASTER_VERSIONS];
	int			n = ezz_master_versions(versions, EZZ_MAX_MASTER_VERSIONS);
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Int32GetDatum(versions[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, n, INT4OID, 4, true, TYPALIGN_INT));
}
