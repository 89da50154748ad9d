package dev.flotilla.bench.handshake;

import dev.flotilla.bench.internal.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx from the Debian package as the reference: one worker process, TLS 1.3 only, the same certificate, key
 * and client CA as Flotilla, answering {@code GET /} with a short 200 body; pinned like the Flotilla server.
 */
final class NginxServer implements TargetServer {

    private final Process process;
    private final int port;

    private NginxServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static NginxServer start(HandshakeCertificates certs, boolean mutual, String cpus, Path dir) throws IOException {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            throw new IllegalStateException("nginx is not installed; run scripts/bench/install-nginx.sh (as root) first");
        }
        Files.createDirectories(dir.resolve("logs"));
        int port = FreePort.find();
        String conf = """
                worker_processes 1;
                daemon off;
                master_process on;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                worker_rlimit_nofile 8192;
                events { worker_connections 4096; multi_accept on; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp;
                  proxy_temp_path %1$s/tmp;
                  fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp;
                  scgi_temp_path %1$s/tmp;
                  keepalive_timeout 0;
                  server {
                    listen 127.0.0.1:%2$d ssl backlog=4096;
                    ssl_protocols TLSv1.3;
                    ssl_certificate %3$s;
                    ssl_certificate_key %4$s;
                    %5$s
                    location / { default_type text/plain; return 200 "ok\\n"; }
                  }
                }
                """.formatted(dir.toAbsolutePath(), port, certs.serverCertificate(), certs.serverKey(),
                mutual ? "ssl_verify_client on; ssl_client_certificate " + certs.ca() + ";" : "");
        Files.createDirectories(dir.resolve("tmp"));
        Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
        List<String> cmd = new ArrayList<>(Processes.pinned(cpus));
        cmd.addAll(List.of(nginx.toString(), "-p", dir.toAbsolutePath().toString(), "-c", confFile.toAbsolutePath().toString()));
        Process p = Processes.start(cmd, dir, dir.resolve("logs/stdout.log"));
        FreePort.awaitListening(port, Duration.ofSeconds(20), p, dir.resolve("logs/error.log"));
        return new NginxServer(p, port);
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String path() {
        return "/";
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(5));
    }
}
