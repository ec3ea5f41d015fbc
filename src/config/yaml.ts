// The one YAML dialect of cloud-config: YAML 1.1 as RancherOS (go-yaml v2) and
// cloud-init (PyYAML) read it — `0755` octal, `yes`/`on`/`off` booleans, `0x1F`,
// `1_000` — so a config that worked there means the same here. Every reader of
// cloud-config text (files, cmdline values, edits, NoCloud meta-data) parses
// with these options. docs/architecture.md, "Config layers".
import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';

type Tag = { tag: string; format?: string };

// go-yaml v2 has none of these: sexagesimal numbers would turn a `22:22` port
// mapping into 1342; timestamps, sets, pairs and binaries would become objects
// no key of ours takes. Without them such scalars stay strings, as there.
const NOT_RANCHEROS = (t: Tag) => t.format === 'TIME' || ['timestamp', 'set', 'omap', 'pairs', 'binary'].some((n) => t.tag === `tag:yaml.org,2002:${n}`);

export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => tags.filter((t) => !NOT_RANCHEROS(t as Tag)),
};
