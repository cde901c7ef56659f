// Scans a program given inline to an interpreter (python -c, node -e, perl -e, ruby -e, php -r, awk) for the same
// harm the shell rules look for: deleting files, fork bombs, writing to disk devices, downloading and running code,
// and shell commands passed as strings (which the validator then analyses as shell).

interface InlineCodeFindings {
  destructive: boolean;
  networkExec: boolean;
  fetches: boolean;
  /** Decodes text at run time (base64, hex, char codes): a common way to hide a payload. */
  decodes: boolean;
  /** String literals handed to a shell (`os.system("…")`, `execSync('…')`, `system("…")`), to analyse as commands. */
  shellStrings: string[];
}

// Precompiled, without nested quantifiers, so each scan is linear in the code's length.
const DELETE_RE =
  /rmtree|rmSync|rmdirSync|unlinkSync|\bunlink\s*\(|\.unlink\b|os\.remove|os\.rmdir|removedirs|rm_rf|rm_r\b|FileUtils\.rm|File\.delete|fs\.rm\b|fs\.promises\.rm|fsPromises\.rm|remove_dir_all|shred|\brmdir\b|\bunlink\b/;
const FORK_RE = /\bfork\b/;
const LOOP_RE = /\bwhile\b|\bfor\b|\bloop\b|\buntil\b|setInterval/;
const DEVICE_RE = /\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|rdisk|loop|dm-|md|mapper|mem|kmem)/;
const FETCH_RE =
  /urlopen|urllib|requests\.(get|post)|httpx|\bfetch\s*\(|https?\.get|https?\.request|LWP|HTTP::Tiny|Net::HTTP|open-uri|URI\.open|\bcurl\b|\bwget\b|socket|http:\/\/|https:\/\//;
const EXEC_RE =
  /\bexec\s*\(|\beval\b|\bFunction\s*\(|\bsystem\b|\bspawn|\bpopen|subprocess|child_process|execSync|execFile|\bexec\b|`|\bqx\b|%x\{|shell_exec|passthru|Runtime|import\s*\(|require\s*\(\s*\w/;
const SHELL_CALL_RE =
  /\bsystem\b|os\.popen|popen|subprocess|child_process|execSync|execFileSync|\bexec\s*\(|spawnSync|\bspawn\s*\(|`|\bqx\b|%x\{|shell_exec|passthru|Runtime/;

const DECODE_RE =
  /b64decode|b32decode|a85decode|fromhex|unhexlify|atob\s*\(|base64|decode\s*\(\s*['"](hex|base64|rot)|rot13|fromCharCode|\bchr\s*\(|\bpack\s*\(|unpack\s*\(|MIME::Base64/;

/** Most string literals analysed as shell per program: keeps a 10 000-character program cheap to check. */
const MAX_SHELL_STRINGS = 64;

/** Single-, double- and backtick-quoted literals, with backslash escapes kept as the escaped character. */
function stringLiterals(code: string): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < code.length && out.length < MAX_SHELL_STRINGS) {
    const q = code.charCodeAt(k);
    if (q !== 34 && q !== 39 && q !== 96) {
      k++;
      continue;
    }
    let j = k + 1;
    let text = '';
    while (j < code.length && code.charCodeAt(j) !== q) {
      if (code.charCodeAt(j) === 92 && j + 1 < code.length) {
        text += code[j + 1];
        j += 2;
        continue;
      }
      text += code[j];
      j++;
    }
    if (text.length > 0) out.push(text);
    k = j + 1;
  }
  return out;
}

export function scanInlineCode(code: string): InlineCodeFindings {
  const fetches = FETCH_RE.test(code);
  const execs = EXEC_RE.test(code);
  const destructive = DELETE_RE.test(code) || DEVICE_RE.test(code) || (FORK_RE.test(code) && LOOP_RE.test(code));
  return {
    destructive,
    networkExec: fetches && execs,
    fetches,
    decodes: DECODE_RE.test(code),
    shellStrings: SHELL_CALL_RE.test(code) ? stringLiterals(code) : [],
  };
}
