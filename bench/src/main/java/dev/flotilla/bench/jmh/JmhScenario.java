package dev.flotilla.bench.jmh;

import dev.flotilla.bench.internal.Options;
import dev.flotilla.bench.report.Figure;
import dev.flotilla.bench.report.ScenarioRun;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ServerHotPaths} and {@link TlsHotPaths} with JMH (1 fork, short iterations) and reports each hot path in µs/op next to
 * its reference (a bare SHA-256, a bare Jackson read, a bare Jackson write, the uncached client-certificate check)
 * measured in the same run.
 */
public final class JmhScenario {

    private static final Map<String, String> REFERENCE = Map.of(
            "apiKeyVerify", "referenceSha256",
            "checkinParse", "referenceJsonRead",
            "policyChangeSerialize", "referenceJsonWrite",
            "clientCertificateCached", "referenceClientCertificateFull");

    private final Options options;
    private final ScenarioRun.Recorder run;

    public JmhScenario(Options options, ScenarioRun.Recorder run) {
        this.options = options;
        this.run = run;
    }

    public void execute() throws RunnerException {
        int iterations = options.integer("iterations", 3);
        org.openjdk.jmh.runner.options.Options jmh = new OptionsBuilder()
                .include("(" + ServerHotPaths.class.getName() + "|" + TlsHotPaths.class.getName() + ")\\."
                        + options.string("include", ".*"))
                .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(options.integer("iteration-seconds", 2)))
                .build();
        Collection<RunResult> results = new Runner(jmh).run();
        Map<String, double[]> byName = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            byName.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        run.note(String.format(Locale.ROOT, "JMH 1 fork, 2 x 2 s warm-up, %d x %d s measured, average time; on a shared "
                + "2-core box the error (99.9%% CI, shown in each note) is wide", iterations, options.integer("iteration-seconds", 2)));
        byName.keySet().stream().filter(n -> !n.startsWith("reference")).sorted().forEach(name -> {
            double[] v = byName.get(name);
            String ref = REFERENCE.get(name);
            double[] r = ref == null ? null : byName.get(ref);
            String note = String.format(Locale.ROOT, "%.3f ± %.3f µs/op%s", v[0], v[1],
                    r == null ? "" : String.format(Locale.ROOT, "; %s %.3f ± %.3f µs/op", ref, r[0], r[1]));
            Figure f = Figure.plain("jmh", name, v[0], "µs/op", note);
            run.add(r == null ? f : f.withReference(ref, r[0]));
        });
    }
}
