--
-- setup: ezz installs into a preloaded server, and the sample province loads.
--
CREATE EXTENSION ezz;
SELECT extname, extversion, extrelocatable, n.nspname
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'ezz';
\set ECHO none
\o /dev/null
\i sample/calendar.sql
\i sample/province.sql
\o
\set ECHO all
-- what the sample province holds
SELECT (SELECT count(*) >= 30 FROM ezz.region) AS regions,
       (SELECT count(*) >= 20 FROM ezz.department) AS departments,
       (SELECT count(*) >= 30 FROM ezz.licence_type) AS types,
       (SELECT count(*) FROM ezz.calendar_year) AS calendar_years;
