/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

import java.util.Arrays;

/**
 * Breakpoints on guest virtual addresses, kept in the core rather than patched into guest
 * memory (so they survive guest self-modification and are invisible to the guest). Software
 * (Z0) and hardware (Z1) breakpoints behave the same here. Copy-on-write: the VM thread reads
 * a plain array with no locking.
 */
public final class BreakpointRegistry {
    private volatile long[] addresses = new long[0];

    /** Adds a breakpoint; returns false if one was already there. */
    public synchronized boolean add(long address) {
        if (contains(address)) {
            return false;
        }
        long[] grown = Arrays.copyOf(addresses, addresses.length + 1);
        grown[grown.length - 1] = address;
        addresses = grown;
        return true;
    }

    /** Removes a breakpoint; returns false if there was none. */
    public synchronized boolean remove(long address) {
        long[] a = addresses;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == address) {
                long[] shrunk = new long[a.length - 1];
                System.arraycopy(a, 0, shrunk, 0, i);
                System.arraycopy(a, i + 1, shrunk, i, a.length - i - 1);
                addresses = shrunk;
                return true;
            }
        }
        return false;
    }

    public synchronized void clear() {
        addresses = new long[0];
    }

    /** True when at least one breakpoint exists: the interpreter's cheap pre-check. */
    public boolean isActive() {
        return addresses.length != 0;
    }

    public boolean contains(long address) {
        for (long a : addresses) {
            if (a == address) {
                return true;
            }
        }
        return false;
    }

    public long[] addresses() {
        return addresses.clone();
    }
}
