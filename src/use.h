/*
 * use.h — what the decision on a use of a licence (use.c) shares with
 * verification (verify.c): the session's saved queries and the decision.
 */
#ifndef EZZ_USE_H
#define EZZ_USE_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "fmgr.h"

/* the queries use.c plans once a session */
typedef enum EzzQuery
{
	P_FACTS,					/* a department login's facts for a use */
	P_CALLER,					/* a department login's facts for a list call */
	P_DEPARTMENT,				/* the login's department */
	P_OWN,						/* the acting holder holds the licence */
	P_ENTRUST,					/* an entrustment of the acting person */
	P_PUBLIC,					/* the type is disclosed to the public */
	P_SUCCESSOR,				/* a department is a successor of an issuer */
	P_GRANT,					/* a named grant */
	P_LICENCE,					/* a licence and its signing key */
	P_IN_CHAIN,					/* a key's owner is the issuer or a successor of it */
	P_CANDIDATES,				/* a holder identity's current licences, with their facts and summaries (search.c) */
	P_ROWS_PER_CALL,			/* a department's rows per list call */
	P_SUMMARY,					/* a licence as a list shows it */
	P_IDENTITY,					/* a malformed holder identity, recorded and refused */
	NPLANS
} EzzQuery;

extern void ezz_use_connect(void);
extern uint64 ezz_query(EzzQuery id, Datum *values, const char *nulls, bool read_only);
extern Datum ezz_query_col(int col, bool *isnull);
extern char *ezz_query_text(int col);
extern bool ezz_query_bool(int col);
extern bool ezz_query_is(EzzQuery id, Datum *values, const char *nulls, bool read_only);
extern uint64 ezz_query_all(EzzQuery id, Datum *values, const char *nulls, bool read_only);

/* small helpers */
extern const char *ezz_nz(const char *s);
extern char *ezz_ident_text(Datum lid);
extern TupleDesc ezz_result_type(FunctionCallInfo fcinfo);
extern char *ezz_text_arg(FunctionCallInfo fcinfo, int n);
extern void ezz_refuse_null(bool isnull, const char *message);

/* a decision on a use: allowed (on which grant, in clear?) or refused (why) */
typedef struct EzzDecision
{
	bool		allowed;
	bool		grant_null;
	int64		grant_id;
	bool		clear;
	const char *errcode;		/* SQLSTATE of a refusal */
	char	   *message;
	char	   *detail;
	char	   *hint;
	char	   *department;		/* the caller's, for its access record (NULL: not a department login) */
	int32		rows_per_call;	/* a list call's: the most it may list (0: not known) */
} EzzDecision;

/* what ezz._licence_facts said of a licence for department dept, read beforehand (a search's candidates) */
typedef struct EzzLicenceFacts
{
	const char *dept;
	char	   *disclosure;
	bool		issuer_has_successor;
	bool		grant_null;
	int64		grant_id;
	bool		grant_clear;
} EzzLicenceFacts;

extern void ezz_read_licence_facts(HeapTuple t, TupleDesc desc, int col, const char *dept, EzzLicenceFacts *k);
extern void ezz_allow(EzzDecision *d, bool grant_null, int64 grant_id, bool clear);
extern void ezz_refuse(EzzDecision *d, const char *errcode, char *message, char *detail, char *hint);
extern Datum ezz_decision_datum(FunctionCallInfo fcinfo, const EzzDecision *d, MemoryContext outer);
extern void ezz_decide(Datum lid, bool lid_null, const char *action, const char *item, const char *purpose,
					   bool grant_null, int64 grant_id, bool count_call, bool read_only, const EzzLicenceFacts *known,
					   EzzDecision *d);
extern void ezz_decide_call(const char *action, const char *type_code, const char *item, const char *purpose,
							bool count_call, bool read_only, EzzDecision *d);
extern char *ezz_current_department(bool read_only);
extern void ezz_log_use(const char *log_action, const char *lid_text, const char *item, const char *purpose,
						const EzzDecision *d, bool defer, bool read_only);

#endif							/* EZZ_USE_H */
