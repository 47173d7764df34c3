-- Working-day calendar 工作日历 (SPEC §8): holidays and make-up working days
-- 调休, so that "5 working days" means what it means in China.  A day is a
-- working day if it is a make-up working day, or a weekday that is not a
-- holiday.  Only loaded years count: a date beyond them raises 55000.

CREATE TABLE ezz.calendar_year (
	year		integer PRIMARY KEY CHECK (year BETWEEN 1990 AND 2200),
	source		text NOT NULL CHECK (pg_catalog.length(source) BETWEEN 1 AND 500),
	loaded_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE ezz.calendar_year IS 'years whose holiday arrangement is loaded, with the notice it comes from (e.g. 国办发明电〔2024〕12号)';

CREATE TABLE ezz.calendar_day (
	day			date PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name		text NOT NULL CHECK (pg_catalog.length(name) BETWEEN 1 AND 100),
	year		integer NOT NULL GENERATED ALWAYS AS (pg_catalog.date_part('year', day)::integer) STORED
				REFERENCES ezz.calendar_year (year),
	CONSTRAINT calendar_day_workday_on_weekend CHECK (
		kind = 'holiday' OR pg_catalog.date_part('isodow', day) IN (6, 7))
);
CREATE INDEX calendar_day_year_idx ON ezz.calendar_day (year);
COMMENT ON TABLE ezz.calendar_day IS 'exceptions to the Monday-Friday week: holidays 节假日 and make-up working days 调休上班 (which fall on a weekend)';

-- Raise 55000 unless every year from a to b is loaded.
CREATE FUNCTION ezz._calendar_require(a date, b date) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	missing integer;
	loaded text;
BEGIN
	SELECT y INTO missing
	FROM generate_series(date_part('year', least(a, b))::integer, date_part('year', greatest(a, b))::integer) y
	WHERE NOT EXISTS (SELECT FROM ezz.calendar_year c WHERE c.year = y)
	ORDER BY y LIMIT 1;
	IF FOUND THEN
		SELECT coalesce(string_agg(c.year::text, ', ' ORDER BY c.year), 'none') INTO loaded FROM ezz.calendar_year c;
		RAISE EXCEPTION 'the working-day calendar has no year %', missing
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = format('Loaded years: %s. Working days are not guessed beyond them.', loaded),
				  HINT = format('An administrator loads the State Council''s holiday arrangement for %s into ezz.calendar_year and ezz.calendar_day.', missing);
	END IF;
END
$$;

CREATE FUNCTION ezz.is_working_day(d date) RETURNS boolean
	LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	PERFORM ezz._calendar_require(d, d);
	SELECT c.kind INTO k FROM ezz.calendar_day c WHERE c.day = d;
	RETURN CASE k WHEN 'workday' THEN true WHEN 'holiday' THEN false
		   ELSE date_part('isodow', d) < 6 END;
END
$$;
COMMENT ON FUNCTION ezz.is_working_day(date) IS 'true if the date is a working day 工作日 (55000 beyond the loaded calendar years)';

-- The n-th working day after d; n = 0 gives d itself if it is a working day,
-- else the next working day.
CREATE FUNCTION ezz.add_working_days(d date, n integer) RETURNS date
	LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	result date;
BEGIN
	IF n < 0 OR n > 3650 THEN
		RAISE EXCEPTION 'ezz.add_working_days: number of working days % is out of range', n
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'It must be between 0 and 3650.';
	END IF;
	PERFORM ezz._calendar_require(d, d);
	-- 2n + 30 calendar days always hold n working days (at most 9 days off in a row)
	SELECT g.day INTO result
	FROM (SELECT s::date AS day
		  FROM generate_series(d + CASE WHEN n = 0 THEN 0 ELSE 1 END, d + 2 * n + 30, interval '1 day') s) g
	LEFT JOIN ezz.calendar_day c ON c.day = g.day
	WHERE CASE c.kind WHEN 'workday' THEN true WHEN 'holiday' THEN false
		  ELSE date_part('isodow', g.day) < 6 END
	ORDER BY g.day
	OFFSET greatest(n - 1, 0) LIMIT 1;
	IF result IS NULL THEN
		RAISE EXCEPTION 'ezz.add_working_days: no % working days within % days after %', n, 2 * n + 30, d
			USING ERRCODE = 'data_exception',
				  HINT = 'Check ezz.calendar_day for wrongly entered holidays.';
	END IF;
	PERFORM ezz._calendar_require(d, result);
	RETURN result;
END
$$;
COMMENT ON FUNCTION ezz.add_working_days(date, integer) IS 'the n-th working day after the date; n = 0: the date itself if a working day, else the next one (55000 beyond the loaded calendar years)';

-- Working days after a, up to and including b; negative when b < a.
CREATE FUNCTION ezz.working_days_between(a date, b date) RETURNS integer
	LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	total integer;
	full_weeks integer;
	weekdays integer;
	adjust integer;
BEGIN
	IF b < a THEN
		RETURN -ezz.working_days_between(b, a);
	END IF;
	-- the days counted are (a, b]: a itself need not be in a loaded year
	PERFORM ezz._calendar_require(least(a + 1, b), b);
	-- weekdays in (a, b]: whole weeks, then the remainder (at most 6 days)
	total := b - a;
	full_weeks := total / 7;
	SELECT full_weeks * 5 + count(*) INTO weekdays
	FROM generate_series(a + full_weeks * 7 + 1, b, interval '1 day') s
	WHERE date_part('isodow', s) < 6;
	-- exceptions in (a, b]: make-up working days add, holidays on weekdays subtract
	SELECT coalesce(sum(CASE WHEN c.kind = 'workday' THEN 1
							 WHEN date_part('isodow', c.day) < 6 THEN -1 ELSE 0 END), 0)
	INTO adjust
	FROM ezz.calendar_day c WHERE c.day > a AND c.day <= b;
	RETURN weekdays + adjust;
END
$$;
COMMENT ON FUNCTION ezz.working_days_between(date, date) IS 'the number of working days after a, up to and including b (negative if b < a; 55000 beyond the loaded calendar years)';

INSERT INTO ezz.table_policy (relation, class, admin_editable, note) VALUES
	('ezz.calendar_year', 'reference', true, 'loaded calendar years'),
	('ezz.calendar_day', 'reference', true, 'holidays and make-up working days');
