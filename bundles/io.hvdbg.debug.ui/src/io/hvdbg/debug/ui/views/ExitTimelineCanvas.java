/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;

import io.hvdbg.core.exit.ExitCategory;

/**
 * The drawing of the Exit Timeline: a legend of the categories present, one lane per vCPU
 * with each pixel column coloured by the categories of the exits it covers (stacked when
 * several), a time axis, and the selected exit. The lanes are rendered into one pixel buffer
 * from the model's level-of-detail masks, so a redraw costs the same at any zoom.
 * Mouse: wheel zooms around the pointer, drag pans, hover tells the exit under the pointer,
 * click selects it.
 */
public final class ExitTimelineCanvas extends Canvas {
    public static final int LABEL_WIDTH = 64;
    public static final int LEGEND_HEIGHT = 22;
    public static final int LANE_HEIGHT = 24;
    public static final int LANE_GAP = 6;
    public static final int AXIS_HEIGHT = 22;

    /** RGB of each {@link ExitCategory}, by ordinal. */
    static final int[] CATEGORY_RGB = {0xe6194b, 0x9a9a9a, 0x3cb44b, 0x4363d8, 0xf58231, 0x911eb4, 0x46f0f0,
            0xf032e6, 0xbcbc00, 0x800000, 0x008080, 0xaaffc3, 0x9a6324, 0x000075, 0x808000, 0xffd8b1, 0xfabebe,
            0xe6beff, 0x469990, 0x000000, 0x606060};

    /** The colour of a category in the lanes and the legend, as 0xRRGGBB. */
    public static int categoryRgb(ExitCategory c) {
        return CATEGORY_RGB[Math.min(c.ordinal(), CATEGORY_RGB.length - 1)];
    }

    private TimelineModel model;
    private long viewStart;
    private long viewEnd = 1;
    private int selectedLane = -1;
    private int selectedIndex = -1;
    private Consumer<int[]> selectionListener = s -> {
    };
    private int dragX = -1;
    private long dragStart;
    private boolean dragged;
    private long lastRenderNanos;
    private long lastLanesNanos;
    private long paintCount;
    private final Color[] categoryColors = new Color[CATEGORY_RGB.length];

    public ExitTimelineCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        for (int i = 0; i < CATEGORY_RGB.length; i++) {
            categoryColors[i] = new Color(getDisplay(), rgb(CATEGORY_RGB[i]));
        }
        addListener(SWT.Paint, e -> {
            paint(e.gc);
            paintCount++;
        });
        addListener(SWT.MouseWheel, this::wheel);
        addListener(SWT.MouseDown, this::mouseDown);
        addListener(SWT.MouseMove, this::mouseMove);
        addListener(SWT.MouseUp, this::mouseUp);
        addListener(SWT.Dispose, e -> {
            for (Color c : categoryColors) {
                c.dispose();
            }
        });
    }

    private static RGB rgb(int v) {
        return new RGB((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    }

    /** Shows a model, zoomed to fit. */
    public void setModel(TimelineModel model) {
        this.model = model;
        selectedLane = -1;
        selectedIndex = -1;
        zoomToFit();
    }

    public TimelineModel model() {
        return model;
    }

    public void zoomToFit() {
        if (model != null) {
            viewStart = model.minTime();
            viewEnd = Math.max(viewStart + 1, model.maxTime() + 1);
        }
        redraw();
    }

    /** Shows [start, end) of guest time. */
    public void setViewRange(long start, long end) {
        viewStart = start;
        viewEnd = Math.max(start + 1, end);
        redraw();
    }

    public long viewStart() {
        return viewStart;
    }

    public long viewEnd() {
        return viewEnd;
    }

    /** Called with {lane, index} when the user selects an exit ({-1,-1}: none). */
    public void setSelectionListener(Consumer<int[]> l) {
        selectionListener = l;
    }

    public void select(int lane, int index) {
        selectedLane = lane;
        selectedIndex = index;
        redraw();
        selectionListener.accept(new int[] {lane, index});
    }

    public int selectedLane() {
        return selectedLane;
    }

    public int selectedIndex() {
        return selectedIndex;
    }

    /** Number of paint events handled (benchmarks wait for the next one). */
    public long paintCount() {
        return paintCount;
    }

    /** Nanoseconds the last paint took to render the lanes, axis and legend. */
    public long lastRenderNanos() {
        return lastRenderNanos;
    }

    /** Nanoseconds of the last paint spent on the lanes' pixels (level-of-detail masks and RGB bytes). */
    public long lastLanesNanos() {
        return lastLanesNanos;
    }

    int plotWidth() {
        return Math.max(1, getClientArea().width - LABEL_WIDTH - 4);
    }

    public int laneTop(int lane) {
        return LEGEND_HEIGHT + lane * (LANE_HEIGHT + LANE_GAP) + 4;
    }

    /** Guest time at a canvas x. */
    long timeAt(int x) {
        double f = (double) (x - LABEL_WIDTH) / plotWidth();
        return viewStart + (long) Math.floor(f * (viewEnd - viewStart));
    }

    /** The lane at a canvas y, or -1. */
    int laneAt(int y) {
        if (model == null) {
            return -1;
        }
        for (int i = 0; i < model.lanes().length; i++) {
            int top = laneTop(i);
            if (y >= top && y < top + LANE_HEIGHT) {
                return i;
            }
        }
        return -1;
    }

    /** The shown exit nearest to a canvas point (within 3 pixels), as {lane, index}, or null. */
    public int[] exitAt(int x, int y) {
        int lane = laneAt(y);
        if (lane < 0 || x < LABEL_WIDTH) {
            return null;
        }
        double nsPerPixel = (double) (viewEnd - viewStart) / plotWidth();
        long t = timeAt(x);
        int i = model.nearest(model.lanes()[lane], t, (long) Math.ceil(3 * nsPerPixel));
        return i < 0 ? null : new int[] {lane, i};
    }

    /** x of a guest time. */
    int xOf(long t) {
        return LABEL_WIDTH + (int) Math.round((double) (t - viewStart) * plotWidth() / (viewEnd - viewStart));
    }

    /**
     * Paints the whole timeline with a GC of the canvas size (what a paint event does; also
     * used to measure a redraw independently of the window system's event timing).
     */
    public void paint(GC gc) {
        long t0 = System.nanoTime();
        Rectangle area = getClientArea();
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        gc.fillRectangle(area);
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
        if (model == null || model.count() == 0) {
            gc.drawText(model == null ? "No exits" : "No exits recorded yet", LABEL_WIDTH, LEGEND_HEIGHT + 4, true);
            lastRenderNanos = System.nanoTime() - t0;
            return;
        }
        TimelineModel.Lane[] lanes = model.lanes();
        int width = plotWidth();
        int height = lanes.length * (LANE_HEIGHT + LANE_GAP);
        long lanes0 = System.nanoTime();
        ImageData lanesData = renderLanes(lanes, width, height);
        lastLanesNanos = System.nanoTime() - lanes0;
        Image lanesImage = new Image(getDisplay(), lanesData);
        gc.drawImage(lanesImage, LABEL_WIDTH, LEGEND_HEIGHT + 4);
        lanesImage.dispose();
        for (int i = 0; i < lanes.length; i++) {
            gc.drawText("vCPU " + lanes[i].vcpu(), 4, laneTop(i) + (LANE_HEIGHT - gc.getFontMetrics().getHeight()) / 2, true);
        }
        paintLegend(gc);
        paintAxis(gc, LEGEND_HEIGHT + 4 + height, width);
        if (selectedLane >= 0 && selectedLane < lanes.length && selectedIndex >= 0
                && selectedIndex < lanes[selectedLane].size()) {
            int x = xOf(lanes[selectedLane].time(selectedIndex));
            int top = laneTop(selectedLane);
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
            gc.setLineWidth(2);
            gc.drawRectangle(x - 3, top - 2, 6, LANE_HEIGHT + 4);
            gc.setLineWidth(1);
        }
        lastRenderNanos = System.nanoTime() - t0;
    }

    /**
     * Lanes into a pixel buffer: per column, the categories of its exits stacked. Writes the
     * 24-bit RGB bytes directly (ImageData.setPixels converts pixel by pixel at twice the cost).
     */
    public ImageData renderLanes(TimelineModel.Lane[] lanes, int width, int height) {
        ImageData data = new ImageData(width, height, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        byte[] bytes = data.data;
        int bpl = data.bytesPerLine;
        java.util.Arrays.fill(bytes, (byte) 0xff);
        int[] cats = new int[32];
        int[] columns = new int[width];
        for (int li = 0; li < lanes.length; li++) {
            TimelineModel.Lane lane = lanes[li];
            int top = li * (LANE_HEIGHT + LANE_GAP);
            for (int y = top; y < Math.min(height, top + LANE_HEIGHT); y++) {
                java.util.Arrays.fill(bytes, y * bpl, y * bpl + 3 * width, (byte) 0xf2); // lane background f2f2f2
            }
            model.columnMasks(lane, viewStart, viewEnd, width, columns);
            for (int x = 0; x < width; x++) {
                int m = columns[x];
                if (m != 0) {
                    int n = 0;
                    for (int bits = m; bits != 0; bits &= bits - 1) {
                        cats[n++] = Integer.numberOfTrailingZeros(bits);
                    }
                    for (int k = 0; k < n; k++) {
                        int y0 = top + k * LANE_HEIGHT / n;
                        int y1 = Math.min(height, top + (k + 1) * LANE_HEIGHT / n);
                        int c = CATEGORY_RGB[Math.min(cats[k], CATEGORY_RGB.length - 1)];
                        byte r = (byte) (c >> 16);
                        byte g = (byte) (c >> 8);
                        byte b = (byte) c;
                        for (int y = y0, o = y0 * bpl + 3 * x; y < y1; y++, o += bpl) {
                            bytes[o] = r;
                            bytes[o + 1] = g;
                            bytes[o + 2] = b;
                        }
                    }
                }
            }
        }
        return data;
    }

    private void paintLegend(GC gc) {
        int present = model.presentCategories();
        int x = LABEL_WIDTH;
        for (int bits = present; bits != 0; bits &= bits - 1) {
            int c = Integer.numberOfTrailingZeros(bits);
            gc.setBackground(categoryColors[Math.min(c, categoryColors.length - 1)]);
            gc.fillRectangle(x, 6, 10, 10);
            String name = ExitCategory.values()[c].name();
            gc.drawText(name, x + 13, 3, true);
            x += 13 + gc.textExtent(name).x + 12;
        }
    }

    private void paintAxis(GC gc, int y, int width) {
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
        gc.drawLine(LABEL_WIDTH, y + 1, LABEL_WIDTH + width, y + 1);
        long span = viewEnd - viewStart;
        long step = niceStep(span / 8.0);
        long first = Math.floorDiv(viewStart + step - 1, step) * step;
        for (long t = first; t < viewEnd; t += step) {
            int x = xOf(t);
            gc.drawLine(x, y + 1, x, y + 5);
            gc.drawText(GuestTimeFormat.tick(t, step), x + 2, y + 4, true);
        }
        gc.drawText("guest time", 4, y + 4, true);
    }

    static long niceStep(double raw) {
        if (raw <= 1) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return Math.max(1, (long) (nice * p));
    }

    /** Guest time (ns) for people. */
    public static String formatTime(long ns) {
        return GuestTimeFormat.format(ns);
    }

    /** Zooms by a factor (< 1 in) around canvas x. */
    public void zoom(double factor, int x) {
        long anchor = timeAt(Math.max(LABEL_WIDTH, x));
        long span = viewEnd - viewStart;
        long newSpan = Math.max(plotWidth() / 4 + 1, (long) (span * factor));
        double f = (double) (anchor - viewStart) / span;
        viewStart = anchor - (long) (f * newSpan);
        viewEnd = viewStart + newSpan;
        redraw();
    }

    private void wheel(Event e) {
        zoom(e.count > 0 ? 0.8 : 1.25, e.x);
        e.doit = false;
    }

    private void mouseDown(Event e) {
        if (e.button == 1) {
            dragX = e.x;
            dragStart = viewStart;
            dragged = false;
        }
    }

    private void mouseMove(Event e) {
        if (dragX >= 0 && (e.stateMask & SWT.BUTTON1) != 0) {
            int dx = e.x - dragX;
            if (Math.abs(dx) > 2) {
                dragged = true;
            }
            if (dragged) {
                long span = viewEnd - viewStart;
                viewStart = dragStart - (long) ((double) dx * span / plotWidth());
                viewEnd = viewStart + span;
                redraw();
            }
            return;
        }
        setToolTipText(tooltipAt(e.x, e.y));
    }

    private void mouseUp(Event e) {
        if (e.button == 1 && dragX >= 0) {
            if (!dragged) {
                int[] hit = exitAt(e.x, e.y);
                if (hit != null) {
                    select(hit[0], hit[1]);
                }
            }
            dragX = -1;
        }
    }

    /** The tooltip text at a canvas point: the exit under it, or the lane's count there. */
    public String tooltipAt(int x, int y) {
        int[] hit = exitAt(x, y);
        if (hit == null) {
            return null;
        }
        TimelineModel.Lane lane = model.lanes()[hit[0]];
        int r = lane.reason(hit[1]);
        double nsPerPixel = (double) (viewEnd - viewStart) / plotWidth();
        long t = timeAt(x);
        int inPixel = model.countIn(lane, t, t + (long) Math.ceil(nsPerPixel));
        return "vCPU " + lane.vcpu() + ": " + model.reasonName(r) + " (" + model.category(r) + ")\nexit #"
                + lane.seq(hit[1]) + " at " + formatTime(lane.time(hit[1]))
                + (inPixel > 1 ? "\n" + inPixel + " exits in this pixel column" : "");
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        int lanes = model == null ? 1 : Math.max(1, model.lanes().length);
        return new Point(wHint == SWT.DEFAULT ? 600 : wHint,
                hHint == SWT.DEFAULT ? LEGEND_HEIGHT + 4 + lanes * (LANE_HEIGHT + LANE_GAP) + AXIS_HEIGHT + 4 : hHint);
    }
}
