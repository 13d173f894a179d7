/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cumulative per-vCPU, per-reason exit counts and handling times - the numbers of
 * {@code perf kvm stat report}. Independent of the trace ring, so nothing is lost when old
 * records are dropped. Updated by the VM thread only; readers get a consistent-enough snapshot.
 */
public final class ExitStatistics {
    /** One row of a report: the columns of {@code perf kvm stat report}. */
    public record Row(ExitReason reason, long samples, double samplesPercent, double timePercent, long minNs,
            long maxNs, double averageNs, long totalNs) {
    }

    private static final int STRIDE = 4; // count, total, min, max
    private long[][] perVcpu = new long[1][];

    /** Counts one exit. */
    public void count(int vcpu, int reasonId, long durationNs) {
        if (vcpu >= perVcpu.length) {
            perVcpu = Arrays.copyOf(perVcpu, vcpu + 1);
        }
        long[] t = perVcpu[vcpu];
        int o = reasonId * STRIDE;
        if (t == null || o + STRIDE > t.length) {
            long[] grown = new long[Math.max((reasonId + 16) * STRIDE, t == null ? 0 : t.length * 2)];
            if (t != null) {
                System.arraycopy(t, 0, grown, 0, t.length);
            }
            perVcpu[vcpu] = t = grown;
        }
        long d = Math.max(0, durationNs);
        if (t[o] == 0 || d < t[o + 2]) {
            t[o + 2] = d;
        }
        if (d > t[o + 3]) {
            t[o + 3] = d;
        }
        t[o + 1] += d;
        t[o]++;
    }

    /** Total exits counted (all vCPUs, or one vCPU if {@code vcpu >= 0}). */
    public long total(int vcpu) {
        long n = 0;
        for (Row r : report(vcpu)) {
            n += r.samples();
        }
        return n;
    }

    /** Count of one reason (all vCPUs if {@code vcpu < 0}). */
    public long count(int vcpu, ExitReason reason) {
        for (Row r : report(vcpu)) {
            if (r.reason() == reason) {
                return r.samples();
            }
        }
        return 0;
    }

    public void reset() {
        perVcpu = new long[1][];
    }

    /** Builds statistics from every exit held in a trace. */
    public static ExitStatistics of(ExitTrace trace) {
        ExitStatistics s = new ExitStatistics();
        trace.read(0, Long.MAX_VALUE, (seq, v, r, t, d, pc, q, i2, c) -> {
            s.count(v, r, d);
            return true;
        });
        return s;
    }

    /** Rows for all vCPUs ({@code vcpu < 0}) or one, most samples first. */
    public List<Row> report(int vcpu) {
        long[][] tables = perVcpu;
        int width = 0;
        for (long[] t : tables) {
            if (t != null) {
                width = Math.max(width, t.length);
            }
        }
        long[] sum = new long[width];
        for (int v = 0; v < tables.length; v++) {
            long[] t = tables[v];
            if (t == null || (vcpu >= 0 && v != vcpu)) {
                continue;
            }
            for (int o = 0; o + STRIDE <= t.length; o += STRIDE) {
                if (t[o] == 0) {
                    continue;
                }
                if (sum[o] == 0 || t[o + 2] < sum[o + 2]) {
                    sum[o + 2] = t[o + 2];
                }
                sum[o + 3] = Math.max(sum[o + 3], t[o + 3]);
                sum[o] += t[o];
                sum[o + 1] += t[o + 1];
            }
        }
        long samples = 0;
        long time = 0;
        for (int o = 0; o < width; o += STRIDE) {
            samples += sum[o];
            time += sum[o + 1];
        }
        List<Row> rows = new ArrayList<>();
        for (int o = 0; o < width; o += STRIDE) {
            if (sum[o] == 0) {
                continue;
            }
            rows.add(new Row(ExitReasons.byId(o / STRIDE), sum[o], 100.0 * sum[o] / samples,
                    time == 0 ? 0 : 100.0 * sum[o + 1] / time, sum[o + 2], sum[o + 3], (double) sum[o + 1] / sum[o],
                    sum[o + 1]));
        }
        rows.sort(Comparator.comparingLong(Row::samples).reversed().thenComparing(r -> r.reason().name()));
        return rows;
    }

    /** The report as the text table {@code perf kvm stat report} prints. */
    public String format(int vcpu) {
        List<Row> rows = report(vcpu);
        // perf pads reason names to a fixed width; ours widen for long names (VMX's) so columns stay aligned.
        int width = 20;
        for (Row r : rows) {
            width = Math.max(width, r.reason().name().length());
        }
        String name = "%" + width + "s";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(name + " %10s %9s %9s %10s %10s %16s%n", "VM-EXIT", "Samples", "Samples%", "Time%",
                "Min Time", "Max Time", "Avg time"));
        long samples = 0;
        for (Row r : rows) {
            samples += r.samples();
            sb.append(String.format(name + " %10d %8.2f%% %8.2f%% %8.2fus %8.2fus %10.2fus%n", r.reason().name(),
                    r.samples(), r.samplesPercent(), r.timePercent(), r.minNs() / 1000.0, r.maxNs() / 1000.0,
                    r.averageNs() / 1000.0));
        }
        sb.append(String.format("%nTotal Samples:%d%n", samples));
        return sb.toString();
    }
}
