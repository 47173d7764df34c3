/*
 * use.c — using a licence, in C: the decision (may this caller use this
 * licence, for this action, service item and purpose, on which grant) and
 * its access record.  verify.c verifies 核验 with it.
 *
 * These run on every use call, so they are C: in PL/pgSQL each call paid,
 * in every transaction, for setting up a dozen nested functions' statements
 * and expressions again — at 8 clients as much as the SM2 verification
 * itself (docs/benchmarks.md).  The queries stay SQL, planned once a session
 * (SPI saved plans); what a department login may do is
 * ezz._department_facts (sharing.sql), a SQL function those plans inline.
 * docs/sharing.md says what each call checks and in which order.
 *
 * Nothing here raises for a refusal but ezz_log_use: a decision is a value
 * (ezz._use_decision) that search filters with and _log_use records, then
 * raises.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "access.h"
#include "ezz.h"
#include "ident.h"
#include "use.h"

extern PGDLLEXPORT Datum ezz_rate_take(PG_FUNCTION_ARGS);

static void ForgetFacts(void);

/* ---------------------------------------------------------------------------
 * The queries, planned once a session
 * ---------------------------------------------------------------------------
 */
/*
 * argument types: 'i' ezz.licence_ident, 't' text, 'b' bigint, 'r' regrole,
 * 'B' bytea[], 'o' boolean; generic: a generic plan from the start (the
 * custom plan's estimate may never let PostgreSQL settle on the same path)
 */
static const struct
{
	const char *sql;
	const char *args;
	bool		generic;
}			PlanDefs[NPLANS] = {
	[P_FACTS] = {
		"SELECT f.disclosure, f.issuer_successor IS NOT NULL, f.grant_id, f.grant_clear"
		" FROM ezz._licence_facts($1::ezz.uscc, $2, $3, $4, $5) f", "tittt"
	},
	[P_CALLER] = {
		"SELECT f.dept::text, 'management' = ANY (f.kinds), 'user' = ANY (f.kinds),"
		" f.kinds OPERATOR(pg_catalog.&&) '{issuer,management}'::ezz.department_kind[], f.active, f.successor::text,"
		" f.calls_per_minute, f.rows_per_call, f.on_usage_list"
		" FROM ezz._caller_facts($1, $2, $3) f", "ttt"
	},
	[P_DEPARTMENT] = {
		"SELECT b.department::text FROM ezz.login_binding b WHERE b.login = $1", "r"
	},
	[P_OWN] = {
		"SELECT ezz._licence_holders($1) OPERATOR(pg_catalog.&&) ezz._acting_holders()", "i"
	},
	[P_ENTRUST] = {
		"SELECT a.clear_values, ezz._grant_problem(a, $2, ezz._licence_holders($2), $3, $4, pg_catalog.now())"
		" FROM ezz.authorisation a, ezz._acting() x"
		" WHERE a.id = $1 AND a.mode = 'entrust' AND a.grantee_id_type = x.id_type AND a.grantee_blind = ANY (x.blinds)",
		"bitt"
	},
	[P_PUBLIC] = {
		"SELECT EXISTS (SELECT FROM ezz.licence_type t WHERE t.code::text = $1 AND t.disclosure = 'public')", "t"
	},
	[P_SUCCESSOR] = {
		"SELECT ezz._successor_of($1::ezz.uscc, $2::ezz.uscc)", "tt"
	},
	[P_GRANT] = {
		"SELECT a.grantee_department::text, a.clear_values,"
		" ezz._grant_problem(a, $2, CASE WHEN a.holder_id IS NULL THEN '{}'::bigint[] ELSE ezz._licence_holders($2) END,"
		" $3, $4, pg_catalog.now())"
		" FROM ezz.authorisation a WHERE a.id = $1", "bitt"
	},
	[P_LICENCE] = {
		"SELECT l.document, l.signature, l.signed_at, l.issuer::text, l.licence_no, l.valid_from, l.valid_to,"
		" l.supersedes::text, l.superseded_by::text, l.status::text, ezz.today(),"
		" CASE WHEN l.file IS NOT NULL THEN pg_catalog.encode(ezz.sm3(l.file), 'hex') END,"
		" k.key_id, k.algorithm, k.public_key, k.fingerprint, k.owner::text, k.owner_name, k.department IS NOT NULL,"
		" k.status, k.valid_from, k.valid_to, k.revocation_effective_at, k.revocation_reason"
		" FROM ezz.licence l LEFT JOIN ezz.signing_key k ON k.key_id = l.key_id WHERE l.id OPERATOR(ezz.=) $1", "i"
	},
	[P_IN_CHAIN] = {
		"SELECT ezz._in_chain($1::ezz.uscc, $2::ezz.uscc)", "tt"
	},
	[P_CANDIDATES] = {
		"SELECT c.id, c.disclosure, c.issuer_successor IS NOT NULL, c.grant_id, c.grant_clear, c.summary, c.holders_clear"
		" FROM ezz._holder_candidates($1, $2, $3, $4::ezz.uscc, $5, $6) c", "tBtttt", true
	},
	[P_ROWS_PER_CALL] = {
		"SELECT l.rows_per_call FROM ezz.use_limit l WHERE l.department OPERATOR(ezz.=) $1::ezz.uscc", "t"
	},
	[P_SUMMARY] = {
		"SELECT * FROM ezz._summary($1, $2)", "io"
	},
	[P_IDENTITY] = {
		"SELECT ezz._identity_blinds_recorded($1, $2, $3, $4, $5, $6)", "tttttb"
	},
};

static SPIPlanPtr Plans[NPLANS];
static Oid	PlansIdentType = InvalidOid;	/* ezz.licence_ident when they were made */

/* ezz.licence_ident's OID now (InvalidOid without the extension) */
static Oid
IdentType(void)
{
	Oid			nsp = get_namespace_oid("ezz", true);

	if (!OidIsValid(nsp))
		return InvalidOid;
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("licence_ident"), ObjectIdGetDatum(nsp));
}

/*
 * The saved plans belong to the extension they were made for: made again
 * when ezz.licence_ident is another type (the extension dropped and created
 * again in this session).  Called by every SQL-callable function here.
 */
static void
CheckPlans(void)
{
	Oid			now = IdentType();

	if (now == PlansIdentType)
		return;
	for (int i = 0; i < NPLANS; i++)
		if (Plans[i] != NULL)
		{
			SPI_freeplan(Plans[i]);
			Plans[i] = NULL;
		}
	PlansIdentType = now;
	ForgetFacts();
}

static SPIPlanPtr
SavedPlan(EzzQuery id)
{
	if (Plans[id] == NULL)
	{
		const char *a = PlanDefs[id].args;
		int			n = strlen(a);
		Oid			types[8];
		SPIPlanPtr	p;

		Assert(n <= (int) lengthof(types));
		if (!OidIsValid(PlansIdentType))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the ezz extension is not installed in this database")));
		for (int i = 0; i < n; i++)
			types[i] = a[i] == 'i' ? PlansIdentType : a[i] == 't' ? TEXTOID : a[i] == 'b' ? INT8OID :
				a[i] == 'B' ? BYTEAARRAYOID : a[i] == 'o' ? BOOLOID : REGROLEOID;
		p = SPI_prepare_cursor(PlanDefs[id].sql, n, types, PlanDefs[id].generic ? CURSOR_OPT_GENERIC_PLAN : 0);
		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "ezz: could not plan query %d: %s", (int) id, SPI_result_code_string(SPI_result));
		Plans[id] = p;
	}
	return Plans[id];
}

static uint64
RunQuery(EzzQuery id, Datum *values, const char *nulls, bool read_only, long count)
{
	int			rc = SPI_execute_plan(SavedPlan(id), values, nulls, read_only, count);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "ezz: query %d failed: %s", (int) id, SPI_result_code_string(rc));
	return SPI_processed;
}

/* Run query id; its rows (at most one is read) are in SPI_tuptable. */
uint64
ezz_query(EzzQuery id, Datum *values, const char *nulls, bool read_only)
{
	return RunQuery(id, values, nulls, read_only, 1);
}

/* The same, every row read. */
uint64
ezz_query_all(EzzQuery id, Datum *values, const char *nulls, bool read_only)
{
	return RunQuery(id, values, nulls, read_only, 0);
}

/* column col (1-based) of the first row of the last query */
Datum
ezz_query_col(int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col, isnull);
}

char *
ezz_query_text(int col)
{
	bool		isnull;
	Datum		d = ezz_query_col(col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* a boolean column, NULL as false */
bool
ezz_query_bool(int col)
{
	bool		isnull;
	Datum		d = ezz_query_col(col, &isnull);

	return !isnull && DatumGetBool(d);
}

bool
ezz_query_is(EzzQuery id, Datum *values, const char *nulls, bool read_only)
{
	return ezz_query(id, values, nulls, read_only) == 1 && ezz_query_bool(1);
}

/* ---------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------------
 */
const char *
ezz_nz(const char *s)
{
	return s == NULL ? "" : s;
}

/* pg_has_role(session_user, role, 'MEMBER') */
static bool
SessionIsMember(const char *role)
{
	Oid			r = get_role_oid(role, true);

	return OidIsValid(r) && is_member_of_role(GetSessionUserId(), r);
}

static char *
SessionUserName(void)
{
	return GetUserNameFromId(GetSessionUserId(), false);
}

/* the session login's department (ezz.current_department()), or NULL */
char *
ezz_current_department(bool read_only)
{
	Datum		values[1] = {ObjectIdGetDatum(GetSessionUserId())};

	if (ezz_query(P_DEPARTMENT, values, NULL, read_only) == 0)
		return NULL;
	return ezz_query_text(1);
}

/* the first n characters of s (left(s, n)) */
static const char *
Clip(const char *s, int n)
{
	int			len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	return pnstrdup(s, pg_mbcharcliplen(s, len, n));
}

/* characters of s without its leading and trailing spaces (length(btrim(s))) */
static int
TrimmedLength(const char *s)
{
	int			len = strlen(s);
	int			start = 0;

	while (start < len && s[start] == ' ')
		start++;
	while (len > start && s[len - 1] == ' ')
		len--;
	return pg_mbstrlen_with_len(s + start, len - start);
}

char *
ezz_ident_text(Datum lid)
{
	return DatumGetCString(DirectFunctionCall1(ezz_licence_ident_out, lid));
}

/* ---------------------------------------------------------------------------
 * The decision
 * ---------------------------------------------------------------------------
 */
void
ezz_allow(EzzDecision *d, bool grant_null, int64 grant_id, bool clear)
{
	memset(d, 0, sizeof(*d));
	d->allowed = true;
	d->grant_null = grant_null;
	d->grant_id = grant_null ? 0 : grant_id;
	d->clear = clear;
}

void
ezz_refuse(EzzDecision *d, const char *errcode, char *message, char *detail, char *hint)
{
	memset(d, 0, sizeof(*d));
	d->grant_null = true;
	d->errcode = errcode;
	d->message = message;
	d->detail = detail;
	d->hint = hint;
}

/* what ezz._caller_facts (and, for a licence, ezz._licence_facts) says of a department login's use */
typedef struct Facts
{
	char	   *dept;			/* NULL: unbound */
	bool		management;
	bool		user;
	bool		issues_or_manages;
	bool		active;
	char	   *successor;
	bool		per_minute_null;
	int32		per_minute;
	bool		rows_null;
	int32		rows_per_call;
	bool		on_usage_list;
	char	   *disclosure;
	bool		issuer_has_successor;
	bool		grant_null;
	int64		grant_id;
	bool		grant_clear;
} Facts;

/* ---------------------------------------------------------------------------
 * The caller's facts, kept for the session
 *
 * What ezz._caller_facts says (the login's binding, its department's kinds,
 * state and successor, its limits, and whether its usage list has a type,
 * action and service item today) changes only when ezz.login_binding,
 * ezz.department, ezz.use_limit or ezz.usage_list does, or the date.  Their
 * statement triggers (ezz._kept_rows_changed) send a relation cache
 * invalidation: every backend takes it in when the change commits (at its
 * next transaction, or here, before it looks), and the changing backend at
 * its next command and again if the change is rolled back.  A backend keeps
 * what it read, by login, date, type, action and item, until then; in
 * REPEATABLE READ and SERIALIZABLE it reads them every time, as the
 * transaction's snapshot has them.  What the grant says is read on every
 * use (ezz._licence_facts): it lives by the clock.  A change made with the
 * triggers disabled reaches a backend that kept facts at the next change
 * made with them, or in its next session (docs/sharing.md).
 * ---------------------------------------------------------------------------
 */
#define KEPT_FACTS 16

typedef struct KeptFacts
{
	bool		valid;
	MemoryContext cxt;			/* holds the key and the facts' strings */
	Oid			login;
	DateADT		today;
	char	   *type_code;		/* NULL: every type */
	char	   *action;
	char	   *item;
	Facts		f;
} KeptFacts;

static KeptFacts Kept[KEPT_FACTS];
static int	KeptNext = 0;
/* the tables they come from: login_binding, department, use_limit, usage_list */
static Oid	FactRels[4];
static bool KeptCallbackSet = false;

static void
ForgetFacts(void)
{
	for (int i = 0; i < KEPT_FACTS; i++)
		Kept[i].valid = false;
}

/* relation cache callback: one of the tables changed (InvalidOid: every relation) */
static void
FactsInvalidate(Datum arg, Oid relid)
{
	if (OidIsValid(relid))
	{
		bool		ours = false;

		for (int i = 0; i < (int) lengthof(FactRels); i++)
			ours |= FactRels[i] == relid;
		if (!ours)
			return;
	}
	ForgetFacts();
}

/* ezz.today(): the date in ezz.timezone at the transaction's start */
static DateADT
Today(void)
{
	const char *tz = GetConfigOption("ezz.timezone", false, false);
	Datum		local = DirectFunctionCall2(timestamptz_zone, CStringGetTextDatum(tz),
										  TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));

	return DatumGetDateADT(DirectFunctionCall1(timestamp_date, local));
}

static bool
SameText(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static char *
CopyText(MemoryContext cxt, const char *s)
{
	return s == NULL ? NULL : MemoryContextStrdup(cxt, s);
}

/* f's strings copied into cxt */
static void
CopyFacts(Facts *to, const Facts *from, MemoryContext cxt)
{
	*to = *from;
	to->dept = CopyText(cxt, from->dept);
	to->successor = CopyText(cxt, from->successor);
}

/* The tables' OIDs, for the callback; false without them (the extension is being made or dropped). */
static bool
FactRelsKnown(void)
{
	static const char *const names[] = {"login_binding", "department", "use_limit", "usage_list"};
	Oid			nsp = get_namespace_oid("ezz", true);

	StaticAssertStmt(lengthof(names) == lengthof(FactRels), "one OID a table");
	if (!KeptCallbackSet)
	{
		CacheRegisterRelcacheCallback(FactsInvalidate, (Datum) 0);
		KeptCallbackSet = true;
	}
	for (int i = 0; i < (int) lengthof(names); i++)
	{
		FactRels[i] = OidIsValid(nsp) ? get_relname_relid(names[i], nsp) : InvalidOid;
		if (!OidIsValid(FactRels[i]))
			return false;
	}
	return true;
}

/* ezz._caller_facts(type_code, action, item) for the session's login, kept or read */
static void
CallerFacts(const char *type_code, const char *action, const char *item, bool read_only, Facts *f)
{
	Oid			login = GetSessionUserId();
	bool		keep = !IsolationUsesXactSnapshot();
	DateADT		today = 0;
	Datum		values[3];
	char		nulls[3] = {type_code ? ' ' : 'n', ' ', item ? ' ' : 'n'};
	KeptFacts  *k;

	memset(f, 0, sizeof(*f));
	f->per_minute_null = true;
	f->rows_null = true;
	f->grant_null = true;
	if (keep)
	{
		/* (a change committed since this transaction last looked counts now) */
		AcceptInvalidationMessages();
		today = Today();
		for (int i = 0; i < KEPT_FACTS; i++)
		{
			k = &Kept[i];
			if (k->valid && k->login == login && k->today == today && SameText(k->type_code, type_code) &&
				strcmp(k->action, action) == 0 && SameText(k->item, item))
			{
				CopyFacts(f, &k->f, CurrentMemoryContext);
				return;
			}
		}
		keep = FactRelsKnown();
	}
	values[0] = type_code ? CStringGetTextDatum(type_code) : (Datum) 0;
	values[1] = CStringGetTextDatum(action);
	values[2] = item ? CStringGetTextDatum(item) : (Datum) 0;
	if (ezz_query(P_CALLER, values, nulls, read_only) == 1)
	{
		f->dept = ezz_query_text(1);
		f->management = ezz_query_bool(2);
		f->user = ezz_query_bool(3);
		f->issues_or_manages = ezz_query_bool(4);
		f->active = ezz_query_bool(5);
		f->successor = ezz_query_text(6);
		f->per_minute = DatumGetInt32(ezz_query_col(7, &f->per_minute_null));
		f->rows_per_call = DatumGetInt32(ezz_query_col(8, &f->rows_null));
		f->on_usage_list = ezz_query_bool(9);
	}
	if (!keep)
		return;
	k = &Kept[KeptNext];
	KeptNext = (KeptNext + 1) % KEPT_FACTS;
	if (k->cxt == NULL)
		k->cxt = AllocSetContextCreate(TopMemoryContext, "ezz kept caller facts", ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(k->cxt);
	k->valid = false;
	k->login = login;
	k->today = today;
	k->type_code = CopyText(k->cxt, type_code);
	k->action = CopyText(k->cxt, action);
	k->item = CopyText(k->cxt, item);
	CopyFacts(&k->f, f, k->cxt);
	k->valid = true;
}

/*
 * What a decision needs of a department login's use: the caller's facts for
 * the type (lid_null: for a list call of type_code, NULL for every type),
 * and for a licence what ezz._licence_facts adds.  No department (dept
 * NULL) for an unbound login.
 */
static void
GetFacts(Datum lid, bool lid_null, const char *type_code, const char *action, const char *item, bool read_only,
		 const EzzLicenceFacts *known, Facts *f)
{
	Datum		values[5];
	char		nulls[5] = {' ', ' ', type_code ? ' ' : 'n', ' ', item ? ' ' : 'n'};
	EzzLicenceFacts read;

	CallerFacts(type_code, action, item, read_only, f);
	if (lid_null || f->dept == NULL)
		return;
	/* (read with the candidates, for the same department; else read now) */
	if (known == NULL || known->dept == NULL || strcmp(known->dept, f->dept) != 0)
	{
		values[0] = CStringGetTextDatum(f->dept);
		values[1] = lid;
		values[2] = type_code ? CStringGetTextDatum(type_code) : (Datum) 0;
		values[3] = CStringGetTextDatum(action);
		values[4] = item ? CStringGetTextDatum(item) : (Datum) 0;
		if (ezz_query(P_FACTS, values, nulls, read_only) != 1)
			elog(ERROR, "ezz._licence_facts did not answer");
		ezz_read_licence_facts(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, f->dept, &read);
		known = &read;
	}
	f->disclosure = known->disclosure;
	f->issuer_has_successor = known->issuer_has_successor;
	f->grant_null = known->grant_null;
	f->grant_id = known->grant_id;
	f->grant_clear = known->grant_clear;
}

/*
 * What ezz._licence_facts says, from the four columns of row t that start at
 * col (disclosure, issuer has a successor, grant id, grant clear), for
 * department dept.
 */
void
ezz_read_licence_facts(HeapTuple t, TupleDesc desc, int col, const char *dept, EzzLicenceFacts *k)
{
	bool		isnull;
	Datum		v;

	k->dept = dept;
	v = SPI_getbinval(t, desc, col, &isnull);
	k->disclosure = isnull ? NULL : TextDatumGetCString(v);
	v = SPI_getbinval(t, desc, col + 1, &isnull);
	k->issuer_has_successor = !isnull && DatumGetBool(v);
	k->grant_id = DatumGetInt64(SPI_getbinval(t, desc, col + 2, &k->grant_null));
	v = SPI_getbinval(t, desc, col + 3, &isnull);
	k->grant_clear = !isnull && DatumGetBool(v);
}

/*
 * The call counted against the department's calls a minute (if
 * count_call), then the caller: the refusal of one call too many, of an
 * unbound login or of an inactive department (as ezz._department_for says
 * it, but returned: the refusal is then recorded).  True if refused.
 */
static bool
CallerProblem(const Facts *f, bool count_call, EzzDecision *d)
{
	if (count_call && f->dept != NULL)
	{
		int32		per_minute = f->per_minute_null ? ezz_calls_per_minute : f->per_minute;

		if (DatumGetInt32(DirectFunctionCall2(ezz_rate_take, CStringGetTextDatum(f->dept),
											  Int32GetDatum(per_minute))) < 0)
		{
			ezz_refuse(d, "53400", psprintf("department %s has made its %d use calls this minute", f->dept, per_minute),
				   "Calls over the limit are refused and logged (查询范围).",
				   "Try again next minute; the management department sets limits in ezz.use_limit.");
			return true;
		}
	}
	if (f->dept == NULL)
	{
		char	   *login = SessionUserName();

		ezz_refuse(d, "55000", psprintf("login \"%s\" is not bound to a department", login),
			   "Using calls need a login bound to a department; unbound department logins can do nothing.",
			   psprintf("An administrator binds it: SELECT ezz.bind_login(%s, '<unified social credit code>');",
						quote_literal_cstr(login)));
		return true;
	}
	if (!f->active)
	{
		ezz_refuse(d, "55000", psprintf("department %s of login \"%s\" is inactive", f->dept, SessionUserName()),
			   f->successor == NULL ? "An inactive department can do nothing in ezz." :
			   psprintf("Its successor is %s, which manages its licences.", f->successor),
			   "An administrator binds the login to the active department.");
		return true;
	}
	return false;
}

/*
 * What a using department's call must carry, and its usage list 用证清单:
 * the service item and a purpose of 1-200 characters, and an entry for
 * (department, type, item, action) valid today (no type, for a list call of
 * every type: an entry for some type).  True if refused.
 */
static bool
UsageProblem(const char *dept, const char *type_code, const char *action, const char *item, const char *purpose,
			 bool listed, EzzDecision *d)
{
	int			n;

	if (item == NULL || purpose == NULL)
	{
		ezz_refuse(d, "22004", "a using department must name the service item and the purpose 用证事由",
			   NULL, "Pass service_item and purpose (1 to 200 characters).");
		return true;
	}
	n = TrimmedLength(purpose);
	if (n < 1 || n > 200)
	{
		ezz_refuse(d, "22023", psprintf("the purpose 用证事由 must have 1 to 200 characters, not %d", n), NULL, NULL);
		return true;
	}
	if (listed)
		return false;
	if (type_code == NULL)
		ezz_refuse(d, "42501", psprintf("department %s may not %s licences for service item %s", dept, action, item),
			   "The usage list 用证清单 has no type for this item and action today.", NULL);
	else
		ezz_refuse(d, "42501", psprintf("department %s may not %s licence type %s for service item %s",
									dept, action, type_code, item),
			   "It is not on the usage list 用证清单 for this type, item and action today.", NULL);
	return true;
}

/* The holder agent: the acting holder's own licence, or an entrustment. */
static void
DecideForHolder(Datum lid, const char *lid_text, const char *action, const char *item, const char *purpose,
				bool grant_null, int64 grant_id, bool read_only, EzzDecision *d)
{
	const char *acting = GetConfigOption("ezz.acting_holder", true, false);
	Datum		values[4];
	char	   *problem;

	if (acting == NULL || acting[0] == '\0')
	{
		ezz_refuse(d, "42501", "the holder agent has not said which holder it acts for", NULL,
			   "Call ezz.act_for_holder(id_type, id) first, in the same transaction.");
		return;
	}
	values[0] = lid;
	if (ezz_query_is(P_OWN, values, NULL, read_only))
	{
		ezz_allow(d, true, 0, true);
		return;
	}
	if (grant_null)
	{
		ezz_refuse(d, "42501", psprintf("licence %s does not belong to the holder the agent acts for", lid_text),
			   "An entrusted person 受托人 names the entrustment: grant_id.", NULL);
		return;
	}
	values[0] = Int64GetDatum(grant_id);
	values[1] = lid;
	values[2] = CStringGetTextDatum(action);
	values[3] = item ? CStringGetTextDatum(item) : (Datum) 0;
	if (ezz_query(P_ENTRUST, values, item ? "    " : "   n", read_only) == 0)
	{
		ezz_refuse(d, "42501", psprintf("grant " INT64_FORMAT " is not an entrustment of the person the agent acts for",
									grant_id), NULL, NULL);
		return;
	}
	if (item == NULL || purpose == NULL)
	{
		ezz_refuse(d, "22004", "an entrusted use must name the service item (the matter) and the purpose 用证事由",
			   NULL, NULL);
		return;
	}
	problem = ezz_query_text(2);
	if (problem != NULL)
		ezz_refuse(d, "42501", problem, NULL, NULL);
	else
		ezz_allow(d, false, grant_id, ezz_query_bool(1));
}

/*
 * The decision for one licence (lid NULL: for none).  action is the
 * usage-list action (view, verify, data, download); count_call counts the
 * call against the department's calls a minute (first, before anything else
 * is checked).
 */
void
ezz_decide(Datum lid, bool lid_null, const char *action, const char *item, const char *purpose,
	   bool grant_null, int64 grant_id, bool count_call, bool read_only, const EzzLicenceFacts *known,
	   EzzDecision *d)
{
	char	   *lid_text = NULL;
	char		type_code[EZZ_TYPE_CODE_LEN + 1] = {0};
	char		issuer[EZZ_USCC_LEN + 1] = {0};
	Facts		f;

	if (!lid_null)
	{
		EzzIdentParts parts;

		ezz_ident_unpack(DatumGetLicenceIdentP(lid), &parts);
		memcpy(type_code, parts.type_code, EZZ_TYPE_CODE_LEN);
		memcpy(issuer, parts.issuer, EZZ_USCC_LEN);
		lid_text = ezz_ident_text(lid);
	}
	/* auditors read everything; the holder agent acts for a holder or an entrusted person */
	if (SessionIsMember("ezz_auditor"))
	{
		ezz_allow(d, true, 0, true);
		return;
	}
	if (SessionIsMember("ezz_holder_agent") && ezz_current_department(read_only) == NULL)
	{
		if (lid_null)
			ezz_refuse(d, "42501", "the holder agent names the licence it uses", NULL, NULL);
		else
			DecideForHolder(lid, lid_text, action, item, purpose, grant_null, grant_id, read_only, d);
		return;
	}
	if (!(SessionIsMember("ezz_admin") || SessionIsMember("ezz_issuer") || SessionIsMember("ezz_consumer")))
	{
		Datum		values[1];

		/* the public verifies a publicly disclosed licence */
		if (!lid_null && SessionIsMember("ezz_public") && strcmp(action, "verify") == 0)
		{
			values[0] = CStringGetTextDatum(type_code);
			if (ezz_query_is(P_PUBLIC, values, NULL, read_only))
			{
				ezz_allow(d, true, 0, false);
				return;
			}
		}
		ezz_refuse(d, "42501", psprintf("role \"%s\" may not %s licence %s", SessionUserName(), action, ezz_nz(lid_text)),
			   NULL, NULL);
		return;
	}

	/* a department login: what the decision needs, in one query */
	GetFacts(lid, lid_null, lid_null ? NULL : type_code, action, item, read_only, known, &f);
	if (CallerProblem(&f, count_call, d))
		;						/* one call too many this minute, or an unbound login or inactive department */
	/* its issuer (and every successor down the issuer's chain) and management */
	else if (f.management || (!lid_null && strcmp(f.dept, issuer) == 0) ||
			 (!lid_null && f.issuer_has_successor &&
			  ezz_query_is(P_SUCCESSOR, (Datum[]) {CStringGetTextDatum(f.dept), CStringGetTextDatum(issuer)}, NULL,
					  read_only)))
		ezz_allow(d, true, 0, true);
	else if (!f.user)
		ezz_refuse(d, "42501", psprintf("department %s may not %s licences of %s", f.dept, action, issuer),
			   "Only its issuer, management and using departments use a licence.", NULL);
	else if (UsageProblem(f.dept, lid_null ? NULL : type_code, action, item, purpose, f.on_usage_list, d))
		;
	else if (f.disclosure != NULL && strcmp(f.disclosure, "not_shared") == 0)
		ezz_refuse(d, "42501", psprintf("licence type %s is not shared 不予共享", type_code), NULL, NULL);
	else if (!grant_null)
	{
		Datum		values[4] = {Int64GetDatum(grant_id), lid, CStringGetTextDatum(action), CStringGetTextDatum(item)};
		char	   *grantee;
		char	   *problem;

		if (ezz_query(P_GRANT, values, lid_null ? " n  " : NULL, read_only) == 0 ||
			(grantee = ezz_query_text(1)) == NULL || strcmp(grantee, f.dept) != 0)
			ezz_refuse(d, "42501", psprintf("grant " INT64_FORMAT " is not a grant to department %s", grant_id, f.dept),
				   NULL, NULL);
		else if ((problem = ezz_query_text(3)) != NULL)
			ezz_refuse(d, "42501", problem, NULL, NULL);
		else
			ezz_allow(d, false, grant_id, ezz_query_bool(2));
	}
	else if (!f.grant_null)
		ezz_allow(d, false, f.grant_id, f.grant_clear);
	else if (f.disclosure != NULL && strcmp(f.disclosure, "public") == 0)
		ezz_allow(d, true, 0, false);
	else
		ezz_refuse(d, "42501", psprintf("no live authorisation 授权 lets department %s %s licence %s for service item %s",
									f.dept, action, ezz_nz(lid_text), item),
			   "The usage list allows it, but a conditionally shared type also needs a grant.",
			   "The holder authorises with ezz.authorise; the management department grants function-based use with ezz.grant_function_use.");
	d->department = f.dept;
}

/*
 * A list call's own check (search, find): the caller, its calls a minute
 * and, for a using department, the usage list for the type (type_code NULL:
 * for some type).  A department that also issues or manages is held to its
 * usage list only by each licence's decision, which lets it see its own.
 */
void
ezz_decide_call(const char *action, const char *type_code, const char *item, const char *purpose, bool count_call,
		   bool read_only, EzzDecision *d)
{
	Facts		f;

	if (SessionIsMember("ezz_auditor"))
	{
		ezz_allow(d, true, 0, true);
		return;
	}
	if (!(SessionIsMember("ezz_admin") || SessionIsMember("ezz_issuer") || SessionIsMember("ezz_consumer")))
	{
		ezz_refuse(d, "42501", psprintf("role \"%s\" may not search licences", SessionUserName()),
			   "Using calls are for department logins; the holder agent lists the holder's own with ezz.my_licences.",
			   NULL);
		return;
	}
	/* (type_code NULL, for a list of every type: the usage list has the item and action for some type) */
	GetFacts((Datum) 0, true, type_code, action, item, read_only, NULL, &f);
	if (CallerProblem(&f, count_call, d))
		;
	else if (!f.user)
		ezz_allow(d, true, 0, false);
	else if (!UsageProblem(f.dept, type_code, action, item, purpose, f.on_usage_list || f.issues_or_manages, d))
		ezz_allow(d, true, 0, false);
	d->department = f.dept;
	if (f.dept != NULL)
		d->rows_per_call = f.rows_null ? ezz_rows_per_call : f.rows_per_call;
}

/*
 * Record a use call in the access log (outside this transaction) and raise
 * if it was refused.  An allowed call may defer the wait (ezz_access_await
 * before it answers); a refusal is recorded before it is raised.  (A refused
 * call's texts are cut to fit the record: 500 characters are at most 2,000
 * bytes.)
 */
void
ezz_log_use(const char *log_action, const char *lid_text, const char *item, const char *purpose, const EzzDecision *d,
	   bool defer, bool read_only)
{
	EzzAccessRecord r;
	int			code;

	memset(&r, 0, sizeof(r));
	r.action = log_action;
	r.licence = lid_text;
	r.department = d->department != NULL ? d->department : ezz_current_department(read_only);
	r.grant_null = d->grant_null;
	r.grant_id = d->grant_id;
	r.allowed = d->allowed;
	r.canonical = true;
	if (d->allowed && defer)
	{
		r.service_item = item;
		r.purpose = purpose;
		ezz_access_submit_record(&r);
		return;
	}
	r.service_item = Clip(item, 500);
	r.purpose = Clip(purpose, 500);
	r.reason = Clip(d->message, 500);
	(void) ezz_access_write_record(&r);
	if (d->allowed)
		return;
	if (d->errcode == NULL || strlen(d->errcode) != 5)
		elog(ERROR, "ezz: a refusal without a SQLSTATE: %s", ezz_nz(d->message));
	code = MAKE_SQLSTATE(d->errcode[0], d->errcode[1], d->errcode[2], d->errcode[3], d->errcode[4]);
	ereport(ERROR,
			(errcode(code),
			 errmsg_internal("%s", ezz_nz(d->message)),
			 d->detail ? errdetail_internal("%s", d->detail) : 0,
			 d->hint ? errhint("%s", d->hint) : 0));
}

/* ---------------------------------------------------------------------------
 * SQL-callable functions
 * ---------------------------------------------------------------------------
 */
TupleDesc
ezz_result_type(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "ezz: a function returning a row was called in a context that cannot take one");
	return BlessTupleDesc(tupdesc);
}

char *
ezz_text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/* an ezz._use_decision row, in outer */
Datum
ezz_decision_datum(FunctionCallInfo fcinfo, const EzzDecision *d, MemoryContext outer)
{
	MemoryContext cxt = MemoryContextSwitchTo(outer);
	TupleDesc	tupdesc = ezz_result_type(fcinfo);
	Datum		values[8];
	bool		nulls[8] = {false, d->grant_null, false, !d->errcode, !d->message, !d->detail, !d->hint, !d->department};
	const char *texts[4] = {d->errcode, d->message, d->detail, d->hint};
	HeapTuple	tuple;

	values[0] = BoolGetDatum(d->allowed);
	values[1] = Int64GetDatum(d->grant_id);
	values[2] = BoolGetDatum(d->clear);
	for (int i = 0; i < 4; i++)
		values[3 + i] = texts[i] ? CStringGetTextDatum(texts[i]) : (Datum) 0;
	values[7] = d->department ? PointerGetDatum(ezz_uscc_from_cstring(d->department, strlen(d->department))) : (Datum) 0;
	tuple = heap_form_tuple(tupdesc, values, nulls);
	MemoryContextSwitchTo(cxt);
	return HeapTupleGetDatum(tuple);
}

/* a decision from an ezz._use_decision row */
static void
DecisionOfDatum(HeapTupleHeader row, EzzDecision *d)
{
	bool		isnull;
	Datum		v;
	const char *names[4] = {"errcode", "message", "detail", "hint"};
	char	  **texts[4] = {(char **) &d->errcode, &d->message, &d->detail, &d->hint};

	memset(d, 0, sizeof(*d));
	v = GetAttributeByName(row, "allowed", &isnull);
	d->allowed = !isnull && DatumGetBool(v);
	v = GetAttributeByName(row, "grant_id", &d->grant_null);
	d->grant_id = d->grant_null ? 0 : DatumGetInt64(v);
	v = GetAttributeByName(row, "clear", &isnull);
	d->clear = !isnull && DatumGetBool(v);
	for (int i = 0; i < 4; i++)
	{
		v = GetAttributeByName(row, names[i], &isnull);
		*texts[i] = isnull ? NULL : TextDatumGetCString(v);
	}
	v = GetAttributeByName(row, "department", &isnull);
	d->department = isnull ? NULL : pnstrdup(DatumGetUsccP(v)->code, EZZ_USCC_LEN);
}

/* 22004 with message if isnull: an argument that must not be NULL */
void
ezz_refuse_null(bool isnull, const char *message)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg_internal("%s", message)));
}

/* SPI for a call of this file's or verify.c's functions, the saved plans checked */
void
ezz_use_connect(void)
{
	CheckPlans();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "ezz: SPI_connect failed");
}

PG_FUNCTION_INFO_V1(ezz_use_decide);

/*
 * ezz._decide(lid, action, service_item, purpose, grant_id, count_call) →
 * ezz._use_decision: never raises for a refusal.
 */
Datum
ezz_use_decide(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	EzzDecision	d;
	Datum		result;

	ezz_refuse_null(PG_ARGISNULL(1), "ezz._decide: the action must not be NULL");
	ezz_use_connect();
	ezz_decide(PG_GETARG_DATUM(0), PG_ARGISNULL(0), ezz_text_arg(fcinfo, 1), ezz_text_arg(fcinfo, 2), ezz_text_arg(fcinfo, 3),
		   PG_ARGISNULL(4), PG_ARGISNULL(4) ? 0 : PG_GETARG_INT64(4), !PG_ARGISNULL(5) && PG_GETARG_BOOL(5), false, NULL, &d);
	result = ezz_decision_datum(fcinfo, &d, outer);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

PG_FUNCTION_INFO_V1(ezz_use_decide_call);

/* ezz._decide_call(action, type_code, service_item, purpose, count_call) → ezz._use_decision */
Datum
ezz_use_decide_call(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	EzzDecision	d;
	Datum		result;

	ezz_refuse_null(PG_ARGISNULL(0), "ezz._decide_call: the action must not be NULL");
	ezz_use_connect();
	ezz_decide_call(ezz_text_arg(fcinfo, 0), ezz_text_arg(fcinfo, 1), ezz_text_arg(fcinfo, 2), ezz_text_arg(fcinfo, 3),
			   !PG_ARGISNULL(4) && PG_GETARG_BOOL(4), false, &d);
	result = ezz_decision_datum(fcinfo, &d, outer);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

PG_FUNCTION_INFO_V1(ezz_use_use);

/*
 * ezz._use(lid, log_action, action, service_item, purpose, grant_id,
 * count_call, defer) → ezz._use_decision: the decision, recorded; raises if
 * refused.
 */
Datum
ezz_use_use(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	EzzDecision	d;
	char	   *item = ezz_text_arg(fcinfo, 3);
	char	   *purpose = ezz_text_arg(fcinfo, 4);
	Datum		result;

	ezz_refuse_null(PG_ARGISNULL(1) || PG_ARGISNULL(2), "ezz._use: the actions must not be NULL");
	ezz_use_connect();
	ezz_decide(PG_GETARG_DATUM(0), PG_ARGISNULL(0), ezz_text_arg(fcinfo, 2), item, purpose,
		   PG_ARGISNULL(5), PG_ARGISNULL(5) ? 0 : PG_GETARG_INT64(5), PG_ARGISNULL(6) || PG_GETARG_BOOL(6), false, NULL, &d);
	ezz_log_use(ezz_text_arg(fcinfo, 1), PG_ARGISNULL(0) ? NULL : ezz_ident_text(PG_GETARG_DATUM(0)), item, purpose, &d,
		   !PG_ARGISNULL(7) && PG_GETARG_BOOL(7), false);
	result = ezz_decision_datum(fcinfo, &d, outer);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

PG_FUNCTION_INFO_V1(ezz_use_log_use);

/* ezz._log_use(log_action, lid, service_item, purpose, d, defer): record d; raise if a refusal */
Datum
ezz_use_log_use(PG_FUNCTION_ARGS)
{
	EzzDecision	d;

	ezz_refuse_null(PG_ARGISNULL(0) || PG_ARGISNULL(4), "ezz._log_use: the action and the decision must not be NULL");
	ezz_use_connect();
	DecisionOfDatum(PG_GETARG_HEAPTUPLEHEADER(4), &d);
	ezz_log_use(ezz_text_arg(fcinfo, 0), PG_ARGISNULL(1) ? NULL : ezz_ident_text(PG_GETARG_DATUM(1)), ezz_text_arg(fcinfo, 2),
		   ezz_text_arg(fcinfo, 3), &d, !PG_ARGISNULL(5) && PG_GETARG_BOOL(5), false);
	SPI_finish();
	PG_RETURN_VOID();
}

