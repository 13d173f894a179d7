/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.util.Locale;

/** Guest time (ns) as people read it: in s, ms, us or ns, and as axis ticks fine enough to tell apart. */
public final class GuestTimeFormat {
    private GuestTimeFormat() {
    }

    /** e.g. {@code 1.250ms}: three decimals of the largest unit the value reaches. */
    public static String format(long ns) {
        return format(ns, 3);
    }

    /**
     * A tick of an axis whose ticks are {@code step} ns apart: as many decimals as the step
     * needs, so neighbouring ticks never read the same ({@code 22.3942ms}, {@code 22.3944ms}).
     */
    public static String tick(long ns, long step) {
        long unit = unit(ns);
        int decimals = unit == 1 ? 0 : (int) Math.max(0, Math.ceil(Math.log10((double) unit / Math.max(1, step)) - 1e-9));
        return format(ns, Math.min(decimals, 9));
    }

    private static long unit(long ns) {
        long a = Math.abs(ns);
        return a >= 1_000_000_000L ? 1_000_000_000L : a >= 1_000_000L ? 1_000_000L : a >= 1_000L ? 1_000L : 1;
    }

    private static String format(long ns, int decimals) {
        long unit = unit(ns);
        String suffix = unit == 1_000_000_000L ? "s" : unit == 1_000_000L ? "ms" : unit == 1_000L ? "us" : "ns";
        if (unit == 1) {
            return ns + "ns";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f%s", ns / (double) unit, suffix);
    }
}
