/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;

/**
 * A breakpoint on VM exits: on a category (same meaning on every vendor), on one native
 * reason, or on any exit; optionally with a condition and restricted to one vCPU. A hit stops
 * the VM at the exit, before the hypervisor handles it.
 */
public final class ExitBreakpoint {
    private final int id;
    private final ExitCategory category;
    private final ExitReason reason;
    private final ExitCondition condition;
    private final int vcpu;
    private final boolean temporary;
    private volatile boolean enabled = true;
    private volatile long hitCount;

    ExitBreakpoint(int id, ExitCategory category, ExitReason reason, ExitCondition condition, int vcpu,
            boolean temporary) {
        this.id = id;
        this.category = category;
        this.reason = reason;
        this.condition = condition;
        this.vcpu = vcpu;
        this.temporary = temporary;
    }

    public int id() {
        return id;
    }

    /** The category matched, or null (a native reason, or any exit). */
    public ExitCategory category() {
        return category;
    }

    /** The native reason matched, or null. */
    public ExitReason reason() {
        return reason;
    }

    /** Condition, or null. */
    public ExitCondition condition() {
        return condition;
    }

    /** vCPU the breakpoint is restricted to, or -1 for all. */
    public int vcpu() {
        return vcpu;
    }

    /** Temporary breakpoints (step to next exit) are deleted by their first hit. */
    public boolean temporary() {
        return temporary;
    }

    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public long hitCount() {
        return hitCount;
    }

    void hit() {
        hitCount++;
    }

    boolean matches(int vcpuIndex, ExitInfo exit) {
        if (!enabled || (vcpu >= 0 && vcpu != vcpuIndex)) {
            return false;
        }
        if (reason != null ? exit.reason != reason : category != null && exit.reason.category() != category) {
            return false;
        }
        return condition == null || condition.matches(exit);
    }

    /** What is matched, e.g. {@code CPUID leaf=0x7} or {@code EXIT_REASON_EPT_VIOLATION}. */
    public String describe() {
        String what = reason != null ? reason.name() : category != null ? category.name() : "any exit";
        StringBuilder sb = new StringBuilder(what);
        if (condition != null) {
            sb.append(' ').append(condition);
        }
        if (vcpu >= 0) {
            sb.append(" on vCPU ").append(vcpu);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "exit breakpoint " + id + ": " + describe() + (enabled ? "" : " (disabled)") + ", hits " + hitCount
                + (temporary ? ", temporary" : "");
    }
}
