# ezz refuses to install unless preloaded (55000 with a hint), and refuses an
# existing ezz_owner role that could log in.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use EzzNode;

my $node = ezz_node('nopreload');
$node->append_conf('postgresql.conf', "shared_preload_libraries = ''");
$node->restart;

my ($rc, $out, $err) = $node->psql('postgres', "\\set VERBOSITY verbose\nCREATE EXTENSION ezz;");
isnt($rc, 0, 'CREATE EXTENSION fails without the preload');
like($err, qr/ERROR:  55000: ezz must be loaded via shared_preload_libraries/, 'with SQLSTATE 55000');
like($err, qr/HINT:  Add ezz to shared_preload_libraries in postgresql\.conf, restart the server/, 'and a hint');
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_namespace WHERE nspname = 'ezz'}), '0',
	'nothing of ezz is left behind');

# with the preload it installs
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'ezz'");
$node->restart;

# but not over an ezz_owner that can log in
$node->safe_psql('postgres', 'CREATE ROLE ezz_owner LOGIN');
($rc, $out, $err) = $node->psql('postgres', "\\set VERBOSITY verbose\nCREATE EXTENSION ezz;");
isnt($rc, 0, 'CREATE EXTENSION refuses an ezz_owner that can log in');
like($err, qr/ERROR:  55000: role ezz_owner exists and can log in/, 'saying why');
$node->safe_psql('postgres', 'ALTER ROLE ezz_owner NOLOGIN');
$node->safe_psql('postgres', 'CREATE EXTENSION ezz');
is($node->safe_psql('postgres', q{SELECT extversion FROM pg_extension WHERE extname = 'ezz'}), '0.1',
	'then it installs');

$node->stop;
done_testing();
