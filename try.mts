import { createServer } from 'node:http';
import { readFileSync, writeFileSync, mkdirSync, cpSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const server = createServer((req, res) => {
  if (req.url === '/astana-lead.jpg') { res.writeHead(200, { 'content-type': 'image/jpeg' }); res.end(readFileSync('tests/fixtures/import/media/astana-lead.jpg')); }
  else { res.writeHead(404); res.end(); }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as { port: number }).port;
rmSync('/tmp/imp3', { recursive: true, force: true });
mkdirSync('/tmp/imp3/pages', { recursive: true });
cpSync('tests/fixtures/malformed/_base', '/tmp/imp3/content', { recursive: true });
cpSync('tests/fixtures/import/pages', '/tmp/imp3/pages', { recursive: true });
writeFileSync('/tmp/imp3/pages/npr-astana.html', readFileSync('tests/fixtures/import/pages/npr-astana.html', 'utf8').replaceAll('{{MEDIA}}', `http://127.0.0.1:${port}`));
const { spawn } = await import('node:child_process');
const child = spawn('npm', ['run', '-s', 'import', '--', 'page', '/tmp/imp3/pages/npr-astana.html', '/tmp/imp3/pages/drupal-bridge.html', '/tmp/imp3/pages/broken.html', '--station', 'kfix', '--out', '/tmp/imp3/content/articles/imported'], { stdio: 'inherit' });
child.on('close', (code) => { console.log('EXIT', code); server.close(); });
