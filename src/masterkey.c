/*
 * masterkey.c — read the master key file and derive per-purpose keys.
 *
 * ezz.key_file names a file readable only by the server's OS user, one key a
 * line:
 *
 *     # comment
 *     1:<64 hex digits>
 *     2:<64 hex digits>
 *
 * The highest version encrypts; the others still decrypt, so that a new key
 * can be added, CALL-ed into use with ezz.rotate_master_key(), and the old
 * line removed afterwards.  The file is read when first needed and again when
 * its path, inode, size or modification time changes; it is looked at
 * (stat) once per transaction.  Keys for each purpose
 * are derived with HKDF-SHA256, so the master key itself is used for nothing
 * else.  Everything is wiped when the file is read again.
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "storage/fd.h"
#include "storage/proc.h"

#include "masterkey.h"

char	   *ezz_key_file = NULL;

typedef struct MasterKey
{
	int			version;
	uint8		key[EZZ_AEAD_KEY_LEN];
	bool		derived[EZZ_KEY_PURPOSES];
	uint8		derived_key[EZZ_KEY_PURPOSES][EZZ_AEAD_KEY_LEN];
} MasterKey;

static MasterKey Keys[EZZ_MAX_MASTER_VERSIONS];
static int	NKeys = 0;
static char LoadedPath[MAXPGPATH];
static struct stat LoadedStat;
/* the local transaction in which the file was last looked at */
static LocalTransactionId CheckedLxid = InvalidLocalTransactionId;

static const char *const PurposeInfo[EZZ_KEY_PURPOSES] = {
	"ezz/v1/holder-identity-encryption",
	"ezz/v1/holder-identity-blind-index",
	"ezz/v1/private-key-encryption"
};

static void
Forget(void)
{
	explicit_bzero(Keys, sizeof(Keys));
	NKeys = 0;
	LoadedPath[0] = '\0';
}

static int
HexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
BadFile(const char *path, const char *detail) pg_attribute_noreturn();

static void
BadFile(const char *path, const char *detail)
{
	Forget();
	ereport(ERROR,
			(errcode(ERRCODE_CONFIG_FILE_ERROR),
			 errmsg("master key file \"%s\" is not usable", path),
			 errdetail_internal("%s", detail),
			 errhint("Each line reads <version>:<64 hex digits>, e.g. 1:9f86d0… (make one with: printf '1:%%s\\n' \"$(od -An -tx1 -N32 /dev/urandom | tr -d ' \\n')\"); the file must belong to the server's user and not be readable by group or others.")));
	pg_unreachable();
}

/* Parse the file's contents into Keys; buf is wiped by the caller. */
static void
ParseKeys(const char *path, char *buf, size_t len)
{
	char	   *line = buf;
	char	   *end = buf + len;
	int			lineno = 0;

	NKeys = 0;
	while (line < end)
	{
		char	   *nl = memchr(line, '\n', end - line);
		char	   *stop = nl ? nl : end;
		char	   *p = line;
		long		version = 0;
		MasterKey  *k;

		lineno++;
		while (stop > p && (stop[-1] == '\r' || stop[-1] == ' ' || stop[-1] == '\t'))
			stop--;
		while (p < stop && (*p == ' ' || *p == '\t'))
			p++;
		if (p == stop || *p == '#')
		{
			line = nl ? nl + 1 : end;
			continue;
		}
		while (p < stop && *p >= '0' && *p <= '9' && version < 1000000)
			version = version * 10 + (*p++ - '0');
		if (version < 1 || version >= 1000000 || p >= stop || *p != ':')
			BadFile(path, psprintf("Line %d does not start with a key version (a positive number) and a colon.", lineno));
		p++;
		if (stop - p != 2 * EZZ_AEAD_KEY_LEN)
			BadFile(path, psprintf("Line %d: a key is %d hex digits; found %d characters.", lineno,
								   2 * EZZ_AEAD_KEY_LEN, (int) (stop - p)));
		for (int i = 0; i < NKeys; i++)
			if (Keys[i].version == version)
				BadFile(path, psprintf("Key version %ld appears twice.", version));
		if (NKeys == EZZ_MAX_MASTER_VERSIONS)
			BadFile(path, psprintf("At most %d keys may be listed.", EZZ_MAX_MASTER_VERSIONS));
		k = &Keys[NKeys];
		memset(k, 0, sizeof(*k));
		k->version = (int) version;
		for (int i = 0; i < EZZ_AEAD_KEY_LEN; i++)
		{
			int			hi = HexValue(p[2 * i]);
			int			lo = HexValue(p[2 * i + 1]);

			if (hi < 0 || lo < 0)
				BadFile(path, psprintf("Line %d: the key has a character that is not a hex digit.", lineno));
			k->key[i] = (uint8) (hi * 16 + lo);
		}
		NKeys++;
		line = nl ? nl + 1 : end;
	}
	if (NKeys == 0)
		BadFile(path, "It lists no key.");
}

static void
Load(void)
{
	const char *path = ezz_key_file;
	struct stat st;
	FILE	   *f;
	char		buf[8192];
	size_t		len;

	/* looked at once per transaction: a batch does not stat it per row */
	if (NKeys > 0 && CheckedLxid == MyProc->lxid && path != NULL && strcmp(LoadedPath, path) == 0)
		return;
	if (path == NULL || path[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("ezz has no master key: ezz.key_file is not set"),
				 errdetail("Private signing keys and holder identity numbers are encrypted under the master key."),
				 errhint("Create a file holding a line 1:<64 hex digits>, readable only by the server's user, set ezz.key_file to its path in postgresql.conf, and reload.")));
	if (stat(path, &st) != 0)
	{
		int			save_errno = errno;

		Forget();
		ereport(ERROR,
				(errcode(save_errno == ENOENT ? ERRCODE_UNDEFINED_FILE : ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not read the master key file \"%s\": %s", path, strerror(save_errno)),
				 errhint("Check ezz.key_file in postgresql.conf.")));
	}
	if (NKeys > 0 && strcmp(LoadedPath, path) == 0 && st.st_ino == LoadedStat.st_ino &&
		st.st_dev == LoadedStat.st_dev && st.st_size == LoadedStat.st_size &&
		st.st_mtime == LoadedStat.st_mtime && st.st_ctime == LoadedStat.st_ctime)
	{
		CheckedLxid = MyProc->lxid;
		return;
	}
	Forget();
	if (!S_ISREG(st.st_mode))
		BadFile(path, "It is not a regular file.");
	if (st.st_uid != geteuid())
		BadFile(path, "It does not belong to the server's operating-system user.");
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		BadFile(path, psprintf("Its permissions %04o let the group or others read it; they must be 0600 or 0400.",
							   (unsigned int) (st.st_mode & 07777)));
	if (st.st_size >= (off_t) sizeof(buf))
		BadFile(path, "It is too long for a key file.");
	f = AllocateFile(path, "r");
	if (f == NULL)
	{
		int			save_errno = errno;

		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not open the master key file \"%s\": %s", path, strerror(save_errno))));
	}
	len = fread(buf, 1, sizeof(buf) - 1, f);
	FreeFile(f);
	PG_TRY();
	{
		ParseKeys(path, buf, len);
	}
	PG_FINALLY();
	{
		explicit_bzero(buf, sizeof(buf));
	}
	PG_END_TRY();
	strlcpy(LoadedPath, path, sizeof(LoadedPath));
	LoadedStat = st;
	CheckedLxid = MyProc->lxid;
}

int
ezz_master_current_version(void)
{
	int			best = 0;

	Load();
	for (int i = 0; i < NKeys; i++)
		if (Keys[i].version > best)
			best = Keys[i].version;
	return best;
}

int
ezz_master_versions(int *versions, int max)
{
	int			n = 0;

	Load();
	/* current first, then the others, newest first */
	for (int v = 1000000; v > 0 && n < max;)
	{
		int			next = 0;

		for (int i = 0; i < NKeys; i++)
			if (Keys[i].version < v && Keys[i].version > next)
				next = Keys[i].version;
		if (next == 0)
			break;
		versions[n++] = next;
		v = next;
	}
	return n;
}

void
ezz_master_derive(int version, EzzKeyPurpose purpose, uint8 out[EZZ_AEAD_KEY_LEN])
{
	Load();
	for (int i = 0; i < NKeys; i++)
	{
		MasterKey  *k = &Keys[i];

		if (k->version != version)
			continue;
		if (!k->derived[purpose])
		{
			ezz_hkdf(k->key, EZZ_AEAD_KEY_LEN, PurposeInfo[purpose], k->derived_key[purpose],
					 EZZ_AEAD_KEY_LEN);
			k->derived[purpose] = true;
		}
		memcpy(out, k->derived_key[purpose], EZZ_AEAD_KEY_LEN);
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("master key version %d is not in the master key file", version),
			 errdetail("Data encrypted under version %d cannot be read without it.", version),
			 errhint("Put the line for version %d back into ezz.key_file; remove an old line only after CALL ezz.rotate_master_key() has finished.", version)));
}
