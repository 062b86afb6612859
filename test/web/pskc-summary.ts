// What a PSKC import read, as the page and the CLI test compare it: every
// account's fields and a SHA-256 of its secret (never the secret), or the error.
export type PskcReadSummary =
  | { need: string | null; accounts: { [field: string]: unknown; secretSha256: string }[]; notes: string[] }
  | { error: string; code: string };
