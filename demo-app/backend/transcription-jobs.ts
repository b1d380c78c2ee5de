// Runs the transcription job of each uploaded story, one at a time, after the upload was answered.
import type { DemoFaults } from '../shared/faults.ts';
import type { StoryStore } from './story-store.ts';
import type { Transcriber } from './transcriber.ts';

export class TranscriptionJobs {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StoryStore,
    private readonly transcriber: Transcriber,
    private readonly faults: DemoFaults,
    private readonly logPrefix: string,
  ) {}

  enqueue(id: string): void {
    if (this.faults.transcriptionStuck) {
      console.log(`${this.logPrefix} fault transcription-stuck: story ${id} stays PROCESSING forever`);
      return;
    }
    this.queue = this.queue.then(() => this.run(id)).catch((error: unknown) => {
      // The story stays PROCESSING and is resumed at the next start.
      console.error(`${this.logPrefix} transcription of story ${id} could not finish: ${String(error)}`);
    });
  }

  /** Resolves when every job queued so far has ended. */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async run(id: string): Promise<void> {
    const upload = await this.store.audio(id);
    if (!upload) return;
    if (this.faults.transcriptionFailed) {
      const reason = 'fault transcription-failed: the speech-to-text provider rejected the recording';
      console.log(`${this.logPrefix} story ${id}: FAILED (${reason})`);
      return this.store.fail(id, reason);
    }
    const result = await this.transcriber.transcribe(upload.audio, upload.contentType);
    if (result.ok) {
      await this.store.complete(id, result.transcript);
      console.log(`${this.logPrefix} story ${id}: COMPLETED (${upload.audio.length} bytes transcribed by the ${this.transcriber.name})`);
    } else {
      await this.store.fail(id, result.reason);
      console.log(`${this.logPrefix} story ${id}: FAILED (${result.reason})`);
    }
  }
}
