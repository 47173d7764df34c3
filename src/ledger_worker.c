/*
 * ledger_worker.c — the ezz ledger worker: one background worker per
 * database (started on demand by access.c), which commits the access records
 * queued in its slot in batches of up to EZZ_LEDGER_BATCH, hands each caller
 * its record's id, seals both ledgers once a second (ezz._seal_all), and
 * leaves after EZZ_LEDGER_IDLE_MS with nothing to do.  See access.c for the
 * queue and docs/ledger.md for the design.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/namespace.h"
#include "catalog/pg_authid_d.h"
#include "catalog/pg_type_d.h"
#include "commands/dbcommands.h"
#include "commands/defrem.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/condition_variable.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/utility.h"
#include "utils/array.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "access.h"
#include "ezz.h"

static int	MySlot = -1;
static bool ExtensionGone = false;
static TimestampTz ExtensionCheckedAt = 0;
static char *Unwrapped = NULL;	/* the queue, copied out of the ring */

static void
SetState(SlotState state)
{
	LedgerSlot *s = &Ledger->slots[MySlot];

	SpinLockAcquire(&s->mutex);
	s->state = state;
	SpinLockRelease(&s->mutex);
}

static void
Detach(int code, Datum arg)
{
	LedgerSlot *s = &Ledger->slots[MySlot];
	bool		empty;

	LWLockReleaseAll();
	if (ExtensionGone)
		ezz_ledger_discard_queue(MySlot, "the ezz extension was dropped");
	LWLockAcquire(ControlLock(), LW_EXCLUSIVE);
	LWLockAcquire(SlotLock(MySlot), LW_EXCLUSIVE);
	empty = s->head == s->tail;
	SpinLockAcquire(&s->mutex);
	if (s->proc == MyProc)
	{
		s->proc = NULL;
		s->pid = 0;
		s->state = SLOT_STOPPED;
		/* a queue left behind keeps the slot for the next worker */
		if (empty)
			s->dboid = InvalidOid;
	}
	SpinLockRelease(&s->mutex);
	LWLockRelease(SlotLock(MySlot));
	LWLockRelease(ControlLock());
	ConditionVariableBroadcast(&s->cv);
}

typedef bool (*TxnBody) (void *arg);

/*
 * Run body in a transaction of its own, with SPI and a snapshot.  An error
 * is caught, logged and kept in last_error (returned in *sqlerrcode); false
 * then.  Without the ezz extension (looked up at most once a second) body is
 * not run and ExtensionGone is set.
 */
static bool
RunTxn(const char *what, TxnBody body, void *arg, int *sqlerrcode)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	*sqlerrcode = 0;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	pgstat_report_activity(STATE_RUNNING, what);
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "%s: SPI_connect failed", what);
		PushActiveSnapshot(GetTransactionSnapshot());
		/* (a look-up in pg_extension: once a second, not for every batch) */
		if (TimestampDifferenceExceeds(ExtensionCheckedAt, GetCurrentTimestamp(), 1000))
		{
			ExtensionGone = !OidIsValid(get_extension_oid("ezz", true));
			ExtensionCheckedAt = GetCurrentTimestamp();
		}
		if (!ExtensionGone)
			(void) body(arg);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		LedgerSlot *s = &Ledger->slots[MySlot];

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		*sqlerrcode = edata->sqlerrcode;
		ereport(LOG,
				(errmsg("%s failed: %s", what, edata->message),
				 edata->detail ? errdetail_internal("%s", edata->detail) : 0));
		LWLockAcquire(SlotLock(MySlot), LW_EXCLUSIVE);
		snprintf(s->last_error, EZZ_LEDGER_ERROR_MAX, "%s: %s", what, edata->message);
		LWLockRelease(SlotLock(MySlot));
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);
	return ok;
}

typedef struct Batch
{
	int			n;
	Datum		arrays[10];
	Datum		ats[EZZ_LEDGER_BATCH];
	int64		ids[EZZ_LEDGER_BATCH];
} Batch;

static SPIPlanPtr WritePlan = NULL;
static SPIPlanPtr PartitionPlan = NULL;

static SPIPlanPtr
KeptPlan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *types)
{
	/* (planned once for the worker's life; the plan cache re-plans it if ezz is replaced) */
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, (Oid *) types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not plan \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		*plan = p;
	}
	return *plan;
}

/*
 * The access-log partition of each month the batch's records fall in,
 * made if missing (ezz._access_partition; the worker makes this month's and
 * the next two ahead, so this is a look-up).
 */
static void
EnsurePartitions(Batch *b)
{
	static const Oid types[1] = {TIMESTAMPTZOID};
	Oid			nsp = get_namespace_oid("ezz", false);
	int			last = -1;

	for (int i = 0; i < b->n; i++)
	{
		struct pg_tm tm;
		fsec_t		fsec;
		char		name[NAMEDATALEN];
		Datum		at = b->ats[i];

		if (timestamp2tm(DatumGetTimestampTz(at), NULL, &tm, &fsec, NULL, NULL) != 0)
			elog(ERROR, "an access record's time is out of range");
		if (tm.tm_year * 12 + tm.tm_mon == last)
			continue;
		last = tm.tm_year * 12 + tm.tm_mon;
		snprintf(name, sizeof(name), "access_log_%04d%02d", tm.tm_year, tm.tm_mon);
		if (OidIsValid(get_relname_relid(name, nsp)))
			continue;
		if (SPI_execute_plan(KeptPlan(&PartitionPlan, "SELECT ezz._access_partition($1)", 1, types),
							 &at, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not make access-log partition %s", name);
	}
}

/*
 * The batch, numbered in order (the worker alone draws from the sequence,
 * row by row in the arrays' order: the volatile nextval is computed after
 * the sort), into ezz.access_log.
 */
static bool
WriteBody(void *arg)
{
	static const Oid types[10] = {TIMESTAMPTZARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, INT8ARRAYOID, BOOLARRAYOID, TEXTARRAYOID};
	Batch	   *b = arg;
	SPIPlanPtr	plan;

	EnsurePartitions(b);
	plan = KeptPlan(&WritePlan,
					"INSERT INTO ezz.access_log (id, at, actor, department, licence, issuer, action, service_item,"
					" purpose, grant_id, allowed, reason)"
					" SELECT pg_catalog.nextval('ezz.access_log_id_seq'), r.at, r.actor, r.department::ezz.uscc,"
					" r.licence::ezz.licence_ident, ezz.ident_issuer(r.licence::ezz.licence_ident), r.action,"
					" r.service_item, r.purpose, r.grant_id, r.allowed, r.reason"
					" FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3),"
					" pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7),"
					" pg_catalog.unnest($8), pg_catalog.unnest($9), pg_catalog.unnest($10))"
					" WITH ORDINALITY AS r(at, actor, department, licence, action, service_item, purpose, grant_id,"
					" allowed, reason, ord)"
					" ORDER BY r.ord RETURNING id", 10, types);
	if (SPI_execute_plan(plan, b->arrays, NULL, false, 0) != SPI_OK_INSERT_RETURNING || SPI_processed != (uint64) b->n)
		elog(ERROR, "the access records' INSERT wrote " UINT64_FORMAT " of %d", SPI_processed, b->n);
	for (int i = 0; i < b->n; i++)
	{
		bool		isnull;

		b->ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		if (i > 0 && b->ids[i] <= b->ids[i - 1])
			elog(ERROR, "the access records were numbered out of order");
	}
	return true;
}

static Datum
MakeArray(Datum *vals, bool *nulls, int n, Oid type)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};
	bool		text = type == TEXTOID,
				boolean = type == BOOLOID;

	/* (outside a transaction: no catalog look-up) */
	return PointerGetDatum(construct_md_array(vals, nulls, 1, dims, lbs, type, text ? -1 : boolean ? 1 : 8,
											  !text && (boolean || FLOAT8PASSBYVAL),
											  text ? TYPALIGN_INT : boolean ? TYPALIGN_CHAR : TYPALIGN_DOUBLE));
}

/*
 * Write up to max queued records in one transaction, then hand the callers
 * their ids.  Returns how many were done (written or refused), 0 when the
 * queue is empty, -1 after an error to retry later, -2 when the batch should
 * be retried one record at a time.
 */
static int
WriteBatch(int max, MemoryContext cxt)
{
	static const int column[NFIELDS] = {1, 2, 3, 4, 5, 6, 9};	/* WriteBody's argument of each field */
	LedgerSlot *s = &Ledger->slots[MySlot];
	Batch	   *b;
	Datum		vals[10][EZZ_LEDGER_BATCH];
	bool		nulls[10][EZZ_LEDGER_BATCH];
	uint64		seqs[EZZ_LEDGER_BATCH];
	PGPROC	   *wake[EZZ_LEDGER_BATCH];
	int			nwake;
	uint64		used;
	Size		pos = 0;
	int			code;
	bool		ok;

	LWLockAcquire(SlotLock(MySlot), LW_SHARED);
	used = s->head - s->tail;
	ezz_ledger_ring_copy(s, s->tail, Unwrapped, used, false);
	LWLockRelease(SlotLock(MySlot));
	if (used == 0)
		return 0;

	MemoryContextReset(cxt);
	MemoryContextSwitchTo(cxt);
	b = palloc0(sizeof(Batch));
	while (pos < used && b->n < max)
	{
		RecordHead	h;
		Size		off;
		int			i = b->n++;

		memcpy(&h, Unwrapped + pos, sizeof(h));
		off = pos + sizeof(h);
		seqs[i] = h.seq;
		vals[0][i] = b->ats[i] = TimestampTzGetDatum(h.at);
		nulls[0][i] = false;
		vals[7][i] = Int64GetDatum(h.grant_id);
		nulls[7][i] = h.grant_null;
		vals[8][i] = BoolGetDatum(h.allowed);
		nulls[8][i] = false;
		for (int f = 0; f < NFIELDS; f++)
		{
			nulls[column[f]][i] = h.flen[f] == NULL_FIELD;
			if (h.flen[f] != NULL_FIELD)
			{
				vals[column[f]][i] = PointerGetDatum(cstring_to_text_with_len(Unwrapped + off, h.flen[f]));
				off += h.flen[f];
			}
		}
		pos += h.len;
	}
	for (int a = 0; a < 10; a++)
		b->arrays[a] = MakeArray(vals[a], nulls[a], b->n,
								 a == 0 ? TIMESTAMPTZOID : a == 7 ? INT8OID : a == 8 ? BOOLOID : TEXTOID);

	SetState(SLOT_WRITING);
	ok = RunTxn("ezz ledger worker: writing access records", WriteBody, b, &code);
	SetState(SLOT_IDLE);
	if (ExtensionGone)
		return 0;
	if (!ok)
	{
		bool		data_error = ERRCODE_TO_CATEGORY(code) == ERRCODE_DATA_EXCEPTION ||
		ERRCODE_TO_CATEGORY(code) == ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION;

		if (!data_error)
			return -1;
		if (b->n > 1)
			return -2;
		/* one record the table will not take: give its caller the error */
		b->ids[0] = -1;
	}

	nwake = 0;
	LWLockAcquire(SlotLock(MySlot), LW_EXCLUSIVE);
	s->tail += pos;
	s->committed_seq = seqs[b->n - 1];
	s->written += ok ? b->n : 0;
	s->last_batch_at = GetCurrentTimestamp();
	for (int i = 0; i < b->n; i++)
	{
		LedgerResult *r = &s->results[seqs[i] % EZZ_LEDGER_RESULTS];

		if (r->seq != seqs[i])
			continue;
		if (r->abandoned)
			r->seq = 0;
		r->id = b->ids[i];
		r->sqlerrcode = code;
		if (r->waiter != NULL)
			wake[nwake++] = r->waiter;
	}
	LWLockRelease(SlotLock(MySlot));
	/* each caller of the batch; the broadcast for those waiting for room */
	for (int i = 0; i < nwake; i++)
		SetLatch(&wake[i]->procLatch);
	ConditionVariableBroadcast(&s->cv);
	return b->n;
}

static bool
PartitionBody(void *arg)
{
	/*
	 * The access-log partitions of this month and the next two, well ahead
	 * of their first record (cheap when they exist).  Made here, in the
	 * worker's own short transaction: a caller's transaction that made one
	 * would hold the parent's lock that the worker's writes wait for.
	 */
	if (SPI_execute("SELECT ezz._access_partition(pg_catalog.clock_timestamp() + pg_catalog.make_interval(months => i)) "
					"FROM pg_catalog.generate_series(0, 2) i", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not create the access-log partitions ahead");
	return true;
}

/* ezz._seal's default block size */
#define EZZ_SEAL_BLOCK 10000

typedef struct SealArgs
{
	const char *ledger;
	int			sealed;
} SealArgs;

/*
 * One block of one ledger, alone in its transaction: a seal that begins its
 * transaction records how far the sequence had gone before the transaction
 * took its xid, which is what lets the next seal raise the floor (ledger.sql).
 */
static bool
SealBody(void *arg)
{
	SealArgs   *a = (SealArgs *) arg;
	bool		isnull;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];

	if (SPI_execute("SELECT pg_catalog.to_regprocedure('ezz._seal(text,integer)') IS NOT NULL", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not look up ezz._seal(text, integer)");
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		return true;
	args[0] = CStringGetTextDatum(a->ledger);
	if (SPI_execute_with_args("SELECT ezz._seal($1)", 1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "ezz._seal() did not answer");
	a->sealed = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	return true;
}

/* Attach to the slot of this database; false if it is served already. */
static bool
Attach(void)
{
	bool		ok = false;

	LWLockAcquire(ControlLock(), LW_EXCLUSIVE);
	for (int i = 0; i < EZZ_LEDGER_DATABASES && !ok; i++)
	{
		LedgerSlot *s = &Ledger->slots[i];

		SpinLockAcquire(&s->mutex);
		if (s->dboid == MyDatabaseId && s->proc == NULL && !s->stop)
		{
			s->proc = MyProc;
			s->pid = MyProcPid;
			s->state = SLOT_IDLE;
			MySlot = i;
			ok = true;
		}
		SpinLockRelease(&s->mutex);
	}
	LWLockRelease(ControlLock());
	return ok;
}

PGDLLEXPORT void ezz_ledger_worker_main(Datum arg);

void
ezz_ledger_worker_main(Datum arg)
{
	MemoryContext cxt;
	TimestampTz last_busy,
				last_seal = 0;
	int			single = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(DatumGetObjectId(arg), BOOTSTRAP_SUPERUSERID, 0);
	pgstat_report_appname("ezz ledger worker");
	if (!Attach())
		proc_exit(0);
	before_shmem_exit(Detach, 0);
	/* callers checked the codes under their own setting; this one records */
	SetConfigOption("ezz.uscc_check", "warning", PGC_SUSET, PGC_S_OVERRIDE);
	/* never wait long behind a session's lock on the access log */
	SetConfigOption("lock_timeout", "1000", PGC_SUSET, PGC_S_OVERRIDE);
	Unwrapped = MemoryContextAlloc(TopMemoryContext, EZZ_LEDGER_RING);
	cxt = AllocSetContextCreate(TopMemoryContext, "ezz ledger worker batch", ALLOCSET_DEFAULT_SIZES);
	last_busy = GetCurrentTimestamp();

	for (;;)
	{
		int			n;
		bool		stop;
		TimestampTz now;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		SpinLockAcquire(&Ledger->slots[MySlot].mutex);
		stop = Ledger->slots[MySlot].stop;
		SpinLockRelease(&Ledger->slots[MySlot].mutex);
		if (stop)
			break;

		n = WriteBatch(single > 0 ? 1 : EZZ_LEDGER_BATCH, cxt);
		MemoryContextSwitchTo(TopMemoryContext);
		if (ExtensionGone)
			break;
		if (n == -2)
			single = EZZ_LEDGER_BATCH;
		else if (n > 0 && single > 0)
			single -= n;
		now = GetCurrentTimestamp();
		if (n > 0)
			last_busy = now;
		if (TimestampDifferenceExceeds(last_seal, now, 1000))
		{
			int			sealed = 0,
						code;
			bool		ok = true;
			static const char *const ledgers[] = {"audit", "access"};

			SetState(SLOT_SEALING);
			(void) RunTxn("ezz ledger worker: making access-log partitions", PartitionBody, NULL, &code);
			/* each ledger as far as it goes, a block (at most 10,000 entries) a transaction */
			for (int l = 0; l < (int) lengthof(ledgers) && ok && !ExtensionGone; l++)
			{
				SealArgs	a = {ledgers[l], 0};

				do
				{
					a.sealed = 0;
					ok = RunTxn("ezz ledger worker: sealing", SealBody, &a, &code);
					sealed += a.sealed;
					CHECK_FOR_INTERRUPTS();
				/* (a full block means more is waiting; else the next second) */
				} while (ok && a.sealed >= EZZ_SEAL_BLOCK && !ExtensionGone);
			}
			if (ok)
			{
				LWLockAcquire(SlotLock(MySlot), LW_EXCLUSIVE);
				Ledger->slots[MySlot].last_seal_at = GetCurrentTimestamp();
				LWLockRelease(SlotLock(MySlot));
			}
			SetState(SLOT_IDLE);
			if (ExtensionGone)
				break;
			last_seal = now;
			if (sealed != 0)
				last_busy = now;
		}
		if (n > 0 || n == -2)
			continue;
		if (n == 0 && TimestampDifferenceExceeds(last_busy, now, EZZ_LEDGER_IDLE_MS) &&
			TimestampDifferenceExceeds((TimestampTz) pg_atomic_read_u64(&Ledger->slots[MySlot].last_write), now,
									   EZZ_LEDGER_IDLE_MS))
			break;				/* (Detach keeps the slot if a record came meanwhile) */
		/* nothing queued, or an error: wait a second (or for a record) */
		(void) WaitLatch(n < 0 ? NULL : MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 1000L, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
	SetState(SLOT_STOPPING);
	proc_exit(0);
}
