/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

/**
 * The exit a vCPU is currently taking, filled in by the architecture's interpreter before the
 * handler runs - the counterpart of KVM's {@code struct kvm_run} / VMCS exit fields. One
 * mutable instance per vCPU, reused for every exit, so the hot path allocates nothing.
 */
public final class ExitInfo {
    /** Vendor-native reason. */
    public ExitReason reason;
    /** VMX exit qualification / SVM EXITINFO1 / RISC-V htval or stval. */
    public long qualification;
    /** VMX guest-physical address / SVM EXITINFO2 / RISC-V htinst. */
    public long info2;
    /** Leaf, MSR index, SBI ext|fid&lt;&lt;32 … see {@link VmExit#context()}. */
    public long context;
    /** Guest PC of the exiting instruction. */
    public long pc;
    /** Length in bytes of the exiting instruction (VMX VM-exit instruction length), 0 if none. */
    public int instructionLength;
    /** Guest time of the exit. */
    public long time;
    /** Sequence number the exit was recorded under in the trace, or -1 while not recorded. */
    public long seq = -1;

    public void set(ExitReason reason, long qualification, long info2, long context, long pc, int instructionLength,
            long time) {
        this.reason = reason;
        this.qualification = qualification;
        this.info2 = info2;
        this.context = context;
        this.pc = pc;
        this.instructionLength = instructionLength;
        this.time = time;
        this.seq = -1;
    }

    /** An immutable copy, for listeners and views. */
    public VmExit toVmExit(int vcpu, long durationNs) {
        return new VmExit(seq, vcpu, time, durationNs, reason, pc, qualification, info2, context);
    }

    /** Value of an attribute of the current exit per its source's decoder, or -1. */
    public long attribute(ExitAttribute attribute) {
        return ExitDecoders.forSource(reason.source()).attribute(reason, qualification, info2, context, attribute);
    }
}
