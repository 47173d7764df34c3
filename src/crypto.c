/*
 * crypto.c — OpenSSL 3 EVP wrappers (see crypto.h).  The only file of ezz that
 * includes OpenSSL headers.
 *
 * Error discipline: each function collects OpenSSL's error queue into a
 * palloc'd string, frees every OpenSSL object and wipes every secret, and only
 * then raises, so that nothing allocated by OpenSSL outlives an ERROR.
 */
#include "postgres.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "crypto.h"

/* ---------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------------
 */

/* OpenSSL's queued reasons, most recent last, as one sentence. */
static char *
OpenSSLReasons(void)
{
	StringInfoData buf;
	unsigned long code;
	const char *file;
	int			line;

	initStringInfo(&buf);
	while ((code = ERR_get_error_all(&file, &line, NULL, NULL, NULL)) != 0)
	{
		char		one[256];

		ERR_error_string_n(code, one, sizeof(one));
		if (buf.len > 0)
			appendStringInfoString(&buf, "; ");
		appendStringInfoString(&buf, one);
	}
	if (buf.len == 0)
		appendStringInfoString(&buf, "no reason given");
	return buf.data;
}

static void
RaiseOpenSSL(const char *what, char *reasons) pg_attribute_noreturn();

static void
RaiseOpenSSL(const char *what, char *reasons)
{
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("OpenSSL failed to %s", what),
			 errdetail("OpenSSL says: %s.", reasons),
			 errhint("This is a fault of the server's cryptographic library or its configuration, not of the data; tell the administrator.")));
	pg_unreachable();
}

/* ---------------------------------------------------------------------------
 * Algorithms
 * ---------------------------------------------------------------------------
 */

bool
ezz_algorithm_parse(const char *name, EzzAlgorithm *alg)
{
	if (strcmp(name, "sm2") == 0)
		*alg = EZZ_ALG_SM2;
	else if (strcmp(name, "ed25519") == 0)
		*alg = EZZ_ALG_ED25519;
	else if (strcmp(name, "ecdsa-p256") == 0)
		*alg = EZZ_ALG_ECDSA_P256;
	else
		return false;
	return true;
}

const char *
ezz_algorithm_name(EzzAlgorithm alg)
{
	switch (alg)
	{
		case EZZ_ALG_SM2:
			return "sm2";
		case EZZ_ALG_ED25519:
			return "ed25519";
		case EZZ_ALG_ECDSA_P256:
			return "ecdsa-p256";
	}
	return "?";
}

/* Is the parsed key of the named algorithm? */
static bool
PkeyIsAlgorithm(EVP_PKEY *pkey, EzzAlgorithm alg)
{
	char		group[64];
	size_t		glen = 0;

	switch (alg)
	{
		case EZZ_ALG_SM2:
			return EVP_PKEY_is_a(pkey, "SM2");
		case EZZ_ALG_ED25519:
			return EVP_PKEY_is_a(pkey, "ED25519");
		case EZZ_ALG_ECDSA_P256:
			if (!EVP_PKEY_is_a(pkey, "EC") || EVP_PKEY_is_a(pkey, "SM2"))
				return false;
			if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
											   sizeof(group), &glen) != 1)
				return false;
			return strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0;
	}
	return false;
}

/* ---------------------------------------------------------------------------
 * Hashing, MAC, KDF, randomness
 * ---------------------------------------------------------------------------
 */

/*
 * Algorithms are fetched from the provider once per backend and kept: an
 * implicit fetch on every call (EVP_aes_256_gcm(), EVP_Q_mac, a name given
 * to EVP_Digest) costs more than hashing a short message.  A failed fetch
 * is not kept, so the error is raised again at the next call.
 */
static EVP_MD *
FetchedDigest(const char *name)
{
	static EVP_MD *sm3 = NULL;
	static EVP_MD *sha256 = NULL;
	EVP_MD	  **slot = strcmp(name, "SM3") == 0 ? &sm3 : (strcmp(name, "SHA256") == 0 ? &sha256 : NULL);

	if (slot == NULL)
		return NULL;
	if (*slot == NULL)
		*slot = EVP_MD_fetch(NULL, name, NULL);
	return *slot;
}

static EVP_CIPHER *
FetchedAeadCipher(void)
{
	static EVP_CIPHER *cipher = NULL;

	if (cipher == NULL)
		cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	return cipher;
}

void
ezz_digest(const char *md_name, const void *data, size_t len, uint8 out[EZZ_DIGEST_LEN])
{
	/* (one context, kept: the ledger hashes millions of short inputs) */
	static EVP_MD_CTX *ctx = NULL;
	EVP_MD	   *md;
	unsigned int outlen = 0;
	int			ok;

	md = FetchedDigest(md_name);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	ok = md != NULL && ctx != NULL && EVP_MD_get_size(md) == EZZ_DIGEST_LEN &&
		EVP_DigestInit_ex2(ctx, md, NULL) == 1 &&
		EVP_DigestUpdate(ctx, data, len) == 1 &&
		EVP_DigestFinal_ex(ctx, out, &outlen) == 1 && outlen == EZZ_DIGEST_LEN;
	if (!ok)
		RaiseOpenSSL(psprintf("compute a %s digest", md_name), OpenSSLReasons());
}

void
ezz_hmac(const char *md_name, const uint8 *key, size_t keylen, const void *data, size_t len,
		 uint8 out[EZZ_DIGEST_LEN])
{
	static EVP_MAC *hmac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM	params[2];
	size_t		outlen = 0;
	bool		ok;

	ERR_clear_error();
	if (hmac == NULL)
		hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (hmac != NULL)
		ctx = EVP_MAC_CTX_new(hmac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *) md_name, 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = ctx != NULL &&
		EVP_MAC_init(ctx, key, keylen, params) == 1 &&
		EVP_MAC_update(ctx, data, len) == 1 &&
		EVP_MAC_final(ctx, out, &outlen, EZZ_DIGEST_LEN) == 1 &&
		outlen == EZZ_DIGEST_LEN;
	EVP_MAC_CTX_free(ctx);	/* (clears the keyed state) */
	if (!ok)
		RaiseOpenSSL(psprintf("compute an HMAC-%s", md_name), OpenSSLReasons());
}

/*
 * HMAC-SHA-256 of parts laid end to end, under a key kept between calls: the
 * verifier MACs millions of short inputs under one key drawn for its run.
 */
void
ezz_hmac_parts(const uint8 *key, size_t keylen, const void *const *parts, const size_t *lens, int nparts,
			   uint8 out[EZZ_DIGEST_LEN])
{
	static EVP_MAC_CTX *ctx = NULL;
	static uint8 kept[64];
	static size_t keptlen = 0;
	size_t		outlen = 0;
	bool		ok;

	if (keylen == 0 || keylen > sizeof(kept))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a MAC key is 1 to %zu bytes, not %zu", sizeof(kept), keylen)));
	if (ctx == NULL)
	{
		EVP_MAC   *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);

		ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
		EVP_MAC_free(hmac);		/* (the context keeps its reference) */
		keptlen = 0;
		if (ctx == NULL)
			RaiseOpenSSL("make an HMAC context", OpenSSLReasons());
	}
	if (keylen != keptlen || memcmp(kept, key, keylen) != 0)
	{
		OSSL_PARAM	params[2];

		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0);
		params[1] = OSSL_PARAM_construct_end();
		OPENSSL_cleanse(kept, sizeof(kept));
		keptlen = 0;
		if (EVP_MAC_init(ctx, key, keylen, params) != 1)
			RaiseOpenSSL("key an HMAC", OpenSSLReasons());
		memcpy(kept, key, keylen);
		keptlen = keylen;
	}
	else if (EVP_MAC_init(ctx, NULL, 0, NULL) != 1)
		RaiseOpenSSL("restart an HMAC", OpenSSLReasons());
	ok = true;
	for (int i = 0; i < nparts && ok; i++)
		ok = EVP_MAC_update(ctx, parts[i], lens[i]) == 1;
	ok = ok && EVP_MAC_final(ctx, out, &outlen, EZZ_DIGEST_LEN) == 1 && outlen == EZZ_DIGEST_LEN;
	if (!ok)
		RaiseOpenSSL("compute an HMAC-SHA256", OpenSSLReasons());
}

/* HKDF with SHA-256, no salt: a key for one purpose, named by info. */
void
ezz_hkdf(const uint8 *ikm, size_t ikmlen, const char *info, uint8 *out, size_t outlen)
{
	EVP_KDF    *kdf;
	EVP_KDF_CTX *kctx = NULL;
	OSSL_PARAM	params[4];
	int			ok;

	ERR_clear_error();
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf != NULL)
		kctx = EVP_KDF_CTX_new(kdf);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *) "SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *) ikm, ikmlen);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *) info, strlen(info));
	params[3] = OSSL_PARAM_construct_end();
	ok = kctx != NULL && EVP_KDF_derive(kctx, out, outlen, params) == 1;
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	if (!ok)
	{
		explicit_bzero(out, outlen);
		RaiseOpenSSL("derive a key (HKDF)", OpenSSLReasons());
	}
}

void
ezz_random_bytes(void *buf, size_t len)
{
	ERR_clear_error();
	if (RAND_bytes(buf, (int) len) != 1)
		RaiseOpenSSL("produce random bytes", OpenSSLReasons());
}

/* ---------------------------------------------------------------------------
 * AES-256-GCM
 * ---------------------------------------------------------------------------
 */

bytea *
ezz_aead_seal(const uint8 key[EZZ_AEAD_KEY_LEN], const void *plain, size_t len,
			  const void *aad, size_t aadlen)
{
	EVP_CIPHER_CTX *ctx;
	bytea	   *out = palloc(VARHDRSZ + EZZ_AEAD_NONCE_LEN + len + EZZ_AEAD_TAG_LEN);
	uint8	   *nonce = (uint8 *) VARDATA(out);
	uint8	   *ct = nonce + EZZ_AEAD_NONCE_LEN;
	int			n = 0,
				fin = 0;
	bool		ok;

	ezz_random_bytes(nonce, EZZ_AEAD_NONCE_LEN);
	ERR_clear_error();
	ctx = EVP_CIPHER_CTX_new();
	ok = ctx != NULL &&
		FetchedAeadCipher() != NULL &&
		EVP_EncryptInit_ex(ctx, FetchedAeadCipher(), NULL, NULL, NULL) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, EZZ_AEAD_NONCE_LEN, NULL) == 1 &&
		EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
		(aadlen == 0 || EVP_EncryptUpdate(ctx, NULL, &n, aad, (int) aadlen) == 1) &&
		EVP_EncryptUpdate(ctx, ct, &n, plain, (int) len) == 1 &&
		EVP_EncryptFinal_ex(ctx, ct + n, &fin) == 1 &&
		(size_t) (n + fin) == len &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, EZZ_AEAD_TAG_LEN, ct + len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
	{
		char	   *reasons = OpenSSLReasons();

		pfree(out);
		RaiseOpenSSL("encrypt (AES-256-GCM)", reasons);
	}
	SET_VARSIZE(out, VARHDRSZ + EZZ_AEAD_NONCE_LEN + len + EZZ_AEAD_TAG_LEN);
	return out;
}

/*
 * Decrypt and authenticate.  False (with nothing allocated) if the blob is
 * malformed or fails authentication: the caller words the error.
 */
bool
ezz_aead_open(const uint8 key[EZZ_AEAD_KEY_LEN], const bytea *sealed, const void *aad,
			  size_t aadlen, char **plain, size_t *len)
{
	const uint8 *data = (const uint8 *) VARDATA_ANY(sealed);
	size_t		total = VARSIZE_ANY_EXHDR(sealed);
	size_t		ctlen;
	EVP_CIPHER_CTX *ctx;
	char	   *out;
	int			n = 0,
				fin = 0;
	bool		ok;

	if (total < EZZ_AEAD_NONCE_LEN + EZZ_AEAD_TAG_LEN)
		return false;
	ctlen = total - EZZ_AEAD_NONCE_LEN - EZZ_AEAD_TAG_LEN;
	out = palloc(ctlen + 1);
	ERR_clear_error();
	ctx = EVP_CIPHER_CTX_new();
	ok = ctx != NULL &&
		FetchedAeadCipher() != NULL &&
		EVP_DecryptInit_ex(ctx, FetchedAeadCipher(), NULL, NULL, NULL) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, EZZ_AEAD_NONCE_LEN, NULL) == 1 &&
		EVP_DecryptInit_ex(ctx, NULL, NULL, key, data) == 1 &&
		(aadlen == 0 || EVP_DecryptUpdate(ctx, NULL, &n, aad, (int) aadlen) == 1) &&
		EVP_DecryptUpdate(ctx, (uint8 *) out, &n, data + EZZ_AEAD_NONCE_LEN, (int) ctlen) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, EZZ_AEAD_TAG_LEN,
							(void *) (data + EZZ_AEAD_NONCE_LEN + ctlen)) == 1 &&
		EVP_DecryptFinal_ex(ctx, (uint8 *) out + n, &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	ERR_clear_error();
	if (!ok)
	{
		explicit_bzero(out, ctlen + 1);
		pfree(out);
		return false;
	}
	out[ctlen] = '\0';
	*plain = out;
	*len = ctlen;
	return true;
}

/* ---------------------------------------------------------------------------
 * Keys
 * ---------------------------------------------------------------------------
 */

static bytea *
BioToBytea(BIO *bio)
{
	char	   *mem;
	long		n = BIO_get_mem_data(bio, &mem);
	bytea	   *out = palloc(VARHDRSZ + n);

	memcpy(VARDATA(out), mem, n);
	SET_VARSIZE(out, VARHDRSZ + n);
	return out;
}

void
ezz_key_generate(EzzAlgorithm alg, bytea **private_der, bytea **public_der)
{
	EVP_PKEY   *pkey = NULL;
	BIO		   *priv = NULL;
	BIO		   *pub = NULL;
	bool		ok;

	ERR_clear_error();
	switch (alg)
	{
		case EZZ_ALG_SM2:
			pkey = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
			break;
		case EZZ_ALG_ED25519:
			pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
			break;
		case EZZ_ALG_ECDSA_P256:
			pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
			break;
	}
	priv = BIO_new(BIO_s_secmem());
	pub = BIO_new(BIO_s_mem());
	ok = pkey != NULL && priv != NULL && pub != NULL &&
		i2d_PKCS8PrivateKey_bio(priv, pkey, NULL, NULL, 0, NULL, NULL) == 1 &&
		i2d_PUBKEY_bio(pub, pkey) == 1;
	if (ok)
	{
		*private_der = BioToBytea(priv);
		*public_der = BioToBytea(pub);
	}
	BIO_free(priv);				/* a secure-memory BIO is cleared when freed */
	BIO_free(pub);
	EVP_PKEY_free(pkey);
	if (!ok)
		RaiseOpenSSL(psprintf("generate a %s key", ezz_algorithm_name(alg)), OpenSSLReasons());
}

char *
ezz_public_key_pem(const bytea *public_der)
{
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(public_der);
	EVP_PKEY   *pkey;
	BIO		   *bio = NULL;
	char	   *pem = NULL;
	bool		ok;

	ERR_clear_error();
	pkey = d2i_PUBKEY(NULL, &p, VARSIZE_ANY_EXHDR(public_der));
	bio = BIO_new(BIO_s_mem());
	ok = pkey != NULL && bio != NULL && PEM_write_bio_PUBKEY(bio, pkey) == 1;
	if (ok)
	{
		char	   *mem;
		long		n = BIO_get_mem_data(bio, &mem);

		pem = pnstrdup(mem, n);
	}
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	if (!ok)
		RaiseOpenSSL("write a public key as PEM", OpenSSLReasons());
	return pem;
}

/*
 * Read a PEM public key (another region's key, 互信互认).  Returns the DER
 * SubjectPublicKeyInfo and the algorithm, or raises 22023 if the text is not a
 * public key of an algorithm ezz supports.
 */
bytea *
ezz_public_key_from_pem(const char *pem, size_t len, EzzAlgorithm *alg)
{
	BIO		   *in;
	BIO		   *out = NULL;
	EVP_PKEY   *pkey = NULL;
	bytea	   *der = NULL;
	bool		known = false;
	char	   *reasons = NULL;

	ERR_clear_error();
	in = BIO_new_mem_buf(pem, (int) len);
	if (in != NULL)
		pkey = PEM_read_bio_PUBKEY(in, NULL, NULL, NULL);
	if (pkey != NULL)
	{
		if (PkeyIsAlgorithm(pkey, EZZ_ALG_SM2))
			*alg = EZZ_ALG_SM2, known = true;
		else if (PkeyIsAlgorithm(pkey, EZZ_ALG_ED25519))
			*alg = EZZ_ALG_ED25519, known = true;
		else if (PkeyIsAlgorithm(pkey, EZZ_ALG_ECDSA_P256))
			*alg = EZZ_ALG_ECDSA_P256, known = true;
		out = BIO_new(BIO_s_mem());
		if (known && out != NULL && i2d_PUBKEY_bio(out, pkey) == 1)
			der = BioToBytea(out);
	}
	else
		reasons = OpenSSLReasons();
	BIO_free(in);
	BIO_free(out);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	if (reasons != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("not a PEM public key"),
				 errdetail("OpenSSL says: %s.", reasons),
				 errhint("Pass the text between and including -----BEGIN PUBLIC KEY----- and -----END PUBLIC KEY-----.")));
	if (!known)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("public key of an unsupported algorithm"),
				 errdetail("ezz verifies SM2, Ed25519 and ECDSA P-256 signatures.")));
	if (der == NULL)
		RaiseOpenSSL("encode a public key", OpenSSLReasons());
	return der;
}

/* ---------------------------------------------------------------------------
 * The parsed-key cache
 * ---------------------------------------------------------------------------
 */

#define KEY_CACHE_SIZE 16

typedef struct KeyCacheEntry
{
	bool		used;
	bool		is_private;
	int64		key_id;
	uint8		tag[EZZ_DIGEST_LEN];
	EVP_PKEY   *pkey;
	EVP_MD_CTX *verifier;		/* a public key's verification set up (SM2's Z
								 * digested), copied for each signature; NULL
								 * until first needed, or for Ed25519 */
	uint64		last_use;
} KeyCacheEntry;

static KeyCacheEntry KeyCache[KEY_CACHE_SIZE];
static uint64 KeyCacheClock = 0;

static KeyCacheEntry *
CacheEntry(bool is_private, int64 key_id, const uint8 *tag)
{
	for (int i = 0; i < KEY_CACHE_SIZE; i++)
	{
		KeyCacheEntry *e = &KeyCache[i];

		if (e->used && e->is_private == is_private && e->key_id == key_id &&
			memcmp(e->tag, tag, EZZ_DIGEST_LEN) == 0)
		{
			e->last_use = ++KeyCacheClock;
			return e;
		}
	}
	return NULL;
}

static EVP_PKEY *
CacheLookup(bool is_private, int64 key_id, const uint8 *tag)
{
	KeyCacheEntry *e = CacheEntry(is_private, key_id, tag);

	return e == NULL ? NULL : e->pkey;
}

static void
EntryFree(KeyCacheEntry *e)
{
	EVP_MD_CTX_free(e->verifier);
	EVP_PKEY_free(e->pkey);		/* clears private key material */
	e->verifier = NULL;
	e->used = false;
}

/* Takes ownership of pkey; returns its entry. */
static KeyCacheEntry *
CacheStore(bool is_private, int64 key_id, const uint8 *tag, EVP_PKEY *pkey)
{
	KeyCacheEntry *victim = &KeyCache[0];

	for (int i = 0; i < KEY_CACHE_SIZE; i++)
	{
		KeyCacheEntry *e = &KeyCache[i];

		/* an entry for the same key with another tag is stale: replace it */
		if (!e->used || (e->is_private == is_private && e->key_id == key_id))
		{
			victim = e;
			break;
		}
		if (e->last_use < victim->last_use)
			victim = e;
	}
	if (victim->used)
		EntryFree(victim);
	victim->used = true;
	victim->is_private = is_private;
	victim->key_id = key_id;
	memcpy(victim->tag, tag, EZZ_DIGEST_LEN);
	victim->pkey = pkey;
	victim->last_use = ++KeyCacheClock;
	return victim;
}

void
ezz_key_cache_reset(void)
{
	for (int i = 0; i < KEY_CACHE_SIZE; i++)
		if (KeyCache[i].used)
			EntryFree(&KeyCache[i]);
}

/* ---------------------------------------------------------------------------
 * Signing and verification
 * ---------------------------------------------------------------------------
 */

/*
 * Set up a DigestSign/DigestVerify context for the algorithm: SM3 with the
 * SM2 distinguishing id set explicitly (OpenSSL 3.0 would otherwise use an
 * empty id, and no other implementation could verify), Ed25519 without a
 * digest, SHA-256 for ECDSA.
 */
static bool
InitSignVerify(EVP_MD_CTX *mctx, EVP_PKEY *pkey, EzzAlgorithm alg, bool sign)
{
	EVP_PKEY_CTX *pctx = NULL;
	const char *md = alg == EZZ_ALG_SM2 ? "SM3" : (alg == EZZ_ALG_ECDSA_P256 ? "SHA256" : NULL);
	int			rc;

	if (sign)
		rc = EVP_DigestSignInit_ex(mctx, &pctx, md, NULL, NULL, pkey, NULL);
	else
		rc = EVP_DigestVerifyInit_ex(mctx, &pctx, md, NULL, NULL, pkey, NULL);
	if (rc != 1)
		return false;
	if (alg == EZZ_ALG_SM2 &&
		EVP_PKEY_CTX_set1_id(pctx, EZZ_SM2_ID, strlen(EZZ_SM2_ID)) != 1)
		return false;
	return true;
}

bytea *
ezz_sign(int64 key_id, const uint8 tag[EZZ_DIGEST_LEN], EzzAlgorithm alg,
		 EzzLoadPrivate load_private, void *arg, const void *msg, size_t len)
{
	EVP_PKEY   *pkey = CacheLookup(true, key_id, tag);
	EVP_MD_CTX *mctx;
	bytea	   *sig;
	size_t		siglen = 0;
	bool		ok;

	if (pkey == NULL)
	{
		bytea	   *der = load_private(arg);
		const unsigned char *p = (const unsigned char *) VARDATA_ANY(der);
		bool		right;

		ERR_clear_error();
		pkey = d2i_AutoPrivateKey(NULL, &p, VARSIZE_ANY_EXHDR(der));
		right = pkey != NULL && PkeyIsAlgorithm(pkey, alg);
		explicit_bzero(VARDATA_ANY(der), VARSIZE_ANY_EXHDR(der));
		pfree(der);
		if (!right)
		{
			char	   *reasons = OpenSSLReasons();

			EVP_PKEY_free(pkey);
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("signing key %lld does not hold a %s private key", (long long) key_id,
							ezz_algorithm_name(alg)),
					 errdetail("OpenSSL says: %s.", reasons)));
		}
		CacheStore(true, key_id, tag, pkey);
	}

	ERR_clear_error();
	mctx = EVP_MD_CTX_new();
	ok = mctx != NULL && InitSignVerify(mctx, pkey, alg, true) &&
		EVP_DigestSign(mctx, NULL, &siglen, msg, len) == 1;
	sig = palloc(VARHDRSZ + (ok ? siglen : 0));
	ok = ok && EVP_DigestSign(mctx, (unsigned char *) VARDATA(sig), &siglen, msg, len) == 1;
	EVP_MD_CTX_free(mctx);
	if (!ok)
		RaiseOpenSSL(psprintf("sign with a %s key", ezz_algorithm_name(alg)), OpenSSLReasons());
	SET_VARSIZE(sig, VARHDRSZ + siglen);
	return sig;
}

/*
 * A verification context for a cached public key, copied from the entry's
 * template: the digest fetched, the key set and, for SM2, the Z digest of the
 * distinguishing id and the key absorbed once per key instead of once per
 * signature.  NULL if OpenSSL cannot copy one (the caller sets up its own).
 */
static EVP_MD_CTX *
CopiedVerifier(KeyCacheEntry *e, EzzAlgorithm alg)
{
	EVP_MD_CTX *mctx;

	if (alg == EZZ_ALG_ED25519)
		return NULL;			/* (Ed25519 verifies in one shot: nothing to keep) */
	if (e->verifier == NULL)
	{
		EVP_MD_CTX *t = EVP_MD_CTX_new();

		if (t == NULL || !InitSignVerify(t, e->pkey, alg, false) || EVP_DigestVerifyUpdate(t, "", 0) != 1)
		{
			EVP_MD_CTX_free(t);
			ERR_clear_error();
			return NULL;
		}
		e->verifier = t;
	}
	mctx = EVP_MD_CTX_new();
	if (mctx == NULL || EVP_MD_CTX_copy_ex(mctx, e->verifier) != 1)
	{
		EVP_MD_CTX_free(mctx);
		ERR_clear_error();
		return NULL;
	}
	return mctx;
}

bool
ezz_verify(int64 key_id, const uint8 tag[EZZ_DIGEST_LEN], EzzAlgorithm alg,
		   const bytea *public_der, const void *msg, size_t len,
		   const void *sig, size_t siglen, const char **reason)
{
	KeyCacheEntry *e = CacheEntry(false, key_id, tag);
	EVP_PKEY   *pkey;
	EVP_MD_CTX *mctx;
	int			rc;

	if (e == NULL)
	{
		const unsigned char *p = (const unsigned char *) VARDATA_ANY(public_der);

		ERR_clear_error();
		pkey = d2i_PUBKEY(NULL, &p, VARSIZE_ANY_EXHDR(public_der));
		if (pkey == NULL || !PkeyIsAlgorithm(pkey, alg))
		{
			EVP_PKEY_free(pkey);
			ERR_clear_error();
			*reason = "the public key cannot be read as a key of its algorithm";
			return false;
		}
		e = CacheStore(false, key_id, tag, pkey);
	}
	pkey = e->pkey;
	ERR_clear_error();
	mctx = CopiedVerifier(e, alg);
	if (mctx != NULL)
		rc = EVP_DigestVerifyUpdate(mctx, msg, len) == 1 ? EVP_DigestVerifyFinal(mctx, sig, siglen) : 0;
	else
	{
		mctx = EVP_MD_CTX_new();
		if (mctx == NULL || !InitSignVerify(mctx, pkey, alg, false))
		{
			EVP_MD_CTX_free(mctx);
			RaiseOpenSSL(psprintf("prepare a %s verification", ezz_algorithm_name(alg)), OpenSSLReasons());
		}
		rc = EVP_DigestVerify(mctx, sig, siglen, msg, len);
	}
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	if (rc != 1)
	{
		*reason = "the signature does not match the document and the public key";
		return false;
	}
	*reason = NULL;
	return true;
}
