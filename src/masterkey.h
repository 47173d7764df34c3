/*
 * masterkey.h — the server-side master key (ezz.key_file) and the keys derived
 * from it.  No SQL function returns the master key or anything derived from it.
 */
#ifndef EZZ_MASTERKEY_H
#define EZZ_MASTERKEY_H

#include "postgres.h"

#include "crypto.h"

typedef enum EzzKeyPurpose
{
	EZZ_KEY_HOLDER_ID = 0,		/* AES-256-GCM of holder identity numbers */
	EZZ_KEY_BLIND_INDEX,		/* HMAC-SM3 blind index of identity numbers */
	EZZ_KEY_PRIVATE_KEY,		/* AES-256-GCM of department private keys */
	EZZ_KEY_PURPOSES
} EzzKeyPurpose;

#define EZZ_MAX_MASTER_VERSIONS 16

extern char *ezz_key_file;

extern int	ezz_master_current_version(void);
extern int	ezz_master_versions(int *versions, int max);
extern void ezz_master_derive(int version, EzzKeyPurpose purpose, uint8 out[EZZ_AEAD_KEY_LEN]);

#endif							/* EZZ_MASTERKEY_H */
