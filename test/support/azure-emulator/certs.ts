/**
 * A certificate authority made for one emulator run, and a server certificate it signs for 127.0.0.1 and
 * localhost. Clients trust the CA through the cloud file's `caFile`, never through a global switch such as
 * NODE_TLS_REJECT_UNAUTHORIZED, so TLS verification stays on exactly as it would against Azure.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface EmulatorCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function serial(): string {
  // Positive, 16 bytes of randomness, as X.509 expects.
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}

function validity(cert: forge.pki.Certificate): void {
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 24 * 3600_000);
}

export function makeEmulatorCerts(): EmulatorCerts {
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  validity(ca);
  const caName = [{ name: 'commonName', value: 'Preflight Azure emulator CA (this run only)' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert);
  cert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(ca), certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/**
 * A self-signed certificate and its key as one PEM (key first, then certificate) — what
 * `az login --service-principal --certificate` reads. The emulator registers one for its service principal;
 * tests make another to show an unregistered certificate is refused. The key comes from node:crypto (fast,
 * native); node-forge only builds the X.509 wrapper.
 */
export function makeClientCertificatePem(commonName: string): { pem: string; certPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = serial();
  validity(cert);
  const name = [{ name: 'commonName', value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, critical: true }]);
  cert.sign(key, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { pem: `${keyPem}${certPem}`, certPem };
}
