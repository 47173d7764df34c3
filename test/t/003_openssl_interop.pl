# ezz's signatures are standard: a licence of each algorithm, exported, is
# verified by the openssl command line using nothing but the exported document
# (canonicalised here by Perl's JSON::PP, not by ezz) and the exported public
# key; SM2 with its distinguishing id 1234567812345678.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use JSON::PP;
use MIME::Base64;
use EzzNode;

my $node = ezz_node('interop');
$node->safe_psql('postgres', 'CREATE EXTENSION ezz');
load_sample($node, 'postgres');
$node->safe_psql('postgres', q{
	CREATE ROLE gongshu LOGIN IN ROLE ezz_issuer;
	SELECT ezz.bind_login('gongshu', '11330105MB1B28400H');
});
my $dir = $PostgreSQL::Test::Utils::tmp_check;
my $json = JSON::PP->new->utf8;

sub write_file
{
	my ($path, $bytes) = @_;
	open my $f, '>:raw', $path or die $!;
	print $f $bytes;
	close $f;
}

for my $alg ('sm2', 'ed25519', 'ecdsa-p256')
{
	$node->safe_psql('postgres', "SELECT ezz.create_key('11330105MB1B28400H', '$alg')");
	my $sample = $node->safe_psql('postgres',
		"SELECT face_sample FROM ezz.licence_type WHERE code = '11330000002481602G002'");
	my $export = $node->safe_psql('postgres', qq{
		SET SESSION AUTHORIZATION gongshu;
		SELECT ezz.export(ezz.issue('11330000002481602G002',
			'{"type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
			\$face\$$sample\$face\$, '2025-06-01', NULL));
	});
	my $x = $json->decode($export);
	is($x->{signature}{alg}, $alg, "$alg: the export names its algorithm");

	# canonical form by an independent implementation: JSON::PP, members
	# sorted; enough for these documents (ASCII member names, integers)
	my $canonical = JSON::PP->new->utf8->canonical->encode($x->{document});
	write_file("$dir/doc-$alg", $canonical);
	write_file("$dir/sig-$alg", decode_base64($x->{signature}{value}));
	write_file("$dir/pub-$alg.pem", $x->{public_key});
	my ($sm3) = `openssl dgst -sm3 -r "$dir/doc-$alg"` =~ /^([0-9a-f]{64})/;
	is($sm3, $x->{canonical_sm3}, "$alg: Perl's canonical bytes are the bytes ezz signed (same SM3)");

	my @verify = $alg eq 'ecdsa-p256'
	  ? ('openssl', 'dgst', '-sha256', '-verify', "$dir/pub-$alg.pem", '-signature', "$dir/sig-$alg", "$dir/doc-$alg")
	  : ('openssl', 'pkeyutl', '-verify', '-pubin', '-inkey', "$dir/pub-$alg.pem", '-rawin',
		 ($alg eq 'sm2' ? ('-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678') : ()),
		 '-in', "$dir/doc-$alg", '-sigfile', "$dir/sig-$alg");
	my ($out, $err) = ('', '');
	IPC::Run::run(\@verify, '>', \$out, '2>', \$err);
	like($out, qr/Verified (OK|Successfully)|Signature Verified Successfully/, "$alg: openssl verifies the signature");

	# one byte of the document changed: openssl refuses
	(my $forged = $canonical) =~ s/"version":1/"version":2/;
	write_file("$dir/forged-$alg", $forged);
	$verify[-1] = "$dir/forged-$alg" if $alg eq 'ecdsa-p256';
	$verify[-3] = "$dir/forged-$alg" if $alg ne 'ecdsa-p256';
	($out, $err) = ('', '');
	IPC::Run::run(\@verify, '>', \$out, '2>', \$err);
	unlike($out, qr/Verified OK|Verified Successfully/, "$alg: openssl refuses a changed document");
	if ($alg eq 'sm2')
	{
		# without the distinguishing id (OpenSSL 3.0's empty default) the signature does not verify
		my @noid = grep { $_ ne '-pkeyopt' && $_ ne 'distid:1234567812345678' } @verify;
		$noid[-3] = "$dir/doc-$alg";
		($out, $err) = ('', '');
		IPC::Run::run(\@noid, '>', \$out, '2>', \$err);
		unlike($out, qr/Verified Successfully/, 'sm2: the signature is bound to the distinguishing id 1234567812345678');
	}
}

$node->stop;
done_testing();
