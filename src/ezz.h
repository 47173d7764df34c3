/*
 * ezz.h — what every concern of ezz shares: settings and module state.
 */
#ifndef EZZ_EZZ_H
#define EZZ_EZZ_H

#include "postgres.h"

/* ezz.uscc_check: what to do with a code whose GB 32100 check character is wrong */
typedef enum EzzUsccCheck
{
	EZZ_USCC_CHECK_ERROR,
	EZZ_USCC_CHECK_WARNING
} EzzUsccCheck;

extern int	ezz_uscc_check;
extern int	ezz_default_algorithm;
extern char *ezz_timezone;
extern char *ezz_database;
extern int	ezz_calls_per_minute;
extern int	ezz_rows_per_call;

/* true when the library was loaded through shared_preload_libraries */
extern bool ezz_preloaded;

/* Quote at most this many bytes of a rejected literal in an error message. */
#define EZZ_QUOTE_MAX 80

extern char *ezz_quote_literal(const char *s, size_t len);
extern char *ezz_describe_char(char c);

/* ezz.ledger_hash (ledger.c) */
typedef enum EzzLedgerHash
{
	EZZ_LEDGER_SM3,
	EZZ_LEDGER_SHA256
} EzzLedgerHash;
extern int	ezz_ledger_hash;

/* the ezz ledger worker of this database (access.c): start it if it is not running */
extern void ezz_ledger_worker_ensure(void);
/* its utility hook, from _PG_init when preloaded (access.c) */
extern void ezz_access_register(void);

/*
 * Shared memory, from ezz.c's hooks when preloaded: each part asks for what it
 * needs, then sets it up (with AddinShmemInitLock held) — the ledger queues
 * (access.c), the rate limiter (ratelimit.c), the ezz worker (worker.c).
 */
extern void ezz_access_shmem_request(void);
extern void ezz_access_shmem_init(void);
extern void ezz_ratelimit_shmem_request(void);
extern void ezz_ratelimit_shmem_init(void);
extern void ezz_worker_shmem_request(void);
extern void ezz_worker_shmem_init(void);

/* a licence status label in words: 'revoked 吊销' (lifecycle.c) */
extern const char *ezz_status_words_of(const char *label);

/* the ezz worker (worker.c) */
extern void ezz_worker_register(void);
extern bool ezz_worker_serves_database(void);
extern void ezz_worker_wake(int64 event_id);

#endif							/* EZZ_EZZ_H */
