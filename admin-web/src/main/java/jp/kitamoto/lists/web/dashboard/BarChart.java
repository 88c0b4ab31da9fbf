package jp.kitamoto.lists.web.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the dashboard's bar chart, worked out here so that the template only writes {@code <rect>}s: an
 * inline SVG drawn on the server, no script (the CSP allows none) and no style attribute (SVG presentation
 * attributes are not styles). The table beside it carries the same figures for screen readers and for copying.
 */
public final class BarChart {
    public static final int BAR_WIDTH = 16;
    public static final int GAP = 4;
    public static final int LEFT = 40;
    public static final int TOP = 10;
    public static final int PLOT_HEIGHT = 140;
    /** Room under the bars for the hour labels. */
    public static final int BOTTOM = 24;

    /** One bar; {@code label} is the hour (0-23, Japan time) written under every sixth bar, else empty. */
    public record Bar(int x, int y, int width, int height, long copies, String label) {
    }

    private final List<Bar> bars;
    private final long max;

    private BarChart(List<Bar> bars, long max) {
        this.bars = bars;
        this.max = max;
    }

    public static BarChart of(DeliveryActivity.Figures figures) {
        long max = figures.max();
        List<Bar> bars = new ArrayList<>();
        int i = 0;
        for (DeliveryActivity.Hour h : figures.hours()) {
            // A bar for 1 copy among thousands still shows (1 pixel): "some" differs from "none" at a glance.
            int height = max == 0 ? 0 : (int) Math.max(h.copies() > 0 ? 1 : 0, Math.round((double) h.copies() * PLOT_HEIGHT / max));
            int x = LEFT + i * (BAR_WIDTH + GAP);
            int hour = h.start().getHour();
            bars.add(new Bar(x, TOP + PLOT_HEIGHT - height, BAR_WIDTH, height, h.copies(),
                    hour % 6 == 0 ? String.format("%02d", hour) : ""));
            i++;
        }
        return new BarChart(List.copyOf(bars), max);
    }

    public List<Bar> bars() {
        return bars;
    }

    public long max() {
        return max;
    }

    public int width() {
        return LEFT + bars.size() * (BAR_WIDTH + GAP);
    }

    public int height() {
        return TOP + PLOT_HEIGHT + BOTTOM;
    }

    /** The y of the bars' base line. */
    public int baseline() {
        return TOP + PLOT_HEIGHT;
    }

    public int top() {
        return TOP;
    }

    public int left() {
        return LEFT;
    }
}
