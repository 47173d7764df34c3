# The master key file: refused when missing, malformed or readable by others;
# rotation to a new key version re-encrypts private keys and holder
# identities, after which the old line can go.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use EzzNode;

my $node = ezz_node('keys');
my $key_file = $node->basedir . '/master.key';
$node->safe_psql('postgres', 'CREATE EXTENSION ezz');
load_sample($node, 'postgres');

sub fails_like
{
	my ($sql, $re, $name) = @_;
	my ($rc, $out, $err) = $node->psql('postgres', "\\set VERBOSITY verbose\n$sql");
	isnt($rc, 0, "$name: refused");
	like($err, $re, "$name: $re");
}

# no setting
$node->safe_psql('postgres', "ALTER SYSTEM SET ezz.key_file = ''; SELECT pg_reload_conf()");
sleep 1;
fails_like("SELECT ezz.create_key('11330105MB1B28400H')", qr/55000: ezz has no master key: ezz\.key_file is not set/,
	'ezz.key_file unset');
# readable by others
$node->safe_psql('postgres', "ALTER SYSTEM RESET ezz.key_file; SELECT pg_reload_conf()");
sleep 1;
chmod 0644, $key_file;
fails_like("SELECT ezz.create_key('11330105MB1B28400H')", qr/F0000: master key file .* is not usable.*\n.*permissions 0644/,
	'a key file readable by others');
chmod 0600, $key_file;
# malformed
my $good = slurp_file($key_file);
write_key_file($key_file, [1, 'xyz']);
fails_like("SELECT ezz.create_key('11330105MB1B28400H')", qr/F0000: master key file .* is not usable.*\n.*a key is 64 hex digits/,
	'a malformed key line');
open my $f, '>', $key_file or die; print $f $good; close $f;
is($node->safe_psql('postgres', "SELECT ezz.create_key('11330105MB1B28400H') > 0"), 't', 'with the key file back, keys are made');

# nothing returns the master key or anything derived from it
my $secret = ($good =~ /^1:([0-9a-f]{64})$/m)[0];
is($node->safe_psql('postgres', "SELECT current_setting('ezz.key_file') = '$key_file'"), 't',
	'a superuser sees the path of the key file ...');
$node->safe_psql('postgres', 'CREATE ROLE plain LOGIN');
my ($rc, $out, $err) = $node->psql('postgres', "SET SESSION AUTHORIZATION plain; SHOW ezz.key_file;");
like($err, qr/must be superuser|permission denied/, '... nobody else does');
unlike($node->safe_psql('postgres', 'SELECT string_agg(x::text, \'\') FROM (SELECT ezz._master_key_versions()) x(x)'),
	qr/$secret/, 'the key versions function shows versions, not keys');

# rotation: add version 2, rotate, remove version 1
$node->safe_psql('postgres', q{
	CREATE ROLE gongshu LOGIN IN ROLE ezz_issuer;
	SELECT ezz.bind_login('gongshu', '11330105MB1B28400H');
});
my $sample = $node->safe_psql('postgres', "SELECT face_sample FROM ezz.licence_type WHERE code = '11330000002481602G002'");
my $issue = qq{SET SESSION AUTHORIZATION gongshu;
	SELECT ezz.issue('11330000002481602G002',
		'{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
		\$f\$$sample\$f\$, '2025-06-01', NULL);};
my $first = $node->safe_psql('postgres', $issue);
my $v2 = random_key();
write_key_file($key_file, [1, $secret], [2, $v2]);
is($node->safe_psql('postgres', 'SELECT ezz._master_key_versions()'), '{2,1}', 'the key file now holds versions 2 and 1');
my $second = $node->safe_psql('postgres', $issue);
is($node->safe_psql('postgres', q{SELECT count(*) FROM ezz.holder WHERE name = '杭州示例餐饮有限公司'}), '1',
	"before rotation, the holder is found under the old version's blind index");
is($node->safe_psql('postgres', 'SELECT ezz.rotate_master_key()'),
	'{"keys_resealed": 1, "holders_resealed": 1, "master_key_version": 2}', 'rotate_master_key re-encrypts the key and the holder');
write_key_file($key_file, [2, $v2]);
is($node->safe_psql('postgres', 'SELECT ezz._master_key_versions()'), '{2}', 'the old line is removed');
is($node->safe_psql('postgres', q{SELECT ezz._holder_reveal(id_type, id_cipher, id_cipher_alg, id_key_version) || ' v' || id_key_version
	FROM ezz.holder WHERE name = '杭州示例餐饮有限公司'}), '91330105MA2H2H2H2A v2', 'the holder decrypts under version 2 alone');
my $third = $node->safe_psql('postgres', $issue);
ok($third ne $second, 'signing works with the resealed private key');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ezz.holder WHERE name = '杭州示例餐饮有限公司'}), '1',
	'the rebuilt blind index still finds the holder');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ezz.licence l WHERE (ezz.verify(l.id)).valid}), '3',
	'every licence verifies after rotation');

$node->stop;
done_testing();
