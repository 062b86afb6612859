/** The HMAC hashes the host computes with: the USB password's PBKDF2 (SHA-256) and the PRFs and MACs RFC 6030 PSKC files may name. */
export type HmacHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
