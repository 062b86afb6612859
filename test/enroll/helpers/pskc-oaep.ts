// A PSKC file encrypted to a certificate with RSA-OAEP (RFC 6030 §6.3, laid
// out as its figure 8, which uses rsa-1_5), made with node:crypto's
// publicEncrypt: the corpus has no OAEP file. Read by pskc-certificate.test.ts
// (the CLI) and test/web/pskc.test.ts (the page, WebCrypto).
import { constants, publicEncrypt } from 'node:crypto';

export function oaepFile(publicKey: string, secret: Buffer): string {
  const cv = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, secret).toString('base64');
  return `<?xml version="1.0" encoding="UTF-8"?>
<KeyContainer xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns="urn:ietf:params:xml:ns:keyprov:pskc" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Version="1.0">
  <EncryptionKey><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></EncryptionKey>
  <KeyPackage>
    <DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>987654321</SerialNo></DeviceInfo>
    <Key Id="MBK000000001" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp">
      <Issuer>Example-Issuer</Issuer>
      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
      <Data>
        <Secret><EncryptedValue><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"/><xenc:CipherData><xenc:CipherValue>${cv}</xenc:CipherValue></xenc:CipherData></EncryptedValue></Secret>
        <TimeInterval><PlainValue>30</PlainValue></TimeInterval>
      </Data>
    </Key>
  </KeyPackage>
</KeyContainer>
`;
}
