/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

/**
 * One recorded VM exit, as read back from an {@link ExitTrace}.
 *
 * @param seq           sequence number, dense and increasing per VM
 * @param vcpu          vCPU index
 * @param time          guest time of the exit in nanoseconds (for the built-in cores one
 *                      retired instruction is one nanosecond; imported traces use host time)
 * @param durationNs    time from exit to re-entry (host nanoseconds spent handling it)
 * @param reason        vendor-native reason
 * @param pc            guest program counter of the exiting instruction
 * @param qualification VMX exit qualification, SVM EXITINFO1, RISC-V htval/stval
 * @param info2         VMX guest-physical address, SVM EXITINFO2, RISC-V htinst
 * @param context       what identifies the event where the vendor encoding does not: CPUID leaf
 *                      (EAX) | subleaf (ECX) &lt;&lt; 32, MSR index (ECX), SBI extension (a7) |
 *                      function (a6) &lt;&lt; 32, TDVMCALL sub-function; 0 otherwise
 */
public record VmExit(long seq, int vcpu, long time, long durationNs, ExitReason reason, long pc,
        long qualification, long info2, long context) {

    public ExitCategory category() {
        return reason.category();
    }

    /** Value of an attribute of this exit per its source's decoder, or -1. */
    public long attribute(ExitAttribute attribute) {
        return ExitDecoders.forSource(reason.source()).attribute(reason, qualification, info2, context, attribute);
    }

    /** One-line decoded description from the source's decoder. */
    public String describe() {
        return ExitDecoders.forSource(reason.source()).describe(this);
    }

    /** This exit in the given vendor's encoding (e.g. the SVM view of a VMX exit), or null if there is none. */
    public NativeEncoding encoding(ExitSource source) {
        if (source == reason.source()) {
            return ExitDecoders.forSource(source).nativeEncoding(this);
        }
        return ExitDecoders.forSource(reason.source()).encodingFor(this, source);
    }
}
