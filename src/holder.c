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
#include "mb/pg_wchar.h"
#include "utils/tuplestore.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "crypto.h"
#include "ezz.h"
#include "idparse.h"
#include "ident.h"
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

/*
 * id_digest: hex SM3 of "<licence>|<id_type>:<number>", which lets a verifier
 * holding the person's document check a licence's holder without anyone
 * reading the number.  The input is wiped.
 */
static void
DigestHex(const char *licence, const char *type, const char *norm, char hexout[EZZ_DIGEST_LEN * 2 + 1])
{
	static const char hex[] = "0123456789abcdef";
	char	   *in = psprintf("%s|%s:%s", licence, type, norm);
	uint8		digest[EZZ_DIGEST_LEN];

	ezz_digest("SM3", in, strlen(in), digest);
	explicit_bzero(in, strlen(in));
	pfree(in);
	for (int b = 0; b < EZZ_DIGEST_LEN; b++)
	{
		hexout[2 * b] = hex[digest[b] >> 4];
		hexout[2 * b + 1] = hex[digest[b] & 15];
	}
	hexout[EZZ_DIGEST_LEN * 2] = '\0';
}

/*
 * ezz._holder_digest(licence, id_type, id_cipher, id_cipher_alg,
 * id_key_version) -> text: the id_digest of a recorded holder for a licence
 * (a new version of a licence has a new identifier, so a new digest).
 */
PG_FUNCTION_INFO_V1(ezz_holder_digest);
Datum
ezz_holder_digest(PG_FUNCTION_ARGS)
{
	char	   *licence = DatumGetCString(DirectFunctionCall1(ezz_licence_ident_out, PG_GETARG_DATUM(0)));
	char	   *type = text_to_cstring(PG_GETARG_TEXT_PP(1));
	text	   *plain = Open(type, PG_GETARG_BYTEA_PP(2), text_to_cstring(PG_GETARG_TEXT_PP(3)), PG_GETARG_INT32(4));
	char	   *norm = text_to_cstring(plain);
	char		hexout[EZZ_DIGEST_LEN * 2 + 1];

	DigestHex(licence, type, norm, hexout);
	explicit_bzero(norm, strlen(norm));
	explicit_bzero(VARDATA_ANY(plain), VARSIZE_ANY_EXHDR(plain));
	PG_RETURN_TEXT_P(cstring_to_text(hexout));
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

/* ---------------------------------------------------------------------------
 * ezz._holder_parse(holder jsonb, allowed_kinds text[], licence ezz.licence_ident)
 *
 * A licence's holder argument (one holder object or an array of them) checked
 * and turned into rows: pos, role, kind, id_type, id_masked, name,
 * related_pos (for a holder without an identity number, the position of the
 * holder it is identified through), id_digest (hex SM3 of
 * "<licence>|<id_type>:<number>", which lets a verifier holding the person's
 * document check it without anyone reading it), blinds (the blind index
 * under every master key version), and the sealed number under the current
 * version; for a holder without a number, related_role (the role of the
 * holder it is identified through).  Holders with an identity number come
 * first.
 * ---------------------------------------------------------------------------
 */
#include "utils/jsonb.h"

#define MAX_HOLDERS 50

typedef struct HolderIn
{
	Jsonb	   *obj;
	int			pos;
	char	   *role;
	char	   *kind;
	char	   *id_type;
	char	   *id;
	char	   *name;
	char	   *related_role;
	text	   *norm;
	int			related_pos;
} HolderIn;

static char *
JsonStr(Jsonb *obj, const char *key, int pos, bool *present)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&obj->root, key, strlen(key), NULL);

	*present = v != NULL && v->type != jbvNull;
	if (!*present)
		return NULL;
	if (v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holder %d: \"%s\" must be a string", pos, key)));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static bool
IsNaturalDocument(const char *t)
{
	return strcmp(t, "111") == 0 || strcmp(t, "516") == 0 || strcmp(t, "414") == 0 || strcmp(t, "999") == 0;
}

PG_FUNCTION_INFO_V1(ezz_holder_parse);
Datum
ezz_holder_parse(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *holder;
	ArrayType  *allowed;
	char	   *licence;
	Datum	   *kinds;
	int			nkinds;
	HolderIn	h[MAX_HOLDERS];
	int			n = 0;
	int			versions[EZZ_MAX_MASTER_VERSIONS];
	int			nversions;
	int			current;
	uint8		seal_key[EZZ_AEAD_KEY_LEN];
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		single;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("holder must not be NULL"),
				 errhint("Pass {\"role\": \"持证人\", \"type\": \"natural_person\", \"id_type\": \"111\", \"id\": \"…\", \"name\": \"…\"}, or an array of them.")));
	holder = PG_GETARG_JSONB_P(0);
	allowed = PG_GETARG_ARRAYTYPE_P(1);
	licence = DatumGetCString(DirectFunctionCall1(ezz_licence_ident_out, PG_GETARG_DATUM(2)));
	deconstruct_array(allowed, TEXTOID, -1, false, TYPALIGN_INT, &kinds, NULL, &nkinds);

	/* collect the holder objects */
	single = JB_ROOT_IS_OBJECT(holder);
	if (!single && !(JB_ROOT_IS_ARRAY(holder) && !JB_ROOT_IS_SCALAR(holder)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holder must be a holder object or a non-empty array of them")));
	it = JsonbIteratorInit(&holder->root);
	if (single)
	{
		h[0].pos = 1;
		h[0].obj = holder;
		n = 1;
	}
	else
	{
		tok = JsonbIteratorNext(&it, &v, true);
		while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_ELEM)
		{
			if (n == MAX_HOLDERS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a licence has at most %d holders", MAX_HOLDERS)));
			if (v.type != jbvBinary || !(v.val.binary.data->header & JB_FOBJECT))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("holder %d is not a JSON object", n + 1)));
			h[n].pos = n + 1;
			h[n].obj = JsonbValueToJsonb(&v);
			n++;
		}
	}
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holder must be a holder object or a non-empty array of them")));

	/* read and check each */
	for (int i = 0; i < n; i++)
	{
		Jsonb	   *obj = h[i].obj;
		bool		present;
		bool		kind_ok = false;
		JsonbIterator *kit = JsonbIteratorInit(&obj->root);
		JsonbValue	kv;

		while ((tok = JsonbIteratorNext(&kit, &kv, true)) != WJB_DONE)
		{
			static const char *const known[] = {"role", "type", "id_type", "id", "name", "related_role"};
			bool		ok = false;

			if (tok != WJB_KEY)
				continue;
			for (size_t k = 0; k < lengthof(known); k++)
				if ((size_t) kv.val.string.len == strlen(known[k]) &&
					memcmp(kv.val.string.val, known[k], kv.val.string.len) == 0)
					ok = true;
			if (!ok)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("holder %d has unknown attribute %s", i + 1,
								ezz_quote_literal(kv.val.string.val, kv.val.string.len)),
						 errhint("A holder has role, type, id_type, id, name and, without an identity number, related_role.")));
		}
		h[i].role = JsonStr(obj, "role", i + 1, &present);
		if (!present)
			h[i].role = pstrdup("持证人");
		h[i].kind = JsonStr(obj, "type", i + 1, &present);
		h[i].id_type = JsonStr(obj, "id_type", i + 1, &present);
		h[i].id = JsonStr(obj, "id", i + 1, &present);
		h[i].name = JsonStr(obj, "name", i + 1, &present);
		h[i].related_role = JsonStr(obj, "related_role", i + 1, &present);
		h[i].related_pos = 0;
		for (int k = 0; k < nkinds && h[i].kind; k++)
			if (strcmp(TextDatumGetCString(kinds[k]), h[i].kind) == 0)
				kind_ok = true;
		if (!kind_ok)
		{
			StringInfoData list;

			initStringInfo(&list);
			for (int k = 0; k < nkinds; k++)
				appendStringInfo(&list, "%s%s", k ? ", " : "", TextDatumGetCString(kinds[k]));
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holder %d has type %s, but this licence type is held by %s", i + 1,
							h[i].kind ? ezz_quote_literal(h[i].kind, strlen(h[i].kind)) : "none", list.data)));
		}
		if (h[i].name)
		{
			char	   *s = h[i].name;
			char	   *e = s + strlen(s);

			while (*s == ' ')
				s++;
			while (e > s && e[-1] == ' ')
				e--;
			h[i].name = pnstrdup(s, e - s);
		}
		if (h[i].name == NULL || h[i].name[0] == '\0' || pg_mbstrlen(h[i].name) > 200)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holder %d needs a name of 1 to 200 characters", i + 1)));
		if (h[i].role[0] == '\0' || pg_mbstrlen(h[i].role) > 50)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holder %d has a role of %d characters; roles have 1 to 50", i + 1,
							pg_mbstrlen(h[i].role))));
		for (int j = 0; j < i; j++)
			if (strcmp(h[j].role, h[i].role) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("holders %d and %d have the same role %s; roles differ between the holders of a licence",
								j + 1, i + 1, ezz_quote_literal(h[i].role, strlen(h[i].role)))));
		if (h[i].id_type != NULL)
		{
			if (h[i].id == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("holder %d has id_type %s but no id", i + 1, h[i].id_type)));
			if ((strcmp(h[i].kind, "natural_person") == 0) != IsNaturalDocument(h[i].id_type))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("holder %d is a %s but has document type %s", i + 1, h[i].kind, h[i].id_type),
						 errdetail("Natural persons have 111, 516, 414 or 999; legal persons and other organisations 001 or 099.")));
			/* 22P02 (or 22023 for an unknown type) naming what is wrong */
			h[i].norm = Normalise(cstring_to_text(h[i].id_type), cstring_to_text(h[i].id));
		}
		else if (h[i].id != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holder %d has an id but no id_type", i + 1),
					 errhint("id_type is 111 (citizen identity number), 001, 099, 516, 414 or 999.")));
	}
	/* holders without a number are identified through one with */
	for (int i = 0; i < n; i++)
	{
		if (h[i].id_type != NULL)
			continue;
		for (int j = 0; j < n && h[i].related_pos == 0; j++)
			if (h[j].id_type != NULL &&
				(h[i].related_role == NULL || strcmp(h[j].role, h[i].related_role) == 0))
				h[i].related_pos = h[j].pos;
		if (h[i].related_pos == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("holder %d has no identity number and no related holder with one", i + 1),
					 errhint("A holder without an identity number (a newborn) is identified through another holder of the licence: give related_role.")));
	}

	/* protect and emit */
	/* the row type the executor expects, when it says: not rebuilt per call */
	InitMaterializedSRF(fcinfo, rsinfo != NULL && IsA(rsinfo, ReturnSetInfo) && rsinfo->expectedDesc != NULL ?
						MAT_SRF_USE_EXPECTED_DESC : 0);
	nversions = ezz_master_versions(versions, EZZ_MAX_MASTER_VERSIONS);
	current = versions[0];
	ezz_master_derive(current, EZZ_KEY_HOLDER_ID, seal_key);
	for (int pass = 0; pass < 2; pass++)
	{
		for (int i = 0; i < n; i++)
		{
			Datum		values[14];
			bool		nulls[14] = {0};
			bool		has_id = h[i].id_type != NULL;

			if ((pass == 0) != has_id)
				continue;
			values[0] = Int32GetDatum(h[i].pos);
			values[1] = CStringGetTextDatum(h[i].role);
			values[2] = CStringGetTextDatum(h[i].kind);
			values[5] = CStringGetTextDatum(h[i].name);
			if (has_id)
			{
				char	   *normstr = text_to_cstring(h[i].norm);
				int			normlen = strlen(normstr);
				char	   *aad = Aad(h[i].id_type);
				Datum	   *blinds = palloc(sizeof(Datum) * nversions);
				char		digest_hex[EZZ_DIGEST_LEN * 2 + 1];

				DigestHex(licence, h[i].id_type, normstr, digest_hex);
				for (int b = 0; b < nversions; b++)
					blinds[b] = PointerGetDatum(Blind(versions[b], h[i].id_type, normstr, normlen));
				values[3] = CStringGetTextDatum(h[i].id_type);
				values[4] = DirectFunctionCall2(ezz_mask, PointerGetDatum(h[i].norm), CStringGetTextDatum("id"));
				nulls[6] = true;
				values[7] = CStringGetTextDatum(digest_hex);
				values[8] = PointerGetDatum(construct_array(blinds, nversions, BYTEAOID, -1, false, TYPALIGN_INT));
				values[9] = PointerGetDatum(ezz_aead_seal(seal_key, normstr, normlen, aad, strlen(aad)));
				values[10] = CStringGetTextDatum(HOLDER_CIPHER_ALG);
				values[11] = Int32GetDatum(current);
				values[12] = blinds[0];
				nulls[13] = true;
				explicit_bzero(normstr, normlen);
				explicit_bzero(VARDATA_ANY(h[i].norm), VARSIZE_ANY_EXHDR(h[i].norm));
			}
			else
			{
				nulls[3] = nulls[4] = nulls[7] = nulls[8] = nulls[9] = nulls[10] = nulls[11] = nulls[12] = true;
				values[6] = Int32GetDatum(h[i].related_pos);
				for (int j = 0; j < n; j++)
					if (h[j].pos == h[i].related_pos)
						values[13] = CStringGetTextDatum(h[j].role);
			}
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	explicit_bzero(seal_key, sizeof(seal_key));
	return (Datum) 0;
}
