/*
 * holder.c — holder identity numbers at rest: normalised (GB 11643, GB 32100,
 * other documents), encrypted with AES-256-GCM under the master key, indexed
 * blindly with HMAC-SM3 for equality look-up, and masked for display.  The
 * clear number never leaves C except through ezz._holder_reveal, which only
 * ezz_owner may call.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "crypto.h"
#include "ezz.h"
#include "idparse.h"
#include "masterkey.h"
#include "person.h"

#define HOLDER_CIPHER_ALG "aes-256-gcm"

/* Normalise or raise 22P02/22023 with the wording of ezz.holder_id_normalize. */
static text *
Normalise(text *id_type, text *id)
{
	return DatumGetTextPP(DirectFunctionCall2(ezz_holder_id_normalize,
											  PointerGetDatum(id_type), PointerGetDatum(id)));
}

static char *
Aad(const char *id_type)
{
	return psprintf("ezz:holder-id:%s", id_type);
}

static bytea *
Blind(int version, const char *id_type, const char *norm, int normlen)
{
	uint8		key[EZZ_AEAD_KEY_LEN];
	uint8		mac[EZZ_DIGEST_LEN];
	char	   *msg = psprintf("%s:%.*s", id_type, normlen, norm);
	bytea	   *out = palloc(VARHDRSZ + EZZ_DIGEST_LEN);

	ezz_master_derive(version, EZZ_KEY_BLIND_INDEX, key);
	ezz_hmac("SM3", key, sizeof(key), msg, strlen(msg), mac);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(msg, strlen(msg));
	memcpy(VARDATA(out), mac, EZZ_DIGEST_LEN);
	SET_VARSIZE(out, VARHDRSZ + EZZ_DIGEST_LEN);
	return out;
}

static Datum
ProtectedTuple(FunctionCallInfo fcinfo, bytea *cipher, int version, bytea *blind, text *masked)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, masked == NULL};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = PointerGetDatum(cipher);
	values[1] = CStringGetTextDatum(HOLDER_CIPHER_ALG);
	values[2] = Int32GetDatum(version);
	values[3] = PointerGetDatum(blind);
	values[4] = masked ? PointerGetDatum(masked) : (Datum) 0;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * ezz._holder_protect(id_type, id) -> (id_cipher, id_cipher_alg, id_key_version,
 * id_blind, id_masked), under the current master key version.
 */
PG_FUNCTION_INFO_V1(ezz_holder_protect);
Datum
ezz_holder_protect(PG_FUNCTION_ARGS)
{
	text	   *id_type = PG_GETARG_TEXT_PP(0);
	text	   *norm = Normalise(id_type, PG_GETARG_TEXT_PP(1));
	char	   *type = text_to_cstring(id_type);
	int			version = ezz_master_current_version();
	uint8		key[EZZ_AEAD_KEY_LEN];
	char	   *aad = Aad(type);
	bytea	   *cipher;
	bytea	   *blind;
	text	   *masked;

	ezz_master_derive(version, EZZ_KEY_HOLDER_ID, key);
	cipher = ezz_aead_seal(key, VARDATA_ANY(norm), VARSIZE_ANY_EXHDR(norm), aad, strlen(aad));
	explicit_bzero(key, sizeof(key));
	blind = Blind(version, type, VARDATA_ANY(norm), VARSIZE_ANY_EXHDR(norm));
	masked = DatumGetTextPP(DirectFunctionCall2(ezz_mask, PointerGetDatum(norm),
												CStringGetTextDatum("id")));
	explicit_bzero(VARDATA_ANY(norm), VARSIZE_ANY_EXHDR(norm));
	PG_RETURN_DATUM(ProtectedTuple(fcinfo, cipher, version, blind, masked));
}

/*
 * ezz._holder_blinds(id_type, id) -> bytea[]: the blind index under every
 * master key version in the key file, current first, so that a look-up finds
 * holders not yet moved to the current key by ezz.rotate_master_key().
 */
PG_FUNCTION_INFO_V1(ezz_holder_blinds);
Datum
ezz_holder_blinds(PG_FUNCTION_ARGS)
{
	text	   *id_type = PG_GETARG_TEXT_PP(0);
	text	   *norm = Normalise(id_type, PG_GETARG_TEXT_PP(1));
	char	   *type = text_to_cstring(id_type);
	int			versions[EZZ_MAX_MASTER_VERSIONS];
	int			n = ezz_master_versions(versions, EZZ_MAX_MASTER_VERSIONS);
	Datum	   *blinds = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		blinds[i] = PointerGetDatum(Blind(versions[i], type, VARDATA_ANY(norm), VARSIZE_ANY_EXHDR(norm)));
	explicit_bzero(VARDATA_ANY(norm), VARSIZE_ANY_EXHDR(norm));
	PG_RETURN_ARRAYTYPE_P(construct_array(blinds, n, BYTEAOID, -1, false, TYPALIGN_INT));
}

static text *
Open(const char *type, bytea *cipher, const char *alg, int version)
{
	uint8		key[EZZ_AEAD_KEY_LEN];
	char	   *aad = Aad(type);
	char	   *plain;
	size_t		len;
	bool		ok;
	text	   *out;

	if (strcmp(alg, HOLDER_CIPHER_ALG) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("holder identity encrypted with unknown algorithm \"%s\"", alg)));
	ezz_master_derive(version, EZZ_KEY_HOLDER_ID, key);
	ok = ezz_aead_open(key, cipher, aad, strlen(aad), &plain, &len);
	explicit_bzero(key, sizeof(key));
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("a holder identity number does not decrypt under master key version %d", version),
				 errdetail("AES-256-GCM authentication failed: the ciphertext was altered, or the key file holds a different key under that version."),
				 errhint("Check that ezz.key_file is the file the data was written with.")));
	out = cstring_to_text_with_len(plain, len);
	explicit_bzero(plain, len);
	pfree(plain);
	return out;
}

/* ezz._holder_reveal(id_type, id_cipher, id_cipher_alg, id_key_version) -> text */
PG_FUNCTION_INFO_V1(ezz_holder_reveal);
Datum
ezz_holder_reveal(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(Open(text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_BYTEA_PP(1),
						  text_to_cstring(PG_GETARG_TEXT_PP(2)), PG_GETARG_INT32(3)));
}

/*
 * ezz._holder_reseal(id_type, id_cipher, id_cipher_alg, id_key_version) ->
 * (id_cipher, id_cipher_alg, id_key_version, id_blind, id_masked): the same
 * number under the current master key version (id_masked NULL: unchanged).
 */
PG_FUNCTION_INFO_V1(ezz_holder_reseal);
Datum
ezz_holder_reseal(PG_FUNCTION_ARGS)
{
	char	   *type = text_to_cstring(PG_GETARG_TEXT_PP(0));
	text	   *plain = Open(type, PG_GETARG_BYTEA_PP(1), text_to_cstring(PG_GETARG_TEXT_PP(2)),
							 PG_GETARG_INT32(3));
	int			version = ezz_master_current_version();
	uint8		key[EZZ_AEAD_KEY_LEN];
	char	   *aad = Aad(type);
	bytea	   *cipher;
	bytea	   *blind;

	ezz_master_derive(version, EZZ_KEY_HOLDER_ID, key);
	cipher = ezz_aead_seal(key, VARDATA_ANY(plain), VARSIZE_ANY_EXHDR(plain), aad, strlen(aad));
	explicit_bzero(key, sizeof(key));
	blind = Blind(version, type, VARDATA_ANY(plain), VARSIZE_ANY_EXHDR(plain));
	explicit_bzero(VARDATA_ANY(plain), VARSIZE_ANY_EXHDR(plain));
	PG_RETURN_DATUM(ProtectedTuple(fcinfo, cipher, version, blind, NULL));
}
