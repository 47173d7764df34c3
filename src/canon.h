/*
 * canon.h — RFC 8785 JSON Canonicalization Scheme over jsonb, and the number
 * rules that go with it.
 */
#ifndef EZZ_CANON_H
#define EZZ_CANON_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

/* longest ES6 form of a double: "-1.2345678901234567e-308" and a NUL */
#define EZZ_ES6_NUMBER_MAX 32

extern void ezz_canonicalize(StringInfo out, Jsonb *jb);
extern void ezz_canon_string(StringInfo out, const char *s, int len);
extern int	ezz_canon_name_cmp(const char *a, int alen, const char *b, int blen);
extern int	ezz_es6_number(double d, char *out);
extern bool ezz_numeric_to_double(Numeric num, double *d);
extern Numeric ezz_numeric_round_trip(Numeric num, bool *survives);

#endif							/* EZZ_CANON_H */
