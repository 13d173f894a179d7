/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.hvdbg.core.exit.export.ChromeTraceWriter;
import io.hvdbg.core.Architecture;
import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.x86.trace.KvmTraceImporter;
import io.hvdbg.x86.trace.KvmTraceReport;

/**
 * Streaming import of a host KVM trace (issue 10: "a 1 GB trace streams with progress and
 * bounded memory"): a generated {@code trace-cmd report} of a VMX guest with 8 vCPUs - kvm_exit,
 * kvm_entry and kvm_msr lines in Linux 6.x format, a realistic reason mix, one malformed line in
 * 100 000 - is streamed into exit statistics (what {@code hvdbg stats} does) and into Chrome JSON
 * (what {@code hvdbg export} does, output discarded). Reports lines/s, MB/s, exits/s and the heap
 * in use, sampled at every progress callback. The full run uses a 1 GiB file.
 */
public final class KvmTraceImportBenchmark implements Benchmark {
    private static final long FULL_BYTES = 1L << 30;
    private static final long QUICK_BYTES = 4L << 20;
    private static final int VCPUS = 8;
    private static final String[] REASONS = {"EXTERNAL_INTERRUPT", "EPT_MISCONFIG", "MSR_WRITE", "HLT",
        "EXTERNAL_INTERRUPT", "IO_INSTRUCTION", "PREEMPTION_TIMER", "EPT_MISCONFIG", "MSR_WRITE", "EPT_VIOLATION",
        "HLT", "CPUID", "APIC_WRITE", "MSR_WRITE", "PAUSE_INSTRUCTION", "EXTERNAL_INTERRUPT"};

    @Override
    public String name() {
        return "kvm-trace-import";
    }

    @Override
    public String description() {
        return "streaming import of a host KVM text trace (trace-cmd report, VMX, 8 vCPUs) into stats and JSON";
    }

    @Override
    public Architecture architecture() {
        return Architecture.X86_64;
    }

    @Override
    public void run(BenchmarkContext ctx) throws IOException {
        long target = ctx.quick() ? QUICK_BYTES : FULL_BYTES;
        Path file = Files.createTempFile("hvdbg-bench-kvm", ".txt");
        try {
            long[] written = generate(file, target);
            double mib = written[0] / (1024.0 * 1024.0);
            ctx.note(String.format(java.util.Locale.ROOT, "%.0f MiB, %,d lines, %,d exits, generated in %s",
                    mib, written[1], written[2], file.getParent()));

            Runtime rt = Runtime.getRuntime();
            System.gc();
            long baseline = rt.totalMemory() - rt.freeMemory();
            long[] peak = {baseline};
            long[] callbacks = {0};
            ExitStatistics stats = new ExitStatistics();
            long t0 = System.nanoTime();
            KvmTraceReport report = KvmTraceImporter.read(file, (s, v, r, t, d, pc, q, i2, c) -> {
                stats.count(v, r, d);
                return true;
            }, (read, total) -> {
                callbacks[0]++;
                peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
                return true;
            });
            long ns = System.nanoTime() - t0;
            if (report.exits() != written[2] || stats.total(-1) != written[2]) {
                throw new IllegalStateException("imported " + report.exits() + " of " + written[2] + " exits");
            }
            ctx.report("stats: lines/s", report.lines() * 1e9 / ns, "lines/s");
            ctx.report("stats: input MB/s", written[0] * 1e3 / ns, "MB/s");
            ctx.report("stats: exits/s", report.exits() * 1e9 / ns, "exits/s");
            ctx.report("progress callbacks", callbacks[0], "calls");
            ctx.report("heap in use before import", baseline / 1048576.0, "MiB");
            ctx.report("peak heap in use during import", peak[0] / 1048576.0, "MiB");
            ctx.note("malformed lines reported: " + report.malformedLines() + " (first at line "
                    + (report.malformedSamples().isEmpty() ? "-" : report.malformedSamples().get(0).lineNumber()) + ")");

            t0 = System.nanoTime();
            try (ChromeTraceWriter json = new ChromeTraceWriter(Writer.nullWriter(), Map.of())) {
                KvmTraceImporter.read(file, json, null);
            }
            ns = System.nanoTime() - t0;
            ctx.report("json export: exits/s", report.exits() * 1e9 / ns, "exits/s");
            ctx.report("json export: input MB/s", written[0] * 1e3 / ns, "MB/s");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Writes about {@code target} bytes; returns {bytes, lines, exits}. */
    static long[] generate(Path file, long target) throws IOException {
        long bytes = 0;
        long lines = 0;
        long exits = 0;
        StringBuilder sb = new StringBuilder(1024);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            byte[] header = "cpus=8\n".getBytes(StandardCharsets.US_ASCII);
            out.write(header);
            bytes += header.length;
            lines++;
            long us = 1_000_000_000L;
            long i = 0;
            while (bytes < target) {
                sb.setLength(0);
                int v = (int) (i % VCPUS);
                String reason = REASONS[(int) ((i / VCPUS) % REASONS.length)];
                long rip = 0xffffffff81000000L + ((i * 0x1f3) & 0xfffff);
                task(sb, v).append(us / 1_000_000).append('.').append(six(us % 1_000_000))
                        .append(": kvm_exit:             vcpu ").append(v).append(" reason ").append(reason)
                        .append(" rip 0x").append(Long.toHexString(rip))
                        .append(" info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000"
                                + " error_code 0x00000000\n");
                lines++;
                if (reason.equals("MSR_WRITE")) {
                    task(sb, v).append(us / 1_000_000).append('.').append(six(us % 1_000_000))
                            .append(": kvm_msr:              msr_write 6e0 = 0x").append(Long.toHexString(i * 977))
                            .append('\n');
                    lines++;
                }
                long entry = us + (reason.equals("HLT") ? 250 : 2);
                task(sb, v).append(entry / 1_000_000).append('.').append(six(entry % 1_000_000))
                        .append(": kvm_entry:            vcpu ").append(v).append(", rip 0x")
                        .append(Long.toHexString(rip + 2)).append('\n');
                lines++;
                exits++;
                if (i % 100_000 == 99_999) {
                    sb.append("       CPU 3/KVM-5003  [003] 1000.0000x0: kvm_exit: truncated\n");
                    lines++;
                }
                byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                bytes += b.length;
                us += 1;
                i++;
            }
        }
        return new long[] {bytes, lines, exits};
    }

    private static StringBuilder task(StringBuilder sb, int vcpu) {
        return sb.append("       CPU ").append(vcpu).append("/KVM-").append(5000 + vcpu).append("  [00").append(vcpu)
                .append("] ");
    }

    private static String six(long v) {
        String s = Long.toString(v);
        return "000000".substring(s.length()) + s;
    }
}
