/*
 * ident.c — base types ezz.uscc (GB 32100 unified social credit code) and
 * ezz.licence_ident (GB/T 36904 licence identifier).
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "ezz.h"
#include "ident.h"

/* ---------------------------------------------------------------------------
 * Wording of problems
 * ---------------------------------------------------------------------------
 */

static const char UsccCharsAllowed[] = "0-9 and A-H, J-N, P-R, T, U, W-Y (no I, O, S, V, Z)";

static const char *
PartName(EzzIdentPart part)
{
	switch (part)
	{
		case EZZ_PART_ROOT:
			return "root";
		case EZZ_PART_TYPE_CODE:
			return "type code";
		case EZZ_PART_ISSUER:
			return "issuer code";
		case EZZ_PART_SERIAL:
			return "serial";
		case EZZ_PART_VERSION:
			return "version";
		case EZZ_PART_CHECK:
			return "check character";
		case EZZ_PART_WHOLE:
			break;
	}
	return "identifier";
}

static void
ReportUsccProblem(const char *in, size_t len, const EzzIdProblem *p)
{
	char	   *lit = ezz_quote_literal(in, len);

	switch (p->error)
	{
		case EZZ_ID_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid unified social credit code: empty string"),
					 errdetail("A unified social credit code has 18 characters."),
					 errhint("Example: 11100000000013338W.")));
			break;
		case EZZ_ID_BAD_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid length for unified social credit code %s", lit),
					 errdetail("It has %d characters; a unified social credit code has 18.", p->length),
					 errhint("Example: 11100000000013338W.")));
			break;
		case EZZ_ID_BAD_CHAR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid character in unified social credit code %s", lit),
					 errdetail("Character %d is %s; allowed are %s.",
							   p->position + 1, ezz_describe_char(p->found), UsccCharsAllowed)));
			break;
		case EZZ_ID_BAD_CHECK:
			ereport(ezz_uscc_check == EZZ_USCC_CHECK_WARNING ? WARNING : ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check character in unified social credit code %s", lit),
					 errdetail("The check character is %c; GB 32100 gives %c for the first 17 characters.",
							   p->found, p->expected),
					 ezz_uscc_check == EZZ_USCC_CHECK_WARNING ?
					 errhint("Accepted because ezz.uscc_check is \"warning\".") :
					 errhint("Look for a mistyped character. A real early pilot code can be accepted with SET ezz.uscc_check = warning.")));
			break;
		default:
			elog(ERROR, "unexpected unified social credit code problem %d", (int) p->error);
	}
}

/* Report an embedded code (definer or issuer) whose check character is wrong. */
static void
ReportEmbeddedUscc(const char *lit, EzzIdentPart part, const char *code)
{
	char		expected = ezz_uscc_check_char(code);

	ereport(ezz_uscc_check == EZZ_USCC_CHECK_WARNING ? WARNING : ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid check character in the %s of licence identifier %s",
					part == EZZ_PART_TYPE_CODE ? "type code's definer code" : "issuer code", lit),
			 errdetail("The unified social credit code %.18s ends in %c; GB 32100 gives %c.",
					   code, code[17], expected),
			 ezz_uscc_check == EZZ_USCC_CHECK_WARNING ?
			 errhint("Accepted because ezz.uscc_check is \"warning\".") :
			 errhint("Look for a mistyped character. A real early pilot code can be accepted with SET ezz.uscc_check = warning.")));
}

static void
ReportIdentProblem(const char *in, size_t len, const EzzIdProblem *p)
{
	char	   *lit = ezz_quote_literal(in, len);
	const char *hint = "A licence identifier reads 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>, "
		"e.g. 1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0.";
	const char *part = PartName(p->part);
	char	   *detail;

	switch (p->error)
	{
		case EZZ_ID_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid licence identifier: empty string"),
					 errhint("%s", hint)));
			break;
		case EZZ_ID_BAD_ROOT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid root in licence identifier %s", lit),
					 errdetail("A licence identifier starts with the root 1.2.156.3005.2 (电子证照根代码)."),
					 errhint("%s", hint)));
			break;
		case EZZ_ID_BAD_PARTS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid licence identifier %s", lit),
					 errdetail("After the root there must be 5 dot-separated parts (type code, issuer code, serial, version, check character); found %d.",
							   p->length),
					 errhint("%s", hint)));
			break;
		case EZZ_ID_BAD_LENGTH:
			switch (p->part)
			{
				case EZZ_PART_TYPE_CODE:
					detail = psprintf("The type code has %d characters; it must have 21: the defining department's 18-character unified social credit code and a 3-digit number.", p->length);
					break;
				case EZZ_PART_ISSUER:
					detail = psprintf("The issuer code has %d characters; it must be the issuing department's 18-character unified social credit code.", p->length);
					break;
				case EZZ_PART_SERIAL:
					detail = psprintf("The serial has %d characters; it must have 1 to 64.", p->length);
					break;
				case EZZ_PART_VERSION:
					detail = psprintf("The version has %d characters; it must be 3 digits, 001 to 999.", p->length);
					break;
				default:
					detail = psprintf("The check character part has %d characters; it must be exactly one.", p->length);
					break;
			}
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid %s in licence identifier %s", part, lit),
					 errdetail_internal("%s", detail),
					 errhint("%s", hint)));
			break;
		case EZZ_ID_BAD_CHAR:
			switch (p->part)
			{
				case EZZ_PART_TYPE_CODE:
					detail = psprintf(p->position < EZZ_USCC_LEN ?
									  "Character %d of the type code is %s; its first 18 characters are a unified social credit code (%s)." :
									  "Character %d of the type code is %s; its last 3 characters are digits%s.",
									  p->position + 1, ezz_describe_char(p->found),
									  p->position < EZZ_USCC_LEN ? UsccCharsAllowed : "");
					break;
				case EZZ_PART_ISSUER:
					detail = psprintf("Character %d of the issuer code is %s; allowed are %s.",
									  p->position + 1, ezz_describe_char(p->found), UsccCharsAllowed);
					break;
				case EZZ_PART_SERIAL:
					detail = psprintf("Character %d of the serial is %s; a serial has only 0-9 and A-Z.",
									  p->position + 1, ezz_describe_char(p->found));
					break;
				case EZZ_PART_VERSION:
					detail = psprintf("Character %d of the version is %s; the version is 3 digits.",
									  p->position + 1, ezz_describe_char(p->found));
					break;
				default:
					detail = psprintf("The check character is %s; it must be 0-9 or A-Z.",
									  ezz_describe_char(p->found));
					break;
			}
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid %s in licence identifier %s", part, lit),
					 errdetail_internal("%s", detail),
					 errhint("%s", hint)));
			break;
		case EZZ_ID_BAD_VERSION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid version in licence identifier %s", lit),
					 errdetail("The version is 000; versions start at 001 on first issue."),
					 errhint("%s", hint)));
			break;
		case EZZ_ID_BAD_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check character in licence identifier %s", lit),
					 errdetail("The check character is %c, but ISO 7064 MOD 37,36 over the parts gives %c.",
							   p->found, p->expected),
					 errhint("A mistyped or transposed character is the usual cause; compare with the licence.")));
			break;
		default:
			elog(ERROR, "unexpected licence identifier problem %d", (int) p->error);
	}
}

/* ---------------------------------------------------------------------------
 * ezz.uscc
 * ---------------------------------------------------------------------------
 */

Uscc *
ezz_uscc_from_cstring(const char *s, size_t len)
{
	Uscc	   *result = palloc(sizeof(Uscc));
	EzzIdProblem p;

	if (ezz_uscc_parse(s, len, result->code, &p) != EZZ_ID_OK)
		ReportUsccProblem(s, len, &p);	/* returns only for a tolerated pilot code */
	return result;
}

PG_FUNCTION_INFO_V1(ezz_uscc_in);
Datum
ezz_uscc_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);

	PG_RETURN_USCC_P(ezz_uscc_from_cstring(s, strlen(s)));
}

PG_FUNCTION_INFO_V1(ezz_uscc_out);
Datum
ezz_uscc_out(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);

	PG_RETURN_CSTRING(pnstrdup(u->code, EZZ_USCC_LEN));
}

/* Binary form: the 18 characters.  Validated like text input. */
PG_FUNCTION_INFO_V1(ezz_uscc_recv);
Datum
ezz_uscc_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const char *bytes = pq_getmsgbytes(buf, len);

	PG_RETURN_USCC_P(ezz_uscc_from_cstring(bytes, (size_t) len));
}

PG_FUNCTION_INFO_V1(ezz_uscc_send);
Datum
ezz_uscc_send(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, u->code, EZZ_USCC_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static int
UsccCmp(const Uscc *a, const Uscc *b)
{
	return memcmp(a->code, b->code, EZZ_USCC_LEN);
}

#define USCC_CMP_FN(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(UsccCmp(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1)) op 0); \
}

USCC_CMP_FN(ezz_uscc_eq, ==)
USCC_CMP_FN(ezz_uscc_ne, !=)
USCC_CMP_FN(ezz_uscc_lt, <)
USCC_CMP_FN(ezz_uscc_le, <=)
USCC_CMP_FN(ezz_uscc_gt, >)
USCC_CMP_FN(ezz_uscc_ge, >=)

PG_FUNCTION_INFO_V1(ezz_uscc_cmp);
Datum
ezz_uscc_cmp(PG_FUNCTION_ARGS)
{
	int			r = UsccCmp(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1));

	PG_RETURN_INT32(r < 0 ? -1 : (r > 0 ? 1 : 0));
}

PG_FUNCTION_INFO_V1(ezz_uscc_hash);
Datum
ezz_uscc_hash(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);

	return hash_any((const unsigned char *) u->code, EZZ_USCC_LEN);
}

PG_FUNCTION_INFO_V1(ezz_uscc_hash_extended);
Datum
ezz_uscc_hash_extended(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);

	return hash_any_extended((const unsigned char *) u->code, EZZ_USCC_LEN,
							 PG_GETARG_INT64(1));
}

/* ezz.uscc_valid(text): does it pass GB 32100, check character included? */
PG_FUNCTION_INFO_V1(ezz_uscc_valid);
Datum
ezz_uscc_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		code[EZZ_USCC_LEN];

	PG_RETURN_BOOL(ezz_uscc_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), code, NULL) == EZZ_ID_OK);
}

/* ezz.uscc_complete(text): the first 17 characters, with the check character added */
PG_FUNCTION_INFO_V1(ezz_uscc_complete);
Datum
ezz_uscc_complete(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	Uscc	   *result = palloc(sizeof(Uscc));

	if (len != 17)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid length for the first 17 characters of a unified social credit code %s",
						ezz_quote_literal(s, len)),
				 errdetail("It has %d characters; the check character is computed from exactly 17.", len)));
	for (int i = 0; i < 17; i++)
	{
		char		c = (s[i] >= 'a' && s[i] <= 'z') ? (char) (s[i] - 'a' + 'A') : s[i];

		if (ezz_uscc_value(c) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid character in unified social credit code %s", ezz_quote_literal(s, len)),
					 errdetail("Character %d is %s; allowed are %s.", i + 1, ezz_describe_char(s[i]),
							   UsccCharsAllowed)));
		result->code[i] = c;
	}
	result->code[17] = ezz_uscc_check_char(result->code);
	PG_RETURN_USCC_P(result);
}

/* ---------------------------------------------------------------------------
 * ezz.licence_ident
 * ---------------------------------------------------------------------------
 */

static int
PackedBytes(int nchars)
{
	return (nchars * 6 + 7) / 8;
}

static void
PackChars(const char *chars, int n, uint8 *out, int *bitpos)
{
	for (int i = 0; i < n; i++)
	{
		int			v = ezz_alnum36_value(chars[i]);

		Assert(v >= 0);
		for (int b = 5; b >= 0; b--)
		{
			if ((v >> b) & 1)
				out[*bitpos / 8] |= (uint8) (0x80 >> (*bitpos % 8));
			(*bitpos)++;
		}
	}
}

static void
UnpackChars(const uint8 *in, int n, char *chars, int *bitpos)
{
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	for (int i = 0; i < n; i++)
	{
		int			byte = *bitpos / 8;
		int			shift = 10 - *bitpos % 8;	/* 6 bits from a 16-bit window */
		int			v;

		/* (the packed bytes are zero-padded: in[byte + 1] exists when needed) */
		v = ((in[byte] << 8) | (shift < 8 ? in[byte + 1] : 0)) >> shift & 0x3f;
		*bitpos += 6;
		if (v >= 36)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("corrupted licence identifier value"),
					 errdetail("A packed character has code %d; codes run from 0 to 35.", v)));
		chars[i] = alphabet[v];
	}
}

struct varlena *
ezz_ident_build(const EzzIdentParts *parts)
{
	int			nchars = EZZ_IDENT_FIXED_CHARS + parts->serial_len;
	Size		size = VARHDRSZ + EZZ_IDENT_HDRSZ + PackedBytes(nchars);
	struct varlena *result = palloc0(size);
	uint8	   *d = (uint8 *) VARDATA(result);
	int			bit = 0;

	SET_VARSIZE(result, size);
	d[0] = EZZ_IDENT_FORMAT;
	d[1] = (uint8) parts->serial_len;
	d[2] = (uint8) (parts->version >> 8);
	d[3] = (uint8) (parts->version & 0xff);
	PackChars(parts->type_code, EZZ_TYPE_CODE_LEN, d + EZZ_IDENT_HDRSZ, &bit);
	PackChars(parts->issuer, EZZ_USCC_LEN, d + EZZ_IDENT_HDRSZ, &bit);
	PackChars(parts->serial, parts->serial_len, d + EZZ_IDENT_HDRSZ, &bit);
	return result;
}

void
ezz_ident_unpack(const struct varlena *ident, EzzIdentParts *parts)
{
	const uint8 *d = (const uint8 *) VARDATA_ANY(ident);
	Size		len = VARSIZE_ANY_EXHDR(ident);
	int			bit = 0;

	memset(parts, 0, sizeof(*parts));
	if (len < EZZ_IDENT_HDRSZ || d[0] != EZZ_IDENT_FORMAT || d[1] < 1 || d[1] > EZZ_SERIAL_MAX ||
		len != EZZ_IDENT_HDRSZ + (Size) PackedBytes(EZZ_IDENT_FIXED_CHARS + d[1]))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted licence identifier value"),
				 errdetail("Storage format %d, serial length %d, %zu bytes.", d[0], d[1], len)));
	parts->serial_len = d[1];
	parts->version = (d[2] << 8) | d[3];
	UnpackChars(d + EZZ_IDENT_HDRSZ, EZZ_TYPE_CODE_LEN, parts->type_code, &bit);
	UnpackChars(d + EZZ_IDENT_HDRSZ, EZZ_USCC_LEN, parts->issuer, &bit);
	UnpackChars(d + EZZ_IDENT_HDRSZ, parts->serial_len, parts->serial, &bit);
	parts->check = ezz_ident_check_char(parts);
}

/*
 * Accept parts that passed the grammar: embedded unified social credit codes
 * with a wrong check character are refused, or let through with a warning
 * under ezz.uscc_check = warning.
 */
static void
CheckEmbeddedCodes(const char *lit, const EzzIdentParts *parts)
{
	if (parts->definer_check_bad)
		ReportEmbeddedUscc(lit, EZZ_PART_TYPE_CODE, parts->type_code);
	if (parts->issuer_check_bad)
		ReportEmbeddedUscc(lit, EZZ_PART_ISSUER, parts->issuer);
}

PG_FUNCTION_INFO_V1(ezz_licence_ident_in);
Datum
ezz_licence_ident_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	EzzIdentParts parts;
	EzzIdProblem p;
	EzzIdError	err = ezz_ident_parse(s, len, &parts, &p);

	/* a wrong embedded code is the more precise message than the check */
	if (err == EZZ_ID_OK || err == EZZ_ID_BAD_CHECK)
	{
		if (parts.definer_check_bad || parts.issuer_check_bad)
			CheckEmbeddedCodes(ezz_quote_literal(s, len), &parts);
	}
	if (err != EZZ_ID_OK)
		ReportIdentProblem(s, len, &p);
	PG_RETURN_LICENCE_IDENT_P(ezz_ident_build(&parts));
}

PG_FUNCTION_INFO_V1(ezz_licence_ident_out);
Datum
ezz_licence_ident_out(PG_FUNCTION_ARGS)
{
	struct varlena *ident = PG_GETARG_LICENCE_IDENT_P(0);
	EzzIdentParts parts;
	char	   *out = palloc(EZZ_IDENT_TEXT_MAX + 1);

	ezz_ident_unpack(ident, &parts);
	if (ezz_ident_format(&parts, out, EZZ_IDENT_TEXT_MAX + 1) < 0)
		elog(ERROR, "licence identifier does not fit its text buffer");
	PG_RETURN_CSTRING(out);
}

/*
 * Binary wire format, version 1 (a contract for COPY BINARY and replication):
 *   uint8  wire format (1)
 *   uint8  serial length n
 *   21 bytes type code, 18 bytes issuer code, n bytes serial (ASCII, upper case)
 *   uint16 version (network order)
 *   uint8  check character (ASCII), verified on receipt
 */
#define EZZ_IDENT_WIRE_FORMAT 1

PG_FUNCTION_INFO_V1(ezz_licence_ident_send);
Datum
ezz_licence_ident_send(PG_FUNCTION_ARGS)
{
	struct varlena *ident = PG_GETARG_LICENCE_IDENT_P(0);
	EzzIdentParts parts;
	StringInfoData buf;

	ezz_ident_unpack(ident, &parts);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, EZZ_IDENT_WIRE_FORMAT);
	pq_sendbyte(&buf, (uint8) parts.serial_len);
	pq_sendbytes(&buf, parts.type_code, EZZ_TYPE_CODE_LEN);
	pq_sendbytes(&buf, parts.issuer, EZZ_USCC_LEN);
	pq_sendbytes(&buf, parts.serial, parts.serial_len);
	pq_sendint16(&buf, (uint16) parts.version);
	pq_sendbyte(&buf, (uint8) parts.check);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(ezz_licence_ident_recv);
Datum
ezz_licence_ident_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	EzzIdentParts parts;
	EzzIdProblem p;
	int			format = pq_getmsgbyte(buf);
	char		check;

	if (format != EZZ_IDENT_WIRE_FORMAT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format %d for licence identifier", format),
				 errdetail("This version of ezz reads binary format %d.", EZZ_IDENT_WIRE_FORMAT),
				 errhint("Upgrade ezz on the receiving side, or transfer in text format.")));
	memset(&parts, 0, sizeof(parts));
	parts.serial_len = pq_getmsgbyte(buf);
	if (parts.serial_len < 1 || parts.serial_len > EZZ_SERIAL_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serial length %d in binary licence identifier", parts.serial_len),
				 errdetail("A serial has 1 to 64 characters.")));
	memcpy(parts.type_code, pq_getmsgbytes(buf, EZZ_TYPE_CODE_LEN), EZZ_TYPE_CODE_LEN);
	memcpy(parts.issuer, pq_getmsgbytes(buf, EZZ_USCC_LEN), EZZ_USCC_LEN);
	memcpy(parts.serial, pq_getmsgbytes(buf, parts.serial_len), parts.serial_len);
	parts.version = (uint16) pq_getmsgint(buf, 2);
	check = (char) pq_getmsgbyte(buf);
	if (ezz_ident_validate_parts(&parts, &p) != EZZ_ID_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s in binary licence identifier", PartName(p.part)),
				 errdetail("The binary value does not fit the GB/T 36904 grammar.")));
	parts.check = ezz_ident_check_char(&parts);
	if (check != parts.check)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid check character in binary licence identifier"),
				 errdetail("The value carries %s, but its parts give %c.", ezz_describe_char(check), parts.check)));
	CheckEmbeddedCodes("(binary)", &parts);
	PG_RETURN_LICENCE_IDENT_P(ezz_ident_build(&parts));
}

static int
IdentCmp(struct varlena *a, struct varlena *b)
{
	const uint8 *da = (const uint8 *) VARDATA_ANY(a);
	const uint8 *db = (const uint8 *) VARDATA_ANY(b);
	Size		la = VARSIZE_ANY_EXHDR(a) - EZZ_IDENT_HDRSZ;
	Size		lb = VARSIZE_ANY_EXHDR(b) - EZZ_IDENT_HDRSZ;
	int			r = memcmp(da + EZZ_IDENT_HDRSZ, db + EZZ_IDENT_HDRSZ, Min(la, lb));

	if (r != 0)
		return r < 0 ? -1 : 1;
	/* equal packed prefix: the shorter serial is a prefix and sorts first */
	if (da[1] != db[1])
		return da[1] < db[1] ? -1 : 1;
	r = ((da[2] << 8) | da[3]) - ((db[2] << 8) | db[3]);
	return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

#define IDENT_CMP_FN(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	struct varlena *a = PG_GETARG_LICENCE_IDENT_P(0); \
	struct varlena *b = PG_GETARG_LICENCE_IDENT_P(1); \
	int			r = IdentCmp(a, b); \
	PG_FREE_IF_COPY(a, 0); \
	PG_FREE_IF_COPY(b, 1); \
	PG_RETURN_BOOL(r op 0); \
}

IDENT_CMP_FN(ezz_licence_ident_eq, ==)
IDENT_CMP_FN(ezz_licence_ident_ne, !=)
IDENT_CMP_FN(ezz_licence_ident_lt, <)
IDENT_CMP_FN(ezz_licence_ident_le, <=)
IDENT_CMP_FN(ezz_licence_ident_gt, >)
IDENT_CMP_FN(ezz_licence_ident_ge, >=)

PG_FUNCTION_INFO_V1(ezz_licence_ident_cmp);
Datum
ezz_licence_ident_cmp(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_LICENCE_IDENT_P(0);
	struct varlena *b = PG_GETARG_LICENCE_IDENT_P(1);
	int			r = IdentCmp(a, b);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	PG_RETURN_INT32(r);
}

/* Hash the payload after the storage-format byte: a future format must hash the same. */
PG_FUNCTION_INFO_V1(ezz_licence_ident_hash);
Datum
ezz_licence_ident_hash(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_LICENCE_IDENT_P(0);
	Datum		h = hash_any((const unsigned char *) VARDATA_ANY(a) + 1, VARSIZE_ANY_EXHDR(a) - 1);

	PG_FREE_IF_COPY(a, 0);
	return h;
}

PG_FUNCTION_INFO_V1(ezz_licence_ident_hash_extended);
Datum
ezz_licence_ident_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_LICENCE_IDENT_P(0);
	Datum		h = hash_any_extended((const unsigned char *) VARDATA_ANY(a) + 1,
									  VARSIZE_ANY_EXHDR(a) - 1, PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(a, 0);
	return h;
}

/* Accessors */

static void
GetParts(FunctionCallInfo fcinfo, EzzIdentParts *parts)
{
	ezz_ident_unpack(PG_GETARG_LICENCE_IDENT_P(0), parts);
}

PG_FUNCTION_INFO_V1(ezz_ident_type_code);
Datum
ezz_ident_type_code(PG_FUNCTION_ARGS)
{
	EzzIdentParts parts;

	GetParts(fcinfo, &parts);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(parts.type_code, EZZ_TYPE_CODE_LEN));
}

PG_FUNCTION_INFO_V1(ezz_ident_definer);
Datum
ezz_ident_definer(PG_FUNCTION_ARGS)
{
	EzzIdentParts parts;
	Uscc	   *u = palloc(sizeof(Uscc));

	GetParts(fcinfo, &parts);
	memcpy(u->code, parts.type_code, EZZ_USCC_LEN);
	PG_RETURN_USCC_P(u);
}

PG_FUNCTION_INFO_V1(ezz_ident_issuer);
Datum
ezz_ident_issuer(PG_FUNCTION_ARGS)
{
	EzzIdentParts parts;
	Uscc	   *u = palloc(sizeof(Uscc));

	GetParts(fcinfo, &parts);
	memcpy(u->code, parts.issuer, EZZ_USCC_LEN);
	PG_RETURN_USCC_P(u);
}

PG_FUNCTION_INFO_V1(ezz_ident_serial);
Datum
ezz_ident_serial(PG_FUNCTION_ARGS)
{
	EzzIdentParts parts;

	GetParts(fcinfo, &parts);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(parts.serial, parts.serial_len));
}

PG_FUNCTION_INFO_V1(ezz_ident_version);
Datum
ezz_ident_version(PG_FUNCTION_ARGS)
{
	EzzIdentParts parts;

	GetParts(fcinfo, &parts);
	PG_RETURN_INT32(parts.version);
}

PG_FUNCTION_INFO_V1(ezz_ident_check);
Datum
ezz_ident_check(PG_FUNCTION_ARGS)
{
	EzzIdentParts parts;

	GetParts(fcinfo, &parts);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(&parts.check, 1));
}

/* ezz.ident_valid(text): would the input function accept it (strict GB 32100)? */
PG_FUNCTION_INFO_V1(ezz_ident_valid);
Datum
ezz_ident_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	EzzIdentParts parts;

	if (ezz_ident_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &parts, NULL) != EZZ_ID_OK)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(!parts.definer_check_bad && !parts.issuer_check_bad);
}

/*
 * Build parts from separate values and report a problem in the wording of the
 * input function, naming the parts as the caller gave them.
 */
static struct varlena *
MakeIdent(text *type_code, const Uscc *issuer, text *serial, int32 version)
{
	EzzIdentParts parts;
	EzzIdProblem p;
	char	   *lit;
	int			tlen = VARSIZE_ANY_EXHDR(type_code);
	int			slen = VARSIZE_ANY_EXHDR(serial);
	const char *t = VARDATA_ANY(type_code);
	const char *s = VARDATA_ANY(serial);

	memset(&parts, 0, sizeof(parts));
	memset(&p, 0, sizeof(p));
	lit = psprintf("(%s, %.18s, %s, %d)",
				   ezz_quote_literal(t, tlen), issuer->code, ezz_quote_literal(s, slen), version);
	if (tlen != EZZ_TYPE_CODE_LEN)
	{
		p.error = EZZ_ID_BAD_LENGTH;
		p.part = EZZ_PART_TYPE_CODE;
		p.length = tlen;
		ReportIdentProblem(lit, strlen(lit), &p);
	}
	if (slen < 1 || slen > EZZ_SERIAL_MAX)
	{
		p.error = EZZ_ID_BAD_LENGTH;
		p.part = EZZ_PART_SERIAL;
		p.length = slen;
		ReportIdentProblem(lit, strlen(lit), &p);
	}
	if (version < 1 || version > EZZ_VERSION_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid version %d for a licence identifier", version),
				 errdetail("A version runs from 1 to 999 (written 001 to 999).")));
	for (int i = 0; i < tlen; i++)
		parts.type_code[i] = (t[i] >= 'a' && t[i] <= 'z') ? (char) (t[i] - 'a' + 'A') : t[i];
	memcpy(parts.issuer, issuer->code, EZZ_USCC_LEN);
	for (int i = 0; i < slen; i++)
		parts.serial[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char) (s[i] - 'a' + 'A') : s[i];
	parts.serial_len = slen;
	parts.version = version;
	if (ezz_ident_validate_parts(&parts, &p) != EZZ_ID_OK)
		ReportIdentProblem(lit, strlen(lit), &p);
	/* the issuer went through ezz.uscc input already; only the definer is new */
	parts.issuer_check_bad = false;
	CheckEmbeddedCodes(lit, &parts);
	return ezz_ident_build(&parts);
}

/* ezz.licence_ident(type_code, issuer, serial, version): computes the check character */
PG_FUNCTION_INFO_V1(ezz_licence_ident_make);
Datum
ezz_licence_ident_make(PG_FUNCTION_ARGS)
{
	PG_RETURN_LICENCE_IDENT_P(MakeIdent(PG_GETARG_TEXT_PP(0), PG_GETARG_USCC_P(1),
										PG_GETARG_TEXT_PP(2), PG_GETARG_INT32(3)));
}

/* ezz.ident_with_version(id, version): the same licence at another version */
PG_FUNCTION_INFO_V1(ezz_ident_with_version);
Datum
ezz_ident_with_version(PG_FUNCTION_ARGS)
{
	EzzIdentParts parts;
	int32		version = PG_GETARG_INT32(1);

	GetParts(fcinfo, &parts);
	if (version < 1 || version > EZZ_VERSION_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("version %d is out of range for a licence identifier", version),
				 errdetail("A version runs from 1 to 999."),
				 errhint("A licence changed 999 times needs a new serial.")));
	parts.version = version;
	PG_RETURN_LICENCE_IDENT_P(ezz_ident_build(&parts));
}
