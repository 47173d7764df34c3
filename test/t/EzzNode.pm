# EzzNode — helpers for ezz's Perl TAP tests (PostgreSQL::Test::Cluster).
package EzzNode;
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Exporter 'import';
our @EXPORT = qw(ezz_node ezz_source load_sample table_fingerprints write_key_file);

sub ezz_source { return $ENV{EZZ_SOURCE} // die "EZZ_SOURCE is not set: run through test/run\n"; }

# Write a master key file (mode 0600): one line per [version, 64 hex digits].
sub write_key_file
{
	my ($path, @keys) = @_;
	open my $f, '>', $path or die "cannot write $path: $!";
	print $f "# ezz master key (test)\n";
	print $f "$_->[0]:$_->[1]\n" for @keys;
	close $f;
	chmod 0600, $path;
	return $path;
}

sub random_key { return join '', map { sprintf '%02x', int(rand(256)) } 1 .. 32; }

# A started node; TEMP_CONFIG (test/t/ezz.conf) preloads ezz.  Unless told a
# key_file, the node gets a fresh master key file of its own; conf is more
# postgresql.conf.
sub ezz_node
{
	my ($name, %opts) = @_;
	my $key_file = delete $opts{key_file};
	my $conf = delete $opts{conf};
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(extra => ['--locale=C.UTF-8', '--encoding=UTF8'], %opts);
	$key_file //= write_key_file($node->basedir . '/master.key', [1, random_key()]);
	$node->append_conf('postgresql.conf', "ezz.key_file = '$key_file'");
	$node->append_conf('postgresql.conf', $conf) if defined $conf;
	$node->start;
	return $node;
}

push @EXPORT, 'random_key';

# Load the sample calendar and province into a database that has ezz.
sub load_sample
{
	my ($node, $db) = @_;
	my $src = ezz_source();
	$node->command_ok(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db),
		  '-f', "$src/sample/calendar.sql", '-f', "$src/sample/province.sql" ],
		"sample province loads into $db");
}

# "table rows md5" for every table ezz.table_policy registers for pg_dump, and
# "sequence last_value is_called" for every ezz sequence: what a dump must keep.
sub table_fingerprints
{
	my ($node, $db) = @_;
	my @tables = split /\n/, $node->safe_psql($db,
		"SELECT relation::text FROM ezz.table_policy WHERE class <> 'meta' ORDER BY 1");
	my @lines;
	for my $t (@tables)
	{
		push @lines, "$t " . $node->safe_psql($db,
			"SELECT count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '-') FROM $t r");
	}
	my @seqs = split /\n/, $node->safe_psql($db,
		"SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = 'ezz'::regnamespace AND c.relkind = 'S' ORDER BY 1");
	for my $s (@seqs)
	{
		push @lines, "$s " . $node->safe_psql($db, "SELECT last_value || ' ' || is_called FROM $s");
	}
	return join("\n", @lines);
}

1;
