# test/bench/ledger.sh — the ledger part of the benchmark (SPEC §10), sourced
# by test/bench/suite (which defines q, log, pgbench_run, record, ratio, bound,
# SECS, OUT, DB).  BENCH_LEDGER_COPY (default 1000000) sets the rows of the
# COPY runs, BENCH_LEDGER_ROUNDS and BENCH_LEDGER_COPY_ROUNDS (default 3 each)
# their alternating rounds.  Writes $OUT/ledger.md.
#
#   1. one-row INSERT into an audited table vs the same table without the
#      trigger (and under a plain PL/pgSQL audit trigger; and, the floor of
#      writing an entry at all, the unaudited row and an entry-like row in one
#      plain statement), 1, 2 and 8 clients (target >= 0.85)
#   2. COPY of BENCH_LEDGER_COPY rows, audited vs not (target >= 0.6), and what
#      bounds an entry per row (the trigger firing idle; SM3 of the row)
#   3. sealing: entries per second of the ezz ledger worker over each audited
#      COPY's entries; seal lag (now - the first committed unsealed entry)
#      sampled every 0.2 s while the audited INSERTs run, p50 and p99
#   4. ezz.audit_verify() vs the serial bound of a sequential scan of the
#      ledger and SM3 of the same bytes (target >= 0.5)
#   5. ezz.verify with its access record vs the same checks without one

LCOPY=${BENCH_LEDGER_COPY:-1000000}
# start quiet: after the rest of the benchmark, the ledger worker may still be
# sealing millions of entries (it would take CPU from every run below)
log "ledger: waiting for the ledger worker to seal what the benchmark wrote"
q -c "SELECT ezz.create_key('11330000MB1946A028') WHERE ezz._ledger_key() IS NULL" >/dev/null
for _ in $(seq 1 1800); do
	[ "$(q -c "SELECT count(*) FROM ezz.audit_entry e WHERE e.id > (SELECT coalesce(max(b.last_id), 0) FROM ezz.ledger_block b WHERE b.ledger = 'audit')")" = 0 ] && break
	sleep 1
done
log "ledger: tables"
q >/dev/null <<'SQL'
SET client_min_messages = warning;
-- an ezz-like row (a status history entry): the same table twice, one audited
CREATE TABLE bench.audited (id bigserial PRIMARY KEY, licence ezz.licence_ident NOT NULL, from_status text,
	to_status text NOT NULL, at timestamptz NOT NULL DEFAULT now(), actor text NOT NULL, department text,
	reason text NOT NULL, basis text);
CREATE TABLE bench.unaudited (LIKE bench.audited INCLUDING DEFAULTS INCLUDING INDEXES);
SELECT ezz.audit_table('bench.audited');
-- the reference of the issue: a plain (not tamper-evident) PL/pgSQL audit
-- trigger writing an entry like ezz's (the row as JSON, its key and a hash)
CREATE TABLE bench.plpgsql (LIKE bench.audited INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.plpgsql_log (id bigserial PRIMARY KEY, at timestamptz, xid xid8, relation text, op text,
	actor text, row_key text, old_row text, new_row text, row_hash text);
CREATE FUNCTION bench.plpgsql_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO bench.plpgsql_log (at, xid, relation, op, actor, row_key, new_row, row_hash)
	VALUES (now(), pg_current_xact_id(), TG_TABLE_NAME, TG_OP, session_user, json_build_object('id', NEW.id)::text,
			to_jsonb(NEW)::text, 'sha256:' || encode(sha256(convert_to(to_jsonb(NEW)::text, 'UTF8')), 'hex'));
	RETURN NULL;
END $$;
CREATE TRIGGER audit AFTER INSERT ON bench.plpgsql FOR EACH ROW EXECUTE FUNCTION bench.plpgsql_audit();
-- the floor of any design that writes an entry in the writer's transaction:
-- the unaudited row and an entry row shaped like ezz's (the row as JSON, its
-- key), written by one plain statement — no trigger, no hash, no evidence
CREATE TABLE bench.entry_twin (LIKE ezz.audit_entry INCLUDING INDEXES);
CREATE SEQUENCE bench.entry_twin_seq OWNED BY bench.entry_twin.id;
ALTER TABLE bench.entry_twin ALTER COLUMN id SET DEFAULT nextval('bench.entry_twin_seq');
GRANT ALL ON bench.audited, bench.unaudited, bench.plpgsql, bench.plpgsql_log, bench.entry_twin TO bench_issuer;
GRANT ALL ON ALL SEQUENCES IN SCHEMA bench TO bench_issuer;
SQL
for t in audited unaudited plpgsql; do
	cat > "$OUT/insert-$t.pgbench" <<SQL
INSERT INTO bench.$t (licence, from_status, to_status, actor, department, reason, basis)
VALUES ('1.2.156.3005.2.11330000002481602G002.11330105MB1B28400H.2025052201.001.T', 'valid', 'suspended',
		current_user, '11330105MB1B28400H', '基准测试 benchmark: 暂停', '《中华人民共和国食品安全法》第一百二十六条');
SQL
done
cat > "$OUT/insert-twin.pgbench" <<'SQL'
WITH r AS (
	INSERT INTO bench.unaudited (licence, from_status, to_status, actor, department, reason, basis)
	VALUES ('1.2.156.3005.2.11330000002481602G002.11330105MB1B28400H.2025052201.001.T', 'valid', 'suspended',
			current_user, '11330105MB1B28400H', '基准测试 benchmark: 暂停', '《中华人民共和国食品安全法》第一百二十六条')
	RETURNING *)
INSERT INTO bench.entry_twin (at, xid, relation, op, actor, department, row_key, new_row)
SELECT now(), pg_current_xact_id(), 'bench.unaudited', 'INSERT', session_user, r.department,
	   json_build_object('id', r.id)::text, to_jsonb(r)::text FROM r;
SQL

# warm-up: the ledger worker starts and seals what the set-up wrote, caches fill
SECS_SAVED=$SECS
SECS=5
pgbench_run 2 "$OUT/insert-audited.pgbench" postgres >/dev/null
pgbench_run 2 "$OUT/insert-unaudited.pgbench" postgres >/dev/null
pgbench_run 2 "$OUT/insert-plpgsql.pgbench" postgres >/dev/null
pgbench_run 2 "$OUT/insert-twin.pgbench" postgres >/dev/null
SECS=$SECS_SAVED
# Each client count: BENCH_LEDGER_ROUNDS (default 3) rounds of a plain run, a
# run under the PL/pgSQL reference trigger and an audited run; the median of
# each (the disk of a virtual machine drifts by tens of percent within minutes:
# alternating and the median keep the ratio from measuring the drift)
ROUNDS=${BENCH_LEDGER_ROUNDS:-3}
declare -A LINS_PLAIN LINS_AUDIT LINS_PLPGSQL LINS_TWIN LAGS
for c in 1 2 8; do
	: > "$OUT/seal-lag-$c.txt"
	plain=""
	audited=""
	plpgsql=""
	twin=""
	for _ in $(seq 1 "$ROUNDS"); do
		plain="$plain $(pgbench_run "$c" "$OUT/insert-unaudited.pgbench" postgres)"
		plpgsql="$plpgsql $(pgbench_run "$c" "$OUT/insert-plpgsql.pgbench" postgres)"
		twin="$twin $(pgbench_run "$c" "$OUT/insert-twin.pgbench" postgres)"
		# seal lag while the audited run goes on (the ledger worker seals),
		# sampled in one session (a connection every 0.2 s would load the
		# audited run alone), with one index probe: the first committed entry
		# above the last sealed id (not min(at) over every unsealed entry,
		# which read thousands of entries five times a second)
		( end=$(( $(date +%s) + SECS )); while [ "$(date +%s)" -lt "$end" ]; do
			echo "SELECT coalesce((SELECT extract(epoch FROM clock_timestamp() - e.at) FROM ezz.audit_entry e
				  WHERE e.id > (SELECT coalesce(max(b.last_id), 0) FROM ezz.ledger_block b WHERE b.ledger = 'audit')
				  ORDER BY e.id LIMIT 1), 0);"
			sleep 0.2
		done | q >> "$OUT/seal-lag-$c.txt" 2>/dev/null || true ) &
		lagpid=$!
		audited="$audited $(pgbench_run "$c" "$OUT/insert-audited.pgbench" postgres)"
		wait "$lagpid" || true
	done
	LINS_PLAIN[$c]=$(echo "$plain" | median)
	LINS_AUDIT[$c]=$(echo "$audited" | median)
	LINS_PLPGSQL[$c]=$(echo "$plpgsql" | median)
	LINS_TWIN[$c]=$(echo "$twin" | median)
	LAGS[$c]=$(sort -g "$OUT/seal-lag-$c.txt" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
		m = int((NR + 1) * 0.5); p = int(NR * 0.99); if (p < 1) p = 1
		printf "p50 %.2f s, p99 %.2f s (%d samples)", v[m], v[p], NR }')
	log "one-row INSERT x$c: plain$plain /s (median ${LINS_PLAIN[$c]}), audited$audited /s (median ${LINS_AUDIT[$c]}), PL/pgSQL trigger$plpgsql /s (median ${LINS_PLPGSQL[$c]}), entry row in plain SQL$twin /s (median ${LINS_TWIN[$c]}); seal lag ${LAGS[$c]}"
	record ledger insert "$c" "${LINS_PLAIN[$c]}" "${LINS_AUDIT[$c]}"
	record ledger insert-plpgsql "$c" "${LINS_PLAIN[$c]}" "${LINS_PLPGSQL[$c]}"
	record ledger insert-twin "$c" "${LINS_PLAIN[$c]}" "${LINS_TWIN[$c]}"
done

# COPY: the same rows into each table, in one transaction, in
# BENCH_LEDGER_COPY_ROUNDS (default 3) alternating rounds, each rate the
# median of its rounds (a single COPY's plain rate moved from 187,741 to
# 252,793 rows/s between two runs of the same afternoon).  Each round:
#   - the plain COPY into the emptied unaudited table;
#   - the audited COPY into the emptied audited table, then the sealing of its
#     entries: from its commit until nothing is left unsealed (the ledger
#     worker seals in blocks of 10,000 as soon as they are committed; the next
#     round starts only then, so that sealing does not load its COPYs);
#   - what bounds an entry per row: the audit trigger firing for every row of
#     the COPY and returning at once (a third copy under ezz.audit_table, loaded
#     with session_replication_role = replica, in which ezz._audit writes
#     nothing; the table is then truncated, as audited, so that the ledger
#     still matches it).
# Then SM3 over each row's canonical encoding, at openssl's rate for the
# block size nearest it.
CROUNDS=${BENCH_LEDGER_COPY_ROUNDS:-3}
log "ledger: COPY of $LCOPY rows, $CROUNDS rounds"
q -c "\\copy (SELECT '1.2.156.3005.2.11330000002481602G002.11330105MB1B28400H.2025052201.001.T', 'valid', 'suspended', now(), 'bench', '11330105MB1B28400H', '基准测试 benchmark: ' || g, '《中华人民共和国食品安全法》' FROM generate_series(1, $LCOPY) g) TO '$OUT/ledger.copy'" >/dev/null
q >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE TABLE bench.audited_idle (LIKE bench.audited INCLUDING DEFAULTS INCLUDING INDEXES);
SELECT ezz.audit_table('bench.audited_idle');
SQL
unsealed_q="SELECT count(*) FROM ezz.audit_entry e, ezz.ledger_seal_state s WHERE s.ledger = 'audit' AND e.id >= s.floor
	AND NOT EXISTS (SELECT FROM ezz.ledger_block b WHERE b.ledger = 'audit' AND b.last_id >= e.id AND e.id <@ b.ids)"
lastsealed_q="SELECT EXISTS (SELECT FROM ezz.audit_entry e
	WHERE e.id > (SELECT coalesce(max(b.last_id), 0) FROM ezz.ledger_block b WHERE b.ledger = 'audit'))"
# one COPY of the file into a table (after emptying it and a checkpoint): rows/s
copy_rate() {	# table [setting]
	local t0 t1
	local -a set=()
	[ -z "${2:-}" ] || set=(-c "SET $2")
	q -c "TRUNCATE bench.$1" -c "CHECKPOINT" >/dev/null
	t0=$(date +%s.%N)
	q "${set[@]}" -c "\\copy bench.$1 (licence, from_status, to_status, at, actor, department, reason, basis) FROM '$OUT/ledger.copy'" >/dev/null
	t1=$(date +%s.%N)
	awk -v n="$LCOPY" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }'
}
CP_PLAIN=""
CP_AUDIT=""
CP_IDLE=""
CP_SEAL=""
for r in $(seq 1 "$CROUNDS"); do
	plain=$(copy_rate unaudited)
	audited=$(copy_rate audited)
	t1=$(date +%s.%N)
	# (polled with one index probe — an entry above the last sealed id — not
	# with the exact count, which read every unsealed entry five times a
	# second and slowed the worker's sealing round by round; the exact count
	# confirms it after, untimed)
	while [ "$(q -c "$lastsealed_q")" = t ]; do
		sleep 0.2
	done
	t2=$(date +%s.%N)
	while [ "$(q -c "$unsealed_q")" != 0 ]; do
		sleep 0.2
	done
	seal=$(awk -v n="$LCOPY" -v a="$t1" -v b="$t2" 'BEGIN { printf "%.0f", n / (b - a) }')
	idle=$(copy_rate audited_idle "session_replication_role = replica")
	q -c "TRUNCATE bench.audited_idle" >/dev/null
	log "COPY round $r: plain $plain rows/s, audited $audited rows/s (sealed at $seal rows/s), trigger idle $idle rows/s"
	CP_PLAIN="$CP_PLAIN $plain"
	CP_AUDIT="$CP_AUDIT $audited"
	CP_IDLE="$CP_IDLE $idle"
	CP_SEAL="$CP_SEAL $seal"
done
rm -f "$OUT/ledger.copy"
LCOPY_PLAIN=$(echo "$CP_PLAIN" | median)
LCOPY_AUDIT=$(echo "$CP_AUDIT" | median)
LCOPY_IDLE=$(echo "$CP_IDLE" | median)
SEALRATE=$(echo "$CP_SEAL" | median)
log "COPY $LCOPY rows, medians: plain $LCOPY_PLAIN rows/s, audited $LCOPY_AUDIT rows/s, trigger idle $LCOPY_IDLE rows/s; sealing $SEALRATE rows/s"
record ledger copy "$LCOPY" "$LCOPY_PLAIN" "$LCOPY_AUDIT"
record ledger seal "$LCOPY" "$SEALRATE"
# openssl's SM3 rates (kB/s) at its block sizes 16, 64, 256, 1024, 8192 and
# 16384 bytes, measured once; sm3_kbs BYTES picks the size nearest BYTES
SM3_SPEED=$(openssl speed -seconds 3 -evp sm3 2>/dev/null | awk '/^sm3/ { $1 = ""; gsub(/k/, ""); print }')
sm3_kbs() {
	echo "$SM3_SPEED" | awk -v a="$1" '{ split("16 64 256 1024 8192", s, " "); best = 1
		for (i = 1; i <= 5; i++) if ((s[i] - a) ^ 2 < (s[best] - a) ^ 2) best = i; print $best }'
}
# (the bytes of a row's image: an INSERT statement's entry holds its rows' images one to a line)
read -r ROWBYTES CHUNKROWS < <(q -F' ' -c "SELECT round(sum(octet_length(e.new_row)) / sum(n)), round(max(n))
	FROM ezz.audit_entry e, LATERAL (SELECT octet_length(e.row_key) - octet_length(replace(e.row_key, E'\\n', '')) + 1 AS n) x
	WHERE e.relation = 'bench.audited' AND e.op = 'INSERT'")
ROWSM3KBS=$(sm3_kbs "$ROWBYTES")
# microseconds a row: plain COPY, the idle trigger's share, the written
# entries' share, and what SM3 of the row would add were the writer to hash
US_PLAIN=$(awk -v r="$LCOPY_PLAIN" 'BEGIN { printf "%.2f", 1e6 / r }')
US_IDLE=$(awk -v r="$LCOPY_IDLE" -v p="$LCOPY_PLAIN" 'BEGIN { printf "%.2f", 1e6 / r - 1e6 / p }')
US_AUDIT=$(awk -v r="$LCOPY_AUDIT" -v i="$LCOPY_IDLE" 'BEGIN { printf "%.2f", 1e6 / r - 1e6 / i }')
US_SM3=$(awk -v b="$ROWBYTES" -v k="$ROWSM3KBS" 'BEGIN { printf "%.2f", b / (k * 1000) * 1e6 }')
log "COPY per row: plain $US_PLAIN us, idle trigger +$US_IDLE us, entries +$US_AUDIT us (up to $CHUNKROWS rows each); SM3 of $ROWBYTES bytes would be $US_SM3 us"

# audit_verify against scan ∥ hash of the ledger's bytes
q -c "VACUUM ANALYZE ezz.audit_entry" -c "CHECKPOINT" >/dev/null
read -r NENTRIES LBYTES < <(q -F' ' -c "SELECT count(*), sum(octet_length(e::text)) FROM ezz.audit_entry e")
t0=$(date +%s.%N)
q -c "SELECT sum(octet_length(e::text)) FROM ezz.audit_entry e" >/dev/null
t1=$(date +%s.%N)
TSCAN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
avg=$(( LBYTES / NENTRIES ))
# openssl's SM3 rate at the block size nearest the average entry
SM3KBS=$(sm3_kbs "$avg")
THASH=$(awk -v bytes="$LBYTES" -v kbs="$SM3KBS" 'BEGIN { printf "%.3f", bytes / (kbs * 1000) }')
TBOUND=$(awk -v a="$TSCAN" -v b="$THASH" 'BEGIN { printf "%.3f", a + b }')
t0=$(date +%s.%N)
intact=$(q -c "SELECT intact FROM ezz.audit_verify()")
t1=$(date +%s.%N)
TVERIFY=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
[ "$intact" = t ] || log "WARNING: audit_verify says the ledger is not intact"
# (where the time goes: the three parts of audit_verify)
q >"$OUT/verify-parts.txt" 2>&1 <<'SQL' || true
\timing on
SELECT (ezz._verify_blocks('audit', 1, ROW(NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL, NULL)::ezz.audit_verification)).problem;
SELECT (ezz._verify_unsealed('audit', ROW(NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL, NULL)::ezz.audit_verification)).problem;
SELECT (ezz._verify_tables(ROW(NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL, NULL)::ezz.audit_verification)).problem;
SQL
log "audit_verify parts (blocks, unsealed, tables): $(grep -o 'Time: [0-9.]* ms' "$OUT/verify-parts.txt" | awk '{ printf "%s ms ", $2 }')"
log "audit_verify of $NENTRIES entries ($LBYTES bytes, $avg per entry): ${TVERIFY} s; scan ${TSCAN} s + SM3 ${THASH} s = ${TBOUND} s"
record ledger verify "$NENTRIES" "$TBOUND" "$TVERIFY"

# ezz.verify with and without its access record (the same checks, as superuser)
cat > "$OUT/verify-record.pgbench" <<'SQL'
\set n random(1, :nlicences)
SELECT (ezz.verify(id)).valid FROM bench.ids WHERE n = :n;
SQL
cat > "$OUT/verify-norecord.pgbench" <<'SQL'
\set n random(1, :nlicences)
SELECT (ezz._verify_licence(id)).valid FROM bench.ids WHERE n = :n;
SQL
nl=$(q -c "SELECT count(*) FROM bench.ids")
declare -A VREC VNOREC
for c in 2 8; do
	VNOREC[$c]=$(pgbench_run "$c" "$OUT/verify-norecord.pgbench" postgres -D nlicences="$nl")
	VREC[$c]=$(pgbench_run "$c" "$OUT/verify-record.pgbench" postgres -D nlicences="$nl")
	log "verify x$c: without access record ${VNOREC[$c]}/s, with ${VREC[$c]}/s"
	record ledger verify-access "$c" "${VNOREC[$c]}" "${VREC[$c]}"
done

{
	echo "| ledger | clients | baseline | ezz | ratio | target |"
	echo "| --- | ---: | ---: | ---: | ---: | --- |"
	for c in 1 2 8; do
		echo "| one-row INSERT, audited vs the same table without the trigger | $c | ${LINS_PLAIN[$c]} | ${LINS_AUDIT[$c]} | **$(ratio "${LINS_AUDIT[$c]}" "${LINS_PLAIN[$c]}")** | ≥ 0.85 |"
	done
	for c in 1 2 8; do
		echo "| (reference) one-row INSERT under a plain PL/pgSQL audit trigger, not tamper-evident | $c | ${LINS_PLAIN[$c]} | ${LINS_PLPGSQL[$c]} | $(ratio "${LINS_PLPGSQL[$c]}" "${LINS_PLAIN[$c]}") | (issue: 0.85) |"
	done
	for c in 1 2 8; do
		echo "| (floor) the row and an entry row like ezz's in one plain statement: no trigger, no hash | $c | ${LINS_PLAIN[$c]} | ${LINS_TWIN[$c]} | $(ratio "${LINS_TWIN[$c]}" "${LINS_PLAIN[$c]}") | — |"
	done
	echo "| \`COPY\` of $LCOPY rows, audited vs not (rows/s, median of $CROUNDS rounds) | 1 | $LCOPY_PLAIN | $LCOPY_AUDIT | **$(ratio "$LCOPY_AUDIT" "$LCOPY_PLAIN")** | ≥ 0.6 |"
	echo "| (bound) \`COPY\`, the audit trigger firing for every row and writing nothing | 1 | $LCOPY_PLAIN | $LCOPY_IDLE | $(ratio "$LCOPY_IDLE" "$LCOPY_PLAIN") | — |"
	echo "| \`ezz.audit_verify()\`, $NENTRIES entries (s; ratio = bound / ezz) | 1 | scan ${TSCAN} + SM3 ${THASH} = ${TBOUND} | ${TVERIFY} | **$(ratio "$TBOUND" "$TVERIFY")** | ≥ 0.5 |"
	for c in 2 8; do
		echo "| \`ezz.verify\` with its access record vs the same checks without | $c | ${VNOREC[$c]} | ${VREC[$c]} | $(ratio "${VREC[$c]}" "${VNOREC[$c]}") | — |"
	done
	echo
	echo "Where a COPY's time goes (µs a row, medians): the plain COPY $US_PLAIN; the audit trigger firing (the"
	echo "transition table filled) and returning at once +$US_IDLE; encoding the rows and writing them as entries"
	echo "of up to $CHUNKROWS rows +$US_AUDIT. The writer does not hash: SM3 over the row's image ($ROWBYTES bytes,"
	echo "\`openssl speed\`) would cost another $US_SM3; the sealer's leaf hash pays it, beside the writer."
	echo
	echo "Sealing: $SEALRATE rows/s (median of $CROUNDS rounds: the $LCOPY rows of the audited COPY, from its commit until the ezz ledger worker had sealed all their entries)."
	echo "Seal lag (now − the first committed unsealed entry, sampled every 0.2 s while the audited INSERT runs;"
	echo "the ezz ledger worker seals once a second):"
	echo
	for c in 1 2 8; do
		echo "- $c clients: ${LAGS[$c]}"
	done
} > "$OUT/ledger.md"
