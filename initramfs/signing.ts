// The release signing key: the PKCS#8 PEM file named by ROS_SIGNING_KEY, or
// a development key made once under build/signing/ (said on every build that
// uses it: bundles signed with it are trusted only by images built here).
// The image trusts the public half of whichever key this returns.
import { generateKeyPairSync, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyId } from '../src/upgrade/signature';

export interface SigningKey {
  privatePem: string;
  publicPem: string;
  id: string;
  from: string;
  dev: boolean;
}

export function signingKey(root: string, env: NodeJS.ProcessEnv = process.env): SigningKey {
  let file = env.ROS_SIGNING_KEY;
  const dev = !file;
  if (!file) {
    file = join(root, 'build/signing/dev-key.pem');
    if (!existsSync(file)) {
      mkdirSync(join(root, 'build/signing'), { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    }
  }
  const privatePem = readFileSync(file, 'utf8');
  const priv = createPrivateKey(privatePem);
  if (priv.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: an ${priv.asymmetricKeyType ?? 'unknown'} key; ROS_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM)`);
  const pub = createPublicKey(priv);
  return { privatePem, publicPem: pub.export({ format: 'pem', type: 'spki' }).toString(), id: keyId(pub), from: file, dev };
}

/** The public keys the image trusts: the signing key's and initramfs/keys/*.pem, by file name. */
export function trustedKeyFiles(root: string, key: SigningKey): Record<string, string> {
  const out: Record<string, string> = { [`${key.dev ? 'dev' : 'release'}-${key.id}.pem`]: key.publicPem };
  const dir = join(root, 'initramfs/keys');
  if (existsSync(dir)) for (const f of readdirSync(dir).filter((n) => n.endsWith('.pem'))) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

export function describeKey(key: SigningKey): string {
  return key.dev
    ? `signing key ${key.id}: a DEVELOPMENT key (${key.from}); set ROS_SIGNING_KEY to a release key`
    : `signing key ${key.id} from ROS_SIGNING_KEY (${key.from})`;
}
