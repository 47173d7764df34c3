/*
 * ident.h — the SQL types ezz.uscc and ezz.licence_ident.
 */
#ifndef EZZ_IDENT_H
#define EZZ_IDENT_H

#include "postgres.h"
#include "fmgr.h"

#include "idparse.h"

/* ezz.uscc: 18 bytes, fixed length, passed by reference */
typedef struct Uscc
{
	char		code[EZZ_USCC_LEN];
} Uscc;

#define DatumGetUsccP(X)		((Uscc *) DatumGetPointer(X))
#define UsccPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_USCC_P(n)		DatumGetUsccP(PG_GETARG_DATUM(n))
#define PG_RETURN_USCC_P(x)		return UsccPGetDatum(x)

/*
 * ezz.licence_ident: a varlena whose payload is
 *   byte 0     storage format (1)
 *   byte 1     serial length, 1..64
 *   bytes 2-3  version, big-endian, 1..999
 *   bytes 4-   type code, issuer code and serial as 6-bit codes (0-9 -> 0-9,
 *              A-Z -> 10-35), most significant bit first, zero-padded
 * The root and the dots are implied; the check character is derived.
 * Packing preserves order, so comparison is a memcmp of the packed bytes,
 * then the serial length, then the version.
 */
#define EZZ_IDENT_FORMAT		1
#define EZZ_IDENT_HDRSZ			4
#define EZZ_IDENT_FIXED_CHARS	(EZZ_TYPE_CODE_LEN + EZZ_USCC_LEN)

#define DatumGetLicenceIdentP(X)	((struct varlena *) PG_DETOAST_DATUM_PACKED(X))
#define PG_GETARG_LICENCE_IDENT_P(n)	DatumGetLicenceIdentP(PG_GETARG_DATUM(n))
#define PG_RETURN_LICENCE_IDENT_P(x)	PG_RETURN_POINTER(x)

extern struct varlena *ezz_ident_build(const EzzIdentParts *parts);
extern void ezz_ident_unpack(const struct varlena *ident, EzzIdentParts *parts);
extern Uscc *ezz_uscc_from_cstring(const char *s, size_t len);
extern PGDLLEXPORT Datum ezz_licence_ident_out(PG_FUNCTION_ARGS);

#endif							/* EZZ_IDENT_H */
