// Durable story storage: every story lives in `${dataDir}/stories.json`, rewritten atomically on each change
// (temp file in the same directory, fsync, rename), so a crash never leaves a half-written file.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Story {
  id: string;
  name: string;
  story: string;
  createdAt: string;
  testData?: true;
}

export interface NewStory {
  name: string;
  story: string;
  testData: boolean;
}

export class StoryStore {
  private readonly stories = new Map<string, Story>();
  private writes: Promise<void> = Promise.resolve();
  readonly file: string;

  private constructor(readonly dataDir: string) {
    this.file = path.join(dataDir, 'stories.json');
  }

  /** Creates the data directory if needed and loads what earlier runs stored. A corrupt file is an error, never overwritten. */
  static async open(dataDir: string): Promise<StoryStore> {
    const store = new StoryStore(dataDir);
    await mkdir(dataDir, { recursive: true });
    let text: string;
    try {
      text = await readFile(store.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw error;
    }
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error(`${store.file} does not hold a JSON array of stories`);
    for (const story of parsed as Story[]) store.stories.set(story.id, story);
    return store;
  }

  get size(): number {
    return this.stories.size;
  }

  get(id: string): Story | undefined {
    return this.stories.get(id);
  }

  async create(input: NewStory): Promise<Story> {
    const story: Story = {
      id: randomUUID(),
      name: input.name,
      story: input.story,
      createdAt: new Date().toISOString(),
      ...(input.testData ? { testData: true as const } : {}),
    };
    this.stories.set(story.id, story);
    try {
      await this.persist();
    } catch (error) {
      this.stories.delete(story.id);
      throw error;
    }
    return story;
  }

  /** Resolves when every write started so far has reached the disk. */
  async flush(): Promise<void> {
    await this.writes.catch(() => undefined);
  }

  /** Proves the data directory can be written and read back right now; used by the readiness check. */
  async probe(): Promise<string> {
    const probeFile = path.join(this.dataDir, `.health-probe-${process.pid}`);
    const token = randomUUID();
    try {
      await writeFile(probeFile, token);
      const readBack = await readFile(probeFile, 'utf8');
      if (readBack !== token) throw new Error(`data dir ${this.dataDir}: probe file read back different content`);
    } finally {
      await rm(probeFile, { force: true });
    }
    return `data dir ${this.dataDir} is writable and readable (${this.stories.size} stories)`;
  }

  private persist(): Promise<void> {
    const snapshot = JSON.stringify([...this.stories.values()], null, 2);
    // Writes are chained so an older snapshot can never be renamed over a newer one.
    const write = this.writes.catch(() => undefined).then(() => writeAtomically(this.file, snapshot));
    this.writes = write;
    return write;
  }
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

// Makes the rename itself durable; some platforms cannot open a directory, which is not worth failing a write for.
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
