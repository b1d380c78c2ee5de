// The package build's second step: files the harness loads by path that are not TypeScript (the watchdog script,
// the fake microphone's WAV) are copied beside the compiled modules in dist/, where those paths resolve.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
for (const file of walk(path.join(root, 'harness')).filter((file) => /\.(sh|wav)$/.test(file))) {
  const target = path.join(root, 'dist', path.relative(root, file));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}
