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
	my ($node, $login) = @_;
	$login //= 'gongshu';
	return $node->safe_psql('postgres', qq{
		CREATE TEMP TABLE f AS SELECT face_sample AS face FROM ezz.licence_type WHERE code = '$food';
		GRANT SELECT ON f TO $login;
		SET SESSION AUTHORIZATION $login;
		SELECT ezz.issue('$food', '$holder', face, '2025-06-01', NULL) FROM f;
	});
}

# Run sql as gongshu in a session that LISTENs; the notifications received
# (payload, sending process) while it ran and in the second after.
sub listen_to
{
	my ($node, $sql) = @_;
	my ($rc, $out, $err) = $node->psql('postgres', qq{
		LISTEN ezz_status;
		SET SESSION AUTHORIZATION gongshu;
		$sql
		SELECT pg_sleep(1);
		SELECT 1;
	});
	return $out =~ /Asynchronous notification "ezz_status" with payload "([^"]*)" received from server process with PID (\d+)/g;
}

# The origin runs the ezz worker (ezz.database), which sends the NOTIFY for
# the transactions that changed a status, after they commit.
my $pub = ezz_node('origin', allows_streaming => 'logical',
	conf => "ezz.database = 'postgres'\nmax_prepared_transactions = 2");
prepare($pub);
my $worker = $pub->safe_psql('postgres', "SELECT pid FROM pg_stat_activity WHERE backend_type = 'ezz worker'");
like($worker, qr/^\d+$/, 'the ezz worker runs for the database named by ezz.database');

# NOTIFY: a listener gets an event id after the commit, nothing after a
# rollback
my $l1 = issue($pub);
my $l2 = issue($pub);
my @notes = listen_to($pub, qq{
	BEGIN; SELECT ezz.suspend('$l2', 'rolled back'); ROLLBACK;
	SELECT ezz.suspend('$l1', '停业整顿');
});
my $event = $pub->safe_psql('postgres', "SELECT max(id) FROM ezz.status_events");
is_deeply(\@notes, [ $event, $worker ],
	'one notification, after the commit, not for the rolled-back change: the event id, sent by the worker');
is($pub->safe_psql('postgres', "SELECT licence::text || ' ' || from_status || '>' || to_status FROM ezz.status_events WHERE id = $event"),
	"$l1 valid>suspended", 'the event it names is the change');
@notes = listen_to($pub, qq{
	BEGIN; SELECT ezz.resume('$l1', '整改完成'); SELECT ezz.pledge('$l1', '质押登记'); COMMIT;
	SELECT ezz.release_pledge('$l1', '解除质押');
});
$event = $pub->safe_psql('postgres', "SELECT max(id) FROM ezz.status_events");
ok(@notes >= 2 && @notes <= 4 && $notes[-2] eq $event,
	'changes committed together or in a burst: the last notification names the newest event')
  or diag("notifications: @notes; newest event $event");

# a status change cannot be prepared: nobody would announce its COMMIT PREPARED
my (undef, undef, $prepare_err) = $pub->psql('postgres', qq{
	SET SESSION AUTHORIZATION gongshu;
	BEGIN; SELECT ezz.suspend('$l1', '停业整顿'); PREPARE TRANSACTION 'p1';
});
like($prepare_err, qr/cannot PREPARE a transaction that changed the status of a licence/, 'PREPARE of a status change is refused');
is($pub->safe_psql('postgres', "SELECT count(*) FROM pg_prepared_xacts"), '0', 'and nothing is left prepared');

# logical replication of the licences to a second library
my $sub = ezz_node('replica');
prepare($sub);

# without the worker (no ezz.database) the changing transaction notifies itself
$sub->safe_psql('postgres', q{
	CREATE ROLE shangcheng LOGIN IN ROLE ezz_issuer;
	SELECT ezz.bind_login('shangcheng', '11330102MB1B16733D');
	SELECT ezz.create_key('11330102MB1B16733D');
});
my $local = issue($sub, 'shangcheng');
my ($rc, $out, $err) = $sub->psql('postgres', qq{
	LISTEN ezz_status;
	SET SESSION AUTHORIZATION shangcheng;
	SELECT ezz.suspend('$local', '停业整顿');
	SELECT pg_backend_pid();
});
my ($payload, $sender) = $out =~ /payload "([^"]*)" received from server process with PID (\d+)/;
my ($own) = $out =~ /^(\d+)$/m;
is("$payload $sender", $sub->safe_psql('postgres', 'SELECT max(id) FROM ezz.status_events') . " $own",
	'without the worker the notification comes from the changing session itself');
$pub->safe_psql('postgres', 'CREATE PUBLICATION licences FOR TABLE ezz.licence');
my $connstr = $pub->connstr . ' dbname=postgres';
$sub->safe_psql('postgres', "CREATE SUBSCRIPTION licences CONNECTION '$connstr' PUBLICATION licences");
$sub->wait_for_subscription_sync($pub, 'licences');
is($sub->safe_psql('postgres', "SELECT string_agg(status::text, ',' ORDER BY id) FROM ezz.licence WHERE issuer OPERATOR(ezz.=) '11330105MB1B28400H'"), 'valid,valid',
	'both licences reach the replica');
# apply fires row triggers only: the replica's ledger records each applied
# insert once — the table synchronisation's and a streamed one alike
my $applied = "SELECT count(*) FROM ezz.audit_log WHERE relation = 'ezz.licence' AND op = 'INSERT'
	AND new_row::jsonb ->> 'issuer' = '11330105MB1B28400H'";
is($sub->safe_psql('postgres', $applied), '2', 'the replica\'s ledger holds one INSERT entry for each synchronised licence');
my $l3 = issue($pub);
$pub->wait_for_catchup('licences');
is($sub->safe_psql('postgres', $applied), '3', 'and one for a licence that streams in after');

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
