/*
 * person.h — identity document numbers and masking, for other C files.
 */
#ifndef EZZ_PERSON_H
#define EZZ_PERSON_H

#include "postgres.h"
#include "fmgr.h"

extern PGDLLEXPORT Datum ezz_holder_id_normalize(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum ezz_mask(PG_FUNCTION_ARGS);

#endif							/* EZZ_PERSON_H */
