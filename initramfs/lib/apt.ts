// A private apt for the image build: its own sources list (Debian 13 "trixie"
// and trixie-security, nothing else), package lists, cache and an empty dpkg
// status, all under build/apt. The build machine's apt configuration and state
// are never read for sources nor written (it can be any Debian release); only
// its apt.conf.d (proxies) and the archive keyring are used.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { progress, run } from './run';

export const SUITES = ['trixie', 'trixie-security'] as const;
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const MIRROR: Record<(typeof SUITES)[number], string> = {
  trixie: 'http://deb.debian.org/debian',
  'trixie-security': 'http://deb.debian.org/debian-security',
};

export class Apt {
  private readonly lists: string;
  private updated = false;

  constructor(private readonly dir: string) {
    this.lists = join(dir, 'lists');
    for (const d of ['lists/partial', 'cache/archives/partial', 'parts']) mkdirSync(join(dir, d), { recursive: true });
    const sources = SUITES.map((s) => `deb [signed-by=${KEYRING}] ${MIRROR[s]} ${s} main`).join('\n');
    writeFileSync(join(dir, 'sources.list'), `# written by initramfs/lib/apt.ts\n${sources}\n`);
    writeFileSync(join(dir, 'status'), '');
  }

  /** apt options that make every apt-get/apt-cache call use only this directory's state. */
  private options(): string[] {
    const o = (k: string, v: string): string[] => ['-o', `${k}=${v}`];
    return [
      ...o('Dir::Etc::sourcelist', join(this.dir, 'sources.list')),
      ...o('Dir::Etc::sourceparts', join(this.dir, 'parts')),
      ...o('Dir::Etc::preferences', '/dev/null'),
      ...o('Dir::Etc::preferencesparts', join(this.dir, 'parts')),
      ...o('Dir::State::Lists', this.lists),
      ...o('Dir::State::status', join(this.dir, 'status')),
      ...o('Dir::Cache', join(this.dir, 'cache')),
      ...o('APT::Architecture', 'amd64'),
      ...o('APT::Architectures', 'amd64'),
    ];
  }

  private hasLists(): boolean {
    return existsSync(this.lists) && readdirSync(this.lists).some((f) => f.includes('_Packages'));
  }

  /** Fetches the package lists of the suites (once per build). */
  update(): void {
    if (existsSync('/usr/share/keyrings') && !existsSync(KEYRING)) {
      throw new Error(`${KEYRING} is missing: apt-get install debian-archive-keyring`);
    }
    progress(`apt-get update (${SUITES.join(', ')})`);
    run('apt-get', [...this.options(), '-q', 'update']);
    this.updated = true;
  }

  /** Lists are fetched when there are none; a stale list is refreshed by `refresh` on demand. */
  ensureLists(): void {
    if (!this.hasLists()) this.update();
  }

  /** Refreshes the lists unless this build already did; says whether it did. */
  refresh(): boolean {
    if (this.updated) return false;
    this.update();
    return true;
  }

  candidate(name: string): string {
    return this.candidates([name]).get(name) ?? '';
  }

  /** The candidate version of each name, in one apt-cache call (each call loads the whole cache). */
  candidates(names: string[]): Map<string, string> {
    this.ensureLists();
    const out = run('apt-cache', [...this.options(), 'policy', ...names]);
    const found = new Map<string, string>();
    for (const block of out.split(/^(?=\S)/m)) {
      const name = /^(\S+):/.exec(block)?.[1];
      const version = /Candidate:\s*(\S+)/.exec(block)?.[1];
      if (name && version && version !== '(none)') found.set(name, version);
    }
    const missing = names.filter((n) => !found.has(n));
    if (missing.length > 0) throw new Error(`not in ${SUITES.join(' or ')}: ${missing.join(', ')}`);
    return found;
  }

  /** Package names in the Depends field of name=version (alternatives: the first). */
  depends(name: string, version: string): string[] {
    this.ensureLists();
    const out = run('apt-cache', [...this.options(), 'show', `${name}=${version}`]);
    const field = /^Depends:\s*(.*)$/m.exec(out)?.[1] ?? '';
    return field.split(',').map((d) => d.split('|')[0]?.trim().split(/\s/)[0] ?? '').filter(Boolean);
  }

  /** Downloads name=version into `dir` (apt checks it against the signed index); returns the .deb path. */
  download(name: string, version: string, dir: string): string {
    mkdirSync(dir, { recursive: true });
    const prefix = `${name}_${version.replace(/:/g, '%3a')}_`;
    const find = (): string | undefined => readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
    const cached = find();
    if (cached) return join(dir, cached);
    this.ensureLists();
    progress(`download ${name}=${version}`);
    run('apt-get', [...this.options(), 'download', '-q', `${name}=${version}`], { cwd: dir });
    const got = find();
    if (!got) throw new Error(`apt-get download ${name}=${version}: no .deb appeared in ${dir}`);
    return join(dir, got);
  }
}
