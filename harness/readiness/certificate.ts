// The TLS errors a local https service's certificate causes: no amount of waiting changes them, so a probe that meets
// one ends that service's boot at once (harness/readiness/wait-until-ready.ts) with what is wrong and the setting to add.

/** Node's codes for a certificate it refuses, and what each means for a person. */
const CERTIFICATE_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed: nothing vouches for it',
  SELF_SIGNED_CERT_IN_CHAIN: 'issued by a self-signed authority this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issued by an authority this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT: 'issued by an authority this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issued by an authority this machine does not know',
  CERT_UNTRUSTED: 'not trusted',
  CERT_REJECTED: 'rejected',
  CERT_SIGNATURE_FAILURE: 'badly signed',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not valid yet (check the clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'for another host name than the URL\'s',
  INVALID_CA: 'issued by an invalid authority',
  PATH_LENGTH_EXCEEDED: 'issued through too long a chain',
};

/** What is wrong with the certificate, when `code` (a probe's error code) is a certificate error. */
export function certificateProblem(code: string): string | undefined {
  return CERTIFICATE_ERRORS[code];
}
