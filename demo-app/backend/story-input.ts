// What a client may send to POST /api/stories.
import { z } from 'zod';

export const storyInputSchema = z.object({
  name: z.string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be a string') }).trim()
    .min(1, { error: 'name must not be empty' })
    .max(200, { error: 'name must be at most 200 characters' }),
  story: z.string({ error: (issue) => (issue.input === undefined ? 'story is required' : 'story must be a string') }).trim()
    .min(1, { error: 'story must not be empty' })
    .max(10_000, { error: 'story must be at most 10000 characters' }),
}, { error: 'body must be a JSON object with "name" and "story"' });

export type StoryInput = z.infer<typeof storyInputSchema>;

/** Parses the raw body; returns the input or a message saying everything that is wrong with it. */
export function parseStoryInput(body: string): { input: StoryInput } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { error: `request body is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = storyInputSchema.safeParse(json);
  if (parsed.success) return { input: parsed.data };
  return { error: parsed.error.issues.map((issue) => issue.message).join('; ') };
}
