// The offline stand-in transcriber: deterministic, and it fails a job with a reason for empty or non-audio input.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_FAKE_MICROPHONE_WAV } from '../../harness/browser/microphone.ts';
import { sniffAudioFormat } from '../../demo-app/backend/audio-format.ts';
import { OfflineStandInTranscriber } from '../../demo-app/backend/transcriber.ts';

const wav = fs.readFileSync(DEFAULT_FAKE_MICROPHONE_WAV);

describe('OfflineStandInTranscriber', () => {
  const transcriber = new OfflineStandInTranscriber();

  it('names itself a stand-in for a speech-to-text provider', () => {
    assert.match(transcriber.name, /stand-in for a speech-to-text provider/);
  });

  it('gives the same transcript for the same audio, another for other audio', async () => {
    const first = await transcriber.transcribe(wav, 'audio/wav');
    assert.deepEqual(await transcriber.transcribe(wav, 'audio/wav'), first);
    assert.ok(first.ok);
    assert.match(first.transcript, /^\[stand-in transcript, no speech recognition\] A WAV recording/);
    const other = await transcriber.transcribe(Buffer.concat([wav, Buffer.from([1])]), 'audio/wav');
    assert.ok(other.ok && other.transcript !== first.transcript);
  });

  it('fails an empty recording and one that is not audio, with a reason', async () => {
    assert.deepEqual(await transcriber.transcribe(Buffer.alloc(0), 'audio/webm'), { ok: false, reason: 'the recording is empty (0 bytes): nothing to transcribe' });
    const text = await transcriber.transcribe(Buffer.from('<html>not audio</html>'), 'audio/webm');
    assert.equal(text.ok, false);
    assert.match(!text.ok ? text.reason : '', /^the upload is not audio: it starts with "<html>no"/);
  });

  it('recognises the containers browsers record in', () => {
    assert.equal(sniffAudioFormat(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0])), 'WebM');
    assert.equal(sniffAudioFormat(Buffer.from('OggS\0\0\0\0\0\0\0\0')), 'Ogg');
    assert.equal(sniffAudioFormat(wav), 'WAV');
    assert.equal(sniffAudioFormat(Buffer.from('hello world!')), undefined);
  });
});
