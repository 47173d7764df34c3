/*
 * access.h — what the access-log queue (access.c) and the ezz ledger worker
 * (ledger_worker.c) share: the shared-memory slots, one per database, each
 * a ring of queued records and the results their callers wait for.
 */
#ifndef EZZ_ACCESS_H
#define EZZ_ACCESS_H

#include "postgres.h"

#include "port/atomics.h"
#include "storage/condition_variable.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/spin.h"
#include "utils/timestamp.h"

#define EZZ_LEDGER_DATABASES	8		/* databases served at a time */
#define EZZ_LEDGER_RING			(256 * 1024)	/* bytes of queued records per database */
#define EZZ_LEDGER_RESULTS		4096	/* records awaiting their caller, per database */
#define EZZ_LEDGER_BATCH		500		/* records per transaction */
#define EZZ_LEDGER_FIELD_MAX	2000	/* bytes per text field */
#define EZZ_LEDGER_IDLE_MS		10000	/* the worker exits after this long idle */
#define EZZ_LEDGER_START_MS		10000	/* a worker not attached after this is presumed lost */
#define EZZ_LEDGER_ERROR_MAX	256
#define EZZ_LEDGER_TRANCHE		"ezz ledger"

/* the text fields of a record, in their order in the record */
enum
{
	F_ACTOR, F_DEPARTMENT, F_LICENCE, F_ACTION, F_SERVICE_ITEM, F_PURPOSE, F_REASON, NFIELDS
};
#define NULL_FIELD 0xFFFF

/* a record in the ring: this header, then the non-NULL fields' bytes */
typedef struct RecordHead
{
	uint32		len;			/* header included */
	uint16		flen[NFIELDS];	/* or NULL_FIELD */
	uint64		seq;
	TimestampTz at;
	int64		grant_id;
	bool		grant_null;
	bool		allowed;
} RecordHead;

typedef enum SlotState
{
	SLOT_STOPPED, SLOT_STARTING, SLOT_IDLE, SLOT_WRITING, SLOT_SEALING, SLOT_STOPPING
} SlotState;

/* what became of record seq: id 0 while queued, -1 if refused (sqlerrcode) */
typedef struct LedgerResult
{
	uint64		seq;			/* 0: entry free */
	int64		id;
	int			sqlerrcode;
	bool		abandoned;		/* the caller left: free the entry once done */
	PGPROC	   *waiter;			/* whose latch to set when done (NULL: nobody) */
} LedgerResult;

typedef struct LedgerSlot
{
	/* under mutex (and, to change dboid, the control lock too) */
	slock_t		mutex;
	Oid			dboid;			/* InvalidOid: slot free */
	PGPROC	   *proc;			/* the attached worker */
	int			pid;
	SlotState	state;
	bool		stop;			/* DROP/RENAME DATABASE, or TEMPLATE: leave */
	pg_atomic_uint64 last_write;	/* when an audit entry was last written here
									 * (the worker stays while writers write) */
	TimestampTz requested_at;	/* when a worker was last registered */
	/* under the slot's LWLock */
	uint64		head;			/* byte positions in the ring, ever growing */
	uint64		tail;			/* the first record not yet committed */
	uint64		next_seq;		/* the last sequence number handed out */
	uint64		committed_seq;
	uint64		written;
	TimestampTz last_batch_at;
	TimestampTz last_seal_at;
	char		last_error[EZZ_LEDGER_ERROR_MAX];
	ConditionVariable cv;		/* broadcast after each batch (for room in the ring);
								 * a record's caller is woken by its latch */
	LedgerResult results[EZZ_LEDGER_RESULTS];
	char		ring[EZZ_LEDGER_RING];
} LedgerSlot;

typedef struct LedgerShared
{
	LedgerSlot	slots[EZZ_LEDGER_DATABASES];
} LedgerShared;

extern LedgerShared *Ledger;
extern LWLockPadded *LedgerLocks;	/* [0] claims slots, [1 + i] slot i */

#define ControlLock()	(&LedgerLocks[0].lock)
#define SlotLock(i)		(&LedgerLocks[1 + (i)].lock)

/*
 * An access record as ezz's C hands it over (access.c): text fields NULL or
 * NUL-terminated; canonical when licence and department are their types'
 * own output (else they are parsed).
 */
typedef struct EzzAccessRecord
{
	const char *action;
	const char *licence;
	const char *department;
	const char *service_item;
	const char *purpose;
	bool		grant_null;
	int64		grant_id;
	bool		allowed;
	const char *reason;
	bool		canonical;
} EzzAccessRecord;

extern void ezz_access_submit_record(const EzzAccessRecord *r);
extern int64 ezz_access_await(void);
extern int64 ezz_access_write_record(const EzzAccessRecord *r);

extern void ezz_ledger_ring_copy(LedgerSlot *s, uint64 pos, char *buf, Size len, bool into);
extern void ezz_ledger_discard_queue(int idx, const char *why);

#endif							/* EZZ_ACCESS_H */
