/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.trace;

import java.util.List;

import io.hvdbg.core.exit.ExitSource;

/**
 * What an import of a host KVM trace found: the format and vendor it recognised, how many lines
 * became exits, and every line it skipped (counted; the first few kept with their line numbers).
 *
 * @param format             tool that printed the trace
 * @param vendor             {@link ExitSource#VMX} or {@link ExitSource#SVM} from the reason names,
 *                           {@link ExitSource#UNKNOWN} if no exit had a name
 * @param lines              lines read
 * @param exits              exits delivered (each kvm_exit once)
 * @param exitsWithoutEntry  exits whose vCPU thread exited again (or the trace ended) before a
 *                           kvm_entry: delivered with duration 0
 * @param entriesWithoutExit kvm_entry lines with no exit before them on that thread (normal once
 *                           per vCPU at the start of a trace)
 * @param otherEvents        well-formed events other than kvm_exit/kvm_entry (kvm_msr, kvm_pio …)
 * @param headerLines        comment and header lines, blank lines
 * @param lostEventLines     lines telling that the kernel dropped events (ring buffer overrun)
 * @param malformedLines     lines that are neither headers nor events, or events that do not parse
 * @param malformedSamples   the first {@value KvmTraceImporter#MALFORMED_SAMPLES} of them
 * @param vcpus              number of distinct vCPUs seen
 * @param firstTimeNs        time of the first exit, ns (trace clock), or -1
 * @param lastTimeNs         time of the last exit, ns, or -1
 * @param rawCounterClock    timestamps had no decimal point (x86-tsc, counter clocks): times are
 *                           counter values, not nanoseconds
 * @param mixedVendors       both VMX and SVM reason names occurred (concatenated traces?)
 * @param stoppedEarly       the progress callback asked to stop
 */
public record KvmTraceReport(KvmTraceFormat format, ExitSource vendor, long lines, long exits, long exitsWithoutEntry,
        long entriesWithoutExit, long otherEvents, long headerLines, long lostEventLines, long malformedLines,
        List<MalformedLine> malformedSamples, int vcpus, long firstTimeNs, long lastTimeNs, boolean rawCounterClock,
        boolean mixedVendors, boolean stoppedEarly) {

    /** One skipped line: its 1-based number, what is wrong, and its start. */
    public record MalformedLine(long lineNumber, String problem, String text) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + problem + ": " + text;
        }
    }

    /** One line for a terminal: format, vendor, exit count and what was skipped. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(format.displayName()).append(", ").append(vendor.displayName()).append(": ").append(exits)
                .append(exits == 1 ? " exit" : " exits").append(" on ").append(vcpus).append(vcpus == 1 ? " vCPU" : " vCPUs")
                .append(" from ").append(lines).append(" lines");
        if (otherEvents > 0) {
            sb.append(", ").append(otherEvents).append(otherEvents == 1 ? " other event" : " other events");
        }
        if (malformedLines > 0) {
            sb.append(", ").append(malformedLines).append(malformedLines == 1 ? " malformed line" : " malformed lines")
                    .append(" skipped");
        }
        if (exitsWithoutEntry > 0) {
            sb.append(", ").append(exitsWithoutEntry).append(exitsWithoutEntry == 1 ? " exit" : " exits")
                    .append(" without kvm_entry (duration 0)");
        }
        if (lostEventLines > 0) {
            sb.append(", events lost in ").append(lostEventLines).append(lostEventLines == 1 ? " place" : " places");
        }
        if (rawCounterClock) {
            sb.append(", raw counter timestamps");
        }
        if (mixedVendors) {
            sb.append(", VMX and SVM names mixed");
        }
        if (stoppedEarly) {
            sb.append(", stopped early");
        }
        return sb.toString();
    }
}
