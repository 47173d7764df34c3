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

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/tupdesc.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "replication/logicalworker.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
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

/* ezz._leaf_hash(alg text, record) -> bytea: H(0x00 || canonical row) */
PG_FUNCTION_INFO_V1(ezz_leaf_hash);
Datum
ezz_leaf_hash(PG_FUNCTION_ARGS)
{
	int			alg = ezz_ledger_hash_parse(PG_GETARG_TEXT_PP(0));
	HeapTupleData tuple;
	TupleDesc	desc = ezz_row_arg(fcinfo, 1, &tuple, NULL);
	StringInfoData out;
	uint8		digest[EZZ_DIGEST_LEN];

	initStringInfo(&out);
	appendStringInfoChar(&out, '\0');
	ezz_encode_row(&out, desc, &tuple, NULL);
	ezz_digest(ezz_ledger_hash_name(alg), out.data, out.len, digest);
	pfree(out.data);
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

typedef struct IdLeaf
{
	int64		id;
	const uint8 *leaf;
} IdLeaf;

static int
IdLeafCmp(const void *a, const void *b)
{
	int64		x = ((const IdLeaf *) a)->id;
	int64		y = ((const IdLeaf *) b)->id;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * ezz._leaf_run(ids int8multirange[], leaves bytea[]) -> bytea: the blocks'
 * (id, leaf) pairs in id order, each an 8-byte big-endian id (int8send) and
 * its leaf hash: what the verifier compares with the entries hashed again.
 */
PG_FUNCTION_INFO_V1(ezz_leaf_run);
Datum
ezz_leaf_run(PG_FUNCTION_ARGS)
{
	ArrayType  *ida = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *lva = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *idd;
	Datum	   *lvd;
	bool	   *idn;
	bool	   *lvn;
	int			nb;
	int			nl;
	IdLeaf	   *pairs = NULL;
	int64		total = 0;
	int64	   *ids = NULL;
	bytea	   *run;
	uint8	   *p;

	deconstruct_array(ida, ARR_ELEMTYPE(ida), -1, false, TYPALIGN_INT, &idd, &idn, &nb);
	deconstruct_array(lva, BYTEAOID, -1, false, TYPALIGN_INT, &lvd, &lvn, &nl);
	if (nb != nl)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%d blocks' ids and %d blocks' leaves", nb, nl)));
	for (int b = 0; b < nb; b++)
	{
		int64		n;
		const uint8 *leaves;

		if (idn[b] || lvn[b])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a block's ids and leaves are never NULL")));
		leaves = LeafArray(DatumGetByteaPP(lvd[b]), &n);
		if (total + n > (int64) (MaxAllocHugeSize / sizeof(IdLeaf)))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many entries to compare at once")));
		pairs = pairs ? repalloc_huge(pairs, sizeof(IdLeaf) * (total + n)) : palloc_extended(sizeof(IdLeaf) * n, MCXT_ALLOC_HUGE);
		ids = ids ? repalloc_huge(ids, sizeof(int64) * n) : palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
		BlockIds(DatumGetMultirangeTypeP(idd[b]), n, ids);
		for (int64 i = 0; i < n; i++)
		{
			pairs[total + i].id = ids[i];
			pairs[total + i].leaf = leaves + i * EZZ_DIGEST_LEN;
		}
		total += n;
	}
	if (total > 0)
		qsort(pairs, total, sizeof(IdLeaf), IdLeafCmp);
	if ((Size) total * (8 + EZZ_DIGEST_LEN) + VARHDRSZ > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many entries to compare at once")));
	run = palloc(VARHDRSZ + total * (8 + EZZ_DIGEST_LEN));
	SET_VARSIZE(run, VARHDRSZ + total * (8 + EZZ_DIGEST_LEN));
	p = (uint8 *) VARDATA(run);
	for (int64 i = 0; i < total; i++)
	{
		uint64		id = (uint64) pairs[i].id;

		for (int k = 7; k >= 0; k--)
			*p++ = (uint8) (id >> (8 * k));
		memcpy(p, pairs[i].leaf, EZZ_DIGEST_LEN);
		p += EZZ_DIGEST_LEN;
	}
	PG_RETURN_BYTEA_P(run);
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
		ezz_encode_row(&buf, c->desc, newtup ? newtup : oldtup, c->key);
		values[7] = PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	}
	if (oldtup)
	{
		resetStringInfo(&buf);
		ezz_encode_row(&buf, c->desc, oldtup, NULL);
		values[8] = PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	}
	else
		nulls[8] = true;
	if (newtup)
	{
		resetStringInfo(&buf);
		ezz_encode_row(&buf, c->desc, newtup, NULL);
		values[9] = PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	}
	else
		nulls[9] = true;
	/* the row hash is over the row as it now is (before, for a DELETE) */
	if (newtup || oldtup)
		values[10] = CStringGetTextDatum(ezz_labelled_hash(ezz_ledger_hash, buf.data, buf.len));
	else
		nulls[10] = true;
	values[0] = Int64GetDatum(nextval_internal(c->seq, false));
	return heap_form_tuple(RelationGetDescr(ledger), values, nulls);
}

/*
 * ezz._audit(): AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW, and AFTER
 * TRUNCATE FOR EACH STATEMENT.  Writes one ezz.audit_entry straight into the
 * table and its index (no executor, no SPI: the trigger fires for every row
 * of a COPY), whoever made the change: no privilege of the caller is needed
 * or used.  (A statement-level insert trigger with a transition table would
 * batch a COPY's entries, but PostgreSQL keeps each subtransaction's
 * transition-table memory until the top transaction ends: ezz.issue_batch's
 * memory grew with its rows.)
 */
/*
 * A transaction that wrote entries makes sure, just before it commits, that
 * the ledger worker runs: a long transaction may have outlived the worker's
 * idle time, and its entries are sealed only once committed.
 */
static bool WroteEntries = false;
static bool XactCallbackSet = false;

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
	MemoryContext cxt;
	MemoryContext old;

	ev = CALLED_AS_TRIGGER(fcinfo) ? trigdata->tg_event : 0;
	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(ev) ||
		(TRIGGER_FIRED_FOR_STATEMENT(ev) && !TRIGGER_FIRED_BY_TRUNCATE(ev)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("ezz._audit must be called as an AFTER row trigger (or AFTER TRUNCATE)")));

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
	c.key = ezz_key_columns(rel);
	c.desc = RelationGetDescr(rel);

	ledger = OpenLedger(&c.seq);
	CatalogTupleInsert(ledger, FormEntry(&c, ledger, oldtup, newtup));
	table_close(ledger, NoLock);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	ezz_ledger_worker_ensure();
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
 * The verifier's fast comparison of audited tables with their ledger
 * ---------------------------------------------------------------------------
 */

/* a row key's latest entry; the map's key is 128 bits of hash of the name */
typedef struct LatestEntry
{
	uint64		name[2];		/* hash of relation and row key (the key) */
	int64		id;
	int64		relation;		/* index into the relations seen */
	bool		deleted;		/* the latest entry is a DELETE */
	bool		seen;			/* the table has the row */
	uint8		digest[EZZ_DIGEST_LEN]; /* SHA-256 of the row it recorded */
} LatestEntry;

static void
NameHash(const char *relation, int rlen, const char *key, int klen, uint64 out[2])
{
	uint64		a = hash_bytes_extended((const unsigned char *) relation, rlen, 0x657a7a);
	uint64		b = hash_bytes_extended((const unsigned char *) relation, rlen, 0x6c6564676572);

	out[0] = hash_bytes_extended((const unsigned char *) key, klen, a);
	out[1] = hash_bytes_extended((const unsigned char *) key, klen, b);
}

static int64
RelationIndex(List **names, const char *relation, MemoryContext cxt)
{
	MemoryContext old;

	ListCell   *lc;
	int64		i = 0;

	foreach(lc, *names)
	{
		if (strcmp((const char *) lfirst(lc), relation) == 0)
			return i;
		i++;
	}
	old = MemoryContextSwitchTo(cxt);
	*names = lappend(*names, pstrdup(relation));
	MemoryContextSwitchTo(old);
	return i;
}

static void
RequireSelect(Oid relid)
{
	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to compare %s with the ledger", get_rel_name(relid))));
}

/*
 * ezz._tables_match(tables regclass[]) -> boolean: true when every row of
 * the tables is what the latest ledger entry of its key (after the table's
 * last TRUNCATE) recorded, and every key of the ledger, whatever its table,
 * whose latest entry is not a DELETE has its row in one of them (as the
 * exact query of ezz._verify_tables has it: give it every audited table).  One pass over the ledger into a hash map, one over each
 * table; false says only that something differs: ezz._verify_tables then
 * names it with the exact (and slower) query.  Row images are compared by
 * SHA-256 of their canonical encoding, whatever the ledger's own hash.
 */
PG_FUNCTION_INFO_V1(ezz_tables_match);
Datum
ezz_tables_match(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *tables;
	bool	   *tnulls;
	int			ntables;
	MemoryContext cxt;
	MemoryContext rowcxt;
	MemoryContext old;
	HASHCTL		ctl;
	HTAB	   *map;
	List	   *names = NIL;
	int64	   *cut;
	int64		ncut;
	Relation	ledger;
	TupleDesc	ldesc;
	TableScanDesc scan;
	HeapTuple	tup;
	bool		match = true;
	HASH_SEQ_STATUS hs;
	LatestEntry *le;

	deconstruct_array(arr, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT, &tables, &tnulls, &ntables);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "ezz tables match", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(cxt, "ezz tables match row", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(uint64) * 2;
	ctl.entrysize = sizeof(LatestEntry);
	ctl.hcxt = cxt;
	/* 1. the ledger: each key's latest entry, and each relation's last TRUNCATE */
	ledger = OpenLedger(NULL);
	RequireSelect(RelationGetRelid(ledger));
	/* (sized for the ledger as last analysed: no splitting as it fills) */
	map = hash_create("ezz latest entries", (long) Min(Max(ledger->rd_rel->reltuples, 1024.0), 64.0 * 1024 * 1024),
					  &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ldesc = RelationGetDescr(ledger);
	ncut = 16;
	cut = palloc0(sizeof(int64) * ncut);
	scan = table_beginscan(ledger, GetActiveSnapshot(), 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Datum		values[ENTRY_NATTS];
		bool		nulls[ENTRY_NATTS];
		char	   *relation;
		int64		rel;
		int64		id;
		text	   *op;
		bool		found;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(rowcxt);
		MemoryContextSwitchTo(rowcxt);
		heap_deform_tuple(tup, ldesc, values, nulls);
		if (nulls[0] || nulls[3] || nulls[4])
		{
			match = false;		/* (not an entry the trigger wrote) */
			continue;
		}
		id = DatumGetInt64(values[0]);
		relation = TextDatumGetCString(values[3]);
		rel = RelationIndex(&names, relation, cxt);
		if (rel >= ncut)
		{
			cut = repalloc(cut, sizeof(int64) * ncut * 2);
			memset(cut + ncut, 0, sizeof(int64) * ncut);
			ncut *= 2;
		}
		op = DatumGetTextPP(values[4]);
		if (VARSIZE_ANY_EXHDR(op) == 8 && memcmp(VARDATA_ANY(op), "TRUNCATE", 8) == 0)
			cut[rel] = Max(cut[rel], id);
		else if (!nulls[7])
		{
			text	   *key = DatumGetTextPP(values[7]);
			uint64		name[2];
			bool		deleted = VARSIZE_ANY_EXHDR(op) == 6 && memcmp(VARDATA_ANY(op), "DELETE", 6) == 0;

			NameHash(relation, strlen(relation), VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key), name);
			le = hash_search(map, name, HASH_ENTER, &found);
			if (!found || le->id < id)
			{
				le->id = id;
				le->relation = rel;
				le->deleted = deleted;
				le->seen = false;
				if (!deleted && nulls[9])
					match = false;
				else if (!deleted)
				{
					text	   *row = DatumGetTextPP(values[9]);

					ezz_digest("SHA256", VARDATA_ANY(row), VARSIZE_ANY_EXHDR(row), le->digest);
				}
			}
		}
	}
	MemoryContextSwitchTo(cxt);
	table_endscan(scan);
	table_close(ledger, NoLock);

	/* 2. each table's rows against it */
	for (int t = 0; t < ntables && match; t++)
	{
		Oid			relid = DatumGetObjectId(tables[t]);
		Relation	rel;
		TupleDesc	desc;
		Bitmapset  *key;
		char	   *relation;
		int64		ri;
		StringInfoData buf;

		if (tnulls[t])
			continue;
		rel = table_open(relid, AccessShareLock);
		RequireSelect(relid);
		desc = RelationGetDescr(rel);
		key = ezz_key_columns(rel);
		relation = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
											  RelationGetRelationName(rel));
		ri = RelationIndex(&names, relation, cxt);
		scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
		while (match && (tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
		{
			uint64		name[2];
			uint8		digest[EZZ_DIGEST_LEN];

			CHECK_FOR_INTERRUPTS();
			MemoryContextReset(rowcxt);
			MemoryContextSwitchTo(rowcxt);
			initStringInfo(&buf);
			ezz_encode_row(&buf, desc, tup, key);
			NameHash(relation, strlen(relation), buf.data, buf.len, name);
			le = hash_search(map, name, HASH_FIND, NULL);
			if (le == NULL || le->deleted || le->seen || le->relation != ri ||
				(ri < ncut && le->id < cut[ri]))
			{
				match = false;
				break;
			}
			resetStringInfo(&buf);
			ezz_encode_row(&buf, desc, tup, NULL);
			ezz_digest("SHA256", buf.data, buf.len, digest);
			if (memcmp(digest, le->digest, EZZ_DIGEST_LEN) != 0)
				match = false;
			le->seen = true;
		}
		MemoryContextSwitchTo(cxt);
		table_endscan(scan);
		table_close(rel, NoLock);
	}

	/* 3. no key the ledger says exists is missing from its table */
	if (match)
	{
		hash_seq_init(&hs, map);
		while ((le = hash_seq_search(&hs)) != NULL)
		{
			if (!le->deleted && !le->seen && !(le->relation < ncut && le->id < cut[le->relation]))
			{
				match = false;
				hash_seq_term(&hs);
				break;
			}
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	PG_RETURN_BOOL(match);
}
