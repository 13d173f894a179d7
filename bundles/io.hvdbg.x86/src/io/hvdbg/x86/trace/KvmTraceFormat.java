/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.trace;

/** Which tool printed a host KVM trace; recognised from the header and the event names. */
public enum KvmTraceFormat {
    /** {@code /sys/kernel/tracing/trace} (or {@code trace_pipe}): {@code # tracer:} header, {@code comm-pid [cpu] flags ts: kvm_exit:}. */
    FTRACE("ftrace"),
    /** {@code trace-cmd report}: {@code cpus=N} header, same event lines as ftrace. */
    TRACE_CMD("trace-cmd report"),
    /** {@code perf script}: {@code comm tid [cpu] ts: kvm:kvm_exit:}. */
    PERF_SCRIPT("perf script"),
    /** No header and no event seen yet. */
    UNKNOWN("unknown");

    private final String displayName;

    KvmTraceFormat(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
