// What a client may send to POST /api/story/start: the consent step's fields.
import { z } from 'zod';

const optionalText = (field: string, max: number) => z.string({ error: `${field} must be a string` }).trim()
  .max(max, { error: `${field} must be at most ${max} characters` }).optional().transform((value) => value || undefined);

export const storyStartSchema = z.object({
  consent: z.literal(true, { error: 'consent is required: send "consent": true once the person agreed to be recorded' }),
  name: optionalText('name', 200),
  age: z.number({ error: 'age must be a number' }).int({ error: 'age must be a whole number' })
    .min(1, { error: 'age must be at least 1' }).max(130, { error: 'age must be at most 130' }).optional(),
  location: optionalText('location', 200),
  language: optionalText('language', 50),
}, { error: 'body must be a JSON object with "consent": true' });

export type StoryStart = z.infer<typeof storyStartSchema>;

/** Parses the raw body; returns the input or a message saying everything that is wrong with it. */
export function parseStoryStart(body: string): { input: StoryStart } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { error: `request body is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = storyStartSchema.safeParse(json);
  if (parsed.success) return { input: parsed.data };
  return { error: parsed.error.issues.map((issue) => issue.message).join('; ') };
}
