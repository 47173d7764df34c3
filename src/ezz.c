/*
 * ezz.c — module magic, settings, and the check that ezz was preloaded.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "crypto.h"
#include "ezz.h"
#include "masterkey.h"

PG_MODULE_MAGIC;

int			ezz_uscc_check = EZZ_USCC_CHECK_ERROR;
int			ezz_default_algorithm = EZZ_ALG_SM2;
char	   *ezz_timezone = NULL;
bool		ezz_preloaded = false;

static const struct config_enum_entry UsccCheckOptions[] = {
	{"error", EZZ_USCC_CHECK_ERROR, false},
	{"warning", EZZ_USCC_CHECK_WARNING, false},
	{NULL, 0, false}
};

static const struct config_enum_entry AlgorithmOptions[] = {
	{"sm2", EZZ_ALG_SM2, false},
	{"ed25519", EZZ_ALG_ED25519, false},
	{"ecdsa-p256", EZZ_ALG_ECDSA_P256, false},
	{NULL, 0, false}
};

static const struct config_enum_entry LedgerHashOptions[] = {
	{"sm3", EZZ_LEDGER_SM3, false},
	{"sha256", EZZ_LEDGER_SHA256, false},
	{NULL, 0, false}
};

char	   *ezz_access_log_retention = NULL;
static char *ezz_acting_holder = NULL;
int			ezz_calls_per_minute = 600;
int			ezz_rows_per_call = 100;

void		_PG_init(void);

static shmem_request_hook_type PrevShmemRequest = NULL;
static shmem_startup_hook_type PrevShmemStartup = NULL;

/* the shared memory of every part of ezz, asked for once */
static void
EzzShmemRequest(void)
{
	if (PrevShmemRequest)
		PrevShmemRequest();
	ezz_worker_shmem_request();
	ezz_access_shmem_request();
	ezz_ratelimit_shmem_request();
}

/* and set up once, under AddinShmemInitLock */
static void
EzzShmemStartup(void)
{
	if (PrevShmemStartup)
		PrevShmemStartup();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	ezz_worker_shmem_init();
	ezz_access_shmem_init();
	ezz_ratelimit_shmem_init();
	LWLockRelease(AddinShmemInitLock);
}

/* ezz.timezone must name a time zone PostgreSQL knows */
static bool
CheckTimezone(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || pg_tzset(*newval) == NULL)
	{
		GUC_check_errdetail("\"%s\" is not a time zone name PostgreSQL knows.", *newval ? *newval : "");
		GUC_check_errhint("Use a name from pg_timezone_names, such as Asia/Shanghai.");
		return false;
	}
	return true;
}

/*
 * ezz.access_log_retention: an interval of at least one year (吉林省电子证照
 * 管理暂行办法 第四十三条, 河南省 第二十七条: access records are kept).
 */
static bool
CheckRetention(char **newval, void **extra, GucSource source)
{
	Interval   *iv = NULL;
	Interval	year;
	MemoryContext cxt = CurrentMemoryContext;

	if (*newval == NULL)
		return false;
	PG_TRY();
	{
		iv = DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(*newval),
												   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		iv = NULL;
	}
	PG_END_TRY();
	if (iv == NULL)
	{
		GUC_check_errdetail("\"%s\" is not an interval.", *newval);
		GUC_check_errhint("Write it like '3 years' or '18 months'.");
		return false;
	}
	memset(&year, 0, sizeof(year));
	year.month = 12;
	if (DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(iv), IntervalPGetDatum(&year))) < 0)
	{
		GUC_check_errdetail("Access records must be kept at least one year (吉林 第四十三条, 河南 第二十七条).");
		GUC_check_errhint("Use an interval of 1 year or more; the default is 3 years.");
		return false;
	}
	return true;
}

/* ezz.acting_holder: empty, or "<identity type>:<hex>,<hex>..." */
static bool
CheckActingHolder(char **newval, void **extra, GucSource source)
{
	const char *v = *newval;
	const char *colon;

	if (v == NULL || *v == '\0')
		return true;
	colon = strchr(v, ':');
	if (colon == NULL || colon == v || colon - v > 3 || strspn(v, "0123456789") != (size_t) (colon - v) ||
		colon[1] == '\0' || strspn(colon + 1, "0123456789abcdef,") != strlen(colon + 1))
	{
		GUC_check_errdetail("ezz.acting_holder is set by ezz.act_for_holder(id_type, id).");
		return false;
	}
	return true;
}

void
_PG_init(void)
{
	/*
	 * Settings exist whether or not the library was preloaded, so that a
	 * value in postgresql.conf is never reported as an unknown parameter.
	 */
	DefineCustomEnumVariable("ezz.uscc_check",
							 "What to do with a unified social credit code whose check character is wrong.",
							 "\"error\" (the default) rejects it; \"warning\" accepts it with a warning, "
							 "for the few early pilot codes that are real although they fail GB 32100.",
							 &ezz_uscc_check,
							 EZZ_USCC_CHECK_ERROR,
							 UsccCheckOptions,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomStringVariable("ezz.key_file",
							   "File holding the master key that encrypts private signing keys and holder identity numbers.",
							   "Lines <version>:<64 hex digits>; the highest version encrypts. The file must belong to the server's user with mode 0600 or 0400.",
							   &ezz_key_file,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	DefineCustomEnumVariable("ezz.default_algorithm",
							 "Signature algorithm of new signing keys when ezz.create_key is not told one.",
							 "sm2 (SM2 with SM3, the default), ed25519 or ecdsa-p256.",
							 &ezz_default_algorithm,
							 EZZ_ALG_SM2,
							 AlgorithmOptions,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomStringVariable("ezz.timezone",
							   "Time zone of the licence library: a licence is valid through the end of its valid_to day here.",
							   NULL,
							   &ezz_timezone,
							   "Asia/Shanghai",
							   PGC_SUSET,
							   0,
							   CheckTimezone, NULL, NULL);
	DefineCustomEnumVariable("ezz.ledger_hash",
							 "Digest of the audit ledger's row hashes, Merkle leaves and blocks.",
							 "sm3 (the default) or sha256; each block records the one it was sealed with.",
							 &ezz_ledger_hash,
							 EZZ_LEDGER_SM3,
							 LedgerHashOptions,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomStringVariable("ezz.access_log_retention",
							   "How long access records are kept: CALL ezz.maintain() drops access-log partitions wholly older.",
							   "An interval of at least 1 year; the default is 3 years.",
							   &ezz_access_log_retention,
							   "3 years",
							   PGC_SIGHUP,
							   0,
							   CheckRetention, NULL, NULL);
	/* (a server setting can be defined only while the server starts) */
	if (process_shared_preload_libraries_in_progress)
		DefineCustomStringVariable("ezz.database",
								   "Database the ezz worker connects to (the one with the ezz extension).",
								   "Empty (the default): no worker; status changes then send their NOTIFY themselves, "
								   "which makes concurrent commits wait for one another.",
								   &ezz_database,
								   "",
								   PGC_POSTMASTER,
								   0,
								   NULL, NULL, NULL);
	DefineCustomIntVariable("ezz.calls_per_minute",
							"Use calls a department may make a minute, unless ezz.use_limit says otherwise.",
							"Search, find, verify, claims, data and download calls; over it they are refused (53400) and logged.",
							&ezz_calls_per_minute,
							600, 1, 1000000,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("ezz.rows_per_call",
							"Licences one search or find call may list, unless ezz.use_limit says otherwise.",
							"A call that would list more is refused (53400) and logged; bulk reads go through an approved analysis request.",
							&ezz_rows_per_call,
							100, 1, 100000,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);
	/* (set by ezz.act_for_holder, transaction-local; blind indexes only) */
	DefineCustomStringVariable("ezz.acting_holder",
							   "The holder the holder agent acts for in this transaction (set by ezz.act_for_holder).",
							   "\"<identity type>:<blind index hex>,...\": keyed blind indexes, never the number.",
							   &ezz_acting_holder,
							   "",
							   PGC_USERSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   CheckActingHolder, NULL, NULL);
	MarkGUCPrefixReserved("ezz");

	if (!process_shared_preload_libraries_in_progress)
		return;
	ezz_preloaded = true;
	PrevShmemRequest = shmem_request_hook;
	shmem_request_hook = EzzShmemRequest;
	PrevShmemStartup = shmem_startup_hook;
	shmem_startup_hook = EzzShmemStartup;
	ezz_worker_register();
	ezz_access_register();
}

/*
 * Quote a literal for an error message: at most EZZ_QUOTE_MAX bytes, cut on a
 * character boundary, with "..." when cut.
 */
char *
ezz_quote_literal(const char *s, size_t len)
{
	StringInfoData buf;
	size_t		n = len;

	if (n > EZZ_QUOTE_MAX)
		n = pg_mbcliplen(s, (int) len, EZZ_QUOTE_MAX);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '"');
	appendBinaryStringInfo(&buf, s, (int) n);
	if (n < len)
		appendStringInfoString(&buf, "...");
	appendStringInfoChar(&buf, '"');
	return buf.data;
}

/* A safe rendering of an offending byte for a message (no broken UTF-8). */
char *
ezz_describe_char(char c)
{
	unsigned char u = (unsigned char) c;

	if (u >= 0x80)
		return pstrdup("a non-ASCII character");
	if (u < 0x20 || u == 0x7f)
		return psprintf("a control character (0x%02X)", u);
	return psprintf("\"%c\"", c);
}

PG_FUNCTION_INFO_V1(ezz_assert_preloaded);

/*
 * Called first by the install script: ezz needs shared memory and a
 * background worker, which only a preloaded library can have.
 */
Datum
ezz_assert_preloaded(PG_FUNCTION_ARGS)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("ezz needs a database with UTF8 encoding"),
				 errdetail("This database's encoding is %s; licence data is Chinese text, normalised to Unicode NFC.",
						   GetDatabaseEncodingName()),
				 errhint("CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0, then CREATE EXTENSION ezz there.")));
	if (!ezz_preloaded)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("ezz must be loaded via shared_preload_libraries"),
				 errdetail("ezz keeps its access-record queue in shared memory and runs a background worker, which only a preloaded library can do."),
				 errhint("Add ezz to shared_preload_libraries in postgresql.conf, restart the server, then run CREATE EXTENSION ezz again.")));
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(ezz_session_is_superuser);

/*
 * ezz._session_is_superuser(): whether the session's login (not the current
 * user, which is ezz_owner inside a SECURITY DEFINER function) is a superuser.
 * From the role cache: access checks call it on every verification.
 */
Datum
ezz_session_is_superuser(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(superuser_arg(GetSessionUserId()));
}
