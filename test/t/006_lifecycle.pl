# The status machine beyond one session: NOTIFY ezz_status reaches listeners
# when a status change commits (and not when it rolls back), and logical
# replication apply cannot make an illegal transition on a subscriber (the
# status triggers are ENABLE ALWAYS), nor does it write local history for a
# legal one (the origin's history is what replicates).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use EzzNode;

my $food = '11330000002481602G002';
my $holder = '{"role": "持证人", "type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}';

sub prepare
{
	my ($node) = @_;
	$node->safe_psql('postgres', 'CREATE EXTENSION ezz');
	load_sample($node, 'postgres');
	$node->safe_psql('postgres', q{
		CREATE ROLE gongshu LOGIN IN ROLE ezz_issuer;
		SELECT ezz.bind_login('gongshu', '11330105MB1B28400H');
		SELECT ezz.create_key('11330105MB1B28400H');
	});
}

sub issue
{
	my ($node) = @_;
	return $node->safe_psql('postgres', qq{
		CREATE TEMP TABLE f AS SELECT face_sample AS face FROM ezz.licence_type WHERE code = '$food';
		GRANT SELECT ON f TO gongshu;
		SET SESSION AUTHORIZATION gongshu;
		SELECT ezz.issue('$food', '$holder', face, '2025-06-01', NULL) FROM f;
	});
}

my $pub = ezz_node('origin', allows_streaming => 'logical');
prepare($pub);

# NOTIFY: a listener gets the event's id after the commit, nothing after a
# rollback
my $l1 = issue($pub);
my $l2 = issue($pub);
my ($rc, $out, $err) = $pub->psql('postgres', qq{
	LISTEN ezz_status;
	SET SESSION AUTHORIZATION gongshu;
	BEGIN; SELECT ezz.suspend('$l2', 'rolled back'); ROLLBACK;
	SELECT ezz.suspend('$l1', '停业整顿');
	SELECT 1;
});
my @notes = $out =~ /Asynchronous notification "ezz_status" with payload "([^"]*)"/g;
is(scalar @notes, 1, 'one notification: the committed change, not the rolled-back one');
my $event = $pub->safe_psql('postgres', "SELECT max(id) FROM ezz.status_events");
is($notes[0], $event, 'payload: the event id only (any session may LISTEN)');
is($pub->safe_psql('postgres', "SELECT licence::text || ' ' || from_status || '>' || to_status FROM ezz.status_events WHERE id = $event"),
	"$l1 valid>suspended", 'the event it names is the change');
$pub->safe_psql('postgres', "SET SESSION AUTHORIZATION gongshu; SELECT ezz.resume('$l1', '整改完成')");

# logical replication of the licences to a second library
my $sub = ezz_node('replica');
prepare($sub);
$pub->safe_psql('postgres', 'CREATE PUBLICATION licences FOR TABLE ezz.licence');
my $connstr = $pub->connstr . ' dbname=postgres';
$sub->safe_psql('postgres', "CREATE SUBSCRIPTION licences CONNECTION '$connstr' PUBLICATION licences");
$sub->wait_for_subscription_sync($pub, 'licences');
is($sub->safe_psql('postgres', "SELECT string_agg(status::text, ',' ORDER BY id) FROM ezz.licence"), 'valid,valid',
	'both licences reach the replica');

# the replica diverges: an administrator there revokes the second licence
$sub->safe_psql('postgres', "UPDATE ezz.licence SET status = 'revoked' WHERE id OPERATOR(ezz.=) '$l2'");
my $history = $sub->safe_psql('postgres', 'SELECT count(*) FROM ezz.status_history');

# a legal change at the origin applies, with no local history row
$pub->safe_psql('postgres', "SET SESSION AUTHORIZATION gongshu; SELECT ezz.pledge('$l1', '质押登记')");
$pub->wait_for_catchup('licences');
is($sub->safe_psql('postgres', "SELECT status FROM ezz.licence WHERE id OPERATOR(ezz.=) '$l1'"), 'pledged', 'a legal change replicates');
is($sub->safe_psql('postgres', 'SELECT count(*) FROM ezz.status_history'), $history,
	'apply (replica mode) writes no local history: the origin\'s is what replicates');

# an origin change that is illegal on the replica (revoked -> suspended) is
# refused by the status trigger inside the apply worker
my $offset = -s $sub->logfile;
$pub->safe_psql('postgres', "SET SESSION AUTHORIZATION gongshu; SELECT ezz.suspend('$l2', '停业整顿')");
ok($sub->wait_for_log(qr/licence \Q$l2\E cannot go from revoked 吊销 to suspended 挂起/, $offset),
	'the apply worker hits the status machine: revoked cannot go to suspended');
is($sub->safe_psql('postgres', "SELECT status FROM ezz.licence WHERE id OPERATOR(ezz.=) '$l2'"), 'revoked',
	'the replica\'s licence stays revoked');

$sub->safe_psql('postgres', 'ALTER SUBSCRIPTION licences DISABLE');
$sub->stop;
$pub->stop;
done_testing();
