/*
 * rowcodec.h — the canonical row encoding and the ledger's hash labels
 * (rowcodec.c), shared with the audit trigger and the Merkle trees (ledger.c).
 */
#ifndef EZZ_ROWCODEC_H
#define EZZ_ROWCODEC_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/bitmapset.h"
#include "utils/relcache.h"

/* "SM3" or "SHA256": the OpenSSL name of an EzzLedgerHash */
extern const char *ezz_ledger_hash_name(int alg);
/* "sm3" or "sha256" from SQL, else 22023 */
extern int	ezz_ledger_hash_parse(text *t);
/* "sm3:<hex>" of the bytes */
extern char *ezz_labelled_hash(int alg, const char *data, size_t len);
/* the row as canonical JSON (only: the columns to keep, as relcache bitmaps) */
extern void ezz_encode_row(StringInfo out, TupleDesc desc, HeapTuple tuple, Bitmapset *only);
/* the table's primary-key columns (NULL: none) */
extern Bitmapset *ezz_key_columns(Relation rel);
/* a composite argument as a tuple, its descriptor (kept by the call site) and its table's key */
extern TupleDesc ezz_row_arg(FunctionCallInfo fcinfo, int argno, HeapTupleData *tuple, Bitmapset **key);
extern void ezz_encode_arg_row(FunctionCallInfo fcinfo, int argno, StringInfo out);

#endif							/* EZZ_ROWCODEC_H */
