/**
 * A WAV file made in code: a quiet sine tone, 16-bit mono PCM. Browser tests use it as a
 * live stream and audio stories use it as a segment, so no outside audio is needed (Debian's
 * Chromium lacks AAC; WAV plays everywhere).
 */
export function sineWav({ seconds, hz = 440, sampleRate = 8000 }: { seconds: number; hz?: number; sampleRate?: number }): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = samples * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  for (let i = 0; i < samples; i++) {
    wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / sampleRate) * 0.2 * 32767), 44 + i * 2);
  }
  return wav;
}
