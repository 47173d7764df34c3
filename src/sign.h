/*
 * sign.h — licence signatures (sign.c), for the C that verifies them.
 */
#ifndef EZZ_SIGN_H
#define EZZ_SIGN_H

#include "postgres.h"

#include "utils/jsonb.h"

extern const char *ezz_document_signature_problem(int64 key_id, const char *algorithm, const bytea *public_der,
												  const char *fingerprint, Jsonb *doc, const bytea *sig);

#endif							/* EZZ_SIGN_H */
