--
-- calendar: working days 工作日 with holidays and make-up days 调休 (SPEC §8)
--
SET search_path = public, ezz;
\set SHOW_CONTEXT never
SELECT year, source FROM ezz.calendar_year ORDER BY year;

-- weekends, a holiday week, make-up Saturdays and Sundays
SELECT d, to_char(d, 'Dy') AS dow, ezz.is_working_day(d) AS working, c.name
FROM (VALUES ('2025-01-01'::date), ('2025-01-02'), ('2025-01-04'), ('2025-01-06'), ('2025-01-26'), ('2025-01-28'),
             ('2025-02-04'), ('2025-02-05'), ('2025-02-08'), ('2025-02-09'), ('2025-10-08'), ('2025-10-11'),
             ('2026-02-14'), ('2026-02-23'), ('2026-02-28')) v(d)
LEFT JOIN ezz.calendar_day c ON c.day = v.d ORDER BY d;

-- add_working_days: the n-th working day after the date
SELECT d, n, ezz.add_working_days(d, n) AS result, to_char(ezz.add_working_days(d, n), 'Dy') AS dow
FROM (VALUES
	('2025-01-06'::date, 0),	-- a working day: itself
	('2025-01-04', 0),			-- a Saturday: the Monday after
	('2025-01-28', 0),			-- a holiday: the first working day after the Spring Festival
	('2025-02-08', 0),			-- a make-up Saturday is a working day: itself
	('2025-01-24', 1),			-- Friday before the Spring Festival: the make-up Sunday
	('2025-01-24', 2),
	('2025-01-24', 3),			-- across the holiday week
	('2025-01-29', 1),			-- a start on a holiday
	('2025-09-26', 5),			-- 5 working days across the National Day week
	('2025-12-31', 1),			-- across the year boundary
	('2026-02-13', 1),			-- the make-up Saturday before the 2026 Spring Festival
	('2026-02-13', 2)) v(d, n);

-- working_days_between: working days after a, up to and including b
SELECT a, b, ezz.working_days_between(a, b)
FROM (VALUES ('2025-01-24'::date, '2025-02-10'::date), ('2025-02-10', '2025-01-24'), ('2025-03-03', '2025-03-03'),
             ('2025-03-03', '2025-03-10'), ('2024-12-31', '2025-12-31'), ('2025-12-31', '2026-12-31')) v(a, b);

-- the two functions agree: for every start date of the loaded calendar and
-- n = 1..15, there are exactly n working days up to add_working_days(d, n);
-- n = 0 gives a working day with none skipped before it
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE n > 0 AND ezz.working_days_between(d, ezz.add_working_days(d, n)) <> n) AS disagree,
       count(*) FILTER (WHERE n = 0 AND (NOT ezz.is_working_day(ezz.add_working_days(d, 0))
                        OR ezz.working_days_between(d, ezz.add_working_days(d, 0)) <> CASE WHEN ezz.add_working_days(d, 0) = d THEN 0 ELSE 1 END)) AS bad_n0
FROM (SELECT g::date AS d FROM generate_series('2025-01-01'::date, '2026-11-30', '1 day') g) days, generate_series(0, 15) n;

-- beyond the loaded years: an error, not a guess
SELECT ezz.is_working_day('2024-12-31');
SELECT ezz.add_working_days('2027-01-04', 1);
SELECT ezz.add_working_days('2026-12-28', 10);
SELECT ezz.working_days_between('2025-06-01', '2027-01-01');
-- bad arguments
SELECT ezz.add_working_days('2025-06-01', -1);
SELECT ezz.add_working_days('2025-06-01', 3651);
SELECT ezz.add_working_days(NULL, 1) IS NULL AS null_date, ezz.add_working_days('2025-06-01', NULL) IS NULL AS null_n,
       ezz.working_days_between(NULL, '2025-06-01') IS NULL AS null_a, ezz.is_working_day(NULL) IS NULL AS null_day;

-- the calendar guards its data
INSERT INTO ezz.calendar_day (day, kind, name) VALUES ('2025-03-05', 'workday', '不是周末');
INSERT INTO ezz.calendar_day (day, kind, name) VALUES ('2027-01-01', 'holiday', '元旦');
INSERT INTO ezz.calendar_day (day, kind, name) VALUES ('2025-03-05', 'vacation', '假');
INSERT INTO ezz.calendar_year (year, source, loaded_at) VALUES (1980, '太早', '2025-01-01 00:00+08');
