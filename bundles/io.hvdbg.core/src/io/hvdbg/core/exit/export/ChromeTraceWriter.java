/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.BitSet;
import java.util.Map;

import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.VmExit;

/**
 * Writes exits as Chrome trace event JSON, which Perfetto UI (ui.perfetto.dev) and
 * chrome://tracing open: one process for the VM, one thread track per vCPU, each exit a
 * complete ("X") slice from the exit to the re-entry, named after the exit reason, with the
 * vendor-native fields in its args. {@code ts}/{@code dur} are microseconds with nanosecond
 * decimals; {@code args.time_ns}/{@code args.duration_ns} repeat them exactly so the file reads
 * back losslessly ({@link ChromeTraceReader}). Streams: nothing is held per exit.
 */
public final class ChromeTraceWriter implements ExitRecordVisitor, AutoCloseable {
    /** The single process id the VM's tracks live under. */
    public static final int VM_PID = 1;

    private final Writer out;
    private final BitSet namedVcpus = new BitSet();
    private final StringBuilder sb = new StringBuilder(512);
    private boolean closed;

    /** Starts the document; {@code metadata} goes to {@code otherData} and names the process. */
    public ChromeTraceWriter(Writer out, Map<String, String> metadata) throws IOException {
        this.out = out;
        sb.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"hvdbg\"");
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            sb.append(',');
            string(e.getKey());
            sb.append(':');
            string(e.getValue());
        }
        sb.append("},\n\"traceEvents\":[\n");
        sb.append("{\"ph\":\"M\",\"pid\":").append(VM_PID).append(",\"name\":\"process_name\",\"args\":{\"name\":");
        string("VM" + (metadata.containsKey("input") ? " " + metadata.get("input") : ""));
        sb.append("}}");
        flush();
    }

    @Override
    public boolean visit(long seq, int vcpu, int reasonId, long time, long durationNs, long pc, long qualification,
            long info2, long context) {
        if (vcpu >= 0 && !namedVcpus.get(vcpu)) {
            namedVcpus.set(vcpu);
            sb.append(",\n{\"ph\":\"M\",\"pid\":").append(VM_PID).append(",\"tid\":").append(vcpu)
                    .append(",\"name\":\"thread_name\",\"args\":{\"name\":\"vCPU ").append(vcpu).append("\"}}");
            sb.append(",\n{\"ph\":\"M\",\"pid\":").append(VM_PID).append(",\"tid\":").append(vcpu)
                    .append(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":").append(vcpu).append("}}");
        }
        ExitReason r = ExitReasons.byId(reasonId);
        VmExit e = new VmExit(seq, vcpu, time, durationNs, r, pc, qualification, info2, context);
        sb.append(",\n{\"ph\":\"X\",\"pid\":").append(VM_PID).append(",\"tid\":").append(vcpu).append(",\"name\":");
        string(r.name());
        sb.append(",\"cat\":");
        string(r.category().name());
        sb.append(",\"ts\":");
        micros(time);
        sb.append(",\"dur\":");
        micros(Math.max(0, durationNs));
        sb.append(",\"args\":{\"seq\":").append(seq).append(",\"time_ns\":").append(time).append(",\"duration_ns\":")
                .append(durationNs).append(",\"source\":\"").append(r.source().name()).append("\",\"code\":")
                .append(r.code()).append(",\"category\":\"").append(r.category().name()).append("\",\"rip\":\"");
        hex(pc);
        sb.append("\",\"qualification\":\"");
        hex(qualification);
        sb.append("\",\"info2\":\"");
        hex(info2);
        sb.append("\",\"context\":\"");
        hex(context);
        sb.append("\",\"description\":");
        string(e.describe());
        sb.append("}}");
        try {
            flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return true;
    }

    /** Ends the JSON document (the writer itself stays open). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        sb.append("\n]}\n");
        flush();
        out.flush();
    }

    private void flush() throws IOException {
        out.append(sb);
        sb.setLength(0);
    }

    private void micros(long ns) {
        long whole = Math.floorDiv(ns, 1000);
        long frac = Math.floorMod(ns, 1000);
        sb.append(whole).append('.');
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
    }

    private void hex(long v) {
        sb.append("0x").append(Long.toHexString(v));
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
