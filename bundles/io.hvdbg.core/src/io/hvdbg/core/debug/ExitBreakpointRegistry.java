/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

import java.util.Arrays;
import java.util.List;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;

/** The VM's exit breakpoints. Copy-on-write; the VM thread matches with no locking. */
public final class ExitBreakpointRegistry {
    private volatile ExitBreakpoint[] breakpoints = new ExitBreakpoint[0];
    private int nextId = 1;

    /** Adds a breakpoint on a category, a native reason, or (both null) any exit. */
    public synchronized ExitBreakpoint add(ExitCategory category, ExitReason reason, ExitCondition condition,
            int vcpu, boolean temporary) {
        ExitBreakpoint b = new ExitBreakpoint(nextId++, reason != null ? null : category, reason, condition, vcpu,
                temporary);
        ExitBreakpoint[] grown = Arrays.copyOf(breakpoints, breakpoints.length + 1);
        grown[grown.length - 1] = b;
        breakpoints = grown;
        return b;
    }

    /**
     * Adds a breakpoint from user text: {@code what} is a category (CPUID, IO, HLT, WFI, SBI,
     * MMIO …), a native reason name (EXIT_REASON_EPT_VIOLATION, VMEXIT_NPF, EPT_VIOLATION …) or
     * {@code any}; {@code condition} may be null or blank.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public ExitBreakpoint add(String what, String condition, int vcpu, boolean temporary) {
        ExitCondition cond = condition == null || condition.isBlank() ? null : ExitCondition.parse(condition);
        String w = what.trim();
        if (w.equalsIgnoreCase("any") || w.equals("*")) {
            return add(null, null, cond, vcpu, temporary);
        }
        ExitCategory c = ExitCategory.parse(w);
        if (c != null) {
            return add(c, null, cond, vcpu, temporary);
        }
        ExitReason r = ExitReasons.findByName(w);
        if (r != null) {
            return add(null, r, cond, vcpu, temporary);
        }
        throw new IllegalArgumentException("unknown exit reason '" + what + "': give a category ("
                + String.join(", ", Arrays.stream(ExitCategory.values()).map(Enum::name).toList())
                + "), a native reason name, or 'any'");
    }

    public synchronized boolean remove(int id) {
        ExitBreakpoint[] a = breakpoints;
        for (int i = 0; i < a.length; i++) {
            if (a[i].id() == id) {
                ExitBreakpoint[] shrunk = new ExitBreakpoint[a.length - 1];
                System.arraycopy(a, 0, shrunk, 0, i);
                System.arraycopy(a, i + 1, shrunk, i, a.length - i - 1);
                breakpoints = shrunk;
                return true;
            }
        }
        return false;
    }

    public synchronized void clear() {
        breakpoints = new ExitBreakpoint[0];
    }

    public ExitBreakpoint get(int id) {
        for (ExitBreakpoint b : breakpoints) {
            if (b.id() == id) {
                return b;
            }
        }
        return null;
    }

    public List<ExitBreakpoint> all() {
        return List.of(breakpoints);
    }

    public boolean isActive() {
        return breakpoints.length != 0;
    }

    /**
     * The first enabled breakpoint the exit in progress hits, counting the hit and deleting a
     * temporary one; null if none. Called by the VM thread for every exit while any exist.
     */
    public ExitBreakpoint match(int vcpu, ExitInfo exit) {
        for (ExitBreakpoint b : breakpoints) {
            if (b.matches(vcpu, exit)) {
                b.hit();
                if (b.temporary()) {
                    remove(b.id());
                }
                return b;
            }
        }
        return null;
    }
}
