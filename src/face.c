/*
 * face.c — licence face data 照面 checked against its type's field schema, in
 * C because it runs for every licence issued, batch included.
 *
 * ezz._face_check(field_schema jsonb, data jsonb, type_code text) returns the
 * data as it will be stored and signed:
 *   - a JSON object whose every member is a field of the schema, every
 *     required field present and not null;
 *   - strings NFC-normalised, no longer than max_length characters, one of
 *     "values" if the field lists them;
 *   - integers whole and within ±2^53; numbers that survive
 *     numeric -> double -> numeric, rewritten in their canonical form (4.50
 *     becomes 4.5), otherwise 22003 naming the field;
 *   - dates written YYYY-MM-DD and real; booleans true or false.
 * Every refusal names the field and its label.
 */
#include "postgres.h"

#include "common/unicode_norm.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "canon.h"
#include "ezz.h"

typedef enum FieldType
{
	FT_STRING,
	FT_INTEGER,
	FT_NUMBER,
	FT_DATE,
	FT_BOOLEAN
} FieldType;

typedef struct Field
{
	char	   *name;
	char	   *label;
	FieldType	type;
	bool		required;
	int			max_length;		/* 0: none */
	Jsonb	   *values;			/* allowed string values, or NULL */
	bool		seen;
} Field;

static char *
GetString(Jsonb *obj, const char *key)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&obj->root, key, strlen(key), NULL);

	if (v == NULL || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static bool
GetBool(Jsonb *obj, const char *key)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&obj->root, key, strlen(key), NULL);

	return v != NULL && v->type == jbvBool && v->val.boolean;
}

/* Read the schema (checked when the type was stored, so trusted in shape). */
static Field *
ReadSchema(Jsonb *schema, int *nfields)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	Field	   *fields;
	int			n = 0;

	if (!JB_ROOT_IS_ARRAY(schema) || JB_ROOT_IS_SCALAR(schema))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("licence type field schema is not an array")));
	fields = palloc0(sizeof(Field) * Max(JB_ROOT_COUNT(schema), 1));
	it = JsonbIteratorInit(&schema->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		Jsonb	   *f;
		char	   *type;
		JsonbValue *ml;
		JsonbValue *vals;

		if (tok != WJB_ELEM || v.type != jbvBinary)
			continue;
		f = JsonbValueToJsonb(&v);
		fields[n].name = GetString(f, "name");
		fields[n].label = GetString(f, "label");
		type = GetString(f, "type");
		if (fields[n].name == NULL || type == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("licence type field schema has a field without name or type")));
		if (fields[n].label == NULL)
			fields[n].label = fields[n].name;
		fields[n].type = strcmp(type, "string") == 0 ? FT_STRING :
			strcmp(type, "integer") == 0 ? FT_INTEGER :
			strcmp(type, "number") == 0 ? FT_NUMBER :
			strcmp(type, "date") == 0 ? FT_DATE : FT_BOOLEAN;
		fields[n].required = GetBool(f, "required");
		ml = getKeyJsonValueFromContainer(&f->root, "max_length", strlen("max_length"), NULL);
		if (ml != NULL && ml->type == jbvNumeric)
			fields[n].max_length = DatumGetInt32(DirectFunctionCall1(numeric_int4,
																	 NumericGetDatum(ml->val.numeric)));
		vals = getKeyJsonValueFromContainer(&f->root, "values", strlen("values"), NULL);
		if (vals != NULL && vals->type == jbvBinary)
			fields[n].values = JsonbValueToJsonb(vals);
		n++;
	}
	*nfields = n;
	return fields;
}

static const char *
JsonTypeName(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "true or false";
		case jbvBinary:
			return (v->val.binary.data->header & JB_FARRAY) ? "an array" : "an object";
		default:
			return "something else";
	}
}

static void
WrongType(const char *type_code, Field *f, const char *want, JsonbValue *v) pg_attribute_noreturn();

static void
WrongType(const char *type_code, Field *f, const char *want, JsonbValue *v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("face field \"%s\" (%s) must be %s", f->name, f->label, want),
			 errdetail("Licence type %s defines it as %s; the data holds %s.", type_code, want,
					   JsonTypeName(v))));
	pg_unreachable();
}

/* NFC form of a UTF-8 string; the input itself when it already is. */
static char *
NormalizeNFC(const char *s, int len, int *outlen)
{
	pg_wchar   *w;
	pg_wchar   *norm;
	int			n;
	int			m = 0;
	char	   *out;
	bool		ascii = true;

	for (int i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80)
		{
			ascii = false;
			break;
		}
	if (ascii)
	{
		*outlen = len;
		return (char *) s;
	}
	w = palloc(sizeof(pg_wchar) * (len + 1));
	n = pg_encoding_mb2wchar_with_len(PG_UTF8, s, w, len);
	w[n] = 0;
	if (unicode_is_normalized_quickcheck(UNICODE_NFC, w) == UNICODE_NORM_QC_YES)
	{
		pfree(w);
		*outlen = len;
		return (char *) s;
	}
	norm = unicode_normalize(UNICODE_NFC, w);
	while (norm[m] != 0)
		m++;
	out = palloc(m * MAX_MULTIBYTE_CHAR_LEN + 1);
	*outlen = pg_encoding_wchar2mb_with_len(PG_UTF8, norm, out, m);
	pfree(w);
	pfree(norm);
	return out;
}

static bool
ValidIsoDate(const char *s, int len)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			y,
				m,
				d,
				max;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static bool
InValues(Jsonb *values, const char *s, int len)
{
	JsonbValue	probe;

	probe.type = jbvString;
	probe.val.string.val = (char *) s;
	probe.val.string.len = len;
	return findJsonbValueFromContainer(&values->root, JB_FARRAY, &probe) != NULL;
}

static char *
ValuesList(Jsonb *values)
{
	return JsonbToCString(NULL, &values->root, VARSIZE(values));
}

/* Check one value in place, rewriting it to its stored form. */
static void
CheckValue(const char *type_code, Field *f, JsonbValue *v)
{
	switch (f->type)
	{
		case FT_STRING:
			{
				int			len;
				char	   *s;

				if (v->type != jbvString)
					WrongType(type_code, f, "a string", v);
				s = NormalizeNFC(v->val.string.val, v->val.string.len, &len);
				v->val.string.val = s;
				v->val.string.len = len;
				if (f->max_length > 0 && pg_mbstrlen_with_len(s, len) > f->max_length)
					ereport(ERROR,
							(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
							 errmsg("face field \"%s\" (%s) is longer than %d characters", f->name, f->label,
									f->max_length),
							 errdetail("It has %d characters.", pg_mbstrlen_with_len(s, len))));
				if (f->values != NULL && !InValues(f->values, s, len))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("face field \"%s\" (%s) has a value that is not allowed", f->name, f->label),
							 errdetail("It holds %s; licence type %s allows %s.",
									   ezz_quote_literal(s, len), type_code, ValuesList(f->values))));
				break;
			}
		case FT_INTEGER:
		case FT_NUMBER:
			{
				bool		survives;
				Numeric		back;

				if (v->type != jbvNumeric)
					WrongType(type_code, f, f->type == FT_INTEGER ? "a whole number" : "a number", v);
				if (f->type == FT_INTEGER)
				{
					Numeric		rounded = DatumGetNumeric(DirectFunctionCall2(numeric_round,
																			  NumericGetDatum(v->val.numeric),
																			  Int32GetDatum(0)));

					if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(rounded),
														  NumericGetDatum(v->val.numeric))) != 0)
						ereport(ERROR,
								(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								 errmsg("face field \"%s\" (%s) must be a whole number", f->name, f->label),
								 errdetail("It holds %s.",
										   DatumGetCString(DirectFunctionCall1(numeric_out,
																			   NumericGetDatum(v->val.numeric))))));
				}
				back = ezz_numeric_round_trip(v->val.numeric, &survives);
				if (!survives)
				{
					char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out,
																		   NumericGetDatum(v->val.numeric)));

					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("face field \"%s\" (%s) holds a number with no exact double precision form",
									f->name, f->label),
							 errdetail("%s does not survive numeric -> double -> numeric, so it cannot be signed in canonical JSON (RFC 8785).",
									   ezz_quote_literal(text, strlen(text))),
							 errhint("Use at most 15 significant digits, integers within ±9007199254740992 and magnitudes below 1.8e308; write large identifiers as strings.")));
				}
				v->val.numeric = back;
				break;
			}
		case FT_DATE:
			if (v->type != jbvString)
				WrongType(type_code, f, "a date written YYYY-MM-DD", v);
			if (!ValidIsoDate(v->val.string.val, v->val.string.len))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
						 errmsg("face field \"%s\" (%s) must be a date written YYYY-MM-DD", f->name, f->label),
						 errdetail("It holds %s.", ezz_quote_literal(v->val.string.val, v->val.string.len))));
			break;
		case FT_BOOLEAN:
			if (v->type != jbvBool)
				WrongType(type_code, f, "true or false", v);
			break;
	}
}

PG_FUNCTION_INFO_V1(ezz_face_check);
Datum
ezz_face_check(PG_FUNCTION_ARGS)
{
	Jsonb	   *schema = PG_GETARG_JSONB_P(0);
	Jsonb	   *data = PG_GETARG_JSONB_P(1);
	char	   *type_code = text_to_cstring(PG_GETARG_TEXT_PP(2));
	int			nfields;
	Field	   *fields = ReadSchema(schema, &nfields);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	JsonbParseState *state = NULL;
	JsonbValue *result;

	if (!JB_ROOT_IS_OBJECT(data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("licence face data must be a JSON object"),
				 errdetail("Licence type %s expects an object with its face fields.", type_code)));

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	it = JsonbIteratorInit(&data->root);
	tok = JsonbIteratorNext(&it, &v, true);
	while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_KEY)
	{
		Field	   *f = NULL;
		JsonbValue	key = v;
		JsonbValue	value;

		for (int i = 0; i < nfields; i++)
			if (strlen(fields[i].name) == (size_t) key.val.string.len &&
				memcmp(fields[i].name, key.val.string.val, key.val.string.len) == 0)
				f = &fields[i];
		tok = JsonbIteratorNext(&it, &value, true);
		if (f == NULL)
		{
			StringInfoData names;

			initStringInfo(&names);
			for (int i = 0; i < nfields; i++)
				appendStringInfo(&names, "%s%s", i ? ", " : "", fields[i].name);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("licence type %s has no face field %s", type_code,
							ezz_quote_literal(key.val.string.val, key.val.string.len)),
					 errdetail("Its face fields are: %s.", names.data)));
		}
		f->seen = true;
		if (value.type == jbvNull)
		{
			if (f->required)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("face field \"%s\" (%s) is required", f->name, f->label),
						 errdetail("Licence type %s requires it; the data holds null.", type_code)));
		}
		else
			CheckValue(type_code, f, &value);
		pushJsonbValue(&state, WJB_KEY, &key);
		pushJsonbValue(&state, WJB_VALUE, &value);
	}
	for (int i = 0; i < nfields; i++)
		if (fields[i].required && !fields[i].seen)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("face field \"%s\" (%s) is required", fields[i].name, fields[i].label),
					 errdetail("Licence type %s requires it; the data does not have it.", type_code)));
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(result));
}
