# pg_dump of a library with licences, restored into a fresh cluster that has
# the same master key file: every licence still verifies, holders decrypt, and
# the restored library can go on issuing.  The restore does not re-run issue
# logic: rows come back as they were.
use strict;
use warnings;
use File::Copy;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use EzzNode;

my $old = ezz_node('old');
$old->safe_psql('postgres', 'CREATE DATABASE licences');
$old->safe_psql('licences', 'CREATE EXTENSION ezz');
load_sample($old, 'licences');
$old->safe_psql('licences', q{
	CREATE ROLE gongshu LOGIN IN ROLE ezz_issuer;
	SELECT ezz.bind_login('gongshu', '11330105MB1B28400H');
	SELECT ezz.create_key('11330105MB1B28400H', 'sm2');
	CREATE TABLE stage (type_code text, holder jsonb, data jsonb, valid_from date, case_no text);
	GRANT SELECT ON stage TO gongshu;
	INSERT INTO stage
	SELECT '11330000002481602G002',
		   jsonb_build_object('type', 'legal_person', 'id_type', '001',
							  'id', ezz.uscc_complete('9133010' || lpad(g::text, 10, '0'))::text, 'name', '企业' || g),
		   jsonb_set(t.face_sample, '{licence_no}', to_jsonb('JY' || lpad(g::text, 14, '0'))), '2025-01-01', 'R-' || g
	FROM ezz.licence_type t, generate_series(1, 300) g WHERE t.code = '11330000002481602G002';
	SET SESSION AUTHORIZATION gongshu;
	SELECT ezz.issue_batch('stage');
	RESET SESSION AUTHORIZATION;
	SELECT ezz.create_key('11330105MB1B28400H', 'ed25519');
	SET SESSION AUTHORIZATION gongshu;
	SELECT ezz.issue('11330000002481602G002', '{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
					 (SELECT data FROM stage LIMIT 1), '2025-06-01', NULL);
});
is($old->safe_psql('licences', 'SELECT count(*) FROM ezz.licence l WHERE (ezz.verify(l.id)).valid'), '301',
	'301 licences verify in the old cluster');

my $dir = $PostgreSQL::Test::Utils::tmp_check;
$old->command_ok([ 'pg_dumpall', '--roles-only', '-f', "$dir/roles.sql", '-d', $old->connstr('postgres') ], 'roles dumped');
$old->command_ok([ 'pg_dump', '-Fc', '-f', "$dir/licences.dump", '-d', $old->connstr('licences') ], 'pg_dump');

# a fresh cluster with the same key file
copy($old->basedir . '/master.key', "$dir/moved.key") or die $!;
chmod 0600, "$dir/moved.key";
my $new = ezz_node('new', key_file => "$dir/moved.key");
$new->command_ok([ 'psql', '-X', '-q', '-d', $new->connstr('postgres'), '-f', "$dir/roles.sql" ], 'roles restored');
$new->safe_psql('postgres', 'CREATE DATABASE licences');
# (the documented procedure: as replica, so that reloaded rows are not audited again)
$ENV{PGOPTIONS} = '-c session_replication_role=replica';
$new->command_ok([ 'pg_restore', '--exit-on-error', '-d', $new->connstr('licences'), "$dir/licences.dump" ], 'pg_restore');
delete $ENV{PGOPTIONS};
is($new->safe_psql('licences', 'SELECT concat_ws(\' \', intact, problem, detail) FROM ezz.audit_verify()'), 't',
	'the restored ledger verifies: the tables are what their ledger says');
is($new->safe_psql('licences', 'SELECT count(*) FROM ezz.licence'), '301', 'every licence is restored');
is($new->safe_psql('licences', 'SELECT count(*) FROM ezz.licence l WHERE NOT (ezz.verify(l.id)).valid'), '0',
	'every restored licence verifies');
is($new->safe_psql('licences', q{SELECT ezz._holder_reveal(id_type, id_cipher, id_cipher_alg, id_key_version)
	FROM ezz.holder WHERE name = '杭州示例餐饮有限公司'}), '91330105MA2H2H2H2A', 'holder identities decrypt with the moved key file');
my $sample = $new->safe_psql('licences', "SELECT face_sample FROM ezz.licence_type WHERE code = '11330000002481602G002'");
is($new->safe_psql('licences', qq{
	SET SESSION AUTHORIZATION gongshu;
	SELECT ezz.ident_issuer(ezz.issue('11330000002481602G002',
		'{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
		\$f\$$sample\$f\$, '2025-06-01', NULL))}),
	'11330105MB1B28400H', 'the restored library goes on issuing (its private keys open with the moved key file)');
is($new->safe_psql('licences', q{SELECT count(*) FROM ezz.holder WHERE name = '杭州示例餐饮有限公司'}), '1',
	'and finds the restored holder by its blind index');
is($new->safe_psql('licences', q{SELECT count(DISTINCT id) || ' ' || max(substr(ezz.ident_serial(id), 9)::bigint) FROM ezz.licence}),
	'302 302', 'the serial sequence continues where it was: no identifier twice');

# without the key file the restored library can check signatures but sign nothing
my $nokey = ezz_node('nokey', key_file => "$dir/absent.key");
$nokey->command_ok([ 'psql', '-X', '-q', '-d', $nokey->connstr('postgres'), '-f', "$dir/roles.sql" ], 'roles restored (no key)');
$nokey->safe_psql('postgres', 'CREATE DATABASE licences');
$ENV{PGOPTIONS} = '-c session_replication_role=replica';
$nokey->command_ok([ 'pg_restore', '--exit-on-error', '-d', $nokey->connstr('licences'), "$dir/licences.dump" ], 'pg_restore (no key)');
delete $ENV{PGOPTIONS};
is($nokey->safe_psql('licences', 'SELECT count(*) FROM ezz.licence l WHERE NOT (ezz.verify(l.id)).valid'), '0',
	'signatures verify without the master key (public keys suffice)');
my ($rc, $out, $err) = $nokey->psql('licences', q{SELECT ezz.create_key('11330105MB1B28400H')});
like($err, qr/could not read the master key file .*absent\.key.*No such file/, 'signing keys cannot be made without the key file');

$_->stop for ($old, $new, $nokey);
done_testing();
