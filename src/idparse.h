/*
 * idparse.h — check-character algorithms and parsers for the identifiers ezz
 * handles: unified social credit codes (GB 32100), licence identifiers
 * (GB/T 36904, ISO 7064 MOD 37,36), citizen identity numbers (GB 11643) and
 * the other holder document numbers.
 *
 * Pure C: no PostgreSQL headers, no allocation.  ident.c wraps these into SQL
 * types and turns a problem into an ereport; test/fuzz links this file alone.
 */
#ifndef EZZ_IDPARSE_H
#define EZZ_IDPARSE_H

#include <stdbool.h>
#include <stddef.h>

#define EZZ_USCC_LEN		18
#define EZZ_TYPE_CODE_LEN	21
#define EZZ_SERIAL_MAX		64
#define EZZ_VERSION_MAX		999
#define EZZ_CN_ID_LEN		18
#define EZZ_HOLDER_ID_MAX	64
#define EZZ_IDENT_ROOT		"1.2.156.3005.2."
#define EZZ_IDENT_ROOT_LEN	15
/* root + type + '.' + issuer + '.' + serial + '.' + version + '.' + check */
#define EZZ_IDENT_TEXT_MAX	(EZZ_IDENT_ROOT_LEN + EZZ_TYPE_CODE_LEN + 1 + EZZ_USCC_LEN + 1 + EZZ_SERIAL_MAX + 1 + 3 + 1 + 1)

/* What went wrong, for the caller to word. */
typedef enum EzzIdError
{
	EZZ_ID_OK = 0,
	EZZ_ID_EMPTY,				/* nothing there */
	EZZ_ID_BAD_LENGTH,			/* length: what was found */
	EZZ_ID_BAD_CHAR,			/* position, found */
	EZZ_ID_BAD_CHECK,			/* found, expected */
	EZZ_ID_BAD_ROOT,			/* the fixed root is missing or wrong */
	EZZ_ID_BAD_PARTS,			/* length: the number of parts found */
	EZZ_ID_BAD_VERSION,			/* version 000 */
	EZZ_ID_BAD_DATE,			/* birth date in an identity number */
	EZZ_ID_BAD_TYPE				/* unknown holder identity type */
} EzzIdError;

/* Which part of a licence identifier a problem is in. */
typedef enum EzzIdentPart
{
	EZZ_PART_WHOLE = 0,
	EZZ_PART_ROOT,
	EZZ_PART_TYPE_CODE,
	EZZ_PART_ISSUER,
	EZZ_PART_SERIAL,
	EZZ_PART_VERSION,
	EZZ_PART_CHECK
} EzzIdentPart;

typedef struct EzzIdProblem
{
	EzzIdError	error;
	EzzIdentPart part;
	int			position;		/* 0-based offset inside the part */
	int			length;
	char		found;
	char		expected;
} EzzIdProblem;

/* The parts of a licence identifier, upper case, without dots. */
typedef struct EzzIdentParts
{
	char		type_code[EZZ_TYPE_CODE_LEN];
	char		issuer[EZZ_USCC_LEN];
	char		serial[EZZ_SERIAL_MAX];
	int			serial_len;
	int			version;
	char		check;
	/* embedded codes whose GB 32100 check character is wrong (pilot codes) */
	bool		definer_check_bad;
	bool		issuer_check_bad;
} EzzIdentParts;

/* GB 32100 unified social credit code */
extern int	ezz_uscc_value(char c);
extern char ezz_uscc_check_char(const char *first17);
extern EzzIdError ezz_uscc_parse(const char *in, size_t len, char out[EZZ_USCC_LEN],
								 EzzIdProblem *problem);

/* ISO 7064 MOD 37,36 over 0-9A-Z */
extern int	ezz_alnum36_value(char c);
extern char ezz_mod37_36_check(const char *data, size_t len);

/* GB/T 36904 licence identifier */
extern EzzIdError ezz_ident_parse(const char *in, size_t len, EzzIdentParts *out,
								  EzzIdProblem *problem);
extern EzzIdError ezz_ident_validate_parts(EzzIdentParts *parts, EzzIdProblem *problem);
extern char ezz_ident_check_char(const EzzIdentParts *parts);
extern int	ezz_ident_format(const EzzIdentParts *parts, char *out, size_t outlen);

/* GB 11643 citizen identity number; 15-digit numbers are converted to 18 */
extern char ezz_cn_id_check_char(const char *first17);
extern EzzIdError ezz_cn_id_parse(const char *in, size_t len, char out[EZZ_CN_ID_LEN],
								  EzzIdProblem *problem);

/* Holder document numbers by GB/T 36903 type code; out gets the normal form */
extern EzzIdError ezz_holder_id_parse(const char *id_type, const char *in, size_t len,
									  char out[EZZ_HOLDER_ID_MAX + 1], int *outlen,
									  EzzIdProblem *problem);

#endif							/* EZZ_IDPARSE_H */
