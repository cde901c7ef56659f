// Projects the learner has opened (SPEC §4.1 projects, §7.2 project:*).
import { z } from 'zod';

export const RecentProjectSchema = z.object({
  path: z.string(),
  name: z.string(),
  owner: z.string().optional(),
  repo: z.string().optional(),
  lastOpenedAt: z.string(),
});
export type RecentProject = z.infer<typeof RecentProjectSchema>;
