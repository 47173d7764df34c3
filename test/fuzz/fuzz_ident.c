/*
 * fuzz_ident.c — libFuzzer harness over src/idparse.c, the C parsers behind
 * ezz.uscc, ezz.licence_ident, ezz.cn_id_* and ezz.holder_id_*.
 *
 * Besides memory errors (ASan) and undefined behaviour (UBSan), it checks
 * properties, trapping when one fails:
 *  - an accepted licence identifier formats back to its input, upper-cased;
 *  - the formatted identifier parses again to the same parts;
 *  - an accepted unified social credit code or identity number is its own
 *    normal form once parsed again.
 * Build and run with tools/fuzz (see docs/operations.md).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "idparse.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char
Upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
}

static void
CheckIdent(const char *in, size_t size)
{
	EzzIdentParts parts;
	EzzIdentParts again;
	EzzIdProblem problem;
	char		text[EZZ_IDENT_TEXT_MAX + 1];
	int			n;

	if (ezz_ident_parse(in, size, &parts, &problem) != EZZ_ID_OK)
		return;
	n = ezz_ident_format(&parts, text, sizeof(text));
	if (n < 0 || (size_t) n != size)
		__builtin_trap();
	for (size_t i = 0; i < size; i++)
		if (Upper(in[i]) != text[i])
			__builtin_trap();
	if (ezz_ident_parse(text, (size_t) n, &again, &problem) != EZZ_ID_OK ||
		memcmp(parts.type_code, again.type_code, EZZ_TYPE_CODE_LEN) != 0 ||
		memcmp(parts.issuer, again.issuer, EZZ_USCC_LEN) != 0 ||
		parts.serial_len != again.serial_len ||
		memcmp(parts.serial, again.serial, parts.serial_len) != 0 ||
		parts.version != again.version || parts.check != again.check)
		__builtin_trap();
}

static void
CheckUscc(const char *in, size_t size)
{
	char		code[EZZ_USCC_LEN];
	char		again[EZZ_USCC_LEN];

	if (ezz_uscc_parse(in, size, code, NULL) != EZZ_ID_OK)
		return;
	if (ezz_uscc_parse(code, EZZ_USCC_LEN, again, NULL) != EZZ_ID_OK ||
		memcmp(code, again, EZZ_USCC_LEN) != 0)
		__builtin_trap();
}

static void
CheckCnId(const char *in, size_t size)
{
	char		id[EZZ_CN_ID_LEN];
	char		again[EZZ_CN_ID_LEN];

	if (ezz_cn_id_parse(in, size, id, NULL) != EZZ_ID_OK)
		return;
	if (ezz_cn_id_parse(id, EZZ_CN_ID_LEN, again, NULL) != EZZ_ID_OK ||
		memcmp(id, again, EZZ_CN_ID_LEN) != 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {"111", "001", "099", "516", "414", "999", "123", ""};
	const char *in = (const char *) data;
	char		out[EZZ_HOLDER_ID_MAX + 1];
	int			outlen;

	CheckIdent(in, size);
	CheckUscc(in, size);
	CheckCnId(in, size);
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
	{
		EzzIdProblem problem;

		if (ezz_holder_id_parse(types[t], in, size, out, &outlen, &problem) == EZZ_ID_OK &&
			(outlen < 0 || outlen > EZZ_HOLDER_ID_MAX || out[outlen] != '\0'))
			__builtin_trap();
	}
	return 0;
}
