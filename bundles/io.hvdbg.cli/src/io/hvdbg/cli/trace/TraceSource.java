/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.TraceFile;
import io.hvdbg.core.exit.TraceFormatException;
import io.hvdbg.riscv.exit.RiscvExits;
import io.hvdbg.x86.exit.X86ExitKind;
import io.hvdbg.x86.trace.ImportProgress;
import io.hvdbg.x86.trace.KvmTraceImporter;
import io.hvdbg.x86.trace.KvmTraceReport;

/**
 * An exit trace file of any kind hvdbg reads, told apart by content (not by extension): an
 * {@code .hvtrace} file recorded by hvdbg, or a host KVM trace in text form (ftrace,
 * trace-cmd report, perf script). Both stream their exits with bounded memory.
 */
public final class TraceSource {
    /** How many bytes are looked at to recognise a file. */
    static final int SNIFF_BYTES = 64 * 1024;
    private static final byte[] HVTRACE_MAGIC = "HVDBGTRC".getBytes(StandardCharsets.US_ASCII);

    /** What kind of file it is. */
    public enum Kind {
        /** hvdbg's own binary trace ({@link TraceFile}). */
        HVTRACE,
        /** A host KVM trace as text ({@link KvmTraceImporter}). */
        KVM_TEXT
    }

    /**
     * What streaming a file found.
     *
     * @param kind     the file's kind
     * @param metadata .hvtrace metadata (arch, vendor …); empty for text traces
     * @param report   the import report of a text trace, null for .hvtrace
     * @param exits    exits delivered
     */
    public record Result(Kind kind, Map<String, String> metadata, KvmTraceReport report, long exits) {
    }

    static {
        // Their decoders describe exits; .hvtrace files only carry the reasons.
        X86ExitKind.registerAll();
        RiscvExits.init();
    }

    private TraceSource() {
    }

    /**
     * Recognises a file by its first bytes.
     *
     * @throws TraceFormatException if it is neither kind, naming the file
     */
    public static Kind detect(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        if (head.length >= HVTRACE_MAGIC.length
                && Arrays.equals(head, 0, HVTRACE_MAGIC.length, HVTRACE_MAGIC, 0, HVTRACE_MAGIC.length)) {
            return Kind.HVTRACE;
        }
        if (KvmTraceImporter.looksLikeKvmTrace(head, head.length)) {
            return Kind.KVM_TEXT;
        }
        throw new TraceFormatException(file + ": neither an hvdbg .hvtrace file nor a text trace with kvm_exit events"
                + " (ftrace, trace-cmd report, perf script)");
    }

    /**
     * Streams every exit of the file to {@code visitor}.
     *
     * @throws TraceFormatException if the file is neither kind, or a text trace holds no kvm_exit
     *                              event at all
     */
    public static Result stream(Path file, ExitRecordVisitor visitor, ImportProgress progress) throws IOException {
        Kind kind = detect(file);
        long[] count = new long[1];
        ExitRecordVisitor counting = (s, v, r, t, d, pc, q, i2, c) -> {
            count[0]++;
            return visitor.visit(s, v, r, t, d, pc, q, i2, c);
        };
        if (kind == Kind.HVTRACE) {
            TraceFile.Header h = TraceFile.read(file, counting);
            return new Result(kind, h.metadata(), null, count[0]);
        }
        KvmTraceReport report = KvmTraceImporter.read(file, counting, progress);
        if (report.exits() == 0) {
            throw new TraceFormatException(file + ": no kvm_exit events in " + report.lines() + " lines ("
                    + report.malformedLines() + " malformed)" + firstProblem(report));
        }
        return new Result(kind, Map.of("source", report.format().displayName(), "vendor",
                report.vendor().displayName()), report, count[0]);
    }

    private static String firstProblem(KvmTraceReport report) {
        return report.malformedSamples().isEmpty() ? "" : "; first: " + report.malformedSamples().get(0);
    }

    /**
     * What a terminal user should see about a text import, for stderr: the summary and the
     * first few skipped lines with their numbers. Empty for .hvtrace files.
     */
    public static String describeImport(Path file, Result result, int maxSamples) {
        KvmTraceReport r = result.report();
        if (r == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(file.getFileName()).append(": ").append(r.summary()).append('\n');
        int shown = Math.min(maxSamples, r.malformedSamples().size());
        for (int i = 0; i < shown; i++) {
            sb.append("  skipped ").append(r.malformedSamples().get(i)).append('\n');
        }
        if (r.malformedLines() > shown) {
            sb.append("  ... and ").append(r.malformedLines() - shown).append(" more malformed lines\n");
        }
        return sb.toString();
    }
}
