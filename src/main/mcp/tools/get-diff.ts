// `paige_get_diff`: unified diffs of unsaved edits against the disk, one file or every dirty one.
import { GetDiffInput, GetDiffOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import type { WorkspaceService } from '../../fs/workspace-service';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

/** Diffs of `paths` (project-relative or absolute), leaving out files with nothing unsaved. */
export function unsavedDiffs(
  workspace: WorkspaceService,
  paths: readonly string[] = workspace.dirtyPaths(),
): { path: string; diff: string }[] {
  return paths.flatMap((p) => {
    const { rel } = workspace.resolve(p);
    const diff = workspace.diff(rel);
    return diff === '' ? [] : [{ path: rel, diff }];
  });
}

export function getDiffTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.getDiff,
      title: 'Diff unsaved edits',
      description:
        'Returns unified diffs (disk → editor, 3 lines of context) of the learner’s unsaved edits: for one file when ' +
        'a path is given, else for every file with unsaved edits. A clean or unopened file gives an empty list.',
      input: GetDiffInput,
      output: GetDiffOutput,
      readOnly: true,
    },
    (input) => ({ diffs: unsavedDiffs(deps.workspace, input.path !== undefined ? [input.path] : undefined) }),
  );
}
