package dev.flotilla.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report files; no benchmark runs here (figures are never asserted in tests). */
class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesJsonMarkdownAndPlotAndKeepsOtherScenarios() throws Exception {
        ReportWriter writer = new ReportWriter(dir);
        writer.write(run("certutil", new Figure("certutil", "certs/s", 40, "certs/s", "openssl loop", 20.0,
                "faster than openssl", true, "n")));
        ScenarioRun.Recorder agents = new ScenarioRun.Recorder("agents");
        agents.add(Figure.plain("agents", "RSS per agent", 12.5, "KiB", "at 1,000 agents"));
        agents.point("fan-out p99 (ms)", 1000, 120);
        agents.point("fan-out p99 (ms)", 5000, 480);
        agents.point("RSS per agent (KiB)", 1000, 30);
        Map<String, ScenarioRun> all = writer.write(agents.finish());

        assertThat(all).containsOnlyKeys("agents", "certutil");
        assertThat(writer.read()).containsOnlyKeys("agents", "certutil");
        assertThat(writer.read().get("agents").points()).hasSize(3);
        String md = Files.readString(writer.markdown());
        assertThat(md).contains("## certutil", "## agents", "| certs/s | 40 certs/s | openssl loop 20 | 2.00x |", "| yes |");
        BufferedImage png = ImageIO.read(writer.plot().toFile());
        assertThat(png.getWidth()).isEqualTo(1200);
        assertThat(png.getHeight()).isEqualTo(520);
    }

    @Test
    void aMissedTargetIsMarkedAndARerunReplacesTheScenario() throws Exception {
        ReportWriter writer = new ReportWriter(dir);
        writer.write(run("handshake", new Figure("handshake", "rate", 100, "1/s", "nginx", 200.0, ">= 1.5x nginx", false, "")));
        writer.write(run("handshake", new Figure("handshake", "rate again", 300, "1/s", "nginx", 200.0, ">= 1.5x nginx", true, "")));

        List<Figure> figures = writer.read().get("handshake").figures();
        assertThat(figures).extracting(Figure::name).containsExactly("rate again");
        assertThat(figures.get(0).ratio()).isEqualTo(1.5);
        assertThat(ReportWriter.line(new Figure("h", "rate", 100, "1/s", "nginx", 200.0, ">= 1.5x nginx", false, "")))
                .contains("0.50x", "MISSED");
    }

    @Test
    void aCorruptReportIsReplacedNotFatal() throws Exception {
        Files.writeString(dir.resolve("report.json"), "{ not json");
        ReportWriter writer = new ReportWriter(dir);
        assertThat(writer.read()).isEmpty();
        writer.write(run("certutil", Figure.plain("certutil", "x", 1, "s", "")));
        assertThat(writer.read()).containsOnlyKeys("certutil");
    }

    private static ScenarioRun run(String scenario, Figure f) {
        ScenarioRun.Recorder r = new ScenarioRun.Recorder(scenario);
        r.add(f);
        return r.finish();
    }
}
