/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import java.util.List;

import io.hvdbg.core.inspect.StateRow;

/**
 * A vCPU's system state ({@code qHvdbg.state}).
 *
 * @param state           RUNNABLE, HALTED or STOPPED
 * @param description     the core's one-line description, e.g. "running in long mode"
 * @param pc              program counter (meaningless when {@code protectedReason} is set)
 * @param protectedReason why the hypervisor may not read the vCPU's registers (TDX), or empty
 * @param lastExitSeq     trace sequence number of its last exit, or -1
 * @param rows            system state rows (control registers, MSRs, CSRs … decoded)
 */
public record VcpuSnapshot(int vcpu, String state, String description, long pc, String protectedReason,
        long instructions, long time, long lastExitSeq, List<StateRow> rows) {
}
