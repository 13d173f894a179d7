/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.views;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.hvdbg.debug.ui.views.TimelineModel;

/**
 * The Exit Timeline's level-of-detail index gives exactly the categories a brute-force scan
 * finds, for any range, after incremental appends and under a reason filter.
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
        }
        assertEquals(450_000, m.count());
        assertEquals(3, m.lanes().length);
        boolean[] shown = new boolean[REASONS];
        shown[5] = true;
        shown[9] = true;
        m.setFilter(shown);
        check(m, rnd);
        m.setFilter(null);
        check(m, rnd);
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
