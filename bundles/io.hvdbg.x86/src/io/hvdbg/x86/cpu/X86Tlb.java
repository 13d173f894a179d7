/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;
import io.hvdbg.core.tlb.TlbModel;

/**
 * The vCPU's TLB, behind the MMU: a direct-mapped array of 4 KiB translations with separate
 * tags for reads, writes and instruction fetches, so a fast-path hit also proves the access is
 * allowed (a write tag exists only for writable pages whose dirty bit is already set and that
 * hold no decoded code). Tags include the privilege (user/supervisor) of the access. Larger
 * pages are cached per 4 KiB piece; INVLPG of any address flushes everything while a large
 * page is cached. PCID/VPID tagging belongs to the later TLB issue and plugs in here.
 */
public final class X86Tlb implements TlbModel {
    static final int BITS = 10;
    static final int SIZE = 1 << BITS;
    static final int MASK = SIZE - 1;
    static final long INVALID = -1L;

    final long[] readTag = new long[SIZE];
    final long[] writeTag = new long[SIZE];
    final long[] fetchTag = new long[SIZE];
    final byte[][] data = new byte[SIZE][];
    final int[] offset = new int[SIZE];
    final long[] gpaPage = new long[SIZE];
    final boolean[] global = new boolean[SIZE];
    final boolean[] largePage = new boolean[SIZE];
    private final Map<String, Long> flushCauses = new TreeMap<>();
    private final ArrayDeque<FlushRecord> history = new ArrayDeque<>();
    private int vcpu;
    /** Guest time of the owning vCPU, for flush records. */
    private java.util.function.LongSupplier clock = () -> 0;
    private boolean largeCached;
    private long flushes;
    private long hits;
    private long misses;

    X86Tlb() {
        flushAll();
    }

    static long tag(long la, int user) {
        return ((la >>> 12) << 1) | user;
    }

    void fill(long la, int user, byte[] bytes, int off, long gpa, boolean writable, boolean fetchable, boolean isGlobal,
            boolean large) {
        int i = (int) (la >>> 12) & MASK;
        long t = tag(la, user);
        readTag[i] = t;
        writeTag[i] = writable ? t : INVALID;
        fetchTag[i] = fetchable ? t : INVALID;
        data[i] = bytes;
        offset[i] = off;
        gpaPage[i] = gpa;
        global[i] = isGlobal;
        largePage[i] = large;
        largeCached |= large;
        misses++;
    }

    /** Drops write permission of entries mapping a guest-physical page (it now holds decoded code). */
    void protectPage(long gpaPageAddress) {
        for (int i = 0; i < SIZE; i++) {
            if (gpaPage[i] == gpaPageAddress) {
                writeTag[i] = INVALID;
            }
        }
    }

    void flushAll() {
        java.util.Arrays.fill(readTag, INVALID);
        java.util.Arrays.fill(writeTag, INVALID);
        java.util.Arrays.fill(fetchTag, INVALID);
        java.util.Arrays.fill(gpaPage, -1L);
        largeCached = false;
        flushes++;
    }

    void flushNonGlobal() {
        for (int i = 0; i < SIZE; i++) {
            if (!global[i]) {
                readTag[i] = INVALID;
                writeTag[i] = INVALID;
                fetchTag[i] = INVALID;
                gpaPage[i] = -1;
            }
        }
        flushes++;
    }

    void flushPage(long la) {
        if (largeCached) {
            flushAll();
            return;
        }
        int i = (int) (la >>> 12) & MASK;
        readTag[i] = INVALID;
        writeTag[i] = INVALID;
        fetchTag[i] = INVALID;
        gpaPage[i] = -1;
    }

    void attach(int vcpuIndex, java.util.function.LongSupplier guestClock) {
        this.vcpu = vcpuIndex;
        this.clock = guestClock;
    }

    /** Records an architectural flush (CR3 write, INVLPG, CR4.PGE toggle …) for the views. */
    void record(String cause, String scope, long address) {
        flushCauses.merge(cause, 1L, Long::sum);
        if (history.size() >= 256) {
            history.removeFirst();
        }
        history.addLast(new FlushRecord(clock.getAsLong(), vcpu, cause, scope, address, false, 0));
    }

    @Override
    public List<TlbEntry> entries() {
        List<TlbEntry> out = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            long t = readTag[i];
            if (t == INVALID) {
                continue;
            }
            long va = (t >>> 1) << 12;
            if ((va & (1L << 47)) != 0) {
                va |= 0xFFFF_0000_0000_0000L; // canonical form
            }
            String perm = "r" + (writeTag[i] == t ? "w" : "-") + (fetchTag[i] == t ? "x" : "-") + ((t & 1) != 0 ? "u" : "s");
            out.add(new TlbEntry(va, gpaPage[i], gpaPage[i], 4096, 0, 0, global[i], perm, true, writeTag[i] == t));
        }
        return out;
    }

    @Override
    public Map<String, Long> flushesByCause() {
        return Map.copyOf(flushCauses);
    }

    @Override
    public Map<String, Long> requestsByCause() {
        return Map.of();
    }

    @Override
    public List<FlushRecord> history(int max) {
        List<FlushRecord> all = new ArrayList<>(history);
        return all.subList(Math.max(0, all.size() - max), all.size());
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("entries", Integer.toString(SIZE), "tagging", "none (PCID/VPID not modelled yet)",
                "granularity", "4 KiB pieces; large pages flush all on INVLPG");
    }

    public long flushes() {
        return flushes;
    }

    @Override
    public long misses() {
        return misses;
    }

    @Override
    public long hits() {
        return hits;
    }
}
