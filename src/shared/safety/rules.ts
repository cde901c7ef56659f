// The rule table of the command safety validator (docs/safety.md): ids, categories, risks and the one-line
// description a learner or a model reads in the decision's reason.

export const RISK_LEVELS = ['safe', 'moderate', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RULE_CATEGORIES = [
  'destructive_fs',
  'privilege_escalation',
  'disk_partition',
  'fork_bomb',
  'remote_exec',
  'history_rewrite',
  'credential_exfiltration',
  'system_modification',
  'package_publish',
  'network_fetch',
  'package_install',
  'write_style',
  'opaque',
  'read_only',
  'analysis',
] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export interface RuleDef {
  category: RuleCategory;
  risk: RiskLevel;
  /** Write-style rules set `read_only_violation`. */
  write?: boolean;
  /** The validator cannot see what the command will do: denied in read-only mode. */
  opaque?: boolean;
  description: string;
}

export const RULES = {
  // analysis: input the validator cannot read in full
  'analysis.too_long': {
    category: 'analysis',
    risk: 'high',
    opaque: true,
    description: 'the command is too long to analyse (over 10 000 characters)',
  },
  'analysis.unbalanced': {
    category: 'analysis',
    risk: 'high',
    opaque: true,
    description: 'unbalanced quotes or an unterminated substitution',
  },
  'analysis.internal_error': {
    category: 'analysis',
    risk: 'high',
    opaque: true,
    description: 'the validator could not analyse this command',
  },
  'analysis.too_deep': {
    category: 'analysis',
    risk: 'high',
    opaque: true,
    description: 'substitutions nested too deeply to analyse',
  },

  // opaque: code the validator cannot see before it runs
  'opaque.dynamic_command': {
    category: 'opaque',
    risk: 'high',
    opaque: true,
    description: 'the name of the command is only worked out when it runs ($VAR, $(…) or backticks)',
  },
  'opaque.eval': {
    category: 'opaque',
    risk: 'high',
    opaque: true,
    description: 'eval or source runs code that is not written in the command itself',
  },
  'opaque.shell_from_input': {
    category: 'opaque',
    risk: 'high',
    opaque: true,
    description: 'a shell or interpreter reads its program from a pipe, a here-document, a string or a substitution',
  },
  'opaque.inline_code': {
    category: 'opaque',
    risk: 'high',
    opaque: true,
    description: 'an interpreter runs a program given inline (python -c, node -e, perl -e, …)',
  },
  'opaque.script_file': {
    category: 'opaque',
    risk: 'high',
    opaque: true,
    description: 'runs a script file, whose contents are not in the command',
  },
  'opaque.combined': {
    category: 'opaque',
    risk: 'critical',
    opaque: true,
    description: 'hidden code is combined with a download, a decoded payload or a destructive command',
  },
  'opaque.write_then_run': {
    category: 'opaque',
    risk: 'critical',
    opaque: true,
    description: 'writes or downloads a script and then runs it',
  },
  'opaque.inline_destructive': {
    category: 'opaque',
    risk: 'critical',
    opaque: true,
    description: 'inline interpreter code deletes files, spawns processes endlessly or writes to a disk device',
  },
  'opaque.inline_network_exec': {
    category: 'opaque',
    risk: 'critical',
    opaque: true,
    description: 'inline interpreter code downloads something and runs it',
  },

  // read-only mode: only commands known to be read-only run
  'read_only.not_allowlisted': {
    category: 'read_only',
    risk: 'safe',
    write: true,
    description: 'is not on the list of commands known to only read',
  },

  // destructive_fs
  'destructive_fs.rm_root': {
    category: 'destructive_fs',
    risk: 'critical',
    description: 'recursive delete of the filesystem root, the home directory or a parent directory',
  },
  'destructive_fs.rm_recursive': { category: 'destructive_fs', risk: 'high', description: 'recursive delete' },
  'destructive_fs.find_delete_root': {
    category: 'destructive_fs',
    risk: 'critical',
    description: 'find that deletes from the filesystem root or the home directory',
  },
  'destructive_fs.find_delete': { category: 'destructive_fs', risk: 'high', description: 'find that deletes files' },
  'destructive_fs.shred': { category: 'destructive_fs', risk: 'critical', description: 'shred destroys file contents' },
  'destructive_fs.recursive_perm_root': {
    category: 'destructive_fs',
    risk: 'critical',
    description: 'recursive permission or owner change on the filesystem root or the home directory',
  },

  // privilege_escalation
  'privilege_escalation.sudo': { category: 'privilege_escalation', risk: 'high', description: 'runs as root (sudo)' },
  'privilege_escalation.su': { category: 'privilege_escalation', risk: 'high', description: 'switches user (su)' },
  'privilege_escalation.doas': { category: 'privilege_escalation', risk: 'high', description: 'runs as root (doas)' },
  'privilege_escalation.pkexec': {
    category: 'privilege_escalation',
    risk: 'high',
    description: 'runs as root (pkexec)',
  },
  'privilege_escalation.chown_root': {
    category: 'privilege_escalation',
    risk: 'high',
    description: 'gives files to root',
  },
  'privilege_escalation.setuid': {
    category: 'privilege_escalation',
    risk: 'high',
    description: 'sets the setuid/setgid bit',
  },

  // disk_partition
  'disk_partition.mkfs': { category: 'disk_partition', risk: 'critical', description: 'formats a filesystem' },
  'disk_partition.partition': { category: 'disk_partition', risk: 'critical', description: 'edits a partition table' },
  'disk_partition.dd_device': { category: 'disk_partition', risk: 'critical', description: 'dd writes to a device' },
  'disk_partition.device_write': {
    category: 'disk_partition',
    risk: 'critical',
    write: true,
    description: 'writes straight to a disk device, which destroys what is on it',
  },
  'disk_partition.diskutil_erase': { category: 'disk_partition', risk: 'critical', description: 'erases a disk' },
  'disk_partition.format': { category: 'disk_partition', risk: 'critical', description: 'formats a drive' },

  // fork_bomb
  'fork_bomb.function': {
    category: 'fork_bomb',
    risk: 'critical',
    description: 'a function that spawns copies of itself (fork bomb)',
  },
  'fork_bomb.loop': {
    category: 'fork_bomb',
    risk: 'critical',
    description: 'an endless loop that spawns background processes',
  },

  // remote_exec
  'remote_exec.pipe_to_interpreter': {
    category: 'remote_exec',
    risk: 'critical',
    description: 'downloaded code is piped into an interpreter',
  },
  'remote_exec.substitution': {
    category: 'remote_exec',
    risk: 'critical',
    description: 'downloaded code is run through a substitution',
  },

  'remote_exec.reverse_shell': {
    category: 'remote_exec',
    risk: 'critical',
    description:
      'connects a shell to a network address (/dev/tcp, nc -e, socat exec), which hands control to someone else',
  },

  // history_rewrite
  'history_rewrite.force_push': {
    category: 'history_rewrite',
    risk: 'high',
    description: 'force push rewrites remote history',
  },
  'history_rewrite.default_branch': {
    category: 'history_rewrite',
    risk: 'critical',
    description: 'deletes or force-pushes the default branch (main or master) on the remote',
  },
  'history_rewrite.reset_hard': {
    category: 'history_rewrite',
    risk: 'high',
    description: 'git reset --hard discards work',
  },
  'history_rewrite.clean_force': {
    category: 'history_rewrite',
    risk: 'high',
    description: 'git clean -f deletes untracked files',
  },
  'history_rewrite.filter_branch': {
    category: 'history_rewrite',
    risk: 'high',
    description: 'rewrites the whole history',
  },
  'history_rewrite.rebase': { category: 'history_rewrite', risk: 'high', description: 'git rebase rewrites commits' },
  'history_rewrite.branch_force_delete': {
    category: 'history_rewrite',
    risk: 'high',
    description: 'git branch -D deletes unmerged work',
  },
  'history_rewrite.reflog_expire': {
    category: 'history_rewrite',
    risk: 'high',
    description: 'expires the reflog (the safety net)',
  },
  'history_rewrite.gc_prune_now': {
    category: 'history_rewrite',
    risk: 'high',
    description: 'git gc --prune=now drops unreachable commits',
  },

  // credential_exfiltration
  'credential_exfiltration.send': {
    category: 'credential_exfiltration',
    risk: 'critical',
    description: 'a secret (keys, tokens, .env, environment) is sent over the network',
  },
  'credential_exfiltration.read_secret': {
    category: 'credential_exfiltration',
    risk: 'high',
    description: 'reads a secret file or dumps the environment',
  },

  // system_modification
  'system_modification.power': {
    category: 'system_modification',
    risk: 'high',
    description: 'shuts down or reboots the machine',
  },
  'system_modification.kill_all': {
    category: 'system_modification',
    risk: 'high',
    description: 'kills init, every process, or processes by pattern',
  },
  'system_modification.service': {
    category: 'system_modification',
    risk: 'high',
    description: 'stops or disables a system service',
  },
  'system_modification.crontab_remove': {
    category: 'system_modification',
    risk: 'high',
    description: 'removes the crontab',
  },
  'system_modification.firewall_flush': {
    category: 'system_modification',
    risk: 'high',
    description: 'flushes the firewall rules',
  },

  // package_publish
  'package_publish.publish': { category: 'package_publish', risk: 'high', description: 'publishes a package' },

  // network_fetch
  'network_fetch.fetch': { category: 'network_fetch', risk: 'moderate', description: 'fetches from the network' },

  // package_install
  'package_install.install': {
    category: 'package_install',
    risk: 'moderate',
    write: true,
    description: 'installs or removes packages',
  },

  // write-style: commands that change files or the repository
  'write.redirect': {
    category: 'write_style',
    risk: 'safe',
    write: true,
    description: 'redirects output to a file',
  },
  'write.heredoc_file': {
    category: 'write_style',
    risk: 'safe',
    write: true,
    description: 'writes a heredoc to a file',
  },
  'write.tee': { category: 'write_style', risk: 'safe', write: true, description: 'tee writes to a file' },
  'write.in_place_edit': { category: 'write_style', risk: 'safe', write: true, description: 'edits a file in place' },
  'write.dd': { category: 'write_style', risk: 'safe', write: true, description: 'dd writes a file' },
  'write.fs_mutation': {
    category: 'write_style',
    risk: 'safe',
    write: true,
    description: 'creates, moves, copies, deletes or changes files',
  },
  'write.extract': { category: 'write_style', risk: 'safe', write: true, description: 'extracts an archive' },
  'write.git_mutation': {
    category: 'write_style',
    risk: 'safe',
    write: true,
    description: 'changes the repository or the working tree',
  },
  'write.download': { category: 'write_style', risk: 'safe', write: true, description: 'downloads into a file' },
} as const satisfies Record<string, RuleDef>;

export type RuleId = keyof typeof RULES;

export function riskRank(r: RiskLevel): number {
  return RISK_LEVELS.indexOf(r);
}
