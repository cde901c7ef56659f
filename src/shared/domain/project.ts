// Projects the learner has opened (the `projects` table, the project:* channels).
import { z } from 'zod';

export const RecentProjectSchema = z.object({
  path: z.string(),
  name: z.string(),
  owner: z.string().optional(),
  repo: z.string().optional(),
  lastOpenedAt: z.string(),
});
export type RecentProject = z.infer<typeof RecentProjectSchema>;
