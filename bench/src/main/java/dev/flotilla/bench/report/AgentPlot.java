package dev.flotilla.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * Renders the agent-count plot as a PNG with plain java.awt (headless): latency series (names ending in
 * {@code (ms)}) on the left, the other series (memory, {@code (KiB)}) on the right, agents on the x axes.
 */
public final class AgentPlot {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private final List<Point> points;

    public AgentPlot(List<Point> points) {
        this.points = List.copyOf(points);
    }

    public void write(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            panel(g, 0, "Latency vs connected agents", p -> p.series().endsWith("(ms)"));
            panel(g, WIDTH / 2, "Memory vs connected agents", p -> !p.series().endsWith("(ms)"));
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private void panel(Graphics2D g, int x0, String title, Predicate<Point> which) {
        int left = x0 + 80;
        int right = x0 + WIDTH / 2 - 30;
        int top = 50;
        int bottom = HEIGHT - 110;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        Map<String, List<Point>> series = points.stream().filter(which)
                .collect(Collectors.groupingBy(Point::series, TreeMap::new, Collectors.toList()));
        g.drawRect(left, top, right - left, bottom - top);
        if (series.isEmpty()) {
            g.drawString("not measured in this report", left + 20, (top + bottom) / 2);
            return;
        }
        List<Point> all = new ArrayList<>();
        series.values().forEach(all::addAll);
        double maxX = all.stream().mapToDouble(Point::agents).max().orElse(1) * 1.05;
        double maxY = all.stream().mapToDouble(Point::value).max().orElse(1) * 1.15;
        maxY = maxY <= 0 ? 1 : maxY;
        for (int i = 0; i <= 5; i++) {
            int y = bottom - (bottom - top) * i / 5;
            int x = left + (right - left) * i / 5;
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(left + 1, y, right - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(tick(maxY * i / 5), left - 60, y + 4);
            g.drawString(tick(maxX * i / 5), x - 15, bottom + 18);
        }
        g.drawString("connected agents", (left + right) / 2 - 50, bottom + 38);
        int legendY = bottom + 58;
        int c = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            Color color = COLORS[c++ % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            List<Point> pts = new ArrayList<>(e.getValue());
            pts.sort(Comparator.comparingLong(Point::agents));
            int px = -1;
            int py = -1;
            for (Point p : pts) {
                int x = left + (int) ((right - left) * p.agents() / maxX);
                int y = bottom - (int) ((bottom - top) * p.value() / maxY);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int lx = left + ((c - 1) % 2) * 230;
            int ly = legendY + ((c - 1) / 2) * 18;
            g.fillRect(lx, ly - 9, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), lx + 20, ly);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static String tick(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
