/*
 * ledger.c — the audit ledger 审计: the canonical row encoding, the audit
 * trigger, the append-only guard, and the hashing the sealer and the
 * verifier share (Merkle trees as in RFC 6962 / RFC 9162).
 *
 * The trigger writes one entry per changed row into ezz.audit_entry, taking
 * no lock but its own row's: the entry's id comes from a sequence, and
 * positions are given later, by the sealer, to committed entries only
 * (ledger.sql).  The entry carries the row before and after as canonical
 * JSON (RFC 8785 member order, every value written in one fixed form that no
 * session setting changes and that dump/restore keeps) and a hash of the
 * row image, so that the verifier can compare a table with what its ledger
 * says it holds.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tupdesc.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "utils/tuplestore.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "replication/logicalworker.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/xid8.h"

#include "canon.h"
#include "crypto.h"
#include "ezz.h"

/* ezz.ledger_hash: the digest of row hashes, leaves and blocks */
int			ezz_ledger_hash = EZZ_LEDGER_SM3;

static const char *
HashName(int alg)
{
	return alg == EZZ_LEDGER_SHA256 ? "SHA256" : "SM3";
}

static const char *
HashLabel(int alg)
{
	return alg == EZZ_LEDGER_SHA256 ? "sha256" : "sm3";
}

static int
ParseHashLabel(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strcmp(s, "sm3") == 0)
		return EZZ_LEDGER_SM3;
	if (strcmp(s, "sha256") == 0)
		return EZZ_LEDGER_SHA256;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown ledger hash algorithm %s", ezz_quote_literal(s, strlen(s))),
			 errhint("Use sm3 or sha256.")));
	return 0;					/* keep the compiler quiet */
}

/* ---------------------------------------------------------------------------
 * Canonical encoding of values and rows
 * ---------------------------------------------------------------------------
 */

typedef enum ValueKind
{
	VK_TEXT,					/* the type's output, as a JSON string */
	VK_BOOL,
	VK_INT2,
	VK_INT4,
	VK_INT8,
	VK_OID,
	VK_FLOAT4,
	VK_FLOAT8,
	VK_NUMERIC,
	VK_DATE,
	VK_TIME,
	VK_TIMETZ,
	VK_TIMESTAMP,
	VK_TIMESTAMPTZ,
	VK_INTERVAL,
	VK_BYTEA,
	VK_JSON,
	VK_JSONB,
	VK_ARRAY,
	VK_RECORD,
	VK_REGCLASS,
	VK_REGTYPE,
	VK_REGPROC,
	VK_REGNAME					/* regrole, regnamespace: the bare name */
} ValueKind;

typedef struct TypeCodec
{
	Oid			typid;			/* hash key */
	ValueKind	kind;
	Oid			base;			/* domain's base type, or the type */
	Oid			elemtype;		/* arrays */
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
	FmgrInfo	out;			/* VK_TEXT */
} TypeCodec;

static HTAB *Codecs = NULL;

static TypeCodec *
CodecFor(Oid typid)
{
	TypeCodec  *c;
	bool		found;
	Oid			base;

	if (Codecs == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(TypeCodec);
		ctl.hcxt = TopMemoryContext;
		Codecs = hash_create("ezz ledger type codecs", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	c = hash_search(Codecs, &typid, HASH_FIND, NULL);
	if (c != NULL)
		return c;

	base = getBaseType(typid);
	c = hash_search(Codecs, &typid, HASH_ENTER, &found);
	c->base = base;
	c->elemtype = InvalidOid;
	switch (base)
	{
		case BOOLOID:
			c->kind = VK_BOOL;
			break;
		case INT2OID:
			c->kind = VK_INT2;
			break;
		case INT4OID:
			c->kind = VK_INT4;
			break;
		case INT8OID:
			c->kind = VK_INT8;
			break;
		case OIDOID:
			c->kind = VK_OID;
			break;
		case FLOAT4OID:
			c->kind = VK_FLOAT4;
			break;
		case FLOAT8OID:
			c->kind = VK_FLOAT8;
			break;
		case NUMERICOID:
			c->kind = VK_NUMERIC;
			break;
		case DATEOID:
			c->kind = VK_DATE;
			break;
		case TIMEOID:
			c->kind = VK_TIME;
			break;
		case TIMETZOID:
			c->kind = VK_TIMETZ;
			break;
		case TIMESTAMPOID:
			c->kind = VK_TIMESTAMP;
			break;
		case TIMESTAMPTZOID:
			c->kind = VK_TIMESTAMPTZ;
			break;
		case INTERVALOID:
			c->kind = VK_INTERVAL;
			break;
		case BYTEAOID:
			c->kind = VK_BYTEA;
			break;
		case JSONOID:
			c->kind = VK_JSON;
			break;
		case JSONBOID:
			c->kind = VK_JSONB;
			break;
		case REGCLASSOID:
			c->kind = VK_REGCLASS;
			break;
		case REGTYPEOID:
			c->kind = VK_REGTYPE;
			break;
		case REGPROCOID:
		case REGPROCEDUREOID:
			c->kind = VK_REGPROC;
			break;
		case REGROLEOID:
		case REGNAMESPACEOID:
			c->kind = VK_REGNAME;
			break;
		default:
			if (OidIsValid(get_element_type(base)))
			{
				c->kind = VK_ARRAY;
				c->elemtype = get_element_type(base);
				get_typlenbyvalalign(c->elemtype, &c->elemlen, &c->elembyval, &c->elemalign);
			}
			else if (get_typtype(base) == TYPTYPE_COMPOSITE || base == RECORDOID)
				c->kind = VK_RECORD;
			else
			{
				Oid			outfn;
				bool		varlena;

				c->kind = VK_TEXT;
				getTypeOutputInfo(base, &outfn, &varlena);
				fmgr_info_cxt(outfn, &c->out, TopMemoryContext);
			}
	}
	return c;
}

static void EncodeValue(StringInfo out, Oid typid, Datum value);
static void EncodeTuple(StringInfo out, TupleDesc desc, HeapTuple tuple, Bitmapset *only);

static void
EncodeCString(StringInfo out, const char *s)
{
	ezz_canon_string(out, s, (int) strlen(s));
}

static void
EncodeInt64(StringInfo out, int64 v)
{
	char		buf[MAXINT8LEN + 1];

	pg_lltoa(v, buf);
	/* beyond 2^53 a JSON reader's double would lose digits: a string */
	if (v > (INT64CONST(1) << 53) || v < -(INT64CONST(1) << 53))
		EncodeCString(out, buf);
	else
		appendStringInfoString(out, buf);
}

static void
EncodeDouble(StringInfo out, double d)
{
	char		buf[EZZ_ES6_NUMBER_MAX];

	if (isnan(d))
		EncodeCString(out, "NaN");
	else if (isinf(d))
		EncodeCString(out, d > 0 ? "Infinity" : "-Infinity");
	else
	{
		ezz_es6_number(d, buf);
		appendStringInfoString(out, buf);
	}
}

/* a timestamp (UTC when zulu) as 2026-11-23T08:30:00.123456[Z] */
static void
EncodeTimestamp(StringInfo out, Timestamp ts, bool zulu)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		buf[MAXDATELEN + 1];

	if (TIMESTAMP_NOT_FINITE(ts))
	{
		EncodeCString(out, TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity");
		return;
	}
	/* (no time zone given: the value is taken as it is stored, in UTC) */
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	EncodeDateTime(&tm, fsec, false, 0, NULL, USE_XSD_DATES, buf);
	if (zulu)
		strlcat(buf, "Z", sizeof(buf));
	EncodeCString(out, buf);
}

static void
EncodeDate(StringInfo out, DateADT d)
{
	struct pg_tm tm;
	char		buf[MAXDATELEN + 1];

	if (DATE_NOT_FINITE(d))
	{
		EncodeCString(out, DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
		return;
	}
	j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	EncodeDateOnly(&tm, USE_XSD_DATES, buf);
	EncodeCString(out, buf);
}

static void
EncodeArray(StringInfo out, TypeCodec *c, ArrayType *arr)
{
	int			ndim = ARR_NDIM(arr);
	int		   *dims = ARR_DIMS(arr);
	int			nitems = ArrayGetNItems(ndim, dims);
	Datum	   *values;
	bool	   *nulls;
	int			count;
	int			idx = 0;
	int			counters[MAXDIM];

	if (ndim == 0 || nitems == 0)
	{
		appendStringInfoString(out, "[]");
		return;
	}
	deconstruct_array(arr, c->elemtype, c->elemlen, c->elembyval, c->elemalign, &values, &nulls, &count);
	/* nested JSON arrays, one level per dimension (lower bounds are not kept) */
	memset(counters, 0, sizeof(counters));
	for (int d = 0; d < ndim; d++)
		appendStringInfoChar(out, '[');
	for (;;)
	{
		int			d;

		if (nulls[idx])
			appendStringInfoString(out, "null");
		else
			EncodeValue(out, c->elemtype, values[idx]);
		idx++;
		/* advance the innermost counter, closing and opening brackets */
		for (d = ndim - 1; d >= 0; d--)
		{
			if (++counters[d] < dims[d])
				break;
			counters[d] = 0;
			appendStringInfoChar(out, ']');
		}
		if (d < 0)
			break;
		appendStringInfoChar(out, ',');
		for (int e = d + 1; e < ndim; e++)
			appendStringInfoChar(out, '[');
	}
	pfree(values);
	pfree(nulls);
}

static void
EncodeRecord(StringInfo out, Datum value)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(value);
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	HeapTupleData tuple;

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	EncodeTuple(out, desc, &tuple, NULL);
	ReleaseTupleDesc(desc);
}

static void
EncodeValue(StringInfo out, Oid typid, Datum value)
{
	TypeCodec  *c = CodecFor(typid);

	switch (c->kind)
	{
		case VK_BOOL:
			appendStringInfoString(out, DatumGetBool(value) ? "true" : "false");
			break;
		case VK_INT2:
			EncodeInt64(out, DatumGetInt16(value));
			break;
		case VK_INT4:
			EncodeInt64(out, DatumGetInt32(value));
			break;
		case VK_INT8:
			EncodeInt64(out, DatumGetInt64(value));
			break;
		case VK_OID:
			EncodeInt64(out, DatumGetObjectId(value));
			break;
		case VK_FLOAT4:
			EncodeDouble(out, DatumGetFloat4(value));
			break;
		case VK_FLOAT8:
			EncodeDouble(out, DatumGetFloat8(value));
			break;
		case VK_NUMERIC:
			/* numeric_out depends on no setting; a string keeps every digit */
			EncodeCString(out, DatumGetCString(DirectFunctionCall1(numeric_out, value)));
			break;
		case VK_DATE:
			EncodeDate(out, DatumGetDateADT(value));
			break;
		case VK_TIME:
			{
				struct pg_tm tm;
				fsec_t		fsec;
				char		buf[MAXDATELEN + 1];

				time2tm(DatumGetTimeADT(value), &tm, &fsec);
				EncodeTimeOnly(&tm, fsec, false, 0, USE_XSD_DATES, buf);
				EncodeCString(out, buf);
				break;
			}
		case VK_TIMETZ:
			{
				TimeTzADT  *t = DatumGetTimeTzADTP(value);
				struct pg_tm tm;
				fsec_t		fsec;
				int			tz;
				char		buf[MAXDATELEN + 1];

				timetz2tm(t, &tm, &fsec, &tz);
				EncodeTimeOnly(&tm, fsec, true, tz, USE_XSD_DATES, buf);
				EncodeCString(out, buf);
				break;
			}
		case VK_TIMESTAMP:
			EncodeTimestamp(out, DatumGetTimestamp(value), false);
			break;
		case VK_TIMESTAMPTZ:
			EncodeTimestamp(out, DatumGetTimestampTz(value), true);
			break;
		case VK_INTERVAL:
			{
				struct pg_itm itm;
				char		buf[MAXDATELEN + 1];

				interval2itm(*DatumGetIntervalP(value), &itm);
				EncodeInterval(&itm, INTSTYLE_ISO_8601, buf);
				EncodeCString(out, buf);
				break;
			}
		case VK_BYTEA:
			{
				bytea	   *b = DatumGetByteaPP(value);
				size_t		n = VARSIZE_ANY_EXHDR(b);
				char	   *hex = palloc(n * 2 + 1);

				hex[hex_encode(VARDATA_ANY(b), n, hex)] = '\0';
				EncodeCString(out, hex);
				pfree(hex);
				break;
			}
		case VK_JSON:
			{
				Datum		jb = DirectFunctionCall1(jsonb_in,
													 CStringGetDatum(TextDatumGetCString(value)));

				ezz_canonicalize(out, DatumGetJsonbP(jb));
				break;
			}
		case VK_JSONB:
			ezz_canonicalize(out, DatumGetJsonbP(value));
			break;
		case VK_ARRAY:
			EncodeArray(out, c, DatumGetArrayTypeP(value));
			break;
		case VK_RECORD:
			EncodeRecord(out, value);
			break;
		case VK_REGCLASS:
			{
				Oid			relid = DatumGetObjectId(value);
				char	   *rel = get_rel_name(relid);
				char	   *nsp = rel ? get_namespace_name(get_rel_namespace(relid)) : NULL;

				if (rel == NULL || nsp == NULL)
					EncodeInt64(out, relid);
				else
					EncodeCString(out, quote_qualified_identifier(nsp, rel));
				break;
			}
		case VK_REGTYPE:
			EncodeCString(out, format_type_extended(DatumGetObjectId(value), -1,
													FORMAT_TYPE_FORCE_QUALIFY | FORMAT_TYPE_ALLOW_INVALID));
			break;
		case VK_REGPROC:
			EncodeCString(out, format_procedure_qualified(DatumGetObjectId(value)));
			break;
		case VK_REGNAME:
			{
				Oid			oid = DatumGetObjectId(value);
				char	   *name = c->base == REGROLEOID ? GetUserNameFromId(oid, true) : get_namespace_name(oid);

				if (name == NULL)
					EncodeInt64(out, oid);
				else
					EncodeCString(out, name);
				break;
			}
		case VK_TEXT:
			EncodeCString(out, OutputFunctionCall(&c->out, value));
			break;
	}
}

typedef struct Column
{
	const char *name;
	int			len;
	int			attno;			/* 1-based */
} Column;

static int
ColumnCmp(const void *a, const void *b)
{
	const Column *ca = a;
	const Column *cb = b;

	return ezz_canon_name_cmp(ca->name, ca->len, cb->name, cb->len);
}

/*
 * A row as a canonical JSON object: its live columns (or, with only, the
 * columns whose attribute numbers are in it, offset by
 * FirstLowInvalidHeapAttributeNumber as relcache bitmaps are), members in
 * RFC 8785 order.
 */
/* the columns of desc (those in only, if given) sorted as RFC 8785 orders members */
static int
SortedColumns(TupleDesc desc, Bitmapset *only, Column *cols)
{
	int			n = 0;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		if (only && !bms_is_member(att->attnum - FirstLowInvalidHeapAttributeNumber, only))
			continue;
		cols[n].name = NameStr(att->attname);
		cols[n].len = (int) strlen(cols[n].name);
		cols[n].attno = i + 1;
		n++;
	}
	qsort(cols, n, sizeof(Column), ColumnCmp);
	return n;
}

/*
 * The member order of a row type, kept (in TopMemoryContext) for the few row
 * types the ledger encodes again and again; forgotten on any relcache flush
 * (ALTER TABLE may have changed the columns).
 */
#define ORDER_CACHE 16
typedef struct ColumnOrder
{
	Oid			typid;
	int32		typmod;
	int			natts;
	int			n;
	Column	   *cols;
} ColumnOrder;
static ColumnOrder Orders[ORDER_CACHE];
static int	NOrders = 0;
static bool OrdersCallback = false;

static void
OrdersForget(Datum arg, Oid relid)
{
	for (int i = 0; i < NOrders; i++)
	{
		for (int j = 0; j < Orders[i].n; j++)
			pfree((char *) Orders[i].cols[j].name);
		pfree(Orders[i].cols);
	}
	NOrders = 0;
}

static Column *
CachedOrder(TupleDesc desc, int *n)
{
	ColumnOrder *o;
	Column	   *tmp;

	for (int i = 0; i < NOrders; i++)
		if (Orders[i].typid == desc->tdtypeid && Orders[i].typmod == desc->tdtypmod && Orders[i].natts == desc->natts)
		{
			*n = Orders[i].n;
			return Orders[i].cols;
		}
	if (NOrders == ORDER_CACHE)
		return NULL;
	if (!OrdersCallback)
	{
		CacheRegisterRelcacheCallback(OrdersForget, (Datum) 0);
		OrdersCallback = true;
	}
	o = &Orders[NOrders];
	tmp = palloc(sizeof(Column) * Max(desc->natts, 1));
	o->n = SortedColumns(desc, NULL, tmp);
	o->cols = MemoryContextAlloc(TopMemoryContext, sizeof(Column) * Max(o->n, 1));
	for (int j = 0; j < o->n; j++)
	{
		o->cols[j] = tmp[j];
		o->cols[j].name = MemoryContextStrdup(TopMemoryContext, tmp[j].name);
	}
	pfree(tmp);
	o->typid = desc->tdtypeid;
	o->typmod = desc->tdtypmod;
	o->natts = desc->natts;
	NOrders++;
	*n = o->n;
	return o->cols;
}

static void
EncodeTuple(StringInfo out, TupleDesc desc, HeapTuple tuple, Bitmapset *only)
{
	Column	   *cols = NULL;
	int			n = 0;
	Datum	   *values = palloc(sizeof(Datum) * Max(desc->natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(desc->natts, 1));

	/* a row type's columns in member order, sorted once */
	if (only == NULL && desc->tdtypeid != RECORDOID)
		cols = CachedOrder(desc, &n);
	if (cols == NULL)
	{
		cols = palloc(sizeof(Column) * Max(desc->natts, 1));
		n = SortedColumns(desc, only, cols);
	}
	heap_deform_tuple(tuple, desc, values, nulls);
	appendStringInfoChar(out, '{');
	for (int i = 0; i < n; i++)
	{
		int			k = cols[i].attno - 1;

		if (i > 0)
			appendStringInfoChar(out, ',');
		ezz_canon_string(out, cols[i].name, cols[i].len);
		appendStringInfoChar(out, ':');
		if (nulls[k])
			appendStringInfoString(out, "null");
		else
			EncodeValue(out, TupleDescAttr(desc, k)->atttypid, values[k]);
	}
	appendStringInfoChar(out, '}');
	pfree(values);
	pfree(nulls);
}

/* "sm3:<hex>" of bytes */
static char *
LabelledHash(int alg, const char *data, size_t len)
{
	uint8		digest[EZZ_DIGEST_LEN];
	char	   *s = palloc(8 + EZZ_DIGEST_LEN * 2 + 1);
	int			n;

	ezz_digest(HashName(alg), data, len, digest);
	n = sprintf(s, "%s:", HashLabel(alg));
	s[n + hex_encode((char *) digest, EZZ_DIGEST_LEN, s + n)] = '\0';
	return s;
}

/* the row type's relation and its primary-key columns (NULL: none) */
static Bitmapset *
KeyColumns(Relation rel)
{
	return RelationGetIndexAttrBitmap(rel, INDEX_ATTR_BITMAP_PRIMARY_KEY);
}

typedef struct ArgDesc
{
	Oid			typid;
	int32		typmod;
	TupleDesc	desc;
	bool		key_known;		/* key below looked up */
	Bitmapset  *key;			/* the table's primary-key columns */
} ArgDesc;

/* the composite argument as a tuple, its descriptor and its table's key */
static TupleDesc
ArgTuple(FunctionCallInfo fcinfo, int argno, HeapTupleData *tuple, Bitmapset **key)
{
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(argno);
	Oid			typid = HeapTupleHeaderGetTypeId(th);
	int32		typmod = HeapTupleHeaderGetTypMod(th);
	ArgDesc    *cached = (ArgDesc *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc;

	/* (the descriptor of the call site's row type, kept for its next rows) */
	if (cached == NULL || cached->typid != typid || cached->typmod != typmod)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (cached == NULL)
			cached = fcinfo->flinfo->fn_extra = palloc0(sizeof(ArgDesc));
		else if (cached->desc)
			FreeTupleDesc(cached->desc);
		cached->key_known = false;
		cached->key = NULL;
		cached->typid = typid;
		cached->typmod = typmod;
		cached->desc = lookup_rowtype_tupdesc_copy(typid, typmod);
		MemoryContextSwitchTo(old);
	}
	desc = cached->desc;

	tuple->t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple->t_self);
	tuple->t_tableOid = InvalidOid;
	tuple->t_data = th;
	if (key)
	{
		Oid			relid = typid == RECORDOID ? InvalidOid : get_typ_typrelid(typid);

		if (!cached->key_known && OidIsValid(relid))
		{
			Relation	rel = relation_open(relid, AccessShareLock);
			Bitmapset  *k = KeyColumns(rel);
			MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

			cached->key = bms_copy(k);
			cached->key_known = true;
			MemoryContextSwitchTo(old);
			relation_close(rel, AccessShareLock);
		}
		*key = cached->key;
		if (*key == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the row has no primary key to name it by"),
					 errdetail("The ledger names a row by its table's primary key.")));
	}
	return desc;
}

/* ezz._canonical_row(record) -> text: the canonical JSON of a row */
PG_FUNCTION_INFO_V1(ezz_canonical_row);
Datum
ezz_canonical_row(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	TupleDesc	desc = ArgTuple(fcinfo, 0, &tuple, NULL);
	StringInfoData out;

	initStringInfo(&out);
	EncodeTuple(&out, desc, &tuple, NULL);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* ezz._row_key(record) -> text: the canonical JSON of its primary key */
PG_FUNCTION_INFO_V1(ezz_row_key);
Datum
ezz_row_key(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	Bitmapset  *key;
	TupleDesc	desc = ArgTuple(fcinfo, 0, &tuple, &key);
	StringInfoData out;

	initStringInfo(&out);
	EncodeTuple(&out, desc, &tuple, key);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* ezz._row_hash(alg text, record) -> text: "sm3:<hex>" of the canonical row */
PG_FUNCTION_INFO_V1(ezz_row_hash);
Datum
ezz_row_hash(PG_FUNCTION_ARGS)
{
	int			alg = ParseHashLabel(PG_GETARG_TEXT_PP(0));
	HeapTupleData tuple;
	TupleDesc	desc = ArgTuple(fcinfo, 1, &tuple, NULL);
	StringInfoData out;

	initStringInfo(&out);
	EncodeTuple(&out, desc, &tuple, NULL);
	PG_RETURN_TEXT_P(cstring_to_text(LabelledHash(alg, out.data, out.len)));
}

/*
 * ezz._row_hashes(record) -> text[]: {"sm3:<hex>", "sha256:<hex>"} of the
 * canonical row, encoded once (ezz.audit_verify compares a table's rows with
 * row hashes of either kind)
 */
PG_FUNCTION_INFO_V1(ezz_row_hashes);
Datum
ezz_row_hashes(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	TupleDesc	desc = ArgTuple(fcinfo, 0, &tuple, NULL);
	StringInfoData out;
	Datum		hashes[2];

	initStringInfo(&out);
	EncodeTuple(&out, desc, &tuple, NULL);
	hashes[0] = CStringGetTextDatum(LabelledHash(EZZ_LEDGER_SM3, out.data, out.len));
	hashes[1] = CStringGetTextDatum(LabelledHash(EZZ_LEDGER_SHA256, out.data, out.len));
	pfree(out.data);
	PG_RETURN_ARRAYTYPE_P(construct_array(hashes, 2, TEXTOID, -1, false, TYPALIGN_INT));
}

/* ---------------------------------------------------------------------------
 * Merkle trees (RFC 6962 §2.1: leaf = H(0x00 || entry), node = H(0x01 || l || r))
 * ---------------------------------------------------------------------------
 */

static void
NodeHash(int alg, const uint8 *left, const uint8 *right, uint8 *out)
{
	uint8		buf[1 + 2 * EZZ_DIGEST_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, EZZ_DIGEST_LEN);
	memcpy(buf + 1 + EZZ_DIGEST_LEN, right, EZZ_DIGEST_LEN);
	ezz_digest(HashName(alg), buf, sizeof(buf), out);
}

/* largest power of two smaller than n (n > 1) */
static int64
SplitPoint(int64 n)
{
	int64		k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* MTH(D[lo:hi]) of leaf hashes laid end to end */
static void
TreeHash(int alg, const uint8 *leaves, int64 lo, int64 hi, uint8 *out)
{
	uint8		l[EZZ_DIGEST_LEN];
	uint8		r[EZZ_DIGEST_LEN];
	int64		k;

	if (hi - lo == 1)
	{
		memcpy(out, leaves + lo * EZZ_DIGEST_LEN, EZZ_DIGEST_LEN);
		return;
	}
	k = SplitPoint(hi - lo);
	TreeHash(alg, leaves, lo, lo + k, l);
	TreeHash(alg, leaves, lo + k, hi, r);
	NodeHash(alg, l, r, out);
}

static const uint8 *
LeafArray(bytea *b, int64 *n)
{
	size_t		len = VARSIZE_ANY_EXHDR(b);

	if (len == 0 || len % EZZ_DIGEST_LEN != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leaf hashes must be a non-empty run of %d-byte digests", EZZ_DIGEST_LEN),
				 errdetail("Got %zu bytes.", len)));
	*n = (int64) (len / EZZ_DIGEST_LEN);
	return (const uint8 *) VARDATA_ANY(b);
}

static bytea *
DigestBytea(const uint8 *d)
{
	bytea	   *b = palloc(VARHDRSZ + EZZ_DIGEST_LEN);

	SET_VARSIZE(b, VARHDRSZ + EZZ_DIGEST_LEN);
	memcpy(VARDATA(b), d, EZZ_DIGEST_LEN);
	return b;
}

/* ezz._leaf_hash(alg text, record) -> bytea: H(0x00 || canonical row) */
PG_FUNCTION_INFO_V1(ezz_leaf_hash);
Datum
ezz_leaf_hash(PG_FUNCTION_ARGS)
{
	int			alg = ParseHashLabel(PG_GETARG_TEXT_PP(0));
	HeapTupleData tuple;
	TupleDesc	desc = ArgTuple(fcinfo, 1, &tuple, NULL);
	StringInfoData out;
	uint8		digest[EZZ_DIGEST_LEN];

	initStringInfo(&out);
	appendStringInfoChar(&out, '\0');
	EncodeTuple(&out, desc, &tuple, NULL);
	ezz_digest(HashName(alg), out.data, out.len, digest);
	pfree(out.data);
	PG_RETURN_BYTEA_P(DigestBytea(digest));
}

/* ezz._ledger_digest(alg text, data bytea) -> bytea */
PG_FUNCTION_INFO_V1(ezz_ledger_digest);
Datum
ezz_ledger_digest(PG_FUNCTION_ARGS)
{
	int			alg = ParseHashLabel(PG_GETARG_TEXT_PP(0));
	bytea	   *data = PG_GETARG_BYTEA_PP(1);
	uint8		digest[EZZ_DIGEST_LEN];

	ezz_digest(HashName(alg), VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), digest);
	PG_RETURN_BYTEA_P(DigestBytea(digest));
}

/* ezz._merkle_root(alg text, leaves bytea) -> bytea */
PG_FUNCTION_INFO_V1(ezz_merkle_root);
Datum
ezz_merkle_root(PG_FUNCTION_ARGS)
{
	int			alg = ParseHashLabel(PG_GETARG_TEXT_PP(0));
	int64		n;
	const uint8 *leaves = LeafArray(PG_GETARG_BYTEA_PP(1), &n);
	uint8		root[EZZ_DIGEST_LEN];

	TreeHash(alg, leaves, 0, n, root);
	PG_RETURN_BYTEA_P(DigestBytea(root));
}

/* PATH(m, D[lo:hi]) of RFC 6962 §2.1.1, appended to path */
static void
AuditPath(int alg, const uint8 *leaves, int64 m, int64 lo, int64 hi, ArrayBuildState *path)
{
	uint8		h[EZZ_DIGEST_LEN];
	int64		k;

	if (hi - lo <= 1)
		return;
	k = SplitPoint(hi - lo);
	if (m < k)
	{
		AuditPath(alg, leaves, m, lo, lo + k, path);
		TreeHash(alg, leaves, lo + k, hi, h);
	}
	else
	{
		AuditPath(alg, leaves, m - k, lo + k, hi, path);
		TreeHash(alg, leaves, lo, lo + k, h);
	}
	accumArrayResult(path, PointerGetDatum(DigestBytea(h)), false, BYTEAOID, CurrentMemoryContext);
}

/* ezz._merkle_path(alg text, leaves bytea, index bigint) -> bytea[] */
PG_FUNCTION_INFO_V1(ezz_merkle_path);
Datum
ezz_merkle_path(PG_FUNCTION_ARGS)
{
	int			alg = ParseHashLabel(PG_GETARG_TEXT_PP(0));
	int64		n;
	const uint8 *leaves = LeafArray(PG_GETARG_BYTEA_PP(1), &n);
	int64		m = PG_GETARG_INT64(2);
	ArrayBuildState *path = initArrayResult(BYTEAOID, CurrentMemoryContext, false);

	if (m < 0 || m >= n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leaf index " INT64_FORMAT " is outside a tree of " INT64_FORMAT " leaves", m, n)));
	AuditPath(alg, leaves, m, 0, n, path);
	PG_RETURN_DATUM(makeArrayResult(path, CurrentMemoryContext));
}

/*
 * ezz._merkle_path_root(alg text, leaf bytea, index bigint, size bigint,
 * path bytea[]) -> bytea: the root an inclusion proof leads to (RFC 9162
 * §2.1.3.2), or NULL when the path cannot be one for that index and size.
 */
PG_FUNCTION_INFO_V1(ezz_merkle_path_root);
Datum
ezz_merkle_path_root(PG_FUNCTION_ARGS)
{
	int			alg = ParseHashLabel(PG_GETARG_TEXT_PP(0));
	bytea	   *leaf = PG_GETARG_BYTEA_PP(1);
	int64		fn = PG_GETARG_INT64(2);
	int64		sn = PG_GETARG_INT64(3) - 1;
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(4);
	Datum	   *items;
	bool	   *nulls;
	int			count;
	uint8		r[EZZ_DIGEST_LEN];

	if (VARSIZE_ANY_EXHDR(leaf) != EZZ_DIGEST_LEN || fn < 0 || fn > sn)
		PG_RETURN_NULL();
	memcpy(r, VARDATA_ANY(leaf), EZZ_DIGEST_LEN);
	deconstruct_array(arr, BYTEAOID, -1, false, TYPALIGN_INT, &items, &nulls, &count);
	for (int i = 0; i < count; i++)
	{
		bytea	   *p = nulls[i] ? NULL : DatumGetByteaPP(items[i]);

		if (p == NULL || VARSIZE_ANY_EXHDR(p) != EZZ_DIGEST_LEN || sn == 0)
			PG_RETURN_NULL();
		if ((fn & 1) == 1 || fn == sn)
		{
			NodeHash(alg, (const uint8 *) VARDATA_ANY(p), r, r);
			while ((fn & 1) == 0 && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			NodeHash(alg, r, (const uint8 *) VARDATA_ANY(p), r);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		PG_RETURN_NULL();
	PG_RETURN_BYTEA_P(DigestBytea(r));
}

/* ---------------------------------------------------------------------------
 * The department of the session's login, cached until ezz.login_binding
 * changes (its statement trigger sends a relcache invalidation)
 * ---------------------------------------------------------------------------
 */

static bool DeptValid = false;
static Oid	DeptUser = InvalidOid;
static char *DeptValue = NULL;	/* in TopMemoryContext; NULL: unbound */
static bool DeptCallbackSet = false;

static void
DeptInvalidate(Datum arg, Oid relid)
{
	/* (any relcache flush: cheap to look up again) */
	DeptValid = false;
}

static const char *
SessionDepartment(void)
{
	Oid			user = GetSessionUserId();

	if (!DeptCallbackSet)
	{
		CacheRegisterRelcacheCallback(DeptInvalidate, (Datum) 0);
		DeptCallbackSet = true;
	}
	if (!DeptValid || DeptUser != user)
	{
		Oid			argtypes[1] = {OIDOID};
		Datum		args[1] = {ObjectIdGetDatum(user)};
		char	   *found = NULL;

		if (SPI_execute_with_args("SELECT department::text FROM ezz.login_binding WHERE login = $1",
								  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read ezz.login_binding");
		if (SPI_processed == 1)
			found = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		if (DeptValue)
			pfree(DeptValue);
		DeptValue = found ? MemoryContextStrdup(TopMemoryContext, found) : NULL;
		DeptUser = user;
		DeptValid = true;
	}
	return DeptValue;
}

/* ezz._binding_changed(): statement trigger on ezz.login_binding */
PG_FUNCTION_INFO_V1(ezz_binding_changed);
Datum
ezz_binding_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._binding_changed must be called as an AFTER trigger")));
	/* every backend forgets its cached department when this commits */
	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------------------
 * The audit trigger
 * ---------------------------------------------------------------------------
 */

/*
 * The ledger's table and sequence, looked up once per transaction (a
 * relcache flush also forgets them: the extension may be dropped).
 */
static Oid	LedgerRel = InvalidOid;
static Oid	LedgerSeq = InvalidOid;
static bool LedgerChecked = false;

#define ENTRY_NATTS 11
static const char *const EntryColumns[ENTRY_NATTS] = {
	"id", "at", "xid", "relation", "op", "actor", "department", "row_key", "old_row", "new_row", "row_hash"
};

static void
LedgerForget(Datum arg, Oid relid)
{
	LedgerRel = InvalidOid;
	LedgerSeq = InvalidOid;
	LedgerChecked = false;
}

static Relation
OpenLedger(Oid *seq)
{
	static bool callback = false;
	Relation	rel;
	TupleDesc	desc;

	if (!callback)
	{
		CacheRegisterRelcacheCallback(LedgerForget, (Datum) 0);
		callback = true;
	}
	if (!OidIsValid(LedgerRel))
	{
		Oid			nsp = get_namespace_oid("ezz", false);

		LedgerRel = get_relname_relid("audit_entry", nsp);
		LedgerSeq = get_relname_relid("audit_entry_id_seq", nsp);
		if (!OidIsValid(LedgerRel) || !OidIsValid(LedgerSeq))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("ezz.audit_entry does not exist"),
					 errhint("Reinstall the extension: ALTER EXTENSION ezz UPDATE.")));
	}
	/* (table_open may take invalidations that forget the cached oids) */
	if (seq)
		*seq = LedgerSeq;
	rel = table_open(LedgerRel, RowExclusiveLock);
	if (LedgerChecked)
		return rel;
	desc = RelationGetDescr(rel);
	/* the columns are where this library writes them */
	if (desc->natts != ENTRY_NATTS)
		elog(ERROR, "ezz.audit_entry has %d columns, this library writes %d", desc->natts, ENTRY_NATTS);
	for (int i = 0; i < ENTRY_NATTS; i++)
		if (strcmp(NameStr(TupleDescAttr(desc, i)->attname), EntryColumns[i]) != 0)
			elog(ERROR, "column %d of ezz.audit_entry is not \"%s\"", i + 1, EntryColumns[i]);
	LedgerChecked = true;
	return rel;
}

/*
 * The session's department after a cache miss, read as the ledger's owner:
 * the caller may not read ezz.login_binding.
 */
static const char *
LookUpDepartment(void)
{
	Relation	ledger = OpenLedger(NULL);
	Oid			save_user;
	int			save_sec;
	Oid			owner;
	HeapTuple	ct;
	const char *volatile dept = NULL;

	ct = SearchSysCache1(RELOID, ObjectIdGetDatum(RelationGetRelid(ledger)));
	if (!HeapTupleIsValid(ct))
		elog(ERROR, "cache lookup failed for relation %u", RelationGetRelid(ledger));
	owner = ((Form_pg_class) GETSTRUCT(ct))->relowner;
	ReleaseSysCache(ct);
	table_close(ledger, NoLock);
	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "ezz._audit: SPI_connect failed");
		dept = SessionDepartment();
		SPI_finish();
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	return dept;
}

/* what every entry of one trigger call shares */
typedef struct EntryCommon
{
	Datum		at;
	Datum		xid;
	Datum		relation;
	Datum		op;
	Datum		actor;
	Datum		department;
	bool		no_department;
	Bitmapset  *key;
	TupleDesc	desc;			/* the audited table's */
	Oid			seq;			/* the ledger's sequence */
} EntryCommon;

/*
 * One entry's tuple for a row change (old and/or new row; neither for
 * TRUNCATE), its id drawn now, in CurrentMemoryContext.
 */
static HeapTuple
FormEntry(EntryCommon *c, Relation ledger, HeapTuple oldtup, HeapTuple newtup)
{
	Datum		values[ENTRY_NATTS];
	bool		nulls[ENTRY_NATTS];
	StringInfoData buf;

	memset(nulls, false, sizeof(nulls));
	values[1] = c->at;
	values[2] = c->xid;
	values[3] = c->relation;
	values[4] = c->op;
	values[5] = c->actor;
	values[6] = c->department;
	nulls[6] = c->no_department;
	/* row key, old row, new row, row hash */
	initStringInfo(&buf);
	if (oldtup == NULL && newtup == NULL)
		nulls[7] = true;
	else
	{
		EncodeTuple(&buf, c->desc, newtup ? newtup : oldtup, c->key);
		values[7] = PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	}
	if (oldtup)
	{
		resetStringInfo(&buf);
		EncodeTuple(&buf, c->desc, oldtup, NULL);
		values[8] = PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	}
	else
		nulls[8] = true;
	if (newtup)
	{
		resetStringInfo(&buf);
		EncodeTuple(&buf, c->desc, newtup, NULL);
		values[9] = PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	}
	else
		nulls[9] = true;
	/* the row hash is over the row as it now is (before, for a DELETE) */
	if (newtup || oldtup)
		values[10] = CStringGetTextDatum(LabelledHash(ezz_ledger_hash, buf.data, buf.len));
	else
		nulls[10] = true;
	values[0] = Int64GetDatum(nextval_internal(c->seq, false));
	return heap_form_tuple(RelationGetDescr(ledger), values, nulls);
}

#define ENTRY_BATCH 1000

/* the ledger's index entries for the row in slot, at slot->tts_tid */
static void
IndexEntries(CatalogIndexState indstate, Relation ledger, TupleTableSlot *slot)
{
	for (int i = 0; i < indstate->ri_NumIndices; i++)
	{
		IndexInfo  *ii = indstate->ri_IndexRelationInfo[i];
		Datum		values[INDEX_MAX_KEYS];
		bool		isnull[INDEX_MAX_KEYS];

		FormIndexDatum(ii, slot, NULL, values, isnull);
		(void) index_insert(indstate->ri_IndexRelationDescs[i], values, isnull, &slot->tts_tid, ledger,
							ii->ii_Unique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO, false, ii);
	}
}

/*
 * The rows a statement inserted (its transition table), entries written in
 * batches with heap_multi_insert: a COPY of a million rows is a thousand
 * multi-inserts into the ledger, not a million inserts.
 */
static void
AuditInsertedRows(EntryCommon *c, Relation ledger, Tuplestorestate *rows)
{
	TupleTableSlot *row = MakeSingleTupleTableSlot(c->desc, &TTSOpsMinimalTuple);
	TupleTableSlot **slots = palloc(sizeof(TupleTableSlot *) * ENTRY_BATCH);
	CatalogIndexState indstate = CatalogOpenIndexes(ledger);
	MemoryContext batch = AllocSetContextCreate(CurrentMemoryContext, "ezz audit batch", ALLOCSET_DEFAULT_SIZES);
	MemoryContext old;
	int			n = 0;
	int			made = 0;		/* slots made so far (a one-row insert needs one) */

	tuplestore_rescan(rows);
	for (;;)
	{
		bool		more = tuplestore_gettupleslot(rows, true, false, row);

		if (more)
		{
			bool		free_it;
			HeapTuple	tup;

			if (n == made)
				slots[made++] = MakeSingleTupleTableSlot(RelationGetDescr(ledger), &TTSOpsHeapTuple);
			old = MemoryContextSwitchTo(batch);
			tup = ExecFetchSlotHeapTuple(row, false, &free_it);
			ExecStoreHeapTuple(FormEntry(c, ledger, NULL, tup), slots[n++], false);
			MemoryContextSwitchTo(old);
		}
		if (n == ENTRY_BATCH || (!more && n > 0))
		{
			/*
			 * (not CatalogTuplesMultiInsertWithInfo: it indexes each slot's
			 * tuple by its t_self, which a toasted entry's copy does not
			 * give back; heap_multi_insert leaves the row's place in
			 * tts_tid)
			 */
			heap_multi_insert(ledger, slots, n, GetCurrentCommandId(true), 0, NULL);
			for (int i = 0; i < n; i++)
			{
				IndexEntries(indstate, ledger, slots[i]);
				ExecClearTuple(slots[i]);
			}
			MemoryContextReset(batch);
			n = 0;
		}
		if (!more)
			break;
	}
	for (int i = 0; i < made; i++)
		ExecDropSingleTupleTableSlot(slots[i]);
	ExecDropSingleTupleTableSlot(row);
	CatalogCloseIndexes(indstate);
	MemoryContextDelete(batch);
}

/*
 * ezz._audit(): AFTER UPDATE OR DELETE FOR EACH ROW, AFTER INSERT FOR EACH
 * STATEMENT with the inserted rows as a transition table, and AFTER TRUNCATE.
 * Writes one ezz.audit_entry per row straight into the table and its index
 * (no executor, no SPI), whoever made the change: no privilege of the caller
 * is needed or used.  (Within a statement the entries of updated and
 * deleted rows come before those of inserted rows: a key deleted and
 * inserted again by one statement is recorded in that order.)
 */
PG_FUNCTION_INFO_V1(ezz_audit);
Datum
ezz_audit(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TriggerEvent ev;
	Relation	rel;
	Relation	ledger;
	HeapTuple	oldtup = NULL;
	HeapTuple	newtup = NULL;
	const char *op;
	const char *dept;
	EntryCommon c;
	MemoryContext cxt;
	MemoryContext old;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._audit must be called as an AFTER trigger")));
	ev = trigdata->tg_event;
	if (TRIGGER_FIRED_FOR_STATEMENT(ev) && TRIGGER_FIRED_BY_INSERT(ev) && trigdata->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._audit for INSERT must be a statement trigger with a transition table"),
				 errhint("Put the table under audit with ezz.audit_table().")));
	if (TRIGGER_FIRED_FOR_STATEMENT(ev) && (TRIGGER_FIRED_BY_UPDATE(ev) || TRIGGER_FIRED_BY_DELETE(ev)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._audit for UPDATE and DELETE must be a row trigger")));

	/*
	 * A restore (pg_restore with session_replication_role = replica, see
	 * docs/operations.md) reloads rows the ledger already holds: not again.
	 * Logical replication apply, which runs as replica too, is audited.
	 * (session_replication_role is a superuser's setting.)
	 */
	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA && !IsLogicalWorker())
		return PointerGetDatum(NULL);
	rel = trigdata->tg_relation;
	if (TRIGGER_FIRED_BY_INSERT(ev))
	{
		op = "INSERT";
		newtup = trigdata->tg_trigtuple;
	}
	else if (TRIGGER_FIRED_BY_UPDATE(ev))
	{
		op = "UPDATE";
		oldtup = trigdata->tg_trigtuple;
		newtup = trigdata->tg_newtuple;
	}
	else if (TRIGGER_FIRED_BY_DELETE(ev))
	{
		op = "DELETE";
		oldtup = trigdata->tg_trigtuple;
	}
	else
		op = "TRUNCATE";

	/* (before the scratch context: a cache miss keeps its answer) */
	dept = (DeptValid && DeptUser == GetSessionUserId()) ? DeptValue : LookUpDepartment();

	cxt = AllocSetContextCreate(CurrentMemoryContext, "ezz audit entry", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	c.at = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	c.xid = FullTransactionIdGetDatum(GetTopFullTransactionId());
	c.relation = CStringGetTextDatum(quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
																RelationGetRelationName(rel)));
	c.op = CStringGetTextDatum(op);
	c.actor = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
	c.no_department = dept == NULL;
	c.department = dept ? CStringGetTextDatum(dept) : (Datum) 0;
	c.key = KeyColumns(rel);
	c.desc = RelationGetDescr(rel);

	ledger = OpenLedger(&c.seq);
	if (TRIGGER_FIRED_BY_INSERT(ev) && TRIGGER_FIRED_FOR_STATEMENT(ev))
		AuditInsertedRows(&c, ledger, trigdata->tg_newtable);
	else
		CatalogTupleInsert(ledger, FormEntry(&c, ledger, oldtup, newtup));
	table_close(ledger, NoLock);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	ezz_ledger_worker_ensure();
	return PointerGetDatum(NULL);
}

/*
 * ezz._ledger_guard(): BEFORE UPDATE OR DELETE (row) and BEFORE TRUNCATE
 * (statement) on the ledger's tables: refused for every role, always.
 */
PG_FUNCTION_INFO_V1(ezz_ledger_guard);
Datum
ezz_ledger_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *what;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._ledger_guard must be called as a BEFORE trigger")));
	what = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? "UPDATE" :
		TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "DELETE" :
		TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event) ? "TRUNCATE" : "INSERT";
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("%s on %s is refused: the ledger is append-only", what,
					quote_qualified_identifier(get_namespace_name(RelationGetNamespace(trigdata->tg_relation)),
											   RelationGetRelationName(trigdata->tg_relation))),
			 errdetail("Entries and blocks are only ever added; ezz.audit_verify names any that change."),
			 errhint("Access-log partitions older than ezz.access_log_retention are dropped by CALL ezz.maintain().")));
	return PointerGetDatum(NULL);
}
