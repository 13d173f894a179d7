/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

import java.util.Arrays;
import java.util.List;

/**
 * Watchpoints on guest virtual address ranges. CPU cores call {@link #check} on their slow
 * memory path; they keep watched pages off their fast path ({@link #pageWatched}).
 */
public final class WatchpointRegistry {
    private volatile Watchpoint[] watchpoints = new Watchpoint[0];
    /** Bumped on every change so cores can drop cached "page not watched" decisions. */
    private volatile int generation;

    public synchronized boolean add(Watchpoint w) {
        if (w.length() <= 0) {
            throw new IllegalArgumentException("watchpoint length must be positive");
        }
        for (Watchpoint x : watchpoints) {
            if (x.equals(w)) {
                return false;
            }
        }
        Watchpoint[] grown = Arrays.copyOf(watchpoints, watchpoints.length + 1);
        grown[grown.length - 1] = w;
        watchpoints = grown;
        generation++;
        return true;
    }

    public synchronized boolean remove(Watchpoint w) {
        Watchpoint[] a = watchpoints;
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(w)) {
                Watchpoint[] shrunk = new Watchpoint[a.length - 1];
                System.arraycopy(a, 0, shrunk, 0, i);
                System.arraycopy(a, i + 1, shrunk, i, a.length - i - 1);
                watchpoints = shrunk;
                generation++;
                return true;
            }
        }
        return false;
    }

    public synchronized void clear() {
        watchpoints = new Watchpoint[0];
        generation++;
    }

    public boolean isActive() {
        return watchpoints.length != 0;
    }

    public int generation() {
        return generation;
    }

    /** The first watchpoint a guest access of {@code len} bytes at {@code va} triggers, or null. */
    public Watchpoint check(long va, int len, boolean write) {
        for (Watchpoint w : watchpoints) {
            if (w.kind().triggersOn(write) && w.overlaps(va, len)) {
                return w;
            }
        }
        return null;
    }

    /** True if any watchpoint touches the 4 KiB page holding {@code va}. */
    public boolean pageWatched(long va) {
        long page = va & ~0xFFFL;
        for (Watchpoint w : watchpoints) {
            if (w.overlaps(page, 0x1000)) {
                return true;
            }
        }
        return false;
    }

    public List<Watchpoint> all() {
        return List.of(watchpoints);
    }
}
