/*
 * verify.c — verification 核验 of a licence of this library: its signature
 * by its signing key as of its signing time (the key's validity and
 * revocation, the issuer or its successor as owner), the library's record
 * against the signed document, status, validity period and supersession;
 * and ezz.verify, which decides, records (use.c) and verifies.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "access.h"
#include "ezz.h"
#include "ident.h"
#include "sign.h"
#include "use.h"

/* whether a and b are distinct, NULL being a value (IS DISTINCT FROM) */
static bool
Distinct(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) != (b == NULL);
	return strcmp(a, b) != 0;
}

/* 'YYYY-MM-DD' (ezz._iso_date: to_char, whatever DateStyle), or NULL for an infinite date */
static char *
IsoDate(DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_NOT_FINITE(d))
		return NULL;
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

/* a timestamptz as format('%s', t) writes it (the session's DateStyle and TimeZone) */
static char *
TimestampText(TimestampTz t)
{
	return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t)));
}

/*
 * doc->'a'->>'b' (b NULL: doc->>'a'): a string's value, another scalar's or
 * a container's text, or NULL when missing or JSON null.
 */
static char *
JsonText(Jsonb *doc, const char *a, const char *b)
{
	JsonbContainer *c = &doc->root;
	JsonbValue	v;

	for (int step = 0; step < 2; step++)
	{
		const char *key = step == 0 ? a : b;

		if (!JsonContainerIsObject(c) || getKeyJsonValueFromContainer(c, key, strlen(key), &v) == NULL)
			return NULL;
		if (step == 0 && b != NULL)
		{
			if (v.type != jbvBinary)
				return NULL;
			c = v.val.binary.data;
			continue;
		}
		break;
	}
	switch (v.type)
	{
		case jbvNull:
			return NULL;
		case jbvString:
			return pnstrdup(v.val.string.val, v.val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
		case jbvBool:
			return pstrdup(v.val.boolean ? "true" : "false");
		case jbvBinary:
			return JsonbToCString(NULL, v.val.binary.data, v.val.binary.len);
		default:
			return NULL;
	}
}

/* ,"key":value (JSON) into buf; value NULL: null */
static void
JsonKey(StringInfo buf, const char *key, const char *str)
{
	if (buf->len > 1)
		appendStringInfoChar(buf, ',');
	escape_json(buf, key);
	appendStringInfoChar(buf, ':');
	if (str == NULL)
		appendStringInfoString(buf, "null");
	else
		escape_json(buf, str);
}

static void
JsonKeyRaw(StringInfo buf, const char *key, const char *raw)
{
	if (buf->len > 1)
		appendStringInfoChar(buf, ',');
	escape_json(buf, key);
	appendStringInfoChar(buf, ':');
	appendStringInfoString(buf, raw);
}

/* a three-valued boolean: -1 NULL */
static const char *
JsonBool(int b)
{
	return b < 0 ? "null" : b ? "true" : "false";
}

/* ---------------------------------------------------------------------------
 * Verification
 * ---------------------------------------------------------------------------
 */
typedef struct KeyFacts
{
	bool		present;
	int64		key_id;
	char	   *algorithm;
	bytea	   *public_key;
	char	   *fingerprint;
	char	   *owner;
	char	   *owner_name;
	bool		has_department;
	char	   *status;
	TimestampTz valid_from;
	TimestampTz valid_to;
	bool		effective_null;
	TimestampTz effective_at;
	char	   *revocation_reason;
} KeyFacts;

/*
 * The signature of a document by key k as of signed_at: its reasons (a
 * list of strings) and what was checked, as JSON members appended to
 * checked.  The key must belong to the licence's issuer or, for a licence
 * re-sealed or re-versioned after 机构改革, to a successor of it.
 */
static List *
CheckSignature(Jsonb *doc, bytea *sig, const KeyFacts *k, TimestampTz signed_at, const char *issuer,
			   StringInfo checked, bool read_only)
{
	List	   *reasons = NIL;
	const char *problem;
	char	   *doc_issuer;
	StringInfoData key;
	char		ts[MAXDATELEN + 1];

	problem = k->present ? ezz_document_signature_problem(k->key_id, k->algorithm, k->public_key, k->fingerprint,
														  doc, sig)
		: "its signing key is not in this library";
	if (problem != NULL)
		reasons = lappend(reasons, psprintf("the signature does not verify: %s", problem));
	if (Distinct(JsonText(doc, "key", "fingerprint"), k->present ? k->fingerprint : NULL))
		reasons = lappend(reasons, "the document names another signing key than the one that signed it");
	doc_issuer = JsonText(doc, "issuer", NULL);
	if (Distinct(doc_issuer, issuer))
		reasons = lappend(reasons, psprintf("the document names issuer %s, its identifier %s", ezz_nz(doc_issuer), issuer));
	else if (k->present && strcmp(k->owner, issuer) != 0 &&
			 !(k->has_department &&
			   ezz_query_is(P_IN_CHAIN, (Datum[]) {CStringGetTextDatum(k->owner), CStringGetTextDatum(issuer)}, NULL,
					   read_only)))
		reasons = lappend(reasons, psprintf("signed with a key of %s (%s), which is neither the issuer %s nor a successor of it",
											k->owner, k->owner_name, issuer));
	if (k->present && (signed_at < k->valid_from || signed_at >= k->valid_to))
		reasons = lappend(reasons, psprintf("the signing key " INT64_FORMAT " was not valid when it signed (%s; valid from %s to %s)",
											k->key_id, TimestampText(signed_at), TimestampText(k->valid_from),
											TimestampText(k->valid_to)));
	if (k->present && strcmp(k->status, "revoked") == 0 && !k->effective_null && signed_at >= k->effective_at)
		reasons = lappend(reasons, psprintf("the signing key " INT64_FORMAT " was revoked with effect from %s, before this signature of %s (%s)",
											k->key_id, TimestampText(k->effective_at), TimestampText(signed_at),
											ezz_nz(k->revocation_reason)));

	JsonKeyRaw(checked, "signature", JsonBool(problem == NULL));
	initStringInfo(&key);
	appendStringInfoChar(&key, '{');
	if (k->present)
	{
		JsonKeyRaw(&key, "id", psprintf(INT64_FORMAT, k->key_id));
		JsonKey(&key, "owner", k->owner);
		JsonKey(&key, "algorithm", k->algorithm);
		JsonKey(&key, "fingerprint", k->fingerprint);
		JsonKey(&key, "status", k->status);
		JsonKeyRaw(&key, "valid_at_signing", JsonBool(signed_at >= k->valid_from && signed_at < k->valid_to));
		JsonKeyRaw(&key, "revoked_before_signing",
				   JsonBool(strcmp(k->status, "revoked") != 0 ? 0 : k->effective_null ? -1 : signed_at >= k->effective_at));
	}
	else
	{
		static const char *const fields[] = {"id", "owner", "algorithm", "fingerprint", "status",
		"valid_at_signing", "revoked_before_signing"};

		for (int i = 0; i < (int) lengthof(fields); i++)
			JsonKey(&key, fields[i], NULL);
	}
	appendStringInfoChar(&key, '}');
	JsonKeyRaw(checked, "key", key.data);
	JsonKey(checked, "signed_at", JsonEncodeDateTime(ts, TimestampTzGetDatum(signed_at), TIMESTAMPTZOID, NULL));
	return reasons;
}

static ArrayType *
TextArray(List *strings)
{
	int			n = list_length(strings);
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	ListCell   *lc;
	int			i = 0;

	foreach(lc, strings)
		elems[i++] = CStringGetTextDatum((char *) lfirst(lc));
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* an ezz.verification row of the licence lid, in outer */
static Datum
VerifyLicence(Datum lid, TupleDesc tupdesc, MemoryContext outer, bool read_only)
{
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	Datum		args[1] = {lid};
	StringInfoData checked;
	List	   *reasons = NIL;
	Jsonb	   *doc;
	bool		isnull;
	TimestampTz signed_at;
	char	   *issuer,
			   *licence_no,
			   *supersedes,
			   *superseded_by,
			   *status,
			   *file_hash,
			   *valid_from_iso,
			   *valid_to_iso = NULL,
			   *today_iso;
	DateADT		valid_from,
				valid_to = 0,
				today;
	bool		valid_to_null,
				matches;
	KeyFacts	k;
	char	   *st;
	MemoryContext cxt;
	HeapTuple	tuple;

	initStringInfo(&checked);
	appendStringInfoChar(&checked, '{');
	if (ezz_query(P_LICENCE, args, NULL, read_only) == 0)
	{
		reasons = list_make1("no licence with this identifier is in this library");
		JsonKeyRaw(&checked, "found", "false");
		st = NULL;
	}
	else
	{
		doc = DatumGetJsonbP(ezz_query_col(1, &isnull));
		signed_at = DatumGetTimestampTz(ezz_query_col(3, &isnull));
		issuer = ezz_query_text(4);
		licence_no = ezz_query_text(5);
		valid_from = DatumGetDateADT(ezz_query_col(6, &isnull));
		valid_to = DatumGetDateADT(ezz_query_col(7, &valid_to_null));
		supersedes = ezz_query_text(8);
		superseded_by = ezz_query_text(9);
		status = ezz_query_text(10);
		today = DatumGetDateADT(ezz_query_col(11, &isnull));
		file_hash = ezz_query_text(12);
		memset(&k, 0, sizeof(k));
		k.key_id = DatumGetInt64(ezz_query_col(13, &isnull));
		k.present = !isnull;
		if (k.present)
		{
			k.algorithm = ezz_query_text(14);
			k.public_key = DatumGetByteaPP(ezz_query_col(15, &isnull));
			k.fingerprint = ezz_query_text(16);
			k.owner = ezz_query_text(17);
			k.owner_name = ezz_query_text(18);
			k.has_department = ezz_query_bool(19);
			k.status = ezz_query_text(20);
			k.valid_from = DatumGetTimestampTz(ezz_query_col(21, &isnull));
			k.valid_to = DatumGetTimestampTz(ezz_query_col(22, &isnull));
			k.effective_at = DatumGetTimestampTz(ezz_query_col(23, &k.effective_null));
			k.revocation_reason = ezz_query_text(24);
		}
		valid_from_iso = IsoDate(valid_from);
		if (!valid_to_null)
			valid_to_iso = IsoDate(valid_to);
		today_iso = IsoDate(today);

		reasons = CheckSignature(doc, DatumGetByteaPP(ezz_query_col(2, &isnull)), &k, signed_at, issuer, &checked, read_only);
		matches = !Distinct(JsonText(doc, "id", NULL), ezz_ident_text(lid)) &&
			!Distinct(JsonText(doc, "number", NULL), licence_no) &&
			!Distinct(JsonText(doc, "valid_from", NULL), valid_from_iso) &&
			!Distinct(JsonText(doc, "valid_to", NULL), valid_to_iso) &&
			!Distinct(JsonText(doc, "supersedes", NULL), supersedes) &&
			!Distinct(JsonText(doc, "file", "hash"), file_hash);
		if (!matches)
			reasons = lappend(reasons, "the library's record differs from the signed document (altered outside ezz?)");
		st = status;
		if (strcmp(st, "valid") == 0 && !valid_to_null && valid_to < today)
			st = "expired";
		if (strcmp(st, "superseded") == 0 || superseded_by != NULL)
			reasons = lappend(reasons, psprintf("superseded 已变更 by %s", superseded_by ? superseded_by : "a later version"));
		else if (strcmp(st, "valid") != 0)
			reasons = lappend(reasons, psprintf("the licence is %s", ezz_status_words_of(st)));
		if (today < valid_from)
			reasons = lappend(reasons, psprintf("not yet valid: valid from %s", ezz_nz(valid_from_iso)));
		JsonKeyRaw(&checked, "found", "true");
		JsonKeyRaw(&checked, "record_matches_document", JsonBool(matches));
		JsonKey(&checked, "status", st);
		JsonKey(&checked, "valid_from", valid_from_iso);
		JsonKey(&checked, "valid_to", valid_to_iso);
		JsonKey(&checked, "today", today_iso);
		JsonKey(&checked, "superseded_by", superseded_by);
	}
	appendStringInfoChar(&checked, '}');

	cxt = MemoryContextSwitchTo(outer);
	values[0] = lid;
	values[1] = BoolGetDatum(reasons == NIL);
	nulls[2] = st == NULL;
	if (st != NULL)
		values[2] = DirectFunctionCall2(enum_in, CStringGetDatum(st), ObjectIdGetDatum(TupleDescAttr(tupdesc, 2)->atttypid));
	values[3] = PointerGetDatum(TextArray(reasons));
	values[4] = DirectFunctionCall1(jsonb_in, CStringGetDatum(checked.data));
	values[5] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	tuple = heap_form_tuple(tupdesc, values, nulls);
	MemoryContextSwitchTo(cxt);
	return HeapTupleGetDatum(tuple);
}

/* ---------------------------------------------------------------------------
 * SQL-callable functions
 * ---------------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(ezz_use_verify_licence);

/* ezz._verify_licence(lid) → ezz.verification, with no decision and no record */
Datum
ezz_use_verify_licence(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	TupleDesc	tupdesc = ezz_result_type(fcinfo);
	Datum		result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ezz_use_connect();
	result = VerifyLicence(PG_GETARG_DATUM(0), tupdesc, outer, true);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

PG_FUNCTION_INFO_V1(ezz_use_check_signature);

/*
 * ezz._check_signature(document, signature, k ezz.signing_key, signed_at,
 * issuer, OUT reasons text[], OUT checked jsonb): a document's signature by
 * a key, as of signed_at (ezz._verify_document's, for exported documents).
 */
Datum
ezz_use_check_signature(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	TupleDesc	tupdesc = ezz_result_type(fcinfo);
	KeyFacts	k;
	HeapTupleHeader row;
	StringInfoData checked;
	List	   *reasons;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	bool		isnull;
	Datum		v;
	char	   *issuer;
	HeapTuple	tuple;

	ezz_refuse_null(PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(4),
					"ezz._check_signature: the document, signature, time and issuer must not be NULL");
	memset(&k, 0, sizeof(k));
	if (!PG_ARGISNULL(2))
	{
		row = PG_GETARG_HEAPTUPLEHEADER(2);
		v = GetAttributeByName(row, "key_id", &isnull);
		k.present = !isnull;
		if (k.present)
		{
			k.key_id = DatumGetInt64(v);
			k.algorithm = TextDatumGetCString(GetAttributeByName(row, "algorithm", &isnull));
			k.public_key = DatumGetByteaPP(GetAttributeByName(row, "public_key", &isnull));
			k.fingerprint = TextDatumGetCString(GetAttributeByName(row, "fingerprint", &isnull));
			k.owner = pnstrdup(DatumGetUsccP(GetAttributeByName(row, "owner", &isnull))->code, EZZ_USCC_LEN);
			k.owner_name = TextDatumGetCString(GetAttributeByName(row, "owner_name", &isnull));
			(void) GetAttributeByName(row, "department", &isnull);
			k.has_department = !isnull;
			k.status = TextDatumGetCString(GetAttributeByName(row, "status", &isnull));
			k.valid_from = DatumGetTimestampTz(GetAttributeByName(row, "valid_from", &isnull));
			k.valid_to = DatumGetTimestampTz(GetAttributeByName(row, "valid_to", &isnull));
			k.effective_at = DatumGetTimestampTz(GetAttributeByName(row, "revocation_effective_at", &k.effective_null));
			v = GetAttributeByName(row, "revocation_reason", &isnull);
			k.revocation_reason = isnull ? NULL : TextDatumGetCString(v);
		}
	}
	issuer = pnstrdup(PG_GETARG_USCC_P(4)->code, EZZ_USCC_LEN);
	ezz_use_connect();
	initStringInfo(&checked);
	appendStringInfoChar(&checked, '{');
	reasons = CheckSignature(PG_GETARG_JSONB_P(0), PG_GETARG_BYTEA_PP(1), &k, PG_GETARG_TIMESTAMPTZ(3), issuer,
							 &checked, true);
	appendStringInfoChar(&checked, '}');
	MemoryContextSwitchTo(outer);
	values[0] = PointerGetDatum(TextArray(reasons));
	values[1] = DirectFunctionCall1(jsonb_in, CStringGetDatum(checked.data));
	tuple = heap_form_tuple(tupdesc, values, nulls);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

PG_FUNCTION_INFO_V1(ezz_use_verify);

/*
 * ezz.verify(id, service_item, purpose, grant_id) → ezz.verification
 * (信息验证): the decision, recorded (a refusal raises); the licence
 * verified while the ledger worker commits the record; the answer only
 * once the record is safe.
 */
Datum
ezz_use_verify(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	TupleDesc	tupdesc = ezz_result_type(fcinfo);
	EzzDecision	d;
	Datum		lid = PG_GETARG_DATUM(0);
	char	   *item = ezz_text_arg(fcinfo, 1);
	char	   *purpose = ezz_text_arg(fcinfo, 2);
	Datum		result;

	ezz_refuse_null(PG_ARGISNULL(0), "ezz.verify: id must not be NULL");
	ezz_use_connect();
	ezz_decide(lid, false, "verify", item, purpose, PG_ARGISNULL(3), PG_ARGISNULL(3) ? 0 : PG_GETARG_INT64(3), true,
			   false, NULL, &d);
	ezz_log_use("verify", ezz_ident_text(lid), item, purpose, &d, true, false);
	result = VerifyLicence(lid, tupdesc, outer, false);
	(void) ezz_access_await();
	SPI_finish();
	PG_RETURN_DATUM(result);
}
