/*
 * person.c — identity document numbers of holders (GB 11643, GB 32100 and the
 * other GB/T 36903 document types) and masking for display (脱敏).
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "ezz.h"
#include "idparse.h"
#include "person.h"

static const char *
HolderTypeName(const char *id_type)
{
	if (strcmp(id_type, "111") == 0)
		return "citizen identity number (居民身份证)";
	if (strcmp(id_type, "001") == 0)
		return "unified social credit code (统一社会信用代码)";
	if (strcmp(id_type, "516") == 0)
		return "Hong Kong/Macao travel permit (港澳通行证)";
	if (strcmp(id_type, "414") == 0)
		return "passport (护照)";
	if (strcmp(id_type, "099") == 0)
		return "other legal-person document";
	return "other natural-person document";
}

static void
ReportHolderIdProblem(const char *id_type, const char *in, size_t len, const EzzIdProblem *p)
{
	const char *what = HolderTypeName(id_type);
	char	   *lit = ezz_quote_literal(in, len);
	const char *form;

	if (strcmp(id_type, "111") == 0)
		form = "18 characters: 17 digits and a check character 0-9 or X (or a first-generation 15-digit number)";
	else if (strcmp(id_type, "001") == 0)
		form = "18 characters of 0-9 and A-H, J-N, P-R, T, U, W-Y";
	else if (strcmp(id_type, "516") == 0)
		form = "H, M or C followed by 8 to 10 letters or digits";
	else if (strcmp(id_type, "414") == 0)
		form = "5 to 17 letters or digits";
	else
		form = "1 to 64 bytes with no control characters and no space at either end";

	switch (p->error)
	{
		case EZZ_ID_BAD_TYPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown holder identity type %s", ezz_quote_literal(id_type, strlen(id_type))),
					 errdetail("Identity types are 111 (citizen identity number), 001 (unified social credit code), 099 (other legal-person document), 516 (Hong Kong/Macao travel permit), 414 (passport) and 999 (other natural-person document).")));
			break;
		case EZZ_ID_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid %s: empty string", what),
					 errdetail("Expected %s.", form)));
			break;
		case EZZ_ID_BAD_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid length for %s %s", what, lit),
					 errdetail("It has %d characters; expected %s.", p->length, form)));
			break;
		case EZZ_ID_BAD_CHAR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid character in %s %s", what, lit),
					 errdetail("Character %d is %s; expected %s.", p->position + 1, ezz_describe_char(p->found), form)));
			break;
		case EZZ_ID_BAD_DATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid birth date in %s %s", what, lit),
					 errdetail("Characters 7 to 14 (of the 18-digit form) must be a real date between 1800 and 2099.")));
			break;
		case EZZ_ID_BAD_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check character in %s %s", what, lit),
					 errdetail("The check character is %c; the first 17 characters give %c.", p->found, p->expected),
					 errhint("Look for a mistyped or transposed character.")));
			break;
		default:
			elog(ERROR, "unexpected identity number problem %d", (int) p->error);
	}
}

/* ezz.cn_id_valid(text): GB 11643 shape, birth date and check character */
PG_FUNCTION_INFO_V1(ezz_cn_id_valid);
Datum
ezz_cn_id_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		out[EZZ_CN_ID_LEN];

	PG_RETURN_BOOL(ezz_cn_id_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), out, NULL) == EZZ_ID_OK);
}

/* ezz.cn_id_normalize(text): the 18-character form, x folded, 15 digits converted */
PG_FUNCTION_INFO_V1(ezz_cn_id_normalize);
Datum
ezz_cn_id_normalize(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		out[EZZ_CN_ID_LEN];
	EzzIdProblem p;

	if (ezz_cn_id_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), out, &p) != EZZ_ID_OK)
		ReportHolderIdProblem("111", VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &p);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, EZZ_CN_ID_LEN));
}

static EzzIdError
ParseHolderId(FunctionCallInfo fcinfo, char *out, int *outlen, EzzIdProblem *p,
			  char **id_type, text **id)
{
	*id_type = text_to_cstring(PG_GETARG_TEXT_PP(0));
	*id = PG_GETARG_TEXT_PP(1);
	return ezz_holder_id_parse(*id_type, VARDATA_ANY(*id), VARSIZE_ANY_EXHDR(*id), out, outlen, p);
}

/* ezz.holder_id_normalize(id_type, id): the normal form, or an error saying what is wrong */
PG_FUNCTION_INFO_V1(ezz_holder_id_normalize);
Datum
ezz_holder_id_normalize(PG_FUNCTION_ARGS)
{
	char		out[EZZ_HOLDER_ID_MAX + 1];
	int			outlen;
	EzzIdProblem p;
	char	   *id_type;
	text	   *id;

	if (ParseHolderId(fcinfo, out, &outlen, &p, &id_type, &id) != EZZ_ID_OK)
		ReportHolderIdProblem(id_type, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id), &p);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, outlen));
}

/* ezz.holder_id_valid(id_type, id); an unknown type is an error, not false */
PG_FUNCTION_INFO_V1(ezz_holder_id_valid);
Datum
ezz_holder_id_valid(PG_FUNCTION_ARGS)
{
	char		out[EZZ_HOLDER_ID_MAX + 1];
	int			outlen;
	EzzIdProblem p;
	char	   *id_type;
	text	   *id;
	EzzIdError	err = ParseHolderId(fcinfo, out, &outlen, &p, &id_type, &id);

	if (err == EZZ_ID_BAD_TYPE)
		ReportHolderIdProblem(id_type, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id), &p);
	PG_RETURN_BOOL(err == EZZ_ID_OK);
}

/* ---------------------------------------------------------------------------
 * Masking (脱敏)
 *
 * Works on characters, not bytes.  Kinds:
 *   id       identity document number: 15 or more characters keep the first 3
 *            and last 4; 8 to 14 keep 2 and 2; 3 to 7 keep 1 and 1
 *   name     personal name: first character kept; 3 or more: last kept too
 *   phone    phone number: first 3 and last 4 of 11 kept; otherwise last 4
 *   address  first 6 characters kept, the rest replaced by a fixed "****"
 *   text     free text: first and last character kept, a fixed "***" between
 * ---------------------------------------------------------------------------
 */

typedef struct MaskChars
{
	const char *s;
	int			nbytes;
	int			nchars;
	int		   *offsets;		/* byte offset of each character, plus one past the end */
} MaskChars;

static void
SplitChars(text *t, MaskChars *mc)
{
	int			pos = 0;
	int			i = 0;

	mc->s = VARDATA_ANY(t);
	mc->nbytes = VARSIZE_ANY_EXHDR(t);
	mc->nchars = pg_mbstrlen_with_len(mc->s, mc->nbytes);
	mc->offsets = palloc(sizeof(int) * (mc->nchars + 1));
	while (pos < mc->nbytes)
	{
		mc->offsets[i++] = pos;
		pos += pg_mblen(mc->s + pos);
	}
	mc->offsets[i] = mc->nbytes;
}

/* keep the first `head` and last `tail` characters, the rest one '*' each */
static text *
KeepEnds(const MaskChars *mc, int head, int tail)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, mc->s, mc->offsets[head]);
	for (int i = head; i < mc->nchars - tail; i++)
		appendStringInfoChar(&buf, '*');
	appendBinaryStringInfo(&buf, mc->s + mc->offsets[mc->nchars - tail],
						   mc->nbytes - mc->offsets[mc->nchars - tail]);
	return cstring_to_text_with_len(buf.data, buf.len);
}

/* keep the first `head` characters and the last `tail`, with a fixed filler between */
static text *
KeepEndsFixed(const MaskChars *mc, int head, int tail, const char *filler)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, mc->s, mc->offsets[head]);
	appendStringInfoString(&buf, filler);
	appendBinaryStringInfo(&buf, mc->s + mc->offsets[mc->nchars - tail],
						   mc->nbytes - mc->offsets[mc->nchars - tail]);
	return cstring_to_text_with_len(buf.data, buf.len);
}

typedef enum MaskKind
{
	MASK_ID,
	MASK_NAME,
	MASK_PHONE,
	MASK_ADDRESS,
	MASK_TEXT
} MaskKind;

static MaskKind
ParseMaskKind(const char *kind)
{
	static const struct
	{
		const char *name;
		MaskKind	kind;
	}			kinds[] = {
		{"id", MASK_ID}, {"name", MASK_NAME}, {"phone", MASK_PHONE},
		{"address", MASK_ADDRESS}, {"text", MASK_TEXT}
	};

	for (size_t i = 0; i < lengthof(kinds); i++)
		if (strcmp(kind, kinds[i].name) == 0)
			return kinds[i].kind;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown mask kind %s", ezz_quote_literal(kind, strlen(kind))),
			 errdetail("Mask kinds are id, name, phone, address and text."),
			 errhint("Use id for identity document numbers, name for personal names, phone, address, or text for anything else.")));
	return MASK_TEXT;			/* keep the compiler quiet */
}

PG_FUNCTION_INFO_V1(ezz_mask);
Datum
ezz_mask(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);
	MaskKind	kind = ParseMaskKind(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	MaskChars	mc;
	int			n;

	SplitChars(value, &mc);
	n = mc.nchars;
	if (n == 0)
		PG_RETURN_TEXT_P(value);

	switch (kind)
	{
		case MASK_ID:
			if (n >= 15)
				PG_RETURN_TEXT_P(KeepEnds(&mc, 3, 4));
			if (n >= 8)
				PG_RETURN_TEXT_P(KeepEnds(&mc, 2, 2));
			if (n >= 3)
				PG_RETURN_TEXT_P(KeepEnds(&mc, 1, 1));
			PG_RETURN_TEXT_P(KeepEnds(&mc, 0, 0));
		case MASK_NAME:
			if (n == 1)
				PG_RETURN_TEXT_P(KeepEnds(&mc, 0, 0));
			if (n == 2)
				PG_RETURN_TEXT_P(KeepEnds(&mc, 1, 0));
			PG_RETURN_TEXT_P(KeepEnds(&mc, 1, 1));
		case MASK_PHONE:
			if (n == 11)
				PG_RETURN_TEXT_P(KeepEnds(&mc, 3, 4));
			if (n > 4)
				PG_RETURN_TEXT_P(KeepEnds(&mc, 0, 4));
			PG_RETURN_TEXT_P(KeepEnds(&mc, 0, 0));
		case MASK_ADDRESS:
			/* a short address keeps at most its first 2 characters */
			PG_RETURN_TEXT_P(KeepEndsFixed(&mc, n > 6 ? 6 : Min(n - 1, 2), 0, "****"));
		case MASK_TEXT:
			if (n <= 2)
				PG_RETURN_TEXT_P(KeepEndsFixed(&mc, 0, 0, "***"));
			PG_RETURN_TEXT_P(KeepEndsFixed(&mc, 1, 1, "***"));
	}
	PG_RETURN_NULL();			/* not reached */
}
