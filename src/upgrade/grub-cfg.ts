// grub.cfg of an installed disk (grub-install's images find the state file
// system and load it), which implements the one-time trial (docs/architecture.md, "The GRUB environment
// protocol"). Pure text; `grubChoice` in slots.ts is its model in TypeScript.
import { SLOTS, type Slot } from './slots';

export const GRUB_DIR = 'boot/grub';
export const SLOTS_DIR = 'boot/slots';
export const slotDir = (s: Slot): string => `${SLOTS_DIR}/${s}`;

/** Words only a trial boot gets: kernel lockups and hung tasks become panics, and panics reboot. */
export const TRIAL_WORDS = 'ros.trial=1 softlockup_panic=1 hung_task_panic=1';

export function grubCfg(cmdline: string): string {
  if (/[\r\n"$\\]/.test(cmdline)) throw new Error('the kernel command line must be one line without quotes, $ or backslashes');
  const entry = (s: Slot): string[] => [
    `menuentry "ros slot ${s}" --id ros-${s} {`,
    `  linux /${slotDir(s)}/vmlinuz ros.slot=${s} \${ros_trial_words} ${cmdline} panic=10`,
    `  initrd /${slotDir(s)}/initrd.img`,
    '}',
  ];
  return [
    '# written by ros install; the same for every version (docs/architecture.md, "The GRUB environment protocol")',
    'serial --unit=0 --speed=115200',
    'terminal_input serial console',
    'terminal_output serial console',
    'set timeout=1',
    // A menu entry runs in a new context that sees only exported variables.
    'set ros_trial_words=""',
    'export ros_trial_words',
    `load_env --file /${GRUB_DIR}/grubenv ros_default ros_trial ros_trial_booted`,
    'if [ "${ros_default}" != a -a "${ros_default}" != b ]; then set ros_default=a; fi',
    'set default="ros-${ros_default}"',
    // If the trial's kernel or initrd cannot even be loaded, GRUB boots this at once.
    'set fallback="ros-${ros_default}"',
    'if [ -n "${ros_trial}" ]; then',
    '  if [ "${ros_trial_booted}" != 1 ]; then',
    '    set ros_trial_booted=1',
    // Consumed before the kernel runs: if the trial dies, the next boot is the default.
    // If GRUB cannot record that, it must not start the trial at all.
    `    if save_env --file /${GRUB_DIR}/grubenv ros_trial_booted; then`,
    '      set default="ros-${ros_trial}"',
    `      set ros_trial_words="${TRIAL_WORDS}"`,
    '    fi',
    '  fi',
    'fi',
    ...SLOTS.flatMap(entry),
    '',
  ].join('\n');
}
