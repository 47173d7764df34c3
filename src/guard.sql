-- ezz install script, assembled by make from src/*.sql in the order the
-- Makefile gives.  Do not edit the assembled file; edit the sources.
\echo Use "CREATE EXTENSION ezz" to load this file. \quit

-- ezz needs shared memory and a background worker: refuse to install unless
-- the library was preloaded (SQLSTATE 55000 with a hint).
CREATE FUNCTION ezz._assert_preloaded() RETURNS void
	AS 'MODULE_PATHNAME', 'ezz_assert_preloaded' LANGUAGE C;
SELECT ezz._assert_preloaded();
REVOKE ALL ON FUNCTION ezz._assert_preloaded() FROM PUBLIC;
