// RFC 6238's published SHA1 test key: public, so a demo can hold it. The
// web page's try-it token is provisioned with it (as `npm start` is, in
// host/cli/commands/demo.ts).
export const DEMO_URI = 'otpauth://totp/Demo:alice@demo?secret=GEZDGNBVGY3DQOJQGEZDGNBVGY3DQOJQ&issuer=Demo';
