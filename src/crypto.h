/*
 * crypto.h — thin wrappers over OpenSSL 3 EVP.  crypto.c is the only file of
 * ezz that includes OpenSSL.  Every failure is raised as an ERROR with SQLSTATE
 * 39000 family (external routine) and OpenSSL's own reason in the DETAIL, after
 * every OpenSSL object has been freed; key material is wiped before it is
 * released.  A signature that does not verify is not an error: the verify
 * functions return false and say why.
 */
#ifndef EZZ_CRYPTO_H
#define EZZ_CRYPTO_H

#include "postgres.h"

typedef enum EzzAlgorithm
{
	EZZ_ALG_SM2 = 0,			/* SM2 with SM3, distinguishing id 1234567812345678 */
	EZZ_ALG_ED25519,
	EZZ_ALG_ECDSA_P256			/* ECDSA over P-256 with SHA-256 */
} EzzAlgorithm;

#define EZZ_SM2_ID			"1234567812345678"
#define EZZ_DIGEST_LEN		32	/* SM3 and SHA-256 */
#define EZZ_AEAD_KEY_LEN	32	/* AES-256-GCM */
#define EZZ_AEAD_NONCE_LEN	12
#define EZZ_AEAD_TAG_LEN	16

/* algorithms */
extern bool ezz_algorithm_parse(const char *name, EzzAlgorithm *alg);
extern const char *ezz_algorithm_name(EzzAlgorithm alg);

/* hashing */
extern void ezz_digest(const char *md_name, const void *data, size_t len, uint8 out[EZZ_DIGEST_LEN]);
extern void ezz_hmac(const char *md_name, const uint8 *key, size_t keylen,
					 const void *data, size_t len, uint8 out[EZZ_DIGEST_LEN]);
extern void ezz_hmac_parts(const uint8 *key, size_t keylen, const void *const *parts, const size_t *lens,
						   int nparts, uint8 out[EZZ_DIGEST_LEN]);
extern void ezz_hkdf(const uint8 *ikm, size_t ikmlen, const char *info, uint8 *out, size_t outlen);
extern void ezz_random_bytes(void *buf, size_t len);

/* AES-256-GCM: nonce || ciphertext || tag */
extern bytea *ezz_aead_seal(const uint8 key[EZZ_AEAD_KEY_LEN], const void *plain, size_t len,
							const void *aad, size_t aadlen);
extern bool ezz_aead_open(const uint8 key[EZZ_AEAD_KEY_LEN], const bytea *sealed,
						  const void *aad, size_t aadlen, char **plain, size_t *len);

/*
 * Signing keys: private keys travel as DER PrivateKeyInfo, public keys as DER
 * SubjectPublicKeyInfo.  Parsed keys are cached per backend (a few entries,
 * least recently used out), keyed by the caller's key id and a tag that
 * changes whenever the stored key changes (a digest of the sealed private key,
 * or the public key's fingerprint).  On a miss for signing, load_private is
 * called to decrypt the key; the DER it returns is wiped after parsing.
 */
typedef bytea *(*EzzLoadPrivate) (void *arg);

extern void ezz_key_generate(EzzAlgorithm alg, bytea **private_der, bytea **public_der);
extern bytea *ezz_sign(int64 key_id, const uint8 tag[EZZ_DIGEST_LEN], EzzAlgorithm alg,
					   EzzLoadPrivate load_private, void *arg, const void *msg, size_t len);
extern bool ezz_verify(int64 key_id, const uint8 tag[EZZ_DIGEST_LEN], EzzAlgorithm alg,
					   const bytea *public_der, const void *msg, size_t len,
					   const void *sig, size_t siglen, const char **reason);
extern char *ezz_public_key_pem(const bytea *public_der);
extern bytea *ezz_public_key_from_pem(const char *pem, size_t len, EzzAlgorithm *alg);
extern void ezz_key_cache_reset(void);

#endif							/* EZZ_CRYPTO_H */
