package dev.flotilla.testing.es.internal;

import dev.flotilla.testing.es.ClusterCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes a test cluster's CA, node and client certificates with the {@code openssl} command line. */
public final class OpensslCertificates {

    private OpensslCertificates() {
    }

    /** Writes a fresh CA, node certificate and client certificate into {@code dir}. */
    public static ClusterCertificates create(Path dir, String caName) {
        try {
            Files.createDirectories(dir);
            Path caCrt = dir.resolve("ca.crt");
            Path caKey = dir.resolve("ca.key");
            run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                    "-out", caCrt.toString(), "-days", "3", "-sha256", "-subj", "/CN=" + caName,
                    "-addext", "basicConstraints=critical,CA:true",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            Path nodeCrt = dir.resolve("node.crt");
            Path nodeKey = dir.resolve("node.key");
            leaf(dir, caCrt, caKey, "node", "/CN=localhost",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
            Path clientCrt = dir.resolve("client.crt");
            Path clientKey = dir.resolve("client.key");
            leaf(dir, caCrt, caKey, "client", "/CN=fleet-server", "extendedKeyUsage=clientAuth\n");
            for (Path key : List.of(caKey, nodeKey, clientKey)) {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            }
            return new ClusterCertificates(caCrt, caKey, nodeCrt, nodeKey, clientCrt, clientKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write test certificates under " + dir, e);
        }
    }

    private static void leaf(Path dir, Path caCrt, Path caKey, String name, String subject, String extensions)
            throws IOException {
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions, StandardCharsets.US_ASCII);
        Path csr = dir.resolve(name + ".csr");
        run(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", csr.toString(), "-subj", subject);
        run(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCrt.toString(), "-CAkey", caKey.toString(),
                "-set_serial", "0x" + Long.toHexString(System.nanoTime()), "-days", "3", "-sha256",
                "-extfile", ext.toString(), "-out", dir.resolve(name + ".crt").toString());
        Files.delete(csr);
        Files.delete(ext);
    }

    private static void run(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running openssl", e);
        }
        Files.deleteIfExists(log);
    }
}
