// RFC 6238's published SHA1 test key ("12345678901234567890", appendix B):
// public, so a demo can hold it. The web page's try-it token and `npm start`
// (host/cli/commands/demo.ts) are both provisioned with it.
export const DEMO_URI = 'otpauth://totp/Demo:alice@demo?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Demo';
