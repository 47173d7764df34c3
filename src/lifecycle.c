/*
 * lifecycle.c — the licence status machine.
 *
 * One transition table (Edges below) decides every status change of every
 * licence.  Two row triggers on ezz.licence, both ENABLE ALWAYS so that
 * replication apply and session_replication_role = replica do not skip them:
 *
 *   ezz._licence_status_check   BEFORE UPDATE: refuses an illegal change,
 *                               naming both states, whatever path made it
 *                               (ezz's functions, an administrator's UPDATE,
 *                               replication apply);
 *   ezz._licence_status_record  AFTER UPDATE: writes the status history row
 *                               (which is the status event), and sends NOTIFY
 *                               ezz_status.  Under replication apply nothing:
 *                               the history arrives from the origin.
 *
 * The reason, legal basis, department and kind of a change come from the
 * note an ezz function leaves for the transaction (ezz._status_note); an
 * UPDATE made outside ezz's functions is recorded as such.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "ezz.h"

/* the labels of ezz.licence_status, in the order of the type */
enum
{
	S_VALID,
	S_SUSPENDED,
	S_PLEDGED,
	S_REVOKED,
	S_RESCINDED,
	S_CANCELLED,
	S_ABOLISHED,
	S_SUPERSEDED,
	S_EXPIRED,
	S_COUNT
};

static const char *const StatusLabel[S_COUNT] = {
	"valid", "suspended", "pledged", "revoked", "rescinded", "cancelled", "abolished", "superseded", "expired"
};

static const char *const StatusWords[S_COUNT] = {
	"valid 有效", "suspended 挂起", "pledged 质押", "revoked 吊销", "rescinded 撤销", "cancelled 注销",
	"abolished 废止", "superseded 已变更", "expired 过期"
};

/*
 * The transition table.  A licence is suspended 挂起 and resumed, pledged
 * 质押 and released; from valid, suspended or pledged it can be revoked 吊销,
 * rescinded 撤销, cancelled 注销 or abolished 废止; a valid licence is
 * superseded 已变更 by its next version (change, renewal, reissue) and
 * expires 过期 when its last day ends; an expired licence can still be
 * cancelled (注销 after expiry is the normal legal step) or revoked.  The other
 * states are final.
 */
static const struct
{
	int			from;
	int			to;
}			Edges[] = {
	{S_VALID, S_SUSPENDED}, {S_SUSPENDED, S_VALID},
	{S_VALID, S_PLEDGED}, {S_PLEDGED, S_VALID},
	{S_VALID, S_REVOKED}, {S_VALID, S_RESCINDED}, {S_VALID, S_CANCELLED}, {S_VALID, S_ABOLISHED},
	{S_SUSPENDED, S_REVOKED}, {S_SUSPENDED, S_RESCINDED}, {S_SUSPENDED, S_CANCELLED}, {S_SUSPENDED, S_ABOLISHED},
	{S_PLEDGED, S_REVOKED}, {S_PLEDGED, S_RESCINDED}, {S_PLEDGED, S_CANCELLED}, {S_PLEDGED, S_ABOLISHED},
	{S_VALID, S_SUPERSEDED},
	{S_VALID, S_EXPIRED},
	{S_EXPIRED, S_CANCELLED}, {S_EXPIRED, S_REVOKED},
};

static bool
Allowed(int from, int to)
{
	for (size_t i = 0; i < lengthof(Edges); i++)
		if (Edges[i].from == from && Edges[i].to == to)
			return true;
	return false;
}

/* The index of an ezz.licence_status value (an enum OID). */
static int
StatusIndex(Datum value)
{
	Oid			enumoid = DatumGetObjectId(value);
	HeapTuple	tup = SearchSysCache1(ENUMOID, ObjectIdGetDatum(enumoid));
	int			found = -1;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "ezz: no enum label with OID %u", enumoid);
	for (int i = 0; i < S_COUNT; i++)
		if (strcmp(NameStr(((Form_pg_enum) GETSTRUCT(tup))->enumlabel), StatusLabel[i]) == 0)
			found = i;
	ReleaseSysCache(tup);
	if (found < 0)
		elog(ERROR, "ezz: enum value %u is not a licence status", enumoid);
	return found;
}

/* 'revoked 吊销' for 'revoked': a status label in the words of the status machine */
const char *
ezz_status_words_of(const char *label)
{
	for (int i = 0; i < S_COUNT; i++)
		if (strcmp(label, StatusLabel[i]) == 0)
			return StatusWords[i];
	elog(ERROR, "ezz: %s is not a licence status", label);
	return NULL;				/* (not reached) */
}

/* "revoked 吊销, cancelled 注销 or …" — where a licence may go from a state */
static char *
Successors(int from)
{
	StringInfoData buf;
	int			n = 0;
	int			total = 0;

	for (int to = 0; to < S_COUNT; to++)
		total += Allowed(from, to);
	initStringInfo(&buf);
	for (int to = 0; to < S_COUNT; to++)
	{
		if (!Allowed(from, to))
			continue;
		n++;
		appendStringInfo(&buf, "%s%s", n == 1 ? "" : (n == total ? " or " : ", "), StatusWords[to]);
	}
	return buf.data;
}

PG_FUNCTION_INFO_V1(ezz_status_transition_allowed);

/* ezz.status_transition_allowed(from, to): whether the table has the edge */
Datum
ezz_status_transition_allowed(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(Allowed(StatusIndex(PG_GETARG_DATUM(0)), StatusIndex(PG_GETARG_DATUM(1))));
}

PG_FUNCTION_INFO_V1(ezz_status_words);

/* ezz._status_words(status): 'revoked 吊销', as the status machine says it */
Datum
ezz_status_words(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(StatusWords[StatusIndex(PG_GETARG_DATUM(0))]));
}

/* ---------------------------------------------------------------------------
 * The note an ezz function leaves for the status changes it makes
 * ---------------------------------------------------------------------------
 */
typedef struct StatusNote
{
	bool		set;
	char	   *reason;
	char	   *basis;
	char	   *department;		/* ezz.uscc text, or NULL */
	char	   *event;
	SubTransactionId subid;		/* the subtransaction that left it */
} StatusNote;

static StatusNote Note;
static bool CallbacksRegistered = false;

/*
 * this transaction changed a status and the ezz worker is to notify for it:
 * the highest event id it wrote
 */
static int64 WakeWorkerAtCommit = 0;

static void
AtTransactionEnd(XactEvent event, void *arg)
{
	/*
	 * Nobody would announce a change committed later by COMMIT PREPARED (nor
	 * can a transaction that sent NOTIFY itself be prepared).
	 */
	if (event == XACT_EVENT_PRE_PREPARE && WakeWorkerAtCommit > 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot PREPARE a transaction that changed the status of a licence"),
				 errdetail("Status changes are announced with NOTIFY ezz_status when they commit."),
				 errhint("Commit status changes in an ordinary transaction.")));
	if (event == XACT_EVENT_COMMIT && WakeWorkerAtCommit > 0)
		ezz_worker_wake(WakeWorkerAtCommit);
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
	{
		memset(&Note, 0, sizeof(Note));	/* (the strings live in the transaction's memory) */
		WakeWorkerAtCommit = 0;
	}
}

/*
 * a note left by a call that failed inside a subtransaction goes with it (a
 * subtransaction nested inside that call, such as a trigger's exception
 * block, leaves it)
 */
static void
ForgetNoteOnSubAbort(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB && Note.set && mySubid <= Note.subid)
		memset(&Note, 0, sizeof(Note));
}

static void
RegisterCallbacks(void)
{
	if (CallbacksRegistered)
		return;
	RegisterXactCallback(AtTransactionEnd, NULL);
	RegisterSubXactCallback(ForgetNoteOnSubAbort, NULL);
	CallbacksRegistered = true;
}

static char *
NoteText(FunctionCallInfo fcinfo, int arg)
{
	return PG_ARGISNULL(arg) ? NULL
		: MemoryContextStrdup(TopTransactionContext, TextDatumGetCString(PG_GETARG_DATUM(arg)));
}

PG_FUNCTION_INFO_V1(ezz_status_note);

/*
 * ezz._status_note(reason text, basis text, department text, event text):
 * what the next status changes of this transaction are about.  All NULL
 * clears it.
 */
Datum
ezz_status_note(PG_FUNCTION_ARGS)
{
	RegisterCallbacks();
	memset(&Note, 0, sizeof(Note));
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3))
		PG_RETURN_VOID();
	Note.reason = NoteText(fcinfo, 0);
	Note.basis = NoteText(fcinfo, 1);
	Note.department = NoteText(fcinfo, 2);
	Note.event = NoteText(fcinfo, 3);
	Note.subid = GetCurrentSubTransactionId();
	Note.set = true;
	PG_RETURN_VOID();
}

/* ---------------------------------------------------------------------------
 * The triggers
 * ---------------------------------------------------------------------------
 */

/* the attribute numbers of ezz.licence's columns the triggers read */
typedef struct LicenceColumns
{
	Oid			relid;
	int			id;
	int			status;
	int			valid_to;
} LicenceColumns;

static LicenceColumns Columns;

static void
FindColumns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (Columns.relid == RelationGetRelid(rel))
		return;
	Columns.id = SPI_fnumber(desc, "id");
	Columns.status = SPI_fnumber(desc, "status");
	Columns.valid_to = SPI_fnumber(desc, "valid_to");
	if (Columns.id <= 0 || Columns.status <= 0 || Columns.valid_to <= 0)
		elog(ERROR, "ezz: %s lacks the columns of a licence", RelationGetRelationName(rel));
	Columns.relid = RelationGetRelid(rel);
}

static TriggerData *
CheckTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ||
		(before ? !TRIGGER_FIRED_BEFORE(trigdata->tg_event) : !TRIGGER_FIRED_AFTER(trigdata->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be called as a row trigger %s UPDATE", name, before ? "BEFORE" : "AFTER")));
	FindColumns(trigdata->tg_relation);
	return trigdata;
}

/* old and new status of the row, or false when the status did not change */
static bool
StatusChange(TriggerData *trigdata, int *from, int *to)
{
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	bool		oldnull,
				newnull;
	Datum		oldv = heap_getattr(trigdata->tg_trigtuple, Columns.status, desc, &oldnull);
	Datum		newv = heap_getattr(trigdata->tg_newtuple, Columns.status, desc, &newnull);

	if (oldnull || newnull || DatumGetObjectId(oldv) == DatumGetObjectId(newv))
		return false;
	*from = StatusIndex(oldv);
	*to = StatusIndex(newv);
	return true;
}

PG_FUNCTION_INFO_V1(ezz_licence_status_check);

Datum
ezz_licence_status_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = CheckTriggerCall(fcinfo, "ezz._licence_status_check", true);
	int			from,
				to;

	if (StatusChange(trigdata, &from, &to) && !Allowed(from, to))
	{
		char	   *id = SPI_getvalue(trigdata->tg_trigtuple, RelationGetDescr(trigdata->tg_relation), Columns.id);
		char	   *next = Successors(from);

		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("licence %s cannot go from %s to %s", id, StatusWords[from], StatusWords[to]),
				 next[0] ? errdetail("From %s a licence can go to %s only.", StatusWords[from], next)
				 : errdetail("%s is final: nothing follows it.", StatusWords[from]),
				 from == S_SUPERSEDED ? errhint("A changed, renewed or reissued licence lives on in its newer version.") : 0));
	}
	return PointerGetDatum(trigdata->tg_newtuple);
}

/*
 * The history insert, in two forms: [0] dated now — or just after the
 * licence's latest history row, if a transaction that began earlier commits
 * a change after a later one (the row lock orders the changes; their times
 * must follow that order for ezz.status_at) — and [1] an expiry, dated at
 * the end of the licence's last day however late it is recorded (but not
 * before the licence's earlier history: a licence entered into the library
 * after its last day expires on entry).  Names are qualified: the trigger
 * runs under whatever search_path the session that changed the row has.
 */
static const char *const RecordSql[2] = {
	"INSERT INTO ezz.status_history (licence, from_status, to_status, at, actor, department, reason, basis, event)"
	" VALUES ($1, $2, $3,"
	"   GREATEST(pg_catalog.now(),"
	"            (SELECT pg_catalog.max(p.at) FROM ezz.status_history p WHERE p.licence OPERATOR(ezz.=) $1)),"
	"   $9, $5::ezz.uscc, $6, $7, $8) RETURNING id",
	"INSERT INTO ezz.status_history (licence, from_status, to_status, at, actor, department, reason, basis, event)"
	" VALUES ($1, $2, $3,"
	"   GREATEST(LEAST(pg_catalog.timezone(pg_catalog.current_setting('ezz.timezone'),"
	"                  ($4 OPERATOR(pg_catalog.+) 1)::timestamp), pg_catalog.now()),"
	"            (SELECT pg_catalog.max(p.at) FROM ezz.status_history p WHERE p.licence OPERATOR(ezz.=) $1)),"
	"   $9, $5::ezz.uscc, $6, $7, $8) RETURNING id"
};
static SPIPlanPtr RecordPlan[2] = {NULL, NULL};
static Oid	RecordPlanTypes[2][4];

PG_FUNCTION_INFO_V1(ezz_licence_status_record);

Datum
ezz_licence_status_record(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = CheckTriggerCall(fcinfo, "ezz._licence_status_record", false);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	newtup = trigdata->tg_newtuple;
	int			from,
				to;
	int64		event_id = 0;

	if (!StatusChange(trigdata, &from, &to))
		return PointerGetDatum(NULL);

	/*
	 * Under logical replication apply the history comes from the origin; any
	 * other session, also one in session_replication_role = replica, records
	 * its change.
	 */
	if (!(SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA && IsLogicalWorker()))
	{
		Oid			types[9];
		Datum		values[9];
		char		nulls[9];
		bool		isnull;
		int			form;

		types[0] = TupleDescAttr(desc, Columns.id - 1)->atttypid;
		types[1] = types[2] = TupleDescAttr(desc, Columns.status - 1)->atttypid;
		types[3] = TupleDescAttr(desc, Columns.valid_to - 1)->atttypid;
		types[4] = types[5] = types[6] = types[7] = types[8] = TEXTOID;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "ezz: SPI_connect failed");
		values[3] = heap_getattr(newtup, Columns.valid_to, desc, &isnull);
		form = (to == S_EXPIRED && !isnull) ? 1 : 0;
		if (RecordPlan[form] == NULL || memcmp(RecordPlanTypes[form], types, sizeof(RecordPlanTypes[form])) != 0)
		{
			SPIPlanPtr	plan = SPI_prepare(RecordSql[form], 9, types);

			if (plan == NULL || SPI_keepplan(plan) != 0)
				elog(ERROR, "ezz: could not prepare the status history insert: %s",
					 SPI_result_code_string(SPI_result));
			if (RecordPlan[form] != NULL)
				SPI_freeplan(RecordPlan[form]);
			RecordPlan[form] = plan;
			memcpy(RecordPlanTypes[form], types, sizeof(RecordPlanTypes[form]));
		}
		memset(nulls, ' ', sizeof(nulls));
		if (isnull)
			nulls[3] = 'n';
		values[0] = heap_getattr(newtup, Columns.id, desc, &isnull);
		values[1] = heap_getattr(trigdata->tg_trigtuple, Columns.status, desc, &isnull);
		values[2] = heap_getattr(newtup, Columns.status, desc, &isnull);
		if (Note.set)
		{
			values[4] = Note.department ? CStringGetTextDatum(Note.department) : (Datum) 0;
			nulls[4] = Note.department ? ' ' : 'n';
			values[5] = CStringGetTextDatum(Note.reason ? Note.reason : StatusWords[to]);
			values[6] = Note.basis ? CStringGetTextDatum(Note.basis) : (Datum) 0;
			nulls[6] = Note.basis ? ' ' : 'n';
			values[7] = CStringGetTextDatum(Note.event ? Note.event : "transition");
		}
		else
		{
			nulls[4] = 'n';
			values[5] = CStringGetTextDatum(psprintf("changed by a direct UPDATE of user %s, outside ezz's functions",
													 GetUserNameFromId(GetUserId(), false)));
			nulls[6] = 'n';
			values[7] = CStringGetTextDatum("direct");
		}
		values[8] = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
		/*
		 * (tcount 0: an INSERT ... RETURNING stopped after its first row
		 * never finishes its ModifyTable node, and its AFTER STATEMENT
		 * triggers — the audit ledger's among them — would never fire)
		 */
		if (SPI_execute_plan(RecordPlan[form], values, nulls, false, 0) != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
			elog(ERROR, "ezz: could not record the status change of licence %s", SPI_getvalue(newtup, desc, Columns.id));
		event_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		SPI_finish();
	}
	/*
	 * Any session may LISTEN, so the payload is only an event id: a wake-up.
	 * What changed is read through ezz.read_status_events, which shows each
	 * department its own licences.  Where the ezz worker runs, it sends the
	 * notification after this transaction commits (worker.c says why).
	 */
	if (event_id > 0)
	{
		if (ezz_worker_serves_database())
		{
			RegisterCallbacks();
			WakeWorkerAtCommit = Max(WakeWorkerAtCommit, event_id);
		}
		else
			Async_Notify("ezz_status", psprintf("%lld", (long long) event_id));
	}
	return PointerGetDatum(NULL);
}
