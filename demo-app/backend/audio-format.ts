// Recognises audio containers by their first bytes (what a browser's MediaRecorder or a file upload sends).

const signatures: { format: string; matches(head: Buffer): boolean }[] = [
  { format: 'WebM', matches: (head) => head.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) },
  { format: 'WAV', matches: (head) => head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE' },
  { format: 'Ogg', matches: (head) => head.toString('latin1', 0, 4) === 'OggS' },
  { format: 'FLAC', matches: (head) => head.toString('latin1', 0, 4) === 'fLaC' },
  { format: 'MP4', matches: (head) => head.toString('latin1', 4, 8) === 'ftyp' },
  { format: 'MP3', matches: (head) => head.toString('latin1', 0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0) },
];

/** The container format, or undefined when the bytes are not audio this demo knows. */
export function sniffAudioFormat(audio: Buffer): string | undefined {
  return signatures.find((signature) => audio.length >= 12 && signature.matches(audio))?.format;
}

export function describeHead(audio: Buffer): string {
  return JSON.stringify(audio.subarray(0, 8).toString('latin1'));
}
