/**
 * Benchmark: a generated configuration of 10,000+ lines (many upstreams and servers), parsed
 * and validated by loadConfig. Prints the line count and the median of several runs.
 *   npm run bench:config
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../load.js';

export function bigConfig(upstreams: number, servers: number): string {
  const out = ['worker_processes 1;', 'events { worker_connections 1024; }', 'http {',
    '    log_format main \'$remote_addr "$request" $status $upstream_addr\';'];
  for (let u = 0; u < upstreams; u++) {
    out.push(`    upstream app${u} {`);
    if (u % 3 === 1) out.push('        least_conn;');
    if (u % 3 === 2) out.push('        hash $request_uri consistent;');
    for (let s = 0; s < 8; s++) out.push(`        server 127.0.${u % 250}.${s + 1}:${8000 + s} weight=${1 + (s % 3)} max_fails=3 fail_timeout=10s;`);
    out.push('        keepalive 16;', '    }');
  }
  for (let v = 0; v < servers; v++) {
    out.push('    server {', `        listen 127.0.0.1:${10000 + v};`, `        server_name site${v}.test www.site${v}.test;`,
      '        proxy_http_version 1.1;', '        proxy_set_header Connection "";', '        proxy_set_header Host $host;',
      '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', '        proxy_read_timeout 30s;',
      `        access_log logs/site${v}.log main;`);
    for (let l = 0; l < 3; l++) {
      out.push(`        location /api${l}/ {`, `            proxy_pass http://app${(v * 3 + l) % upstreams};`,
        '            proxy_next_upstream error timeout http_502;', '            add_header X-Upstream $upstream_addr always;', '        }');
    }
    out.push('        location = /health { return 200 "ok"; }', '    }');
  }
  out.push('}');
  return out.join('\n') + '\n';
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-bench-'));
  mkdirSync(join(dir, 'logs'));
  try {
    const text = bigConfig(420, 200);
    const file = join(dir, 'nginx.conf');
    writeFileSync(file, text);
    const lines = text.split('\n').length - 1;
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await loadConfig(file, { prefix: dir });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    process.stdout.write(`config lines: ${lines}\nparse+validate median of ${times.length}: ${median.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times.at(-1)!.toFixed(1)})\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
