/**
 * A service principal's certificate credential, as `az login --service-principal --certificate <file.pem>`
 * takes it: one PEM file holding the private key and the certificate. msal-node signs its client assertion
 * (a JWT, PS256) with the key and names the certificate by its SHA-256 thumbprint (`x5t#S256`); the
 * certificate itself goes along as `x5c` so Entra can match it (subject-name/issuer auth works too).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AppError, ErrorCodes } from '@shared/errors';

export interface ClientCertificate {
  /** SHA-256 thumbprint of the DER certificate, hex without separators. */
  thumbprintSha256: string;
  /** PKCS#8 PEM. */
  privateKey: string;
  /** The certificate (PEM), sent as x5c. */
  x5c: string;
}

const CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/** Parses the PEM text; `where` names the file in errors. */
export function parseClientCertificate(pem: string, where: string): ClientCertificate {
  const certPem = CERT.exec(pem)?.[0];
  const keyPem = KEY.exec(pem)?.[0];
  if (!certPem || !keyPem) {
    throw new AppError(ErrorCodes.INVALID_FILE, `${where} must hold both the private key and the certificate in PEM (-----BEGIN PRIVATE KEY----- and -----BEGIN CERTIFICATE-----), as \`az login --service-principal --certificate\` expects; it lacks ${certPem ? 'the private key' : keyPem ? 'the certificate' : 'both'}.`);
  }
  if (/ENCRYPTED/.test(keyPem)) throw new AppError(ErrorCodes.INVALID_FILE, `The private key in ${where} is encrypted; export it without a passphrase (e.g. \`openssl pkcs12 -in cert.pfx -nodes -out cert.pem\`).`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new AppError(ErrorCodes.INVALID_FILE, `The certificate in ${where} cannot be read: ${(err as Error).message}.`);
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new AppError(ErrorCodes.INVALID_FILE, `The private key in ${where} cannot be read: ${(err as Error).message}.`);
  }
  if (!cert.checkPrivateKey(key)) throw new AppError(ErrorCodes.INVALID_FILE, `The private key in ${where} does not belong to its certificate (${cert.subject.replace(/\n/g, ', ')}).`);
  if (Date.parse(cert.validTo) < Date.now()) throw new AppError(ErrorCodes.INVALID_FILE, `The certificate in ${where} expired on ${cert.validTo}; upload a new one to the app registration.`);
  return { thumbprintSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(), privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(), x5c: certPem };
}

export async function readClientCertificate(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError(ErrorCodes.NOT_FOUND, `Cannot read the certificate file "${file}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
}
