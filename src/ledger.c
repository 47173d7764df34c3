/*
 * ledger.c — the audit ledger 审计: the audit trigger, the append-only
 * guard, and the Merkle trees (RFC 6962 / RFC 9162) the sealer and the
 * verifier share.  The canonical row encoding is rowcodec.c's.
 *
 * The trigger writes one entry per changed row into ezz.audit_entry, taking
 * no lock but its own row's: the entry's id comes from a sequence, and
 * positions are given later, by the sealer, to committed entries only
 * (ledger.sql).  The entry carries the row before and after as canonical
 * JSON and a hash of the row image, so that the verifier can compare a table
 * with what its ledger says it holds.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tupdesc.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "replication/logicalworker.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"
#include "utils/xid8.h"

#include "canon.h"
#include "crypto.h"
#include "ezz.h"
#include "rowcodec.h"

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
	ezz_digest(ezz_ledger_hash_name(alg), buf, sizeof(buf), out);
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

/*
 * H(0x00 || canonical row): the Merkle leaf (RFC 6962) of argument argno.
 * (One buffer for every call, kept up to 1 MB: an entry of many rows is
 * encoded into tens of kilobytes, and a buffer grown afresh for each entry
 * cost more in allocation than in encoding.)
 */
static void
LeafOf(FunctionCallInfo fcinfo, int argno, int alg, uint8 out[EZZ_DIGEST_LEN])
{
	static StringInfoData buf = {NULL, 0, 0, 0};

	if (buf.data == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		initStringInfo(&buf);
		MemoryContextSwitchTo(old);
	}
	resetStringInfo(&buf);
	appendStringInfoChar(&buf, '\0');
	ezz_encode_arg_row(fcinfo, argno, &buf);
	ezz_digest(ezz_ledger_hash_name(alg), buf.data, buf.len, out);
	if (buf.maxlen > 1024 * 1024)
	{
		pfree(buf.data);
		buf.data = NULL;
	}
}

/* ezz._leaf_hash(alg text, record) -> bytea: H(0x00 || canonical row) */
PG_FUNCTION_INFO_V1(ezz_leaf_hash);
Datum
ezz_leaf_hash(PG_FUNCTION_ARGS)
{
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(0));
	uint8		digest[EZZ_DIGEST_LEN];

	LeafOf(fcinfo, 1, alg, digest);
	PG_RETURN_BYTEA_P(DigestBytea(digest));
}

/* ezz._ledger_digest(alg text, data bytea) -> bytea */
PG_FUNCTION_INFO_V1(ezz_ledger_digest);
Datum
ezz_ledger_digest(PG_FUNCTION_ARGS)
{
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(0));
	bytea	   *data = PG_GETARG_BYTEA_PP(1);
	uint8		digest[EZZ_DIGEST_LEN];

	ezz_digest(ezz_ledger_hash_name(alg), VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), digest);
	PG_RETURN_BYTEA_P(DigestBytea(digest));
}

/* ezz._merkle_root(alg text, leaves bytea) -> bytea */
PG_FUNCTION_INFO_V1(ezz_merkle_root);
Datum
ezz_merkle_root(PG_FUNCTION_ARGS)
{
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(0));
	int64		n;
	const uint8 *leaves = LeafArray(PG_GETARG_BYTEA_PP(1), &n);
	uint8		root[EZZ_DIGEST_LEN];

	TreeHash(alg, leaves, 0, n, root);
	PG_RETURN_BYTEA_P(DigestBytea(root));
}

/*
 * The entry ids of a block in order (its int8multirange), n of them: as many
 * as the block has leaves.
 */
static void
BlockIds(MultirangeType *ids, int64 n, int64 *out)
{
	TypeCacheEntry *typcache = lookup_type_cache(MultirangeTypeGetOid(ids), TYPECACHE_MULTIRANGE_INFO);
	int32		nranges;
	RangeType **ranges;
	int64		pos = 0;

	if (typcache->rngtype == NULL || typcache->rngtype->rngelemtype->type_id != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("a block's ids are an int8multirange")));
	multirange_deserialize(typcache->rngtype, ids, &nranges, &ranges);
	for (int i = 0; i < nranges; i++)
	{
		RangeBound lower;
		RangeBound upper;
		bool		empty;

		range_deserialize(typcache->rngtype, ranges[i], &lower, &upper, &empty);
		if (empty || lower.infinite || upper.infinite)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a block's ids must be finite ranges")));
		/* (int8 ranges are canonical: [lo, hi)) */
		for (int64 id = DatumGetInt64(lower.val); id < DatumGetInt64(upper.val); id++)
		{
			if (pos >= n)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("a block has more ids than its " INT64_FORMAT " leaf hashes", n)));
			out[pos++] = id;
		}
	}
	if (pos != n)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("a block has " INT64_FORMAT " ids and " INT64_FORMAT " leaf hashes", pos, n)));
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
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(0));
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
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(0));
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

/*
 * ezz._kept_rows_changed(): AFTER ... FOR EACH STATEMENT on the tables whose
 * rows backends keep between calls — ezz.login_binding (the audit trigger's
 * department, above) and the tables of a using department's facts (use.c).
 * A relation cache invalidation: every backend forgets what it kept once the
 * change commits; this one at its next command, and again if it aborts.
 */
PG_FUNCTION_INFO_V1(ezz_kept_rows_changed);
Datum
ezz_kept_rows_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._kept_rows_changed must be called as an AFTER trigger")));
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

/*
 * Names the trigger writes into every entry, as text kept in
 * TopMemoryContext: the audited relation's qualified name (a few recent
 * relations) and the session user's name.  Renaming a table sends a relcache
 * invalidation, renaming a schema or a role a syscache one: either forgets
 * them all.
 */
#define NAME_SLOTS 8
static Oid	NameRel[NAME_SLOTS];
static text *NameText[NAME_SLOTS];
static int	NameNext = 0;
static Oid	ActorUser = InvalidOid;
static text *ActorText = NULL;
static bool NamesCallbackSet = false;

static void
NamesForget(void)
{
	for (int i = 0; i < NAME_SLOTS; i++)
	{
		NameRel[i] = InvalidOid;
		if (NameText[i])
			pfree(NameText[i]);
		NameText[i] = NULL;
	}
	ActorUser = InvalidOid;
	if (ActorText)
		pfree(ActorText);
	ActorText = NULL;
}

static void
NamesRelcache(Datum arg, Oid relid)
{
	NamesForget();
}

static void
NamesSyscache(Datum arg, int cacheid, uint32 hashvalue)
{
	NamesForget();
}

static void
NamesCallbacks(void)
{
	if (NamesCallbackSet)
		return;
	CacheRegisterRelcacheCallback(NamesRelcache, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, NamesSyscache, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, NamesSyscache, (Datum) 0);
	NamesCallbackSet = true;
}

/* the relation's qualified name, as text */
static Datum
RelationNameText(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	char	   *name;
	int			slot;

	NamesCallbacks();
	for (int i = 0; i < NAME_SLOTS; i++)
		if (NameRel[i] == relid)
			return PointerGetDatum(NameText[i]);
	name = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
									  RelationGetRelationName(rel));
	slot = NameNext;
	NameNext = (NameNext + 1) % NAME_SLOTS;
	if (NameText[slot])
		pfree(NameText[slot]);
	NameRel[slot] = InvalidOid;
	NameText[slot] = (text *) MemoryContextAlloc(TopMemoryContext, VARHDRSZ + strlen(name));
	SET_VARSIZE(NameText[slot], VARHDRSZ + strlen(name));
	memcpy(VARDATA(NameText[slot]), name, strlen(name));
	NameRel[slot] = relid;
	return PointerGetDatum(NameText[slot]);
}

/* the session user's name, as text */
static Datum
ActorNameText(void)
{
	Oid			user = GetSessionUserId();

	NamesCallbacks();
	if (ActorText == NULL || ActorUser != user)
	{
		char	   *name = GetUserNameFromId(user, false);
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		if (ActorText)
			pfree(ActorText);
		ActorText = cstring_to_text(name);
		ActorUser = user;
		MemoryContextSwitchTo(old);
	}
	return PointerGetDatum(ActorText);
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

/* the canonical encoding of a tuple (or of its key columns) as text; buf keeps it */
static Datum
EncodedText(StringInfo buf, TupleDesc desc, HeapTuple tuple, Bitmapset *key)
{
	resetStringInfo(buf);
	ezz_encode_row(buf, desc, tuple, key);
	return PointerGetDatum(cstring_to_text_with_len(buf->data, buf->len));
}

/* what every entry of a trigger call holds alike: time, transaction, table, operation, actor, department */
static void
CommonValues(EntryCommon *c, Datum *values, bool *nulls)
{
	memset(nulls, false, sizeof(bool) * ENTRY_NATTS);
	values[1] = c->at;
	values[2] = c->xid;
	values[3] = c->relation;
	values[4] = c->op;
	values[5] = c->actor;
	values[6] = c->department;
	nulls[6] = c->no_department;
}

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

	CommonValues(c, values, nulls);
	/* row key, old row, new row, row hash */
	initStringInfo(&buf);
	nulls[7] = oldtup == NULL && newtup == NULL;
	if (!nulls[7])
		values[7] = EncodedText(&buf, c->desc, newtup ? newtup : oldtup, c->key);
	nulls[8] = oldtup == NULL;
	if (oldtup)
		values[8] = EncodedText(&buf, c->desc, oldtup, NULL);
	nulls[9] = newtup == NULL;
	if (newtup)
		values[9] = EncodedText(&buf, c->desc, newtup, NULL);
	/* the row hash is over the row as it now is (before, for a DELETE) */
	if (newtup || oldtup)
		values[10] = CStringGetTextDatum(ezz_labelled_hash(ezz_ledger_hash, buf.data, buf.len));
	else
		nulls[10] = true;
	values[0] = Int64GetDatum(nextval_internal(c->seq, false));
	return heap_form_tuple(RelationGetDescr(ledger), values, nulls);
}

/*
 * One entry for up to CHUNK_ROWS rows one INSERT statement added (or as many
 * as CHUNK_BYTES of images hold: larger values are malloc'd afresh each time,
 * and the page faults of zeroing a new tuple that size cost more than the
 * entries saved): their keys
 * and images one canonical JSON text to a line (canonical JSON has no raw
 * line break), in the order the statement inserted them.  No entry of an
 * INSERT statement carries a row hash, not even one of a single row: the
 * writer hashes nothing, the sealer's leaf hash covers the rows, and
 * ezz.audit_log shows each row's SM3 (docs/ledger.md §1).
 */
#define CHUNK_ROWS 1000
#define CHUNK_BYTES (64 * 1024)

static void
WriteChunk(EntryCommon *c, Relation ledger, StringInfo keys, StringInfo images, int n)
{
	Datum		values[ENTRY_NATTS];
	bool		nulls[ENTRY_NATTS];

	CommonValues(c, values, nulls);
	/* (the buffers begin with room for a text header) */
	SET_VARSIZE(keys->data, keys->len);
	values[7] = PointerGetDatum(keys->data);
	nulls[8] = true;
	SET_VARSIZE(images->data, images->len);
	values[9] = PointerGetDatum(images->data);
	nulls[10] = true;
	values[0] = Int64GetDatum(nextval_internal(c->seq, false));
	CatalogTupleInsert(ledger, heap_form_tuple(RelationGetDescr(ledger), values, nulls));
}

/*
 * The rows an INSERT statement added (its transition table), CHUNK_ROWS (or
 * CHUNK_BYTES of images) to an entry: a COPY of a million rows is a few
 * thousand entries, each one TOASTed (lz4) value, not a million tuples.
 */
static void
AuditInsertedRows(EntryCommon *c, Relation ledger, Tuplestorestate *rows)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(c->desc, &TTSOpsMinimalTuple);
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext, "ezz audit row", ALLOCSET_SMALL_SIZES);
	MemoryContext chunkcxt = AllocSetContextCreate(CurrentMemoryContext, "ezz audit chunk", ALLOCSET_DEFAULT_SIZES);
	StringInfoData keys;
	StringInfoData images;
	int			n = 0;

	initStringInfo(&keys);
	initStringInfo(&images);
	appendStringInfoSpaces(&keys, VARHDRSZ);
	appendStringInfoSpaces(&images, VARHDRSZ);
	tuplestore_rescan(rows);
	for (;;)
	{
		bool		more = tuplestore_gettupleslot(rows, true, false, slot);

		if (more)
		{
			MemoryContext old = MemoryContextSwitchTo(rowcxt);
			bool		free_it;
			HeapTuple	tup = ExecFetchSlotHeapTuple(slot, false, &free_it);

			if (n > 0)
			{
				appendStringInfoChar(&keys, '\n');
				appendStringInfoChar(&images, '\n');
			}
			ezz_encode_row(&keys, c->desc, tup, c->key);
			ezz_encode_row(&images, c->desc, tup, NULL);
			n++;
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		if (n > 0 && (!more || n == CHUNK_ROWS || images.len >= CHUNK_BYTES))
		{
			MemoryContext old = MemoryContextSwitchTo(chunkcxt);

			WriteChunk(c, ledger, &keys, &images, n);
			MemoryContextSwitchTo(old);
			MemoryContextReset(chunkcxt);
			keys.len = images.len = VARHDRSZ;
			keys.data[VARHDRSZ] = images.data[VARHDRSZ] = '\0';
			n = 0;
		}
		if (!more)
			break;
	}
	pfree(keys.data);
	pfree(images.data);
	MemoryContextDelete(rowcxt);
	MemoryContextDelete(chunkcxt);
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * ezz._audit(), fired as
 *   - AFTER UPDATE OR DELETE FOR EACH ROW: one entry per row;
 *   - AFTER INSERT FOR EACH STATEMENT with the inserted rows as a transition
 *     table: an entry per CHUNK_ROWS rows (AuditInsertedRows);
 *   - AFTER INSERT FOR EACH ROW WHEN (ezz._audit_by_row()): one entry per
 *     row, in logical replication apply only, which fires no statement
 *     triggers (the statement trigger then does nothing);
 *   - AFTER TRUNCATE FOR EACH STATEMENT: one entry for the table.
 * Writes straight into the table and its index (no executor, no SPI),
 * whoever made the change: no privilege of the caller is needed or used.
 */
/*
 * A transaction that wrote entries makes sure, just before it commits, that
 * the ledger worker runs: a long transaction may have outlived the worker's
 * idle time, and its entries are sealed only once committed.
 */
static bool WroteEntries = false;
static bool XactCallbackSet = false;
static TimestampTz EnsuredFor = 0;	/* the statement that last did */
static MemoryContext EntryContext = NULL;	/* one entry's scratch, reset */

static void
LedgerXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
			if (WroteEntries)
			{
				WroteEntries = false;
				ezz_ledger_worker_ensure();
			}
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			WroteEntries = false;
			break;
		default:
			break;
	}
}

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
	MemoryContext old;

	ev = CALLED_AS_TRIGGER(fcinfo) ? trigdata->tg_event : 0;
	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(ev) ||
		(TRIGGER_FIRED_FOR_STATEMENT(ev) && !TRIGGER_FIRED_BY_TRUNCATE(ev) &&
		 !(TRIGGER_FIRED_BY_INSERT(ev) && trigdata->tg_newtable != NULL)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._audit must be called as an AFTER row trigger, an AFTER INSERT statement trigger with a transition table, or AFTER TRUNCATE")));

	/*
	 * A restore (pg_restore with session_replication_role = replica, see
	 * docs/operations.md) reloads rows the ledger already holds: not again.
	 * Logical replication apply, which runs as replica too, is audited.
	 * (session_replication_role is a superuser's setting.)
	 */
	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA && !IsLogicalWorker())
		return PointerGetDatum(NULL);
	/* (a table synchronisation fires both: the row trigger has them) */
	if (TRIGGER_FIRED_FOR_STATEMENT(ev) && TRIGGER_FIRED_BY_INSERT(ev) && IsLogicalWorker())
		return PointerGetDatum(NULL);
	rel = trigdata->tg_relation;
	if (TRIGGER_FIRED_BY_INSERT(ev))
	{
		op = "INSERT";
		newtup = TRIGGER_FIRED_FOR_ROW(ev) ? trigdata->tg_trigtuple : NULL;
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

	if (EntryContext == NULL)
		EntryContext = AllocSetContextCreate(TopMemoryContext, "ezz audit entry", ALLOCSET_SMALL_SIZES);
	MemoryContextReset(EntryContext);
	old = MemoryContextSwitchTo(EntryContext);
	/*
	 * (copied: opening the ledger or its sequence below may take an
	 * invalidation that frees the cached names)
	 */
	c.relation = datumCopy(RelationNameText(rel), false, -1);
	c.actor = datumCopy(ActorNameText(), false, -1);
	c.at = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	c.xid = FullTransactionIdGetDatum(GetTopFullTransactionId());
	c.op = CStringGetTextDatum(op);
	c.no_department = dept == NULL;
	c.department = dept ? CStringGetTextDatum(dept) : (Datum) 0;
	c.key = ezz_key_columns(rel);
	c.desc = RelationGetDescr(rel);

	ledger = OpenLedger(&c.seq);
	if (TRIGGER_FIRED_BY_INSERT(ev) && TRIGGER_FIRED_FOR_STATEMENT(ev))
		AuditInsertedRows(&c, ledger, trigdata->tg_newtable);
	else
		CatalogTupleInsert(ledger, FormEntry(&c, ledger, oldtup, newtup));
	table_close(ledger, NoLock);

	MemoryContextSwitchTo(old);
	MemoryContextReset(EntryContext);

	/*
	 * The worker's keep-alive, once a statement: the pre-commit callback
	 * makes sure of it again however long the transaction ran.
	 */
	if (GetCurrentStatementStartTimestamp() != EnsuredFor)
	{
		ezz_ledger_worker_ensure();
		EnsuredFor = GetCurrentStatementStartTimestamp();
	}
	if (!XactCallbackSet)
	{
		RegisterXactCallback(LedgerXactCallback, NULL);
		XactCallbackSet = true;
	}
	WroteEntries = true;
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

/* ---------------------------------------------------------------------------
 * The verifier's fast passes: sums of keyed terms
 *
 * Each pass compares two multisets — the leaves the blocks hold against the
 * entries hashed again; the rows the ledger says each table holds against
 * the rows it holds — by summing, modulo 2^256, an HMAC-SHA-256 of each
 * element under a key drawn afresh for the run (a random function nobody
 * could aim at in advance: sets that differ give different sums but with
 * probability 2^-256).  A sum is an aggregate, so the scans run in parallel
 * workers, need no sort and no memory to speak of.  Equal sums say "the same";
 * a difference sends ezz.audit_verify to the exact queries, which name it.
 * ---------------------------------------------------------------------------
 */

static void
Add256(uint8 *acc, const uint8 *x)
{
	unsigned	carry = 0;

	for (int i = EZZ_DIGEST_LEN - 1; i >= 0; i--)
	{
		carry += acc[i] + x[i];
		acc[i] = (uint8) carry;
		carry >>= 8;
	}
}

static void
Neg256(uint8 *x)
{
	unsigned	carry = 1;

	for (int i = EZZ_DIGEST_LEN - 1; i >= 0; i--)
	{
		carry += (uint8) ~x[i];
		x[i] = (uint8) carry;
		carry >>= 8;
	}
}

static const uint8 *
TermKey(bytea *key, size_t *len)
{
	*len = VARSIZE_ANY_EXHDR(key);
	if (*len < 16 || *len > 64)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a verification key is 16 to 64 bytes, not %zu", *len)));
	return (const uint8 *) VARDATA_ANY(key);
}

/* ezz._verification_key() -> bytea: 32 random bytes, a key for one run */
PG_FUNCTION_INFO_V1(ezz_verification_key);
Datum
ezz_verification_key(PG_FUNCTION_ARGS)
{
	uint8		key[EZZ_DIGEST_LEN];

	ezz_random_bytes(key, sizeof(key));
	PG_RETURN_BYTEA_P(DigestBytea(key));
}

/* HMAC(key, "L" || id (8 bytes, big-endian) || leaf): a sealed entry */
static void
LeafTerm(const uint8 *key, size_t keylen, int64 id, const uint8 *leaf, uint8 out[EZZ_DIGEST_LEN])
{
	uint8		be[8];
	const void *parts[3] = {"L", be, leaf};
	size_t		lens[3] = {1, 8, EZZ_DIGEST_LEN};

	for (int k = 0; k < 8; k++)
		be[k] = (uint8) ((uint64) id >> (8 * (7 - k)));
	ezz_hmac_parts(key, keylen, parts, lens, 3, out);
}

/* HMAC(key, "R" || length of name (4 bytes) || name || row image): a row of a table */
static void
RowTerm(const uint8 *key, size_t keylen, text *relation, const char *image, size_t len, uint8 out[EZZ_DIGEST_LEN])
{
	uint32		rlen = VARSIZE_ANY_EXHDR(relation);
	uint8		be[4] = {(uint8) (rlen >> 24), (uint8) (rlen >> 16), (uint8) (rlen >> 8), (uint8) rlen};
	const void *parts[4] = {"R", be, VARDATA_ANY(relation), image};
	size_t		lens[4] = {1, 4, rlen, len};

	ezz_hmac_parts(key, keylen, parts, lens, 4, out);
}

/*
 * the term of the row images the ledger recorded (old_row or new_row): the
 * sum of its lines' terms (an entry of several inserted rows holds one image
 * to a line)
 */
static void
TextTerm(const uint8 *key, size_t keylen, text *relation, text *rows, uint8 out[EZZ_DIGEST_LEN])
{
	const char *p = VARDATA_ANY(rows);
	const char *end = p + VARSIZE_ANY_EXHDR(rows);

	memset(out, 0, EZZ_DIGEST_LEN);
	for (;;)
	{
		const char *nl = memchr(p, '\n', end - p);
		const char *stop = nl ? nl : end;
		uint8		term[EZZ_DIGEST_LEN];

		RowTerm(key, keylen, relation, p, stop - p, term);
		Add256(out, term);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/*
 * ezz._sum256_add(bytea, bytea) -> bytea: the sum modulo 2^256 of two 32-byte
 * values (NULL: nothing); the transition and combine function of the
 * aggregate ezz._sum256, in place when called as one.
 */
PG_FUNCTION_INFO_V1(ezz_sum256_add);
Datum
ezz_sum256_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bytea	   *x;
	bytea	   *acc;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	x = PG_GETARG_BYTEA_PP(1);
	if (VARSIZE_ANY_EXHDR(x) != EZZ_DIGEST_LEN ||
		(!PG_ARGISNULL(0) && VARSIZE_ANY_EXHDR(PG_GETARG_BYTEA_PP(0)) != EZZ_DIGEST_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ezz._sum256 adds 32-byte values")));
	if (!AggCheckCallContext(fcinfo, &aggcxt))
		aggcxt = NULL;
	if (PG_ARGISNULL(0) || aggcxt == NULL)
	{
		/* a new value (in the aggregate's context when called as one) */
		acc = aggcxt ? MemoryContextAllocZero(aggcxt, VARHDRSZ + EZZ_DIGEST_LEN) : palloc0(VARHDRSZ + EZZ_DIGEST_LEN);
		SET_VARSIZE(acc, VARHDRSZ + EZZ_DIGEST_LEN);
		if (!PG_ARGISNULL(0))
			memcpy(VARDATA(acc), VARDATA_ANY(PG_GETARG_BYTEA_PP(0)), EZZ_DIGEST_LEN);
	}
	else
		acc = PG_GETARG_BYTEA_P(0);	/* (ours, made above: a plain 4-byte header) */
	Add256((uint8 *) VARDATA(acc), (const uint8 *) VARDATA_ANY(x));
	PG_RETURN_BYTEA_P(acc);
}

/*
 * ezz._leaf_term(key bytea, id bigint, alg text, entry record) -> bytea: the
 * term of an entry as it is now (its leaf hashed again)
 */
PG_FUNCTION_INFO_V1(ezz_leaf_term);
Datum
ezz_leaf_term(PG_FUNCTION_ARGS)
{
	size_t		keylen;
	const uint8 *key = TermKey(PG_GETARG_BYTEA_PP(0), &keylen);
	int64		id = PG_GETARG_INT64(1);
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(2));
	uint8		leaf[EZZ_DIGEST_LEN];
	uint8		term[EZZ_DIGEST_LEN];

	LeafOf(fcinfo, 3, alg, leaf);
	LeafTerm(key, keylen, id, leaf, term);
	PG_RETURN_BYTEA_P(DigestBytea(term));
}

/*
 * ezz._block_term(key bytea, ids int8multirange, leaves bytea) -> bytea: the
 * sum of the terms of the leaves a block holds, each beside its entry's id
 */
PG_FUNCTION_INFO_V1(ezz_block_term);
Datum
ezz_block_term(PG_FUNCTION_ARGS)
{
	size_t		keylen;
	const uint8 *key = TermKey(PG_GETARG_BYTEA_PP(0), &keylen);
	MultirangeType *ids = PG_GETARG_MULTIRANGE_P(1);
	int64		n;
	const uint8 *leaves = LeafArray(PG_GETARG_BYTEA_PP(2), &n);
	int64	   *id = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
	uint8		sum[EZZ_DIGEST_LEN] = {0};

	BlockIds(ids, n, id);
	for (int64 i = 0; i < n; i++)
	{
		uint8		term[EZZ_DIGEST_LEN];

		LeafTerm(key, keylen, id[i], leaves + i * EZZ_DIGEST_LEN, term);
		Add256(sum, term);
	}
	pfree(id);
	PG_RETURN_BYTEA_P(DigestBytea(sum));
}

/*
 * ezz._change_term(key bytea, relation text, old_row text, new_row text) ->
 * bytea: what an entry changed in its table, as terms: the row after, less
 * the row before (either may be NULL).  Summed over a table's entries since
 * its last TRUNCATE, each row's history telescopes to the row as its latest
 * entry left it.
 */
PG_FUNCTION_INFO_V1(ezz_change_term);
Datum
ezz_change_term(PG_FUNCTION_ARGS)
{
	size_t		keylen;
	const uint8 *key;
	text	   *relation;
	uint8		sum[EZZ_DIGEST_LEN] = {0};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ezz._change_term needs a key and a relation")));
	key = TermKey(PG_GETARG_BYTEA_PP(0), &keylen);
	relation = PG_GETARG_TEXT_PP(1);
	if (!PG_ARGISNULL(3))
		TextTerm(key, keylen, relation, PG_GETARG_TEXT_PP(3), sum);
	if (!PG_ARGISNULL(2))
	{
		uint8		term[EZZ_DIGEST_LEN];

		TextTerm(key, keylen, relation, PG_GETARG_TEXT_PP(2), term);
		Neg256(term);
		Add256(sum, term);
	}
	PG_RETURN_BYTEA_P(DigestBytea(sum));
}

/* ezz._row_term(key bytea, relation text, r record) -> bytea: a row's term now */
PG_FUNCTION_INFO_V1(ezz_row_term);
Datum
ezz_row_term(PG_FUNCTION_ARGS)
{
	size_t		keylen;
	const uint8 *key = TermKey(PG_GETARG_BYTEA_PP(0), &keylen);
	text	   *relation = PG_GETARG_TEXT_PP(1);
	StringInfoData buf;
	uint8		term[EZZ_DIGEST_LEN];

	initStringInfo(&buf);
	ezz_encode_arg_row(fcinfo, 2, &buf);
	RowTerm(key, keylen, relation, buf.data, buf.len, term);
	pfree(buf.data);
	PG_RETURN_BYTEA_P(DigestBytea(term));
}

/*
 * ezz._audit_by_row() -> boolean: the WHEN of the row-level INSERT audit
 * trigger — true in logical replication apply, which fires no statement
 * triggers; elsewhere the statement trigger audits inserts in chunks.
 */
PG_FUNCTION_INFO_V1(ezz_audit_by_row);
Datum
ezz_audit_by_row(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(IsLogicalWorker());
}
