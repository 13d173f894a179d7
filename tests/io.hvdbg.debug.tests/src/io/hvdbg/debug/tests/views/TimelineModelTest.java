/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.hvdbg.debug.ui.views.TimelineModel;

/**
 * The Exit Timeline's level-of-detail indexes give exactly the categories a brute-force scan
 * finds, for any range of exits and for the pixel columns of any zoom, after incremental
 * appends (which also widen the time buckets) and under a reason filter.
 */
class TimelineModelTest {
    private static final int REASONS = 12;

    private static TimelineModel model() {
        String[] names = new String[REASONS];
        byte[] cats = new byte[REASONS];
        for (int r = 0; r < REASONS; r++) {
            names[r] = "R" + r;
            cats[r] = (byte) (r % 7);
        }
        return new TimelineModel(names, cats);
    }

    private static int brute(TimelineModel m, TimelineModel.Lane l, int a, int b) {
        int mask = 0;
        for (int i = a; i < b; i++) {
            if (m.shown(l.reason(i))) {
                mask |= 1 << (l.reason(i) % 7);
            }
        }
        return mask;
    }

    @Test
    void masksMatchABruteForceScan() {
        TimelineModel m = model();
        SplittableRandom rnd = new SplittableRandom(7);
        long[] time = new long[3];
        long seq = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 150_000; i++) {
                int vcpu = rnd.nextInt(3);
                // rare reasons make sparse categories, so a wrong block shows
                int reason = rnd.nextInt(100) < 97 ? rnd.nextInt(3) : 3 + rnd.nextInt(REASONS - 3);
                time[vcpu] += 1 + rnd.nextInt(500);
                m.add(seq++, vcpu, reason, time[vcpu]);
            }
            m.index();
            check(m, rnd);
            checkColumns(m, rnd);
        }
        assertEquals(450_000, m.count());
        assertEquals(3, m.lanes().length);
        boolean[] shown = new boolean[REASONS];
        shown[5] = true;
        shown[9] = true;
        m.setFilter(shown);
        check(m, rnd);
        checkColumns(m, rnd);
        m.setFilter(null);
        check(m, rnd);
        checkColumns(m, rnd);
    }

    /** Categories of the shown exits with time in [t0, t1), by a scan of the whole lane. */
    private static int bruteTime(TimelineModel m, TimelineModel.Lane l, long t0, long t1) {
        int mask = 0;
        for (int i = firstAtOrAfter(l, t0); i < l.size() && l.time(i) < t1; i++) {
            if (m.shown(l.reason(i))) {
                mask |= 1 << (l.reason(i) % 7);
            }
        }
        return mask;
    }

    /** A plain binary search, independent of the model's own indexes. */
    private static int firstAtOrAfter(TimelineModel.Lane l, long t) {
        int lo = 0;
        int hi = l.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (l.time(mid) < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Pixel columns at zooms from a few exits to the whole lane: exact while a column is
     * narrower than two finest time buckets, else the columns of the bucket-aligned ranges
     * (the level whose bucket is at most half a column).
     */
    private static void checkColumns(TimelineModel m, SplittableRandom rnd) {
        long min = m.minTime();
        long max = m.maxTime() + 1;
        long w0 = m.timeBucketNanos();
        assertTrue(w0 >= 1 && (max - m.timeOrigin()) / w0 < TimelineModel.TIME_BUCKETS, "finest buckets cover the lanes");
        int width = 97;
        int[] got = new int[width];
        for (long span : new long[] {max - min, (max - min) / 7, 300 * w0, 3 * w0, 150, 40}) {
            for (int k = 0; k < 3; k++) {
                long start = min - span / 10 + (long) (rnd.nextDouble() * (max - min));
                if (k == 0) {
                    start = min;
                }
                long end = start + span;
                double nsPerPixel = (double) span / width;
                long w = 0; // bucket width of the level used, 0: exact
                if (nsPerPixel >= 2.0 * w0) {
                    w = w0;
                    while (w < (w0 << 16) && 2.0 * (w * 2) <= nsPerPixel) {
                        w *= 2;
                    }
                }
                for (TimelineModel.Lane l : m.lanes()) {
                    m.columnMasks(l, start, end, width, got);
                    long t0 = start;
                    for (int x = 0; x < width; x++) {
                        long t1 = start + (long) Math.ceil((double) span * (x + 1) / width);
                        int expected = w == 0 ? bruteTime(m, l, t0, t1) : bruteTime(m, l, alignUp(m, t0, w), alignUp(m, t1, w));
                        assertEquals(expected, got[x], "lane " + l.vcpu() + " span " + span + " column " + x + " bucket " + w);
                        t0 = t1;
                    }
                }
            }
        }
    }

    private static long alignUp(TimelineModel m, long t, long w) {
        long d = t - m.timeOrigin();
        return d <= 0 ? m.timeOrigin() : m.timeOrigin() + Math.ceilDiv(d, w) * w;
    }

    private static void check(TimelineModel m, SplittableRandom rnd) {
        for (TimelineModel.Lane l : m.lanes()) {
            assertEquals(brute(m, l, 0, l.size()), m.mask(l, 0, l.size()));
            for (int k = 0; k < 400; k++) {
                int a = rnd.nextInt(l.size() + 1);
                int len = k % 4 == 0 ? rnd.nextInt(300_000) : k % 4 == 1 ? rnd.nextInt(5000) : rnd.nextInt(100);
                int b = Math.min(l.size(), a + len);
                assertEquals(brute(m, l, a, b), m.mask(l, a, b), "lane " + l.vcpu() + " [" + a + "," + b + ")");
            }
        }
    }
}
