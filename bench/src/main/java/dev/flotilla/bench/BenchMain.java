package dev.flotilla.bench;

import dev.flotilla.bench.agents.AgentsScenario;
import dev.flotilla.bench.certutil.CertutilScenario;
import dev.flotilla.bench.handshake.HandshakeScenario;
import dev.flotilla.bench.internal.Options;
import dev.flotilla.bench.internal.Trees;
import dev.flotilla.bench.jmh.JmhScenario;
import dev.flotilla.bench.report.ReportWriter;
import dev.flotilla.bench.report.ScenarioRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one benchmark scenario and merges its figures into the report directory.
 *
 * <pre>
 * BenchMain certutil  [--certs=1000]
 * BenchMain handshake [--seconds=8] [--connections=64] [--servers=nginx,flotilla] [--keys=P-256,RSA-2048] ...
 * BenchMain agents    [--agents=1000,5000,10000] ...
 * BenchMain jmh       [--include=REGEX] [--iterations=3]
 * common: --report=bench/reports/latest  --work=bench/reports/tmp  --keep=false
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 0) {
            System.err.println("usage: BenchMain certutil|handshake|agents|jmh [--key=value ...]");
            System.exit(2);
        }
        String scenario = args[0];
        Options options = new Options(List.of(Arrays.copyOfRange(args, 1, args.length)));
        Path report = Path.of(options.string("report", "bench/reports/latest"));
        Path work = Path.of(options.string("work", "bench/reports/tmp")).resolve(scenario).toAbsolutePath();
        Trees.delete(work);
        ScenarioRun.Recorder run = new ScenarioRun.Recorder(scenario);
        System.out.println("bench " + scenario + ": load average " + run.finish().machine().get("loadavg"));
        try {
            switch (scenario) {
                case "certutil" -> new CertutilScenario(options, work, run).execute();
                case "handshake" -> new HandshakeScenario(options, work, run).execute();
                case "agents" -> new AgentsScenario(options, work, run).execute();
                case "jmh" -> new JmhScenario(options, run).execute();
                default -> {
                    System.err.println("bench: unknown scenario '" + scenario + "' (certutil, handshake, agents, jmh)");
                    System.exit(2);
                }
            }
        } catch (RuntimeException e) {
            run.note("scenario stopped early: " + e.getMessage());
            write(report, run);
            throw e;
        } finally {
            if (!Boolean.parseBoolean(options.string("keep", "false"))) {
                Trees.delete(work);
            }
        }
        write(report, run);
        System.exit(0);
    }

    private static void write(Path report, ScenarioRun.Recorder run) {
        ReportWriter writer = new ReportWriter(report);
        writer.write(run.finish());
        System.out.println("bench " + run.scenario() + ": report in " + writer.json() + ", " + writer.markdown()
                + ", " + writer.plot());
    }
}
