/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.mmu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;
import io.hvdbg.core.tlb.TlbModel;

/**
 * A hart's combined (VS-stage + G-stage) TLB, as inspection shows it: set-associative arrays
 * per page size (4 KiB, 2 MiB, 1 GiB, 512 GiB), entries tagged with VMID and ASID (or global),
 * caching permissions and the A/D bits they were filled with. Without Svvptc the TLB also
 * caches "invalid" translations (a walk that found an invalid PTE), which stay until an
 * sfence.vma covers them - so a guest that relies on Svvptc without having it faults again,
 * visibly. Primitive arrays only: lookups and fills allocate nothing.
 */
public final class RiscvTlb implements TlbModel {
    /** Entry flag: a cached invalid translation (negative entry). */
    public static final int INVALID = 1 << 8;
    private static final int[] SETS = {128, 16, 4, 1};
    private static final int WAYS = 4;
    private static final int HISTORY = 256;

    private final int vcpu;
    private boolean svvptc;
    // Per level arrays, index = set * WAYS + way.
    private final long[][] tag = new long[4][];
    private final int[][] asid = new int[4][];
    private final int[][] vmid = new int[4][];
    /** Low byte: PTE bits V R W X U G A D of the VS-stage leaf; bit 8: INVALID. */
    private final int[][] flags = new int[4][];
    private final long[][] gpa = new long[4][];
    private final long[][] hpa = new long[4][];
    private final byte[][] gperms = new byte[4][];
    private final int[] victim = new int[4];

    private long hits;
    private long misses;
    private long negativeHits;
    private final Map<String, Long> flushes = new TreeMap<>();
    private final Map<String, Long> requests = new TreeMap<>();
    private final FlushRecord[] history = new FlushRecord[HISTORY];
    private int historyNext;
    private long historyCount;

    // Result of the last lookup.
    private int hitLevel;
    private int hitIndex;

    public RiscvTlb(int vcpu, boolean svvptc) {
        this.vcpu = vcpu;
        this.svvptc = svvptc;
        for (int l = 0; l < 4; l++) {
            int n = SETS[l] * WAYS;
            tag[l] = new long[n];
            asid[l] = new int[n];
            vmid[l] = new int[n];
            flags[l] = new int[n];
            gpa[l] = new long[n];
            hpa[l] = new long[n];
            gperms[l] = new byte[n];
            java.util.Arrays.fill(tag[l], -1L);
        }
    }

    public boolean svvptc() {
        return svvptc;
    }

    public void setSvvptc(boolean on) {
        svvptc = on;
    }

    private static int shift(int level) {
        return 12 + 9 * level;
    }

    private static int set(long vpn, int level) {
        return (int) (vpn & (SETS[level] - 1)) * WAYS;
    }

    /**
     * Looks up {@code va} for an ASID and VMID. Returns true on a hit; then {@link #hitFlags},
     * {@link #hitGpa}, {@link #hitHpa}, {@link #hitPageSize} describe it.
     */
    public boolean lookup(long va, int curAsid, int curVmid) {
        for (int l = 0; l < 4; l++) {
            long vpn = va >>> shift(l);
            int base = set(vpn, l);
            long[] t = tag[l];
            for (int w = 0; w < WAYS; w++) {
                int i = base + w;
                if (t[i] == vpn && vmid[l][i] == curVmid
                        && ((flags[l][i] & Pte.G) != 0 || asid[l][i] == curAsid)) {
                    hitLevel = l;
                    hitIndex = i;
                    if ((flags[l][i] & INVALID) != 0) {
                        negativeHits++;
                    }
                    return true;
                }
            }
        }
        return false;
    }

    public int hitFlags() {
        return flags[hitLevel][hitIndex];
    }

    public int hitGPerms() {
        return gperms[hitLevel][hitIndex];
    }

    /** Guest-physical address of {@code va} through the hit entry. */
    public long hitGpa(long va) {
        long mask = (1L << shift(hitLevel)) - 1;
        return gpa[hitLevel][hitIndex] | (va & mask);
    }

    public long hitHpa(long va) {
        long mask = (1L << shift(hitLevel)) - 1;
        return hpa[hitLevel][hitIndex] | (va & mask);
    }

    public long hitPageSize() {
        return 1L << shift(hitLevel);
    }

    /** Marks the D bit of the hit entry (after a walk set it in the PTE). */
    public void countHit() {
        hits++;
    }

    /** Hits served by the interpreter's micro-TLB, counted in bulk. */
    public void addHits(long n) {
        hits += n;
    }

    public void countMiss() {
        misses++;
    }

    /** Inserts a translation of the page of {@code va} at {@code level} (effective page size). */
    public void insert(long va, int level, int curAsid, int curVmid, int pteFlags, long gpaBase, long hpaBase,
            int gPerms) {
        long vpn = va >>> shift(level);
        int base = set(vpn, level);
        int i = -1;
        for (int w = 0; w < WAYS; w++) {
            int k = base + w;
            if (tag[level][k] == vpn && vmid[level][k] == curVmid && (asid[level][k] == curAsid
                    || (flags[level][k] & Pte.G) != 0 || (pteFlags & Pte.G) != 0)) {
                i = k; // refresh an existing (e.g. negative or D=0) entry
                break;
            }
        }
        if (i < 0) {
            for (int w = 0; w < WAYS; w++) {
                if (tag[level][base + w] == -1L) {
                    i = base + w;
                    break;
                }
            }
        }
        if (i < 0) {
            i = base + victim[level];
            victim[level] = (victim[level] + 1) % WAYS;
        }
        long mask = (1L << shift(level)) - 1;
        tag[level][i] = vpn;
        asid[level][i] = curAsid;
        vmid[level][i] = curVmid;
        flags[level][i] = pteFlags;
        gpa[level][i] = gpaBase & ~mask;
        hpa[level][i] = hpaBase & ~mask;
        gperms[level][i] = (byte) gPerms;
    }

    /** Caches "the page of va is invalid" (only without Svvptc). */
    public void insertInvalid(long va, int curAsid, int curVmid) {
        if (!svvptc) {
            insert(va, 0, curAsid, curVmid, INVALID, 0, 0, 0);
        }
    }

    /**
     * sfence.vma / hfence.vvma semantics within one VMID: {@code va} < 0 means all addresses,
     * {@code asidFilter} < 0 all ASIDs (globals included); with an ASID, global entries stay.
     * Returns the number of entries dropped.
     */
    public int flushVs(int curVmid, long va, int asidFilter) {
        int n = 0;
        for (int l = 0; l < 4; l++) {
            long vpn = va >>> shift(l);
            for (int i = 0; i < tag[l].length; i++) {
                if (tag[l][i] == -1L || vmid[l][i] != curVmid) {
                    continue;
                }
                if (va >= 0 && tag[l][i] != vpn) {
                    continue;
                }
                if (asidFilter >= 0 && ((flags[l][i] & Pte.G) != 0 || asid[l][i] != asidFilter)) {
                    continue;
                }
                tag[l][i] = -1L;
                n++;
            }
        }
        return n;
    }

    /** hfence.gvma: drops every entry of a VMID (all if vmid < 0). */
    public int flushVmid(int vmidFilter) {
        int n = 0;
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < tag[l].length; i++) {
                if (tag[l][i] != -1L && (vmidFilter < 0 || vmid[l][i] == vmidFilter)) {
                    tag[l][i] = -1L;
                    n++;
                }
            }
        }
        return n;
    }

    /** Records an architectural flush (or, with request=true, a hypervisor flush request). */
    public void record(long time, String cause, String scope, long address, boolean request, int entries) {
        (request ? requests : flushes).merge(cause, 1L, Long::sum);
        history[historyNext] = new FlushRecord(time, vcpu, cause, scope, address, request, entries);
        historyNext = (historyNext + 1) % HISTORY;
        historyCount++;
    }

    public long negativeHits() {
        return negativeHits;
    }

    // ---- TlbModel ----

    @Override
    public synchronized List<TlbEntry> entries() {
        List<TlbEntry> out = new ArrayList<>();
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < tag[l].length; i++) {
                if (tag[l][i] == -1L) {
                    continue;
                }
                int fl = flags[l][i];
                long va = tag[l][i] << shift(l);
                // Sign-extend the virtual address from bit 56 (covers Sv39/48/57 canonical forms).
                va = (va << 7) >> 7;
                boolean invalid = (fl & INVALID) != 0;
                String perms = invalid ? "invalid (cached)" : Pte.describe(fl) + " g:" + Pte.describe(gperms[l][i]);
                out.add(new TlbEntry(va, invalid ? -1 : gpa[l][i], invalid ? -1 : hpa[l][i], 1L << shift(l),
                        asid[l][i], vmid[l][i], (fl & Pte.G) != 0, perms, (fl & Pte.A) != 0, (fl & Pte.D) != 0));
            }
        }
        return out;
    }

    @Override
    public long hits() {
        return hits;
    }

    @Override
    public long misses() {
        return misses;
    }

    @Override
    public synchronized Map<String, Long> flushesByCause() {
        return new LinkedHashMap<>(flushes);
    }

    @Override
    public synchronized Map<String, Long> requestsByCause() {
        return new LinkedHashMap<>(requests);
    }

    @Override
    public synchronized List<FlushRecord> history(int max) {
        int n = (int) Math.min(Math.min(max, HISTORY), historyCount);
        List<FlushRecord> out = new ArrayList<>(n);
        for (int k = n; k > 0; k--) {
            out.add(history[Math.floorMod(historyNext - k, HISTORY)]);
        }
        return out;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("svvptc", svvptc ? "on" : "off");
        p.put("invalid-entries-cached", svvptc ? "no" : "yes (until sfence.vma)");
        p.put("geometry", "4K 128x4, 2M 16x4, 1G 4x4, 512G 1x4; round-robin replacement");
        p.put("tags", "VMID + ASID (global entries match every ASID)");
        p.put("negative-hits", Long.toString(negativeHits));
        return p;
    }
}
