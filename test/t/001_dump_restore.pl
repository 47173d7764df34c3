# pg_dump of a database with ezz and the sample province, restored into a
# fresh database, gives the same rows and sequence positions; ezz installs in
# a second database of the same cluster (roles are created only if missing).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use EzzNode;

my $node = ezz_node('main');

$node->safe_psql('postgres', 'CREATE DATABASE province');
$node->safe_psql('province', 'CREATE EXTENSION ezz');
load_sample($node, 'province');

# some rows in the data tables too: a binding (regrole by name) and a holder
$node->safe_psql('province', q{
	CREATE ROLE dump_admin LOGIN IN ROLE ezz_admin;
	SELECT ezz.bind_login('dump_admin', (SELECT uscc FROM ezz.department WHERE 'management' = ANY (kinds) LIMIT 1));
	INSERT INTO ezz.holder (kind, id_type, id_cipher, id_cipher_alg, id_key_version, id_blind, id_masked, name)
	VALUES ('natural_person', '111', '\x00', 'test', 1, '\x01', '110***********002X', '张大明');
	INSERT INTO ezz.holder (kind, name, related_holder)
	SELECT 'natural_person', '张小明', id FROM ezz.holder WHERE name = '张大明';
	INSERT INTO ezz.service_case (department, service_item, case_no, completed_at)
	SELECT s.department, s.code, 'DUMP-0001', '2025-05-22 10:00+08' FROM ezz.service_item s ORDER BY s.code LIMIT 1;
	UPDATE ezz.licence_type SET name = name || '（修订）' WHERE code = (SELECT min(code) FROM ezz.licence_type);
});
my $before = table_fingerprints($node, 'province');
like($before, qr/ezz\.licence_type \d+ [0-9a-f]{32}/, 'fingerprints cover the catalogue');
like($before, qr/ezz\.login_binding 1 /, 'the binding is part of what is dumped');
like($before, qr/ezz\.holder_id_seq 2 t/, 'sequence positions are part of what is dumped');

# a second database in the same cluster: the roles exist already
$node->safe_psql('postgres', 'CREATE DATABASE second');
$node->safe_psql('second', 'CREATE EXTENSION ezz');
is($node->safe_psql('second', q{SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ezz\_%'}), '7',
	'CREATE EXTENSION in a second database reuses the seven roles');
is($node->safe_psql('second', 'SELECT count(*) FROM ezz.department'), '0', 'the second database starts empty');

# dump and restore into a fresh database
my $dump = "$PostgreSQL::Test::Utils::tmp_check/province.dump";
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('province') ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
# (the documented procedure: as replica, so that reloaded rows are not audited again)
$ENV{PGOPTIONS} = '-c session_replication_role=replica';
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('restored'), $dump ], 'pg_restore');
my $after = table_fingerprints($node, 'restored');
is($after, $before, 'the restored database holds the same rows and sequence positions');
is($node->safe_psql('restored', q{SELECT pg_get_userbyid(login) FROM ezz.login_binding}), 'dump_admin',
	'the login binding survives by role name');

# a plain-format dump restores too (what a DBA reads and edits)
my $plain = "$PostgreSQL::Test::Utils::tmp_check/province.sql";
$node->command_ok([ 'pg_dump', '-f', $plain, '-d', $node->connstr('province') ], 'plain pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE restored_plain');
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('restored_plain'), '-f', $plain ],
	'plain dump restores');
delete $ENV{PGOPTIONS};
is(table_fingerprints($node, 'restored_plain'), $before, 'the plain restore holds the same rows');
is($node->safe_psql('restored', 'SELECT intact FROM ezz.audit_verify()'), 't', 'the restored ledger verifies');

$node->stop;
done_testing();
