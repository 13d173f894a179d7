/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hvdbg.core.debug.ExitBreakpoint;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.inspect.CpuidEntry;
import io.hvdbg.core.inspect.FeatureBit;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;
import io.hvdbg.core.tlb.TlbModel;

/**
 * Paired writers (stub side) and readers (client side) of the {@code qHvdbg} reply bodies,
 * kept side by side so the two can never drift apart. Field order is the documentation; see
 * docs/rsp-extensions.md for the same layouts in prose.
 */
public final class HvdbgWire {
    private HvdbgWire() {
    }

    // ---- reasons --------------------------------------------------------------------------

    public static void writeReasons(List<ExitReason> reasons, WireWriter w) {
        w.varint(reasons.size());
        for (ExitReason r : reasons) {
            w.varint(r.id()).string(r.source().name()).varint(r.code()).string(r.name()).string(r.category().name());
        }
    }

    public static List<ExitReasonInfo> readReasons(WireReader r) {
        int n = r.count();
        List<ExitReasonInfo> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ExitReasonInfo(r.varintInt(), r.string(), r.varint(), r.string(), r.string()));
        }
        return out;
    }

    // ---- statistics -----------------------------------------------------------------------

    public static void writeStats(List<ExitStatistics.Row> rows, WireWriter w) {
        w.varint(rows.size());
        for (ExitStatistics.Row row : rows) {
            w.varint(row.reason().id()).varint(row.samples()).varint(row.totalNs()).varint(row.minNs())
                    .varint(row.maxNs());
        }
    }

    public static List<ExitStatRow> readStats(WireReader r) {
        int n = r.count();
        List<ExitStatRow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ExitStatRow(r.varintInt(), r.varint(), r.varint(), r.varint(), r.varint()));
        }
        return out;
    }

    // ---- one exit -------------------------------------------------------------------------

    public static void writeExit(VmExit e, List<NativeEncoding> encodings, String description, WireWriter w) {
        w.varint(e.seq()).varint(e.vcpu()).varint(e.reason().id()).varint(e.time()).varint(e.durationNs())
                .varint(e.pc()).varint(e.qualification()).varint(e.info2()).varint(e.context());
        w.string(description);
        w.varint(encodings.size());
        for (NativeEncoding n : encodings) {
            w.string(n.source().name()).varint(n.code()).string(n.name()).varint(n.info1()).varint(n.info2());
        }
    }

    public static ExitDetail readExit(WireReader r) {
        long seq = r.varint();
        int vcpu = r.varintInt();
        int reason = r.varintInt();
        long time = r.varint();
        long duration = r.varint();
        long pc = r.varint();
        long q = r.varint();
        long i2 = r.varint();
        long ctx = r.varint();
        String desc = r.string();
        int n = r.count();
        List<NativeEncoding> enc = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String source = r.string();
            ExitSource src;
            try {
                src = ExitSource.valueOf(source);
            } catch (IllegalArgumentException e) {
                src = ExitSource.UNKNOWN;
            }
            enc.add(new NativeEncoding(src, r.varint(), r.string(), r.varint(), r.varint()));
        }
        return new ExitDetail(seq, vcpu, reason, time, duration, pc, q, i2, ctx, desc, enc);
    }

    // ---- features (CPUID / ISA) ------------------------------------------------------------

    public static void writeFeatures(FeatureReport f, WireWriter w) {
        w.bool(f != null);
        if (f == null) {
            return;
        }
        w.string(f.title());
        w.varint(f.entries().size());
        for (CpuidEntry e : f.entries()) {
            w.varint(e.leaf()).varint(e.subleaf());
            for (int[] view : new int[][] {e.supported(), e.requested(), e.effective()}) {
                for (int k = 0; k < 4; k++) {
                    w.varint(view != null && k < view.length ? view[k] & 0xFFFFFFFFL : 0);
                }
            }
        }
        w.varint(f.bits().size());
        for (FeatureBit b : f.bits()) {
            w.string(b.group()).signed(b.bit()).string(b.name())
                    .varint((b.supported() ? 1 : 0) | (b.requested() ? 2 : 0) | (b.effective() ? 4 : 0));
        }
    }

    /** The features, or null when the stub's core does not model them. */
    public static FeatureReport readFeatures(WireReader r) {
        if (!r.bool()) {
            return null;
        }
        String title = r.string();
        int n = r.count();
        List<CpuidEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long leaf = r.varint();
            long sub = r.varint();
            int[][] views = new int[3][4];
            for (int[] view : views) {
                for (int k = 0; k < 4; k++) {
                    view[k] = (int) r.varint();
                }
            }
            entries.add(new CpuidEntry(leaf, sub, views[0], views[1], views[2]));
        }
        int m = r.count();
        List<FeatureBit> bits = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            String group = r.string();
            int bit = (int) r.signed();
            String name = r.string();
            long flags = r.varint();
            bits.add(new FeatureBit(group, bit, name, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0));
        }
        return new FeatureReport(title, entries, bits);
    }

    // ---- TLB --------------------------------------------------------------------------------

    public static void writeTlb(int vcpu, TlbModel t, int historyMax, WireWriter w) {
        w.bool(t != null);
        if (t == null) {
            return;
        }
        w.varint(vcpu).varint(t.hits()).varint(t.misses());
        writeLongMap(t.flushesByCause(), w);
        writeLongMap(t.requestsByCause(), w);
        Map<String, String> props = t.properties() == null ? Map.of() : t.properties();
        w.varint(props.size());
        props.forEach((k, v) -> w.string(k).string(v));
        List<TlbEntry> entries = t.entries();
        w.varint(entries.size());
        for (TlbEntry e : entries) {
            w.varint(e.va()).varint(e.gpa()).signed(e.hpa()).varint(e.pageSize()).signed(e.asid()).signed(e.vmid())
                    .varint((e.global() ? 1 : 0) | (e.accessed() ? 2 : 0) | (e.dirty() ? 4 : 0)).string(e.permissions());
        }
        List<FlushRecord> history = t.history(historyMax);
        w.varint(history.size());
        for (FlushRecord f : history) {
            w.varint(f.time()).varint(f.vcpu()).string(f.cause()).string(f.scope()).varint(f.address())
                    .bool(f.request()).varint(f.entries());
        }
    }

    private static void writeLongMap(Map<String, Long> m, WireWriter w) {
        Map<String, Long> map = m == null ? Map.of() : m;
        w.varint(map.size());
        map.forEach((k, v) -> w.string(k).varint(v == null ? 0 : v));
    }

    private static Map<String, Long> readLongMap(WireReader r) {
        int n = r.count();
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(r.string(), r.varint());
        }
        return m;
    }

    /** The snapshot, or null when the stub's core does not model a TLB. */
    public static TlbSnapshot readTlb(WireReader r) {
        if (!r.bool()) {
            return null;
        }
        int vcpu = r.varintInt();
        long hits = r.varint();
        long misses = r.varint();
        Map<String, Long> flushes = readLongMap(r);
        Map<String, Long> requests = readLongMap(r);
        int np = r.count();
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < np; i++) {
            props.put(r.string(), r.string());
        }
        int ne = r.count();
        List<TlbEntry> entries = new ArrayList<>(ne);
        for (int i = 0; i < ne; i++) {
            long va = r.varint();
            long gpa = r.varint();
            long hpa = r.signed();
            long size = r.varint();
            int asid = (int) r.signed();
            int vmid = (int) r.signed();
            long flags = r.varint();
            String perms = r.string();
            entries.add(new TlbEntry(va, gpa, hpa, size, asid, vmid, (flags & 1) != 0, perms, (flags & 2) != 0,
                    (flags & 4) != 0));
        }
        int nh = r.count();
        List<FlushRecord> history = new ArrayList<>(nh);
        for (int i = 0; i < nh; i++) {
            history.add(new FlushRecord(r.varint(), r.varintInt(), r.string(), r.string(), r.varint(), r.bool(),
                    r.varintInt()));
        }
        return new TlbSnapshot(vcpu, hits, misses, flushes, requests, props, entries, history);
    }

    // ---- vCPU state -------------------------------------------------------------------------

    public static void writeState(VcpuSnapshot s, WireWriter w) {
        w.varint(s.vcpu()).string(s.state()).string(s.description()).varint(s.pc()).string(s.protectedReason())
                .varint(s.instructions()).varint(s.time()).signed(s.lastExitSeq());
        w.varint(s.rows().size());
        for (StateRow row : s.rows()) {
            w.string(row.group()).string(row.name()).varint(row.value()).string(row.decoded());
        }
    }

    public static VcpuSnapshot readState(WireReader r) {
        int vcpu = r.varintInt();
        String state = r.string();
        String desc = r.string();
        long pc = r.varint();
        String prot = r.string();
        long instructions = r.varint();
        long time = r.varint();
        long last = r.signed();
        int n = r.count();
        List<StateRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new StateRow(r.string(), r.string(), r.varint(), r.string()));
        }
        return new VcpuSnapshot(vcpu, state, desc, pc, prot, instructions, time, last, rows);
    }

    // ---- exit breakpoints -------------------------------------------------------------------

    public static void writeExitBreakpoints(List<ExitBreakpoint> list, WireWriter w) {
        w.varint(list.size());
        for (ExitBreakpoint b : list) {
            w.varint(b.id()).string(b.category() == null ? "" : b.category().name())
                    .string(b.reason() == null ? "" : b.reason().name())
                    .string(b.condition() == null ? "" : b.condition().toString()).signed(b.vcpu())
                    .varint((b.temporary() ? 1 : 0) | (b.enabled() ? 2 : 0)).varint(b.hitCount()).string(b.describe());
        }
    }

    public static List<ExitBreakpointInfo> readExitBreakpoints(WireReader r) {
        int n = r.count();
        List<ExitBreakpointInfo> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = r.varintInt();
            String cat = r.string();
            String reason = r.string();
            String cond = r.string();
            int vcpu = (int) r.signed();
            long flags = r.varint();
            long hits = r.varint();
            String desc = r.string();
            out.add(new ExitBreakpointInfo(id, cat, reason, cond, vcpu, (flags & 1) != 0, (flags & 2) != 0, hits,
                    desc));
        }
        return out;
    }
}
