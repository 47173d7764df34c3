/*
 * search.c — list calls in C: ezz.search (证照检索, by holder identity) and
 * the list it shares with ezz.find (ezz._list): the call's own check and
 * its calls a minute, each candidate's decision (use.c), the department's
 * rows per call (查询范围), one access record for the call, and the licences
 * as summaries (ezz._summary, holder names masked 脱敏 unless the grant
 * allows them in clear).
 *
 * A search among 10 M licences must stay near a primary-key look-up and a
 * plain INSERT of its access row (SPEC §10): its queries are planned once a
 * session (use.c), the holder's licences found from the indexes alone, and
 * the access record goes to the ledger worker while the summaries are made.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "access.h"
#include "ezz.h"
#include "ident.h"
#include "use.h"

extern PGDLLEXPORT Datum ezz_holder_id_valid(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum ezz_holder_blinds(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum ezz_licence_ident_cmp(PG_FUNCTION_ARGS);

/* A list call's check, counted against the calls a minute; recorded and raised if refused. */
static void
UseCall(const char *log_action, const char *action, const char *type_code, const char *item, const char *purpose,
		EzzDecision *d)
{
	ezz_decide_call(action, type_code, item, purpose, true, false, d);
	if (!d->allowed)
		ezz_log_use(log_action, NULL, item, purpose, d, false, false);
}

/*
 * The blind indexes of a holder identity a list call names (every master
 * key version's).  A well-formed identity of a known type costs no
 * subtransaction; anything else goes to ezz._identity_blinds_recorded,
 * which records the refusal and raises it.
 */
static Datum
IdentityBlinds(const char *log_action, const char *id_type, const char *id, const char *item, const char *purpose,
			   bool grant_null, int64 grant_id)
{
	static const char *const types[] = {"111", "001", "099", "516", "414", "999"};
	Datum		type_d = CStringGetTextDatum(id_type);
	Datum		id_d = CStringGetTextDatum(id);
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', item ? ' ' : 'n', purpose ? ' ' : 'n', grant_null ? 'n' : ' '};
	bool		isnull;
	Datum		blinds;

	for (int i = 0; i < (int) lengthof(types); i++)
		if (strcmp(id_type, types[i]) == 0)
		{
			if (DatumGetBool(DirectFunctionCall2(ezz_holder_id_valid, type_d, id_d)))
				return DirectFunctionCall2(ezz_holder_blinds, type_d, id_d);
			break;
		}
	values[0] = CStringGetTextDatum(log_action);
	values[1] = type_d;
	values[2] = id_d;
	values[3] = item ? CStringGetTextDatum(item) : (Datum) 0;
	values[4] = purpose ? CStringGetTextDatum(purpose) : (Datum) 0;
	values[5] = Int64GetDatum(grant_id);
	if (ezz_query(P_IDENTITY, values, nulls, false) != 1)
		elog(ERROR, "ezz._identity_blinds_recorded did not answer");
	blinds = ezz_query_col(1, &isnull);
	if (isnull)
		elog(ERROR, "ezz._identity_blinds_recorded returned NULL");
	return blinds;
}

/* a licence a list may show */
typedef struct Candidate
{
	Datum		lid;
	const EzzLicenceFacts *known;	/* read with it (a search), or NULL: its decision reads them */
	Datum		summary;		/* ezz.licence_summary, holders masked, read with it; or 0: read afterwards */
	char	   *holders_clear;	/* ... and its holders in clear */
} Candidate;

/* in the identifiers' order: by type, then issuer, serial and version (ezz.licence_ident packs them so) */
static int
CandidateCmp(const void *a, const void *b)
{
	return DatumGetInt32(DirectFunctionCall2(ezz_licence_ident_cmp, ((const Candidate *) a)->lid,
											 ((const Candidate *) b)->lid));
}

/* A candidate's summary into store, its holders in clear if clear. */
static void
PutSummary(Tuplestorestate *store, TupleDesc desc, const Candidate *c, bool clear)
{
	HeapTupleHeader th;
	HeapTupleData tuple;

	if (c->summary == (Datum) 0)
	{
		Datum		values[2] = {c->lid, BoolGetDatum(clear)};

		if (ezz_query(P_SUMMARY, values, NULL, false) == 1)
			tuplestore_puttuple(store, SPI_tuptable->vals[0]);
		return;
	}
	th = DatumGetHeapTupleHeader(c->summary);
	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	if (clear)
	{
		Datum	   *values = palloc(sizeof(Datum) * desc->natts);
		bool	   *nulls = palloc(sizeof(bool) * desc->natts);
		int			holders = 4;	/* holder_name, the fifth column of ezz.licence_summary */

		heap_deform_tuple(&tuple, desc, values, nulls);
		nulls[holders] = c->holders_clear == NULL;
		values[holders] = c->holders_clear ? CStringGetTextDatum(c->holders_clear) : (Datum) 0;
		tuplestore_puttuple(store, heap_form_tuple(desc, values, nulls));
	}
	else
		tuplestore_puttuple(store, &tuple);
}

/*
 * The candidates the caller may view, as summaries into store; the call
 * recorded with how many it listed, or refused (53400) if that is more than
 * the department's rows per call (max_rows; 0: look it up).  dept: the
 * caller's department (NULL: no limit).
 */
static void
ListLicences(Tuplestorestate *store, TupleDesc desc, const char *log_action, const Candidate *candidates, int n,
			 const char *item, const char *purpose, bool grant_null, int64 grant_id, const char *dept, int32 max_rows)
{
	int		   *shown = palloc(sizeof(int) * Max(n, 1));
	bool	   *clear = palloc(sizeof(bool) * Max(n, 1));
	int			nshown = 0;
	EzzAccessRecord r;

	for (int i = 0; i < n; i++)
	{
		EzzDecision d;

		ezz_decide(candidates[i].lid, false, "view", item, purpose, grant_null, grant_id, false, false,
				   candidates[i].known, &d);
		if (d.allowed)
		{
			shown[nshown] = i;
			clear[nshown++] = d.clear;
		}
	}
	if (dept == NULL)
		max_rows = -1;
	else if (max_rows <= 0)
	{
		Datum		values[1] = {CStringGetTextDatum(dept)};
		bool		isnull = true;
		Datum		v = (Datum) 0;

		if (ezz_query(P_ROWS_PER_CALL, values, NULL, false) == 1)
			v = ezz_query_col(1, &isnull);
		max_rows = isnull ? ezz_rows_per_call : DatumGetInt32(v);
	}
	if (max_rows >= 0 && nshown > max_rows)
	{
		EzzDecision d;

		ezz_refuse(&d, "53400", psprintf("%s would list %d licences, more than the %d a call may (查询范围)",
										 log_action, nshown, max_rows),
				   NULL, "Narrow the call (a type, a holder); bulk reads go through ezz.request_analysis.");
		ezz_log_use(log_action, NULL, item, purpose, &d, false, false);
	}

	/*
	 * The record goes to the ledger worker while the summaries are made; the
	 * list leaves only once it is committed.  (A list that fails after this
	 * is still recorded as allowed, as a verify that fails after its
	 * decision is.)
	 */
	memset(&r, 0, sizeof(r));
	r.action = log_action;
	r.department = dept;
	r.service_item = item;
	r.purpose = purpose;
	r.grant_null = grant_null;
	r.grant_id = grant_id;
	r.allowed = true;
	r.reason = psprintf("%d licences listed", nshown);
	r.canonical = true;
	ezz_access_submit_record(&r);
	for (int i = 0; i < nshown; i++)
		PutSummary(store, desc, &candidates[shown[i]], clear[i]);
	(void) ezz_access_await();
}

static Tuplestorestate *
ResultStore(FunctionCallInfo fcinfo, TupleDesc *desc)
{
	InitMaterializedSRF(fcinfo, 0);
	*desc = ((ReturnSetInfo *) fcinfo->resultinfo)->setDesc;
	return ((ReturnSetInfo *) fcinfo->resultinfo)->setResult;
}

PG_FUNCTION_INFO_V1(ezz_use_use_call);

/*
 * ezz._use_call(log_action, action, type_code, service_item, purpose) →
 * ezz._use_decision: a list call's check, recorded and raised if refused.
 */
Datum
ezz_use_use_call(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	EzzDecision d;
	Datum		result;

	ezz_refuse_null(PG_ARGISNULL(0) || PG_ARGISNULL(1), "ezz._use_call: the actions must not be NULL");
	ezz_use_connect();
	UseCall(ezz_text_arg(fcinfo, 0), ezz_text_arg(fcinfo, 1), ezz_text_arg(fcinfo, 2), ezz_text_arg(fcinfo, 3),
			ezz_text_arg(fcinfo, 4), &d);
	result = ezz_decision_datum(fcinfo, &d, outer);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

PG_FUNCTION_INFO_V1(ezz_use_identity_blinds);

/* ezz._identity_blinds(log_action, id_type, id, service_item, purpose, grant_id) → bytea[] */
Datum
ezz_use_identity_blinds(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	Datum		blinds;

	ezz_refuse_null(PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2),
					"ezz._identity_blinds: the action and the identity must not be NULL");
	ezz_use_connect();
	blinds = IdentityBlinds(ezz_text_arg(fcinfo, 0), ezz_text_arg(fcinfo, 1), ezz_text_arg(fcinfo, 2),
							ezz_text_arg(fcinfo, 3), ezz_text_arg(fcinfo, 4), PG_ARGISNULL(5),
							PG_ARGISNULL(5) ? 0 : PG_GETARG_INT64(5));
	MemoryContextSwitchTo(outer);
	blinds = PointerGetDatum(DatumGetArrayTypePCopy(blinds));
	SPI_finish();
	PG_RETURN_DATUM(blinds);
}

PG_FUNCTION_INFO_V1(ezz_use_list);

/*
 * ezz._list(log_action, candidates ezz.licence_ident[], service_item,
 * purpose, grant_id, dept) → SETOF ezz.licence_summary (ezz.find's list).
 */
Datum
ezz_use_list(PG_FUNCTION_ARGS)
{
	Tuplestorestate *store;
	TupleDesc	desc;
	ArrayType  *arr;
	Datum	   *elems = NULL;
	bool	   *nulls = NULL;
	int			n = 0;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Candidate  *candidates;
	int			kept = 0;

	ezz_refuse_null(PG_ARGISNULL(0), "ezz._list: the action must not be NULL");
	store = ResultStore(fcinfo, &desc);
	if (!PG_ARGISNULL(1))
	{
		arr = PG_GETARG_ARRAYTYPE_P(1);
		get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
		deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign, &elems, &nulls, &n);
	}
	candidates = palloc0(sizeof(Candidate) * Max(n, 1));
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			candidates[kept++].lid = elems[i];
	ezz_use_connect();
	ListLicences(store, desc, ezz_text_arg(fcinfo, 0), candidates, kept, ezz_text_arg(fcinfo, 2), ezz_text_arg(fcinfo, 3),
				 PG_ARGISNULL(4), PG_ARGISNULL(4) ? 0 : PG_GETARG_INT64(4),
				 PG_ARGISNULL(5) ? NULL : pnstrdup(PG_GETARG_USCC_P(5)->code, EZZ_USCC_LEN), 0);
	SPI_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(ezz_use_search);

/*
 * ezz.search(holder_id_type, holder_id, type_code, service_item, purpose,
 * grant_id) → SETOF ezz.licence_summary (证照检索): a holder's current
 * licences the caller may view; a holder identity is required (no wildcard
 * listing).  One access record per call.
 */
Datum
ezz_use_search(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Tuplestorestate *store = ResultStore(fcinfo, &desc);
	char	   *id_type = ezz_text_arg(fcinfo, 0);
	char	   *id = ezz_text_arg(fcinfo, 1);
	char	   *type_code = ezz_text_arg(fcinfo, 2);
	char	   *item = ezz_text_arg(fcinfo, 3);
	char	   *purpose = ezz_text_arg(fcinfo, 4);
	bool		grant_null = PG_ARGISNULL(5);
	int64		grant_id = grant_null ? 0 : PG_GETARG_INT64(5);
	EzzDecision d;
	char	   *dept;
	Datum		values[6];
	char		qnulls[6] = {' ', ' ', type_code ? ' ' : 'n', ' ', ' ', item ? ' ' : 'n'};
	uint64		n;
	SPITupleTable *rows;
	Candidate  *candidates;

	ezz_use_connect();
	if (id_type == NULL || id == NULL)
	{
		ezz_refuse(&d, "22004", "ezz.search needs the holder's identity type and number: no wildcard listing", NULL,
				   "To list by licence number, use ezz.find(licence_no, holder_name, ...).");
		ezz_log_use("search", NULL, item, purpose, &d, false, false);
	}
	/* (an auditor's decision carries no department; a bound one still has its rows a call) */
	UseCall("search", "view", type_code, item, purpose, &d);
	dept = d.department != NULL ? d.department : ezz_current_department(false);
	values[0] = CStringGetTextDatum(id_type);
	values[1] = IdentityBlinds("search", id_type, id, item, purpose, grant_null, grant_id);
	values[2] = type_code ? CStringGetTextDatum(type_code) : (Datum) 0;
	qnulls[3] = dept ? ' ' : 'n';
	values[3] = dept ? CStringGetTextDatum(dept) : (Datum) 0;
	values[4] = CStringGetTextDatum("view");
	values[5] = item ? CStringGetTextDatum(item) : (Datum) 0;
	/* the licences with what their decisions and the list need, in one query */
	n = ezz_query_all(P_CANDIDATES, values, qnulls, false);
	rows = SPI_tuptable;		/* (kept until SPI_finish, whatever runs after) */
	candidates = palloc0(sizeof(Candidate) * Max(n, 1));
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	t = rows->vals[i];
		EzzLicenceFacts *k = palloc0(sizeof(EzzLicenceFacts));
		bool		isnull;
		Datum		v;

		candidates[i].lid = SPI_getbinval(t, rows->tupdesc, 1, &isnull);
		ezz_read_licence_facts(t, rows->tupdesc, 2, dept, k);
		candidates[i].known = k;
		candidates[i].summary = SPI_getbinval(t, rows->tupdesc, 6, &isnull);
		if (isnull)
			candidates[i].summary = (Datum) 0;
		v = SPI_getbinval(t, rows->tupdesc, 7, &isnull);
		candidates[i].holders_clear = isnull ? NULL : TextDatumGetCString(v);
	}
	qsort(candidates, n, sizeof(Candidate), CandidateCmp);
	ListLicences(store, desc, "search", candidates, (int) n, item, purpose, grant_null, grant_id, dept,
				 d.department != NULL ? d.rows_per_call : 0);
	SPI_finish();
	return (Datum) 0;
}
