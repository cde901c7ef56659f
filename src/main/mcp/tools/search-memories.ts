// `paige_search_memories` (docs/memory.md): what Paige remembers from earlier sessions (memories the wrap-up wrote),
// nearest first, from the vector index or, when it is down, from full-text search.
import type { SearchMemoriesInput, SearchMemoriesOutput } from '../../../shared/domain/memory';
import { SearchMemoriesToolInput, SearchMemoriesToolOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type PaigeTool } from '../tool-kit';

export function searchMemoriesTool(search: (input: SearchMemoriesInput) => Promise<SearchMemoriesOutput>): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.searchMemories,
      title: 'Search memories of earlier sessions',
      description:
        'Searches the memories Paige wrote at the end of earlier coaching sessions (what the developer built, ' +
        'struggled with, and what worked). scope "project" (default) searches the open project only, "all" every ' +
        'project; limit 1-20 (default 5). Results are nearest first with a 0-1 score; backend says whether the ' +
        'vector index (chroma) or full-text search (fts) answered.',
      input: SearchMemoriesToolInput,
      output: SearchMemoriesToolOutput,
      readOnly: true,
    },
    (input) => search(input),
  );
}
