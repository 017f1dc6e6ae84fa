/**
 * nginx as the reverse-proxy reference, configured the way BENCH-NOTES.md found fair on two
 * cores: one worker (two gave p99 spikes at 64 connections), HTTP/1.1 to the upstream with a
 * keepalive pool, no access log, and no response buffering so streams pass through at once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Service, startService } from './process.js';

export interface NginxOptions {
  /** Working folder for the config, pid file, logs and temp files. */
  prefix: string;
  listenPort: number;
  upstreamPort: number;
}

/**
 * The nginx.conf text for `options`.
 *
 * @example
 * writeFileSync('nginx.conf', nginxConfig({ prefix: '/tmp/x', listenPort: 8081, upstreamPort: 9000 }));
 */
export function nginxConfig(options: NginxOptions): string {
  const at = (name: string): string => join(options.prefix, name);
  return `daemon off;
master_process on;
worker_processes 1;
pid ${at('nginx.pid')};
error_log ${at('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${at('client_body')};
  proxy_temp_path ${at('proxy')};
  fastcgi_temp_path ${at('fastcgi')};
  uwsgi_temp_path ${at('uwsgi')};
  scgi_temp_path ${at('scgi')};
  keepalive_requests 1000000;
  upstream mock {
    server 127.0.0.1:${options.upstreamPort};
    keepalive 128;
  }
  server {
    listen 127.0.0.1:${options.listenPort};
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`;
}

/**
 * Writes the config and starts nginx in the foreground (so its pid is the master's).
 *
 * @example
 * const nginx = startNginx('/usr/sbin/nginx', { prefix, listenPort, upstreamPort });
 */
export function startNginx(binary: string, options: NginxOptions): Service {
  mkdirSync(options.prefix, { recursive: true });
  const conf = join(options.prefix, 'nginx.conf');
  writeFileSync(conf, nginxConfig(options));
  // -e: the error log before the config is read, so nothing goes to /var/log/nginx.
  return startService({
    name: 'nginx',
    command: binary,
    args: ['-p', options.prefix, '-e', join(options.prefix, 'error.log'), '-c', conf],
    logPath: join(options.prefix, 'stdout.log'),
  });
}
