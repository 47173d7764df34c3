/*
 * access.c — the access log's writer: the per-database "ezz ledger worker"
 * and the shared-memory queue that feeds it.
 *
 * Every use of a licence leaves a record in ezz.access_log, and the record
 * must not depend on the caller's transaction: a refused call raises an
 * error and rolls back, a consumer that reads and then rolls back has still
 * read, yet both stay recorded.  So ezz._access_record does not insert: it
 * puts the record in a ring buffer in shared memory, wakes the ledger worker
 * of its database, and sleeps on a condition variable until the worker has
 * committed the record in a transaction of its own; then it returns the
 * record's id.  A record a caller was given an id for is committed.
 *
 * One writer per database: the worker numbers the records (a sequence, in
 * the order it commits them) and writes them in batches of up to
 * EZZ_LEDGER_BATCH, so that concurrent callers share one commit and one WAL
 * flush.  The worker also seals the audit ledger (ezz._seal_all) once a
 * second, and exits after EZZ_LEDGER_IDLE_MS with nothing to do; the next
 * call starts it again (ezz_ledger_worker_ensure, also run by the audit
 * trigger).  A slot serves one database; EZZ_LEDGER_DATABASES slots in all.
 *
 * What a crash loses: the queue lives in shared memory, so a crash of the
 * server loses the records not yet committed — exactly those whose callers
 * had not been answered (and whose sessions the crash ended too).  A worker
 * that merely exits leaves its queue for the next one.  A record the worker
 * cannot store (a data error that splitting the batch pins on it) is given
 * back to its caller as that error; other errors are retried every second.
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
#include "storage/lock.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/utility.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "access.h"
#include "ezz.h"
#include "ident.h"

extern PGDLLEXPORT Datum ezz_licence_ident_in(PG_FUNCTION_ARGS);

LedgerShared *Ledger = NULL;
LWLockPadded *LedgerLocks = NULL;
static const char *const StateNames[] = {"stopped", "starting", "idle", "writing", "sealing", "stopping"};
static int	CachedSlot = -1;
static ProcessUtility_hook_type PrevProcessUtility = NULL;

/* ezz.c's shared-memory hooks: what the ledger queues need, then their set-up */
void
ezz_access_shmem_request(void)
{
	RequestAddinShmemSpace(MAXALIGN(sizeof(LedgerShared)));
	RequestNamedLWLockTranche(EZZ_LEDGER_TRANCHE, EZZ_LEDGER_DATABASES + 1);
}

void
ezz_access_shmem_init(void)
{
	bool		found;

	Ledger = ShmemInitStruct("ezz ledger", sizeof(LedgerShared), &found);
	LedgerLocks = GetNamedLWLockTranche(EZZ_LEDGER_TRANCHE);
	if (!found)
	{
		memset(Ledger, 0, sizeof(LedgerShared));
		for (int i = 0; i < EZZ_LEDGER_DATABASES; i++)
		{
			SpinLockInit(&Ledger->slots[i].mutex);
			pg_atomic_init_u64(&Ledger->slots[i].last_write, 0);
			ConditionVariableInit(&Ledger->slots[i].cv);
		}
	}
}

/* copy len bytes into (or out of) the ring at byte position pos, wrapping */
void
ezz_ledger_ring_copy(LedgerSlot *s, uint64 pos, char *buf, Size len, bool into)
{
	Size		off = pos % EZZ_LEDGER_RING;
	Size		first = Min(len, EZZ_LEDGER_RING - off);

	memcpy(into ? s->ring + off : buf, into ? buf : s->ring + off, first);
	memcpy(into ? s->ring : buf + first, into ? buf + first : s->ring, len - first);
}

/* Drop the queue of a slot nobody will serve: its callers get an error. */
void
ezz_ledger_discard_queue(int idx, const char *why)
{
	LedgerSlot *s = &Ledger->slots[idx];

	LWLockAcquire(SlotLock(idx), LW_EXCLUSIVE);
	s->tail = s->head;
	s->committed_seq = s->next_seq;
	for (int i = 0; i < EZZ_LEDGER_RESULTS; i++)
		if (s->results[i].seq != 0 && s->results[i].id == 0)
		{
			s->results[i].id = -1;
			s->results[i].sqlerrcode = ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
			if (s->results[i].abandoned)
				s->results[i].seq = 0;
			/* (a latch set in passing wakes its process for nothing: harmless) */
			if (s->results[i].waiter != NULL)
				SetLatch(&s->results[i].waiter->procLatch);
		}
	strlcpy(s->last_error, why, EZZ_LEDGER_ERROR_MAX);
	LWLockRelease(SlotLock(idx));
	ConditionVariableBroadcast(&s->cv);
}

/* Whether slot idx has, or is about to have, a worker for this database. */
static bool
SlotServed(int idx, bool stopping_counts)
{
	LedgerSlot *s = &Ledger->slots[idx];
	bool		mine,
				attached,
				starting,
				stop;
	TimestampTz requested;

	SpinLockAcquire(&s->mutex);
	mine = s->dboid == MyDatabaseId;
	attached = s->proc != NULL;
	stop = s->stop;
	starting = s->state == SLOT_STARTING;
	requested = s->requested_at;
	SpinLockRelease(&s->mutex);
	if (!mine || (stop && !stopping_counts))
		return false;
	return attached || (starting &&
						!TimestampDifferenceExceeds(requested, GetCurrentTimestamp(), EZZ_LEDGER_START_MS));
}

/*
 * The slot of this database, with a worker running or starting: cheap when
 * it is (a spinlock); otherwise claims a slot and registers a worker, one at
 * a time under the control lock so that a database gets one worker.
 */
static int
EnsureSlot(void)
{
	int			found = -1,
				free = -1,
				dead = -1;
	bool		claimed;
	char	   *dbname;
	BackgroundWorker w;

	if (Ledger == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("ezz must be loaded via shared_preload_libraries"),
				 errhint("Add ezz to shared_preload_libraries and restart the server.")));
	if (CachedSlot >= 0 && SlotServed(CachedSlot, false))
		return CachedSlot;

	dbname = get_database_name(MyDatabaseId);
	LWLockAcquire(ControlLock(), LW_EXCLUSIVE);
	for (int i = 0; i < EZZ_LEDGER_DATABASES; i++)
	{
		Oid			dboid;
		PGPROC	   *proc;

		SpinLockAcquire(&Ledger->slots[i].mutex);
		dboid = Ledger->slots[i].dboid;
		proc = Ledger->slots[i].proc;
		SpinLockRelease(&Ledger->slots[i].mutex);
		if (dboid == MyDatabaseId)
			found = i;
		else if (free < 0 && !OidIsValid(dboid))
			free = i;
		/* the slot of a database dropped while it had records queued */
		else if (dead < 0 && proc == NULL && !SearchSysCacheExists1(DATABASEOID, ObjectIdGetDatum(dboid)))
			dead = i;
	}
	/* (a worker that is leaving is replaced once it has left) */
	if (found >= 0 && SlotServed(found, true))
	{
		LWLockRelease(ControlLock());
		return CachedSlot = found;
	}
	if (found < 0 && free < 0 && dead >= 0)
	{
		ezz_ledger_discard_queue(dead, "the database was dropped");
		free = dead;
	}
	if (found < 0 && free < 0)
	{
		LWLockRelease(ControlLock());
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("no ezz ledger worker slot is free for database \"%s\"", dbname),
				 errdetail("ezz serves at most %d databases with a ledger worker at a time.", EZZ_LEDGER_DATABASES),
				 errhint("Wait until the ledger worker of another database has been idle for %d seconds.",
						 EZZ_LEDGER_IDLE_MS / 1000)));
	}
	claimed = found < 0;
	if (claimed)
	{
		found = free;
		LWLockAcquire(SlotLock(found), LW_EXCLUSIVE);
		Ledger->slots[found].written = 0;
		Ledger->slots[found].last_batch_at = 0;
		Ledger->slots[found].last_seal_at = 0;
		Ledger->slots[found].last_error[0] = '\0';
		LWLockRelease(SlotLock(found));
	}
	SpinLockAcquire(&Ledger->slots[found].mutex);
	Ledger->slots[found].dboid = MyDatabaseId;
	Ledger->slots[found].state = SLOT_STARTING;
	Ledger->slots[found].stop = false;
	Ledger->slots[found].requested_at = GetCurrentTimestamp();
	SpinLockRelease(&Ledger->slots[found].mutex);

	memset(&w, 0, sizeof(w));
	w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	w.bgw_start_time = BgWorkerStart_RecoveryFinished;
	w.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(w.bgw_library_name, BGW_MAXLEN, "ezz");
	snprintf(w.bgw_function_name, BGW_MAXLEN, "ezz_ledger_worker_main");
	snprintf(w.bgw_name, BGW_MAXLEN, "ezz ledger worker for database %s", dbname);
	snprintf(w.bgw_type, BGW_MAXLEN, "ezz ledger worker");
	w.bgw_main_arg = ObjectIdGetDatum(MyDatabaseId);
	w.bgw_notify_pid = 0;
	if (!RegisterDynamicBackgroundWorker(&w, NULL))
	{
		SpinLockAcquire(&Ledger->slots[found].mutex);
		Ledger->slots[found].state = SLOT_STOPPED;
		if (claimed)
			Ledger->slots[found].dboid = InvalidOid;
		SpinLockRelease(&Ledger->slots[found].mutex);
		LWLockRelease(ControlLock());
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("could not start the ezz ledger worker for database \"%s\"", dbname),
				 errdetail("Every background worker slot is in use; access records cannot be written."),
				 errhint("Raise max_worker_processes (a restart is needed).")));
	}
	LWLockRelease(ControlLock());
	return CachedSlot = found;
}

void
ezz_ledger_worker_ensure(void)
{
	int			idx = EnsureSlot();

	/* (an entry's writer keeps the worker: it seals once the writer commits) */
	pg_atomic_write_u64(&Ledger->slots[idx].last_write, (uint64) GetCurrentTimestamp());
}

static void
WakeWorker(LedgerSlot *s)
{
	PGPROC	   *proc;

	SpinLockAcquire(&s->mutex);
	proc = s->proc;
	SpinLockRelease(&s->mutex);
	if (proc != NULL)
		SetLatch(&proc->procLatch);
}

/*
 * A queued record whose id its caller has not yet waited for (one at a time:
 * ezz._access_submit queues, ezz._access_wait waits, so that the caller's
 * own work overlaps the worker's commit).
 */
typedef struct Ticket
{
	int			idx;			/* -1: none */
	uint64		seq;
	LedgerResult *r;
} Ticket;

static Ticket Pending = {-1, 0, NULL};
static int64 AwaitPending(void);
static bool TicketCallbackSet = false;

/*
 * Queue a record (header first, seq filled in here).  False if the record
 * was lost (its slot discarded): queue it again.
 */
static bool
Enqueue(char *rec, uint32 len, Ticket *t)
{
	int			idx = EnsureSlot();
	LedgerSlot *s = &Ledger->slots[idx];
	LedgerResult *r = NULL;
	uint64		seq = 0;

	ConditionVariablePrepareToSleep(&s->cv);
	for (;;)
	{
		bool		mine;

		LWLockAcquire(SlotLock(idx), LW_EXCLUSIVE);
		SpinLockAcquire(&s->mutex);
		mine = s->dboid == MyDatabaseId;
		SpinLockRelease(&s->mutex);
		if (mine && s->head - s->tail + len <= EZZ_LEDGER_RING &&
			s->results[(s->next_seq + 1) % EZZ_LEDGER_RESULTS].seq == 0)
		{
			seq = ++s->next_seq;
			((RecordHead *) rec)->seq = seq;
			ezz_ledger_ring_copy(s, s->head, rec, len, true);
			s->head += len;
			r = &s->results[seq % EZZ_LEDGER_RESULTS];
			r->seq = seq;
			r->id = 0;
			r->sqlerrcode = 0;
			r->abandoned = false;
			r->waiter = MyProc;
		}
		LWLockRelease(SlotLock(idx));
		if (!mine || r != NULL)
			break;
		/* full: wait for the worker to make room */
		(void) EnsureSlot();
		WakeWorker(s);
		(void) ConditionVariableTimedSleep(&s->cv, 1000, PG_WAIT_EXTENSION);
	}
	ConditionVariableCancelSleep();
	if (r == NULL)
		return false;
	WakeWorker(s);
	t->idx = idx;
	t->seq = seq;
	t->r = r;
	return true;
}

/* The caller no longer waits for the record: the worker frees its result. */
static void
Abandon(Ticket *t)
{
	LWLockAcquire(SlotLock(t->idx), LW_EXCLUSIVE);
	if (t->r->seq == t->seq)
	{
		t->r->waiter = NULL;
		if (t->r->id != 0)
			t->r->seq = 0;
		else
			t->r->abandoned = true;
	}
	LWLockRelease(SlotLock(t->idx));
	t->idx = -1;
}

/*
 * Wait until the worker has committed the record; its id, or 0 if it was
 * lost (queue it again).
 */
static int64
Await(Ticket *t)
{
	LedgerSlot *s = &Ledger->slots[t->idx];
	volatile int64 id = 0;
	volatile int code = 0;
	char		error[EZZ_LEDGER_ERROR_MAX];

	/*
	 * The worker sets this process's latch when the record's batch is
	 * committed (not a broadcast: eight waiting callers are not woken for
	 * each batch that holds one of theirs).  A latch protocol: reset, check,
	 * wait.
	 */
	PG_TRY();
	{
		for (;;)
		{
			bool		lost;

			ResetLatch(MyLatch);
			LWLockAcquire(SlotLock(t->idx), LW_SHARED);
			lost = t->r->seq != t->seq;
			if (!lost)
				id = t->r->id;
			LWLockRelease(SlotLock(t->idx));
			if (lost || id != 0)
				break;
			/* a worker that left with our record queued is replaced */
			if (!SlotServed(t->idx, true))
				(void) EnsureSlot();
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 1000L, PG_WAIT_EXTENSION);
			CHECK_FOR_INTERRUPTS();
		}
	}
	PG_CATCH();
	{
		/* cancelled while waiting: the record stays queued; free its entry */
		Abandon(t);
		PG_RE_THROW();
	}
	PG_END_TRY();
	if (id != 0)
	{
		LWLockAcquire(SlotLock(t->idx), LW_EXCLUSIVE);
		if (t->r->seq == t->seq)
		{
			code = t->r->sqlerrcode;
			strlcpy(error, s->last_error, sizeof(error));
			t->r->waiter = NULL;
			t->r->seq = 0;
		}
		LWLockRelease(SlotLock(t->idx));
	}
	t->idx = -1;
	if (id < 0)
		ereport(ERROR,
				(errcode(code != 0 ? code : ERRCODE_DATA_EXCEPTION),
				 errmsg("the access record could not be written"),
				 errdetail("The ezz ledger worker refused it: %s", error)));
	return id;
}

/*
 * A transaction that ends with a record queued and not waited for: at
 * commit it waits (the record is safe before the commit returns); at abort
 * the worker writes it all the same, nobody waiting.
 */
static void
TicketXactCallback(XactEvent event, void *arg)
{
	if (Pending.idx < 0)
		return;
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			(void) AwaitPending();
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			Abandon(&Pending);
			break;
		default:
			break;
	}
}

/*
 * The worker inserts into ezz.access_log (and may make a partition of it): if
 * this transaction holds a lock on it that blocks those (it made or dropped a
 * partition, e.g. in CALL ezz.maintain()), waiting for the worker would wait
 * for ever.  Refuse instead.
 */
static void
RefuseIfWorkerWouldWait(void)
{
	Oid			nsp = get_namespace_oid("ezz", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("access_log", nsp) : InvalidOid;
	LOCKTAG		tag;

	if (!OidIsValid(relid))
		return;
	SET_LOCKTAG_RELATION(tag, MyDatabaseId, relid);
	for (LOCKMODE mode = ShareUpdateExclusiveLock; mode <= AccessExclusiveLock; mode++)
		if (LockHeldByMe(&tag, mode))
			ereport(ERROR,
					(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
					 errmsg("this transaction holds a lock on ezz.access_log that its access record would wait for"),
					 errdetail("Access records are written by the ezz ledger worker in its own transaction; "
							   "this one made or dropped an access-log partition (as CALL ezz.maintain() can)."),
					 errhint("Commit that work first, then call again.")));
}

/*
 * The record r, in CurrentMemoryContext.  Its fields are checked here, so
 * that the worker's batch does not fail on them; a department or licence
 * that did not come from its type's output (canonical) is parsed and passed
 * on canonical.
 */
static void
BuildRecord(const EzzAccessRecord *r, StringInfo rec)
{
	char	   *val[NFIELDS] = {0};
	int			len[NFIELDS] = {0};
	RecordHead	h;

	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("access records cannot be written during recovery"),
				 errhint("Use the primary server.")));
	RefuseIfWorkerWouldWait();
	if (r->action == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the action and allowed of an access record must not be null")));
	val[F_ACTION] = (char *) r->action;
	val[F_LICENCE] = (char *) r->licence;
	val[F_DEPARTMENT] = (char *) r->department;
	val[F_SERVICE_ITEM] = (char *) r->service_item;
	val[F_PURPOSE] = (char *) r->purpose;
	val[F_REASON] = (char *) r->reason;
	for (int f = 0; f < NFIELDS; f++)
	{
		static const char *const names[NFIELDS] = {"actor", "department", "licence", "action", "service item",
		"purpose", "reason"};

		if (val[f] == NULL)
			continue;
		len[f] = strlen(val[f]);
		if (len[f] > EZZ_LEDGER_FIELD_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
					 errmsg("%s is too long for an access record", names[f]),
					 errdetail("It has %d bytes; an access record keeps at most %d per field.",
							   len[f], EZZ_LEDGER_FIELD_MAX),
					 errhint("Shorten the %s.", names[f])));
	}
	if (len[F_ACTION] < 1 || len[F_ACTION] > 32 || strspn(val[F_ACTION], "abcdefghijklmnopqrstuvwxyz_") != (size_t) len[F_ACTION])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("access record action %s is not a word", ezz_quote_literal(val[F_ACTION], len[F_ACTION])),
				 errdetail("An action is 1 to 32 lower-case letters a-z or underscores.")));
	if (val[F_DEPARTMENT] != NULL && !r->canonical)
	{
		val[F_DEPARTMENT] = pnstrdup(ezz_uscc_from_cstring(val[F_DEPARTMENT], len[F_DEPARTMENT])->code,
									 EZZ_USCC_LEN);
		len[F_DEPARTMENT] = EZZ_USCC_LEN;
	}
	if (val[F_LICENCE] != NULL && !r->canonical)
	{
		val[F_LICENCE] = DatumGetCString(DirectFunctionCall1(ezz_licence_ident_out,
															 DirectFunctionCall1(ezz_licence_ident_in,
																				 CStringGetDatum(val[F_LICENCE]))));
		len[F_LICENCE] = strlen(val[F_LICENCE]);
	}
	val[F_ACTOR] = GetUserNameFromId(GetSessionUserId(), false);
	len[F_ACTOR] = strlen(val[F_ACTOR]);

	memset(&h, 0, sizeof(h));
	h.at = GetCurrentTimestamp();
	h.grant_null = r->grant_null;
	h.grant_id = r->grant_null ? 0 : r->grant_id;
	h.allowed = r->allowed;
	initStringInfo(rec);
	appendBinaryStringInfo(rec, (char *) &h, sizeof(h));
	for (int f = 0; f < NFIELDS; f++)
	{
		((RecordHead *) rec->data)->flen[f] = val[f] ? len[f] : NULL_FIELD;
		if (val[f] != NULL)
			appendBinaryStringInfo(rec, val[f], len[f]);
	}
	((RecordHead *) rec->data)->len = rec->len;
}

/*
 * The record of the SQL arguments (action, licence, department,
 * service_item, purpose, grant_id, allowed, reason).
 */
static void
BuildRecordOfArgs(FunctionCallInfo fcinfo, StringInfo rec)
{
	EzzAccessRecord r;
	const char **fields[] = {&r.action, &r.licence, &r.department, &r.service_item, &r.purpose};

	memset(&r, 0, sizeof(r));
	if (PG_ARGISNULL(0) || PG_ARGISNULL(6))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the action and allowed of an access record must not be null")));
	for (int i = 0; i < (int) lengthof(fields); i++)
		*fields[i] = PG_ARGISNULL(i) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(i));
	r.reason = PG_ARGISNULL(7) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(7));
	r.grant_null = PG_ARGISNULL(5);
	r.grant_id = r.grant_null ? 0 : PG_GETARG_INT64(5);
	r.allowed = PG_GETARG_BOOL(6);
	r.canonical = false;
	BuildRecord(&r, rec);
}

/* the record queued and not yet waited for, kept to queue again if lost */
static char *PendingRec = NULL;
static uint32 PendingLen = 0;

/* Wait for the session's pending record, if any: its id, or 0. */
static int64
AwaitPending(void)
{
	int64		id = 0;

	while (Pending.idx >= 0 && (id = Await(&Pending)) == 0)
	{
		/* lost with its slot: queue it again */
		while (!Enqueue(PendingRec, PendingLen, &Pending))
			CHECK_FOR_INTERRUPTS();
	}
	return id;
}

/*
 * Queue a record as the session's pending one (after waiting for the one
 * before): kept, to queue it again if its slot is lost, and waited for by
 * AwaitPending or, at the latest, by the transaction's commit.
 */
static void
SubmitPending(StringInfo rec)
{
	(void) AwaitPending();
	if (!TicketCallbackSet)
	{
		RegisterXactCallback(TicketXactCallback, NULL);
		TicketCallbackSet = true;
	}
	if (PendingRec != NULL)
		pfree(PendingRec);
	PendingRec = MemoryContextAlloc(TopMemoryContext, rec->len);
	memcpy(PendingRec, rec->data, rec->len);
	PendingLen = rec->len;
	while (!Enqueue(PendingRec, PendingLen, &Pending))
		CHECK_FOR_INTERRUPTS();
}

PG_FUNCTION_INFO_V1(ezz_access_record);

/*
 * ezz._access_record(action, licence, department, service_item, purpose,
 * grant_id, allowed, reason) → the access_log id, once committed.
 */
Datum
ezz_access_record(PG_FUNCTION_ARGS)
{
	StringInfoData rec;

	BuildRecordOfArgs(fcinfo, &rec);
	SubmitPending(&rec);
	PG_RETURN_INT64(AwaitPending());
}

PG_FUNCTION_INFO_V1(ezz_access_submit);

/*
 * ezz._access_submit(the same arguments) → void: queue the record and
 * return at once; ezz._access_wait() waits for it (and the transaction's
 * commit does, if nobody did).  The caller overlaps its own work with the
 * worker's commit, and still answers only once the record is safe.
 */
Datum
ezz_access_submit(PG_FUNCTION_ARGS)
{
	StringInfoData rec;

	BuildRecordOfArgs(fcinfo, &rec);
	SubmitPending(&rec);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(ezz_access_wait);

/* ezz._access_wait() → the id of the record ezz._access_submit queued, once committed */
Datum
ezz_access_wait(PG_FUNCTION_ARGS)
{
	int64		id;

	if (Pending.idx < 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no access record is waiting"),
				 errhint("ezz._access_submit queues one.")));
	id = AwaitPending();
	PG_RETURN_INT64(id);
}

/*
 * The same for ezz's C: queue record r as the session's pending one
 * (ezz_access_submit_record), wait for it (ezz_access_await: its id), or
 * both (ezz_access_write_record).
 */
void
ezz_access_submit_record(const EzzAccessRecord *r)
{
	StringInfoData rec;

	BuildRecord(r, &rec);
	SubmitPending(&rec);
	pfree(rec.data);
}

int64
ezz_access_await(void)
{
	return AwaitPending();
}

int64
ezz_access_write_record(const EzzAccessRecord *r)
{
	ezz_access_submit_record(r);
	return AwaitPending();
}

/* ---- inspection, DROP DATABASE, start-up ---- */

PG_FUNCTION_INFO_V1(ezz_ledger_worker_state);

/* ezz._ledger_worker_state(): the ledger worker of this database */
Datum
ezz_ledger_worker_state(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false, true, false, false, true, true, true};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "ezz._ledger_worker_state must return a row");
	values[0] = CStringGetTextDatum("stopped");
	values[2] = Int64GetDatum(0);
	values[3] = Int64GetDatum(0);
	for (int i = 0; Ledger != NULL && i < EZZ_LEDGER_DATABASES; i++)
	{
		LedgerSlot *s = &Ledger->slots[i];
		LedgerSlot *copy = palloc(offsetof(LedgerSlot, cv));	/* (its fields to last_error) */

		LWLockAcquire(SlotLock(i), LW_SHARED);
		SpinLockAcquire(&s->mutex);
		memcpy(copy, s, offsetof(LedgerSlot, cv));
		SpinLockRelease(&s->mutex);
		LWLockRelease(SlotLock(i));
		if (copy->dboid != MyDatabaseId)
			continue;
		values[0] = CStringGetTextDatum(StateNames[copy->state]);
		values[1] = Int32GetDatum(copy->pid);
		nulls[1] = copy->pid == 0;
		values[2] = Int64GetDatum((int64) (copy->next_seq - copy->committed_seq));
		values[3] = Int64GetDatum((int64) copy->written);
		values[4] = TimestampTzGetDatum(copy->last_batch_at);
		nulls[4] = copy->last_batch_at == 0;
		values[5] = TimestampTzGetDatum(copy->last_seal_at);
		nulls[5] = copy->last_seal_at == 0;
		values[6] = CStringGetTextDatum(copy->last_error);
		nulls[6] = copy->last_error[0] == '\0';
		break;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * DROP DATABASE, ALTER DATABASE ... RENAME and CREATE DATABASE ... TEMPLATE
 * wait for the database's other sessions to leave: tell its ledger worker to.
 */
static void
LedgerProcessUtility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					 ProcessUtilityContext context, ParamListInfo params, QueryEnvironment *queryEnv,
					 DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *stmt = pstmt->utilityStmt;
	const char *dbname = NULL;

	if (IsA(stmt, DropdbStmt))
		dbname = ((DropdbStmt *) stmt)->dbname;
	else if (IsA(stmt, RenameStmt) && ((RenameStmt *) stmt)->renameType == OBJECT_DATABASE)
		dbname = ((RenameStmt *) stmt)->subname;
	else if (IsA(stmt, CreatedbStmt))
	{
		ListCell   *lc;

		foreach(lc, ((CreatedbStmt *) stmt)->options)
			if (strcmp(lfirst_node(DefElem, lc)->defname, "template") == 0 && lfirst_node(DefElem, lc)->arg != NULL)
				dbname = defGetString(lfirst_node(DefElem, lc));
	}
	if (dbname != NULL && Ledger != NULL)
	{
		Oid			dboid = get_database_oid(dbname, true);

		for (int i = 0; OidIsValid(dboid) && i < EZZ_LEDGER_DATABASES; i++)
		{
			LedgerSlot *s = &Ledger->slots[i];
			PGPROC	   *proc = NULL;

			SpinLockAcquire(&s->mutex);
			if (s->dboid == dboid)
			{
				s->stop = true;
				proc = s->proc;
			}
			SpinLockRelease(&s->mutex);
			if (proc != NULL)
				SetLatch(&proc->procLatch);
		}
	}
	if (PrevProcessUtility)
		PrevProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
}

/* Called from _PG_init while shared_preload_libraries are loaded. */
void
ezz_access_register(void)
{
	PrevProcessUtility = ProcessUtility_hook;
	ProcessUtility_hook = LedgerProcessUtility;
}
