# The audit ledger and the access log against a superuser and against
# crashes: every kind of tampering is named by ezz.audit_verify; a kill -9 in
# the middle of heavy writes loses nothing the ledger cannot account for; an
# access record survives the caller's ROLLBACK, its refusal and a kill -9
# after the call returned; retention drops only partitions wholly older than
# ezz.access_log_retention and their blocks still verify; a proof checks out
# with nothing but openssl (tools/ledger-proof-check).
use strict;
use warnings;
use IPC::Run;
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use EzzNode;

# (a backend killed with -9 makes the postmaster reset and recover, as after a crash)
my $node = ezz_node('ledger', conf => 'restart_after_crash = on');
$node->safe_psql('postgres', 'CREATE DATABASE lib');
$node->safe_psql('postgres', q{ALTER DATABASE lib SET search_path = "$user", public, ezz});
$node->safe_psql('lib', 'CREATE EXTENSION ezz');
load_sample($node, 'lib');
$node->safe_psql('lib', q{
	CREATE ROLE gongshu LOGIN IN ROLE ezz_issuer;
	CREATE ROLE xihu LOGIN IN ROLE ezz_issuer;
	CREATE ROLE tax LOGIN IN ROLE ezz_consumer;
	SELECT ezz.bind_login('gongshu', '11330105MB1B28400H'), ezz.bind_login('xihu', '11330000002481127M'),
		   ezz.bind_login('tax', '11330100MB1A330659');
	SELECT ezz.create_key('11330105MB1B28400H'), ezz.create_key('11330000MB1946A028');
	CREATE TABLE stage (type_code text, holder jsonb, data jsonb, valid_from date, case_no text);
	GRANT SELECT ON stage TO gongshu;
	INSERT INTO stage
	SELECT '11330000002481602G002',
		   jsonb_build_object('type', 'legal_person', 'id_type', '001',
							  'id', ezz.uscc_complete('9133010' || lpad(g::text, 10, '0'))::text, 'name', '企业' || g),
		   jsonb_set(t.face_sample, '{licence_no}', to_jsonb('JY' || lpad(g::text, 14, '0'))), '2025-01-01', 'L-' || g
	FROM ezz.licence_type t, generate_series(1, 40) g WHERE t.code = '11330000002481602G002';
	SET SESSION AUTHORIZATION gongshu;
	SELECT ezz.issue_batch('stage');
	RESET SESSION AUTHORIZATION;
});
$node->safe_psql('lib', 'CALL ezz.maintain()');

sub verdict
{
	my ($db) = @_;
	return $node->safe_psql($db // 'lib',
		q{SELECT CASE WHEN intact THEN 't' ELSE concat_ws('|', 'f', coalesce(problem, ''), coalesce(entry_id::text, ''),
			coalesce(relation, ''), coalesce(block_no::text, '')) END FROM ezz.audit_verify()});
}

# kill -9 one backend: the postmaster ends every other one and recovers
# from the WAL, as after a crash of the server
sub crash_restart
{
	my ($pid) = @_;
	my $q = q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'};
	my $checkpointer = $node->safe_psql('lib', $q);
	kill 'KILL', $pid;
	# (the checkpointer is started again by the recovery)
	$node->poll_query_until('lib', "SELECT ($q) <> $checkpointer") or die "the server did not come back after kill -9";
}

sub as_superuser_on_ledger
{
	my ($table, $trigger, $sql) = @_;
	$node->safe_psql('lib', "ALTER TABLE $table DISABLE TRIGGER $trigger; $sql; ALTER TABLE $table ENABLE ALWAYS TRIGGER $trigger;");
}

is(verdict(), 't', 'the library verifies after issuing and sealing');

# (a) an entry altered by a superuser with the guard disabled
my $x = $node->safe_psql('lib', q{SELECT min(id) FROM ezz.audit_entry WHERE relation = 'ezz.licence'});
my $actor = $node->safe_psql('lib', "SELECT actor FROM ezz.audit_entry WHERE id = $x");
as_superuser_on_ledger('ezz.audit_entry', 'guard_append_only', "UPDATE ezz.audit_entry SET actor = 'mallory' WHERE id = $x");
like(verdict(), qr/^f\|altered\|$x\|ezz\.licence\|\d+$/, "(a) an altered entry is named: entry $x, its block");
as_superuser_on_ledger('ezz.audit_entry', 'guard_append_only', "UPDATE ezz.audit_entry SET actor = '$actor' WHERE id = $x");
is(verdict(), 't', 'put back, the ledger verifies');

# (b) an entry deleted
$node->safe_psql('lib', "CREATE TABLE saved AS SELECT * FROM ezz.audit_entry WHERE id = $x");
as_superuser_on_ledger('ezz.audit_entry', 'guard_append_only', "DELETE FROM ezz.audit_entry WHERE id = $x");
like(verdict(), qr/^f\|deleted\|$x\|\|\d+$/, "(b) a deleted entry is named: entry $x");
$node->safe_psql('lib', 'INSERT INTO ezz.audit_entry SELECT * FROM saved');
is(verdict(), 't', 'put back, the ledger verifies');

# (c) an entry inserted out of band, where a rolled-back transaction left a gap
$node->safe_psql('lib', q{
	BEGIN;
	UPDATE ezz.region SET objection_days = objection_days WHERE code = '330100';
	ROLLBACK;
});
my $gap = $node->safe_psql('lib', 'SELECT last_value FROM ezz.audit_entry_id_seq');
$node->safe_psql('lib', q{UPDATE ezz.region SET objection_days = objection_days WHERE code = '330100'});
# (the floor passes an id once no transaction older than the seal that saw it runs)
my $floor = 0;
for (1 .. 50)
{
	$node->safe_psql('lib', 'CALL ezz.maintain()');
	$floor = $node->safe_psql('lib', q{SELECT floor FROM ezz.ledger_seal_state WHERE ledger = 'audit'});
	last if $floor > $gap;
	select(undef, undef, undef, 0.2);
}
ok($floor > $gap, 'the sealed floor has passed the gap');
$node->safe_psql('lib', "INSERT INTO ezz.audit_entry SELECT $gap, at, xid, relation, op, actor, department, row_key, old_row, new_row, row_hash FROM saved");
like(verdict(), qr/^f\|inserted out of band\|$gap\|/, "(c) an entry inserted out of band is named: entry $gap");
as_superuser_on_ledger('ezz.audit_entry', 'guard_append_only', "DELETE FROM ezz.audit_entry WHERE id = $gap");
is(verdict(), 't', 'taken out, the ledger verifies');

# (d) a licence edited with its audit trigger disabled
my $lic = $node->safe_psql('lib', 'SELECT min(id::text) FROM ezz.licence');
as_superuser_on_ledger('ezz.licence', 'zz_audit', "UPDATE ezz.licence SET archived = true WHERE id = '$lic'");
like(verdict(), qr/^f\|row altered out of band\|\d+\|ezz\.licence\|$/, '(d) a licence row changed behind the audit trigger is named');
like($node->safe_psql('lib', 'SELECT detail FROM ezz.audit_verify()'), qr/\Q$lic\E/, 'by its identifier');
as_superuser_on_ledger('ezz.licence', 'zz_audit', "UPDATE ezz.licence SET archived = false WHERE id = '$lic'");
is(verdict(), 't', 'put back, the ledger verifies');
as_superuser_on_ledger('ezz.licence', 'zz_audit', "DELETE FROM ezz.licence_holder WHERE licence = '$lic'; DELETE FROM ezz.licence WHERE id = '$lic'")
  if 0;    # (deleting needs the holder rows too: row deleted out of band is covered by ledger.sql's pgTAP)

# (e) a block's signature replaced
my $sig1 = $node->safe_psql('lib', q{SELECT encode(signature, 'hex') FROM ezz.ledger_block WHERE ledger = 'audit' AND block_no = 1});
as_superuser_on_ledger('ezz.ledger_block', 'guard_append_only',
	q{UPDATE ezz.ledger_block SET signature = (SELECT signature FROM ezz.ledger_block WHERE ledger = 'audit' AND block_no = 2)
	  WHERE ledger = 'audit' AND block_no = 1});
like(verdict(), qr/^f\|block signature bad\|\|\|1$/, '(e) a block whose signature is not its own is named');
as_superuser_on_ledger('ezz.ledger_block', 'guard_append_only',
	"UPDATE ezz.ledger_block SET signature = decode('$sig1', 'hex') WHERE ledger = 'audit' AND block_no = 1");
is(verdict(), 't', 'put back, the ledger verifies');

# a digest kept outside still holds later
my $digest = $node->safe_psql('lib', 'SELECT ezz.audit_digest()');
$node->safe_psql('lib', q{UPDATE ezz.region SET objection_days = objection_days WHERE code = '330200'; CALL ezz.maintain();});
is($node->safe_psql('lib', "SELECT intact FROM ezz.audit_verify('$digest')"), 't', 'the ledger extends an earlier digest');

# a proof checks out outside the database
my $proof = $node->safe_psql('lib', "SELECT ezz.audit_proof($x)");
my $dir = PostgreSQL::Test::Utils::tempdir;
my $checker = ezz_source() . '/tools/ledger-proof-check';
open my $pf, '>', "$dir/proof.json" or die;
print $pf $proof;
close $pf;
my ($out, $err) = ('', '');
IPC::Run::run([ 'perl', $checker, "$dir/proof.json" ], '>', \$out, '2>', \$err);
like($out, qr/^proof OK: audit entry $x is leaf \d+ of \d+ in block \d+/, 'tools/ledger-proof-check accepts the proof with openssl alone');
my $pj = JSON::PP->new->utf8->canonical;
my $p = $pj->decode($proof);
$p->{canonical} =~ s/"actor":"\Q$actor\E"/"actor":"mallory"/;
my $forged = $pj->encode($p);
isnt($forged, $proof, 'a forged proof (another actor)');
open $pf, '>', "$dir/forged.json" or die;
print $pf $forged;
close $pf;
($out, $err) = ('', '');
IPC::Run::run([ 'perl', $checker, "$dir/forged.json" ], '>', \$out, '2>', \$err);
like($out, qr/^proof FAILED: the leaf is not the hash of the canonical entry/, 'is refused by the checker');

# kill -9 in the middle of heavy writes: after recovery and sealing the ledger
# verifies and holds every committed row
my $script = "$dir/write.sql";
open my $sf, '>', $script or die;
print $sf q{\set n random(1, 1000000000)
INSERT INTO ezz.service_item (code, name, department) VALUES ('KILL-:client_id-:n', '压测事项', '11330000MB1946A028') ON CONFLICT DO NOTHING;
UPDATE ezz.service_item SET name = '压测事项' || :n WHERE code = 'KILL-:client_id-:n';
};
close $sf;
my ($pb_out, $pb_err) = ('', '');
my $pgbench = IPC::Run::start([ 'pgbench', '-n', '-c', '4', '-T', '60', '-f', $script, $node->connstr('lib') ],
	'>', \$pb_out, '2>', \$pb_err);
# wait until writes are under way
$node->poll_query_until('lib', q{SELECT count(*) > 200 FROM ezz.service_item WHERE code LIKE 'KILL-%'});
my $victim = $node->safe_psql('lib', q{SELECT pid FROM pg_stat_activity
	WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND query LIKE '%KILL-%' LIMIT 1});
die "pgbench is not running: $pb_out $pb_err" unless $victim =~ /^\d+$/;
crash_restart($victim);
$pgbench->finish;
$node->safe_psql('lib', 'CALL ezz.maintain()');
my $rows = $node->safe_psql('lib', q{SELECT count(*) FROM ezz.service_item WHERE code LIKE 'KILL-%'});
ok($rows > 200, "writes were under way when the server was killed ($rows rows committed)");
is(verdict(), 't', 'after kill -9, recovery and sealing, the ledger verifies: every committed row is in it');
is($node->safe_psql('lib', 'SELECT pending FROM ezz.audit_verify()'), '0', 'and every committed entry is sealed');
is($node->safe_psql('lib', q{SELECT count(DISTINCT row_key) FROM ezz.audit_entry
	WHERE relation = 'ezz.service_item' AND op = 'INSERT' AND row_key LIKE '%KILL-%'}), $rows, 'each committed row has its insert entry');

# access records: outside the caller's transaction
$node->safe_psql('lib', "BEGIN; SET SESSION AUTHORIZATION gongshu; SELECT ezz.verify('$lic'); ROLLBACK;");
is($node->safe_psql('lib', qq{SELECT count(*) FROM ezz.access_log WHERE licence = '$lic' AND actor = 'gongshu' AND action = 'verify' AND allowed}),
	'1', 'a verification followed by ROLLBACK stays recorded');
my ($rc) = $node->psql('lib', "SET SESSION AUTHORIZATION tax; SELECT ezz.verify('$lic', 'ZJ-SW-0002', '核验经营资格');");
isnt($rc, 0, 'a using department off the usage list is refused');
like($node->safe_psql('lib', qq{SELECT allowed || ' ' || department || ' ' || reason FROM ezz.access_log WHERE licence = '$lic' AND actor = 'tax'}),
	qr/^false 11330100MB1A330659 department 11330100MB1A330659 may not verify/, 'and the refusal is recorded with its reason');
my $lic2 = $node->safe_psql('lib', 'SELECT max(id::text) FROM ezz.licence');
$node->safe_psql('lib', "SET SESSION AUTHORIZATION gongshu; SELECT ezz.export('$lic2');");
my $sleeper = IPC::Run::start([ 'psql', '-X', '-d', $node->connstr('lib'), '-c', 'SELECT pg_sleep(600)' ], '>', \my $s_out, '2>', \my $s_err);
$node->poll_query_until('lib', q{SELECT count(*) = 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)'});
crash_restart($node->safe_psql('lib', q{SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)'}));
$sleeper->finish;
is($node->safe_psql('lib', qq{SELECT count(*) FROM ezz.access_log WHERE licence = '$lic2' AND action = 'export'}), '1',
	'an access whose call returned survives a kill -9 right after');
is($node->safe_psql('lib', "SET SESSION AUTHORIZATION gongshu; SELECT count(*) FROM ezz.licence_accesses WHERE licence IN ('$lic', '$lic2')"),
	'3', 'the issuer reads the accesses to its licences');
is($node->safe_psql('lib', 'SET SESSION AUTHORIZATION xihu; SELECT count(*) FROM ezz.licence_accesses'), '0',
	'another issuer reads none of them');
($rc, $out, $err) = $node->psql('lib', 'SET SESSION AUTHORIZATION tax; SELECT count(*) FROM ezz.access_log');
like($err, qr/permission denied/, 'no department reads the access log table itself');

# retention: only partitions wholly older than ezz.access_log_retention go
($rc, $out, $err) = $node->psql('postgres', q{ALTER SYSTEM SET ezz.access_log_retention = '11 months'});
like($err, qr/invalid value for parameter "ezz.access_log_retention"/, 'a retention under one year is refused');
$node->safe_psql('lib', q{
	CREATE TABLE old_at AS SELECT t FROM (VALUES ('2020-03-15 12:00+08'::timestamptz), (now() - interval '2 years'),
		(now() - interval '3 years' + interval '1 day')) v(t);
	SELECT ezz._access_partition(t) FROM old_at;
	INSERT INTO ezz.access_log (id, at, actor, action, allowed)
	SELECT nextval('ezz.access_log_id_seq'), t, 'archive', 'verify', true FROM old_at;
});
$node->safe_psql('lib', 'CALL ezz.maintain()');
my $old = $node->safe_psql('lib', q{SELECT partition FROM ezz.access_partition_drop ORDER BY 1});
is($old, 'ezz.access_log_202003', 'the partition wholly older than three years is dropped, after sealing');
is($node->safe_psql('lib', q{SELECT count(*) FROM ezz.access_log WHERE actor = 'archive'}), '2',
	'younger partitions stay, even one that holds a row just inside three years');
is(verdict(), 't', "the dropped partition's blocks still verify");
is($node->safe_psql('lib', q{SELECT count(*) FROM generate_series(0, 2) i
	WHERE to_regclass(format('ezz.access_log_%s', to_char(date_trunc('month', now() + make_interval(months => i), 'UTC') AT TIME ZONE 'UTC', 'YYYYMM'))) IS NOT NULL}),
	'3', 'the partitions of this month and the next two exist ahead');
my $young = $node->safe_psql('lib', q{SELECT format('ezz.access_log_%s', to_char((now() - interval '2 years') AT TIME ZONE 'UTC', 'YYYYMM'))});
$node->safe_psql('lib', "DROP TABLE $young");
like(verdict(), qr/^f\|deleted\|/, 'a partition dropped by hand (not by retention) is named');

$node->stop;
done_testing();
