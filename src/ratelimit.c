/*
 * ratelimit.c — calls per minute, per department (查询范围): a small table
 * in shared memory counting each department's use calls in the current
 * clock minute, shared by every backend of the server.
 *
 * ezz._rate_take(department, per_minute) counts one call and says whether
 * it is within the limit.  A department's count lives in one slot, found by
 * hashing its code; a slot whose minute is over is taken by the next
 * department that needs one.  Counts are not durable (a restart forgets the
 * minute), which is what a rate limit wants.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "ezz.h"

#define RATE_SLOTS		1024
#define RATE_KEY_LEN	32
#define RATE_TRANCHE	"ezz rate limit"

typedef struct RateSlot
{
	Oid			dboid;
	char		key[RATE_KEY_LEN];	/* the department's code; "" for a free slot */
	int64		minute;			/* clock minutes since the epoch */
	int32		calls;
} RateSlot;

typedef struct RateShared
{
	RateSlot	slots[RATE_SLOTS];
} RateShared;

static RateShared *Rate = NULL;
static LWLock *RateLock = NULL;
/* ezz.c's shared-memory hooks: what the limiter needs, then its set-up */
void
ezz_ratelimit_shmem_request(void)
{
	RequestAddinShmemSpace(MAXALIGN(sizeof(RateShared)));
	RequestNamedLWLockTranche(RATE_TRANCHE, 1);
}

void
ezz_ratelimit_shmem_init(void)
{
	bool		found;

	Rate = ShmemInitStruct("ezz rate limit", sizeof(RateShared), &found);
	if (!found)
		memset(Rate, 0, sizeof(RateShared));
	RateLock = &(GetNamedLWLockTranche(RATE_TRANCHE))->lock;
}

/*
 * ezz._rate_take(department text, per_minute integer) -> integer: the
 * department's calls this minute, this one counted; -1 if it would exceed
 * per_minute (then it is not counted).
 */
PG_FUNCTION_INFO_V1(ezz_rate_take);
Datum
ezz_rate_take(PG_FUNCTION_ARGS)
{
	text	   *dept;
	int32		limit;
	char		key[RATE_KEY_LEN];
	int			len;
	int64		minute;
	uint32		start;
	int			slot = -1;
	int			oldest = -1;
	int32		result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ezz._rate_take needs a department and a limit")));
	dept = PG_GETARG_TEXT_PP(0);
	limit = PG_GETARG_INT32(1);
	len = VARSIZE_ANY_EXHDR(dept);
	if (len < 1 || len >= RATE_KEY_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ezz._rate_take: a department code has 1 to %d characters", RATE_KEY_LEN - 1)));
	if (limit < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ezz._rate_take: the limit is at least 1 call a minute, not %d", limit)));
	if (Rate == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("ezz must be loaded via shared_preload_libraries"),
				 errhint("Add ezz to shared_preload_libraries and restart the server.")));
	memset(key, 0, sizeof(key));
	memcpy(key, VARDATA_ANY(dept), len);
	minute = GetCurrentTimestamp() / USECS_PER_MINUTE;
	start = hash_bytes((const unsigned char *) key, len) % RATE_SLOTS;

	LWLockAcquire(RateLock, LW_EXCLUSIVE);
	/*
	 * Linear probing, never emptying a slot: the department's slot lies
	 * before the first empty one.  A new department takes the first slot on
	 * the way whose minute is over (or the empty one; or, all 1,024 busy
	 * this minute, the one least recently used).
	 */
	for (int i = 0; i < RATE_SLOTS; i++)
	{
		int			j = (start + i) % RATE_SLOTS;
		RateSlot   *s = &Rate->slots[j];

		if (s->key[0] != '\0' && s->dboid == MyDatabaseId && memcmp(s->key, key, RATE_KEY_LEN) == 0)
		{
			slot = j;
			break;
		}
		if (oldest < 0 || (Rate->slots[oldest].minute >= minute && s->minute < Rate->slots[oldest].minute))
			oldest = j;
		if (s->key[0] == '\0')
			break;
	}
	if (slot < 0)
	{
		slot = oldest;
		Rate->slots[slot].dboid = MyDatabaseId;
		memcpy(Rate->slots[slot].key, key, RATE_KEY_LEN);
		Rate->slots[slot].minute = minute;
		Rate->slots[slot].calls = 0;
	}
	if (Rate->slots[slot].minute != minute)
	{
		Rate->slots[slot].minute = minute;
		Rate->slots[slot].calls = 0;
	}
	if (Rate->slots[slot].calls >= limit)
		result = -1;
	else
		result = ++Rate->slots[slot].calls;
	LWLockRelease(RateLock);
	PG_RETURN_INT32(result);
}
