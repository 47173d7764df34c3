/*
 * idparse.c — check-character algorithms and parsers (see idparse.h).
 *
 * Everything here works on caller-provided buffers and returns a problem
 * description instead of raising, so that the same code serves the SQL types,
 * the boolean validators and the fuzz harnesses.
 */
#include "idparse.h"

#include <string.h>

/* GB 32100: 31 characters, no I, O, S, V, Z */
static const char UsccAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int UsccWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static const char Alnum36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* GB 11643 */
static const int CnIdWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char CnIdCheck[] = "10X98765432";

static char
FoldUpper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
}

static bool
IsDigit(char c)
{
	return c >= '0' && c <= '9';
}

static void
SetProblem(EzzIdProblem *p, EzzIdError error, EzzIdentPart part, int position,
		   int length, char found, char expected)
{
	if (p == NULL)
		return;
	p->error = error;
	p->part = part;
	p->position = position;
	p->length = length;
	p->found = found;
	p->expected = expected;
}

int
ezz_uscc_value(char c)
{
	const char *hit;

	if (c == '\0')
		return -1;
	hit = strchr(UsccAlphabet, c);
	return hit ? (int) (hit - UsccAlphabet) : -1;
}

char
ezz_uscc_check_char(const char *first17)
{
	int			sum = 0;

	for (int i = 0; i < 17; i++)
		sum += ezz_uscc_value(first17[i]) * UsccWeights[i];
	return UsccAlphabet[(31 - sum % 31) % 31];
}

/*
 * Parse an 18-character unified social credit code.  Lower case is folded.
 * A wrong check character is reported as EZZ_ID_BAD_CHECK with the code still
 * written to out, so that a caller may accept an early pilot code.
 */
EzzIdError
ezz_uscc_parse(const char *in, size_t len, char out[EZZ_USCC_LEN], EzzIdProblem *problem)
{
	char		expected;

	if (len == 0)
	{
		SetProblem(problem, EZZ_ID_EMPTY, EZZ_PART_WHOLE, 0, 0, 0, 0);
		return EZZ_ID_EMPTY;
	}
	if (len != EZZ_USCC_LEN)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_WHOLE, 0, (int) len, 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	for (int i = 0; i < EZZ_USCC_LEN; i++)
	{
		char		c = FoldUpper(in[i]);

		if (ezz_uscc_value(c) < 0)
		{
			SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_WHOLE, i, 0, in[i], 0);
			return EZZ_ID_BAD_CHAR;
		}
		out[i] = c;
	}
	expected = ezz_uscc_check_char(out);
	if (out[17] != expected)
	{
		SetProblem(problem, EZZ_ID_BAD_CHECK, EZZ_PART_WHOLE, 17, 0, out[17], expected);
		return EZZ_ID_BAD_CHECK;
	}
	SetProblem(problem, EZZ_ID_OK, EZZ_PART_WHOLE, 0, 0, 0, 0);
	return EZZ_ID_OK;
}

int
ezz_alnum36_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

/*
 * ISO 7064 MOD 37,36 hybrid system, as GB/T 36904 uses it:
 * p = 36; for each c: t = (p + value(c)) mod 36, 0 -> 36; p = 2t mod 37;
 * check = alphabet[(37 - p) mod 36].
 */
char
ezz_mod37_36_check(const char *data, size_t len)
{
	/* the step as a table: next[p][value] (p runs 1..36), made once */
	static unsigned char next[37][36];
	static int	ready = 0;
	int			p = 36;

	if (!ready)
	{
		for (int q = 1; q <= 36; q++)
			for (int v = 0; v < 36; v++)
			{
				int			t = (q + v) % 36;

				next[q][v] = (unsigned char) ((2 * (t == 0 ? 36 : t)) % 37);
			}
		ready = 1;
	}
	for (size_t i = 0; i < len; i++)
	{
		int			v = ezz_alnum36_value(data[i]);

		/* (the grammar lets only 0-9 and A-Z through; anything else is 0) */
		p = next[p][v < 0 ? 0 : v];
	}
	return Alnum36[(37 - p) % 36];
}

char
ezz_ident_check_char(const EzzIdentParts *parts)
{
	char		buf[EZZ_TYPE_CODE_LEN + EZZ_USCC_LEN + EZZ_SERIAL_MAX + 3];
	size_t		n = 0;

	memcpy(buf + n, parts->type_code, EZZ_TYPE_CODE_LEN);
	n += EZZ_TYPE_CODE_LEN;
	memcpy(buf + n, parts->issuer, EZZ_USCC_LEN);
	n += EZZ_USCC_LEN;
	memcpy(buf + n, parts->serial, parts->serial_len);
	n += parts->serial_len;
	buf[n++] = (char) ('0' + parts->version / 100);
	buf[n++] = (char) ('0' + parts->version / 10 % 10);
	buf[n++] = (char) ('0' + parts->version % 10);
	return ezz_mod37_36_check(buf, n);
}

/*
 * Check the parts (already upper case) for grammar; does not look at the check
 * character.  Embedded codes with a wrong GB 32100 check character are not an
 * error here: the flags in parts say so and the caller decides.
 */
EzzIdError
ezz_ident_validate_parts(EzzIdentParts *parts, EzzIdProblem *problem)
{
	for (int i = 0; i < EZZ_TYPE_CODE_LEN; i++)
	{
		char		c = parts->type_code[i];
		bool		ok = (i < EZZ_USCC_LEN) ? ezz_uscc_value(c) >= 0 : IsDigit(c);

		if (!ok)
		{
			SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_TYPE_CODE, i, 0, c, 0);
			return EZZ_ID_BAD_CHAR;
		}
	}
	for (int i = 0; i < EZZ_USCC_LEN; i++)
	{
		if (ezz_uscc_value(parts->issuer[i]) < 0)
		{
			SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_ISSUER, i, 0, parts->issuer[i], 0);
			return EZZ_ID_BAD_CHAR;
		}
	}
	if (parts->serial_len < 1 || parts->serial_len > EZZ_SERIAL_MAX)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_SERIAL, 0, parts->serial_len, 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	for (int i = 0; i < parts->serial_len; i++)
	{
		if (ezz_alnum36_value(parts->serial[i]) < 0)
		{
			SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_SERIAL, i, 0, parts->serial[i], 0);
			return EZZ_ID_BAD_CHAR;
		}
	}
	if (parts->version < 1 || parts->version > EZZ_VERSION_MAX)
	{
		SetProblem(problem, EZZ_ID_BAD_VERSION, EZZ_PART_VERSION, 0, parts->version, 0, 0);
		return EZZ_ID_BAD_VERSION;
	}
	parts->definer_check_bad = ezz_uscc_check_char(parts->type_code) != parts->type_code[17];
	parts->issuer_check_bad = ezz_uscc_check_char(parts->issuer) != parts->issuer[17];
	SetProblem(problem, EZZ_ID_OK, EZZ_PART_WHOLE, 0, 0, 0, 0);
	return EZZ_ID_OK;
}

/* Copy one dot-separated field, folded to upper case; false if it does not fit. */
static bool
TakeField(const char *s, size_t len, char *dst, size_t cap)
{
	if (len > cap)
		return false;
	for (size_t i = 0; i < len; i++)
		dst[i] = FoldUpper(s[i]);
	return true;
}

/*
 * Parse "1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>".
 * Lower case is folded; nothing else is forgiven.
 */
EzzIdError
ezz_ident_parse(const char *in, size_t len, EzzIdentParts *out, EzzIdProblem *problem)
{
	const char *field[5];
	size_t		flen[5];
	int			nfields = 0;
	const char *s;
	const char *end = in + len;
	EzzIdError	err;
	char		expected;

	memset(out, 0, sizeof(*out));
	if (len == 0)
	{
		SetProblem(problem, EZZ_ID_EMPTY, EZZ_PART_WHOLE, 0, 0, 0, 0);
		return EZZ_ID_EMPTY;
	}
	if (len < EZZ_IDENT_ROOT_LEN || memcmp(in, EZZ_IDENT_ROOT, EZZ_IDENT_ROOT_LEN) != 0)
	{
		SetProblem(problem, EZZ_ID_BAD_ROOT, EZZ_PART_ROOT, 0, 0, 0, 0);
		return EZZ_ID_BAD_ROOT;
	}

	/* split what follows the root on dots */
	s = in + EZZ_IDENT_ROOT_LEN;
	for (;;)
	{
		const char *dot = memchr(s, '.', (size_t) (end - s));
		const char *stop = dot ? dot : end;

		if (nfields < 5)
		{
			field[nfields] = s;
			flen[nfields] = (size_t) (stop - s);
		}
		nfields++;
		if (dot == NULL)
			break;
		s = dot + 1;
	}
	if (nfields != 5)
	{
		SetProblem(problem, EZZ_ID_BAD_PARTS, EZZ_PART_WHOLE, 0, nfields, 0, 0);
		return EZZ_ID_BAD_PARTS;
	}

	/* type code */
	if (flen[0] != EZZ_TYPE_CODE_LEN)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_TYPE_CODE, 0, (int) flen[0], 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	TakeField(field[0], flen[0], out->type_code, EZZ_TYPE_CODE_LEN);

	/* issuer code */
	if (flen[1] != EZZ_USCC_LEN)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_ISSUER, 0, (int) flen[1], 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	TakeField(field[1], flen[1], out->issuer, EZZ_USCC_LEN);

	/* serial */
	if (flen[2] < 1 || !TakeField(field[2], flen[2], out->serial, EZZ_SERIAL_MAX))
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_SERIAL, 0, (int) flen[2], 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	out->serial_len = (int) flen[2];

	/* version: exactly three digits */
	if (flen[3] != 3)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_VERSION, 0, (int) flen[3], 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	out->version = 0;
	for (int i = 0; i < 3; i++)
	{
		char		c = field[3][i];

		if (!IsDigit(c))
		{
			SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_VERSION, i, 0, c, 0);
			return EZZ_ID_BAD_CHAR;
		}
		out->version = out->version * 10 + (c - '0');
	}

	/* check character */
	if (flen[4] != 1)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_CHECK, 0, (int) flen[4], 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	out->check = FoldUpper(field[4][0]);
	if (ezz_alnum36_value(out->check) < 0)
	{
		SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_CHECK, 0, 0, field[4][0], 0);
		return EZZ_ID_BAD_CHAR;
	}

	err = ezz_ident_validate_parts(out, problem);
	if (err != EZZ_ID_OK)
		return err;

	expected = ezz_ident_check_char(out);
	if (out->check != expected)
	{
		SetProblem(problem, EZZ_ID_BAD_CHECK, EZZ_PART_CHECK, 0, 0, out->check, expected);
		return EZZ_ID_BAD_CHECK;
	}
	return EZZ_ID_OK;
}

/* Write the text form; returns its length, or -1 if outlen is too small. */
int
ezz_ident_format(const EzzIdentParts *parts, char *out, size_t outlen)
{
	size_t		n = 0;
	size_t		need = EZZ_IDENT_ROOT_LEN + EZZ_TYPE_CODE_LEN + 1 + EZZ_USCC_LEN + 1 +
		(size_t) parts->serial_len + 1 + 3 + 1 + 1 + 1;

	if (outlen < need)
		return -1;
	memcpy(out + n, EZZ_IDENT_ROOT, EZZ_IDENT_ROOT_LEN);
	n += EZZ_IDENT_ROOT_LEN;
	memcpy(out + n, parts->type_code, EZZ_TYPE_CODE_LEN);
	n += EZZ_TYPE_CODE_LEN;
	out[n++] = '.';
	memcpy(out + n, parts->issuer, EZZ_USCC_LEN);
	n += EZZ_USCC_LEN;
	out[n++] = '.';
	memcpy(out + n, parts->serial, parts->serial_len);
	n += parts->serial_len;
	out[n++] = '.';
	out[n++] = (char) ('0' + parts->version / 100);
	out[n++] = (char) ('0' + parts->version / 10 % 10);
	out[n++] = (char) ('0' + parts->version % 10);
	out[n++] = '.';
	/* (unpacking and parsing have computed it already) */
	out[n++] = parts->check != '\0' ? parts->check : ezz_ident_check_char(parts);
	out[n] = '\0';
	return (int) n;
}

char
ezz_cn_id_check_char(const char *first17)
{
	int			sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * CnIdWeights[i];
	return CnIdCheck[sum % 11];
}

static bool
ValidDate(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			max;

	if (y < 1800 || y > 2099 || m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static int
Digits(const char *s, int n)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * GB 11643: 18 characters (17 digits and a check character 0-9 or X, x folded)
 * with a real birth date at positions 7-14; or a first-generation 15-digit
 * number (birth year 19YY), which is converted to 18 characters.  The first
 * digit is 1-9 (no division code starts with 0; 9 is the foreigner permanent
 * residence card, 81/82/83 the Hong Kong, Macao and Taiwan residence permits).
 */
EzzIdError
ezz_cn_id_parse(const char *in, size_t len, char out[EZZ_CN_ID_LEN], EzzIdProblem *problem)
{
	char		expected;

	if (len == 0)
	{
		SetProblem(problem, EZZ_ID_EMPTY, EZZ_PART_WHOLE, 0, 0, 0, 0);
		return EZZ_ID_EMPTY;
	}
	if (len != 18 && len != 15)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_WHOLE, 0, (int) len, 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	for (size_t i = 0; i < len; i++)
	{
		bool		ok = IsDigit(in[i]) ||
			(len == 18 && i == 17 && (in[i] == 'X' || in[i] == 'x'));

		if (!ok || (i == 0 && in[i] == '0'))
		{
			SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_WHOLE, (int) i, 0, in[i], 0);
			return EZZ_ID_BAD_CHAR;
		}
	}
	if (len == 15)
	{
		memcpy(out, in, 6);
		out[6] = '1';
		out[7] = '9';
		memcpy(out + 8, in + 6, 9);
		out[17] = ezz_cn_id_check_char(out);
	}
	else
	{
		memcpy(out, in, 18);
		out[17] = FoldUpper(out[17]);
	}
	if (!ValidDate(Digits(out + 6, 4), Digits(out + 10, 2), Digits(out + 12, 2)))
	{
		SetProblem(problem, EZZ_ID_BAD_DATE, EZZ_PART_WHOLE, 6, 0, 0, 0);
		return EZZ_ID_BAD_DATE;
	}
	expected = ezz_cn_id_check_char(out);
	if (out[17] != expected)
	{
		SetProblem(problem, EZZ_ID_BAD_CHECK, EZZ_PART_WHOLE, 17, 0, out[17], expected);
		return EZZ_ID_BAD_CHECK;
	}
	SetProblem(problem, EZZ_ID_OK, EZZ_PART_WHOLE, 0, 0, 0, 0);
	return EZZ_ID_OK;
}

/* 1..max characters from the upper-case alphabet allowed, after folding */
static EzzIdError
ParseAlnum(const char *in, size_t len, size_t minlen, size_t maxlen, const char *first_allowed,
		   char *out, int *outlen, EzzIdProblem *problem)
{
	if (len < minlen || len > maxlen)
	{
		SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_WHOLE, 0, (int) len, 0, 0);
		return EZZ_ID_BAD_LENGTH;
	}
	for (size_t i = 0; i < len; i++)
	{
		char		c = FoldUpper(in[i]);
		bool		ok = ezz_alnum36_value(c) >= 0;

		if (i == 0 && first_allowed != NULL)
			ok = c != '\0' && strchr(first_allowed, c) != NULL;
		if (!ok)
		{
			SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_WHOLE, (int) i, 0, in[i], 0);
			return EZZ_ID_BAD_CHAR;
		}
		out[i] = c;
	}
	out[len] = '\0';
	*outlen = (int) len;
	return EZZ_ID_OK;
}

/*
 * Holder identity document numbers (GB/T 36903 type codes as the platforms
 * use them): 111 citizen identity number, 001 unified social credit code,
 * 516 Hong Kong/Macao travel permit, 414 passport, 099 other legal-person
 * document, 999 other natural-person document.
 */
EzzIdError
ezz_holder_id_parse(const char *id_type, const char *in, size_t len,
					char out[EZZ_HOLDER_ID_MAX + 1], int *outlen, EzzIdProblem *problem)
{
	EzzIdError	err;

	*outlen = 0;
	if (len == 0)
	{
		SetProblem(problem, EZZ_ID_EMPTY, EZZ_PART_WHOLE, 0, 0, 0, 0);
		return EZZ_ID_EMPTY;
	}
	if (strcmp(id_type, "111") == 0)
	{
		err = ezz_cn_id_parse(in, len, out, problem);
		if (err == EZZ_ID_OK)
		{
			out[EZZ_CN_ID_LEN] = '\0';
			*outlen = EZZ_CN_ID_LEN;
		}
		return err;
	}
	if (strcmp(id_type, "001") == 0)
	{
		err = ezz_uscc_parse(in, len, out, problem);
		if (err == EZZ_ID_OK || err == EZZ_ID_BAD_CHECK)
		{
			out[EZZ_USCC_LEN] = '\0';
			*outlen = EZZ_USCC_LEN;
		}
		return err;
	}
	if (strcmp(id_type, "516") == 0)
		return ParseAlnum(in, len, 9, 11, "HMC", out, outlen, problem);
	if (strcmp(id_type, "414") == 0)
		return ParseAlnum(in, len, 5, 17, NULL, out, outlen, problem);
	if (strcmp(id_type, "099") == 0 || strcmp(id_type, "999") == 0)
	{
		/* free form: no control characters, no space at either end */
		if (len > EZZ_HOLDER_ID_MAX)
		{
			SetProblem(problem, EZZ_ID_BAD_LENGTH, EZZ_PART_WHOLE, 0, (int) len, 0, 0);
			return EZZ_ID_BAD_LENGTH;
		}
		for (size_t i = 0; i < len; i++)
		{
			unsigned char c = (unsigned char) in[i];

			if (c < 0x20 || c == 0x7f || (c == ' ' && (i == 0 || i == len - 1)))
			{
				SetProblem(problem, EZZ_ID_BAD_CHAR, EZZ_PART_WHOLE, (int) i, 0, in[i], 0);
				return EZZ_ID_BAD_CHAR;
			}
			out[i] = FoldUpper(in[i]);
		}
		out[len] = '\0';
		*outlen = (int) len;
		return EZZ_ID_OK;
	}
	SetProblem(problem, EZZ_ID_BAD_TYPE, EZZ_PART_WHOLE, 0, 0, 0, 0);
	return EZZ_ID_BAD_TYPE;
}
