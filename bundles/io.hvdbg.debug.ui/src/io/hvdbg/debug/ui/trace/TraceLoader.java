/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;

import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.TraceFile;
import io.hvdbg.core.exit.TraceFormatException;
import io.hvdbg.debug.ui.views.TimelineModel;
import io.hvdbg.riscv.exit.RiscvExits;
import io.hvdbg.x86.exit.X86ExitKind;
import io.hvdbg.x86.trace.KvmTraceImporter;
import io.hvdbg.x86.trace.KvmTraceReport;

/**
 * Reads an exit trace file for the views, told apart by content as {@code hvdbg stats} does: a
 * host KVM trace as text (ftrace, trace-cmd report, perf script) or hvdbg's own .hvtrace. The
 * file streams once: every exit is counted into the statistics and recorded into a ring
 * bounded by {@link #MAX_RING_BYTES} (the timeline keeps the newest exits of a huge file).
 */
public final class TraceLoader {
    /** Upper bound of the ring an IDE-loaded trace takes (about 15M typical exits). */
    public static final long MAX_RING_BYTES = 256L << 20;
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final int PROGRESS_TICKS = 1000;
    /** The first bytes of an .hvtrace file ({@link TraceFile}). */
    private static final String HVTRACE_MAGIC = "HVDBGTRC";

    /** What kind of file it was. */
    public enum Kind {
        /** A host KVM trace printed by ftrace, trace-cmd report or perf script. */
        KVM_TEXT,
        /** hvdbg's binary trace ({@code hvdbg run --trace}). */
        HVTRACE
    }

    static {
        // Decoders that describe x86 exits (details line, exports); .hvtrace files carry only the reasons.
        X86ExitKind.registerAll();
        RiscvExits.init();
    }

    private TraceLoader() {
    }

    /**
     * Reads a file, reporting bytes read to {@code monitor} (which may cancel).
     *
     * @throws TraceFormatException       one message naming the file and what is wrong: neither
     *                                    kind, no kvm_exit event at all, a broken .hvtrace
     * @throws OperationCanceledException the monitor was canceled
     */
    public static LoadedTrace load(Path file, IProgressMonitor monitor) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TraceFormatException(file + ": not a readable file");
        }
        long size = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        Kind kind;
        if (KvmTraceImporter.looksLikeKvmTrace(head, head.length)) {
            kind = Kind.KVM_TEXT;
        } else if (head.length >= 8 && new String(head, 0, 8, StandardCharsets.US_ASCII).equals(HVTRACE_MAGIC)) {
            kind = Kind.HVTRACE;
        } else {
            throw new TraceFormatException(file.getFileName() + " is not an exit trace: neither a text trace with"
                    + " kvm_exit events (ftrace, trace-cmd report, perf script) nor an hvdbg .hvtrace file");
        }
        // Text takes ~100-250 bytes per event and two events per exit, a ring record 6-30 bytes: a
        // sixth of the file holds every exit (a 1 GiB trace-cmd report: 171 MiB).
        long ringBytes = Math.min(MAX_RING_BYTES,
                Math.max(ExitTrace.MIN_CAPACITY, kind == Kind.KVM_TEXT ? size / 6 : size * 2));
        ExitTrace ring = new ExitTrace(ringBytes);
        ExitStatistics stats = new ExitStatistics();
        int[] maxVcpu = {-1};
        long[] exits = {0};
        ExitRecordVisitor sink = (seq, vcpu, reason, time, dur, pc, q, i2, ctx) -> {
            ring.record(vcpu, reason, time, dur, pc, q, i2, ctx);
            stats.count(vcpu, reason, dur);
            if (vcpu > maxVcpu[0]) {
                maxVcpu[0] = vcpu;
            }
            exits[0]++;
            return true;
        };
        int ticks = size > 0 ? PROGRESS_TICKS : IProgressMonitor.UNKNOWN;
        monitor.beginTask("Reading " + file.getFileName(), ticks);
        Progress progress = new Progress(monitor, size);
        KvmTraceReport report = null;
        Map<String, String> metadata;
        if (kind == Kind.KVM_TEXT) {
            report = KvmTraceImporter.read(file, sink, progress::update);
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            if (report.exits() == 0) {
                throw new TraceFormatException(file.getFileName() + ": no kvm_exit events in " + report.lines()
                        + " lines (" + report.malformedLines() + " malformed)"
                        + (report.malformedSamples().isEmpty() ? "" : "; first: " + report.malformedSamples().get(0)));
            }
            metadata = Map.of("source", report.format().displayName(), "vendor", report.vendor().displayName());
        } else {
            try (InputStream in = new BufferedInputStream(new Counting(Files.newInputStream(file), progress), 1 << 16)) {
                metadata = TraceFile.read(file.getFileName().toString(), in, sink).metadata();
            }
        }
        monitor.done();
        // The timeline model is built here, off the UI thread: for millions of exits it takes seconds.
        return new LoadedTrace(file, kind, metadata, report, ring, stats, TimelineModel.of(ring), exits[0],
                maxVcpu[0] + 1);
    }

    /** Turns bytes read into monitor ticks and "N of M MiB"; answers false once canceled. */
    private static final class Progress {
        private final IProgressMonitor monitor;
        private final long total;
        private int reported;

        Progress(IProgressMonitor monitor, long total) {
            this.monitor = monitor;
            this.total = total;
        }

        boolean update(long bytesRead, long totalBytes) {
            if (total > 0) {
                int tick = (int) Math.min(PROGRESS_TICKS, bytesRead * PROGRESS_TICKS / total);
                if (tick > reported) {
                    monitor.worked(tick - reported);
                    reported = tick;
                }
                monitor.subTask(String.format("%.1f of %.1f MiB", bytesRead / 1048576.0, total / 1048576.0));
            }
            return !monitor.isCanceled();
        }
    }

    /** Reports bytes read from a stream; canceling ends the read. */
    private static final class Counting extends FilterInputStream {
        private final Progress progress;
        private long count;
        private long nextReport = 1 << 20;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                advance(1);
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            count += n;
            if (count >= nextReport) {
                nextReport = count + (1 << 20);
                if (!progress.update(count, -1)) {
                    throw new OperationCanceledException();
                }
            }
        }
    }
}
