-- ezz sample data: the working-day calendar 工作日历 for 2025 and 2026.
--
-- The State Council General Office's holiday arrangements 国务院办公厅关于部分
-- 节假日安排的通知, as published:
--   2025: 国办发明电〔2024〕12号 (12 November 2024)
--   2026: 国办发明电〔2025〕7号 (4 November 2025)
-- Every holiday day 放假 (kind 'holiday', weekend days inside a holiday period
-- included) and every make-up working day 调休上班 (kind 'workday', always a
-- Saturday or Sunday).  Ordinary weekends and weekdays are not listed: a day
-- not in ezz.calendar_day is a working day if it is Monday to Friday.
--
-- Load as a superuser (or ezz_admin) after CREATE EXTENSION ezz:
--   psql -v ON_ERROR_STOP=1 -f sample/calendar.sql
-- Further years: add the next notice the same way, year row first.

BEGIN;

-- 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）
INSERT INTO ezz.calendar_year (year, source) VALUES
	(2025, '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）');

INSERT INTO ezz.calendar_day (day, kind, name) VALUES
	('2025-01-01', 'holiday', '元旦'),	-- 周三
	('2025-01-26', 'workday', '春节调休上班'),	-- 周日
	('2025-01-28', 'holiday', '春节'),	-- 周二
	('2025-01-29', 'holiday', '春节'),	-- 周三
	('2025-01-30', 'holiday', '春节'),	-- 周四
	('2025-01-31', 'holiday', '春节'),	-- 周五
	('2025-02-01', 'holiday', '春节'),	-- 周六
	('2025-02-02', 'holiday', '春节'),	-- 周日
	('2025-02-03', 'holiday', '春节'),	-- 周一
	('2025-02-04', 'holiday', '春节'),	-- 周二
	('2025-02-08', 'workday', '春节调休上班'),	-- 周六
	('2025-04-04', 'holiday', '清明节'),	-- 周五
	('2025-04-05', 'holiday', '清明节'),	-- 周六
	('2025-04-06', 'holiday', '清明节'),	-- 周日
	('2025-04-27', 'workday', '劳动节调休上班'),	-- 周日
	('2025-05-01', 'holiday', '劳动节'),	-- 周四
	('2025-05-02', 'holiday', '劳动节'),	-- 周五
	('2025-05-03', 'holiday', '劳动节'),	-- 周六
	('2025-05-04', 'holiday', '劳动节'),	-- 周日
	('2025-05-05', 'holiday', '劳动节'),	-- 周一
	('2025-05-31', 'holiday', '端午节'),	-- 周六
	('2025-06-01', 'holiday', '端午节'),	-- 周日
	('2025-06-02', 'holiday', '端午节'),	-- 周一
	('2025-09-28', 'workday', '国庆节、中秋节调休上班'),	-- 周日
	('2025-10-01', 'holiday', '国庆节、中秋节'),	-- 周三
	('2025-10-02', 'holiday', '国庆节、中秋节'),	-- 周四
	('2025-10-03', 'holiday', '国庆节、中秋节'),	-- 周五
	('2025-10-04', 'holiday', '国庆节、中秋节'),	-- 周六
	('2025-10-05', 'holiday', '国庆节、中秋节'),	-- 周日
	('2025-10-06', 'holiday', '国庆节、中秋节'),	-- 周一
	('2025-10-07', 'holiday', '国庆节、中秋节'),	-- 周二
	('2025-10-08', 'holiday', '国庆节、中秋节'),	-- 周三
	('2025-10-11', 'workday', '国庆节、中秋节调休上班');	-- 周六

-- 2026: 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）
INSERT INTO ezz.calendar_year (year, source) VALUES
	(2026, '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）');

INSERT INTO ezz.calendar_day (day, kind, name) VALUES
	('2026-01-01', 'holiday', '元旦'),	-- 周四
	('2026-01-02', 'holiday', '元旦'),	-- 周五
	('2026-01-03', 'holiday', '元旦'),	-- 周六
	('2026-01-04', 'workday', '元旦调休上班'),	-- 周日
	('2026-02-14', 'workday', '春节调休上班'),	-- 周六
	('2026-02-15', 'holiday', '春节'),	-- 周日
	('2026-02-16', 'holiday', '春节'),	-- 周一
	('2026-02-17', 'holiday', '春节'),	-- 周二
	('2026-02-18', 'holiday', '春节'),	-- 周三
	('2026-02-19', 'holiday', '春节'),	-- 周四
	('2026-02-20', 'holiday', '春节'),	-- 周五
	('2026-02-21', 'holiday', '春节'),	-- 周六
	('2026-02-22', 'holiday', '春节'),	-- 周日
	('2026-02-23', 'holiday', '春节'),	-- 周一
	('2026-02-28', 'workday', '春节调休上班'),	-- 周六
	('2026-04-04', 'holiday', '清明节'),	-- 周六
	('2026-04-05', 'holiday', '清明节'),	-- 周日
	('2026-04-06', 'holiday', '清明节'),	-- 周一
	('2026-05-01', 'holiday', '劳动节'),	-- 周五
	('2026-05-02', 'holiday', '劳动节'),	-- 周六
	('2026-05-03', 'holiday', '劳动节'),	-- 周日
	('2026-05-04', 'holiday', '劳动节'),	-- 周一
	('2026-05-05', 'holiday', '劳动节'),	-- 周二
	('2026-05-09', 'workday', '劳动节调休上班'),	-- 周六
	('2026-06-19', 'holiday', '端午节'),	-- 周五
	('2026-06-20', 'holiday', '端午节'),	-- 周六
	('2026-06-21', 'holiday', '端午节'),	-- 周日
	('2026-09-20', 'workday', '国庆节调休上班'),	-- 周日
	('2026-09-25', 'holiday', '中秋节'),	-- 周五
	('2026-09-26', 'holiday', '中秋节'),	-- 周六
	('2026-09-27', 'holiday', '中秋节'),	-- 周日
	('2026-10-01', 'holiday', '国庆节'),	-- 周四
	('2026-10-02', 'holiday', '国庆节'),	-- 周五
	('2026-10-03', 'holiday', '国庆节'),	-- 周六
	('2026-10-04', 'holiday', '国庆节'),	-- 周日
	('2026-10-05', 'holiday', '国庆节'),	-- 周一
	('2026-10-06', 'holiday', '国庆节'),	-- 周二
	('2026-10-07', 'holiday', '国庆节'),	-- 周三
	('2026-10-10', 'workday', '国庆节调休上班');	-- 周六

COMMIT;
