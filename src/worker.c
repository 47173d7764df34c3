/*
 * worker.c — the ezz worker: a background worker connected to the database
 * named by ezz.database.
 *
 * Its duty for now: NOTIFY ezz_status on behalf of the transactions that
 * change a licence's status.  PostgreSQL commits every transaction that
 * sends a NOTIFY one at a time (PreCommit_Notify takes a lock for the whole
 * cluster and holds it until the commit is flushed), so a status change that
 * notified itself could not share a WAL flush with any other: at 8 clients
 * transitions ran at a third of the plain-SQL rate.  Instead, a transaction
 * that changed a status, after it commits, bumps a counter in shared memory,
 * raises the highest committed event id kept there, and sets the worker's
 * latch; the worker wakes, lets the commits of the next few milliseconds
 * gather (EZZ_NOTIFY_GATHER_MS), and in a transaction of its own sends one
 * NOTIFY ezz_status whose payload is that highest event id, for however many
 * commits it found.  Listeners learn "something changed, up to event N" and
 * read what with ezz.read_status_events.
 *
 * Without ezz.database (or in another database), or while the worker is not
 * running, the status trigger notifies directly, as before: the same
 * notification, at the cost above.
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/async.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"

#include "ezz.h"

char	   *ezz_database = NULL;

/* how long the worker lets commits gather into one notification */
#define EZZ_NOTIFY_GATHER_MS 10

typedef struct WorkerShared
{
	slock_t		mutex;
	Oid			dboid;			/* the database the worker serves, or InvalidOid */
	PGPROC	   *proc;			/* the worker, while it runs */
	pg_atomic_uint64 changes;	/* committed status-changing transactions */
	pg_atomic_uint64 last_event;	/* the highest event id they committed */
} WorkerShared;

static WorkerShared *Shared = NULL;
/* ezz.c's shared-memory hooks: what the worker needs, then its set-up */
void
ezz_worker_shmem_request(void)
{
	RequestAddinShmemSpace(MAXALIGN(sizeof(WorkerShared)));
}

void
ezz_worker_shmem_init(void)
{
	bool		found;

	Shared = ShmemInitStruct("ezz worker", sizeof(WorkerShared), &found);
	if (!found)
	{
		SpinLockInit(&Shared->mutex);
		Shared->dboid = InvalidOid;
		Shared->proc = NULL;
		pg_atomic_init_u64(&Shared->changes, 0);
		pg_atomic_init_u64(&Shared->last_event, 0);
	}
}

/* Called from _PG_init while shared_preload_libraries are loaded. */
void
ezz_worker_register(void)
{
	BackgroundWorker worker;

	if (ezz_database == NULL || ezz_database[0] == '\0')
		return;
	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "ezz");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "ezz_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "ezz worker for database %s", ezz_database);
	snprintf(worker.bgw_type, BGW_MAXLEN, "ezz worker");
	RegisterBackgroundWorker(&worker);
}

/* Whether the worker notifies for this database now. */
bool
ezz_worker_serves_database(void)
{
	bool		serves;

	if (Shared == NULL)
		return false;
	SpinLockAcquire(&Shared->mutex);
	serves = Shared->proc != NULL && Shared->dboid == MyDatabaseId;
	SpinLockRelease(&Shared->mutex);
	return serves;
}

/*
 * After the commit of a transaction that changed a status, whose highest
 * event id is event_id: count it, keep the highest event id, and wake the
 * worker.  If the worker stopped meanwhile, it notifies when it starts again.
 */
void
ezz_worker_wake(int64 event_id)
{
	PGPROC	   *proc;
	uint64		seen;

	if (Shared == NULL)
		return;
	seen = pg_atomic_read_u64(&Shared->last_event);
	while (seen < (uint64) event_id &&
		   !pg_atomic_compare_exchange_u64(&Shared->last_event, &seen, (uint64) event_id))
		;
	pg_atomic_fetch_add_u64(&Shared->changes, 1);
	SpinLockAcquire(&Shared->mutex);
	proc = Shared->proc;
	SpinLockRelease(&Shared->mutex);
	if (proc != NULL)
		SetLatch(&proc->procLatch);
}

static void
Detach(int code, Datum arg)
{
	SpinLockAcquire(&Shared->mutex);
	if (Shared->proc == MyProc)
	{
		Shared->proc = NULL;
		Shared->dboid = InvalidOid;
	}
	SpinLockRelease(&Shared->mutex);
}

/*
 * One NOTIFY ezz_status carrying the highest committed event id: the one the
 * committing transactions left in shared memory, or (at start) the highest in
 * the table.
 */
static void
SendNotify(bool from_table)
{
	uint64		last;

	/* (writers raise last_event before they count: read in the other order) */
	pg_read_barrier();
	last = pg_atomic_read_u64(&Shared->last_event);

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	pgstat_report_activity(STATE_RUNNING, "ezz worker: NOTIFY ezz_status");
	if (from_table && OidIsValid(get_extension_oid("ezz", true)))
	{
		bool		isnull;
		Datum		max;

		PushActiveSnapshot(GetTransactionSnapshot());
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "ezz worker: SPI_connect failed");
		if (SPI_execute("SELECT pg_catalog.max(id) FROM ezz.status_events", true, 1) != SPI_OK_SELECT)
			elog(ERROR, "ezz worker: could not read ezz.status_events");
		max = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull && (uint64) DatumGetInt64(max) > last)
			last = (uint64) DatumGetInt64(max);
		SPI_finish();
		PopActiveSnapshot();
	}
	if (last > 0)
		Async_Notify("ezz_status", psprintf(UINT64_FORMAT, last));
	CommitTransactionCommand();
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);
}

PGDLLEXPORT void ezz_worker_main(Datum arg);

void
ezz_worker_main(Datum arg)
{
	uint64		done;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(ezz_database, NULL, 0);
	pgstat_report_appname("ezz worker");

	SpinLockAcquire(&Shared->mutex);
	if (Shared->proc != NULL)
	{
		SpinLockRelease(&Shared->mutex);
		ereport(LOG, (errmsg("ezz worker: another ezz worker is running; this one stops")));
		proc_exit(0);
	}
	Shared->proc = MyProc;
	Shared->dboid = MyDatabaseId;
	SpinLockRelease(&Shared->mutex);
	before_shmem_exit(Detach, 0);
	ereport(LOG, (errmsg("ezz worker started for database \"%s\"", ezz_database)));

	/*
	 * Notify once at start: changes committed while no worker ran (or just
	 * before this one attached) are announced now.
	 */
	done = pg_atomic_read_u64(&Shared->changes);
	SendNotify(true);
	for (;;)
	{
		uint64		now;

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 60000L, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		/* (read after ResetLatch: a wake-up after this read sets the latch again) */
		now = pg_atomic_read_u64(&Shared->changes);
		if (now != done)
		{
			/* let the commits of the next moments join this notification */
			(void) WaitLatch(NULL, WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, EZZ_NOTIFY_GATHER_MS, PG_WAIT_EXTENSION);
			done = pg_atomic_read_u64(&Shared->changes);
			SendNotify(false);
		}
	}
}
