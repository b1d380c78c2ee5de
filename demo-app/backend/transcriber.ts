// Transcription: what the backend runs on an uploaded recording. The interface is what a real speech-to-text
// provider would implement; the only implementation here is an offline, deterministic STAND-IN (the real app's
// zero-AI mode exists for the same reason): it recognises no speech, it describes the audio it was given.
import { createHash } from 'node:crypto';
import { describeHead, sniffAudioFormat } from './audio-format.ts';

export type TranscriptionResult = { ok: true; transcript: string } | { ok: false; reason: string };

export interface Transcriber {
  /** Said in logs and in every transcript, so nobody mistakes the stand-in for speech recognition. */
  readonly name: string;
  transcribe(audio: Buffer, contentType: string): Promise<TranscriptionResult>;
}

export class OfflineStandInTranscriber implements Transcriber {
  readonly name = 'offline stand-in for a speech-to-text provider (recognises no speech)';

  async transcribe(audio: Buffer, contentType: string): Promise<TranscriptionResult> {
    if (audio.length === 0) return { ok: false, reason: 'the recording is empty (0 bytes): nothing to transcribe' };
    const format = sniffAudioFormat(audio);
    if (!format) return { ok: false, reason: `the upload is not audio: it starts with ${describeHead(audio)}, not a WebM, WAV, Ogg, FLAC, MP4 or MP3 header` };
    const fingerprint = createHash('sha256').update(audio).digest('hex').slice(0, 12);
    return {
      ok: true,
      transcript: `[stand-in transcript, no speech recognition] A ${format} recording (${contentType}) of ${audio.length} bytes, fingerprint ${fingerprint}.`,
    };
  }
}
