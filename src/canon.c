/*
 * canon.c — RFC 8785 JSON Canonicalization Scheme (JCS) over jsonb.
 *
 * jsonb does not give the canonical form for free: it sorts object keys
 * length first, keeps numbers as written (4.50, 1e400, integers beyond 2^53)
 * and has its own output format.  Here:
 *   - object members are sorted by their names as UTF-16 code units;
 *   - numbers are IEEE 754 doubles written as ECMAScript's Number.toString
 *     writes them: the shortest digits that read back to the same double,
 *     fixed notation for exponents -7 < e < 21, else
 *     d.ddde±x; -0 is 0; a number beyond the double range is an error;
 *   - strings escape only '"', '\\' and the control characters below U+0020
 *     (\b \f \n \r \t, else \u00xx), everything else is written as UTF-8;
 *   - no insignificant white space.
 */
#include "postgres.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#include "canon.h"
#include "ezz.h"

/* ---------------------------------------------------------------------------
 * Numbers
 * ---------------------------------------------------------------------------
 */

/*
 * The shortest decimal digits that read back as d (d > 0, finite), and the
 * decimal exponent: d ~ 0.digits x 10^n.  ECMAScript's rule (ES2015 7.1.12.1):
 * the fewest digits k such that the decimal reads back as d; among those,
 * the closest to d.  printf's %.*e rounds correctly, and if p digits read back
 * then so do p + 1, so a binary search over 1..17 digits finds k.  (Ryu, as
 * PostgreSQL ships it, leaves interval bounds out and writes 1e23 as
 * 9.999999999999999e+22; ECMAScript writes 1e+23.)
 */
static int
ShortestDigits(double d, char *digits, int *n)
{
	char		buf[40];
	int			lo = 1,
				hi = 17;
	int			k = 0;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		snprintf(buf, sizeof(buf), "%.*e", mid - 1, d);
		if (strtod(buf, NULL) == d)
			hi = mid;
		else
			lo = mid + 1;
	}
	snprintf(buf, sizeof(buf), "%.*e", lo - 1, d);
	/* buf is d[.ddd]e±xx */
	for (const char *p = buf; *p != 'e'; p++)
		if (*p != '.')
			digits[k++] = *p;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	*n = atoi(strchr(buf, 'e') + 1) + 1;
	return k;
}

/*
 * Write d as ECMAScript Number.prototype.toString does, which is what RFC 8785
 * 3.2.2.3 requires.  Returns the length.
 */
int
ezz_es6_number(double d, char *out)
{
	char		digits[24];
	int			k;				/* number of significant digits */
	int			n;				/* d = 0.digits x 10^n */
	char	   *o = out;

	if (d == 0)					/* 0 and -0 */
	{
		strcpy(out, "0");
		return 1;
	}
	Assert(isfinite(d));
	if (d < 0)
	{
		*o++ = '-';
		d = -d;
	}
	k = ShortestDigits(d, digits, &n);

	if (k <= n && n <= 21)
	{
		memcpy(o, digits, k);
		o += k;
		for (int i = 0; i < n - k; i++)
			*o++ = '0';
	}
	else if (0 < n && n <= 21)
	{
		memcpy(o, digits, n);
		o += n;
		*o++ = '.';
		memcpy(o, digits + n, k - n);
		o += k - n;
	}
	else if (-6 < n && n <= 0)
	{
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -n; i++)
			*o++ = '0';
		memcpy(o, digits, k);
		o += k;
	}
	else
	{
		int			e = n - 1;

		*o++ = digits[0];
		if (k > 1)
		{
			*o++ = '.';
			memcpy(o, digits + 1, k - 1);
			o += k - 1;
		}
		o += sprintf(o, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
	}
	*o = '\0';
	return (int) (o - out);
}

/* The nearest double; false if the number is beyond the double range. */
bool
ezz_numeric_to_double(Numeric num, double *d)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	char	   *end;

	errno = 0;
	*d = strtod(text, &end);
	pfree(text);
	return isfinite(*d) && !(errno == ERANGE && (*d == HUGE_VAL || *d == -HUGE_VAL));
}

/*
 * numeric -> double -> numeric: the numeric the double writes back as (its
 * ES6 form), and whether that is the same value as num.  4.50 survives (as
 * 4.5); 333333333.33333329, 9007199254740993 and 1e400 do not.
 */
Numeric
ezz_numeric_round_trip(Numeric num, bool *survives)
{
	double		d;
	char		buf[EZZ_ES6_NUMBER_MAX];
	Numeric		back;

	if (!ezz_numeric_to_double(num, &d))
	{
		*survives = false;
		return num;
	}
	ezz_es6_number(d, buf);
	back = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	*survives = DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
												  NumericGetDatum(back))) == 0;
	return back;
}

static void
EmitNumber(StringInfo out, Numeric num)
{
	double		d;
	char		buf[EZZ_ES6_NUMBER_MAX];

	if (!ezz_numeric_to_double(num, &d))
	{
		char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));

		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number %s is out of range for canonical JSON", ezz_quote_literal(text, strlen(text))),
				 errdetail("RFC 8785 numbers are IEEE 754 double precision values; this one is beyond about 1.8e308.")));
	}
	appendBinaryStringInfo(out, buf, ezz_es6_number(d, buf));
}

/* ---------------------------------------------------------------------------
 * Strings
 * ---------------------------------------------------------------------------
 */

/*
 * Each byte as it is written in a JSON string: itself, or its escape (RFC
 * 8785 §3.2.2.2: '"', '\\' and the control characters), as up to 6 bytes in
 * an 8-byte slot and a length — so that escaping is a copy and an add per
 * byte, with no branch.
 */
static char EscapeText[256][8];
static uint8 EscapeLength[256];
static bool EscapesReady = false;

static void
MakeEscapes(void)
{
	static const char hex[] = "0123456789abcdef";

	for (int c = 0; c < 256; c++)
	{
		const char *e = NULL;

		switch (c)
		{
			case '"':
				e = "\\\"";
				break;
			case '\\':
				e = "\\\\";
				break;
			case '\b':
				e = "\\b";
				break;
			case '\f':
				e = "\\f";
				break;
			case '\n':
				e = "\\n";
				break;
			case '\r':
				e = "\\r";
				break;
			case '\t':
				e = "\\t";
				break;
		}
		memset(EscapeText[c], 0, 8);
		if (e)
		{
			memcpy(EscapeText[c], e, 2);
			EscapeLength[c] = 2;
		}
		else if (c < 0x20)
		{
			char		u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

			memcpy(EscapeText[c], u, 6);
			EscapeLength[c] = 6;
		}
		else
		{
			EscapeText[c][0] = (char) c;
			EscapeLength[c] = 1;
		}
	}
	EscapesReady = true;
}

/*
 * A JSON string.  Its length is counted first and the buffer enlarged once
 * (with room for the last 8-byte slot): a ledger entry's string of many rows
 * is long and full of quotes, and an append per escape cost more than
 * hashing it.
 */
void
ezz_canon_string(StringInfo out, const char *s, int len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		need = 2;
	char	   *w;

	if (!EscapesReady)
		MakeEscapes();
	for (int i = 0; i < len; i++)
		need += EscapeLength[p[i]];
	if (need + 8 >= (size_t) (MaxAllocSize - out->len))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("string too long for canonical JSON"),
				 errdetail("The escaped string would be %zu bytes.", need)));
	enlargeStringInfo(out, (int) need + 8);
	w = out->data + out->len;
	*w++ = '"';
	if (need == (size_t) len + 2)
	{
		memcpy(w, s, len);
		w += len;
	}
	else
		for (int i = 0; i < len; i++)
		{
			memcpy(w, EscapeText[p[i]], 8);
			w += EscapeLength[p[i]];
		}
	*w++ = '"';
	out->len = w - out->data;
	out->data[out->len] = '\0';
}

/* ---------------------------------------------------------------------------
 * Member order: names compared as UTF-16 code units
 * ---------------------------------------------------------------------------
 */

typedef struct Utf16Reader
{
	const unsigned char *p;
	const unsigned char *end;
	int			pending;		/* low surrogate still to come, or -1 */
} Utf16Reader;

/* next UTF-16 code unit, or -1 at the end (input is valid UTF-8) */
static int
NextUnit(Utf16Reader *r)
{
	pg_wchar	cp;
	int			len;

	if (r->pending >= 0)
	{
		int			u = r->pending;

		r->pending = -1;
		return u;
	}
	if (r->p >= r->end)
		return -1;
	len = pg_utf_mblen(r->p);
	cp = utf8_to_unicode(r->p);
	r->p += len;
	if (cp < 0x10000)
		return (int) cp;
	cp -= 0x10000;
	r->pending = 0xDC00 + (int) (cp & 0x3FF);
	return 0xD800 + (int) (cp >> 10);
}

typedef struct Member
{
	JsonbValue	key;
	JsonbValue	value;
} Member;

/* RFC 8785 member order of two names (UTF-8 in, UTF-16 code units compared) */
int
ezz_canon_name_cmp(const char *a, int alen, const char *b, int blen)
{
	Utf16Reader ra = {(const unsigned char *) a, (const unsigned char *) a + alen, -1};
	Utf16Reader rb = {(const unsigned char *) b, (const unsigned char *) b + blen, -1};

	for (;;)
	{
		int			ua = NextUnit(&ra);
		int			ub = NextUnit(&rb);

		if (ua != ub)
			return ua < ub ? -1 : 1;	/* the end (-1) sorts first */
		if (ua < 0)
			return 0;
	}
}

static int
MemberCmp(const void *a, const void *b)
{
	const JsonbValue *ka = &((const Member *) a)->key;
	const JsonbValue *kb = &((const Member *) b)->key;

	return ezz_canon_name_cmp(ka->val.string.val, ka->val.string.len, kb->val.string.val, kb->val.string.len);
}

/* ---------------------------------------------------------------------------
 * Values
 * ---------------------------------------------------------------------------
 */

static void EmitContainer(StringInfo out, JsonbContainer *c);

static void
EmitValue(StringInfo out, JsonbValue *v)
{
	check_stack_depth();
	switch (v->type)
	{
		case jbvNull:
			appendStringInfoString(out, "null");
			break;
		case jbvBool:
			appendStringInfoString(out, v->val.boolean ? "true" : "false");
			break;
		case jbvNumeric:
			EmitNumber(out, v->val.numeric);
			break;
		case jbvString:
			ezz_canon_string(out, v->val.string.val, v->val.string.len);
			break;
		case jbvBinary:
			EmitContainer(out, v->val.binary.data);
			break;
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
}

static void
EmitContainer(StringInfo out, JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok = JsonbIteratorNext(&it, &v, true);

	if (tok == WJB_BEGIN_ARRAY)
	{
		bool		raw = v.val.array.rawScalar;
		bool		first = true;

		if (!raw)
			appendStringInfoCharMacro(out, '[');
		while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_ELEM)
		{
			if (!first)
				appendStringInfoCharMacro(out, ',');
			first = false;
			EmitValue(out, &v);
		}
		if (!raw)
			appendStringInfoCharMacro(out, ']');
	}
	else if (tok == WJB_BEGIN_OBJECT)
	{
		int			n = v.val.object.nPairs;
		Member	   *members = palloc(sizeof(Member) * Max(n, 1));
		int			m = 0;

		while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_KEY)
		{
			Assert(m < n);
			members[m].key = v;
			tok = JsonbIteratorNext(&it, &members[m].value, true);
			Assert(tok == WJB_VALUE);
			m++;
		}
		qsort(members, m, sizeof(Member), MemberCmp);
		appendStringInfoCharMacro(out, '{');
		for (int i = 0; i < m; i++)
		{
			if (i > 0)
				appendStringInfoCharMacro(out, ',');
			ezz_canon_string(out, members[i].key.val.string.val, members[i].key.val.string.len);
			appendStringInfoCharMacro(out, ':');
			EmitValue(out, &members[i].value);
		}
		appendStringInfoCharMacro(out, '}');
		pfree(members);
	}
	else
		elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
}

void
ezz_canonicalize(StringInfo out, Jsonb *jb)
{
	EmitContainer(out, &jb->root);
}

/* ezz.canonical_json(jsonb): the RFC 8785 form */
PG_FUNCTION_INFO_V1(ezz_canonical_json);
Datum
ezz_canonical_json(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	StringInfoData out;

	initStringInfo(&out);
	ezz_canonicalize(&out, jb);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/* ezz.es6_number(double precision): a double as RFC 8785 writes it */
PG_FUNCTION_INFO_V1(ezz_es6_number_sql);
Datum
ezz_es6_number_sql(PG_FUNCTION_ARGS)
{
	float8		d = PG_GETARG_FLOAT8(0);
	char		buf[EZZ_ES6_NUMBER_MAX];

	if (!isfinite(d))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s has no JSON form", isnan(d) ? "NaN" : "infinity"),
				 errdetail("RFC 8785 numbers are finite IEEE 754 values.")));
	ezz_es6_number(d, buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}
