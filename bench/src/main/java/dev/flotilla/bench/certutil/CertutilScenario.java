package dev.flotilla.bench.certutil;

import dev.flotilla.bench.internal.Options;
import dev.flotilla.bench.internal.Processes;
import dev.flotilla.bench.report.Figure;
import dev.flotilla.bench.report.ScenarioRun;
import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * certutil: N EC P-256 leaf certificates (with DNS and IP SANs) from one instances.yml, signed by one CA.
 * Reference in the same run: a shell loop of {@code openssl req -newkey ec} + {@code openssl x509 -req} for the
 * same N names. Flotilla is measured as the {@code flotilla certutil cert --in} command in a new JVM (JVM start
 * included) and, separately, as the pki API in this running JVM.
 */
public final class CertutilScenario {

    private final int count;
    private final Path work;
    private final ScenarioRun.Recorder run;

    public CertutilScenario(Options options, Path work, ScenarioRun.Recorder run) {
        this.count = options.integer("certs", 1000);
        this.work = work;
        this.run = run;
    }

    public void execute() throws IOException {
        Files.createDirectories(work);
        Credential ca = CertificateBuilder.forCa("CN=Bench CA").keySpec(KeySpec.ec("P-256")).build();
        Path caCrt = write(work.resolve("ca.crt"), Pem.certificate(ca.certificate()));
        Path caKey = write(work.resolve("ca.key"), Pem.privateKey(ca.key()));
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(new Instance(String.format(Locale.ROOT, "node-%04d", i),
                    String.format(Locale.ROOT, "node-%04d.bench.test", i),
                    String.format(Locale.ROOT, "10.1.%d.%d", i / 250, 1 + i % 250)));
        }
        Path yml = writeInstances(instances);

        run.note("everything runs on the CPU scripts/bench/run.sh pins the bench to (CPU 1): the openssl loop, the "
                + "certutil JVM and the pki API loop alike; the SANs are one DNS name and one IP per instance");
        double opensslSeconds = opensslLoop(instances, caCrt, caKey);
        double opensslRate = count / opensslSeconds;
        run.add(Figure.plain("certutil", count + " EC leaves: openssl req + x509 -req loop", opensslRate, "certs/s",
                String.format(Locale.ROOT, "%.2f s wall for %d certificates (2 openssl processes each)", opensslSeconds, count)));

        Double cliSeconds = flotillaCli(yml, caCrt, caKey);
        if (cliSeconds != null) {
            run.add(new Figure("certutil", count + " EC leaves: flotilla certutil cert --in (new JVM)", count / cliSeconds,
                    "certs/s", "openssl loop", opensslRate, "faster than the openssl loop", count / cliSeconds > opensslRate,
                    String.format(Locale.ROOT, "%.2f s wall, JVM start and zip writing included", cliSeconds)));
        }
        double apiSeconds = pkiApi(instances, ca);
        run.add(new Figure("certutil", count + " EC leaves: pki API in a running JVM", count / apiSeconds, "certs/s",
                "openssl loop", opensslRate, cliSeconds == null ? "faster than the openssl loop" : null,
                cliSeconds == null ? count / apiSeconds > opensslRate : null,
                String.format(Locale.ROOT, "%.2f s: key pair, certificate, PEM key + certificate files, cold JIT", apiSeconds)));
        verifyOne(work.resolve("api"), instances.get(count / 2), caCrt);
    }

    private double opensslLoop(List<Instance> instances, Path caCrt, Path caKey) throws IOException {
        Path dir = Files.createDirectories(work.resolve("openssl"));
        StringBuilder names = new StringBuilder();
        instances.forEach(i -> names.append(i.name).append(' ').append(i.dns).append(' ').append(i.ip).append('\n'));
        Files.writeString(dir.resolve("names.txt"), names);
        // What a person would write: one key + CSR, then the CA signs it with the SANs from an extension file.
        String script = """
                set -eu
                while read -r name dns ip; do
                  printf 'subjectAltName=DNS:%s,IP:%s\\nextendedKeyUsage=serverAuth,clientAuth\\n' "$dns" "$ip" > "$name.ext"
                  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" \\
                    -subj "/CN=$name" -out "$name.csr" 2>/dev/null
                  openssl x509 -req -in "$name.csr" -CA "@CA@" -CAkey "@CAKEY@" -CAcreateserial -days 1095 -sha256 \\
                    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
                done < names.txt
                """.replace("@CA@", caCrt.toAbsolutePath().toString()).replace("@CAKEY@", caKey.toAbsolutePath().toString());
        Files.writeString(dir.resolve("loop.sh"), script);
        Processes.Result r = Processes.run(List.of("bash", "loop.sh"), dir, Duration.ofMinutes(10));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("the openssl loop failed (exit " + r.exitCode() + "): " + r.output());
        }
        verifyOne(dir, instances.get(count / 2), caCrt);
        return r.elapsed().toNanos() / 1e9;
    }

    private Double flotillaCli(Path yml, Path caCrt, Path caKey) {
        Path out = work.resolve("flotilla-bundle.zip");
        List<String> cmd = Processes.java(null, List.of("-XX:+UseSerialGC"), "dev.flotilla.cli.Flotilla",
                List.of("certutil", "cert", "--silent", "--pem", "--in", yml.toString(), "--ca-cert", caCrt.toString(),
                        "--ca-key", caKey.toString(), "--keyalg", "ec", "--keysize", "256", "--out", out.toString()));
        Processes.Result r = Processes.run(cmd, work, Duration.ofMinutes(10));
        if (r.exitCode() != 0 || !Files.exists(out)) {
            run.note("flotilla certutil CLI not measured: it exited " + r.exitCode() + " ("
                    + r.output().strip().lines().findFirst().orElse("") + "); the pki API figure stands in for it");
            return null;
        }
        return r.elapsed().toNanos() / 1e9;
    }

    private double pkiApi(List<Instance> instances, Credential ca) throws IOException {
        Path dir = Files.createDirectories(work.resolve("api"));
        KeySpec ec = KeySpec.ec("P-256");
        long start = System.nanoTime();
        for (Instance i : instances) {
            Credential c = CertificateBuilder.forLeaf(i.name).dns(List.of(i.dns)).ips(List.of(i.ip)).keySpec(ec)
                    .days(1095).signedBy(ca).build();
            write(dir.resolve(i.name + ".crt"), Pem.certificate(c.certificate()));
            write(dir.resolve(i.name + ".key"), Pem.privateKey(c.key()));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Checks that one produced certificate really chains to the CA, so a broken generator cannot look fast. */
    private void verifyOne(Path dir, Instance i, Path caCrt) {
        Processes.Result r = Processes.run(List.of("openssl", "verify", "-CAfile", caCrt.toString(),
                dir.resolve(i.name + ".crt").toString()), work, Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("certificate " + i.name + " in " + dir + " does not verify: " + r.output());
        }
    }

    private Path writeInstances(List<Instance> instances) throws IOException {
        StringBuilder y = new StringBuilder("instances:\n");
        for (Instance i : instances) {
            y.append("  - name: ").append(i.name).append("\n    dns: [").append(i.dns).append("]\n    ip: [")
                    .append(i.ip).append("]\n");
        }
        return Files.writeString(work.resolve("instances.yml"), y);
    }

    private static Path write(Path file, String pem) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivateFiles.writeNew(file, pem.getBytes(StandardCharsets.US_ASCII));
        return file;
    }

    private record Instance(String name, String dns, String ip) {
    }
}
