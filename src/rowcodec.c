/*
 * rowcodec.c — the canonical encoding of rows that the audit ledger hashes
 * (RFC 8785 JSON: members sorted, every value in one fixed form that no
 * session setting changes and that dump/restore keeps), the ledger's hash
 * labels ("sm3:<hex>"), and the SQL functions over rows:
 * ezz._canonical_row, ezz._row_key, ezz._row_hash, ezz._row_hashes.
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
#include "rowcodec.h"

/* ezz.ledger_hash: the digest of row hashes, leaves and blocks */
int			ezz_ledger_hash = EZZ_LEDGER_SM3;

const char *
ezz_ledger_hash_name(int alg)
{
	return alg == EZZ_LEDGER_SHA256 ? "SHA256" : "SM3";
}

static const char *
HashLabel(int alg)
{
	return alg == EZZ_LEDGER_SHA256 ? "sha256" : "sm3";
}

int
ezz_ledger_hash_parse(text *t)
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
static TypeCodec *Recent[16];

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
	/* (a value is encoded for every column of every row: the last codec of
	 * each of 16 slots first; entries never move nor leave the table) */
	if (Recent[typid % lengthof(Recent)] != NULL && Recent[typid % lengthof(Recent)]->typid == typid)
		return Recent[typid % lengthof(Recent)];
	c = hash_search(Codecs, &typid, HASH_FIND, NULL);
	if (c != NULL)
		return Recent[typid % lengthof(Recent)] = c;

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
	ezz_encode_row(out, desc, &tuple, NULL);
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

void
ezz_encode_row(StringInfo out, TupleDesc desc, HeapTuple tuple, Bitmapset *only)
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
char *
ezz_labelled_hash(int alg, const char *data, size_t len)
{
	uint8		digest[EZZ_DIGEST_LEN];
	char	   *s = palloc(8 + EZZ_DIGEST_LEN * 2 + 1);
	int			n;

	ezz_digest(ezz_ledger_hash_name(alg), data, len, digest);
	n = sprintf(s, "%s:", HashLabel(alg));
	s[n + hex_encode((char *) digest, EZZ_DIGEST_LEN, s + n)] = '\0';
	return s;
}

/* the row type's relation and its primary-key columns (NULL: none) */
Bitmapset *
ezz_key_columns(Relation rel)
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
TupleDesc
ezz_row_arg(FunctionCallInfo fcinfo, int argno, HeapTupleData *tuple, Bitmapset **key)
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
			Bitmapset  *k = ezz_key_columns(rel);
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

/* appends the canonical encoding of the composite argument argno to out */
void
ezz_encode_arg_row(FunctionCallInfo fcinfo, int argno, StringInfo out)
{
	HeapTupleData tuple;
	TupleDesc	desc = ezz_row_arg(fcinfo, argno, &tuple, NULL);

	ezz_encode_row(out, desc, &tuple, NULL);
}

/* ezz._canonical_row(record) -> text: the canonical JSON of a row */
PG_FUNCTION_INFO_V1(ezz_canonical_row);
Datum
ezz_canonical_row(PG_FUNCTION_ARGS)
{
	StringInfoData out;

	initStringInfo(&out);
	ezz_encode_arg_row(fcinfo, 0, &out);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* ezz._row_key(record) -> text: the canonical JSON of its primary key */
PG_FUNCTION_INFO_V1(ezz_row_key);
Datum
ezz_row_key(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	Bitmapset  *key;
	TupleDesc	desc = ezz_row_arg(fcinfo, 0, &tuple, &key);
	StringInfoData out;

	initStringInfo(&out);
	ezz_encode_row(&out, desc, &tuple, key);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* ezz._row_hash(alg text, record) -> text: "sm3:<hex>" of the canonical row */
PG_FUNCTION_INFO_V1(ezz_row_hash);
Datum
ezz_row_hash(PG_FUNCTION_ARGS)
{
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(0));
	StringInfoData out;

	initStringInfo(&out);
	ezz_encode_arg_row(fcinfo, 1, &out);
	PG_RETURN_TEXT_P(cstring_to_text(ezz_labelled_hash(alg, out.data, out.len)));
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
	StringInfoData out;
	Datum		hashes[2];

	initStringInfo(&out);
	ezz_encode_arg_row(fcinfo, 0, &out);
	hashes[0] = CStringGetTextDatum(ezz_labelled_hash(EZZ_LEDGER_SM3, out.data, out.len));
	hashes[1] = CStringGetTextDatum(ezz_labelled_hash(EZZ_LEDGER_SHA256, out.data, out.len));
	pfree(out.data);
	PG_RETURN_ARRAYTYPE_P(construct_array(hashes, 2, TEXTOID, -1, false, TYPALIGN_INT));
}
