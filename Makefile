# ezz — PGXS build.  The one place that knows how everything is built and tested.

EXTENSION	= ezz
EXTVERSION	= $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big	= ezz
OBJS		= src/ezz.o src/ratelimit.o src/idparse.o src/ident.o src/person.o src/crypto.o src/masterkey.o \
			  src/canon.o src/face.o src/holder.o src/sign.o src/lifecycle.o src/worker.o \
			  src/rowcodec.o src/ledger.o src/access.o src/ledger_worker.o src/use.o src/verify.o src/search.o

# The install script is assembled from these sources, in this order:
# types before tables before functions before grants.
SQL_SOURCES	= src/guard.sql src/roles.sql src/ident.sql src/reference.sql \
			  src/calendar.sql src/binding.sql src/holder.sql src/keys.sql \
			  src/licence.sql src/lifecycle.sql src/access.sql src/ledger.sql src/sharing.sql \
			  src/grants.sql

DATA_built	= $(EXTENSION)--$(EXTVERSION).sql
# released install scripts and upgrade scripts are frozen in the repository
DATA		= $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*.sql))

REGRESS		= setup ident person reference calendar canon face
REGRESS_OPTS = --inputdir=. --encoding=UTF8

PG_CPPFLAGS	= -I$(srcdir)/src
SHLIB_LINK	= -lcrypto
# -Wextra on top of PostgreSQL's own flags (its headers trip -Wunused-parameter); the test command adds WERROR=-Werror
PG_CFLAGS	= -Wall -Wextra -Wno-unused-parameter $(WERROR)

EXTRA_CLEAN	= $(DATA_built) results/ regression.diffs regression.out tmp_check/ output_iso/

PG_CONFIG	?= pg_config
PGXS		:= $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(SQL_SOURCES) $(EXTENSION).control
	cat $(SQL_SOURCES) > $@

# (PGXS tracks no header dependencies: an object built against an older
# header, say use.h's query numbers, would link and run wrong)
$(OBJS) $(OBJS:.o=.bc): $(wildcard src/*.h)

.PHONY: demo test bench fuzz
demo:
	demo/run
test:
	test/run
bench:
	test/bench/run
fuzz:
	tools/fuzz
