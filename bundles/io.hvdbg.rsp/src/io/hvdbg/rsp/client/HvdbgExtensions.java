/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.rsp.codec.Hex;
import io.hvdbg.rsp.ext.ExitBatch;
import io.hvdbg.rsp.ext.ExitBreakpointInfo;
import io.hvdbg.rsp.ext.ExitDetail;
import io.hvdbg.rsp.ext.ExitReasonInfo;
import io.hvdbg.rsp.ext.ExitStatRow;
import io.hvdbg.rsp.ext.HvdbgPackets;
import io.hvdbg.rsp.ext.HvdbgWire;
import io.hvdbg.rsp.ext.TlbSnapshot;
import io.hvdbg.rsp.ext.VcpuSnapshot;
import io.hvdbg.rsp.ext.WireFormatException;
import io.hvdbg.rsp.ext.WireReader;

/**
 * The hvdbg extensions as seen from a client: exit trace, statistics, CPUID/ISA, TLB, vCPU
 * state, exit breakpoints, step to next exit. Obtained from {@link RspClient#hvdbg()} (null
 * for other stubs). The trace, statistics and exit-breakpoint calls also work while the
 * target runs.
 */
public final class HvdbgExtensions {
    /** Bytes per exits reply the client asks for. */
    public static final int EXITS_REPLY_BYTES = 4 << 20;

    private final RspClient client;
    private final Map<String, String> version;
    private volatile ExitReasonInfo[] reasons = new ExitReasonInfo[0];

    HvdbgExtensions(RspClient client, String versionReply) {
        this.client = client;
        Map<String, String> v = new LinkedHashMap<>();
        for (String f : versionReply.split(";")) {
            int eq = f.indexOf('=');
            v.put(eq < 0 ? f : f.substring(0, eq), eq < 0 ? "" : f.substring(eq + 1));
        }
        this.version = Collections.unmodifiableMap(v);
    }

    /** The qHvdbg.version fields: protocol, arch, vcpus, vendor, tdx, tracing. */
    public Map<String, String> version() {
        return version;
    }

    public String architecture() {
        return version.getOrDefault("arch", "");
    }

    public int vcpuCount() {
        return Integer.parseInt(version.getOrDefault("vcpus", "1"));
    }

    private WireReader binary(String request) throws IOException {
        byte[] r = client.requestBytes(request.getBytes(StandardCharsets.ISO_8859_1));
        if (r.length == 0) {
            throw new UnsupportedPacketException(request);
        }
        if (r[0] != HvdbgPackets.BINARY_REPLY) {
            String t = new String(r, StandardCharsets.ISO_8859_1);
            if (RspClient.isError(t)) {
                throw new RemoteErrorException(request, t);
            }
            throw new IOException("unexpected reply to " + request + ": " + (t.length() > 40 ? t.substring(0, 40) : t));
        }
        return new WireReader(r, 1, r.length - 1);
    }

    private static IOException malformed(String what, WireFormatException e) {
        return new IOException("malformed " + what + " reply from the stub: " + e.getMessage(), e);
    }

    // ---- exit reasons -----------------------------------------------------------------------

    /** The stub's exit reasons (fetched once, refreshed when an unknown id shows up). */
    public List<ExitReasonInfo> reasons() throws IOException {
        if (reasons.length == 0) {
            refreshReasons();
        }
        return List.of(reasons);
    }

    /** The reason with a stub id. */
    public ExitReasonInfo reason(int id) throws IOException {
        ExitReasonInfo[] r = reasons;
        if (id >= r.length || r[id] == null) {
            refreshReasons();
            r = reasons;
        }
        if (id < 0 || id >= r.length || r[id] == null) {
            throw new IOException("the stub reported an unknown exit reason id " + id);
        }
        return r[id];
    }

    private synchronized void refreshReasons() throws IOException {
        try {
            List<ExitReasonInfo> list = HvdbgWire.readReasons(binary("qHvdbg.reasons"));
            int max = 0;
            for (ExitReasonInfo i : list) {
                max = Math.max(max, i.id() + 1);
            }
            ExitReasonInfo[] table = new ExitReasonInfo[max];
            for (ExitReasonInfo i : list) {
                table[i.id()] = i;
            }
            reasons = table;
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.reasons", e);
        }
    }

    // ---- exits ------------------------------------------------------------------------------

    /** One batch of exits from {@code fromSeq}; the visitor gets each record as primitives. */
    public ExitBatch.Header exits(long fromSeq, long maxRecords, int maxBytes, ExitRecordVisitor visitor)
            throws IOException {
        byte[] r = client.requestBytes(("qHvdbg.exits:" + Long.toHexString(fromSeq) + "," + Long.toHexString(maxRecords)
                + "," + Integer.toHexString(maxBytes)).getBytes(StandardCharsets.ISO_8859_1));
        if (r.length == 0) {
            throw new UnsupportedPacketException("qHvdbg.exits");
        }
        if (r[0] != HvdbgPackets.BINARY_REPLY) {
            throw new RemoteErrorException("qHvdbg.exits", new String(r, StandardCharsets.ISO_8859_1));
        }
        try {
            return ExitBatch.decode(r, 1, r.length - 1, visitor);
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.exits", e);
        }
    }

    /**
     * Fetches exits from {@code fromSeq} until the trace is caught up or {@code maxRecords}
     * were delivered; returns the sequence number to continue from. Records the ring dropped
     * before they could be fetched are skipped (the gap shows in the sequence numbers).
     */
    public long fetchExits(long fromSeq, long maxRecords, ExitRecordVisitor visitor) throws IOException {
        long seq = fromSeq;
        long left = maxRecords;
        while (left > 0) {
            ExitBatch.Header h = exits(seq, left, EXITS_REPLY_BYTES, visitor);
            seq = h.firstSeq() + h.count();
            left -= h.count();
            if (h.count() == 0 || seq >= h.nextSeq()) {
                break;
            }
        }
        return seq;
    }

    /** One exit with its description and encodings. */
    public ExitDetail exit(long seq) throws IOException {
        try {
            return HvdbgWire.readExit(binary("qHvdbg.exit:" + Long.toHexString(seq)));
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.exit", e);
        }
    }

    /** Exit statistics of one vCPU, or of all ({@code vcpu < 0}). */
    public List<ExitStatRow> statistics(int vcpu) throws IOException {
        try {
            return HvdbgWire.readStats(binary("qHvdbg.stats" + (vcpu < 0 ? "" : ":" + Integer.toHexString(vcpu))));
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.stats", e);
        }
    }

    // ---- inspection (target stopped) --------------------------------------------------------------

    /** CPUID (x86) or ISA extensions (RISC-V) of a vCPU, or null if the core does not model them. */
    public FeatureReport features(int vcpu) throws IOException {
        try {
            return HvdbgWire.readFeatures(binary("qHvdbg.features:" + Integer.toHexString(vcpu)));
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.features", e);
        }
    }

    /** The TLB of a vCPU with up to {@code history} flush records, or null if not modelled. */
    public TlbSnapshot tlb(int vcpu, int history) throws IOException {
        try {
            return HvdbgWire.readTlb(binary("qHvdbg.tlb:" + Integer.toHexString(vcpu) + "," + Integer.toHexString(history)));
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.tlb", e);
        }
    }

    /** System state of a vCPU. */
    public VcpuSnapshot state(int vcpu) throws IOException {
        try {
            return HvdbgWire.readState(binary("qHvdbg.state:" + Integer.toHexString(vcpu)));
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.state", e);
        }
    }

    // ---- exit breakpoints and stepping ------------------------------------------------------------

    public List<ExitBreakpointInfo> exitBreakpoints() throws IOException {
        try {
            return HvdbgWire.readExitBreakpoints(binary("qHvdbg.exitBreaks"));
        } catch (WireFormatException e) {
            throw malformed("qHvdbg.exitBreaks", e);
        }
    }

    /**
     * Adds an exit breakpoint: {@code what} is a category, native reason name or "any";
     * {@code condition} may be empty (e.g. {@code leaf=7}, {@code port=0x3f8-0x3ff}); {@code vcpu}
     * -1 for all. Returns its id.
     */
    public int addExitBreakpoint(String what, String condition, int vcpu, boolean temporary) throws IOException {
        String r = client.request("qHvdbg.exitBreakAdd:" + Hex.encodeText(what) + ";"
                + Hex.encodeText(condition == null ? "" : condition) + ";" + (vcpu < 0 ? "-1" : Integer.toHexString(vcpu))
                + ";" + (temporary ? "1" : "0"));
        if (r.isEmpty()) {
            throw new UnsupportedPacketException("qHvdbg.exitBreakAdd");
        }
        return (int) StopReply.parseHex(r);
    }

    public void deleteExitBreakpoint(int id) throws IOException {
        client.request("QHvdbg.exitBreakDelete:" + Integer.toHexString(id));
    }

    public void enableExitBreakpoint(int id, boolean enabled) throws IOException {
        client.request("QHvdbg.exitBreakEnable:" + Integer.toHexString(id) + "," + (enabled ? "1" : "0"));
    }

    /** Asks the stub to forward guest console output (see {@link RspClient#addConsoleListener}). */
    public void setConsoleForwarding(boolean on) throws IOException {
        client.request("QHvdbg.console:" + (on ? "1" : "0"));
    }

    /**
     * Runs until {@code thread}'s next VM exit (of {@code reason}, a category or native name,
     * if not null), stopping before it is handled; returns at once, the stop follows as usual.
     */
    public void startStepToExit(long thread, String reason) throws IOException {
        client.startRun("vHvdbg.stepToExit:" + Long.toHexString(thread)
                + (reason == null || reason.isBlank() ? "" : ";" + Hex.encodeText(reason)));
    }
}
